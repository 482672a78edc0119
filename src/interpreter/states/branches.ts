import type { JsonValue } from '../../asl';
import type { HistoryEventType } from '../../asl/history-events';
import { InternalErrors, StatesError, StatesErrors } from '../../asl/states-errors';
import { CancelSource } from '../cancel';
import { addEvent, RunFailed, runMachine, TestSetupFailure, type CompiledMachine, type RunOutcome } from '../engine';
import { newFrame, type BranchGroup, type Failure, type Frame, type StateCall } from '../runtime';
import { effectiveInputOverLimit, jsonByteLengthWithin } from '../size';

const STOPPED: Failure = { error: InternalErrors.STOPPED, cause: undefined };

/**
 * The asks for a pause a child execution's start counts as (Clock.pause): about what it costs in
 * serve (its frame, history and ARN, what the server keeps of it: some 140 µs) over what four Pass
 * states cost between two asks. Counted as one, a Map Run of one-Pass children held serve half a
 * second between two answers; counted so, about 30 ms. A Map Run of 100 children still asks too
 * few times to pause (see serve's CONCURRENT_PAUSE_ASKS), so that runs of ordinary size keep the
 * order of the other doors.
 */
const CHILD_START_ASKS = 20;

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
  /**
   * Called when child i is stopped because a sibling failed, before its state's Aborted event
   * (Map records MapIterationAborted here). With `abortsFollowFailure`, both follow the event
   * that failed the set, as AWS records a Map's iterations stopped by a sibling's failure.
   */
  readonly aborted?: (frame: Frame, i: number) => void;
  /** Chain the abort events of the siblings to the event that failed the set (Map), not to each sibling's own last event (Parallel). */
  readonly abortsFollowFailure?: boolean;
  /** Called when child i's failure fails the whole set, before its siblings are stopped. */
  readonly failed?: (frame: Frame, i: number) => void;
  /**
   * Children read as they run (a Distributed Map's ItemReader): whether child i exists, reading
   * more items when it is not read yet. `count` is then the number read so far. A read that
   * fails (a StatesError) fails the set, and its siblings are stopped.
   */
  readonly ready?: (i: number) => boolean | Promise<boolean>;
  /**
   * The failure of child i when its input passes the payload limit, for children whose input is
   * made here (a Map's items, after ItemSelector), not a state's input measured already (a
   * Parallel's): a child's input is a state's input, held to the limit as every one is.
   */
  readonly inputTooLarge?: (i: number, max: number) => Failure;
  /** The machine child i runs. */
  machine(i: number): CompiledMachine;
  /** The input of child i. */
  input(i: number): JsonValue;
}

/**
 * Fails a Parallel whose Parameters (or Arguments) built its branches' input over the payload
 * limit, before any branch starts, as a Task's is checked before it is scheduled: every branch
 * would start on an input over the limit, which its ResultPath or OutputPath cannot undo.
 * @internal
 */
export function checkBranchInput(stateName: string, input: JsonValue, call: StateCall): void {
  const max = call.frame.rt.maxPayloadBytes;
  const size = effectiveInputOverLimit(input, max);
  if (size !== undefined) {
    throw new StatesError(StatesErrors.DATA_LIMIT_EXCEEDED, `The input of the branches of Parallel state '${stateName}' is ${size} bytes, over the maximum of ${max} bytes.`);
  }
}

/** Parallel's children: one branch machine each, all on the same input. @internal */
export function parallelBranches(machines: readonly CompiledMachine[], input: JsonValue): BranchSet {
  return { count: machines.length, machine: (i) => machines[i], input: () => input, failed: abortFailedTask };
}

/**
 * A Task whose failure fails its Parallel branch or Map iteration is recorded as aborted too,
 * after its TaskFailed and before ParallelStateFailed, both following the TaskFailed (recorded on
 * AWS, for a Lambda task and for a callback task failed through SendTaskFailure), and after
 * MapIterationFailed (recorded: LocalStack's timeouts/test_service_lambda_map_timeout, a
 * lambda:invoke that timed out).
 * @internal
 */
