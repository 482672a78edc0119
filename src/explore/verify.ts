import { DEFAULT_BUDGET_SECONDS, exploreClock, EXPLORE_MAX_STATES, isPositive, positiveRule, type EngineOptions } from './context';
import { exploreMachine } from './engine';
import { mocksOf } from './plan';
import { describeProperty, errorsNamedBy, normalizeProperty, violationOf, type PathProperty, type RunProperty, type VerifyProperty } from './properties';
import type { Outcome, ScenarioRunner } from './runner';
import { answerReads, fieldsOf, joinFields } from './verify-answer-fields';
import { answerFieldsRulesRead, placesRulesRead, rulePlaces, rulesReadTogether, whatToGiveFor, type RulePlace } from './verify-asks';
import { booleanPlaces } from './verify-booleans';
import { taskResources } from './verify-boundaries';
import { GivenBounds, itemsBoundAsks, itemsThatProve, turnsBoundAsks, turnsThatProve, withMapItems, type VerifyBounds } from './verify-bounds';
import { clockBoundWhy } from './verify-clock-why';
import { cutByLoops, historyLimitWords, withChildCuts } from './verify-cut';
import { dataErrorsOf } from './verify-data';
import { Borrowers } from './verify-donors';
import { describePairs, failTaskPairs, failTasks, type PairSearch } from './verify-failures';
import { folderItems } from './verify-folder';
import { MachineGraph, type GraphFacts } from './verify-graph';
import { itemsPerIteration, mapItemBound, probeItems, type ItemsGoal } from './verify-items';
import { answerLate, describeLate, type LateSearch } from './verify-late';
import { ObservingRunner } from './verify-observing';
import { countCalls, probeBooleans, probeBoundaries, probeInputKinds, probeKinds, probeTexts, runAnswered, sourceOf, weightOf, type Candidate, type RunCap } from './verify-probes';
import { proveOnGraph } from './verify-prove';
import { secondsBound } from './verify-seconds';
import { AnswersSeen, fewerCalls, smallerValues } from './verify-shrink';
import { pathAsks, ValuesTried } from './verify-steer';
import { answersHoldText, answersWithCallers, insideFieldsOf, textsOfRulesRead } from './verify-texts';
import { historyLimitHit, notCovered } from './verify-uncovered';
import { booleanOnly, refuseUnusable, type Unusable } from './verify-unusable';
import type { JsonObject, JsonValue } from '../asl';
import { allStates, forEachState, processorOf } from '../asl/state-tree';
import type { ExecutionResult, ExecutionStatus } from '../interpreter';

/*
 * verify: a property checked over every path of a machine. explore's search makes the runs (its
 * inputs and Task answers reach every state, transition, Choice rule, Retry and Catch); verify
 * checks every property on every one of them, confirms a violation by running its counterexample
 * again from the mocks a test would give, and proves HOLDS on the machine's graph only once
 * explore's coverage is complete.
 */

export type { VerifyBounds } from './verify-bounds';

/** How verify judged one property. */
export type Verdict = 'HOLDS' | 'VIOLATED' | 'UNKNOWN';

/** A run that breaks a property: what a test, or `stepwright run --input … --mocks …`, gives to see it again. */
export interface Counterexample {
  /** The execution input. */
  readonly input: JsonValue;
  /** The Task answers, in the `--mocks` JSON format (per state, one entry, or a list with one per call). */
  readonly mocks: JsonObject;
  /** The states the run enters, in order. */
  readonly path: readonly string[];
  readonly status: ExecutionStatus;
  /** The error, when the run did not succeed. */
  readonly error?: string;
  /** How it was minimized: the fewest Task calls, then the smallest input. */
  readonly minimized: Minimization;
}

/**
 * How a counterexample was minimized: of the runs that break the property, the one with the
 * fewest Task calls and then the smallest input; its calls then cut (a later call of a Task
 * answered as another run answered that Task, so the run ends sooner: a loop that breaks
 * "at most 2 reminders" on its 3rd turn is not run to its 364th), as long as it still breaks the
 * property; then its input shrunk (fields and items dropped, strings and numbers shortened) as
 * long as it still breaks the property with no more Task calls.
 */
export interface Minimization {
  /** Task calls the counterexample makes (each answer its mocks give; retries and iterations count). */
  readonly taskCalls: number;
  /** The length of its input written as JSON. */
  readonly inputCharacters: number;
  /** The runs of the search that broke the property. */
  readonly violatingRuns: number;
  /** The Task calls of the run its calls were cut from (absent when no cut kept the violation). */
  readonly cutFromTaskCalls?: number;
  /** The length of the input, as JSON, of the run it was shrunk from (absent when no shrink kept the violation). */
  readonly shrunkFromCharacters?: number;
}

/** The verdict on one property, with why. */
export interface PropertyVerdict {
  readonly verdict: Verdict;
  /** What the property asks, in words. */
  readonly property: string;
  /** Why this verdict: the violation, the proof, or what was not covered and what to give. */
  readonly reason: string;
  /** For VIOLATED: the run that breaks it, confirmed by running it again. */
  readonly counterexample?: Counterexample;
}

