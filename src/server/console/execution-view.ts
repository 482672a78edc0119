/*
 * What the console shows of one execution: its diagram with the path drawn by render's code, each
 * state's visits (attempts, retries with their errors and back-off, a Catch taken, Map iterations
 * and Parallel branches, input and output), the callbacks it waits for, and its history.
 */
import { type HistoryEvent, detailsOf, isEntered, isExited, stateNameOf, TASK_FAILURE, TASK_SCHEDULED, TASK_SUCCEEDED } from '../../asl/history-events';
import { executionPath } from '../../render';
import { renderSvgWithPath } from '../../render/html';
import { SVG_STYLE } from '../../render/svg';
import { ExecutionHistory, renderEvent } from '../execution-history';
import type { ExecutionRecord } from '../model';
import type { StepFunctionsService } from '../service';

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
  readonly input?: string;
  readonly output?: string;
  readonly attempts: AttemptView[];
  /** The error the state failed with when a Catch sent the execution on (its StateExited followed a failure). */
  caught?: { readonly error?: string; readonly cause?: string };
  /** The enclosing Parallel or Map state whose Catch took this state's error (its branch or iteration failed with it). */
  caughtBy?: string;
  /** Map iterations or Parallel branches started, succeeded, failed, aborted. */
  readonly children: { started: number; succeeded: number; failed: number; aborted: number };
  /** The visit of the Map or Parallel state this one ran in. */
  readonly parent?: number;
}

/** A task token the execution waits for, with the state that handed it out. */
export interface WaitingCallback {
  readonly token: string;
  readonly state?: string;
}

/** A state as render's reading of the history sums it up. */
export interface StateSummary {
  readonly name: string;
  readonly entered: number;
  readonly retries: number;
  readonly failed: boolean;
  readonly caught: boolean;
}

/** One page of an execution's history, the events that match a search (all when there is none). */
export interface EventsPage {
  /** Events in the whole history. */
  readonly total: number;
  /** Events that match the search. */
  readonly matching: number;
  readonly offset: number;
  readonly query: string;
  readonly events: Record<string, unknown>[];
}

/** The console's page of an execution: what it shows first (the history comes a page at a time). */
export interface ExecutionView {
  readonly execution: Record<string, unknown>;
  readonly svg: string;
  /** Per state: times entered and retried (render's reading of the history). */
  readonly states: StateSummary[];
  readonly waiting: WaitingCallback[];
  /** The states a running execution is in now (entered, not left), outermost first; none once it stopped. */
  readonly running: string[];
  readonly eventCount: number;
  /** The first page of the history (of the events that match the search asked for). */
  readonly events: EventsPage;
}

/** The visits of one state, the first `limit` of them, each naming the Map or Parallel state it ran in. */
export interface StateVisits {
  readonly state: string;
  readonly total: number;
  readonly visits: (VisitView & { readonly parentState?: string })[];
}

/** The events that end an execution (a redrive starts it again). */
const EXECUTION_ENDED = /^Execution(Succeeded|Failed|Aborted|TimedOut)$/;

/** The longest search of the history read; a longer one is cut to this. */
export const MAX_QUERY = 256;

const CHILD_EVENTS: ReadonlyMap<string, keyof VisitView['children']> = new Map([
  ['MapIterationStarted', 'started'], ['MapIterationSucceeded', 'succeeded'], ['MapIterationFailed', 'failed'], ['MapIterationAborted', 'aborted'],
  ['ParallelStateStarted', 'started'],
]);

/**
 * What the console reads of one execution as it stands (`version`: its status, history length and
 * redrive count), each part worked out when first asked and kept: the history's events, the
 * diagram and its per-state summary, the visits, the text each event is searched by. A history
 * only grows, so the next digest of the same execution starts from this one's events and texts.
 */
export class ExecutionDigest {
  private readonly raw: HistoryEvent[];
  private readonly texts: string[];
  private summaryCache: Omit<ExecutionView, 'events'> | undefined;
  private visitsCache: VisitView[] | undefined;

