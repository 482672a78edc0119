import type { JsonValue } from '../../asl/types';
import { CancelSource } from '../cancel';
import { addEvent, runMachine, type CompiledMachine, type RunOutcome } from '../engine';
import { newFrame, type BranchGroup, type Failure, type Frame, type StateCall } from '../runtime';

const STOPPED: Failure = { error: 'States.Stopped', cause: undefined };

/**
 * The children of a Parallel or Map, described by index rather than as one
 * object per child: a Map over a million items keeps no million objects and
 * closures to say what each iteration runs. @internal
 */
export interface BranchSet {
  readonly count: number;
  /** Called before child i runs, with its frame (Map records MapIterationStarted here). */
  readonly before?: (frame: Frame, i: number) => void;
  /** Called after child i ended (Map records MapIteration* here). */
  readonly after?: (frame: Frame, outcome: RunOutcome, i: number) => void;
  /** Called when child i is stopped because a sibling failed, after its state's Aborted event. */
  readonly aborted?: (frame: Frame, i: number) => void;
  /** Called when child i's failure fails the whole set, before its siblings are stopped. */
  readonly failed?: (frame: Frame, i: number) => void;
  /** The machine child i runs. */
  machine(i: number): CompiledMachine;
  /** The input of child i. */
  input(i: number): JsonValue;
}

/** Parallel's children: one branch machine each, all on the same input. @internal */
export function parallelBranches(machines: readonly CompiledMachine[], input: JsonValue): BranchSet {
  return { count: machines.length, machine: (i) => machines[i], input: () => input, failed: abortFailedTask };
}

/**
 * A Task whose failure fails its Parallel branch is recorded as aborted too, after its
 * TaskFailed and before ParallelStateFailed (recorded on AWS, for a Lambda task and for a
 * callback task failed through SendTaskFailure).
 */
function abortFailedTask(frame: Frame): void {
  if (frame.current?.type === 'Task') addEvent(frame, 'TaskStateAborted');
}

