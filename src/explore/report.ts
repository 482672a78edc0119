import { DEFAULT_MAX_SCENARIOS, END_SHARE, ExploreBudgetExceeded, goalId, PATH_SHOWN, REPAIRABLE, splitGoal, stateOfGoal, type Exploration, type RunRecord } from './context';
import { madeUpAnswer } from './contract-answers';
import { catchPathMisfit, caughtDataErrors, dataStuck, raisedOnData } from './data-failures';
import { GOAL_CATEGORIES, type GoalCategory, type StateInfo } from './goals';
import { mocksOf } from './plan';
import { errorFor } from './proofs';
import {
  ITEM_NAMES, type CategoryReport, type ExploreFinding, type ExploreReport, type ExploreScenario, type GoalKeys, type GoalNote, type ExploreProof,
} from './report-types';
import { traceExecution } from './trace';
import type { JsonObject, JsonValue } from '../asl';
import { undecidedEnd } from '../asl/answer-outcomes';
import { errorMatches } from '../asl/error-rules';
import { sameJson } from '../asl/json-value';
import { EXPRESS_DURATION_WORDS } from '../asl/limits';
import { shorten } from '../asl/shorten';
import { isDistributedMap } from '../asl/state-tree';
import { listedJobStates } from '../contracts';
import type { ExecutionResult } from '../interpreter';

/**
 * The share of the budget after which the report runs no scenario again: the rest is for the
 * goals' reasons, which on a machine of thousands of states unreached take a few hundred ms.
 */
const REPLAY_SHARE = 0.8;
/** The share after which a goal's reason is not looked for: filling in the rest and returning take the last. */
const REASONS_SHARE = 0.85;

/*
 * The report: the fewest runs that reach what was reached, each run again
 * with its mocks as written, the goals per category with proofs and
 * reasons, and the findings.
 */

