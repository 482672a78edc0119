import { EXPLORE_MAX_STATES } from './context';
import type { Outcome, ScenarioRunner } from './runner';
import type { AnswerFields } from './verify-answer-fields';
import type { RuleReadTogether } from './verify-asks';
import { booleanRuns, type BooleanPlace } from './verify-booleans';
import { acrossBases, boundaryAnswers, boundaryInputs, boundaryShapes, taskResources } from './verify-boundaries';
import { asksKinds, kindAnswers, kindInputs } from './verify-kinds';
import { answersWithCallers, textRuns, togetherRuns, type TextBase, type TextFields } from './verify-texts';
import type { JsonValue, StateMachineDefinition } from '../asl';
import type { ExecutionResult } from '../interpreter';

/*
 * The runs verify makes beside explore's search: each starts from a run the search made (its
 * input, its Task answers) with one thing changed (an input of another kind, a number at a
 * boundary, a text the machine writes), and is told to verify as a run of the search is, so a
 * property one breaks is confirmed as any.
 */

/** What verify is told of each run: its input, its Task answers, its result, and whether it was cut short. @internal */
export type Observe = (input: JsonValue, calls: Map<string, Outcome[]>, result: ExecutionResult, partial: boolean) => void;

/** Execution inputs of each JSON kind but an object: AWS takes any JSON, explore's search makes objects. */
const PROBE_INPUTS: readonly JsonValue[] = ['', 0, false, null, []];

/** Runs the boundary probes may make. */
const BOUNDARY_RUNS = 150;
/** Runs the boundary probes of Task answers may make. */
const BOUNDARY_ANSWER_RUNS = 100;
/** Runs the boolean probe may make. */
const BOOLEAN_RUNS = 100;
/** Runs the kind probes may make, of inputs and of Task answers each. */
const KIND_RUNS = 100;

/** A run verify keeps: its input and the answers its Task calls got. @internal */
export interface Candidate {
  readonly input: JsonValue;
  readonly calls: ReadonlyMap<string, readonly Outcome[]>;
  /** Task calls, then input size: the smaller the better. */
  readonly weight: number;
  /** The states its run entered (its path's length), where verify kept it from a run. */
  readonly states?: number;
}

/**
 * How far a text probe's run is followed past the states of the run it changed: a changed answer
 * that sends the run round a loop its base left (each further call answered as the last was) goes
 * round for ever, and is judged on this prefix, as the search's runs are on their first
 * EXPLORE_MAX_STATES. Its turns are alike: a loop's bound a property names is met within it.
 */
const PROBE_STATES_PAST_BASE = 100;

/** The states a probe's run from `base` is followed: twice its base's, and PROBE_STATES_PAST_BASE more, at most the search's. @internal */
export const probeStates = (base: { readonly states?: number }): number =>
  base.states === undefined ? EXPLORE_MAX_STATES : Math.min(EXPLORE_MAX_STATES, 2 * base.states + PROBE_STATES_PAST_BASE);

/** The Task calls a run made (each answer it got). @internal */
export const countCalls = (calls: ReadonlyMap<string, readonly Outcome[]>): number => {
  let n = 0;
  for (const outcomes of calls.values()) for (const o of outcomes) if (o !== undefined) n++;
  return n;
};
/** Task calls, then input size: the lighter run is the smaller counterexample. @internal */
export const weightOf = (input: JsonValue, calls: ReadonlyMap<string, readonly Outcome[]>): number =>
  JSON.stringify(input).length + 1_000_000 * countCalls(calls);

/**
 * A cut's limits on one run: given up at its `calls`-th Task call (it would be no lighter than the
 * run it cuts) or when the cut's `spent.calls` run out; its history kept only when `history`.
 */
export interface RunCap {
  readonly calls: number;
  readonly history: boolean;
  readonly spent: { calls: number };
}

/**
 * Runs `input` answering each Task call as `known` answered it; undefined when a call has no answer
 * there, the run passes its `cap`, or it throws. Such a run is given up at the next state it enters.
 */
