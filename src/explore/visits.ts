import { eventOwners, type ById } from './trace';
import type { JsonValue } from '../asl';
import { detailsOf, errorOf, isEntered, isExited, stateNameOf, TASK_SCHEDULED, TASK_SUCCEEDED, type HistoryEvent } from '../asl/history-events';

/** Events that end a state's attempt well: a call, or a Parallel's or Map's branches. */
const ATTEMPT_OK = new Set([...TASK_SUCCEEDED, 'ParallelStateSucceeded', 'MapStateSucceeded']);

/**
 * Where a visit's raw input came from: the execution input, the output of
 * the visit before it, a Map iteration's item, or a Parallel branch's input.
 */
export type VisitLink =
  | { readonly kind: 'start' }
  | { readonly kind: 'after'; readonly visit: Visit }
  | { readonly kind: 'iteration'; readonly map: Visit; readonly index: number | undefined }
  | { readonly kind: 'branch'; readonly parallel: Visit };

/** One entry into a state, read back from the history. */
export class Visit {
  /** Events of this visit after its entry, its exit included. */
  readonly events: HistoryEvent[] = [];
  /** The visit's link to what produced its input (set once the history is read). */
  link: VisitLink = { kind: 'start' };
  /** The StateExited event, when the state exited. */
  exited: HistoryEvent | undefined;
  /** The visit that came next in the same branch, when one did. */
  next: Visit | undefined;
  /** The invocation numbers (per state, 0-based) of the calls this visit made, in order. */
  readonly calls: number[] = [];
  /** For a Map: the last visit of each iteration that succeeded, by index. */
  readonly iterationEnds = new Map<number, Visit>();
  /** The visits that ran inside this one (a Parallel's branches, a Map's iterations). */
  readonly children: Visit[] = [];
  private parsedInput: JsonValue | undefined;
  private parsedAssigned: Map<string, JsonValue> | undefined;

  constructor(
    /** Order of entry, 0-based. */
    readonly index: number,
    readonly entered: HistoryEvent,
    readonly name: string,
    /** The Parallel or Map visit it runs in. */
    readonly parent: Visit | undefined,
  ) {}

  /** The state's raw input. */
  get input(): JsonValue {
    if (this.parsedInput === undefined) this.parsedInput = parseDoc(detailsOf(this.entered)?.input as string | undefined);
    return this.parsedInput;
  }

  /** The state's output, when it exited. */
  get output(): JsonValue | undefined {
    if (!this.exited) return undefined;
    return parseDoc(detailsOf(this.exited)?.output as string | undefined);
  }

  /** The variables the state assigned as it exited. */
  get assigned(): ReadonlyMap<string, JsonValue> {
    if (this.parsedAssigned) return this.parsedAssigned;
    const raw = (this.exited && detailsOf(this.exited))?.assignedVariables as Record<string, string> | undefined;
    const out = new Map<string, JsonValue>();
    if (raw) for (const name of Object.keys(raw)) out.set(name, parseDoc(raw[name]));
    this.parsedAssigned = out;
    return out;
  }

  /** The result of the call that succeeded last in this visit (a Task's result as the state saw it). */
  get result(): JsonValue | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i];
      if (TASK_SUCCEEDED.has(e.type)) return parseDoc(detailsOf(e)?.output as string | undefined);
    }
    return undefined;
  }

  /**
   * How the visit's last attempt ended: `ok`, an error (its name), or
   * `undefined` for states that make no attempt (Pass, Choice, ...).
   */
  get outcome(): { ok: true } | { ok: false; error: string } | undefined {
    let last: { ok: true } | { ok: false; error: string } | undefined;
    for (const e of this.events) {
      if (ATTEMPT_OK.has(e.type)) {last = { ok: true };} else {
        const error = errorOf(e);
        if (error !== undefined && !e.type.startsWith('Execution')) last = { ok: false, error };
        else if (e.type === 'ParallelStateFailed' || e.type === 'MapStateFailed') last = { ok: false, error: last && !last.ok ? last.error : '' };
      }
    }
    return last;
  }

  /** True when the state failed and a Catch took the execution on (it exited after an error). */
  get caught(): boolean {
    const o = this.outcome;
    return this.exited !== undefined && o !== undefined && !o.ok;
  }
}

/** A run's history read as visits. */
export interface RunVisits {
  readonly visits: readonly Visit[];
  /** Visits by state name, in entry order. */
  readonly byState: ReadonlyMap<string, readonly Visit[]>;
  /** The execution input. */
  readonly input: JsonValue;
}

function parseDoc(text: string | undefined): JsonValue {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return null;
  }
}

