import type { DiagramGraph } from './graph';
import { nameOf, type HistoryEventLike } from './history';
import { record } from './records';
import type { MapState, StateType } from '../asl';
import { errorOf, isEntered, isExited, TASK_FAILURE, TASK_SCHEDULED } from '../asl/history-events';
import { ownValue } from '../asl/own';
import { declaresTolerance } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';

/**
 * How a state's visits ended in an error that its Retry did not recover:
 * the Task that raised it, a Parallel or Map whose branch or iteration
 * failed, a Fail state — whether or not its Catch then handled the error.
 */
export interface StateFailure {
  /** Visits that ended in an error. */
  readonly count: number;
  /** Of those, the visits whose error the state's Catch handled. */
  readonly caught: number;
  /** The name of the last of those errors, when the history records it. */
  readonly error?: string;
}

/** An error a Catch handled: the state that raised it, and its name when the history records it. */
export interface CaughtError {
  readonly state: string;
  readonly error?: string;
}

/** One entry into a state and how it went. */
interface Visit {
  readonly name: string;
  readonly type?: StateType;
  /** The entered event. */
  readonly id: number;
  /** The visit has an error its Retry has not recovered (yet). */
  failing: boolean;
  error?: string;
  exited: boolean;
  /** Stopped because a sibling branch or iteration failed. */
  stopped: boolean;
  /** Ended for good: a Parallel or Map that failed, a Task whose failure ended its branch. */
  closed: boolean;
}

/**
 * Follows an execution's history visit by visit and tells, per state, the
 * visits that ended in an error and those whose error its Catch handled.
 * With the history's links (`previousEventId`), a Parallel's or Map's
 * failure is put on the visit its chain of events leads back to; without
 * them, on the latest visit of a Parallel or Map still open.
 * @internal
 */
export class FailureTracker {
  private readonly visits = new Map<number, Visit>();
  private readonly order: Visit[] = [];

  constructor(
    private readonly graph: DiagramGraph,
    private readonly byId: ReadonlyMap<number, HistoryEventLike>,
    private readonly linked: boolean,
  ) {}

  /** A state entered: a visit begins. A Fail state's visit raises its error as it begins. */
  entered(e: HistoryEventLike, name: string): void {
    const state = this.graph.states.get(name);
    const visit: Visit = { name, id: e.id, failing: false, exited: false, stopped: false, closed: false, ...(state ? { type: state.type } : {}) };
    if (state?.type === 'Fail') {
      visit.failing = true;
      visit.closed = true;
      const error = (state.definition as { Error?: unknown }).Error;
      if (typeof error === 'string') visit.error = error;
    }
    this.visits.set(e.id, visit);
    this.order.push(visit);
  }

  /**
   * Any other event. `owner` is the entered event of the visit the event
   * belongs to, when known; `ownFailureAbort` says that a `…StateAborted`
   * records the state's own failure ending its branch (not a sibling's).
   */
  event(e: HistoryEventLike, owner: HistoryEventLike | undefined, ownFailureAbort: boolean): void {
    const visit = owner ? this.visits.get(owner.id) : undefined;
    if (TASK_FAILURE.test(e.type) || e.type === 'EvaluationFailed') {
      if (!visit) return;
      visit.failing = true;
      const error = errorOf(e);
      if (error !== undefined) visit.error = error;
      else delete visit.error;
    } else if (TASK_SCHEDULED.has(e.type)) {
      // A new attempt: the failure before it was retried.
      if (visit?.failing && !visit.closed) {
        visit.failing = false;
        delete visit.error;
      }
    } else if (e.type === 'ParallelStateFailed' || e.type === 'MapStateFailed') {
      const container = this.container(e, e.type === 'ParallelStateFailed' ? 'Parallel' : 'Map');
      if (!container) return;
      container.failing = true;
      container.closed = true;
      const error = this.containerError(container, e);
      if (error !== undefined) container.error = error;
    } else if (isExited(e)) {
      const name = nameOf(e);
      const exiting = visit && visit.name === name && !visit.exited ? visit : this.latest((v) => v.name === name && !v.exited);
      if (exiting) exiting.exited = true;
    } else if (e.type.endsWith('StateAborted') && visit) {
      if (ownFailureAbort) visit.closed = true;
      else visit.stopped = true;
    }
  }