export async function report(x: Exploration): Promise<ExploreReport> {
  const covering = cover(x);
  const findingRuns = x.findingRuns.filter((f) => f.run).map((f) => f.run!);
  // Two runs with the same input and answers are one scenario: the first stands for both, and its findings are the other's too.
  const same = new Map<RunRecord, RunRecord>();
  const byKey = new Map<string, RunRecord>();
  const chosen: RunRecord[] = [];
  // The runs explore made as a scenario's run again makes them (see RunRecord.asTested), by the scenario's input and mocks.
  const asTested = new Map<string, ExecutionResult>();
  // Each run's mocks and key are made once: a machine whose loops call a Task thousands of times
  // makes mocks that are slow to write, and a run is keyed up to three times below.
  const mocksMade = new Map<RunRecord, JsonObject>();
  const mocksFor = (rec: RunRecord): JsonObject => {
    let mocks = mocksMade.get(rec);
    if (mocks === undefined) mocksMade.set(rec, mocks = mocksOf(rec.calls, x.fixed));
    return mocks;
  };
  const keys = new Map<RunRecord, string>();
  const keyOf = (rec: RunRecord): string => {
    let key = keys.get(rec);
    if (key === undefined) keys.set(rec, key = JSON.stringify([rec.plan.input, mocksFor(rec)]));
    return key;
  };
  for (const rec of x.runs) if (rec.asTested) asTested.set(keyOf(rec), rec.asTested);
  for (const rec of [...covering, ...findingRuns.filter((r) => !covering.includes(r))]) {
    const key = keyOf(rec);
    const first = byKey.get(key);
    if (first !== undefined) {
      same.set(rec, first);
      continue;
    }
    byKey.set(key, rec);
    chosen.push(rec);
  }
  let stoppedBy: ExploreReport['search']['stoppedBy'] = x.stop;
  const maxScenarios = x.options.maxScenarios ?? DEFAULT_MAX_SCENARIOS;
  if (chosen.length > maxScenarios) {
    chosen.length = maxScenarios;
    stoppedBy ??= 'max-scenarios';
  }
  const names = new Map<RunRecord, string>();
  const used = new Set<string>();
  for (const rec of chosen) {
    const base = `${rec.origin}${madeUpNote(x, rec)}${undecidedNote(x, rec)}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base} (${n})`;
    used.add(name);
    names.set(rec, name);
  }
  const scenarios: ExploreScenario[] = [];
  const reached = new Set<string>();
  const findings: ExploreFinding[] = [];
  let notRunAgain = 0;
  for (const rec of chosen) {
    const mocks = mocksFor(rec);
    const name = names.get(rec)!;
    const again = x.pastBudget(REPLAY_SHARE) ? undefined : await runAgain(x, rec, mocks, asTested.get(keyOf(rec)));
    if (again === undefined) {
      notRunAgain++;
      // No time is left to run it again: the scenario shows explore's own run, and the report says the search was cut.
      stoppedBy ??= 'budget';
      for (const g of rec.goals) reached.add(g);
      scenarios.push(scenarioOf(name, rec.plan.input, mocks, rec.result, rec.goals, madeUp(x, rec)));
      continue;
    }
    const { replay, goals, retries } = again;
    for (const g of goals) reached.add(g);
    if (replay.status !== rec.result.status || replay.error !== rec.result.error || !sameJson(replay.path, rec.result.path)
      || (!rec.capped && !sameJson(replay.output, rec.result.output))) {
      findings.push({
        kind: 'not-confirmed',
        message: `run again with its mocks, '${name}' ended ${replay.status}${replay.error ? ` (${replay.error})` : ''} after ${replay.path.length} states, where explore's run ended ${rec.result.status}${rec.result.error ? ` (${rec.result.error})` : ''} after ${rec.result.path.length}; the scenario shows the run again`,
        scenario: name,
      });
    }
    scenarios.push(scenarioOf(name, rec.plan.input, mocks, replay, goals, madeUp(x, rec), retries));
  }
  for (const f of x.findingRuns) {
    const run = f.run && (same.get(f.run) ?? f.run);
    if (run && !names.has(run)) continue;
    findings.push({ ...f.finding, ...(run ? { scenario: names.get(run)! } : {}) });
  }
  for (const s of scenarios) {
    if (x.runner.type === 'EXPRESS' && s.status === 'TIMED_OUT' && !findings.some((f) => f.kind === 'express-duration' && f.scenario === s.name)) {
      findings.push({ kind: 'express-duration', message: `'${s.name}' runs past ${EXPRESS_DURATION_WORDS}: AWS stops an EXPRESS execution then (TIMED_OUT)`, scenario: s.name });
    }
  }
  const upstream = new Upstream(x);
  let unexplained = 0;
  const category = <K extends string>(c: GoalCategory, item: K): CategoryReport<K> => {
    const total = x.goalIds.filter((id) => splitGoal(id).category === c);
    const unreachable: Array<GoalNote<K>> = [];
    const proofs: Record<string, ExploreProof> = {};
    const notReached: Array<GoalNote<K>> = [];
    let count = 0;
    for (const id of total) {
      const key = splitGoal(id).key;
      if (reached.has(id)) { count++; continue; }
      const proof = x.proofs.get(c)?.get(key);
      const note = (reason: string) => ({ [item]: key, reason }) as Record<K, string> & { reason: string };
      if (proof !== undefined) {
        unreachable.push(note(proof.reason));
        // A goal's key is a state's name, which may be `__proto__`: set as an own field.
        Object.defineProperty(proofs, key, { value: proof.proof, enumerable: true, writable: true, configurable: true });
      } else if (unexplained > 0 || x.pastBudget(REASONS_SHARE)) {
        // Past the budget, the reason is not looked for: on thousands of goals that alone would overrun it.
        unexplained++;
        notReached.push(note(CUT_REASON));
      } else {
        const reason = reasonFor(x, id, stoppedBy, upstream);
        const hint = c === 'catches' || c === 'retries' ? failureHint(x, c, key) : '';
        notReached.push(note(hint === '' || reason.includes('to reach it') ? reason : `${reason}; to reach it, ${hint}`));
      }
    }
    return { reached: count, total: total.length, unreachable, ...(unreachable.length > 0 ? { proofs } : {}), notReached };
  };
  const categories = {
    states: category('states', ITEM_NAMES.states),
    transitions: category('transitions', ITEM_NAMES.transitions),
    choiceRules: category('choiceRules', ITEM_NAMES.choiceRules),
    catches: category('catches', ITEM_NAMES.catches),
    retries: category('retries', ITEM_NAMES.retries),
    callbacks: category('callbacks', ITEM_NAMES.callbacks),
  };
  // A goal left without a proof is one explore cannot say is out of reach: the search is not complete.
  const unproved = GOAL_CATEGORIES.reduce((n, c) => n + categories[c].notReached.length, 0);
  const cut = [
    ...(notRunAgain > 0 ? [`${notRunAgain} of ${chosen.length} scenarios shown as the search ran them, not run again`] : []),
    ...(unexplained > 0 ? [`the reasons of ${unexplained.toLocaleString('en-US')} goal${unexplained === 1 ? '' : 's'} not reached (each says so)`] : []),
  ];
  if (cut.length > 0) stoppedBy ??= 'budget';
  return {
    machine: x.options.machine ?? 'StateMachine',
    ...categories,
    scenarios,
    findings,
    search: {
      complete: stoppedBy === undefined && unproved === 0,
      ...(stoppedBy ? { stoppedBy } : {}),
      runs: x.runs.length,
      ...(cut.length > 0 ? { reportCut: `to end within the budget, the report left out: ${cut.join('; ')}` } : {}),
    },
  };
}

