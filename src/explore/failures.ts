import { type Attempt, type Exploration, type RunRecord } from './context';
import { failureOutcome, modelErrors, thrownOutcome } from './contract-answers';
import { raisedOnData, raisesOnOwnData } from './data-failures';
import { ENTRY_ERRORS } from './entry-failures';
import { hasTimeout, type StateInfo } from './goals';
import { neverRaised } from './never-raised';
import { withCalls, withFrom } from './plan';
import { attemptsFor } from './proofs';
import { errorRuledOut } from './request-errors';
import type { Outcome } from './runner';
import type { Visit } from './visits';
import type { MapState, StateDefinition } from '../asl';
import { errorMatches } from '../asl/error-rules';
import { sameJson } from '../asl/json-value';
import { AwsLimits } from '../asl/limits';
import { declaresTolerance } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';
import { errorsOf } from '../contracts';

/*
 * Task failures: the answers that make a state fail with an error (for a
 * Catch, a Retry, a callback's failure or timeout), and the errors nothing
 * handles.
 */

/** The errors Step Functions raises itself about a Task, which a worker never reports. */
const AWS_OWN: ReadonlySet<string> = new Set([
  StatesErrors.ALL, StatesErrors.TASK_FAILED, StatesErrors.TIMEOUT, StatesErrors.HEARTBEAT_TIMEOUT, StatesErrors.RUNTIME,
]);

/**
 * The error a callback's worker most plausibly reports: the first one its Catch or Retry names
 * (not one AWS raises on the state's data), else States.TaskFailed.
 */
export function failureError(def: StateDefinition): string {
  const named = [...(def.Catch ?? []), ...(def.Retry ?? [])].flatMap((r) => r.ErrorEquals ?? [])
    .find((e) => !AWS_OWN.has(e) && !raisedOnData(e));
  return named ?? StatesErrors.TASK_FAILED;
}

/**
 * Makes a state fail with `error`: a Task by its own answers, a Parallel or
 * Map by the answers of the first Task inside it that lets the error out.
 * `exhaust` fails every attempt its Retry makes; `once` only the first.
 */