/** What `verify` reports: a verdict per property, keyed by the property's name, and the search under them. */
export interface VerifyReport {
  readonly machine: string;
  readonly properties: { readonly [name: string]: PropertyVerdict };
  /** Executions checked (every run explore made). */
  readonly runs: number;
  /** True when explore reached or proved unreachable every goal within its bounds. */
  readonly complete: boolean;
  /** The bound that cut the search short, when one did. */
  readonly stoppedBy?: 'budget' | 'max-scenarios' | 'max-runs';
  /**
   * The bounds you gave on the runs ({@link VerifyBounds}) that a verdict rests on: a `HOLDS`
   * that only they earn, its reason naming the bound, holds for the runs within them.
   * Absent when no verdict rests on one.
   */
  readonly boundsHit?: ReadonlyArray<keyof VerifyBounds>;
}


/** Where verify is, told while it runs. */
export interface VerifyProgress {
  /** `search` while explore makes runs; `confirm` while counterexamples are minimized and run again. */
  readonly phase: 'search' | 'confirm';
  /** Runs made so far. */
  readonly runs: number;
  /** Properties some run has broken so far. */
  readonly broken: number;
  /** Seconds since verify started, on explore's clock. */
  readonly elapsedSeconds: number;
  /** The search's time budget, in seconds. */
  readonly budgetSeconds: number;
}

/** Options of verify: explore's (input, mocks, budget, seed, S3 folder), and what to tell while it runs. */
export interface VerifyOptions extends EngineOptions, VerifyBounds {
  /** Told after each run of the search, and once before the counterexamples are confirmed. */
  readonly onProgress?: (progress: VerifyProgress) => void;
}

/** Candidates kept per property for confirmation: the smallest few violating runs. */
const CANDIDATES = 3;
/** Runs one counterexample's shrinking may make. */
const SHRINK_RUNS = 200;
/** Runs cutting one property's counterexamples' Task calls may make, and the Task calls of them all. */
const CUT_RUNS = 150;
const CUT_CALLS = 20_000;
/** How deep into the input shrinking looks. */
const SHRINK_DEPTH = 32;
/** Runs of the search whose Task answers the input-kind probes reuse. */
const PROBE_SEEDS = 2;
/** Runs of the search an UNKNOWN's reason reads where the Choice rules read what a test gives. */
const ASK_RUNS = 8;
/** Inputs of the search whose numbers the boundary probes change. */
const BOUNDARY_BASES = 4;
/** Runs of the search, one per path, whose Task answers the boundary probes change. */
const ANSWER_BASES = 8;
/** Fields of one Task's answer the text and kind probes place a value at beyond those it holds. */
const FIELDS_READ = 12;

/**
 * Checks each property over every path of the runner's machine: VIOLATED with a counterexample
 * that reproduces, HOLDS when explore's coverage is complete and the property holds on every
 * path of the machine's graph, UNKNOWN otherwise, saying what was not covered.
 * @throws PropertyError when a property names no state of the machine or is not well formed
 */
