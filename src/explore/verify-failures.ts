import { givenAnswer } from './context';
import { failureOutcomes, modelErrors, raisesOwnErrors } from './contract-answers';
import { clockAllows } from './goals';
import { defaultOutcome } from './plan';
import { attemptsFor } from './proofs';
import { errorRuledOut } from './request-errors';
import type { Outcome, ScenarioRunner, TaskCallInfo } from './runner';
import type { JsonValue, TaskState } from '../asl';
import { allStates } from '../asl/state-tree';
import { isStatesErrorName, isTimeoutError, StatesErrors } from '../asl/states-errors';
import type { ExecutionResult } from '../interpreter';

/*
 * Task failures explore's search does not make. It takes each Retry once (a call fails, the next
 * succeeds), each Catch with one error it names, and an error nothing handles with the first of
 * those a Task can raise. A run where a Retry gives up (every attempt fails with an error it
 * retries), or where a Task fails with another error nothing handles, ends elsewhere or with
 * another error, after other attempts, and a property of the run (`run.error`,
 * `run.retries(state)`) may break there only. verify makes those runs too, from the lightest run
 * of the search that called the Task, and checks them as it checks the search's. An error only a
 * Lambda function or a worker throws, named by no Retry, Catch or service model, is one the
 * properties name: a run that ends with it is asked about, so it is made too.
 */

/** A run whose answers a probe starts from: its input and each Task call's answer, per state and invocation. */
export interface AnsweredRun {
  readonly input: JsonValue;
  readonly calls: ReadonlyMap<string, readonly Outcome[]>;
}

/** How verify is told of a run: its input, the answers given, its result, and whether a bound cut it. */
export type Observe = (input: JsonValue, calls: Map<string, Outcome[]>, result: ExecutionResult, partial: boolean) => void;

/** Errors a Task is failed with beside those its Retry names: States.TaskFailed, then those its Catch or its service's model names. */
const OTHER_ERRORS = 3;

/** Errors the properties name that a Task is failed with, at most. */
const NAMED_ERRORS = 4;

/** The most runs the probes make on one machine. */
export const FAILURE_RUNS = 64;

/** Whether a Task's call can end with an error: a `States.` one only where the definition allows it, and no error its request rules out. */
function raisable(def: TaskState, error: string): boolean {
  if (errorRuledOut(def, error) !== undefined) return false;
  if (error === StatesErrors.TASK_FAILED || error === StatesErrors.PERMISSIONS) return true;
  if (isTimeoutError(error)) return clockAllows(def, error);
  return !isStatesErrorName(error);
}

/**
 * The errors a Task is failed with, on every attempt its Retry makes: first those its Retry
 * names, each of which wears a retrier out; then those the properties name (`named`: an
 * endsWith's errors, a run predicate's), where the Task is one whose failures carry names of
 * their own (a Lambda function's, a worker's: raisesOwnErrors), since nothing in the definition
 * says the function throws them, and has a Retry or a Catch of its own; then States.TaskFailed, and a few of the errors its Catch names
 * and its service's model says the call raises (a retrier of States.ALL or States.TaskFailed
 * wears out on any of them; with none, each ends the run its own way).
 * @internal
 */
