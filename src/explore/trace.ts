import type { ChoiceState, JsonValue, Retrier, StateDefinition, StateMachineDefinition } from '../asl';
import { errorMatches } from '../asl/error-rules';
import { ATTEMPT_STARTS, detailsOf, errorOf, isEntered, isExited, stateNameOf, TASK_SUCCEEDED, type HistoryEvent } from '../asl/history-events';
import { compilePath, followSteps } from '../asl/path';
import { allStates, declaresTolerance } from '../asl/state-tree';
import { STATE_DATA_ERRORS, StatesErrors } from '../asl/states-errors';
import type { ChildExecutionUsage } from '../interpreter';
import { compileRetrier } from '../interpreter/retry';

/**
 * What one execution exercised, read back from its history.
 * @internal
 */
export interface ExecutionTrace {
  /** States entered, with how often. */
  readonly states: Map<string, number>;
  /** `from -> to` transitions taken, including into start states (`^ -> S`). */
  readonly transitions: Map<string, number>;
  /** Choice branches taken: `Choice#0`, `Choice#default`. */
  readonly choices: Map<string, number>;
  /** Catch handlers that caught an error: `State#0`. */
  readonly catches: Map<string, number>;
  /** Retries by retrier: `State#0`. */
  readonly retriers: Map<string, number>;
  /**
   * Retriers after which an attempt of the state went well (its call answered, its branches or
   * iterations ended), and those put down to a failure of the state's own data: `State#0`. A
   * retry that only led to the same failure again shows nothing a run without the retrier would not.
   */
  readonly retriedThrough: Map<string, number>;
  /** Retries by state (every retrier together). */
  readonly retries: Map<string, number>;
  /**
   * Choice visits that went to a state several of their branches lead to:
   * which branch took them is known only by evaluating the rules on what the
   * visit saw (see traceRun), so they are not in `choices`.
   */
  readonly undecided: UndecidedChoice[];
}

/**
 * A Choice visit that left for a state more than one of its branches lead to.
 * @internal
 */
export interface UndecidedChoice {
  readonly state: string;
  /** The id of the visit's ChoiceStateEntered event. */
  readonly entered: number;
  /** The branches that lead where the visit went. */
  readonly candidates: ReadonlyArray<number | 'default'>;
}

/** Events after which the states of a new branch or Map iteration are entered. */
const BRANCH_STARTS = new Set(['ParallelStateStarted', 'MapIterationStarted']);

/**
 * The state type whose own events (no state name in them) these are: a
 * Parallel's or Map's start, end and iteration events, which the history
 * chains to the last event of a branch, not to the Parallel or Map itself.
 */
function containerOf(type: string): 'Parallel' | 'Map' | undefined {
  if (/^ParallelState(Started|Succeeded|Failed|Aborted)$/.test(type)) return 'Parallel';
  if (/^(MapState(Started|Succeeded|Failed|Aborted)|MapIteration[A-Za-z]+|MapRun[A-Za-z]+)$/.test(type)) return 'Map';
  return undefined;
}

/** A Parallel's or Map's attempt has ended: Succeeded, Failed or Aborted. */
function endsAttempt(type: string): boolean {
  return /^(Parallel|Map)State(Succeeded|Failed|Aborted)$/.test(type);
}

/** Failure events of a Parallel or Map; they carry no error, which is the one its branch raised. */
function isContainerFailure(type: string): boolean {
  return type === 'ParallelStateFailed' || type === 'MapStateFailed' || type === 'MapIterationFailed';
}

/** `Parallel` for `ParallelStateEntered`. */
function typeOfEntered(e: HistoryEvent): string {
  return e.type.slice(0, -'StateEntered'.length);
}

