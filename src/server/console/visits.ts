/*
 * Each visit of each state of an execution, read from its history one event at a time as the
 * history grows: the console adds the events recorded since it last looked, never reading the
 * whole history again. A visit keeps where its input and output are, not the text of them:
 * the state panel writes out the payloads of the visits it shows, within a budget.
 */
import { type HistoryEvent, detailsOf, isEntered, isExited, stateNameOf, TASK_FAILURE, TASK_SCHEDULED, TASK_SUCCEEDED } from '../../asl/history-events';

/** One attempt of a Task: when it was scheduled, and how it ended. */
export interface AttemptView {
  readonly eventId: number;
  readonly scheduled: string;
  readonly ended?: string;
  readonly outcome: 'running' | 'succeeded' | 'failed';
  readonly error?: string;
  readonly cause?: string;
  /** Milliseconds between the failure of the attempt before and this one (the retry's back-off). */
  readonly backoffMs?: number;
}

/** One entry into a state, to its exit (or now). */
export interface VisitView {
  readonly state: string;
  readonly type: string;
  readonly enteredId: number;
  readonly entered: string;
  readonly exited?: string;
  /** Its input as JSON text, when the panel's budget had room for it. */
  readonly input?: string;
  /** Its output as JSON text, when it exited and the panel's budget had room for it. */
  readonly output?: string;
  /** Left out: the payloads the panel's budget had no room for. */
  readonly payloadsLeftOut?: boolean;
  readonly attempts: readonly AttemptView[];
  /** The error the state failed with when a Catch sent the execution on (its StateExited followed a failure). */
  readonly caught?: { readonly error?: string; readonly cause?: string };
  /** The enclosing Parallel or Map state whose Catch took this state's error (its branch or iteration failed with it). */
  readonly caughtBy?: string;
  /** Map iterations or Parallel branches started, succeeded, failed, aborted. */
  readonly children: { readonly started: number; readonly succeeded: number; readonly failed: number; readonly aborted: number };
  /** The Map Run a DISTRIBUTED Map's visit started: its child executions are executions of their own. */
  readonly mapRunArn?: string;
  /** The Map or Parallel state this one ran in. */
  readonly parentState?: string;
}

/** The visits of one state, the first of them with their payloads. */
export interface StateVisits {
  readonly state: string;
  readonly total: number;
  readonly visits: VisitView[];
}

/** A visit as the log keeps it. */
interface Visit {
  readonly state: string;
  readonly type: string;
  readonly enteredId: number;
  readonly entered: string;
  /** The id of its StateExited event (none when it ended with a failure, an abort or its execution). */
  exitedId?: number;
  /** When it ended, however it ended. */
  exited?: string;
  readonly attempts: AttemptView[];
  caught?: { error?: string; cause?: string };
  caughtBy?: string;
  readonly children: { started: number; succeeded: number; failed: number; aborted: number };
  mapRunArn?: string;
  readonly parent?: number;
  lastFailure?: Failure;
}

/** A failure a visit ended with; `origin` is the visit inside a Parallel or Map it came from. */
interface Failure {
  readonly at: number;
  readonly error?: string;
  readonly cause?: string;
  readonly origin?: number;
}

/** The events that end an execution (a redrive starts it again). */
const EXECUTION_ENDED = /^Execution(Succeeded|Failed|Aborted|TimedOut)$/;

/** A state's own ending event (`ParallelStateFailed`), with the state's type. */
const STATE_ENDED = /^([A-Z][A-Za-z]*?)State(Exited|Failed|Aborted|Succeeded)$/;

const CHILD_EVENTS: ReadonlyMap<string, keyof Visit['children']> = new Map([
  ['MapIterationStarted', 'started'], ['MapIterationSucceeded', 'succeeded'], ['MapIterationFailed', 'failed'], ['MapIterationAborted', 'aborted'],
  ['ParallelStateStarted', 'started'],
]);

