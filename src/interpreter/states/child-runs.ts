import type { JsonValue } from '../../asl';
import { AwsLimits } from '../../asl/limits';
import { CancelSource } from '../cancel';
import { CHILD_FAILURES_KEPT, type ChildExecutionFailure, type ChildExecutionUsage, type MapRunCounts } from '../execution-types';
import { HistoryRecorder, type HistoryEvent } from '../history-recorder';
import { newFrame, type BranchGroup, type ExecutionRuntime, type Failure, type Frame } from '../runtime';
import { ChildExecution, childContext, childExecutionName, ChildTimedOut } from './child-execution';
import type { MachineType } from '../../asl/aws-defaults';

/** A child execution running: when it started, the states it entered, what onChildExecution was told of it. */
interface RunningChild {
  readonly startMs: number;
  /** Its name and input, for a failure's record: a streaming reader releases the input before the child's end is told here. */
  readonly name: string;
  readonly executionArn: string;
  readonly input: JsonValue;
  /** The items it processes: its batch's with an ItemBatcher (counted in MapRunCounts.items). */
  readonly items: number;
  readonly entered: () => number;
  readonly child: ChildExecution | undefined;
  /** Unhooks its own group from the Map's (a child that can be stopped by itself has one). */
  readonly unhook: (() => void) | undefined;
  /** Cancels the timer that ends an EXPRESS child at its maximum duration. */
  readonly deadline: CancelSource | undefined;
}

/** The Map Run a set of child executions belongs to, and the input of each. */
export interface MapRunOfChildren {
  readonly mapRunArn: string;
  /** The state machine the children run: `arn:…:stateMachine:<machine>/<label>`. */
  readonly stateMachineArn: string;
  /** What the Map Run counts of its children (DescribeMapRun's counts): a child is running from its start to its end. */
  readonly counts?: MapRunCounts;
  input(index: number): JsonValue;
}

/**
 * Fields a child execution reads and writes on the execution that owns it. Reading goes through
 * the prototype anyway; writing would shadow the owner's with a field of the child's own.
 */
const OWNER_FIELDS = ['transitions', 'concurrentSets', 'callbacks', 'childExecutions', 'mapRuns'] as const;

/**
 * The child executions of one Map Run whose states go into the run's path. AWS's parent execution
 * records none of its children's states (each child has a history of its own); the path keeps
 * the first ones, so that a test can see what a child did, and no more, so that a Map over a
 * million items does not hold a path of millions.
 */
const CHILD_PATHS_KEPT = 1000;

/** The items a child processes: those of its batch (`{ Items: [...] }`, an ItemBatcher's input). @internal */
export function itemsOf(input: JsonValue): number {
  const items = input !== null && typeof input === 'object' && !Array.isArray(input) ? input.Items : undefined;
  return Array.isArray(items) ? items.length : 1;
}

/** The execution the user started, for each child execution's runtime (a child's children's too). */
const OWNERS = new WeakMap<ExecutionRuntime, ExecutionRuntime>();

/** The Map Runs of an execution the user started whose children may still run (a child's Map Runs included). */
const OPEN = new WeakMap<ExecutionRuntime, Set<ChildRuns>>();

/**
 * Ends every child execution still running under `rt`'s execution ABORTED, as its Map Run counts
 * it: the execution was stopped or timed out, and has recorded its closing event, while its Map
 * states still unwind. AWS stops a stopped execution's children with it (MapRunExecutionCounts:
 * aborted, "stopped by the user"). Reached through ExecutionRuntime.endChildren, so that an
 * execution without a Distributed Map never loads this module.
 */