function stateName(e: HistoryEvent): string {
  return stateNameOf(e) ?? '';
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * Values by event id: a table of the ids when they are dense (a recorded history's are its
 * places, 1 to N), else a map. A loop's run has 25,000 events, which three maps of 25,000
 * entries made most of the time of reading them (and of the collector's).
 * @internal
 */
export interface ById<T> {
  get(id: number): T | undefined;
}

/** A {@link ById} the owners' walk writes. */
interface IdStore<T> extends ById<T> {
  set(id: number, value: T): unknown;
}

/**
 * Which state visit each event of a history belongs to, and which Parallel or
 * Map visit each visit runs inside, as {@link traceExecution} reads them.
 * @internal
 */
export interface EventOwners {
  readonly byId: ById<HistoryEvent>;
  /** Event id to the id of the `…StateEntered` event of the visit it belongs to (0: none). */
  readonly owner: ById<number>;
  /** Entered event id to the entered event id of the Parallel or Map visit it runs in (0: the top level). */
  readonly parent: ById<number>;
}

/** The owners read from each history, by the history (and its length, should a caller add to it). */
const OWNERS = new WeakMap<readonly HistoryEvent[], { readonly length: number; readonly owners: EventOwners }>();

/**
 * Assigns every event to the state visit it belongs to (see traceExecution), once per history:
 * explore reads one run's history for its trace, its visits and the states it failed on entry,
 * and a loop's run has 25,000 events. The ids are kept in tables when they are dense, else in maps.
 * @internal
 */
export function eventOwners(history: readonly HistoryEvent[]): EventOwners {
  const held = OWNERS.get(history);
  if (held !== undefined && held.length === history.length) return held.owners;
  const size = denseIds(history);
  const owners = readOwners(history, size === undefined ? mapStorage() : tableStorage(size));
  OWNERS.set(history, { length: history.length, owners });
  return owners;
}

/**
 * Where the owners' walk keeps what it reads by id: events, owners, parents, and per entered
 * event its state's name and the kind of container it is.
 * @internal
 */
export interface OwnerStorage {
  readonly byId: IdStore<HistoryEvent>;
  readonly owner: IdStore<number>;
  readonly parent: IdStore<number>;
  readonly names: IdStore<string>;
  readonly kinds: IdStore<number>;
}

/** Numbers by id in a table (absent ids read 0, as an owner or parent that is none). */
class NumberTable implements IdStore<number> {
  private readonly at: Int32Array;
  constructor(size: number) { this.at = new Int32Array(size); }
  get(id: number): number | undefined {
    return id >= 0 && id < this.at.length ? this.at[id] : undefined;
  }
  set(id: number, value: number): void { this.at[id] = value; }
}

/** Values by id in a table. */
class Table<T> implements IdStore<T> {
  private readonly at: Array<T | undefined>;
  constructor(size: number) { this.at = new Array<T | undefined>(size).fill(undefined); }
  get(id: number): T | undefined {
    return id >= 0 && id < this.at.length ? this.at[id] : undefined;
  }
  set(id: number, value: T): void { this.at[id] = value; }
}

/**
 * Tables of `size` places, for a history whose ids are dense (see denseIds).
 * @internal
 */
export function tableStorage(size: number): OwnerStorage {
  return { byId: new Table(size), owner: new NumberTable(size), parent: new NumberTable(size), names: new Table(size), kinds: new NumberTable(size) };
}

/**
 * Maps, for a history of any ids (one put together by hand).
 * @internal
 */
export function mapStorage(): OwnerStorage {
  return { byId: new Map(), owner: new Map(), parent: new Map(), names: new Map(), kinds: new Map() };
}

/** What the owners' walk does with an event of a type, read once per type, not per event. */
const enum Kind { Other, Entered, Exited, EvaluationFailed, Parallel, Map, Execution }

function kindOf(type: string): Kind {
  if (type.endsWith('StateEntered')) return Kind.Entered;
  if (type.endsWith('StateExited')) return Kind.Exited;
  if (type === 'EvaluationFailed') return Kind.EvaluationFailed;
  const container = containerOf(type);
  if (container === 'Parallel') return Kind.Parallel;
  if (container === 'Map') return Kind.Map;
  return type.startsWith('Execution') ? Kind.Execution : Kind.Other;
}

/**
 * The size of a table of a history's ids, when each id is its own (no two events share one) and
 * a whole number from 1 to a few times the history's length; else undefined.
 */
function denseIds(history: readonly HistoryEvent[]): number | undefined {
  const bound = 4 * history.length + 16;
  const seen = new Uint8Array(bound + 1);
  let max = 0;
  for (const e of history) {
    const id = e.id;
    if (!Number.isInteger(id) || id < 1 || id > bound || seen[id] === 1) return undefined;
    seen[id] = 1;
    if (id > max) max = id;
  }
  return max + 1;
}

/**
 * The visit of the state an EvaluationFailed names, when it names one entered: the one entered
 * after the event the EvaluationFailed chains to (AWS chains both to the event before the state,
 * which tells apart the visits of one state that a Map's iterations make at once), else the latest.
 */
function namedVisit(
  e: HistoryEvent, lastEntered: ReadonlyMap<string, number>, enteredAfter: ReadonlyMap<number, number>, names: IdStore<string>,
): number | undefined {
  const named = detailsOf(e)?.state;
  if (typeof named !== 'string') return undefined;
  const after = enteredAfter.get(e.previousEventId);
  return after !== undefined && names.get(after) === named ? after : lastEntered.get(named);
}

/**
 * The owners' walk (see traceExecution), keeping what it reads in `storage`: tables or maps
 * give the same owners (test/explore/entry-failures.test.ts holds them to it).
 * @internal
 */
export function readOwners(history: readonly HistoryEvent[], storage: OwnerStorage): EventOwners {
  const { byId, owner, parent, names, kinds: enteredKind } = storage;
  for (const e of history) byId.set(e.id, e);
  const kinds = new Map<string, Kind>();
  const kindOfType = (type: string): Kind => {
    let k = kinds.get(type);
    if (k === undefined) kinds.set(type, k = kindOf(type));
    return k;
  };
  const up = (entered: number): number => parent.get(entered) ?? 0;
  // The latest visit of each state: an EvaluationFailed names its state and, but in a Wait, chains to what came before that state.
  const lastEntered = new Map<string, number>();
  // Each visit by the event before it, for the EvaluationFailed that chains to that event.
  const enteredAfter = new Map<number, number>();
  for (const e of history) {
    const prev = byId.get(e.previousEventId);
    const prevOwner = prev ? owner.get(prev.id) ?? 0 : 0;
    const kind = kindOfType(e.type);
    let own: number;
    if (kind === Kind.Entered) {
      parent.set(e.id, !prev ? 0 : BRANCH_STARTS.has(prev.type) ? prevOwner : up(prevOwner));
      const name = stateName(e);
      names.set(e.id, name);
      const type = typeOfEntered(e);
      enteredKind.set(e.id, type === 'Parallel' ? Kind.Parallel : type === 'Map' ? Kind.Map : Kind.Other);
      lastEntered.set(name, e.id);
      enteredAfter.set(e.previousEventId, e.id);
      own = e.id;
    } else if (kind === Kind.EvaluationFailed && namedVisit(e, lastEntered, enteredAfter, names) !== undefined) {
      own = namedVisit(e, lastEntered, enteredAfter, names)!;
    } else if (kind === Kind.Exited) {
      const name = stateName(e);
      let o = prevOwner;
      while (o && names.get(o) !== name) o = up(o);
      own = o;
    } else if (kind === Kind.Parallel || kind === Kind.Map) {
      let o = prevOwner;
      // After a nested Parallel's or Map's attempt ended, only its exit follows in
      // its span (AWS records …StateFailed only once no retry follows): anything else is its parent's.
      const closed = prev !== undefined && (kindOfType(prev.type) === Kind.Exited || (endsAttempt(prev.type) && !e.type.endsWith('Exited')));
      if (closed) o = up(o);
      while (o && enteredKind.get(o) !== kind) o = up(o);
      own = o;
    } else if (kind === Kind.Execution) {
      own = 0;
    } else {
      own = prev && kindOfType(prev.type) !== Kind.Exited ? prevOwner : 0;
    }
    owner.set(e.id, own);
  }
  return { byId, owner, parent };
}

/**
 * How often a state was retried in a run, as `toHaveRetried` counts it: the attempts its history
 * shows after the first of each visit, and those of the child executions of its DISTRIBUTED Maps,
 * which AWS records in each child's own history, not the parent's.
 * @internal
 */
export function retriesOfState(
  run: { readonly history?: readonly HistoryEvent[]; readonly childExecutions?: readonly ChildExecutionUsage[] }, state: string,
): number {
  let n = traceExecution(undefined, run.history ?? []).retries.get(state) ?? 0;
  for (const usage of run.childExecutions ?? []) {
    const by = usage.retriesByState;
    if (by !== undefined && Object.hasOwn(by, state)) n += by[state];
  }
  return n;
}

/**
 * Reads what an execution exercised from its history.
 *
 * Every event belongs to the span of one state visit, from its
 * `…StateEntered` on. Events chain through `previousEventId`, but a Parallel's
 * or Map's own events (started, failed, succeeded, iterations) chain to the
 * last event of one of its branches, so the owner of such an event is the
 * nearest enclosing Parallel or Map visit, found by climbing out of the
 * branches; a `…StateExited` names its state. A transition is a
 * `…StateExited` directly followed by a `…StateEntered`.
 * @internal
 */
export function traceExecution(definition: StateMachineDefinition | undefined, history: readonly HistoryEvent[]): ExecutionTrace {
  const states = definition ? allStates(definition) : new Map<string, StateDefinition>();
  const trace: ExecutionTrace = {
    states: new Map(),
    transitions: new Map(),
    choices: new Map(),
    catches: new Map(),
    retriers: new Map(),
    retriedThrough: new Map(),
    retries: new Map(),
    undecided: [],
  };
  const { byId, owner, parent } = eventOwners(history);
  // Per entered event: attempts seen and the last error before the latest attempt.
  const lastError = new Map<number, string>();
  // Per entered event: whether it exited, the id of the event that gave its last error; and each container's children.
  const exited = new Set<number>();
  const errorAt = new Map<number, number>();
  const children = new Map<number, number[]>();
  const attempts = new Map<number, number>();
  // Visits whose retrier a retry of theirs was put down to; and the retriers of each whose next attempt has not yet gone well.
  const retried = new Set<number>();
  const pending = new Map<number, string[]>();
  for (const e of history) {
    const own = owner.get(e.id) ?? 0;
    if (ATTEMPT_WENT_WELL.has(e.type) && pending.has(own)) {
      for (const key of pending.get(own)!) bump(trace.retriedThrough, key);
      pending.delete(own);
    }
    if (e.type === 'ExecutionFailed') retriedUnseen(trace, states, byId, owner, retried, e);
    if (isEntered(e)) {
      const name = stateName(e);
      bump(trace.states, name);
      const up = parent.get(e.id) ?? 0;
      if (up) {
        let list = children.get(up);
        if (!list) children.set(up, list = []);
        list.push(e.id);
      }
      const prev = byId.get(e.previousEventId);
      if (prev && isExited(prev)) {
        const from = stateName(prev);
        bump(trace.transitions, `${from} -> ${name}`);
        recordBranch(trace, states.get(from), from, name, owner.get(prev.id) ?? 0, lastError.get(owner.get(prev.id) ?? 0));
      } else {
        bump(trace.transitions, `^ -> ${name}`);
      }
      // A Fail state records no failure event of its own: what fails its branch or iteration is the error it names.
      const def = states.get(name);
      if (def?.Type === 'Fail') {
        const error = failStateError(def, e);
        if (error !== undefined) {
          lastError.set(e.id, error);
          errorAt.set(e.id, e.id);
        }
      }
      continue;
    }
    if (!own) continue;
    if (isExited(e)) exited.add(own);
    const err = errorOf(e) ?? containerError(e, own, states, byId, owner, lastError, (c) => failedChild(c, children, exited, errorAt, lastError));
    if (err !== undefined) {
      lastError.set(own, err);
      errorAt.set(own, e.id);
    }
    if (ATTEMPT_STARTS.has(e.type)) {
      const n = (attempts.get(own) ?? 0) + 1;
      attempts.set(own, n);
      if (n > 1) {
        const name = stateName(byId.get(own)!);
        bump(trace.retries, name);
        const def = states.get(name);
        const error = lastError.get(own);
        const retriers = def && 'Retry' in def ? def.Retry ?? [] : [];
        // A Task's call that fails records why; an attempt that starts again after none failed on the state's own data.
        const index = error !== undefined
          ? retriers.findIndex((r) => errorMatches(r.ErrorEquals, error))
          : def?.Type === 'Task' ? onlyRetrierOf(retriers, STATE_DATA_ERRORS) : -1;
        if (index >= 0) {
          bump(trace.retriers, `${name}#${index}`);
          retried.add(own);
          pending.set(own, [...pending.get(own) ?? [], `${name}#${index}`]);
        }
        lastError.delete(own);
      }
    }
  }
  return trace;
}

/** Events that end an attempt of a state well: its call answered, its branches or iterations ended. */
const ATTEMPT_WENT_WELL: ReadonlySet<string> = new Set([...TASK_SUCCEEDED, 'ParallelStateSucceeded', 'MapStateSucceeded']);

/** The one retrier that is the first to take each of `errors` some retrier takes; -1 when none or several are. */
function onlyRetrierOf(retriers: readonly Retrier[], errors: readonly string[]): number {
  const taken = new Set(errors.map((error) => retriers.findIndex((r) => errorMatches(r.ErrorEquals, error))).filter((i) => i >= 0));
  return taken.size === 1 ? [...taken][0] : -1;
}

/**
 * A retry the history shows no attempt of: a state that fails on its own data before it calls
 * (Parameters whose intrinsic function refuses a value) records no event per attempt, yet the
 * interpreter retries it like any failure (src/interpreter/engine.ts, `settle`): an execution
 * that fails with an error at such a visit was retried by the first retrier that takes the error,
 * until that retrier's MaxAttempts (at least one) were used. A state with a Catch is left alone
 * when the error is one a Catch's own ResultPath, Output or Assign can raise (a data error), and a
 * DataLimitExceeded of the state's output skips its retriers (not put down to one).
 */
function retriedUnseen(
  trace: ExecutionTrace, states: Map<string, StateDefinition>, byId: ById<HistoryEvent>, owner: ById<number>,
  retried: Set<number>, e: HistoryEvent,
): void {
  const error = errorOf(e);
  const prev = byId.get(e.previousEventId);
  if (error === undefined || prev === undefined || error === StatesErrors.DATA_LIMIT_EXCEEDED) return;
  const visit = isEntered(prev) ? prev.id : owner.get(prev.id) ?? 0;
  const entered = byId.get(visit);
  if (!visit || retried.has(visit) || entered === undefined) return;
  const name = stateName(entered);
  const def = states.get(name);
  const retriers = def && 'Retry' in def ? def.Retry ?? [] : [];
  const catchers = def && 'Catch' in def ? def.Catch ?? [] : [];
  if (catchers.length > 0 && STATE_DATA_ERRORS.includes(error)) return;
  const index = retriers.findIndex((r) => errorMatches(r.ErrorEquals, error));
  if (index < 0 || compileRetrier(retriers[index]).maxAttempts < 1) return;
  bump(trace.retriers, `${name}#${index}`);
  bump(trace.retriedThrough, `${name}#${index}`);
  bump(trace.retries, name);
  retried.add(visit);
}

/** The error a Fail state raises: its Error, or what its ErrorPath (a plain JSONPath path) finds in its input. */
function failStateError(def: StateDefinition & { readonly Type: 'Fail' }, entered: HistoryEvent): string | undefined {
  if (typeof def.Error === 'string' && !def.Error.startsWith('{%')) return def.Error;
  if (typeof def.ErrorPath !== 'string' || def.QueryLanguage === 'JSONata') return undefined;
  try {
    const path = compilePath(def.ErrorPath);
    if (path.root.kind !== 'input' || !path.steps) return undefined;
    const raw = detailsOf(entered)?.input as string | undefined;
    const value = followSteps(JSON.parse(raw ?? 'null') as JsonValue, path.steps);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The error a Parallel's or Map's failure event stands for: the error its
 * failed branch raised (the last error of the visit the event follows), or
 * States.ExceedToleratedFailureThreshold for a Map that tolerates failures.
 */
/**
 * The error of the child visit that failed a Parallel visit: of those that did
 * not exit, the one whose error came last (what stopped the others; one
 * waiting to retry failed before).
 */
function failedChild(
  container: number, children: ReadonlyMap<number, number[]>, exited: ReadonlySet<number>,
  errorAt: ReadonlyMap<number, number>, lastError: ReadonlyMap<number, string>,
): string | undefined {
  let best: number | undefined;
  for (const c of children.get(container) ?? []) {
    if (exited.has(c) || !lastError.has(c)) continue;
    if (best === undefined || (errorAt.get(c) ?? 0) > (errorAt.get(best) ?? 0)) best = c;
  }
  return best === undefined ? undefined : lastError.get(best);
}

function containerError(
  e: HistoryEvent, own: number, states: Map<string, StateDefinition>, byId: ById<HistoryEvent>,
  owner: ById<number>, lastError: Map<number, string>, failed: (container: number) => string | undefined,
): string | undefined {
  // A retried Parallel or Map records no failure event: its next Started event
  // follows the failed branch's last event directly, and stands for that failure.
  const restarted = (e.type === 'ParallelStateStarted' || e.type === 'MapStateStarted') && e.previousEventId !== own;
  if (!isContainerFailure(e.type) && !restarted) return undefined;
  // A DISTRIBUTED Map's MapRunFailed names the error it failed with (an ItemReader's failure included), which stands.
  if (e.type === 'MapStateFailed' && byId.get(e.previousEventId)?.type === 'MapRunFailed') return undefined;
  // A Map that failed on its own field (its Items, before any item ran: an EvaluationFailed event) failed with that error.
  const failedOnItsOwn = byId.get(e.previousEventId)?.type === 'EvaluationFailed';
  if ((e.type === 'MapStateFailed' || e.type === 'MapStateStarted') && !failedOnItsOwn) {
    const def = states.get(stateName(byId.get(own)!));
    if (def && def.Type === 'Map' && declaresTolerance(def)) return StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD;
  }
  // The branches stopped because one failed record their aborts after the event that failed it: that one says why.
  let at = byId.get(e.previousEventId);
  while (at && (at.type.endsWith('StateAborted') || at.type === 'MapIterationAborted')) at = byId.get(at.previousEventId);
  const from = at ? owner.get(at.id) ?? 0 : 0;
  const error = from !== own ? lastError.get(from) : undefined;
  // A Parallel's stopped branches chain their aborts to their own events, and its failure to the last abort.
  return error ?? (e.type === 'ParallelStateFailed' ? failed(own) : undefined);
}

function recordBranch(
  trace: ExecutionTrace, def: StateDefinition | undefined, from: string, to: string, entered: number, error: string | undefined,
): void {
  if (!def) return;
  if (def.Type === 'Choice') {
    const candidates = choiceCandidates(def, to);
    if (candidates.length === 1) bump(trace.choices, `${from}#${candidates[0]}`);
    else if (candidates.length > 1) trace.undecided.push({ state: from, entered, candidates });
    return;
  }
  const catchers = 'Catch' in def ? def.Catch ?? [] : [];
  if (catchers.length === 0) return;
  const next = 'Next' in def ? def.Next : undefined;
  let index = -1;
  if (error !== undefined) index = catchers.findIndex((c) => errorMatches(c.ErrorEquals, error));
  // An error raised by the state's own I/O leaves no failure event: only a target that is not Next tells.
  if (index < 0 && to !== next) index = catchers.findIndex((c) => c.Next === to);
  if (index >= 0 && catchers[index].Next === to) bump(trace.catches, `${from}#${index}`);
}

/** The Choice rules (index) and the Default that lead to `to`. */
function choiceCandidates(def: ChoiceState, to: string): Array<number | 'default'> {
  const candidates: Array<number | 'default'> = [];
  def.Choices.forEach((rule, i) => { if (rule.Next === to) candidates.push(i); });
  if (def.Default === to) candidates.push('default');
  return candidates;
}