/**
 * The visits of an execution so far. Each event joins the visit of the event before it
 * (`previousEventId`) until that visit exits; a state entered after an exit is a sibling of the
 * state exited, one entered inside a Map iteration or a Parallel branch a child of that state.
 */
export class VisitLog {
  private readonly visits: Visit[] = [];
  private readonly visitOfEvent = new Map<number, number>();

  /** Adds the next event of the history. */
  add(e: HistoryEvent): void {
    if (EXECUTION_ENDED.test(e.type)) {
      // The states it was in end with it; a redrive enters them anew.
      for (const v of this.visits) v.exited ??= e.timestamp.toISOString();
      return;
    }
    let current = this.owner(e.previousEventId);
    // A `<Type>State…` event is its state's own (`ParallelStateFailed` follows the failure inside a branch):
    // the visits it passes on the way up ended with that failure.
    let failedInside: number | undefined;
    const kind = STATE_ENDED.exec(e.type)?.[1];
    while (kind !== undefined && current !== undefined && this.visits[current].type !== kind && this.visits[current].parent !== undefined) {
      failedInside ??= current;
      this.visits[current].exited ??= e.timestamp.toISOString();
      current = this.visits[current].parent;
    }
    if (isEntered(e)) {
      this.visits.push({
        state: stateNameOf(e) ?? '?',
        type: e.type.slice(0, -'StateEntered'.length),
        enteredId: e.id,
        entered: e.timestamp.toISOString(),
        attempts: [],
        children: { started: 0, succeeded: 0, failed: 0, aborted: 0 },
        ...(current !== undefined ? { parent: current } : {}),
      });
      this.visitOfEvent.set(e.id, this.visits.length - 1);
      return;
    }
    if (current === undefined) return;
    this.visitOfEvent.set(e.id, current);
    const visit = this.visits[current];
    const at = e.timestamp.getTime();
    const d = detailsOf(e) as { error?: string; cause?: string } | undefined;
    if (TASK_SCHEDULED.has(e.type)) {
      const before = visit.lastFailure;
      visit.attempts.push({ eventId: e.id, scheduled: e.timestamp.toISOString(), outcome: 'running', ...(before ? { backoffMs: Math.max(0, at - before.at) } : {}) });
    } else if (TASK_SUCCEEDED.has(e.type) || TASK_FAILURE.test(e.type)) {
      const attempt = visit.attempts[visit.attempts.length - 1];
      const failed = !TASK_SUCCEEDED.has(e.type);
      if (attempt && attempt.outcome === 'running') {
        visit.attempts[visit.attempts.length - 1] = {
          ...attempt,
          ended: e.timestamp.toISOString(),
          outcome: failed ? 'failed' : 'succeeded',
          ...(failed ? errorFields(d) : {}),
        };
      }
      visit.lastFailure = failed ? { at, ...errorFields(d) } : undefined;
    } else if (e.type.endsWith('StateFailed') || e.type === 'MapRunFailed') {
      const own = errorFields(d);
      // A Parallel's or Map's failure has no details of its own: it is the error its branch or iteration failed with.
      const inner = failedInside ?? this.visitOfEvent.get(e.previousEventId);
      const child = inner !== undefined && inner !== current ? this.visits[inner] : undefined;
      const from = own.error === undefined && own.cause === undefined && child?.lastFailure ? child.lastFailure : undefined;
      visit.lastFailure = { at, ...(from ? errorFields(from) : own), ...(child ? { origin: child.lastFailure?.origin ?? inner } : {}) };
    } else if (e.type.endsWith('StateAborted')) {
      visit.exited = e.timestamp.toISOString();
    } else if (e.type === 'MapRunStarted' || e.type === 'MapRunRedriven') {
      const arn = (detailsOf(e) as { mapRunArn?: unknown } | undefined)?.mapRunArn;
      if (typeof arn === 'string') visit.mapRunArn = arn;
    } else if (CHILD_EVENTS.has(e.type)) {
      visit.children[CHILD_EVENTS.get(e.type)!]++;
    } else if (isExited(e)) {
      visit.exitedId = e.id;
      visit.exited = e.timestamp.toISOString();
      if (visit.lastFailure) {
        visit.caught = errorFields(visit.lastFailure);
        const origin = visit.lastFailure.origin;
        if (origin !== undefined && origin !== current) this.visits[origin].caughtBy = visit.state;
      }
    }
  }