  constructor(
    private readonly service: StepFunctionsService, private readonly record: ExecutionRecord,
    readonly version: string, previous?: ExecutionDigest,
  ) {
    const history = new ExecutionHistory(record);
    const kept = previous?.reusableFor(history) ?? 0;
    this.raw = kept > 0 ? previous!.raw.slice(0, kept) : [];
    for (let i = this.raw.length; i < history.length; i++) this.raw.push(history.eventAt(i));
    this.texts = previous && kept > 0 ? previous.texts.slice(0, Math.min(kept, previous.texts.length)) : [];
  }

  /** The execution, its diagram with the path and per-state summary, the callbacks it waits for. */
  summary(): Omit<ExecutionView, 'events'> {
    if (this.summaryCache) return this.summaryCache;
    const record = this.record;
    const definition = record.revision.parsed;
    const run = { status: record.status, ...errorFields(record), history: this.raw };
    // One reading of the history for both the diagram and the summary. The page's policy allows no
    // inline style: the diagram's style sheet comes with the console's (app.css).
    const drawn = renderSvgWithPath(definition, { run, name: record.machine.name });
    const svg = drawn.svg.replace(`<style>${SVG_STYLE}</style>`, '');
    const path = drawn.path ?? executionPath(definition, run);
    const names = new Set<string>([...Object.keys(path.states), ...Object.keys(path.retries)]);
    const failures = path.failures ?? {};
    const states = [...names].map((name) => {
      const failure = Object.hasOwn(failures, name) ? failures[name] : undefined;
      return {
        name,
        entered: Object.hasOwn(path.states, name) ? path.states[name] : 0,
        retries: Object.hasOwn(path.retries, name) ? path.retries[name] : 0,
        failed: path.failedState === name || failure !== undefined,
        caught: (failure?.caught ?? 0) > 0,
      };
    });
    this.summaryCache = {
      execution: describe(record),
      svg,
      states,
      waiting: record.status === 'RUNNING' ? waitingCallbacks(this.service, record, this.raw, this.visits()) : [],
      running: record.status === 'RUNNING' ? [...new Set(this.visits().filter((v) => v.exited === undefined).map((v) => v.state))] : [],
      eventCount: this.raw.length,
    };
    return this.summaryCache;
  }

  /** The page's first answer: the summary and the first page of the history. */
  view(query: string, limit: number): ExecutionView {
    return { ...this.summary(), events: this.events(query, 0, limit) };
  }

  /**
   * `limit` events from `offset` among those whose id, type or details contain `query` (any case),
   * AWS-shaped as GetExecutionHistory gives them.
   */
  events(query: string, offset: number, limit: number): EventsPage {
    const q = query.slice(0, MAX_QUERY).toLowerCase();
    const events: Record<string, unknown>[] = [];
    if (q === '') {
      for (let i = offset; i < this.raw.length && events.length < limit; i++) events.push(renderEvent(this.raw[i], this.record, true));
      return { total: this.raw.length, matching: this.raw.length, offset, query: q, events };
    }
    this.indexTexts();
    let matching = 0;
    for (let i = 0; i < this.raw.length; i++) {
      if (!this.texts[i].includes(q)) continue;
      if (matching >= offset && events.length < limit) events.push(renderEvent(this.raw[i], this.record, true));
      matching++;
    }
    return { total: this.raw.length, matching, offset, query: q, events };
  }

  /** The first `limit` visits of `state`. */
  visitsOf(state: string, limit: number): StateVisits {
    const all = this.visits();
    const visits: StateVisits['visits'] = [];
    let total = 0;
    for (const v of all) {
      if (v.state !== state) continue;
      total++;
      if (visits.length < limit) visits.push(v.parent !== undefined ? { ...v, parentState: all[v.parent].state } : v);
    }
    return { state, total, visits };
  }

  private visits(): VisitView[] {
    return this.visitsCache ??= visitsOf(this.raw);
  }