export function failureErrors(
  def: TaskState, named: readonly string[] = [],
): { readonly retried: string[]; readonly named: string[]; readonly others: string[] } {
  const retried: string[] = [];
  for (const r of def.Retry ?? []) {
    if (r.MaxAttempts === 0) continue;
    for (const e of r.ErrorEquals ?? []) if (e !== StatesErrors.ALL && !retried.includes(e) && raisable(def, e)) retried.push(e);
  }
  // Only where the Task handles errors (a Retry or a Catch): there the author expects it to fail, and
  // a name the properties give tests that handling. A function with neither would end the run with
  // any name at all, which breaks every property about an error name without telling anything.
  const handles = (def.Retry ?? []).length > 0 || (def.Catch ?? []).length > 0;
  const own = raisesOwnErrors(def.Resource) && handles
    ? named.filter((e, i, all) => all.indexOf(e) === i && !isStatesErrorName(e) && !retried.includes(e) && raisable(def, e)).slice(0, NAMED_ERRORS)
    : [];
  const caught = [...(def.Catch ?? []).flatMap((c) => c.ErrorEquals ?? []), ...modelErrors(def.Resource)]
    .filter((e, i, all) => all.indexOf(e) === i && !isStatesErrorName(e) && !retried.includes(e) && !own.includes(e) && raisable(def, e));
  const others = [...(retried.includes(StatesErrors.TASK_FAILED) ? [] : [StatesErrors.TASK_FAILED]), ...caught.slice(0, OTHER_ERRORS)];
  return { retried, named: own, others };
}

/**
 * For each Task whose answers the user did not give, from the lightest run that called it
 * (`callers`): the runs where it fails with each error of failureErrors, those its Retry names
 * first for every Task, then those the properties name (`named`), then the others. Its attempts from its first call there fail with the
 * error (as AWS makes that error of the service's answer), then, since Map iterations and loops
 * call it again in between, every call from that one on. Calls the run did not make are answered
 * as explore answers a call it plans nothing for, and those of `given` states as the user's mocks
 * say. A callback's or an activity's failure is made with a Cause and again without one, as its
 * worker's SendTaskFailure may give none (failureOutcomes). Each run is told to `observe`; the
 * probes stop at FAILURE_RUNS, or once `stopped` says the time budget is spent.
 */
export async function failTasks(
  runner: ScenarioRunner, callers: ReadonlyMap<string, AnsweredRun>, given: ReadonlyMap<string, JsonValue | undefined>,
  observe: Observe, maxTransitions: number, stopped: () => boolean = () => false, named: readonly string[] = [],
): Promise<void> {
  const readers = readersOf(runner);
  const probes: Array<{ name: string; def: TaskState; error: string }> = [];
  const asked: typeof probes = [];
  const later: typeof probes = [];
  for (const [name, def] of failable(runner, callers, given)) {
    const errors = failureErrors(def, named);
    for (const error of errors.retried) probes.push({ name, def, error });
    for (const error of errors.named) asked.push({ name, def, error });
    for (const error of errors.others) later.push({ name, def, error });
  }
  let left = FAILURE_RUNS;
  for (const { name, def, error } of [...probes, ...asked, ...later]) {
    const from = callers.get(name)!;
    /** Per failure, the end of the way before that failed with it, and how many calls of the Task its run made. */
    const made = new Map<Outcome, { readonly upTo: number; readonly calls: number }>();
    for (const way of waysToFail(def, error, from.calls.get(name) ?? [])) {
      if (sameRun(way, made.get(way.failing))) continue;
      if (left-- <= 0 || stopped()) return;
      const ran = await runFailing(runner, from, given, readers, new Map([[name, way]]), maxTransitions);
      if (ran) observe(from.input, ran.calls, ran.result, ran.result.path.length >= maxTransitions);
      if (ran) made.set(way.failing, { upTo: way.upTo, calls: ran.calls.get(name)?.length ?? 0 });
    }
  }
}

/**
 * Whether `way`, which fails every call from its first on, makes the run the way before it made
 * (`before`): that one failed the same calls up to its end, and its run never called the Task
 * there (the history limit, the execution's timeout or the run's own end came first). The two
 * answer every call that run makes alike, so it is the same run (the same answers, seed and
 * clock), and it may be 25,000 events long: a Retry whose MaxAttempts the history limit cuts.
 */
function sameRun(way: FailingWay, before: { readonly upTo: number; readonly calls: number } | undefined): boolean {
  return way.upTo === Infinity && before !== undefined && before.calls <= before.upTo;
}