export async function verifyMachine<R extends ExecutionResult>(
  runner: ScenarioRunner, properties: Readonly<Record<string, VerifyProperty<R>>>, options: VerifyOptions = {},
): Promise<VerifyReport> {
  for (const key of ['loopTurns', 'mapItems'] as const) {
    const value = options[key];
    if (value !== undefined && !isPositive(value, true)) throw new RangeError(`verify: ${key} must be ${positiveRule(true)}, got ${JSON.stringify(value)}`);
  }
  const names = new Set(allStates(runner.definition).keys());
  const checks = new Map<string, PathProperty | RunProperty<R>>();
  const unknownNames = new Map<string, string[]>();
  /**
   * Per function of the run verify cannot use, why: it returned something other than true or
   * false (what it returned), or its door stopped it at a limit (what the door said).
   */
  const unusable = new Map<string, Unusable>();
  /** Errors only the user's own functions throw, which no Retry, Catch or model names: those the properties ask about. */
  const named = new Set<string>();
  for (const [name, p] of Object.entries(properties)) {
    const unknown: string[] = [];
    const q = normalizeProperty<R>(name, p, names, unknown);
    for (const e of errorsNamedBy(q as PathProperty | RunProperty<never>, names)) named.add(e);
    checks.set(name, q.kind === 'run' ? booleanOnly(name, q, unusable) : q);
    if (unknown.length > 0) unknownNames.set(name, unknown);
  }
  const candidates = new Map<string, Candidate[]>([...checks.keys()].map((k) => [k, []]));
  const failedAt = new Map<string, Set<string>>();
  const violatingRuns = new Map<string, number>();
  /** The lightest runs of the search, whose answers the input-kind probes reuse. */
  const lightest: Candidate[] = [];
  /** Per Task, the lightest run of the search that called it. */
  const callers = new Map<string, Candidate>();
  /** Per Task, the answers the runs gave it: a counterexample's later calls are cut short with them. */
  const answersSeen = new AnswersSeen();
  /** The inputs and answers the runs were given: an UNKNOWN names those already tried where a rule reads. */
  const valuesTried = new ValuesTried();
  /**
   * True while explore's search runs. The runs verify makes after it (an input of another kind, a
   * Task worn out) are lighter than the search's, yet a Task failed from them goes elsewhere: a
   * Catch's ResultPath cannot write into the input `0`, and a run cut short by a failure calls fewer
   * Tasks. The failures start from the search's runs only.
   */
  let searching = true;
  let runs = 0;
  /** The first few runs of the search that succeeded, with distinct inputs, whose numbers the boundary probes change. */
  const bases = new Map<string, Candidate>();
  /** The first runs of the search that succeeded on distinct paths, whose answers' numbers the boundary probes change. */
  const answerBases = new Map<string, Candidate>();
  /** The first runs of the search a Fail state ended on distinct paths, whose answers the boundary probes change where no run succeeded. */
  const failBases = new Map<string, Candidate>();
  const textBases = new Map<string, Candidate>();
  /**
   * Per state an atMost names inside a Map, and per first state of a Map whose items nothing
   * bounds (for maxTransitions and maxSeconds), the lightest run of the search that entered it:
   * the Map-items probe grows its input or its Task answers.
   */
  const inMaps = new Set<string>();
  const scopes = new Map<string, readonly string[]>();
  const types = new Map<string, string>();
  /** The first state of each Map's iteration whose items the definition does not bound: a run gets longer with its items. */
  const unboundedStarts: Array<{ readonly start: string; readonly perIteration: number }> = [];
  /** Per Map, the items one iteration takes (its batch): a run needs that many more for one more iteration. */
  const perIteration = new Map<string, number>();
  // What the local S3 folder holds where the Maps it answers read their items: a bound, for that folder's contents.
  const folder = options.s3Folder !== undefined ? await folderItems(runner.definition, options.itemsFromS3Folder ?? [], options.s3Folder) : new Map();
  forEachState(runner.definition, (name, state, scope) => {
    scopes.set(name, scope.enclosing);
    types.set(name, state.Type);
    if (state.Type === 'Map') perIteration.set(name, itemsPerIteration(state));
    const start = state.Type === 'Map' && mapItemBound(state, folder.get(name)) === undefined ? (processorOf(state) as { StartAt?: unknown } | undefined)?.StartAt : undefined;
    if (typeof start === 'string') unboundedStarts.push({ start, perIteration: itemsPerIteration(state) });
  });
  const itemsGoals: Array<ItemsGoal & { readonly name: string }> = [];
  for (const [name, p] of checks) {
    const maps = (scopes.get(p.kind === 'atMost' ? p.state : '') ?? []).filter((o) => types.get(o) === 'Map');
    if (p.kind === 'atMost' && maps.length > 0) {
      // The Map the state sits in directly: its batches are the iterations that enter it.
      const unit = perIteration.get(maps[maps.length - 1]) ?? 1;
      const measure = (r: ExecutionResult): number => r.path.filter((s) => s === p.state).length;
      itemsGoals.push({ name, state: p.state, most: p.times, measure, perIteration: unit });
    }
    if (p.kind === 'maxTransitions' || p.kind === 'maxSeconds') {
      const measure = p.kind === 'maxTransitions' ? (r: ExecutionResult) => r.path.length : (r: ExecutionResult) => (r.stopDate.getTime() - r.startDate.getTime()) / 1000;
      for (const s of unboundedStarts) itemsGoals.push({ name, state: s.start, most: p.limit, measure, perIteration: s.perIteration });
    }
  }
  for (const g of itemsGoals) inMaps.add(g.state);
  const visitors = new Map<string, Candidate>();
  /** The states whose visitor kept is a run that succeeded. */
  const visitorSucceeded = new Set<string>();
  /** The first runs (with their history) to enter each Choice: an UNKNOWN names where its rules read what a test gives. */
  const askRuns: ExecutionResult[] = [];
  const choicesEntered = new Set<string>();

  const started = exploreClock.now();
  const budgetSeconds = options.budgetSeconds ?? DEFAULT_BUDGET_SECONDS;
  const tell = (phase: VerifyProgress['phase']): void => {
    if (!options.onProgress) return;
    const elapsedSeconds = Math.max(0, (exploreClock.now() - started) / 1000);
    options.onProgress({ phase, runs, broken: violatingRuns.size, elapsedSeconds, budgetSeconds });
  };

  const observe = (input: JsonValue, calls: Map<string, Outcome[]>, result: ExecutionResult, partial: boolean): void => {
    runs++;
    answersSeen.add(calls);
    valuesTried.add(input, calls);
    const last = result.path[result.path.length - 1];
    if (!partial && result.status === 'FAILED' && last !== undefined && result.error !== undefined) {
      let errors = failedAt.get(last);
      if (!errors) failedAt.set(last, errors = new Set());
      errors.add(result.error);
    }
    const weight = weightOf(input, calls);
    if (!partial && (lightest.length < PROBE_SEEDS || lightest[lightest.length - 1].weight > weight)) {
      lightest.push({ input, calls: new Map([...calls].map(([k, v]) => [k, [...v]])), weight, states: result.path.length });
      lightest.sort((a, b) => a.weight - b.weight);
      if (lightest.length > PROBE_SEEDS) lightest.pop();
    }
    // The lightest run of the search that called each Task: the failures explore does not make start from it.
    if (!partial && searching) {
      if (bases.size < BOUNDARY_BASES && result.status === 'SUCCEEDED' && !bases.has(JSON.stringify(input))) {
        bases.set(JSON.stringify(input), { input, calls: new Map([...calls].map(([k, v]) => [k, [...v]])), weight, states: result.path.length });
      }
      // The first run on each path: a rule's edge is reached from the runs its rule decides.
      const answered = JSON.stringify([input, [...calls]]);
      const way = JSON.stringify(result.path);
      if (answerBases.size < ANSWER_BASES && result.status === 'SUCCEEDED' && !answerBases.has(way)) {
        answerBases.set(way, { input, calls: new Map([...calls].map(([k, v]) => [k, [...v]])), weight, states: result.path.length });
      } else if (failBases.size < BOUNDARY_BASES && result.status === 'FAILED' && types.get(last ?? '') === 'Fail' && !failBases.has(way)) {
        failBases.set(way, { input, calls: new Map([...calls].map(([k, v]) => [k, [...v]])), weight, states: result.path.length });
      }
      // However the run ended: a text it was answered may be the one a Choice needs changed.
      if (textBases.size < BOUNDARY_BASES && answersHoldText(calls) && !textBases.has(answered)) {
        textBases.set(answered, { input, calls: new Map([...calls].map(([k, v]) => [k, [...v]])), weight, states: result.path.length });
      }
      // A run that succeeded first: given more items, each goes where its item went, where a
      // lighter run's failure (a Task after the state that its item cannot feed) cuts the Map short.
      const succeeded = result.status === 'SUCCEEDED';
      for (const state of inMaps) {
        const kept = visitors.get(state);
        const keptSucceeded = visitorSucceeded.has(state);
        const better = !kept || (succeeded && !keptSucceeded) || (succeeded === keptSucceeded && weight < kept.weight);
        if (!result.path.includes(state) || !better) continue;
        visitors.set(state, { input, calls: new Map([...calls].map(([k, v]) => [k, [...v]])), weight, states: result.path.length });
        if (succeeded) visitorSucceeded.add(state);
      }
      for (const [state, outcomes] of calls) {
        const kept = callers.get(state);
        if (!outcomes.some((o) => o !== undefined) || (kept && kept.weight <= weight)) continue;
        callers.set(state, { input, calls: new Map([...calls].map(([k, v]) => [k, [...v]])), weight, states: result.path.length });
      }
    }
    for (const [name, p] of checks) {
      // eslint-disable-next-line no-restricted-syntax -- the runner's runs are R (the harness's WorkflowRun), which ScenarioRunner widens to ExecutionResult
      if (violationOf(p, result as R, partial) === undefined) continue;
      violatingRuns.set(name, (violatingRuns.get(name) ?? 0) + 1);
      const kept = candidates.get(name)!;
      if (kept.length >= CANDIDATES && kept[kept.length - 1].weight <= weight) continue;
      kept.push({ input, calls: new Map([...calls].map(([k, v]) => [k, [...v]])), weight });
      kept.sort((a, b) => a.weight - b.weight);
      if (kept.length > CANDIDATES) kept.pop();
    }
    if (!partial && askRuns.length < ASK_RUNS && result.history.length > 0) {
      const fresh = result.path.filter((s) => types.get(s) === 'Choice' && !choicesEntered.has(s));
      for (const s of fresh) choicesEntered.add(s);
      if (fresh.length > 0) askRuns.push(result);
    }
    tell('search');
  };

  const { onProgress: _told, loopTurns: _turns, mapItems: _items, ...exploreOptions } = options;
  const report = await exploreMachine(new ObservingRunner(runner, observe, [...checks.values()].some((p) => p.kind === 'run')), exploreOptions);
  searching = false;
  await probeInputKinds(runner, lightest, observe);
  const sources = Object.values(properties).map(sourceOf).filter((x): x is string => x !== undefined);
  // Each run once: the same run is often the lightest, a base and a Task's caller, and each base is one more lane of every probe.
  const texts = [...new Map([...bases.values(), ...textBases.values(), ...lightest, ...answerBases.values(), ...callers.values()]
    .map((c) => [JSON.stringify([c.input, [...c.calls]]), c] as const)).values()];
  const borrowers = new Borrowers(texts.map((b) => b.input));
  await probeBoundaries(runner, runner.definition, sources, [...bases.values()], [...answerBases.values()], callers, borrowers.watch(observe));
  // Where no run succeeded (a rule negated may leave none), the runs a Fail state ended went the machine's way: their answers are changed.
  const failed = [...failBases.values()];
  if (answerBases.size === 0) await probeBoundaries(runner, runner.definition, sources, [], failed, callers, borrowers.watch(observe));
  // Within the search's time budget: a machine of long runs makes fewer of them.
  const spent = (): boolean => exploreClock.now() - started >= budgetSeconds * 1000;
  const mocked = new Map(Object.entries(options.mocks ?? {}));
  await failTasks(runner, callers, mocked, observe, EXPLORE_MAX_STATES, spent, [...named]);
  // The fields of the answers the Tasks' reads and the Choice rules read (through the first runs to enter each Choice): a
  // text or a value of another kind goes there too, where the answers the search made lack it.
  const prefixOf = (r: string): ReadonlyArray<string | number> => runner.resultPrefix(r);
  const rulesRead = answerFieldsRulesRead(runner.definition, askRuns, prefixOf, FIELDS_READ);
  const fieldsRead = joinFields(answerReads(runner.definition, prefixOf, FIELDS_READ), fieldsOf(rulesRead), FIELDS_READ);
  // The texts the machine writes (and a service model's values), where a property is still unbroken.
  if ([...checks.keys()].some((n) => !violatingRuns.has(n))) {
    const fields = { reads: fieldsRead, ruled: textsOfRulesRead(rulesRead, runner.definition), inside: insideFieldsOf(rulesRead) };
    await probeTexts(runner, texts, callers, fields, borrowers.watch(observe), rulesReadTogether(runner.definition, askRuns, prefixOf));
  }
  // Both values of each boolean a Choice rule reads, where a property is still unbroken.
  if ([...checks.keys()].some((n) => !violatingRuns.has(n))) {
    const flags = booleanPlaces(runner.definition, askRuns, taskResources(runner.definition), prefixOf);
    await probeBooleans(runner, texts, callers, flags, borrowers.watch(observe));
  }
  // A probe that failed on a field its input lacks, made again with that field lent from another run's input.
  await borrowers.lend(async (input, answers) => {
    const ran = await runAnswered(runner, input, answersWithCallers({ input, calls: answers }, callers), true);
    if (ran) observe(input, ran.calls, ran.result, ran.result.path.length >= EXPLORE_MAX_STATES);
  });
  // Values of another kind, where the machine asks a value's kind and a property is still unbroken.
  if ([...checks.keys()].some((n) => !violatingRuns.has(n))) {
    await probeKinds(runner, [...bases.values()], [...answerBases.values()], callers, fieldsRead, observe);
  }
  // The Maps whose ItemReader or ResultWriter the local S3 folder answers, at once: their seconds have a bound.
  const mapCalls = { fromS3Folder: new Set(options.itemsFromS3Folder ?? []), folderItems: folder };
  // The bounds the user gave: the search is as without them (a run outside them that breaks a property is still a run AWS
  // makes); only the proofs read them, and a HOLDS only they earn says so.
  const userBounds = { loopTurns: options.loopTurns, mapItems: options.mapItems };
  const bounded = (b: Partial<Record<keyof VerifyBounds, number | undefined>>) => ({
    folder: withMapItems(runner.definition, folder, b.mapItems),
    loopTurns: b.loopTurns,
  });
  // A loop inside a DISTRIBUTED Map's iteration brings its child execution, not the run, to the history limit: withChildCuts.
  const graphOf = (b: Partial<Record<keyof VerifyBounds, number | undefined>> = {}): MachineGraph => {
    const facts: GraphFacts = {
      unreachableStates: new Set(report.states.unreachable.map((u) => u.state)),
      unreachableTransitions: new Set(report.transitions.unreachable.map((u) => u.transition)),
      failedAt,
      express: runner.type === 'EXPRESS',
      dataErrors: dataErrorsOf(runner.definition),
      folderItems: bounded(b).folder,
      ...(b.loopTurns !== undefined ? { loopTurns: b.loopTurns } : {}),
    };
    return withChildCuts((childCuts) => new MachineGraph(runner.definition, childCuts === undefined ? facts : { ...facts, childCuts }));
  };
  // Two Tasks failing together, only where a property is still open: no run has broken it and
  // it is not proved on what the runs so far have seen.
  let pairSearch: PairSearch | undefined;
  const before = graphOf();
  // A loop explore ran to the history limit inside a DISTRIBUTED Map's iteration ran its child to it, not the run: the
  // graph holds that child's failure (withChildCuts), and such a loop cuts no state of the run.
  const loopsFound = report.findings.some((f) => f.kind === 'history-limit' && (f.state === undefined || before.childCutsIn(f.state).length === 0));
  const open = (name: string, p: PathProperty | RunProperty<R>): boolean => {
    if (violatingRuns.has(name)) return false;
    if (p.kind === 'run' || unknownNames.has(name)) return true;
    if (p.kind === 'maxSeconds') {
      const bound = secondsBound(runner.definition, runner.type === 'EXPRESS', mapCalls);
      return !('seconds' in bound && bound.seconds <= p.limit);
    }
    return !report.search.complete || loopsFound || !proveOnGraph(before, p).proved;
  };
  if ([...checks].some(([name, p]) => open(name, p))) {
    pairSearch = await failTaskPairs(runner, callers, mocked, observe, EXPLORE_MAX_STATES, spent, [...named]);
  }
  // Late answers, where a property is still open after the failures (none of their runs broke it).
  let lateSearch: LateSearch | undefined;
  const anyOpen = (): boolean => [...checks].some(([name, p]) => open(name, p));
  if (anyOpen()) {
    lateSearch = await answerLate(runner, callers, lightest, mocked, observe, EXPLORE_MAX_STATES, spent, anyOpen);
  }
  // Only for a property no run has broken yet: a run given more items is looked for where none did.
  const openItems = itemsGoals.filter((g) => !violatingRuns.has(g.name));
  const grow = (input: JsonValue, known: ReadonlyMap<string, readonly Outcome[]>) => runAnswered(runner, input, known, true);
  await probeItems(openItems, visitors, grow, observe, options.mapItems, taskResources(runner.definition));
  tell('confirm');
  const given = mocked;
  // The pairs' and the items' runs may have ended where none had (failedAt): the graph is drawn again from what every run saw.
  const graph = graphOf(userBounds);
  // Within the bound given on a loop's turns, a loop explore ran to the history limit is a run outside it, unless the bound still lets one reach it.
  const loopsUnbounded = loopsFound && !(userBounds.loopTurns !== undefined && !cutByLoops(graph));
  const judged = new GivenBounds(userBounds, loopsFound, graphOf);

  const verdicts: Record<string, PropertyVerdict> = {};
  let toGive: string | undefined;
  const whatToGive = (): string => toGive ??= whatToGiveFor(placesRulesRead(runner.definition, askRuns, (r) => runner.resultPrefix(r)));
  let places: RulePlace[] | undefined;
  const taskPrefix = (state: string): readonly (string | number)[] => {
    const d = graph.definitionOf(state);
    return d?.Type === 'Task' && typeof d.Resource === 'string' ? runner.resultPrefix(d.Resource) : [];
  };
  /** The largest bound on a loop's turns under which `p` is proved on the graph, where one is. */
  const turnGraphs = new Map<number, MachineGraph>();
  const turnsFor = (p: PathProperty): number | undefined => turnsThatProve(p, (loopTurns) => {
    // One graph per bound, for every property: a graph keeps the loops it has found.
    let g = turnGraphs.get(loopTurns);
    if (!g) turnGraphs.set(loopTurns, g = graphOf({ ...userBounds, loopTurns }));
    return g;
  });
  /** What an UNKNOWN the graph leaves asks for: the turns of the path no run took, or what its proof says to give. */
  type Asking = { readonly path?: readonly string[]; readonly asks?: string; readonly items?: true; readonly turns?: true };
  const asksOf = (proof: Asking, p: PathProperty): string => {
    // A Map's items keep it from a proof: the bound on them that earns one, where one does.
    const items = proof.items ? itemsThatProve(p, (mapItems) => graphOf({ ...userBounds, mapItems })) : undefined;
    if (items !== undefined) return itemsBoundAsks(items);
    // A loop's turns do: likewise the bound on them.
    const turns = proof.turns ? turnsFor(p) : undefined;
    if (turns !== undefined) return turnsBoundAsks(turns);
    if (proof.path === undefined) return proof.asks ?? 'Give an input or mocks under which a run breaks it to check it';
    places ??= rulePlaces(runner.definition, askRuns, (r) => runner.resultPrefix(r));
    return pathAsks(graph, proof.path, places, valuesTried, taskPrefix);
  };
  for (const [name, p] of checks) {
    const property = describeProperty(p as PathProperty | RunProperty<never>);
    const confirmed = await confirm(runner, p, candidates.get(name)!, given, violatingRuns.get(name) ?? 0, answersSeen);
    if (confirmed) {
      verdicts[name] = { verdict: 'VIOLATED', property, reason: confirmed.reason, counterexample: confirmed.counterexample };
      continue;
    }
    const tried = candidates.get(name)!.length > 0 ? ` (a run broke it but did not break it again when run from its mocks: ${tried0(candidates.get(name)!)})` : '';
    if (p.kind === 'run') {
      verdicts[name] = {
        verdict: 'UNKNOWN',
        property,
        reason: `none of the ${runs} runs explore made breaks it${tried}, but verify cannot tell what a function of the run reads, so it proves nothing about the runs it did not make: write it with the path vocabulary (Property.never, leadsTo, precedes, atMost, endsWith, maxTransitions) to have it proved; a value it asks about that no rule of the machine names (a text the machine never writes) is one verify cannot make up: ${whatToGive()}`,
      };
      continue;
    }
    const unknown = unknownNames.get(name);
    if (unknown) {
      const known = [...names];
      verdicts[name] = {
        verdict: 'UNKNOWN',
        property,
        reason: `none of the ${runs} runs explore made breaks it${tried}, but it names ${unknown.map((u) => `'${u}'`).join(', ')}, which ${unknown.length === 1 ? 'is no state' : 'are no states'} of the machine (its states: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}): check the name`,
      };
      continue;
    }
    if (tried !== '') {
      // A run broke it: whatever the graph says, it is not proved.
      verdicts[name] = { verdict: 'UNKNOWN', property, reason: `no counterexample reproduced${tried}` };
      continue;
    }
    if (p.kind === 'maxSeconds') {
      // A bound read from the definition holds on every run, whatever the search covered.
      const bound = secondsBound(runner.definition, runner.type === 'EXPRESS', { ...mapCalls, folderItems: bounded(userBounds).folder });
      if ('seconds' in bound && bound.seconds <= p.limit) {
        const free = secondsBound(runner.definition, runner.type === 'EXPRESS', mapCalls);
        const hit: Array<keyof VerifyBounds> = 'seconds' in free && free.seconds <= p.limit ? [] : ['mapItems'];
        verdicts[name] = { verdict: 'HOLDS', property, reason: `no run lasts more than ${bound.seconds} s: ${bound.how}${judged.words(hit)}` };
        continue;
      }
      const why = 'seconds' in bound ? `a run may last up to ${bound.seconds} s (${bound.how})` : `a run's seconds have no bound the definition fixes: ${bound.unbounded}`;
      verdicts[name] = { verdict: 'UNKNOWN', property, reason: `none of the ${runs} runs explore made breaks it, but it is not proved: ${why}` };
      continue;
    }
    if (report.search.complete && loopsUnbounded) {
      // A loop may run to the history limit, but a proof that needs no bound on its turns holds on
      // every path, however long: a state no path enters, one on no loop, one every path to it
      // passes another first. Its prefix keeps it, so a run cut at the limit does too.
      const proof = proveOnGraph(graph, p);
      if (proof.proved && proof.anyTurns) {
        verdicts[name] = {
          verdict: 'HOLDS',
          property,
          reason: `explore reached or proved unreachable every state, transition, Choice rule, Retry and Catch in ${runs} runs, and ${proof.reason}; a loop can run until the history limit (see explore's history-limit finding), and this holds however many turns it takes${judged.words(judged.restsOn(p, proof))}`,
        };
        continue;
      }
    }
    if (report.search.complete && loopsUnbounded) {
      // The search is complete but for a loop its runs went round until the history limit: which loop, and the bound on its turns that proves it.
      verdicts[name] = { verdict: 'UNKNOWN', property, reason: `none of the ${runs} runs explore made breaks it${tried}, but ${historyLimitHit(report, graph, p, turnsFor)}` };
      continue;
    }
    if (!report.search.complete || loopsUnbounded) {
      verdicts[name] = { verdict: 'UNKNOWN', property, reason: `none of the ${runs} runs explore made breaks it${tried}, but ${notCovered(report, loopsUnbounded)}${clockBoundWhy(graph, graph.language, p.kind === 'atMost' ? p.state : undefined)}` };
      continue;
    }
    const proof = proveOnGraph(graph, p);
    verdicts[name] = proof.proved
      ? { verdict: 'HOLDS', property, reason: `explore reached or proved unreachable every state, transition, Choice rule, Retry and Catch in ${runs} runs, and ${proof.reason}${judged.words(judged.restsOn(p, proof))}` }
      : { verdict: 'UNKNOWN', property, reason: `none of the ${runs} runs explore made breaks it${tried}; it is not proved: ${proof.reason}. ${asksOf(proof, p)}` };
  }
  if (pairSearch && pairSearch.pairs > 0) {
    for (const [name, v] of Object.entries(verdicts)) {
      if (v.verdict === 'UNKNOWN') verdicts[name] = { ...v, reason: `${v.reason}; ${describePairs(pairSearch)}` };
    }
  }
  if (lateSearch && lateSearch.tasks > 0) {
    for (const [name, v] of Object.entries(verdicts)) {
      if (v.verdict === 'UNKNOWN') verdicts[name] = { ...v, reason: `${v.reason}; ${describeLate(lateSearch)}` };
    }
  }
  const result: VerifyReport = {
    machine: report.machine,
    properties: verdicts,
    runs,
    complete: report.search.complete && !loopsUnbounded,
    ...(report.search.stoppedBy ? { stoppedBy: report.search.stoppedBy } : {}),
    ...(judged.hit.size > 0 ? { boundsHit: [...judged.hit].sort() } : {}),
  };
  await refuseUnusable(unusable, result);
  return result;
}