export function failurePlan(x: Exploration, rec: RunRecord, v: Visit, error: string, how: 'exhaust' | 'once'): Attempt {
  const info = x.states.get(v.name);
  if (!info) return { reason: `'${v.name}' is not in the definition` };
  // No service answers an error AWS raises on a state's own data: a call made to throw one is no run AWS makes.
  if (raisedOnData(error)) return { reason: `'${v.name}' raises ${error} only on its own data, never by a call's answer` };
  let target: Visit | undefined = v;
  let count: number;
  if (info.def.Type === 'Task') {
    count = how === 'once' ? 1 : attemptsFor(info.def, error);
  } else if (info.def.Type === 'Map' && error === StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD && declaresTolerance(info.def as MapState)) {
    // A Map fails with it once more of its items fail than it tolerates (its ItemReader failing is States.ItemReaderFailed):
    // every call of a Task inside that lets a failure out fails, so that every item the run had fails.
    const inner = innerTask(x, v, StatesErrors.TASK_FAILED);
    const first = inner?.calls[0];
    if (inner === undefined || first === undefined) return { reason: `no Task inside '${v.name}' was called in that run whose failure fails an item` };
    const outcome = failureOutcome((x.states.get(inner.name)?.def as { Resource?: unknown } | undefined)?.Resource, StatesErrors.TASK_FAILED);
    return { plan: withFrom(rec.plan, inner.name, first, outcome), writes: `every call of '${inner.name}' from call ${first + 1} on fails with ${StatesErrors.TASK_FAILED}, failing the items of '${v.name}'` };
  } else if (info.def.Type === 'Map' && info.def.ItemReader !== undefined && !x.fixed.has(v.name)
    && x.visitsOf(rec).byState.get(v.name)?.[0] === v) {
    // Its ItemReader's first call: any error there fails the Map with States.ItemReaderFailed.
    const readerCalls = how === 'once' ? 1 : attemptsFor(info.def, StatesErrors.ITEM_READER_FAILED);
    const plan = withCalls(rec.plan, v.name, 0, readerCalls, thrownOutcome(info.def.ItemReader.Resource, error));
    return { plan, writes: `the ItemReader of '${v.name}' fails with ${error}` };
  } else if (info.def.Type === 'Parallel' || info.def.Type === 'Map') {
    // A Task that lets the error out; else one whose Catch may raise it again (a Saga or TryCatch rethrows the error it caught).
    target = innerTask(x, v, error) ?? innerTask(x, v, error, true);
    if (!target) return { reason: `no Task inside '${v.name}' was called in that run that lets ${error} out` };
    const inner = attemptsFor(x.states.get(target.name)!.def, error);
    count = how === 'once' ? inner : inner * attemptsFor(info.def, error);
  } else {
    return { reason: `a ${info.def.Type} state makes no call explore can fail` };
  }
  const first = target.calls[0];
  if (first === undefined) {
    // A Task that failed on entry (its Arguments read a value the run lacked) made no call to fail: the reason says so.
    const o = target.outcome;
    return { reason: `'${target.name}' made no call in that run${o !== undefined && !o.ok && o.error !== '' ? `: it failed with ${o.error} before it called` : ''}` };
  }
  if (x.fixed.has(target.name)) return { reason: `the answers of '${target.name}' are given` };
  // The Task's own failure, as AWS makes it of the service's answer where one does (a Parallel's or Map's is its inner Task's).
  const outcome: Outcome = failureOutcome((x.states.get(target.name)?.def as { Resource?: unknown } | undefined)?.Resource, error);
  // States.DataLimitExceeded comes of an answer over the payload limit, never of a call that throws it.
  if (error === StatesErrors.DATA_LIMIT_EXCEEDED && outcome.kind === 'throw') {
    return { reason: `'${target.name}' fails with ${error} only when its call answers more than ${AwsLimits.PAYLOAD_BYTES} bytes, and no answer explore can make of it is that long (a worker's SendTaskSuccess output is held to that limit)` };
  }
  const plan = withCalls(rec.plan, target.name, first, count, outcome);
  const writes = `'${target.name}' call ${first + 1}${count > 1 ? ` to ${first + count}` : ''} fails with ${error}`;
  // Calls of other iterations or branches running at once can come between a state's retries: then every call from the first on fails.
  if (count === 1) return { plan, writes };
  return { plan, writes, otherwise: { plan: withFrom(rec.plan, target.name, first, outcome), writes: `every call of '${target.name}' from call ${first + 1} on fails with ${error}` } };
}

/**
 * The first Task called inside a Parallel's or Map's visit that lets `error` out: no Catch on
 * it or on a Parallel or Map between takes it; with `caught`, the first called, whatever catches
 * it (a Catch that ends in a Fail raising the error again).
 */
export function innerTask(x: Exploration, v: Visit, error: string, caught = false): Visit | undefined {
  const catches = (def: StateDefinition) => !caught && (def.Catch ?? []).some((k) => errorMatches(k.ErrorEquals ?? [], error));
  for (const c of v.children) {
    const info = x.states.get(c.name);
    if (!info) continue;
    if (info.def.Type === 'Task' && c.calls.length > 0 && !x.fixed.has(c.name) && !catches(info.def) && errorRuledOut(info.def, error) === undefined
      && neverRaised(c.name, info.def, error) === undefined) return c;
    if (info.def.Type === 'Parallel' || info.def.Type === 'Map') {
      if (catches(info.def)) continue;
      const deeper = innerTask(x, c, error, caught);
      if (deeper) return deeper;
    }
  }
  return undefined;
}

/**
 * Errors a Task can raise that neither it nor a Parallel or Map around it
 * handles: States.TaskFailed, those its rules name and those its Resource's
 * model names. Where the model names every error the call can raise, those
 * come first (a scenario failing with one reads like a real failure); a
 * Lambda function or a worker raises its own, so States.TaskFailed leads.
 */