/** One way a Task's calls fail: with `failing`, from its call `first` up to (not including) `upTo`. */
interface FailingWay {
  readonly failing: Outcome;
  readonly first: number;
  readonly upTo: number;
}

/** The Map states that read their items, and the resource each calls. @internal */
export function readersOf(runner: ScenarioRunner): Map<string, string> {
  const readers = new Map<string, string>();
  for (const [name, def] of allStates(runner.definition)) if (def.Type === 'Map' && def.ItemReader !== undefined) readers.set(name, def.ItemReader.Resource);
  return readers;
}

/** The Tasks verify may fail (or answer late): those a run of the search called whose answers the user did not give. @internal */
export function failable(
  runner: ScenarioRunner, callers: ReadonlyMap<string, AnsweredRun>, given: ReadonlyMap<string, JsonValue | undefined>,
): Array<[string, TaskState]> {
  const out: Array<[string, TaskState]> = [];
  for (const [name, def] of allStates(runner.definition)) {
    if (def.Type === 'Task' && !given.has(name) && callers.has(name)) out.push([name, def]);
  }
  return out;
}

/**
 * The ways a Task fails with `error`, given its calls in the run failed from (`calls`): its
 * attempts from its first call there fail (as AWS makes that error of the service's answer), and
 * where the Retry gives up or the Task is called again (in each iteration of a Map around it),
 * every call from that one on too, since a run where every iteration fails ends elsewhere than
 * one where the first does and the others, side by side, get further. A worker's failure with its
 * Cause, then without one (SendTaskFailure's `cause` is optional). None where the run did not
 * call the Task, unless `fromStart`: then its calls fail from the first.
 */
function waysToFail(def: TaskState, error: string, calls: readonly Outcome[], fromStart = false): FailingWay[] {
  let first = calls.findIndex((o) => o !== undefined);
  if (first < 0) {
    if (!fromStart) return [];
    first = 0;
  }
  const attempts = attemptsFor(def, error);
  const again = calls.length > first + attempts;
  const ends = attempts > 1 || again ? [first + attempts, Infinity] : [first + attempts];
  return failureOutcomes(def.Resource, error).flatMap((failing) => ends.map((upTo) => ({ failing, first, upTo })));
}

/**
 * Runs `from`'s input with the Tasks of `failing` failed as each way says. Calls the run did not
 * make are answered as explore answers a call it plans nothing for, and those of `given` states as
 * the user's mocks say. Undefined when the run throws.
 */
async function runFailing(
  runner: ScenarioRunner, from: AnsweredRun, given: ReadonlyMap<string, JsonValue | undefined>, readers: ReadonlyMap<string, string>,
  failing: ReadonlyMap<string, FailingWay>, maxTransitions: number,
): Promise<{ result: ExecutionResult; calls: Map<string, Outcome[]> } | undefined> {
  return runChanged(runner, from, given, readers, (call, answer) => {
    const way = failing.get(call.state);
    return way !== undefined && call.invocation >= way.first && call.invocation < way.upTo ? way.failing : answer;
  }, maxTransitions);
}

/**
 * Runs `from`'s input with each call of a Task whose answers the user did not give answered as
 * `change` says, from the answer `from` gave it (a call it did not make, as explore answers a call
 * it plans nothing for); those of `given` states as the user's mocks say. Undefined when the run
 * throws. @internal
 */
export async function runChanged(
  runner: ScenarioRunner, from: AnsweredRun, given: ReadonlyMap<string, JsonValue | undefined>, readers: ReadonlyMap<string, string>,
  change: (call: TaskCallInfo, answer: Outcome) => Outcome, maxTransitions: number,
): Promise<{ result: ExecutionResult; calls: Map<string, Outcome[]> } | undefined> {
  const calls = new Map<string, Outcome[]>();
  const answer = (call: TaskCallInfo): Outcome => {
    const mocked = given.get(call.state);
    const outcome = mocked !== undefined ? givenAnswer(mocked, call)
      : change(call, from.calls.get(call.state)?.[call.invocation] ?? defaultOutcome(call, readers.get(call.state)));
    let list = calls.get(call.state);
    if (!list) calls.set(call.state, list = []);
    list[call.invocation] = outcome;
    return outcome;
  };
  try {
    return { result: await runner.run(from.input, answer, { maxTransitions }), calls };
  } catch {
    return undefined;
  }
}