  /** The text each event is searched by: its id, type and details, lower case. */
  private indexTexts(): void {
    for (let i = this.texts.length; i < this.raw.length; i++) {
      const rendered = renderEvent(this.raw[i], this.record, true);
      let details = '';
      for (const key of Object.keys(rendered)) if (key.endsWith('EventDetails')) details = JSON.stringify(rendered[key]);
      this.texts.push(`${this.raw[i].id} ${this.raw[i].type} ${details}`.toLowerCase());
    }
  }

  /** How many of this digest's events a digest of `history` may keep: the history grew, and its events so far are these. */
  private reusableFor(history: ExecutionHistory): number {
    const n = this.raw.length;
    if (n === 0 || n > history.length) return 0;
    return history.typeAt(n - 1) === this.raw[n - 1].type ? n : 0;
  }
}

/** The execution's own fields, as DescribeExecution names them (dates as ISO strings). */
export function describe(e: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: e.arn,
    stateMachineArn: e.machine.arn,
    stateMachineName: e.machine.name,
    type: e.machine.type,
    name: e.name,
    status: e.status,
    startDate: new Date(e.startDate).toISOString(),
    ...(e.stopDate !== undefined ? { stopDate: new Date(e.stopDate).toISOString() } : {}),
    input: e.input,
    ...(e.output !== undefined ? { output: e.output } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
    ...(e.versionArn ? { stateMachineVersionArn: e.versionArn } : {}),
    ...(e.aliasArn ? { stateMachineAliasArn: e.aliasArn } : {}),
    redriveCount: e.redriveCount,
  };
}

interface Event {
  readonly id: number;
  readonly previousEventId: number;
  readonly type: string;
  readonly timestamp: Date;
  readonly [details: string]: unknown;
}

/**
 * Each state visit, found by following `previousEventId`: an event belongs to the visit of the
 * event before it, until that visit exits; a state entered after an exit is a sibling of the
 * state exited, one entered inside a Map iteration or a Parallel branch a child of that state.
 */