  /** Per state: its visits, the Task attempts after the first, whether one failed and whether a Catch handled it. */
  counts(): Map<string, { entered: number; retries: number; failed: boolean; caught: boolean }> {
    const out = new Map<string, { entered: number; retries: number; failed: boolean; caught: boolean }>();
    for (const v of this.visits) {
      const c = out.get(v.state) ?? { entered: 0, retries: 0, failed: false, caught: false };
      c.entered++;
      c.retries += Math.max(0, v.attempts.length - 1);
      c.failed ||= v.caught !== undefined || v.attempts.some((a) => a.outcome === 'failed');
      c.caught ||= v.caught !== undefined;
      out.set(v.state, c);
    }
    return out;
  }

  /** Per Task attempt still running in a visit not exited: its scheduled event's id and the state. */
  openAttempts(): Map<number, string> {
    const open = new Map<number, string>();
    for (const v of this.visits) {
      const last = v.attempts[v.attempts.length - 1];
      if (v.exited === undefined && last?.outcome === 'running') open.set(last.eventId, v.state);
    }
    return open;
  }

  /** The states entered and not left, outermost first (each once). */
  running(): string[] {
    const names = new Set<string>();
    for (const v of this.visits) if (v.exited === undefined) names.add(v.state);
    return [...names];
  }

  /**
   * The first `limit` visits of `state`, each with its input and output written by `payload`
   * (the JSON text of the payload of the event with that id) until they pass `budget` bytes.
   */
  of(state: string, limit: number, payload: (eventId: number) => string | undefined, budget: number): StateVisits {
    const shown: VisitView[] = [];
    let total = 0;
    let bytes = 0;
    for (const v of this.visits) {
      if (v.state !== state) continue;
      total++;
      if (shown.length >= limit) continue;
      const input = bytes < budget ? payload(v.enteredId) : undefined;
      bytes += input?.length ?? 0;
      const output = v.exitedId !== undefined && bytes < budget ? payload(v.exitedId) : undefined;
      bytes += output?.length ?? 0;
      const leftOut = bytes >= budget && (input === undefined || (v.exitedId !== undefined && output === undefined));
      shown.push({
        state: v.state,
        type: v.type,
        enteredId: v.enteredId,
        entered: v.entered,
        ...(v.exited !== undefined ? { exited: v.exited } : {}),
        ...(input !== undefined ? { input } : {}),
        ...(output !== undefined ? { output } : {}),
        ...(leftOut ? { payloadsLeftOut: true } : {}),
        attempts: v.attempts,
        ...(v.caught !== undefined ? { caught: v.caught } : {}),
        ...(v.caughtBy !== undefined ? { caughtBy: v.caughtBy } : {}),
        children: v.children,
        ...(v.mapRunArn !== undefined ? { mapRunArn: v.mapRunArn } : {}),
        ...(v.parent !== undefined ? { parentState: this.visits[v.parent].state } : {}),
      });
    }
    return { state, total, visits: shown };
  }

  /** The visit an event with `previousEventId` belongs to: that event's, or the nearest one around it not exited. */
  private owner(previous: number): number | undefined {
    let v = this.visitOfEvent.get(previous);
    while (v !== undefined && this.visits[v].exited !== undefined) v = this.visits[v].parent;
    return v;
  }
}

/** `error` and `cause` of an event's details (or a failure), only those present. */
export function errorFields(from: { error?: string; cause?: string } | undefined): { error?: string; cause?: string } {
  return { ...(from?.error !== undefined ? { error: from.error } : {}), ...(from?.cause !== undefined ? { cause: from.cause } : {}) };
}