/**
 * Reads a history into visits: each state entry with its events, what its
 * input came from, and the invocation number of each call it made (the n-th
 * call of a state in history order is its n-th invocation, as the mocks
 * count them).
 */
export function readVisits(history: readonly HistoryEvent[]): RunVisits {
  // Once per history, as eventOwners: the engine, the entry failures and the Choice trace each ask.
  const held = VISITS.get(history);
  if (held !== undefined && held.length === history.length) return held.visits;
  const visits = visitsOf(history);
  VISITS.set(history, { length: history.length, visits });
  return visits;
}

/** The visits read from each history, by the history (and its length, should a caller add to it). */
const VISITS = new WeakMap<readonly HistoryEvent[], { readonly length: number; readonly visits: RunVisits }>();

/**
 * True once the visits of `history` have been read: a loop's run has 25,000 events, and a reader
 * that needs less than its visits (the entry failures) must not make them.
 * @internal
 */
export function visitsRead(history: readonly HistoryEvent[]): boolean {
  return VISITS.get(history)?.length === history.length;
}

function visitsOf(history: readonly HistoryEvent[]): RunVisits {
  const { byId, owner, parent } = eventOwners(history);
  const visits: Visit[] = [];
  const byEntered = new Map<number, Visit>();
  const byState = new Map<string, Visit[]>();
  const callCount = new Map<string, number>();
  let input: JsonValue = null;
  for (const e of history) {
    if (e.type === 'ExecutionStarted') {
      input = parseDoc(detailsOf(e)?.input as string | undefined);
      continue;
    }
    if (isEntered(e)) {
      const name = stateNameOf(e) ?? '';
      const up = byEntered.get(parent.get(e.id) ?? 0);
      const visit = new Visit(visits.length, e, name, up);
      visits.push(visit);
      byEntered.set(e.id, visit);
      up?.children.push(visit);
      const list = byState.get(name);
      if (list) list.push(visit);
      else byState.set(name, [visit]);
      visit.link = linkOf(e, byId, owner, byEntered, up);
      if (visit.link.kind === 'after') visit.link.visit.next = visit;
      continue;
    }
    const visit = byEntered.get(owner.get(e.id) ?? 0);
    if (!visit) continue;
    visit.events.push(e);
    if (isExited(e)) visit.exited = e;
    if (TASK_SCHEDULED.has(e.type)) {
      const n = callCount.get(visit.name) ?? 0;
      callCount.set(visit.name, n + 1);
      visit.calls.push(n);
    }
    if (e.type === 'MapIterationSucceeded') {
      const index = detailsOf(e)?.index;
      const last = byEntered.get(owner.get(e.previousEventId) ?? 0);
      if (typeof index === 'number' && last) visit.iterationEnds.set(index, last);
    }
  }
  return { visits, byState, input };
}

function linkOf(
  e: HistoryEvent, byId: ById<HistoryEvent>, owner: ById<number>,
  byEntered: ReadonlyMap<number, Visit>, up: Visit | undefined,
): VisitLink {
  const prev = byId.get(e.previousEventId);
  if (!prev) return up ? unknownIteration(up) : { kind: 'start' };
  if (isExited(prev)) {
    const before = byEntered.get(owner.get(prev.id) ?? 0);
    if (before) return { kind: 'after', visit: before };
  }
  if (prev.type === 'MapIterationStarted' && up) {
    const index = detailsOf(prev)?.index;
    return { kind: 'iteration', map: up, index: typeof index === 'number' ? index : undefined };
  }
  if (prev.type === 'ParallelStateStarted' && up) return { kind: 'branch', parallel: up };
  return up ? unknownIteration(up) : { kind: 'start' };
}

/** The first state of a child whose start the history does not mark (a DISTRIBUTED Map's iteration). */
function unknownIteration(up: Visit): VisitLink {
  return up.entered.type === 'ParallelStateEntered' ? { kind: 'branch', parallel: up } : { kind: 'iteration', map: up, index: undefined };
}

/** The variables a visit sees when it starts: the latest assignment of each, along what ran before it. */
export function variablesAt(v: Visit): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  const seen = new Set<string>();
  let cur = v;
  for (let hops = 0; hops < 100_000; hops++) {
    const link = cur.link;
    if (link.kind === 'start') break;
    if (link.kind === 'after') {
      for (const [name, value] of link.visit.assigned) {
        if (seen.has(name)) continue;
        seen.add(name);
        Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      }
      cur = link.visit;
    } else {
      cur = link.kind === 'iteration' ? link.map : link.parallel;
    }
  }
  return out;
}