export async function runAnswered(
  runner: ScenarioRunner, input: JsonValue, known: ReadonlyMap<string, readonly Outcome[]>, repeatLast = false, cap?: RunCap,
  maxStates = EXPLORE_MAX_STATES,
): Promise<{ result: ExecutionResult; calls: Map<string, Outcome[]> } | undefined> {
  const calls = new Map<string, Outcome[]>();
  let made = 0;
  let givenUp = false;
  // A run given up is not kept: its Task answers a result, so a Retry stops calling it, and the next state ends it.
  const giveUp = (): Outcome => {
    givenUp = true;
    return { kind: 'return', value: null };
  };
  let result: ExecutionResult;
  try {
    result = await runner.run(input, (call) => {
      if (givenUp || (cap && (++made >= cap.calls || cap.spent.calls-- <= 0))) return giveUp();
      const prior = known.get(call.state);
      // A call past those `known` answered (a Map given more items) is answered as the last one was, when asked.
      const outcome = prior?.[call.invocation] ?? (repeatLast && prior && prior.length > 0 ? prior[prior.length - 1] : undefined);
      if (outcome === undefined) return giveUp();
      let list = calls.get(call.state);
      if (!list) calls.set(call.state, list = []);
      list[call.invocation] = outcome;
      return outcome;
    }, { maxTransitions: maxStates }, () => {
      if (givenUp) throw new Error('verify: run given up');
    }, cap?.history ?? true);
  } catch {
    return undefined;
  }
  return givenUp ? undefined : { result, calls };
}

/**
 * AWS takes any JSON as an execution input, and explore's search makes objects: the runs it does
 * not make fail where a state writes a ResultPath into the input or reads a field of it. Each
 * other kind of input is run with no Task answers, and with those of the lightest runs of the
 * search, and told to verify as a run of the search is, so a property such a run breaks is
 * VIOLATED with it, not left UNKNOWN.
 */
export async function probeInputKinds(
  runner: ScenarioRunner, lightest: readonly Candidate[],
  observe: Observe,
): Promise<void> {
  const seeds: ReadonlyMap<string, readonly Outcome[]>[] = [new Map(), ...lightest.map((c) => c.calls)];
  for (const input of PROBE_INPUTS) {
    for (const known of seeds) {
      const ran = await runAnswered(runner, input, known);
      if (ran) observe(input, ran.calls, ran.result, ran.result.path.length >= EXPLORE_MAX_STATES);
    }
  }
}

/** The source of a function of the run, whose numbers the boundary probes try. */
export function sourceOf(p: unknown): string | undefined {
  const fn = typeof p === 'function' ? p : p !== null && typeof p === 'object' ? (p as { test?: unknown }).test : undefined;
  if (typeof fn !== 'function') return undefined;
  try {
    return Function.prototype.toString.call(fn);
  } catch {
    return undefined;
  }
}

/**
 * Runs the inputs at the machine's and the properties' numeric boundaries (verify-boundaries),
 * each changed from a run of the search that succeeded and answering each Task as that run did
 * (a Task it did not call as the lightest run of the search that called it), and tells each run to
 * verify as a run of the search is: a property one breaks is then confirmed as any.
 */
export async function probeBoundaries(
  runner: ScenarioRunner, def: StateMachineDefinition, sources: readonly string[], bases: readonly Candidate[],
  answerBases: readonly Candidate[], callers: ReadonlyMap<string, Candidate>,
  observe: Observe,
): Promise<void> {
  // Taken in turn across the bases, so that the bound reaches each one's fields; an item more than a base had answered as its last.
  for (const { base, input } of boundaryInputs(def, sources, bases.map((b) => b.input)).slice(0, BOUNDARY_RUNS)) {
    const ran = await runAnswered(runner, input, answersWithCallers(bases[base], callers), true);
    if (ran) observe(input, ran.calls, ran.result, ran.result.path.length >= EXPLORE_MAX_STATES);
  }
  // The same boundaries in what the Tasks answered: each base's input, one number of one answer changed (a Task the
  // change sends the run to answered as the lightest run that called it).
  // And in the numbers answered as text and the number of items answered, with runs of their own; both taken in turn across the bases.
  for (const [base, answers] of [
    ...acrossBases(answerBases, (b) => boundaryAnswers(def, sources, b.calls)).slice(0, BOUNDARY_ANSWER_RUNS),
    ...acrossBases(answerBases, (b) => boundaryShapes(def, sources, b.calls, (r) => runner.resultPrefix(r))).slice(0, BOUNDARY_ANSWER_RUNS),
  ]) {
    const ran = await runAnswered(runner, base.input, answersWithCallers({ input: base.input, calls: answers }, callers));
    if (ran) observe(base.input, ran.calls, ran.result, ran.result.path.length >= EXPLORE_MAX_STATES);
  }
}

