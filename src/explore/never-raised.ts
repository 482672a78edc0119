import type { StateDefinition, SubMachine } from '../asl';
import { INTRINSIC_FAILURE } from '../asl/intrinsics/functions';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { childMachines } from '../asl/state-tree';
import { StatesErrors, isStatesErrorName } from '../asl/states-errors';
import { closestErrors, errorsOf, mayRaise } from '../contracts';
import { heartbeatLapseNamed } from './goals';

/*
 * Errors no state can raise. Retry and Catch match error names exactly, case included
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html), and a Task raises only the errors of its
 * integration: an AWS SDK integration the errors its service's model names, under the prefix
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html gives
 * (`SesV2.MessageRejectedException`, never `SESV2.…`), an optimized
 * one those of its row, each with the States.* errors. Where the contract lists every error
 * the call raises (a request-response call; not a Lambda function, an activity, a worker
 * answering a task token or a `.sync` job, which name their own), a name outside it never
 * comes. The mock check refuses such an error for the same reason, and the validator warns of
 * a Task's own rule naming one: a Catch or Retry that names only such errors, on the Task or
 * on a Parallel or Map around it, is never taken.
 */

/** The most states a walk looks at before it gives up and says the error may come. */
const MAX_STATES = 2_000;

/**
 * Why no state of `def` (a Task; every state in a Parallel's branches or a Map's item
 * processor, at any depth) can raise `error`, or undefined when one may, or explore cannot
 * tell: a States.* error, a Task whose integration names its own errors, a Fail state whose
 * Error is the name or is computed.
 */
export function neverRaised(name: string, def: StateDefinition, error: string): string | undefined {
  // AWS reports a failed intrinsic function as States.Runtime (INTRINSIC_FAILURE) and no call answers a `States.` name
  // (https://states-language.net/spec.html#error-names): only a Fail state may raise States.IntrinsicFailure.
  const intrinsic = error === StatesErrors.INTRINSIC_FAILURE;
  // A lapsed heartbeat is States.HeartbeatTimeout only where heartbeatLapseNamed says so.
  const heartbeat = error === StatesErrors.HEARTBEAT_TIMEOUT;
  // Only a Map that reads its items with an ItemReader fails with States.ItemReaderFailed, when it cannot read them
  // (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html); no call answers a States. name.
  const reader = error === StatesErrors.ITEM_READER_FAILED;
  if (!intrinsic && !heartbeat && !reader && isStatesErrorName(error)) return undefined;
  const tasks: Array<[string, string]> = [];
  let seen = 0;
  const none = (state: string, d: StateDefinition, depth: number): boolean => {
    if (++seen > MAX_STATES || depth > 32) return false;
    if (reader && d.Type === 'Map' && (d as { ItemReader?: unknown }).ItemReader !== undefined) return false;
    if (d.Type === 'Task') {
      if (intrinsic || reader) return true;
      if (heartbeat) {
        if (heartbeatLapseNamed(d)) return false;
        tasks.push([state, typeof d.Resource === 'string' ? d.Resource : '']);
        return true;
      }
      const resource: unknown = d.Resource;
      if (typeof resource !== 'string') return false;
      const errors = errorsOf(resource);
      if (mayRaise(errors, error)) return false;
      tasks.push([state, resource]);
      return true;
    }
    if (d.Type === 'Fail') {
      const raised: unknown = (d as { Error?: unknown }).Error;
      if ((d as { ErrorPath?: unknown }).ErrorPath !== undefined) return false;
      return raised === undefined || (typeof raised === 'string' && !isJsonataExpression(raised) && raised !== error);
    }
    for (const machine of childMachines(d) as readonly SubMachine[]) {
      const states = machine.States as Record<string, StateDefinition> | undefined;
      if (states === undefined || states === null || typeof states !== 'object') return false;
      for (const [inner, s] of Object.entries(states)) if (s === null || typeof s !== 'object' || !none(inner, s, depth + 1)) return false;
    }
    return true;
  };
  if (!none(name, def, 0)) return undefined;
  if (intrinsic) {
    return `${def.Type === 'Task' ? `'${name}' never raises` : `no state inside '${name}' raises`} ${error}: AWS reports a failed intrinsic function as `
      + `${INTRINSIC_FAILURE}, which no Retry or Catch takes, and no call answers a States. name`;
  }
  if (reader) {
    return `${def.Type === 'Task' ? `'${name}' never raises` : `no state inside '${name}' raises`} ${error}: only a Map that reads its `
      + 'items with an ItemReader fails with it, and no call answers a States. name';
  }
  if (heartbeat) {
    const where = def.Type === 'Task' ? `'${name}' never raises` : `no state inside '${name}' raises`;
    return `${where} ${error}: only an activity, or a request-response Task, with HeartbeatSeconds fails with it; a callback or `
      + `\`.sync\` Task whose heartbeats stop fails with ${StatesErrors.TIMEOUT}`;
  }
  // The names closest to it are looked for only now: most errors asked of a state are raised there.
  const said = tasks.slice(0, 4).map(([state, resource]) => {
    const near = closestErrors(error, resource, 1);
    return `'${state}' (${resource}) never raises ${def.Type === 'Task' ? error : 'it'}${near.length > 0 ? ` (did you mean ${near[0]}?)` : ''}`;
  });
  const more = tasks.length > said.length ? `, nor do ${tasks.length - said.length} more Tasks` : '';
  if (def.Type === 'Task') return said[0];
  return `no state inside '${name}' raises ${error}${said.length > 0 ? `: ${said.join(', ')}${more}` : ''}`;
}

/** What a reason built of {@link neverRaised}'s adds once: why a name close to one raised is not it. */
export const EXACT_NAMES = 'Retry and Catch match an error by its exact name, case included';