function abortChildRuns(rt: ExecutionRuntime): void {
  const open = OPEN.get(rt);
  if (open === undefined) return;
  OPEN.delete(rt);
  for (const runs of open) runs.endAll();
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The child executions one DISTRIBUTED Map state starts: each runs in a frame of its own, and
 * what it used (states entered, retries, how long it ran) is added up in the owner's
 * `childExecutions`, which AWS bills by the child's own type.
 */
export class ChildRuns {
  private readonly usage: Mutable<ChildExecutionUsage> & {
    durationsMs: number[]; failures?: ChildExecutionFailure[]; retriesByState?: Record<string, number>;
  };
  private readonly running = new Map<Frame, RunningChild>();
  private started = 0;
  private readonly owner: ExecutionRuntime;

  /** StartOptions.inlineChildEvents: each child records into the parent's history. */
  readonly inline: boolean;
  /** StartOptions.childHistories: each child records a history of its own, told to this when it ends. */
  private readonly observe: ((history: readonly HistoryEvent[]) => void) | undefined;

  constructor(
    private readonly parentRt: ExecutionRuntime, mapState: string, private readonly executionType: MachineType,
    private readonly run: MapRunOfChildren,
  ) {
    this.inline = parentRt.inlineChildEvents && parentRt.recordHistory;
    this.observe = !this.inline && parentRt.recordHistory ? parentRt.childHistories : undefined;
    const owner = OWNERS.get(parentRt) ?? parentRt;
    this.owner = owner;
    let open = OPEN.get(owner);
    if (!open) OPEN.set(owner, open = new Set());
    open.add(this);
    owner.endChildren ??= () => abortChildRuns(owner);
    const key = `${executionType} ${mapState}`;
    const all = owner.childExecutions ?? (owner.childExecutions = new Map());
    let usage = all.get(key) as ChildRuns['usage'] | undefined;
    if (!usage) {
      usage = { mapState, executionType, executions: 0, statesEntered: 0, retries: 0, durationsMs: [] };
      all.set(key, usage);
    }
    this.usage = usage;
  }

  /**
   * A DISTRIBUTED Map iteration runs as child execution `index`: an execution of its own (its
   * ARN, name and Context Object), whose events stay out of the parent's history and go into its
   * own when StartOptions.onChildExecution asks for them.
   */
  start(parent: Frame, group: Frame['group'], index: number): Frame {
    const owner = OWNERS.get(parent.rt) ?? parent.rt;
    const rt: ExecutionRuntime = Object.create(parent.rt);
    OWNERS.set(rt, owner);
    const startMs = this.parentRt.clock.now();
    const name = childExecutionName(this.run.mapRunArn, index);
    const input = this.run.input(index);
    const own = childContext(parent.rt, this.run.stateMachineArn, name, input, startMs, this.executionType === 'EXPRESS');
    const observer = this.inline ? undefined : owner.onChildExecution;
    const history = this.inline ? parent.rt.history : new HistoryRecorder(parent.rt.clock);
    // Its ExecutionStarted counts towards its own history's limit, as the top level's does. Its
    // events are kept for serve's child executions (observer) and for coverage (this.observe).
    const recordHistory = this.inline || observer !== undefined || this.observe !== undefined;
    // Its own failsAtEntry: the parent's (DeleteStateMachine ends the parent "on the next state
    // transition") is the parent's next state, not a state of a child, which is an execution of the
    // Map Run's own state machine and would otherwise end ABORTED at its next state.
    // Its retries by state are kept when its events stay out of the parent's history, which then cannot tell them.
    const retriesByState = this.inline ? undefined : new Map<string, number>();
    Object.assign(rt, { ...own, history, recordHistory, eventCount: 1, retries: 0, retriesByState, failsAtEntry: undefined });
    let child: ChildExecution | undefined;
    if (observer) {
      const role = own.executionContext().RoleArn;
      history.add('ExecutionStarted', 0, 'executionStartedEventDetails', { input, roleArn: typeof role === 'string' ? role : undefined });
      child = new ChildExecution(own.executionArn, name, this.run.stateMachineArn, this.run.mapRunArn, input, new Date(startMs), history);
      observer(child);
    }
    // Past the first children, a child's states go into a path of its own, dropped when it ends.
    if (++this.started > CHILD_PATHS_KEPT) Object.assign(rt, { path: [] });
    // Each child execution has its own history, but the states it enters count towards the run's
    // limits.maxTransitions: a guard against endless loops must bound the whole run, and a child
    // that loops through a Catch inside a Map that loops through its own would otherwise multiply.
    // The execution handle finds a callback task's token in the map of the execution the user
    // started, and the first callback task makes that map: a child's must be the owner's, or a
    // token issued inside a DISTRIBUTED Map would be unknown to sendTaskSuccess. The owner is
    // written to directly, so that a grandchild's states are not counted as its parent child's.
    let entered = 0;
    for (const field of OWNER_FIELDS) {
      Object.defineProperty(rt, field, {
        get: () => owner[field],
        set: field === 'transitions'
          ? (value: number) => { owner.transitions = value; entered++; }
          : (value: never) => { owner[field] = value; },
      });
    }
    // A child someone can stop by itself (StopExecution on its ARN) runs in a group of its own
    // inside the Map's: stopping it stops its states and none of its siblings'. Made only then,
    // and unhooked from the Map's group when it ends, so that a Map Run of a million children
    // adds no million listeners to its group.
    let childGroup = group;
    let unhook: (() => void) | undefined;
    let deadline: CancelSource | undefined;
    const express = this.executionType === 'EXPRESS';
    if ((child || express) && group) {
      const alone: BranchGroup = { stopped: false, concurrent: group.concurrent, parent: group, cancel: new CancelSource() };
      unhook = group.cancel.onCancel(() => alone.cancel.cancel());
      if (child) {
        child.stopRun = () => {
          alone.stopped = true;
          alone.cancel.cancel();
        };
      }
      if (express) deadline = expressDeadline(rt, startMs, alone);
      childGroup = alone;
    }
    const frame = newFrame(rt, parent.variables, false, childGroup, this.inline ? parent.lastEventId : 0);
    this.usage.executions++;
    const counts = this.run.counts;
    const items = counts?.items ? itemsOf(input) : 1;
    if (counts) {
      counts.running++;
      if (counts.items) counts.items.running += items;
    }
    this.running.set(frame, { startMs, name, executionArn: own.executionArn, input, items, entered: () => entered, child, unhook, deadline });
    return frame;
  }

  /** Child execution `frame` has ended: with its output, its failure, or (undefined) stopped. */
  ended(frame: Frame, outcome: { readonly output: JsonValue } | { readonly failure: Failure } | undefined): void {
    const running = this.running.get(frame);
    if (!running) return;
    this.running.delete(frame);
    running.unhook?.();
    running.deadline?.cancel();
    const counts = this.run.counts;
    if (counts) {
      const ended = outcome === undefined ? 'aborted'
        : 'output' in outcome ? 'succeeded' : outcome.failure instanceof ChildTimedOut ? 'timedOut' : 'failed';
      counts.running--;
      counts[ended]++;
      if (counts.items) {
        counts.items.running -= running.items;
        counts.items[ended] += running.items;
      }
    }
    const now = this.parentRt.clock.now();
    this.usage.statesEntered += running.entered();
    this.usage.retries += frame.rt.retries;
    if (frame.rt.retriesByState !== undefined && frame.rt.retriesByState.size > 0) this.keepRetries(frame.rt.retriesByState);
    this.usage.durationsMs.push(now - running.startMs);
    if (outcome !== undefined && 'failure' in outcome) this.keepFailure(running, outcome.failure);
    running.child?.end(now, frame.lastEventId, outcome);
    this.observe?.(frame.rt.history.toEvents());
  }

  /** Adds a child's retries by state to ChildExecutionUsage.retriesByState, made by the first child that retried. */
  private keepRetries(retries: ReadonlyMap<string, number>): void {
    const kept = this.usage.retriesByState ??= {};
    for (const [state, n] of retries) {
      // A state's name is the user's: an own property, never the prototype's (`__proto__`, `constructor`).
      const before = Object.hasOwn(kept, state) ? kept[state] : 0;
      Object.defineProperty(kept, state, { value: before + n, enumerable: true, writable: true, configurable: true });
    }
  }

  /**
   * Keeps a failed child's own error, which only its own history holds, for ChildExecutionUsage.failures:
   * the first ones, in the order they ended. Made by the first failure, as most Maps have none.
   */
  private keepFailure(child: RunningChild, failure: Failure): void {
    const kept = this.usage.failures ?? (this.usage.failures = []);
    if (kept.length >= CHILD_FAILURES_KEPT) return;
    kept.push({
      mapState: this.usage.mapState,
      name: child.name,
      executionArn: child.executionArn,
      input: child.input,
      ...(failure.error !== '' ? { error: failure.error } : {}),
      ...(failure.cause !== undefined ? { cause: failure.cause } : {}),
    });
  }

  /** True when child execution `frame` ended because it was stopped by itself (ChildExecutionInfo.stop). */
  stoppedAlone(frame: Frame): boolean {
    return this.running.get(frame)?.child?.stoppedAlone === true;
  }

  /** Ends every child still running ABORTED: its Map has ended, or its execution was stopped. */
  endAll(): void {
    OPEN.get(this.owner)?.delete(this);
    for (const frame of [...this.running.keys()]) this.ended(frame, undefined);
  }
}

/**
 * Ends an EXPRESS child execution that runs past 5 minutes, the longest an Express workflow runs
 * ("Standard vs. Express": "Maximum duration: 5 minutes"), as AWS ends a top-level one: TIMED_OUT.
 * The limit moves no virtual clock by itself (sleepUntilPassed), as the execution's own does not.
 */
function expressDeadline(rt: ExecutionRuntime, startMs: number, alone: BranchGroup): CancelSource {
  const timer = new CancelSource();
  const seconds = AwsLimits.EXPRESS_DURATION_SECONDS;
  const at = startMs + seconds * 1000;
  const passed = rt.clock.sleepUntilPassed ? rt.clock.sleepUntilPassed(at, timer) : rt.clock.sleepUntil(at, timer);
  void passed.then(() => {
    if (alone.stopped) return;
    alone.timedOut = new ChildTimedOut(`The EXPRESS child execution ran past the ${seconds} seconds an Express workflow may run.`);
    alone.stopped = true;
    alone.cancel.cancel();
  });
  return timer;
}