export function unhandledOf(x: Exploration, info: StateInfo): string[] {
  const def = info.def;
  const resource = (def as { Resource?: unknown }).Resource;
  const model = typeof resource === 'string' ? modelErrors(resource) : [];
  const lead = typeof resource === 'string' && errorsOf(resource).complete;
  const names = [
    ...(lead ? model : []),
    StatesErrors.TASK_FAILED, ...(hasTimeout(def) ? [StatesErrors.TIMEOUT] : []),
    ...[...(def.Retry ?? []), ...(def.Catch ?? [])].flatMap((r) => r.ErrorEquals ?? []),
    ...(lead ? [] : model),
  ].filter((e, i, all) => e !== StatesErrors.ALL && e !== StatesErrors.RUNTIME && all.indexOf(e) === i
    // An error AWS raises on the state's data is one it raises only where its own processing can (verify's reading).
    && (!raisedOnData(e) || raisesOnOwnData(x, info.name, e)));
  // Only errors the call can raise for the request it sends (no condition check failing without a condition).
  return names.filter((e) => !handled(x, info, e) && errorRuledOut(def, e) === undefined);
}

export function handled(x: Exploration, info: StateInfo, error: string): boolean {
  return raisedAs(x, info, error) === undefined;
}

/**
 * The error an execution fails with when the Task `info` fails with `error` and nothing handles
 * it, or undefined when something does. A Distributed Map that tolerates failures fails once its
 * failed items pass the threshold, with States.ExceedToleratedFailureThreshold, which its own
 * Catch (or one around it) may take
 * (https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html). Such a Map
 * hands the failure on when one failed item of one passes its threshold (a percentage under 100,
 * a count of 0), which a run can always show; a count of N needs N + 1 failed items, and a
 * threshold read from the input (a `…Path`) is the input's, so both are taken as handling it.
 */
export function raisedAs(x: Exploration, info: StateInfo, error: string): string | undefined {
  let cur: StateInfo | undefined = info;
  let raised = error;
  while (cur) {
    const d = cur.def;
    if (cur !== info && d.Type === 'Map' && declaresTolerance(d as MapState)) {
      if (!oneFailurePasses(d as MapState)) return undefined;
      raised = StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD;
    }
    if ((d.Catch ?? []).some((c) => errorMatches(c.ErrorEquals ?? [], raised))) return undefined;
    cur = cur.container !== undefined ? x.states.get(cur.container) : undefined;
  }
  return raised;
}

/** Whether one failed item of one passes the Map's threshold: either threshold passed fails the Map Run. */
function oneFailurePasses(d: MapState): boolean {
  return (typeof d.ToleratedFailureCount === 'number' && d.ToleratedFailureCount < 1)
    || (typeof d.ToleratedFailurePercentage === 'number' && d.ToleratedFailurePercentage < 100);
}

/**
 * The runs that first reached some goal and entered a state, past those kept for it: a later
 * run that reached a new goal differs where it matters (a Parallel whose other branches no
 * longer fail at once lets a Task's failure there end it).
 */