function tried0(c: readonly Candidate[]): string {
  return `input ${JSON.stringify(c[0].input).slice(0, 120)}`;
}

/**
 * Runs each candidate (fewest Task calls first, then smallest input) again from its input and the
 * mocks it reports, as a test would, and keeps the first that still breaks the property, its
 * calls cut and its input shrunk first: a counterexample is only reported once it reproduces.
 */
async function confirm<R extends ExecutionResult>(
  runner: ScenarioRunner, p: PathProperty | RunProperty<R>, candidates: readonly Candidate[],
  given: ReadonlyMap<string, JsonValue | undefined>, violatingRuns: number, answersSeen: AnswersSeen,
): Promise<{ reason: string; counterexample: Counterexample } | undefined> {
  const budget = { runs: SHRINK_RUNS };
  const cutBudget = { runs: CUT_RUNS, calls: CUT_CALLS };
  const givenStates = new Set([...given].filter(([, v]) => v !== undefined).map(([k]) => k));
  // A path property reads no history: its runs keep none, which makes one to the history limit far cheaper.
  const cap = (than: Candidate): RunCap => ({ calls: countCalls(than.calls), history: p.kind === 'run', spent: cutBudget });
  for (const found of candidates) {
    const tryCut = (answers: ReadonlyMap<string, readonly Outcome[]>, than: Candidate) => runWith(runner, p, found.input, answers, true, cap(than));
    const cut = await fewerCalls(found, answersSeen, givenStates, tryCut, cutBudget);
    const shrunk = await shrink(runner, p, cut, budget);
    for (const c of [...new Set([shrunk, cut, found])]) {
      const mocks = mocksOf(c.calls, given);
      // As the user's test or `stepwright run` runs it: a run that broke the property only because
      // explore's runs fail on a check's advice (a made-up error the service never raises) is no
      // run AWS makes, and the user's run goes on past it.
      const again = runner.replayAsTest ? await runner.replayAsTest(c.input, mocks) : await runner.replay(c.input, mocks);
      // eslint-disable-next-line no-restricted-syntax -- the runner's runs are R (the harness's WorkflowRun), which ScenarioRunner widens to ExecutionResult
      const reason = violationOf(p, again as R);
      if (reason === undefined) continue;
      const minimized: Minimization = {
        taskCalls: countCalls(c.calls),
        inputCharacters: JSON.stringify(c.input).length,
        violatingRuns,
        ...(countCalls(c.calls) < countCalls(found.calls) ? { cutFromTaskCalls: countCalls(found.calls) } : {}),
        ...(c.input !== found.input ? { shrunkFromCharacters: JSON.stringify(found.input).length } : {}),
      };
      return {
        reason: `the run ${reason}${historyLimitWords(again, runner.definition, c.calls)} (${describeMinimization(minimized)})`,
        counterexample: {
          input: c.input,
          mocks,
          path: again.path,
          status: again.status,
          ...(again.error !== undefined ? { error: again.error } : {}),
          minimized,
        },
      };
    }
  }
  return undefined;
}

