import type { Outcome, ScenarioRunner } from './runner';
import { failable, readersOf, runChanged, searchCut, type AnsweredRun, type Observe } from './verify-failures';
import type { JsonValue, StateMachineDefinition, TaskState } from '../asl';
import { AwsLimits } from '../asl/limits';
import { allStates, forEachState, statePointer } from '../asl/state-tree';
import { taskResource } from '../asl/task-resource';

/*
 * Late answers. explore's search and verify's failures answer every Task call at once, so a run
 * where a Task answers late is never made: a branch's Task answering after a sibling branch's
 * Wait (its next state then entered after the sibling's), a Task timing out at its TimeoutSeconds
 * (States.Timeout, which AWS raises itself when the answer has not come by then), a run made long
 * by slow Tasks. Where a property is still open after the failures, verify runs again, from the
 * lightest run of the search that called each Task, with that Task's calls answered as there but
 * late (the mocks' `{"Delay": s, …}`, the harness's delay()):
 * - after every Wait of the machine (their fixed Seconds summed, plus one), but within the Task's
 *   TimeoutSeconds (one second before it) when it has one;
 * - as late as it may answer in time, one second before its TimeoutSeconds;
 * - at its TimeoutSeconds, on its first call and on every call (the Task times out, on AWS as
 *   here: "If the task runs longer than the specified seconds, this state fails with a
 *   States.Timeout error", docs/step-functions/latest/dg/state-task);
 * and, from each of the lightest runs of the search, every Task at once as late as it may answer
 * in time (one second before its TimeoutSeconds; after every Wait when it has none): the longest
 * such run. A callback, a `.sync` job or an activity with a HeartbeatSeconds whose worker sends no
 * heartbeat fails when that many seconds pass with no answer: "If more
 * time than the specified seconds elapses between heartbeats from the task, this state fails with
 * a States.Timeout error name" (docs/step-functions/latest/dg/state-task; the interpreter raises
 * States.HeartbeatTimeout for an activity, as recorded): in time is then one second before it,
 * and its heartbeat lapses when answered at it, on every call and on the first; a worker that
 * sends one heartbeat and then goes quiet lapses later (beatingWays, the mocks' `"Heartbeats"`).
 * Then, where a
 * property is still open, two Tasks late at different times (one in a Parallel branch answering
 * late, another in a sibling early; one timing out while another answers in time): each pair's
 * ways combined, Tasks that run side by side first, at most LATE_PAIR_RUNS runs. Then, where a
 * property is still open, three or four Tasks in different branches of a Parallel answering in
 * each order, spread within the time they may all answer in (answerInOrder): a property broken
 * only when A answers last, B first and C between, all after a sibling's Wait, at most
 * LATE_ORDER_RUNS runs.
 * A Task with no TimeoutSeconds may answer at any time, up to a year: verify tries it
 * after the Waits only, and never says HOLDS of a seconds bound over it (secondsBound). No answer
 * comes later than its call can: a request-response call (a Lambda invoke, an AWS API call)
 * answers within the 900 s a Lambda function may run, so such a Task is never answered later, nor
 * timed out past that.
 */

/** The most runs of late answers verify makes on one machine. */
export const LATE_RUNS = 32;

/** The most runs of two Tasks late at different times verify makes on one machine, after those above. */
export const LATE_PAIR_RUNS = 32;

/** The most runs of three or more Tasks side by side answering in each order verify makes on one machine, after the pairs. */
export const LATE_ORDER_RUNS = 32;

/** The most Tasks side by side verify answers in each order (4! = 24 orders). */
const LATE_ORDER_MOST = 4;

/** Runs of the lightest runs of the search verify answers with every Task late. */
const ALL_LATE_SEEDS = 2;