/** A `--mocks` argument as a POSIX shell reads it: single-quoted. */
function mocksLine(mocks: JsonObject): string {
  return `--mocks '${JSON.stringify(mocks).replace(/'/g, "'\\''")}'`;
}

/**
 * What to give for a Catch or Retry not reached: the Task that must answer the error it takes
 * (the state itself, or a Task inside a Parallel or Map that does not catch it), as a `--mocks`
 * line. A Task that always answers that error is retried by any Retry and, its attempts used
 * up, caught by the Catch (the rules before it do not take that error); a Retry is given a Task
 * that answers it once and then a result, as a run that fails every attempt ends as it would
 * without the Retry.
 */
export function failureHint(x: Exploration, category: 'catches' | 'retries', key: string): string {
  const hash = key.lastIndexOf('#');
  const state = key.slice(0, hash);
  const def = x.states.get(state)?.def;
  if (!def) return '';
  const rules = (category === 'catches' ? def.Catch : def.Retry) ?? [];
  const index = Number(key.slice(hash + 1));
  const error = rules[index] ? errorFor(rules, index, def) : undefined;
  if (error === undefined) return '';
  if (raisedOnData(error)) {
    // No call answers it: AWS raises it on the state's own data, which the input or the answers before shape.
    const data = caughtDataErrors(x, state, index, category).find((e) => e.error === error);
    // A reason that says what the data error needs has said what to give.
    if (data === undefined || x.reasons.get(goalId(category, key))?.includes(`(${data.where})`)) return '';
    return `give --input or --mocks under which ${data.where} of '${state}' does not fit its value, so that AWS raises ${error} there`;
  }
  // A Catch whose ResultPath does not fit the state's input is not reached by any error a call answers.
  const misfit = category === 'catches' ? catchPathMisfit(x, state, index) : undefined;
  if (misfit !== undefined) {
    return misfit.fixed !== undefined
      ? `the input of '${state}' must hold an object there, which no input or answer gives: ${misfit.reason}, and that value is one explore cannot change (${misfit.fixed}); `
        + 'fix the machine: give the Catch a ResultPath that fits that input (or null), or write an object there'
      : `give --input or --mocks under which the input of '${state}' holds an object there: ${misfit.reason}`;
  }
  let task: string | undefined;
  if (def.Type === 'Task') {
    task = state;
  } else {
    // A Task inside (at any depth) whose own Catch, and those of the containers between, leave the error to this state.
    for (const [name, info] of x.states) {
      if (info.def.Type !== 'Task') continue;
      let passes = true;
      let inside = false;
      for (let cur: StateInfo | undefined = info; cur; cur = cur.container !== undefined ? x.states.get(cur.container) : undefined) {
        if (cur.name === state) { inside = true; break; }
        if ((cur.def.Catch ?? []).some((r) => errorMatches(r.ErrorEquals ?? [], error))) { passes = false; break; }
      }
      if (inside && passes) { task = name; break; }
    }
  }
  if (task === undefined) return '';
  const who = task === state ? `'${task}'` : `'${task}' (inside '${state}')`;
  const reach = x.entered.has(state) ? '' : ` and an input that reaches '${state}'`;
  // A Retry is reached by a call that fails once and then answers (one that always fails ends as it would without it).
  const resource = x.states.get(task)?.def;
  const answer = resource?.Type === 'Task' && typeof resource.Resource === 'string' ? madeUpAnswer(resource.Resource) : {};
  const thrown: JsonObject = { Throw: { Error: error } };
  const mock: JsonValue = category === 'retries' ? [thrown, { Return: answer }] : thrown;
  return `${who} must answer ${error}${category === 'retries' ? ' once, then a result' : ''}: give ${mocksLine({ [task]: mock })}${reach}`;
}