export function firstReaching(x: Exploration, name: string, kept: readonly RunRecord[]): RunRecord[] {
  const have = new Set(kept);
  const out: RunRecord[] = [];
  for (const rec of new Set(x.coveredBy.values())) {
    if (out.length >= FIRST_REACHING || have.has(rec)) continue;
    if (rec.result.path.includes(name)) out.push(rec);
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Whether a state runs in a branch of a Parallel (at any depth). */
export function inParallel(x: Exploration, info: StateInfo): boolean {
  for (let up = info.container; up !== undefined; up = x.states.get(up)?.container) {
    if (x.states.get(up)?.def.Type === 'Parallel') return true;
  }
  return false;
}

/**
 * Virtual milliseconds from a Task's first call to the end of the Parallels around it that failed
 * (Infinity when none did): how long its sibling branches leave its failure to come first.
 */
function roomIn(x: Exploration, rec: RunRecord, name: string): number {
  const v = x.visitsOf(rec).byState.get(name)?.find((visit) => visit.calls.length > 0);
  if (!v) return -Infinity;
  const history = rec.result.history;
  const runEnd = history.length > 0 ? history[history.length - 1].timestamp.getTime() : 0;
  let room = Infinity;
  for (let up = v.parent; up !== undefined; up = up.parent) {
    if (x.states.get(up.name)?.def.Type !== 'Parallel') continue;
    // All its branches ended well: no other branch's failure can come first.
    if (up.events.some((e) => e.type === 'ParallelStateSucceeded')) continue;
    const end = up.events.length > 0 ? up.events[up.events.length - 1].timestamp.getTime() : runEnd;
    room = Math.min(room, end - v.entered.timestamp.getTime());
  }
  return room;
}

/**
 * The runs that called a Task inside a Parallel, those whose Parallels end longest after its first
 * call first (ties keep their order): in a run where another branch fails at once (a Fail a Catch
 * of the Parallel takes), that failure ends the Parallel before the Task's can; in one where the
 * other branches end well or later, the Task's failure is the one that ends it. Runs whose history
 * was dropped keep their place after these.
 */
export function byRoom(x: Exploration, name: string, runs: readonly RunRecord[]): RunRecord[] {
  const held = runs.filter((r) => !r.dropped && !r.capped).map((r, i) => ({ r, i, room: roomIn(x, r, name) }));
  held.sort((a, b) => (b.room === a.room ? a.i - b.i : b.room - a.room));
  return [...held.map((h) => h.r), ...runs.filter((r) => r.dropped || r.capped)];
}

/** From how many runs that called a Task its failure is tried. */
const FINDING_PARENTS = 4;

/** How many failure runs of a Task inside a Parallel another branch's failure may end first before they count to FINDING_PARENTS. */
const PREEMPTED_TRIES = 8;

/** How many runs that first reached a goal a Task's failure in a Parallel is also tried from. */
const FIRST_REACHING = 8;

/** How many of the other errors a finding names. */
const MAX_NAMED = 6;

/** What the search for unhandled errors has done so far: the Tasks with their finding, and the runs each was tried from. */
export interface UnhandledSearch {
  readonly found: Set<string>;
  readonly tried: Map<string, Set<number>>;
  /** The failure runs made per Task that count to FINDING_PARENTS. */
  readonly attempts: Map<string, number>;
  /**
   * Per Task inside a Parallel, the most room (see roomIn) of a run whose failure another branch's
   * ended first, and how many such runs were made.
   */
  readonly preempted: Map<string, { readonly room: number; readonly tries: number }>;
}

/**
 * One scenario per Task whose failure nothing handles: the execution fails
 * with the error there. Called for the Tasks a run has just reached (so that a
 * search the budget cuts still has the findings of what it reached), and at
 * the end for all. Each run that called the Task is tried in turn: in a
 * Parallel, another branch may fail first in one run (a Fail a Catch of the
 * Parallel takes) and not in another.
 */
export async function unhandledErrors(x: Exploration, names: Iterable<string>, search: UnhandledSearch): Promise<void> {
  for (const name of names) {
    if (x.stopped()) return;
    const info = x.states.get(name);
    if (!info || info.def.Type !== 'Task' || x.fixed.has(name) || search.found.has(name)) continue;
    const errors = unhandledOf(x, info);
    if (errors.length === 0) continue;
    let tried = search.tried.get(name);
    if (!tried) search.tried.set(name, tried = new Set());
    // Runs that succeeded first: no other failure in them can come before this one.
    const parents = x.parentsFor(name);
    const ordered = [...parents.filter((r) => r.result.status === 'SUCCEEDED'), ...parents.filter((r) => r.result.status !== 'SUCCEEDED')];
    const parallel = inParallel(x, info);
    for (const parent of parallel ? byRoom(x, name, [...ordered, ...firstReaching(x, name, ordered)]) : ordered) {
      if (x.stopped()) return;
      if ((search.attempts.get(name) ?? 0) >= FINDING_PARENTS) break;
      if (parent.capped || tried.has(parent.id)) continue;
      tried.add(parent.id);
      await x.restore(parent);
      // A run whose Parallels end no later after the call than one where another branch's failure came first would end the same.
      const room = parallel ? roomIn(x, parent, name) : Infinity;
      const beaten = search.preempted.get(name);
      if (beaten !== undefined && room <= beaten.room) continue;
      // A run that failed on entering the Task (a path its Parameters read was missing) made no call to fail: take one that called it.
      const v = x.visitsOf(parent).byState.get(name)?.find((visit) => visit.calls.length > 0);
      // The error a call answers: one AWS raises on the state's data comes of no call (failurePlan makes none).
      const error = errors.find((e) => !raisedOnData(e)) ?? errors[0];
      // A run where the call already failed so (one this search made) would only be made again.
      const prior = v && parent.calls.get(name)?.[v.calls[0]];
      const planned = failureOutcome((info.def as { Resource?: unknown }).Resource, error);
      const same = prior !== undefined && (prior.kind === 'throw' && planned.kind === 'throw' ? prior.error === planned.error : sameJson(prior, planned));
      if (!v || same) continue;
      const attempt = failurePlan(x, parent, v, error, 'exhaust');
      if ('reason' in attempt) continue;
      // What the execution fails with: the Task's error, or a tolerating Map's threshold error.
      const ends = raisedAs(x, info, error) ?? error;
      // A run that already fails with the error shows it: repairing what else it lacked would only lead elsewhere.
      const fails = (r: RunRecord) => r.result.status === 'FAILED' && r.result.error === ends;
      const rec = await x.execute(attempt.plan, `'${name}' fails with ${error}, which nothing handles`, fails);
      if (rec.result.status !== 'FAILED' || rec.result.error !== ends) {
        // Another branch's failure ended the Parallel first: a run with more room may not, so this one does not count (up to PREEMPTED_TRIES).
        const tries = (beaten?.tries ?? 0) + 1;
        if (parallel && tries < PREEMPTED_TRIES) search.preempted.set(name, { room, tries });
        else search.attempts.set(name, (search.attempts.get(name) ?? 0) + 1);
        continue;
      }
      const others = errors.filter((e) => e !== error);
      const shown = others.length > MAX_NAMED ? [...others.slice(0, MAX_NAMED), `${others.length - MAX_NAMED} more`] : others;
      const through = ends === error ? '' : ` when it fails with ${error} (the Map around it tolerates fewer failures than it has items)`;
      unhandledFinding(x, search, name, ends, rec, `${through}${others.length ? ` (as it does with ${shown.join(', ')})` : ''}`);
      break;
    }
  }
}

/** The most characters of a run's cause a finding quotes. */
const CAUSE_QUOTED = 300;

/**
 * A finding for each Task no run called because it failed the execution on entry: its Arguments,
 * Parameters or paths read what no way into it gives (a field of the error output a Catch passes
 * on, say), and nothing explore could write made it call the service. The execution does fail
 * there, unhandled, in every run that enters it; the finding quotes why. Called at the end, after
 * the repairs of what such a state lacked were tried.
 */
export function entryFailureFindings(x: Exploration, search: UnhandledSearch): void {
  for (const [name, info] of x.states) {
    if (info.def.Type !== 'Task' || x.fixed.has(name) || search.found.has(name)) continue;
    const runs = x.entered.get(name) ?? [];
    if (runs.length === 0 || runs.some((r) => (r.calls.get(name)?.length ?? 0) > 0)) continue;
    const rec = runs.find((r) => r.result.status === 'FAILED' && ENTRY_ERRORS.has(r.result.error ?? '') && r.result.path[r.result.path.length - 1] === name);
    const error = rec?.result.error;
    if (!rec || error === undefined) continue;
    const cause = rec.result.cause ?? '';
    const quoted = cause === '' ? '' : `: ${cause.length > CAUSE_QUOTED ? `${cause.slice(0, CAUSE_QUOTED)}…` : cause}`;
    unhandledFinding(x, search, name, error, rec, ` before it calls the service, in every run explore made that enters it${quoted}`);
  }
}

/** Records that the execution fails, unhandled, with `error` at state `name` in run `rec`; `detail` ends the finding's message. */
function unhandledFinding(x: Exploration, search: UnhandledSearch, name: string, error: string, rec: RunRecord, detail: string): void {
  search.found.add(name);
  x.findingRuns.push({
    finding: { kind: 'unhandled-error', state: name, error, message: `unhandled: the execution fails with ${error} at state '${name}'${detail}` },
    run: rec,
  });
}