/** How far the search of late answers went: runs made, Tasks answered late, and why it stopped short. */
export interface LateSearch {
  /** Runs made. */
  readonly runs: number;
  /** The runs it would make with no bound. */
  readonly planned: number;
  /** Tasks answered late. */
  readonly tasks: number;
  /** The seconds after which an answer comes after every Wait. */
  readonly pastWaits: number;
  /** What cut it short, when something did. */
  readonly stoppedBy?: 'bound' | 'budget';
  /** Two Tasks late at different times, after the runs above (none when they were cut short, or nothing was left open). */
  readonly pairs?: { readonly runs: number; readonly planned: number; readonly pairs: number; readonly stoppedBy?: 'bound' | 'budget' };
  /** Three or four Tasks side by side answering in each order, after the pairs (none when nothing was left open, or no such Tasks). */
  readonly orders?: { readonly runs: number; readonly planned: number; readonly sets: number; readonly stoppedBy?: 'bound' | 'budget' };
}

/**
 * How one Task's calls are answered late: `delay` seconds, from its call `first` up to (not
 * including) `upTo`, the worker sending a heartbeat at each of `heartbeats` seconds meanwhile.
 */
interface LateWay {
  readonly delay: number;
  readonly first: number;
  readonly upTo: number;
  readonly heartbeats?: readonly number[];
}

/** The most heartbeats verify has a worker send in one late answer. */
const MOST_HEARTBEATS = 100;

/** The seconds after which an answer comes after every Wait of the machine: their fixed Seconds summed, plus one, at most a year. */
function pastTheWaits(def: StateMachineDefinition): number {
  let waits = 0;
  for (const [, s] of allStates(def)) {
    const seconds = s.Type === 'Wait' ? (s as { Seconds?: unknown }).Seconds : undefined;
    if (typeof seconds === 'number' && seconds > 0) waits += seconds;
  }
  return Math.min(waits + 1, AwsLimits.STANDARD_DURATION_SECONDS);
}

/** A Task's HeartbeatSeconds, when the definition fixes it and a worker could send heartbeats (the call carries a task token). */
function heartbeatOf(def: TaskState): number | undefined {
  const h = (def as { HeartbeatSeconds?: unknown }).HeartbeatSeconds;
  if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0 || typeof def.Resource !== 'string') return undefined;
  const r = taskResource(def.Resource);
  return r.kind === 'activity' || r.pattern !== 'request' ? h : undefined;
}

/** A Task's TimeoutSeconds, when the definition fixes it. */
function timeoutOf(def: TaskState): number | undefined {
  const t = (def as { TimeoutSeconds?: unknown }).TimeoutSeconds;
  return typeof t === 'number' && Number.isFinite(t) && t > 0 ? t : undefined;
}

/**
 * The latest a Task may answer: a request-response call (a Lambda invoke, an AWS API call) within
 * the 900 s a Lambda function may run; a `.sync` job, a callback or an activity within a year.
 */
function latestAnswer(def: TaskState): number {
  if (typeof def.Resource !== 'string') return AwsLimits.STANDARD_DURATION_SECONDS;
  const r = taskResource(def.Resource);
  return r.pattern === 'request' && r.kind !== 'activity' ? AwsLimits.REQUEST_RESPONSE_SECONDS : AwsLimits.STANDARD_DURATION_SECONDS;
}

/** The Task calls a run made. */
const callCount = (calls: ReadonlyMap<string, readonly Outcome[]>): number => {
  let n = 0;
  for (const outcomes of calls.values()) for (const o of outcomes) if (o !== undefined) n++;
  return n;
};

/**
 * As late as a Task may answer in time: one second before its TimeoutSeconds, or after the Waits
 * when it has none; one second before its HeartbeatSeconds when its heartbeat may lapse (lapses);
 * never past latestAnswer. Undefined when that is no later than at once.
 */
function inTime(def: TaskState, pastWaits: number): number | undefined {
  const timeout = timeoutOf(def);
  const d = Math.min(timeout === undefined ? pastWaits : timeout - 1, lapses(def) ?? Infinity, latestAnswer(def));
  return d > 0 ? d : undefined;
}

/**
 * The HeartbeatSeconds after which a Task answered with no heartbeat fails, when that comes before
 * its TimeoutSeconds and within the time its call may take; the second before it, in time.
 */