/** The most runs the failures of two Tasks together make on one machine. */
export const PAIR_RUNS = 48;

/** The ways of failing each Task of a pair takes: the first few of its own (its Retry's errors first). */
const PAIR_WAYS = 2;

/** The most runs the failures of three Tasks together make on one machine, after the pairs. */
export const TRIPLE_RUNS = 16;

/** How far the search of two Tasks' failures together went: runs made, pairs of Tasks, and why it stopped short. */
export interface PairSearch {
  /** Runs made. */
  readonly runs: number;
  /** The runs it would make with no bound. */
  readonly planned: number;
  /** Pairs of Tasks it fails together. */
  readonly pairs: number;
  /** What cut it short, when something did. */
  readonly stoppedBy?: 'bound' | 'budget';
  /** Three Tasks failing together, after the pairs (none when the pairs were cut short). */
  readonly triples?: { readonly runs: number; readonly planned: number; readonly triples: number; readonly stoppedBy?: 'bound' | 'budget' };
}

/** The Task calls a run made. */
const callCount = (calls: ReadonlyMap<string, readonly Outcome[]>): number => {
  let n = 0;
  for (const outcomes of calls.values()) for (const o of outcomes) if (o !== undefined) n++;
  return n;
};

/**
 * Two Tasks failing in the same run. failTasks fails one Task at a time; a property may break only
 * where two fail together (one in each branch of a Parallel, where a Catch around one branch
 * recovers from a failure alone), so for each pair of Tasks a run of the search called, the
 * lighter of the two runs that called them first (explore's callers) is run again with both
 * failing, each in the first PAIR_WAYS ways of failTasks (its Retry's errors first, then those the
 * properties name, then the others). A Task that run did not call fails from its first call (it
 * may be called only once the other has failed: a handler). The runs go cheapest first (the base
 * run's Task calls, then the ways' order), each told to `observe`, at most PAIR_RUNS of them, and
 * count against the time budget (`stopped`). Returns how far it went, for the verdicts' reasons.
 */
