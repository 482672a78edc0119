import { applyWrites } from './choices';
import type { Attempt, Exploration, RunRecord } from './context';
import { parseBindingPath } from './solve';
import { dataErrorsOf, type DataError } from './verify-data';
import type { Visit } from './visits';
import type { JsonValue, StateMachineDefinition } from '../asl';
import { errorMatches } from '../asl/error-rules';
import { INTRINSIC_FUNCTIONS } from '../asl/intrinsics/functions';
import { isIntrinsicCall } from '../asl/intrinsics/names';
import { parseIntrinsic, type IntrinsicNode } from '../asl/intrinsics/parser';
import { StatesErrors } from '../asl/states-errors';

/*
 * A state's own data errors as a way to its Catch: a ResultPath that does not fit the state's
 * input fails the state with States.ResultPathMatchFailure, which its Catch takes like any other
 * error (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html), with
 * no Task failing. Which states can raise which errors is verify's one reading of the definition
 * (verify-data.ts); here explore writes the input that raises one.
 */

const known = new WeakMap<StateMachineDefinition, Map<string, DataError[]>>();

function dataErrors(x: Exploration): Map<string, DataError[]> {
  let all = known.get(x.def);
  if (!all) known.set(x.def, all = dataErrorsOf(x.def));
  return all;
}

/** The data error of a state's own processing that its Catch[index] is the first to take, if any. */
export function caughtDataError(x: Exploration, state: string, index: number): DataError | undefined {
  const catches = x.states.get(state)?.def.Catch ?? [];
  const taken = (dataErrors(x).get(state) ?? [])
    .filter((e) => e.own && catches.findIndex((c) => errorMatches(c.ErrorEquals ?? [], e.error)) === index);
  // One explore can make comes first: a Catch on States.ALL takes a States.Runtime it does not make as well.
  return taken.find((e) => MADE.has(e.error)) ?? taken[0];
}

/** The data errors {@link dataFailurePlan} makes a value for. */
const MADE: ReadonlySet<string> = new Set([StatesErrors.RESULT_PATH_MATCH_FAILURE, StatesErrors.INTRINSIC_FAILURE]);

/** A string where a ResultPath needs an object: AWS cannot write a field into it. */
const NOT_AN_OBJECT = 'text';

/**
 * Makes a state's visit raise its data error `e`: for a JSONPath ResultPath, the input gets a
 * string where the path's last field would be written. Other data errors give a reason naming
 * what raises them.
 */
export async function dataFailurePlan(x: Exploration, rec: RunRecord, v: Visit, e: DataError): Promise<Attempt> {
  const info = x.states.get(v.name);
  if (info !== undefined && e.error === StatesErrors.INTRINSIC_FAILURE && info.language === 'JSONPath') {
    const made = await intrinsicFailurePlan(x, rec, v, e);
    if (made !== undefined) return made;
  }
  const rp = info?.def.ResultPath;
  if (info === undefined || e.error !== StatesErrors.RESULT_PATH_MATCH_FAILURE || info.language !== 'JSONPath' || typeof rp !== 'string') {
    return { reason: `'${v.name}' can fail with ${e.error} (${e.where}), and explore does not make the value that raises it` };
  }
  const parsed = parseBindingPath(rp);
  if ('error' in parsed || parsed.root.kind !== 'input' || parsed.steps.length === 0) {
    return { reason: `'${v.name}' can fail with ${e.error} (${e.where}), and explore cannot write under that path` };
  }
  const prefix = parsed.steps.slice(0, -1);
  const attempt = await applyWrites(x, rec, [{ source: x.provenanceOf(rec).rawInput(v, prefix), value: NOT_AN_OBJECT }]);
  if ('reason' in attempt) return { reason: `'${v.name}' can fail with ${e.error} (${e.where}), and ${attempt.reason}` };
  return { ...attempt, writes: `${attempt.writes}, so that the ResultPath ${rp} of '${v.name}' fails with ${e.error}` };
}

/**
 * The first argument of an intrinsic function in a state's Parameters that reads the state's input
 * by path where the function wants a typed value (States.StringToJson a string, States.ArrayGetItem
 * an array and an integer): a value of another type makes the call fail with
 * States.IntrinsicFailure (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 * gives each function's argument types; the interpreter's one reading is src/asl/intrinsics).
 */
function typedInputArgument(template: JsonValue | undefined): { path: string; value: JsonValue; fn: string } | undefined {
  if (template === null || typeof template !== 'object') return undefined;
  for (const [k, x] of Array.isArray(template) ? template.map((t, i) => [String(i), t] as const) : Object.entries(template)) {
    let found: { path: string; value: JsonValue; fn: string } | undefined;
    if (k.endsWith('.$') && typeof x === 'string' && isIntrinsicCall(x)) {
      try {
        found = inCall(parseIntrinsic(x));
      } catch {
        found = undefined;
      }
    } else if (!k.endsWith('.$')) {
      found = typedInputArgument(x);
    }
    if (found) return found;
  }
  return undefined;
}

function inCall(node: IntrinsicNode): { path: string; value: JsonValue; fn: string } | undefined {
  if (node.kind !== 'call') return undefined;
  const params = INTRINSIC_FUNCTIONS.get(node.name)?.params ?? [];
  for (const [i, arg] of node.args.entries()) {
    const type = params[i]?.type;
    if (arg.kind === 'path' && type !== undefined && type !== 'any' && arg.source.startsWith('$.')) {
      return { path: arg.source, value: type === 'string' ? 0 : NOT_AN_OBJECT, fn: node.name };
    }
    const nested = inCall(arg);
    if (nested) return nested;
  }
  return undefined;
}

/** Makes an intrinsic function of a state's Parameters fail: its argument read from the input gets a value of another type. */
async function intrinsicFailurePlan(x: Exploration, rec: RunRecord, v: Visit, e: DataError): Promise<Attempt | undefined> {
  const def = x.states.get(v.name)?.def as { Type?: string; InputPath?: unknown; Parameters?: JsonValue } | undefined;
  if (def === undefined || def.Type === 'Map' || (def.InputPath !== undefined && def.InputPath !== '$')) return undefined;
  const arg = typedInputArgument(def.Parameters);
  if (arg === undefined) return undefined;
  const parsed = parseBindingPath(arg.path);
  if ('error' in parsed || parsed.root.kind !== 'input' || parsed.steps.length === 0) return undefined;
  const attempt = await applyWrites(x, rec, [{ source: x.provenanceOf(rec).rawInput(v, parsed.steps), value: arg.value }]);
  if ('reason' in attempt) return { reason: `'${v.name}' can fail with ${e.error} (${e.where}), and ${attempt.reason}` };
  return { ...attempt, writes: `${attempt.writes}, so that ${arg.fn} in the Parameters of '${v.name}' fails with ${e.error}` };
}