function lapses(def: TaskState): number | undefined {
  const beat = heartbeatOf(def);
  const timeout = timeoutOf(def);
  return beat !== undefined && (timeout === undefined || beat < timeout) && beat <= latestAnswer(def) ? beat - 1 : undefined;
}

/**
 * One Task's ways of answering late, given its calls in the run answered late (`calls`), in the
 * order they are tried: after every Wait (within its TimeoutSeconds and HeartbeatSeconds); as late
 * as in time; at its TimeoutSeconds, on every call and on the first (States.Timeout), or, where its
 * heartbeat lapses first, at its HeartbeatSeconds, on every call and on the first. None twice.
 */
function waysLate(def: TaskState, calls: readonly Outcome[], pastWaits: number): LateWay[] {
  const timeout = timeoutOf(def);
  const beforeBeat = lapses(def);
  const first = Math.max(calls.findIndex((o) => o !== undefined), 0);
  const ways: LateWay[] = [];
  const add = (delay: number | undefined, once: boolean): void => {
    const upTo = once ? first + 1 : Infinity;
    if (delay === undefined || delay <= 0 || ways.some((w) => w.delay === delay && w.upTo === upTo)) return;
    ways.push({ delay, first: once ? first : 0, upTo });
  };
  add(Math.min(timeout === undefined ? pastWaits : Math.min(pastWaits, timeout - 1), beforeBeat ?? Infinity, latestAnswer(def)), false);
  add(inTime(def, pastWaits), false);
  // A call that cannot last until the Task's TimeoutSeconds never times out; one whose heartbeat lapses first fails then.
  const fails = beforeBeat !== undefined ? beforeBeat + 1 : timeout !== undefined && timeout <= latestAnswer(def) ? timeout : undefined;
  add(fails, false);
  add(fails, true);
  ways.push(...beatingWays(def, first));
  return ways;
}

/**
 * A worker that sends heartbeats (SendTaskHeartbeat) while it works, for a Task with
 * HeartbeatSeconds H: "If more time than the specified seconds elapses between heartbeats from
 * the task, this state fails" (docs/step-functions/latest/dg/state-task), so a heartbeat moves the
 * lapse on. One heartbeat as late as it may come, H − 1 s after the call, then quiet: the Task
 * answers in time at 2H − 2 s, or its heartbeat lapses at 2H − 1 s, later than a worker that never
 * sends one (on every call, and on the first). And a worker that sends one every H − 1 s and
 * answers one second before the TimeoutSeconds (at most MOST_HEARTBEATS of them). Each only
 * before the TimeoutSeconds and within the time the call may take. `first`: the Task's first call in the run.
 */
function beatingWays(def: TaskState, first: number): LateWay[] {
  const beat = heartbeatOf(def);
  if (beat === undefined || beat < 2) return [];
  const timeout = timeoutOf(def);
  const before = (t: number): boolean => (timeout === undefined || t < timeout) && t <= latestAnswer(def);
  const ways: LateWay[] = [];
  if (before(2 * beat - 2)) ways.push({ delay: 2 * beat - 2, first: 0, upTo: Infinity, heartbeats: [beat - 1] });
  if (before(2 * beat - 1)) {
    ways.push({ delay: 2 * beat - 1, first: 0, upTo: Infinity, heartbeats: [beat - 1] });
    ways.push({ delay: 2 * beat - 1, first, upTo: first + 1, heartbeats: [beat - 1] });
  }
  if (timeout !== undefined && timeout - 1 > 2 * beat - 2 && timeout - 1 <= latestAnswer(def)) {
    const beats: number[] = [];
    for (let t = beat - 1; t < timeout - 1; t += beat - 1) beats.push(t);
    if (beats.length <= MOST_HEARTBEATS) ways.push({ delay: timeout - 1, first: 0, upTo: Infinity, heartbeats: beats });
  }
  return ways;
}

/** The JSON pointer of each state of a definition. */
function pointersOf(def: StateMachineDefinition): Map<string, string> {
  const out = new Map<string, string>();
  forEachState(def, (name, _state, scope) => out.set(name, statePointer(scope, name)));
  return out;
}