/**
 * Runs the text probes (verify-texts.ts) from `bases`, each answered as its run was, a Task it did
 * not call as the callers'; a text also goes to the answers' fields `fields` names, and the
 * texts of each rule of `together` to every place it reads at once.
 */
export async function probeTexts(
  runner: ScenarioRunner, bases: readonly Candidate[], callers: ReadonlyMap<string, Candidate>, fields: TextFields,
  observe: Observe, together: readonly RuleReadTogether[] = [],
): Promise<void> {
  const prefixOf = (r: string): ReadonlyArray<string | number> => runner.resultPrefix(r);
  const answersOf = (b: TextBase): Map<string, readonly Outcome[]> => answersWithCallers(b, callers);
  for (const [input, answers, base] of [
    ...textRuns(runner.definition, bases, answersOf, BOUNDARY_RUNS, BOUNDARY_ANSWER_RUNS, fields, prefixOf),
    ...togetherRuns(runner.definition, bases, together, answersOf, BOUNDARY_ANSWER_RUNS),
  ]) {
    const most = probeStates(base);
    const ran = await runAnswered(runner, input, answers, true, undefined, most);
    if (ran) observe(input, ran.calls, ran.result, ran.result.path.length >= most);
  }
}

/**
 * Runs the boolean probe (verify-booleans.ts): each of `bases` with true, then false, at each
 * place a Choice rule reads as a boolean (a field of the input, or of a Task's answer where its
 * model allows one), answered as its run was, a Task it did not call as the callers'.
 */
export async function probeBooleans(
  runner: ScenarioRunner, bases: readonly Candidate[], callers: ReadonlyMap<string, Candidate>, places: readonly BooleanPlace[],
  observe: Observe,
): Promise<void> {
  if (places.length === 0) return;
  const prefixOf = (r: string): ReadonlyArray<string | number> => runner.resultPrefix(r);
  for (const { base, input, answers } of booleanRuns(places, bases, taskResources(runner.definition), prefixOf, BOOLEAN_RUNS)) {
    // A flipped boolean may send the run round a loop its base left: followed as the text probes' are.
    const most = probeStates(bases[base]);
    const ran = await runAnswered(runner, input, answersWithCallers({ input, calls: answers }, callers), true, undefined, most);
    if (ran) observe(input, ran.calls, ran.result, ran.result.path.length >= most);
  }
}

/**
 * Where the machine asks a value's kind, runs the kind probes (verify-kinds.ts): each of `bases`
 * with a field of its input given a value of another kind, and each of `answerBases` with a field
 * of one answer (one it holds, or one `reads` names) given one (a Task a change sends the run to
 * answered as the callers').
 */
export async function probeKinds(
  runner: ScenarioRunner, bases: readonly Candidate[], answerBases: readonly Candidate[], callers: ReadonlyMap<string, Candidate>,
  reads: AnswerFields, observe: Observe,
): Promise<void> {
  const def = runner.definition;
  if (!asksKinds(def)) return;
  for (const { base, input } of kindInputs(def, bases.map((b) => b.input)).slice(0, KIND_RUNS)) {
    const ran = await runAnswered(runner, input, answersWithCallers(bases[base], callers), true);
    if (ran) observe(input, ran.calls, ran.result, ran.result.path.length >= EXPLORE_MAX_STATES);
  }
  const prefixOf = (r: string): ReadonlyArray<string | number> => runner.resultPrefix(r);
  for (const [base, answers] of acrossBases(answerBases, (b) => kindAnswers(def, b.calls, prefixOf, reads)).slice(0, KIND_RUNS)) {
    const ran = await runAnswered(runner, base.input, answersWithCallers({ input: base.input, calls: answers }, callers));
    if (ran) observe(base.input, ran.calls, ran.result, ran.result.path.length >= EXPLORE_MAX_STATES);
  }
}