/** A goal's reason once the budget is spent. */
const CUT_REASON = 'unknown: the budget ran out before explore looked for why';

/**
 * A run again as a test runs it, for what the scenario shows (a cause names event ids), and
 * what it reaches (with the children's events, when a DISTRIBUTED Map has them); undefined
 * when the budget ran out on the way. `made`: that run, when explore made it already (a loop
 * to AWS's 25,000 events, RunRecord.asTested), which is then not made again.
 */
async function runAgain(
  x: Exploration, rec: RunRecord, mocks: JsonObject, made?: ExecutionResult,
): Promise<{ replay: ExecutionResult; goals: Set<string>; retries: Retries | undefined } | undefined> {
  try {
    if (made) {
      // Where the outline does not tell, the run again with its documents, as below.
      const goals = await x.outlineGoalsOf(made) ?? await x.goalsOf(await x.runner.replay(rec.plan.input, mocks, false, x.interrupt));
      return { replay: made, goals, retries: retriesOf(made) };
    }
    // Its history is read for where it went, not with what: recorded without documents, a long run keeps
    // none of its payloads alive (a loop to AWS's 25,000 events was most of a machine's time); with a
    // DISTRIBUTED Map, the goals are read from the run with the children's events, and this one records none.
    const children = hasDistributedMap(x);
    const replay = await x.runner.replay(rec.plan.input, mocks, false, x.interrupt, children ? 'none' : 'outline');
    const outline = children ? await x.runner.replay(rec.plan.input, mocks, true, x.interrupt, 'outline') : replay;
    // Where the outline does not tell (a Choice's branch decided on its input), the run again with its documents.
    const goals = await x.outlineGoalsOf(outline) ?? await x.goalsOf(await x.runner.replay(rec.plan.input, mocks, children, x.interrupt));
    return { replay, goals, retries: retriesOf(outline) };
  } catch (e) {
    if (e instanceof ExploreBudgetExceeded) return undefined;
    throw e;
  }
}

/** How often each state was retried in a run, by state: only those retried. */
type Retries = { readonly [state: string]: number };

/**
 * How often each state was retried in a run, as `toHaveRetried` counts it: read from its history
 * (no definition: the attempts the history shows) and its DISTRIBUTED Maps' child executions
 * (inline in the history of explore's runs with the children's events, else counted beside it);
 * undefined when the run kept no history.
 */