export async function failTaskPairs(
  runner: ScenarioRunner, callers: ReadonlyMap<string, AnsweredRun>, given: ReadonlyMap<string, JsonValue | undefined>,
  observe: Observe, maxTransitions: number, stopped: () => boolean = () => false, named: readonly string[] = [],
): Promise<PairSearch> {
  const readers = readersOf(runner);
  const tasks = failable(runner, callers, given).map(([name, def]) => {
    const e = failureErrors(def, named);
    return { name, def, errors: [...e.retried, ...e.named, ...e.others] };
  });
  const plans: Array<{ from: AnsweredRun; failing: Map<string, FailingWay>; cost: number }> = [];
  let pairs = 0;
  for (let i = 0; i < tasks.length; i++) {
    for (let j = i + 1; j < tasks.length; j++) {
      const [a, b] = [tasks[i], tasks[j]];
      const ca = callers.get(a.name)!;
      const cb = callers.get(b.name)!;
      const from = callCount(cb.calls) < callCount(ca.calls) ? cb : ca;
      const waysOf = (t: typeof a): FailingWay[] =>
        t.errors.flatMap((error) => waysToFail(t.def, error, from.calls.get(t.name) ?? [], true)).slice(0, PAIR_WAYS);
      const wa = waysOf(a);
      const wb = waysOf(b);
      if (wa.length === 0 || wb.length === 0) continue;
      pairs++;
      const base = callCount(from.calls) * PAIR_WAYS * 2;
      wa.forEach((x, k) => wb.forEach((y, l) => plans.push({ from, failing: new Map([[a.name, x], [b.name, y]]), cost: base + k + l })));
    }
  }
  plans.sort((x, y) => x.cost - y.cost);
  let runs = 0;
  for (const { from, failing } of plans) {
    if (runs >= PAIR_RUNS) return { runs, planned: plans.length, pairs, stoppedBy: 'bound' };
    if (stopped()) return { runs, planned: plans.length, pairs, stoppedBy: 'budget' };
    runs++;
    const ran = await runFailing(runner, from, given, readers, failing, maxTransitions);
    if (ran) observe(from.input, ran.calls, ran.result, ran.result.path.length >= maxTransitions);
  }
  // Three Tasks failing together (three Catches each recovering from one failure alone, whose
  // handlers together make the longest run): each in its first way, from the lightest of the
  // three runs that first called them, the lightest first, at most TRIPLE_RUNS.
  const first = tasks.map((t) => ({
    t,
    way: (from: AnsweredRun) => t.errors.flatMap((error) => waysToFail(t.def, error, from.calls.get(t.name) ?? [], true))[0],
  }));
  const triplePlans: Array<{ from: AnsweredRun; failing: Map<string, FailingWay>; cost: number }> = [];
  let triples = 0;
  for (let i = 0; i < first.length; i++) {
    for (let j = i + 1; j < first.length; j++) {
      for (let k = j + 1; k < first.length; k++) {
        const three = [first[i], first[j], first[k]];
        const from = three.map((x) => callers.get(x.t.name)!).reduce((a, b) => (callCount(b.calls) < callCount(a.calls) ? b : a));
        const ways = three.map((x) => x.way(from));
        if (ways.some((w) => w === undefined)) continue;
        triples++;
        triplePlans.push({ from, failing: new Map(three.map((x, n) => [x.t.name, ways[n]!])), cost: callCount(from.calls) });
      }
    }
  }
  triplePlans.sort((x, y) => x.cost - y.cost);
  let tripleRuns = 0;
  for (const { from, failing } of triplePlans) {
    const cut = tripleRuns >= TRIPLE_RUNS ? 'bound' : stopped() ? 'budget' : undefined;
    if (cut) return { runs, planned: plans.length, pairs, triples: { runs: tripleRuns, planned: triplePlans.length, triples, stoppedBy: cut } };
    tripleRuns++;
    const ran = await runFailing(runner, from, given, readers, failing, maxTransitions);
    if (ran) observe(from.input, ran.calls, ran.result, ran.result.path.length >= maxTransitions);
  }
  return { runs, planned: plans.length, pairs, ...(triples > 0 ? { triples: { runs: tripleRuns, planned: triplePlans.length, triples } } : {}) };
}

/** How a search of runs verify plans went against its bound: cut at it, at the time budget, or every one planned. @internal */
export const searchCut = (stoppedBy: PairSearch['stoppedBy'], planned: number): string => (stoppedBy === 'bound' ? `, cut at that bound of ${planned} planned`
  : stoppedBy === 'budget' ? `, cut at the time budget of ${planned} planned (give more --budget-seconds)` : ', every one planned');

/** How far the pairs went, in words, for a reason. @internal */
export function describePairs(s: PairSearch): string {
  const t = s.triples;
  const rest = t === undefined ? 'three or more failing together'
    : `failures of three Tasks together: ${t.runs} run${t.runs === 1 ? '' : 's'} of at most ${TRIPLE_RUNS} over ${t.triples} triple${t.triples === 1 ? '' : 's'} of Tasks${searchCut(t.stoppedBy, t.planned)}; four or more failing together`;
  return `failures of two Tasks together: ${s.runs} run${s.runs === 1 ? '' : 's'} of at most ${PAIR_RUNS} over ${s.pairs} pair${s.pairs === 1 ? '' : 's'} of Tasks${searchCut(s.stoppedBy, s.planned)}; ${rest} are not tried`;
}
