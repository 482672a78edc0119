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
  const states = allStates(runner.definition);
  const readers = new Map<string, string>();
  for (const [name, def] of states) if (def.Type === 'Map' && def.ItemReader !== undefined) readers.set(name, def.ItemReader.Resource);
  const probes: Array<{ name: string; def: TaskState; error: string }> = [];
  const asked: typeof probes = [];
  const later: typeof probes = [];
  for (const [name, def] of states) {
    if (def.Type !== 'Task' || given.has(name) || !callers.has(name)) continue;
    const errors = failureErrors(def, named);
    for (const error of errors.retried) probes.push({ name, def, error });
    for (const error of errors.named) asked.push({ name, def, error });
    for (const error of errors.others) later.push({ name, def, error });
  }
  let left = FAILURE_RUNS;
  for (const { name, def, error } of [...probes, ...asked, ...later]) {
    const from = callers.get(name)!;
    const first = from.calls.get(name)?.findIndex((o) => o !== undefined) ?? -1;
    if (first < 0) continue;
    const attempts = attemptsFor(def, error);
    // Every call failing too, where the Retry gives up or the Task is called again (in each
    // iteration of a Map around it): a run where every iteration fails ends elsewhere than one
    // where the first does and the others, side by side, get further.
    const again = (from.calls.get(name)?.length ?? 0) > first + attempts;
    const ends = attempts > 1 || again ? [first + attempts, Infinity] : [first + attempts];
    // A worker's failure with its Cause, then without one (SendTaskFailure's `cause` is optional).
    const ways = failureOutcomes(def.Resource, error).flatMap((failing) => ends.map((upTo) => ({ failing, upTo })));
    for (const { failing, upTo } of ways) {
      if (left-- <= 0 || stopped()) return;
      const calls = new Map<string, Outcome[]>();
      const answer = (call: TaskCallInfo): Outcome => {
        const mocked = given.get(call.state);
        const outcome = mocked !== undefined ? givenAnswer(mocked, call)
          : call.state === name && call.invocation >= first && call.invocation < upTo ? failing
            : from.calls.get(call.state)?.[call.invocation] ?? defaultOutcome(call, readers.get(call.state));
        let list = calls.get(call.state);
        if (!list) calls.set(call.state, list = []);
        list[call.invocation] = outcome;
        return outcome;
      };
      let result: ExecutionResult;
      try {
        result = await runner.run(from.input, answer, { maxTransitions });
      } catch {
        continue;
      }
      observe(from.input, calls, result, result.path.length >= maxTransitions);
    }
  }
}