/** The states that can be in progress when a sibling branch fails; AWS records `<Type>StateAborted` for them. */
const ABORTABLE = new Set(['Task', 'Wait', 'Parallel', 'Map']);

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
export function runBranches(call: StateCall, children: BranchSet, options: {
  readonly maxConcurrency?: number;
  readonly tolerated?: (failures: number, total: number) => boolean;
  readonly frameFor?: (parent: Frame, group: BranchGroup) => Frame;
  /**
   * Chain each branch's first event to the last event of the branch that ended
   * before it started (before its `after` hook), not to the event before the
   * branches: AWS's Map iterations read so.
   */
  readonly chainBranches?: boolean;
} = {}): BranchesOutcome | Promise<BranchesOutcome> {
  const parent = call.frame;
  const group: BranchGroup = { stopped: false, parent: parent.group, cancel: new CancelSource(parent.group?.cancel) };
  const outputs: JsonValue[] = new Array<JsonValue>(children.count);
  let failures = 0;
  let firstFailure: Failure | undefined;
  let lastEventId = parent.lastEventId;
  let branchEnd = parent.lastEventId;
  // Child executions (a distributed Map's) number their own events: their ids say nothing of the parent's.
  const ownHistories = options.frameFor !== undefined;
  /** Branches started and not yet ended, by index. */
  const running = new Map<number, Frame>();
  // A top-level Map or Parallel leaves its children's outputs where a failed execution can report
  // them for a redrive, and a redriven one takes the outputs a failed run reported and runs only
  // the other children. Nested ones run whole: a redrive resumes the top level only.
  let tolerated: Set<number> | undefined;
  let order: number[] | undefined;
  if (parent.group === undefined && !parent.rt.express) {
    const rt = parent.rt;
    tolerated = new Set();
    rt.completedChildren = { state: call.stateName, outputs, failed: tolerated };
    if (rt.resume !== undefined && rt.resume.state === call.stateName) {
      order = resumeOrder(rt.resume.outputs, outputs);
      rt.resume = undefined;
    }
  }
  const count = order ? order.length : children.count;

  /**
   * When a branch fails and the others are stopped, AWS records the state each of them
   * was in as aborted (TaskStateAborted, WaitStateAborted, ...; Map adds MapIterationAborted).
   */
  const abortSiblings = (): void => {
    for (const [i, frame] of running) {
      const type = frame.current?.type;
      if (type !== undefined && ABORTABLE.has(type)) addEvent(frame, `${type}StateAborted`);
      children.aborted?.(frame, i);
      if (!ownHistories && frame.lastEventId > lastEventId) lastEventId = frame.lastEventId;
    }
    running.clear();
  };

  const done = (i: number, frame: Frame, outcome: RunOutcome, wentAsync: boolean): void => {
    // An asynchronous branch is in `running` until it ends, unless a failure aborted it already.
    if (wentAsync && !running.delete(i) && group.stopped) return;
    if (options.chainBranches) branchEnd = frame.lastEventId;
    children.after?.(frame, outcome, i);
    if (!ownHistories && frame.lastEventId > lastEventId) lastEventId = frame.lastEventId;
    if (outcome.ok) {
      outputs[i] = outcome.output;
      return;
    }
    if (group.stopped) return;
    failures++;
    if (options.tolerated && options.tolerated(failures, children.count)) {
      const { error, cause } = outcome.failure;
      outputs[i] = cause === undefined ? { Error: error } : { Error: error, Cause: cause };
      tolerated?.add(i);
      return;
    }
    firstFailure = outcome.failure;
    group.stopped = true;
    // A States.Runtime failure has ended the execution already: nothing is recorded as aborted then.
    if (parent.rt.ended === undefined) {
      if (children.failed) {
        children.failed(frame, i);
        if (!ownHistories && frame.lastEventId > lastEventId) lastEventId = frame.lastEventId;
      }
      abortSiblings();
    }
    group.cancel.cancel();
  };

  /** Runs branch i; a promise only when the branch went asynchronous. */
  const runOne = (i: number): Promise<void> | undefined => {
    const frame: Frame = options.frameFor
      ? options.frameFor(parent, group)
      : newFrame(parent.rt, parent.variables, false, group, branchEnd);
    children.before?.(frame, i);
    const outcome = runMachine(children.machine(i), children.input(i), frame);
    // Only a branch that went asynchronous can be in progress when a sibling fails: one that ran
    // through at once never enters `running` (adding and removing each would be most of its cost).
    if (outcome instanceof Promise) {
      running.set(i, frame);
      return outcome.then((o) => done(i, frame, o, true));
    }
    done(i, frame, outcome, false);
    return undefined;
  };

  const finish = (): BranchesOutcome => {
    parent.lastEventId = lastEventId;
    if (firstFailure) return { ok: false, failure: firstFailure };
    // Stopped from outside (an enclosing branch failed): the outputs are incomplete.
    if (group.cancel.cancelled) return { ok: false, failure: STOPPED };
    return { ok: true, outputs, failures };
  };

  const limit = options.maxConcurrency && options.maxConcurrency > 0 ? options.maxConcurrency : count;
  const pending: Promise<void>[] = [];
  if (limit >= count) {
    // A branch that ends at once may already have failed the group: no more start, as with a MaxConcurrency.
    for (let k = 0; k < count && !group.stopped; k++) {
      const p = runOne(order ? order[k] : k);
      if (p) pending.push(p);
    }
  } else {
    let next = 0;
    // A worker takes the next item when its current one ends; synchronous items run back to back.
    const worker = (): Promise<void> | undefined => {
      while (next < count && !group.stopped) {
        const k = next++;
        const p = runOne(order ? order[k] : k);
        if (p) return p.then(worker);
      }
      return undefined;
    };
    for (let w = 0; w < limit; w++) {
      const p = worker();
      if (p) pending.push(p);
    }
  }
  if (pending.length === 0) return finish();
  // A stopped branch may never settle (a cancelled Wait or retry back-off never
  // wakes), so the group ends when it is stopped, not when every branch has settled.
  const stopped = new Promise<void>((resolve) => { group.cancel.onCancel(resolve); });
  return Promise.race([Promise.all(pending), stopped]).then(finish);
}

/**
 * Puts the outputs a redrive resumes with in place and returns the indices of
 * the children still to run, in order. An index past the children (the items
 * changed) is ignored.
 */
function resumeOrder(resumed: ReadonlyMap<number, JsonValue>, outputs: JsonValue[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const kept = resumed.get(i);
    if (kept === undefined) order.push(i);
    else outputs[i] = kept;
  }
  return order;
}