/** How a counterexample was minimized, in words. @internal */
export function describeMinimization(m: Minimization): string {
  const calls = `${m.taskCalls} Task call${m.taskCalls === 1 ? '' : 's'}`;
  const input = m.shrunkFromCharacters !== undefined
    ? `its input shrunk from ${m.shrunkFromCharacters} to ${m.inputCharacters} characters`
    : `its input of ${m.inputCharacters} characters`;
  const runs = `${m.violatingRuns} run${m.violatingRuns === 1 ? '' : 's'} that broke it`;
  if (m.cutFromTaskCalls !== undefined) {
    return `minimized: ${calls}, cut from the ${m.cutFromTaskCalls} of one of the ${runs} by answering a later call as another run did, ${input}`;
  }
  return `minimized: the fewest Task calls (${calls}) of the ${runs}, ${input}`;
}

/**
 * Shrinks a violating run's input: tries smaller inputs (a field or item dropped, a string or
 * number shortened), answering each Task call as the run was answered, and keeps one that still
 * breaks the property with no more Task calls, until none does or the runs allowed are spent.
 * A smaller input that calls a Task the run did not is not kept: its answer would be made up.
 */
async function shrink<R extends ExecutionResult>(
  runner: ScenarioRunner, p: PathProperty | RunProperty<R>, found: Candidate, budget: { runs: number },
): Promise<Candidate> {
  let best = found;
  let improved = true;
  while (improved && budget.runs > 0) {
    improved = false;
    for (const input of smallerValues(best.input, SHRINK_DEPTH)) {
      if (budget.runs <= 0) break;
      budget.runs--;
      const tried = await runWith(runner, p, input, best.calls);
      if (tried && tried.weight < best.weight) {
        best = tried;
        improved = true;
        break;
      }
    }
  }
  return best;
}

/** Runs `input` answering each Task call as `known` answered it (past its answers, as the last one when `repeatLast`); the candidate when the run breaks the property. */
async function runWith<R extends ExecutionResult>(
  runner: ScenarioRunner, p: PathProperty | RunProperty<R>, input: JsonValue, known: ReadonlyMap<string, readonly Outcome[]>,
  repeatLast = false, cap?: RunCap,
): Promise<Candidate | undefined> {
  const ran = await runAnswered(runner, input, known, repeatLast, cap);
  // eslint-disable-next-line no-restricted-syntax -- the runner's runs are R (the harness's WorkflowRun), which ScenarioRunner widens to ExecutionResult
  if (!ran || ran.result.path.length >= EXPLORE_MAX_STATES || violationOf(p, ran.result as R) === undefined) return undefined;
  return { input, calls: ran.calls, weight: weightOf(input, ran.calls) };
}