/**
 * Whether two states may run side by side: in different branches of one Parallel, or in one Map's
 * iterations (which run side by side).
 */
function sideBySide(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = a.split('/');
  const y = b.split('/');
  let k = 0;
  while (k < x.length && k < y.length && x[k] === y[k]) k++;
  return (k > 0 && x[k - 1] === 'Branches') || x.slice(0, k).some((seg) => seg === 'ItemProcessor' || seg === 'Iterator');
}

/**
 * The runs of late answers, each told to `observe`, the cheapest first (the run answered late's
 * Task calls, then the kind: after the Waits, as late as in time, at the timeout on every call, on
 * the first, every Task together), at most LATE_RUNS, and within the time budget (`stopped`).
 * Then, while `open` says a property is still open, two Tasks late at different times: for each
 * pair, the lighter of the two runs that called them first, with each answered in one of its ways
 * and the other in another of a different delay; pairs that run side by side first, then the
 * cheapest; at most LATE_PAIR_RUNS. Returns how far it went, for the verdicts' reasons.
 */
export async function answerLate(
  runner: ScenarioRunner, callers: ReadonlyMap<string, AnsweredRun>, lightest: readonly AnsweredRun[],
  given: ReadonlyMap<string, JsonValue | undefined>, observe: Observe, maxTransitions: number, stopped: () => boolean = () => false,
  open: () => boolean = () => true,
): Promise<LateSearch> {
  const readers = readersOf(runner);
  const pastWaits = pastTheWaits(runner.definition);
  const tasks = failable(runner, callers, given);
  const plans: Array<{ from: AnsweredRun; late: Map<string, LateWay>; cost: number }> = [];
  for (const [name, def] of tasks) {
    const from = callers.get(name)!;
    const base = callCount(from.calls) * 5;
    waysLate(def, from.calls.get(name) ?? [], pastWaits).forEach((way, k) => plans.push({ from, late: new Map([[name, way]]), cost: base + k }));
  }
  const seeds = lightest.slice(0, ALL_LATE_SEEDS);
  for (const from of seeds) {
    const late = new Map<string, LateWay>();
    for (const [name, def] of tasks) {
      const d = inTime(def, pastWaits);
      if (d !== undefined) late.set(name, { delay: d, first: 0, upTo: Infinity });
    }
    if (late.size > 1) plans.push({ from, late, cost: callCount(from.calls) * 5 + 4 });
  }
  plans.sort((x, y) => x.cost - y.cost);
  let runs = 0;
  const done = (stoppedBy?: 'bound' | 'budget', pairs?: LateSearch['pairs'], orders?: LateSearch['orders']): LateSearch =>
    ({
      runs,
      planned: plans.length,
      tasks: tasks.length,
      pastWaits,
      ...(stoppedBy ? { stoppedBy } : {}),
      ...(pairs ? { pairs } : {}),
      ...(orders ? { orders } : {}),
    });
  const runLate = async (from: AnsweredRun, late: ReadonlyMap<string, LateWay>): Promise<void> => {
    const ran = await runChanged(runner, from, given, readers, (call, answer) => {
      const way = late.get(call.state);
      if (way === undefined || call.invocation < way.first || call.invocation >= way.upTo) return answer;
      return { ...answer, delay: way.delay, ...(way.heartbeats ? { heartbeats: way.heartbeats } : {}) };
    }, maxTransitions);
    if (ran) observe(from.input, ran.calls, ran.result, ran.result.path.length >= maxTransitions);
  };
  for (const { from, late } of plans) {
    if (runs >= LATE_RUNS) return done('bound');
    if (stopped()) return done('budget');
    runs++;
    await runLate(from, late);
  }
  if (tasks.length < 2 || !open()) return done();
  // Two Tasks late at different times.
  const pointers = pointersOf(runner.definition);
  const pairPlans: Array<{ from: AnsweredRun; late: Map<string, LateWay>; cost: number }> = [];
  let pairs = 0;
  for (let i = 0; i < tasks.length; i++) {
    for (let j = i + 1; j < tasks.length; j++) {
      const [[a, da], [b, db]] = [tasks[i], tasks[j]];
      const ca = callers.get(a)!;
      const cb = callers.get(b)!;
      const from = callCount(cb.calls) < callCount(ca.calls) ? cb : ca;
      const wa = waysLate(da, from.calls.get(a) ?? [], pastWaits);
      const wb = waysLate(db, from.calls.get(b) ?? [], pastWaits);
      const apart = sideBySide(pointers.get(a), pointers.get(b)) ? 0 : 1_000_000;
      const before = pairPlans.length;
      wa.forEach((x, k) => wb.forEach((y, l) => {
        if (x.delay !== y.delay) pairPlans.push({ from, late: new Map([[a, x], [b, y]]), cost: apart + callCount(from.calls) * 8 + k + l });
      }));
      if (pairPlans.length > before) pairs++;
    }
  }
  pairPlans.sort((x, y) => x.cost - y.cost);
  let pairRuns = 0;
  let pairsStopped: 'bound' | 'budget' | undefined;
  for (const { from, late } of pairPlans) {
    if (pairRuns >= LATE_PAIR_RUNS) { pairsStopped = 'bound'; break; }
    if (stopped()) { pairsStopped = 'budget'; break; }
    if (!open()) break;
    pairRuns++;
    await runLate(from, late);
  }
  const pairSearch: LateSearch['pairs'] = { runs: pairRuns, planned: pairPlans.length, pairs, ...(pairsStopped ? { stoppedBy: pairsStopped } : {}) };
  if (pairsStopped === 'budget' || !open()) return done(undefined, pairSearch);
  const orders = await answerInOrder(tasks, callers, pointers, runLate, stopped, open);
  return done(undefined, pairSearch, orders);
}