export function abortFailedTask(frame: Frame): void {
  if (frame.current?.type === 'Task') addEvent(frame, 'TaskStateAborted');
}

/** The states that can be in progress when a sibling branch fails, and the `<Type>StateAborted` AWS records for them. */
const ABORTED_EVENT: ReadonlyMap<string, HistoryEventType> = new Map<string, HistoryEventType>([
  ['Task', 'TaskStateAborted'], ['Wait', 'WaitStateAborted'], ['Parallel', 'ParallelStateAborted'], ['Map', 'MapStateAborted'],
]);

/** How a set of branches ended. @internal */
export type BranchesOutcome =
  | { readonly ok: true; readonly outputs: JsonValue[]; readonly failures: number; readonly lastFailure?: Failure }
  /** `source`: reading the children (BranchSet.ready) failed, not a child. */
  | { readonly ok: false; readonly failure: Failure; readonly source?: boolean };

/**
 * Runs branches with at most `maxConcurrency` at once (0 = all at once). Each
 * gets a child variable scope (reads outer variables, its assignments stay
 * inside). When more than `tolerated` fail, the rest are stopped and the first
 * failure is returned; tolerated failures leave their error output in place.
 * @internal
 */
export function runBranches(call: StateCall, children: BranchSet, options: BranchOptions = {}): BranchesOutcome | Promise<BranchesOutcome> {
  const ready = children.ready;
  if (ready !== undefined) {
    // The iterations started together must all be read before the first one starts.
    const first = Math.max(1, options.maxConcurrency ?? 1) - 1;
    let primed: boolean | Promise<boolean>;
    try {
      primed = ready(first);
    } catch (e) {
      return sourceFailed(e);
    }
    if (primed instanceof Promise) return primed.then(() => runSet(call, children, options), sourceFailed);
  }
  return runSet(call, children, options);
}

const STOPPED_RUN = new RunFailed(STOPPED);

/** Resolves when `own` (a child's own group) is stopped by itself; a stop of the whole set (its parent group) is the set's to handle. */
function stoppedAlone(own: BranchGroup): Promise<RunOutcome> {
  return new Promise<RunOutcome>((resolve) => {
    own.cancel.onCancel(() => {
      if (own.stopped) resolve(own.timedOut !== undefined ? new RunFailed(own.timedOut) : STOPPED_RUN);
    });
  });
}

function sourceFailed(e: unknown): BranchesOutcome {
  if (!(e instanceof StatesError)) throw e;
  return { ok: false, failure: { error: e.error, cause: e.cause }, source: true };
}

/** How runBranches runs a set. @internal */
export interface BranchOptions {
  readonly maxConcurrency?: number;
  readonly tolerated?: (failures: number, total: number) => boolean;
  /** The frame child `index` runs in (a child execution's own, for a DISTRIBUTED Map). */
  readonly frameFor?: (parent: Frame, group: BranchGroup, index: number) => Frame;
  /**
   * Chain each branch's first event to the last event of the branch that ended
   * before it started (before its `after` hook), not to the event before the
   * branches: AWS's Map iterations read so.
   */
  readonly chainBranches?: boolean;
  /**
   * The children's outputs are not kept (a Map whose ResultWriter has written them): memory
   * stays proportional to the children running. A top-level Map of a Standard execution keeps
   * a mark (null) for each child that succeeded, for a redrive to skip it.
   */
  readonly discardOutputs?: boolean;
  /** The Map Run the children belong to (a DISTRIBUTED Map's), which a redrive resumes. */
  readonly mapRunArn?: string;
}