  /**
   * Per state, the visits that ended in an error. `settled` says the
   * execution succeeded or failed: a failure not followed by a Catch then
   * ended its branch or the execution, while in a running, timed-out or
   * aborted one it may only have been waiting for its retry.
   */
  failures(settled: boolean): Record<string, StateFailure> {
    const out = record<{ count: number; caught: number; error?: string }>();
    for (const v of this.order) {
      if (!v.failing || v.stopped) continue;
      if (!v.exited && !v.closed && !settled) continue;
      const f = ownValue(out, v.name) ?? (out[v.name] = { count: 0, caught: 0 });
      f.count++;
      if (v.exited) f.caught++;
      if (v.error !== undefined) f.error = v.error;
    }
    return out;
  }

  /**
   * For an execution that ended in Fail state `name`: the nearest visit before it, in the Fail
   * state's own scope, whose error a Catch handled — the Task whose error started a Saga's
   * compensation, which the Fail state then ends.
   */
  caughtBefore(name: string): CaughtError | undefined {
    const fail = this.graph.states.get(name);
    if (fail?.type !== 'Fail') return undefined;
    let at = this.order.length - 1;
    while (at >= 0 && this.order[at].name !== name) at--;
    for (let i = at - 1; i >= 0; i--) {
      const v = this.order[i];
      if (this.graph.states.get(v.name)?.scope !== fail.scope) continue;
      if (v.failing && v.exited && !v.stopped) return { state: v.name, ...(v.error !== undefined ? { error: v.error } : {}) };
    }
    return undefined;
  }

  /** The latest visit that `test` accepts. */
  private latest(test: (v: Visit) => boolean): Visit | undefined {
    for (let i = this.order.length - 1; i >= 0; i--) if (test(this.order[i])) return this.order[i];
    return undefined;
  }

  /** Steps back along the history's links from `e`, at most as many as the history has events (a cyclic one ends). */
  private *chain(e: HistoryEventLike): Generator<HistoryEventLike> {
    let at = this.byId.get(e.previousEventId ?? -1);
    for (let steps = 0; at && steps <= this.byId.size; steps++) {
      yield at;
      at = this.byId.get(at.previousEventId ?? -1);
    }
  }

  /** The Parallel or Map visit a `…StateFailed` event ends. */
  private container(e: HistoryEventLike, type: 'Parallel' | 'Map'): Visit | undefined {
    const open = (v: Visit | undefined): v is Visit => v !== undefined && v.type === type && !v.closed && !v.exited;
    if (this.linked) {
      for (const at of this.chain(e)) {
        const v = isEntered(at) ? this.visits.get(at.id) : undefined;
        if (open(v)) return v;
      }
    }
    return this.latest(open);
  }

  /**
   * The error a Parallel or Map failed with: past its tolerated failures, a
   * Map fails with States.ExceedToleratedFailureThreshold; else with the
   * error of the branch or iteration that failed, found on the chain of
   * events before its `…StateFailed` (or, without links, the latest error
   * raised inside it).
   */
  private containerError(container: Visit, e: HistoryEventLike): string | undefined {
    const definition = this.graph.states.get(container.name)?.definition;
    if (container.type === 'Map' && definition && declaresTolerance(definition as MapState)) return StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD;
    if (this.linked) {
      for (const at of this.chain(e)) {
        const error = errorOf(at);
        if (error !== undefined) return error;
        if (!isEntered(at)) continue;
        const v = this.visits.get(at.id);
        if (v === container) return undefined;
        if (v?.failing && v.error !== undefined) return v.error;
      }
      return undefined;
    }
    const inner = this.latest((v) => v !== container && v.failing && v.error !== undefined && this.inside(v.name, container.name));
    return inner?.error;
  }

  /** True when state `name` sits, at any depth, in a branch or item processor of `container`. */
  private inside(name: string, container: string): boolean {
    for (let scope = this.graph.states.get(name)?.scope; scope !== undefined;) {
      const owner = this.graph.scopes.get(scope)!.owner;
      if (owner === container) return true;
      scope = this.graph.states.get(owner)?.scope;
    }
    return false;
  }
}