function retriesOf(run: ExecutionResult): Retries | undefined {
  if (run.history === undefined || (run.history.length === 0 && run.path.length > 0)) return undefined;
  const out: Record<string, number> = {};
  const add = (state: string, n: number): void => {
    if (n === 0) return;
    const value = (Object.hasOwn(out, state) ? out[state] : 0) + n;
    Object.defineProperty(out, state, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const [state, n] of traceExecution(undefined, run.history).retries) add(state, n);
  for (const usage of run.childExecutions ?? []) for (const [state, n] of Object.entries(usage.retriesByState ?? {})) add(state, n);
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The fewest runs (greedily) that reach everything reached. Runs that ended
 * well are preferred to runs that failed on a value explore made up (a
 * missing field, a Choice no rule matched), and those to loops.
 */
export function cover(x: Exploration): RunRecord[] {
  const tier = (r: RunRecord): number => (r.capped ? 2 : r.result.status === 'FAILED' && REPAIRABLE.has(r.result.error ?? '') ? 1 : 0);
  const left = new Set(x.coveredBy.keys());
  const chosen: RunRecord[] = [];
  // A run that used a Retry up is not kept for it when another went on after it (see Exploration.credited).
  const candidates = x.runs.map((r) => ({ r, goals: x.credited(r) })).filter(({ goals }) => goals.size > 0);
  while (left.size > 0) {
    let best: RunRecord | undefined;
    let bestGoals: ReadonlySet<string> = new Set();
    let bestGain = 0;
    for (const { r, goals } of candidates) {
      let gain = 0;
      for (const g of goals) if (left.has(g)) gain++;
      if (gain === 0) continue;
      if (!best || tier(r) < tier(best) || (tier(r) === tier(best) && gain > bestGain)) {
        best = r;
        bestGoals = goals;
        bestGain = gain;
      }
    }
    if (!best) break;
    chosen.push(best);
    for (const g of bestGoals) left.delete(g);
  }
  return chosen.sort((a, b) => a.id - b.id);
}

export function reasonFor(x: Exploration, id: string, stoppedBy: string | undefined, upstream = new Upstream(x)): string {
  const given = x.reasons.get(id);
  if (given) return given;
  const { category, key } = splitGoal(id);
  const state = stateOfGoal(category, key);
  const trouble = x.stateTrouble.get(state);
  if (x.coveredBy.has(id)) return 'the scenario that reached it was not kept (maxScenarios)';
  if (!x.entered.has(state)) {
    const why = stoppedBy === 'budget' ? 'the budget ran out before any scenario reached it' : `no scenario reached '${state}'`;
    const before = upstream.why(state);
    if (before) return `${why}: ${before}`;
    return stoppedBy === 'budget' ? why : `unknown: ${why}, and explore found nothing before it that stood in the way: give --input or --mocks that lead to it`;
  }
  if (trouble) return `'${state}' ${trouble}`;
  if (category === 'transitions') {
    // A transition a Choice rule or a Catch makes is left for the reason that rule or Catch was.
    const to = key.slice(key.indexOf(' -> ') + 4);
    const def = x.states.get(state)?.def;
    const ways = [
      ...(def?.Type === 'Choice' ? [...def.Choices.map((c, i) => (c.Next === to ? `${state}#${i}` : '')), def.Default === to ? `${state}#default` : ''] : []),
    ].filter((k) => k !== '').map((k) => goalId('choiceRules', k));
    (def?.Catch ?? []).forEach((c, i) => { if (c.Next === to) ways.push(goalId('catches', `${state}#${i}`)); });
    const why = ways.find((g) => x.reasons.has(g));
    if (why) return `${splitGoal(why).key}: ${x.reasons.get(why)}`;
    const stuckOnData = def?.Next === to ? dataStuck(x, state) : undefined;
    if (stuckOnData) return stuckOnData;
  }
  if (category === 'states') {
    // A search the budget cut may have stopped the very run that was getting past the entry.
    return stoppedBy === 'budget'
      ? `the budget ran out before a run entered '${state}' without failing there`
      : `every run that entered '${state}' failed there on entry, on a value it reads that explore could not give it`;
  }
  return stoppedBy === 'budget' ? 'the budget ran out before explore tried it' : `unknown: explore found no way to it${stuckAt(x, state)}`;
}

/**
 * What the runs that entered a state showed when none of them left it well: the error the first
 * of those runs still held ended with, and the answers or input to give. Empty when one did leave it.
 */
function stuckAt(x: Exploration, state: string): string {
  const runs = (x.entered.get(state) ?? []).filter((r) => !r.dropped);
  if (runs.length === 0 || runs.some((r) => (x.visitsOf(r).byState.get(state) ?? []).some((v) => v.exited !== undefined))) return '';
  // The first such run is the one with the answers explore made up; later ones may fail the state on purpose.
  const first = runs[0].result;
  const ended = first.error !== undefined ? `; the first ended with ${first.error}${first.cause ? ` (${shorten(first.cause, 300)})` : ''}` : '';
  const info = x.states.get(state);
  const give = info?.def.Type === 'Task' ? `--mocks for '${state}' (an answer that gets it past) or --input` : '--input or --mocks that get it past';
  return `: no run that entered '${state}' left it well${ended}; give ${give}`;
}

/**
 * Why a later branch of a Parallel that runs entered never started while an earlier branch did:
 * the interpreter runs the branches in order, each until it waits, so an earlier one that failed
 * before any waited stopped it first. No input or mock leads there but one that makes a branch
 * before it wait; whether AWS enters the branch then is not recorded (docs/fidelity.md, "Parallel
 * branches and Map iterations").
 */
function laterBranchStopped(x: Exploration, info: StateInfo): string | undefined {
  const parallel = info.container === undefined ? undefined : x.states.get(info.container)?.def;
  if (parallel?.Type !== 'Parallel' || info.branch === undefined || info.branch === 0) return undefined;
  if (!parallel.Branches.slice(0, info.branch).some((b) => x.entered.has(b.StartAt))) return undefined;
  return `unknown: in every run, a branch of Parallel '${info.container}' before this one failed before any branch waited, `
    + 'and the interpreter stops the later branches then, before they start; AWS starts every branch at once, and whether '
    + `it enters '${info.scopeStart}' before the failure stops it is not recorded (docs/fidelity.md)`;
}

/** A way into a state: from another's Next, a Choice branch or a Catch. */
interface Edge {
  readonly from: string;
  readonly goal?: string;
  readonly how: 'next' | 'choice' | 'catch';
}

/**
 * Why no scenario entered a state: what stood in the way at the nearest state
 * before it that some scenario entered. The ways into each state are indexed
 * once and each state's answer is kept, so a machine of thousands of states
 * unreached costs one pass, not one per goal; past the budget it answers
 * nothing.
 */
export class Upstream {
  private index: Map<string, Edge[]> | undefined;
  private readonly known = new Map<string, string | undefined>();

  constructor(private readonly x: Exploration) {}

  why(state: string): string | undefined {
    if (this.known.has(state)) return this.known.get(state);
    if (this.x.pastBudget(END_SHARE)) return undefined;
    const found = this.search(state, new Set());
    this.known.set(state, found);
    return found;
  }

  private edges(): Map<string, Edge[]> {
    if (this.index) return this.index;
    const index = new Map<string, Edge[]>();
    const add = (to: string | undefined, edge: Edge): void => {
      if (to === undefined) return;
      let list = index.get(to);
      if (!list) index.set(to, list = []);
      list.push(edge);
    };
    for (const [name, other] of this.x.states) {
      const def = other.def;
      add(def.Next, { from: name, how: 'next' });
      if (def.Type === 'Choice') {
        def.Choices.forEach((c, i) => add(c.Next, { from: name, goal: goalId('choiceRules', `${name}#${i}`), how: 'choice' }));
        add(def.Default, { from: name, goal: goalId('choiceRules', `${name}#default`), how: 'choice' });
      }
      (def.Catch ?? []).forEach((c, i) => add(c.Next, { from: name, goal: goalId('catches', `${name}#${i}`), how: 'catch' }));
    }
    return this.index = index;
  }

  private search(state: string, seen: Set<string>): string | undefined {
    const x = this.x;
    if (seen.has(state) || seen.size > 50) return undefined;
    seen.add(state);
    if (this.known.has(state)) return this.known.get(state);
    const info = x.states.get(state);
    if (info && info.scopeStart === state && info.container !== undefined) {
      const own = x.reasons.get(goalId('states', state));
      if (own) return own;
      if (!x.entered.has(info.container)) return this.search(info.container, seen);
      return laterBranchStopped(x, info);
    }
    // The ways in, grouped by the state they come from, in definition order as before.
    const edges = this.edges().get(state) ?? [];
    const from = [...new Set(edges.map((e) => e.from))];
    for (const name of from) {
      if (!x.entered.has(name)) {
        const deeper = this.search(name, seen);
        if (deeper) return deeper;
        continue;
      }
      for (const e of edges) {
        if (e.from !== name) continue;
        if (e.goal && x.reasons.has(e.goal)) return `${splitGoal(e.goal).key}: ${x.reasons.get(e.goal)}`;
        if (e.how === 'next' && x.stateTrouble.has(name)) return `'${name}' ${x.stateTrouble.get(name)}`;
        const stuckOnData = e.how === 'next' ? dataStuck(x, name) : undefined;
        if (stuckOnData) return stuckOnData;
      }
      const stuck = stuckAt(x, name);
      if (stuck) return `unknown${stuck}`;
    }
    return undefined;
  }
}

/** True when a state runs its items as child executions, which a history shows only when asked. */
function hasDistributedMap(x: Exploration): boolean {
  return [...x.states.values()].some((s) => s.def.Type === 'Map' && isDistributedMap(s.def));
}

/** The Maps whose ItemReader explore answered itself in a run: their items are made up, not the user's. */
export function madeUp(x: Exploration, rec: RunRecord): string[] {
  return [...rec.readerCalls.keys()].filter((state) => !x.fixed.has(state));
}

/**
 * What a scenario's name adds when explore made up a Map's items: how many
 * items (or none) each such Map read, so that nobody takes them for their data.
 */
function madeUpNote(x: Exploration, rec: RunRecord): string {
  const maps = madeUp(x, rec);
  if (maps.length === 0) return '';
  const parts = maps.map((state) => {
    const counts = new Set((rec.readerCalls.get(state) ?? []).map((i) => {
      const o = rec.calls.get(state)?.[i];
      return o?.kind === 'return' && Array.isArray(o.value) ? o.value.length : 0;
    }));
    const n = counts.size === 1 ? [...counts][0] : undefined;
    return `${n === undefined ? 'some' : n === 0 ? 'none' : n} for Map '${state}'`;
  });
  return ` [S3 items made up by explore: ${parts.join(', ')}]`;
}

/**
 * What a scenario's name adds when a `.sync` Task's answer explore chose holds a job end no AWS
 * page decides (an EMR cluster RUNNING after createCluster.sync): the run goes on there locally,
 * and the name says it rests on that state, which AWS may never answer with.
 */
function undecidedNote(x: Exploration, rec: RunRecord): string {
  const parts: string[] = [];
  for (const [state, outcomes] of rec.calls) {
    const def = x.states.get(state)?.def;
    if (def?.Type !== 'Task' || typeof def.Resource !== 'string' || x.fixed.has(state)) continue;
    const resource = def.Resource;
    for (const o of outcomes) {
      const hit = o.kind === 'return' ? undecidedEnd(resource, o.value, listedJobStates) : undefined;
      if (hit !== undefined) {
        parts.push(`'${state}' .${hit.read} ${hit.value}`);
        break;
      }
    }
  }
  return parts.length === 0 ? '' : ` [rests on a job end no AWS page decides: ${parts.join(', ')}]`;
}

function scenarioOf(
  name: string, input: JsonValue, mocks: JsonObject, r: ExecutionResult, goals: ReadonlySet<string>, invented: readonly string[],
  retries?: Retries,
): ExploreScenario {
  const covers: Record<string, string[]> = {};
  for (const id of goals) {
    const { category, key } = splitGoal(id);
    (covers[category] ??= []).push(key);
  }
  const ordered: Record<string, string[]> = {};
  for (const c of GOAL_CATEGORIES) if (covers[c]) ordered[c] = covers[c];
  return {
    name,
    input,
    mocks,
    path: r.path.length > PATH_SHOWN ? r.path.slice(0, PATH_SHOWN) : r.path,
    ...(r.path.length > PATH_SHOWN ? { pathLength: r.path.length } : {}),
    status: r.status,
    ...(r.status === 'SUCCEEDED' ? { output: r.output ?? null } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
    ...(invented.length > 0 ? { inventedItems: invented } : {}),
    ...(retries !== undefined ? { retries } : {}),
    covers: ordered as GoalKeys,
  };
}