/**
 * Sets of three or four Tasks that run side by side, in different branches of a Parallel (each
 * pair of them), and that may answer late: the smaller sets first.
 */
function setsApart(tasks: ReadonlyArray<readonly [string, TaskState]>, pointers: ReadonlyMap<string, string>): number[][] {
  const late = tasks.map(([, def]) => orderCap(def) >= 3);
  const apart = (i: number, j: number): boolean => inBranchesApart(pointers.get(tasks[i][0]), pointers.get(tasks[j][0]));
  const sets: number[][] = [];
  const grow = (set: number[], size: number): void => {
    if (set.length === size) { sets.push(set); return; }
    for (let i = set.length === 0 ? 0 : set[set.length - 1] + 1; i < tasks.length; i++) {
      if (late[i] && set.every((j) => apart(i, j))) grow([...set, i], size);
    }
  };
  for (let size = 3; size <= LATE_ORDER_MOST; size++) grow([], size);
  return sets;
}

/** Whether two states are in different branches of one Parallel (a Map's iterations aside). */
function inBranchesApart(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = a.split('/');
  const y = b.split('/');
  let k = 0;
  while (k < x.length && k < y.length && x[k] === y[k]) k++;
  return k > 0 && x[k - 1] === 'Branches' && k < x.length && k < y.length;
}

/**
 * The latest a Task may answer in time when ordered against others: one second before its
 * TimeoutSeconds (its HeartbeatSeconds, sending no heartbeat), never past latestAnswer.
 */
function orderCap(def: TaskState): number {
  const timeout = timeoutOf(def);
  return Math.min(timeout === undefined ? Infinity : timeout - 1, lapses(def) ?? Infinity, latestAnswer(def));
}