function visitsOf(events: readonly Event[]): VisitView[] {
  type Failure = { at: number; error?: string; cause?: string; origin?: number };
  const visits: (VisitView & { exitedFlag: boolean; lastFailure?: Failure })[] = [];
  const visitOfEvent = new Map<number, number>();
  const owner = (previous: number): number | undefined => {
    let v = visitOfEvent.get(previous);
    while (v !== undefined && visits[v].exitedFlag) v = visits[v].parent;
    return v;
  };
  for (const e of events) {
    if (EXECUTION_ENDED.test(e.type)) {
      // The states it was in end with it; a redrive enters them anew.
      for (const v of visits) {
        if (v.exitedFlag) continue;
        Object.assign(v, { exited: e.timestamp.toISOString() });
        v.exitedFlag = true;
      }
      continue;
    }
    let current = owner(e.previousEventId);
    // A `<Type>State…` event is its state's own (`ParallelStateFailed` follows the failure inside a branch):
    // the visits it passes on the way up ended with that failure.
    let failedInside: number | undefined;
    const kind = /^([A-Z][A-Za-z]*?)State(Exited|Failed|Aborted|Succeeded)$/.exec(e.type)?.[1];
    while (kind !== undefined && current !== undefined && visits[current].type !== kind && visits[current].parent !== undefined) {
      failedInside ??= current;
      Object.assign(visits[current], { exited: e.timestamp.toISOString() });
      visits[current].exitedFlag = true;
      current = visits[current].parent;
    }
    if (isEntered(e)) {
      const d = detailsOf(e) as { name?: string; input?: string } | undefined;
      visits.push({
        state: stateNameOf(e) ?? '?',
        type: e.type.slice(0, -'StateEntered'.length),
        enteredId: e.id,
        entered: e.timestamp.toISOString(),
        ...(d?.input !== undefined ? { input: d.input } : {}),
        attempts: [],
        children: { started: 0, succeeded: 0, failed: 0, aborted: 0 },
        ...(current !== undefined ? { parent: current } : {}),
        exitedFlag: false,
      });
      visitOfEvent.set(e.id, visits.length - 1);
      continue;
    }
    if (current === undefined) continue;
    visitOfEvent.set(e.id, current);
    const visit = visits[current];
    const at = e.timestamp.getTime();
    if (TASK_SCHEDULED.has(e.type)) {
      const before = visit.lastFailure;
      visit.attempts.push({ eventId: e.id, scheduled: e.timestamp.toISOString(), outcome: 'running', ...(before ? { backoffMs: Math.max(0, at - before.at) } : {}) });
    } else if (TASK_SUCCEEDED.has(e.type) || TASK_FAILURE.test(e.type)) {
      const attempt = visit.attempts[visit.attempts.length - 1];
      const d = detailsOf(e) as { error?: string; cause?: string } | undefined;
      const failed = !TASK_SUCCEEDED.has(e.type);
      if (attempt && attempt.outcome === 'running') {
        visit.attempts[visit.attempts.length - 1] = {
          ...attempt,
          ended: e.timestamp.toISOString(),
          outcome: failed ? 'failed' : 'succeeded',
          ...(failed && d?.error !== undefined ? { error: d.error } : {}),
          ...(failed && d?.cause !== undefined ? { cause: d.cause } : {}),
        };
      }
      visit.lastFailure = failed ? { at, ...errorFields(d) } : undefined;
    } else if (e.type.endsWith('StateFailed') || e.type === 'MapRunFailed') {
      const own = errorFields(detailsOf(e) as { error?: string; cause?: string } | undefined);
      // A Parallel's or Map's failure has no details of its own: it is the error its branch or iteration failed with.
      const inner = failedInside ?? visitOfEvent.get(e.previousEventId);
      const child = inner !== undefined && inner !== current ? visits[inner] : undefined;
      const from = own.error === undefined && own.cause === undefined && child?.lastFailure ? child.lastFailure : undefined;
      visit.lastFailure = { at, ...(from ? errorFields(from) : own), ...(child ? { origin: child.lastFailure?.origin ?? inner } : {}) };
    } else if (e.type.endsWith('StateAborted')) {
      Object.assign(visit, { exited: e.timestamp.toISOString() });
      visit.exitedFlag = true;
    } else if (CHILD_EVENTS.has(e.type)) {
      visit.children[CHILD_EVENTS.get(e.type)!]++;
    } else if (isExited(e)) {
      const d = detailsOf(e) as { output?: string } | undefined;
      Object.assign(visit, { exited: e.timestamp.toISOString(), ...(d?.output !== undefined ? { output: d.output } : {}) });
      if (visit.lastFailure) {
        visit.caught = errorFields(visit.lastFailure);
        const origin = visit.lastFailure.origin;
        if (origin !== undefined && origin !== current) visits[origin].caughtBy = visit.state;
      }
      visit.exitedFlag = true;
    }
  }
  return visits.map(({ exitedFlag: _e, lastFailure: _f, ...v }) => v);
}

/** The task tokens handed out to this execution whose Task has not ended, with the state that holds each. */
function waitingCallbacks(
  service: StepFunctionsService, record: ExecutionRecord, events: readonly Event[], visits: readonly VisitView[],
): WaitingCallback[] {
  if (record.status !== 'RUNNING') return [];
  const open = new Map<number, string>();
  for (const v of visits) {
    const last = v.attempts[v.attempts.length - 1];
    if (v.exited === undefined && last?.outcome === 'running') open.set(last.eventId, v.state);
  }
  const out: WaitingCallback[] = [];
  for (const [token, owner] of service.router.tokens) {
    if (owner.record !== record) continue;
    let state: string | undefined;
    for (const [eventId, name] of open) {
      const scheduled = events[eventId - 1];
      if (scheduled && JSON.stringify(detailsOf(scheduled) ?? {}).includes(token)) state = name;
    }
    if (state !== undefined) out.push({ token, state });
  }
  return out;
}

/** `error` and `cause` of an event's details (or a record), only those present. */
function errorFields(from: { error?: string; cause?: string } | undefined): { error?: string; cause?: string } {
  return { ...(from?.error !== undefined ? { error: from.error } : {}), ...(from?.cause !== undefined ? { cause: from.cause } : {}) };
}