function runSet(call: StateCall, children: BranchSet, options: BranchOptions): BranchesOutcome | Promise<BranchesOutcome> {
  const parent = call.frame;
  const limit0 = options.maxConcurrency && options.maxConcurrency > 0 ? options.maxConcurrency : children.count;
  const group: BranchGroup = {
    stopped: false,
    concurrent: Math.min(limit0, children.count) > 1,
    parent: parent.group,
    cancel: new CancelSource(parent.group?.cancel),
  };
  const outputs: JsonValue[] = children.ready ? [] : new Array<JsonValue>(children.count);
  let failures = 0;
  let firstFailure: Failure | undefined;
  let lastFailure: Failure | undefined;
  let fromSource = false;
  let lastEventId = parent.lastEventId;
  let branchEnd = parent.lastEventId;
  // Child executions (a distributed Map's) number their own events: their ids say nothing of the parent's.
  const ownHistories = options.frameFor !== undefined;
  /** Branches started and not yet ended, by index. */
  const running = new Map<number, Frame>();
  /** The event that failed the set, which the siblings' abort events follow (abortsFollowFailure). */
  let failingEventId = 0;
  // A top-level Map or Parallel leaves its children's outputs where a failed execution can report
  // them for a redrive, and a redriven one takes the outputs a failed run reported and runs only
  // the other children. Nested ones run whole: a redrive resumes the top level only.
  let tolerated: Set<number> | undefined;
  let order: number[] | undefined;
  if (parent.group === undefined && !parent.rt.express) {
    const rt = parent.rt;
    tolerated = new Set();
    rt.completedChildren = { state: call.stateName, outputs, failed: tolerated, mapRunArn: options.mapRunArn };
    if (rt.resume !== undefined && rt.resume.state === call.stateName) {
      order = resumeOrder(rt.resume.outputs, outputs);
      rt.resume = undefined;
    }
  }
  const keepOutputs = options.discardOutputs !== true || tolerated !== undefined;
  const count = (): number => (order ? order.length : children.count);

  /**
   * When a branch fails and the others are stopped, AWS records the state each of them
   * was in as aborted (TaskStateAborted, WaitStateAborted, ...; Map adds MapIterationAborted).
   */
  const abortSiblings = (): void => {
    // In index order: the iterations AWS started together are listed so.
    const stopped = children.abortsFollowFailure ? [...running.keys()].sort((a, b) => a - b) : [...running.keys()];
    for (const i of stopped) {
      const frame = running.get(i)!;
      const type = frame.current?.type;
      const aborted = type === undefined ? undefined : ABORTED_EVENT.get(type);
      if (children.abortsFollowFailure && !ownHistories) {
        // Recorded (LocalStack's timeouts/test_service_lambda_map_timeout): MapIterationAborted, then
        // the state's Aborted event, each following the event that failed the Map.
        frame.lastEventId = failingEventId;
        children.aborted?.(frame, i);
        frame.lastEventId = failingEventId;
        if (aborted !== undefined) addEvent(frame, aborted);
        frame.lastEventId = failingEventId;
        continue;
      }
      if (aborted !== undefined) addEvent(frame, aborted);
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
      // Outputs a ResultWriter has written are kept only as a mark that the child succeeded:
      // a redrive skips it, and nothing else reads them.
      if (keepOutputs) outputs[i] = options.discardOutputs ? null : outcome.output;
      return;
    }
    branchFailed(i, frame, outcome.failure);
  };

  /** Child i failed (see done): a function of its own, so that done stays small enough for V8 to optimize early and inline. */
  const branchFailed = (i: number, frame: Frame, failure: Failure): void => {
    if (group.stopped) return;
    if (frame.group !== group && frame.group!.stopped && frame.group!.timedOut === undefined) {
      // A child execution stopped by itself (StopExecution on its ARN): aborted, not failed, so
      // no tolerated failure is used up and its siblings go on. AWS does not say how its Map
      // counts one; failing the run on a guess would be stricter than AWS may be. Its slot is
      // what a stopped child leaves, and a redrive runs it again, as AWS redrives ABORTED children.
      if (keepOutputs) outputs[i] = { Error: failure.error };
      tolerated?.add(i);
      return;
    }
    failures++;
    // A test-setup mistake (a mock its service would never send) is no item that failed: nothing tolerates it.
    if (options.tolerated && !(failure instanceof TestSetupFailure) && options.tolerated(failures, children.count)) {
      const { error, cause } = failure;
      if (keepOutputs) outputs[i] = cause === undefined ? { Error: error } : { Error: error, Cause: cause };
      lastFailure = failure;
      tolerated?.add(i);
      return;
    }
    firstFailure = failure;
    group.stopped = true;
    failingEventId = frame.lastEventId;
    // A States.Runtime failure has ended the execution already: nothing is recorded as aborted then.
    if (parent.rt.ended === undefined) {
      if (children.failed) {
        children.failed(frame, i);
        if (children.abortsFollowFailure) frame.lastEventId = failingEventId;
      }
      abortSiblings();
      // The state's own failure (MapStateFailed, ParallelStateFailed) follows the event that failed
      // it, not the aborts recorded after that event: recorded for a Map (LocalStack's
      // timeouts/test_service_lambda_map_timeout) and for a Parallel whose callback Task failed
      // (callback/test_sqs_failure_in_wait_for_task_tok_no_error_field: TaskFailed 8,
      // TaskStateAborted 9 after 8, ParallelStateFailed 10 after 8).
      if (!ownHistories) lastEventId = failingEventId;
    }
    group.cancel.cancel();
  };

  /** Reading the children failed: the set fails with that error, its running children stopped. */
  const failSource = (e: unknown): void => {
    if (!(e instanceof StatesError)) throw e;
    if (group.stopped) return;
    firstFailure = { error: e.error, cause: e.cause };
    fromSource = true;
    group.stopped = true;
    failingEventId = lastEventId;
    if (parent.rt.ended === undefined) abortSiblings();
    group.cancel.cancel();
  };

  /** Starts branch i: its frame, and its `before` event. */
  const startOne = (i: number): Frame => {
    const frame: Frame = options.frameFor
      ? options.frameFor(parent, group, i)
      : newFrame(parent.rt, parent.variables, false, group, branchEnd);
    children.before?.(frame, i);
    return frame;
  };

  /** Runs branch i, started; a promise only when the branch went asynchronous. */
  const runOne = (i: number, frame: Frame): Promise<void> | undefined => {
    const input = children.input(i);
    const max = frame.rt.maxPayloadBytes;
    const outcome = children.inputTooLarge !== undefined && max !== Infinity && jsonByteLengthWithin(input, max) > max
      ? new RunFailed(children.inputTooLarge(i, max))
      : runMachine(children.machine(i), input, frame);
    // Only a branch that went asynchronous can be in progress when a sibling fails: one that ran
    // through at once never enters `running` (adding and removing each would be most of its cost).
    if (outcome instanceof Promise) {
      running.set(i, frame);
      // A child execution in a group of its own (frameFor) can be stopped by itself: it ends then,
      // though a Wait or retry it was in never wakes.
      const ended = frame.group === group ? outcome : Promise.race([outcome, stoppedAlone(frame.group!)]);
      return ended.then((o) => done(i, frame, o, true));
    }
    // A branch that ran through at once is in `running` only when it was started ahead (see
    // `window`); with nothing there, no delete: one from an empty Map still hashes its key.
    if (running.size !== 0) running.delete(i);
    done(i, frame, outcome, false);
    return undefined;
  };

  // Counted while the set runs, so that the clock's pauses (serve's) never depend on real time
  // then: a pause lets the branches not paused run ahead (Clock.pause).
  if (group.concurrent) parent.rt.concurrentSets++;
  const finish = (): BranchesOutcome => {
    if (group.concurrent) parent.rt.concurrentSets--;
    parent.lastEventId = lastEventId;
    if (firstFailure) return { ok: false, failure: firstFailure, ...(fromSource ? { source: true } : {}) };
    // Stopped from outside (an enclosing branch failed): the outputs are incomplete.
    if (group.cancel.cancelled) return { ok: false, failure: STOPPED };
    return lastFailure ? { ok: true, outputs, failures, lastFailure } : { ok: true, outputs, failures };
  };

  const limit = options.maxConcurrency && options.maxConcurrency > 0 ? options.maxConcurrency : count();
  const pending: Promise<void>[] = [];
  // AWS starts the first iterations a Map may run at once together: their MapIterationStarted
  // events come first, then each runs in index order (recorded: LocalStack's
  // timeouts/test_service_lambda_map_timeout, four iterations at MaxConcurrency 0). Started ones
  // wait in `running`, so that a sibling's failure aborts them too.
  const window = children.before !== undefined && group.concurrent ? Math.min(limit, count()) : 0;
  const started: Array<{ i: number; frame: Frame }> = [];
  for (let k = 0; k < window; k++) {
    const i = order ? order[k] : k;
    const frame = startOne(i);
    running.set(i, frame);
    started.push({ i, frame });
  }
  let next = window;
  let queued = 0;
  type Taken = { i: number; frame: Frame } | undefined;
  /** The next branch to run: a started one first, else a new one (read first when children are read as they run); undefined when none is left. */
  const take = (): Taken | Promise<Taken> => {
    if (queued < started.length) return started[queued++];
    if (next >= count()) {
      if (children.ready === undefined) return undefined;
      const more = children.ready(next);
      if (more instanceof Promise) return more.then((ok) => (ok && !group.stopped ? take() : undefined));
      if (!more || next >= count()) return undefined;
    }
    if (ownHistories) {
      // A child execution's start is work of its own, more than a state's (its frame, its history,
      // what serve keeps of it), and a child of one Pass state asks for no pause of its own most
      // times: each start asks, so that serve goes on answering while a Map Run of millions runs.
      // After the pause it asks again: the workers that waited for one pause resume together, and
      // each starting its child unasked ran thousands of children before the next turn.
      const pause = parent.rt.pause(CHILD_START_ASKS);
      if (pause !== undefined) return pause.then(() => (group.stopped ? undefined : take()));
    }
    const i = order ? order[next++] : next++;
    return { i, frame: startOne(i) };
  };
  // A worker takes the next branch when its current one ends; synchronous branches run back to
  // back, and one that ends at once may already have failed the group: no more start then. It
  // returns what to wait for before it goes on (a branch that went asynchronous, or the reading
  // of more children), or undefined when no branch is left for it.
  const worker = (): Promise<unknown> | undefined => {
    while (!group.stopped) {
      let b: Taken | Promise<Taken>;
      try {
        b = take();
      } catch (e) {
        failSource(e);
        break;
      }
      if (b instanceof Promise) return b.then((taken) => (taken === undefined ? undefined : runOne(taken.i, taken.frame)), failSource);
      if (b === undefined) break;
      const p = runOne(b.i, b.frame);
      if (p) return p;
    }
    return undefined;
  };
  // Each worker goes on from one promise to the next without chaining them: a chain of
  // `p.then(worker)` would hold one settled promise per branch until the last one ends.
  const drive = (first: Promise<unknown>): Promise<void> => new Promise<void>((resolve, reject) => {
    const step = (p: Promise<unknown>): void => {
      p.then(() => {
        let then: Promise<unknown> | undefined;
        try {
          then = worker();
        } catch (e) {
          reject(e);
          return;
        }
        if (then) step(then);
        else resolve();
      }, reject);
    };
    step(first);
  });
  for (let w = 0; w < Math.min(limit, count()) && !group.stopped; w++) {
    const p = worker();
    if (p) pending.push(drive(p));
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
