import type { JsonValue } from '../../asl/types';
import { runMachine, type CompiledMachine, type RunOutcome } from '../engine';
import type { BranchGroup, Failure, Frame, StateCall } from '../runtime';

/** A child thread of a Parallel or Map: its machine, input, and hooks around it. @internal */
export interface BranchSpec {
  readonly machine: CompiledMachine;
  readonly input: JsonValue;
  /** Called before the branch runs, with the child frame (Map records MapIterationStarted here). */
  readonly before?: (frame: Frame) => void;
  /** Called after the branch ended (Map records MapIteration* here). */
  readonly after?: (frame: Frame, outcome: RunOutcome) => void;
}

/** How a set of branches ended. @internal */
export type BranchesOutcome =
  | { readonly ok: true; readonly outputs: JsonValue[]; readonly failures: number }
  | { readonly ok: false; readonly failure: Failure };

/**
 * Runs branches with at most `maxConcurrency` at once (0 = all at once). Each
 * gets a child variable scope (reads outer variables, its assignments stay
 * inside). When more than `tolerated` fail, the rest are stopped and the first
 * failure is returned; tolerated failures leave their error output in place.
 * @internal
 */
export async function runBranches(call: StateCall, specs: readonly BranchSpec[], options: {
  readonly maxConcurrency?: number;
  readonly tolerated?: (failures: number, total: number) => boolean;
  readonly frameFor?: (parent: Frame, group: BranchGroup) => Frame;
} = {}): Promise<BranchesOutcome> {
  const parent = call.frame;
  const group: BranchGroup = { stopped: false, parent: parent.group, controller: new AbortController() };
  const outputs: JsonValue[] = new Array<JsonValue>(specs.length);
  let failures = 0;
  let firstFailure: Failure | undefined;
  let lastEventId = parent.lastEventId;

  const runOne = (i: number): Promise<void> | void => {
    const spec = specs[i];
    const frame: Frame = options.frameFor
      ? options.frameFor(parent, group)
      : { rt: parent.rt, variables: parent.variables.child(), mapItem: undefined, group, lastEventId: parent.lastEventId };
    spec.before?.(frame);
    const done = (outcome: RunOutcome) => {
      spec.after?.(frame, outcome);
      if (frame.lastEventId > lastEventId) lastEventId = frame.lastEventId;
      if (outcome.ok) {
        outputs[i] = outcome.output;
        return;
      }
      if (group.stopped) return;
      failures++;
      if (options.tolerated && options.tolerated(failures, specs.length)) {
        outputs[i] = { Error: outcome.failure.error, Cause: outcome.failure.cause ?? null };
        return;
      }
      firstFailure = outcome.failure;
      group.stopped = true;
      group.controller.abort();
    };
    return runMachine(spec.machine, spec.input, frame).then(done);
  };

  const limit = options.maxConcurrency && options.maxConcurrency > 0 ? options.maxConcurrency : specs.length;
  if (limit >= specs.length) {
    const all: Array<Promise<void> | void> = new Array(specs.length);
    for (let i = 0; i < specs.length; i++) all[i] = runOne(i);
    await Promise.all(all);
  } else {
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < specs.length && !group.stopped) {
        const i = nextIndex++;
        await runOne(i);
      }
    };
    const workers: Promise<void>[] = [];
    for (let w = 0; w < limit; w++) workers.push(worker());
    await Promise.all(workers);
  }
  parent.lastEventId = lastEventId;
  if (firstFailure) return { ok: false, failure: firstFailure };
  return { ok: true, outputs, failures };
}