/** Every order of `n` things, as lists of ranks, one after another. */
function* ordersOf(n: number): Generator<number[]> {
  const walk = function* (left: number[], made: number[]): Generator<number[]> {
    if (left.length === 0) { yield made; return; }
    for (const x of left) yield* walk(left.filter((y) => y !== x), [...made, x]);
  };
  yield* walk(Array.from({ length: n }, (_, i) => i), []);
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/**
 * Three or four Tasks side by side (setsApart) answering in each order: from the lightest run of
 * the search that called most of them, the k-th to answer (of n) answers at k/n of the latest
 * they may all answer in time (orderCap), whole seconds, so each answers after the one before and
 * the Waits of the sibling branches fall between them as their seconds say. At most
 * LATE_ORDER_RUNS, while `open`.
 */
async function answerInOrder(
  tasks: ReadonlyArray<readonly [string, TaskState]>, callers: ReadonlyMap<string, AnsweredRun>, pointers: ReadonlyMap<string, string>,
  runLate: (from: AnsweredRun, late: ReadonlyMap<string, LateWay>) => Promise<void>,
  stopped: () => boolean, open: () => boolean,
): Promise<LateSearch['orders']> {
  const sets = setsApart(tasks, pointers);
  if (sets.length === 0) return undefined;
  const planned = sets.reduce((n, set) => n + factorial(set.length), 0);
  let runs = 0;
  const result = (stoppedBy?: 'bound' | 'budget'): LateSearch['orders'] => ({ runs, planned, sets: sets.length, ...(stoppedBy ? { stoppedBy } : {}) });
  for (const set of sets) {
    const names = set.map((i) => tasks[i][0]);
    const latest = Math.min(...set.map((i) => orderCap(tasks[i][1])));
    // The run that called most of them, the lightest of those.
    const calledBy = (run: AnsweredRun): number => names.filter((n) => (run.calls.get(n) ?? []).some((o) => o !== undefined)).length;
    const from = names.map((n) => callers.get(n)!).map((run) => ({ run, called: calledBy(run) }))
      .sort((x, y) => y.called - x.called || callCount(x.run.calls) - callCount(y.run.calls))[0].run;
    for (const ranks of ordersOf(set.length)) {
      if (runs >= LATE_ORDER_RUNS) return result('bound');
      if (stopped()) return result('budget');
      if (!open()) return result();
      runs++;
      const at = (k: number): number => Math.floor(((ranks[k] + 1) * latest) / set.length);
      const late = new Map<string, LateWay>(names.map((n, k) => [n, { delay: at(k), first: 0, upTo: Infinity }]));
      await runLate(from, late);
    }
  }
  return result();
}

/** How far the late answers went, in words, for a reason. @internal */
export function describeLate(s: LateSearch): string {
  const p = s.pairs;
  const o = s.orders;
  const pairs = p === undefined ? 'two Tasks late at different times'
    : `two Tasks late at different times: ${p.runs} run${p.runs === 1 ? '' : 's'} of at most ${LATE_PAIR_RUNS} over ${p.pairs} pair${p.pairs === 1 ? '' : 's'} of Tasks${searchCut(p.stoppedBy, p.planned)}`;
  const orders = o === undefined ? undefined
    : `Tasks late in each order: ${o.runs} run${o.runs === 1 ? '' : 's'} of at most ${LATE_ORDER_RUNS} over ${o.sets} set${o.sets === 1 ? '' : 's'} of three or more Tasks side by side${searchCut(o.stoppedBy, o.planned)} `
      + `(three to ${LATE_ORDER_MOST} in different branches of a Parallel, the k-th of n to answer at k/n of the latest they may all answer in time)`;
  const untried = p === undefined ? `a Task answering at other times, or ${pairs}, is not tried`
    : orders === undefined ? `${pairs}; a Task answering at other times, or three late at different times, is not tried`
      : `${pairs}; ${orders}; a Task answering at other times, or more than ${LATE_ORDER_MOST} in one order, is not tried`;
  return `late answers: ${s.runs} run${s.runs === 1 ? '' : 's'} of at most ${LATE_RUNS} over ${s.tasks} Task${s.tasks === 1 ? '' : 's'}${searchCut(s.stoppedBy, s.planned)} `
    + '(each Task answering after every Wait, ' + `${s.pastWaits} s; one second before its TimeoutSeconds (before its HeartbeatSeconds, sending no heartbeat); at it; `
    + 'with HeartbeatSeconds H, one heartbeat at H - 1 s then quiet, answering at 2H - 2 s or lapsing at 2H - 1 s, and one every H - 1 s up to its TimeoutSeconds; '
    + 'and every Task together as late as it may answer in time); '
    + untried;
}
