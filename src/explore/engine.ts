import { traceRun } from './choice-taken';
import {
  DEFAULT_BUDGET_SECONDS, END_SHARE, exploreClock, EXPLORE_MAX_STATES, ExploreBudgetExceeded, goalId, historyChars, MAX_REPAIRS, MAX_RUNS,
  givenAnswer, reachedHistoryLimit, slim, splitGoal, stateOfGoal, type Attempt, type EngineOptions, type RunRecord,
} from './context';
import { failedOnEntry } from './entry-failures';
import { entryFailureFindings, unhandledErrors, type UnhandledSearch } from './failures';
import { proveByFlow } from './flow-proofs';
import { witnessFlow } from './flow-witness';
import { exploreGoals, GOAL_CATEGORIES, isCallback, loopsOf, machineStates, type GoalCategory, type StateInfo } from './goals';
import { hazards } from './hazards';
import { basePlan, defaultOutcome, planned, type Plan } from './plan';
import { witnessBase } from './proof-witness';
import { addBranchProof, closeProofs, copyBase, proveUnreachable, type Proof, type ProofBase, type Proofs } from './proofs';
import { Provenance } from './provenance';
import { pursueGoal, type Pursuit } from './pursuits';
import { exitLoop, repair } from './repairs';
import { report } from './report';
import type { ExploreFinding, ExploreReport } from './report-types';
import type { Outcome, ScenarioRunner, TaskCallInfo } from './runner';
import { seedsOf } from './seeds';
import { proveByShapes } from './shapes';
import { traceExecution, type ExecutionTrace } from './trace';
import { addUnreturned, unreturnedExits, unreturnedRules } from './unreturned';
import { readVisits, type RunVisits, type Visit } from './visits';
import type { JsonValue, StateMachineDefinition } from '../asl';
import { factsOf } from '../asl/history-events';
import { sameJson } from '../asl/json-value';
import { isDistributedMap } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';
import type { ExecutionLimits, ExecutionResult } from '../interpreter';

export { EXPLORE_MAX_STATES, MAX_RUNS } from './context';
export type { EngineOptions } from './context';

/** The share of the budget the search may take: the report, which runs the scenarios again, has until END_SHARE. */
const SEARCH_SHARE = 0.7;

/** Runs kept per state as those goals there start from (failures.ts also tries the runs that reached a goal first). */
const ENTERED_PER_STATE = 8;

/** How many runs that ended at the history limit are kept to be found again (see madeAlready): each holds 25,000 events. */
const LIMIT_RUNS_KEPT = 2;

/** A run that ended at the history limit, with what it was asked and answered. */
interface LimitRun {
  readonly plan: Plan;
  readonly limits: ExecutionLimits | null;
  readonly history: boolean | 'outline';
  /** Each call it made, in order. */
  readonly asked: readonly TaskCallInfo[];
  readonly result: ExecutionResult;
  readonly calls: ReadonlyMap<string, readonly Outcome[]>;
  readonly readerCalls: ReadonlyMap<string, readonly number[]>;
  readonly capped: boolean;
}

/** What one iteration of a Map gave: its index, the item it had and its result. */
interface MapOutcome {
  readonly index: number;
  readonly item: JsonValue;
  readonly result: JsonValue;
}

/** Runs per state of a Map's processor whose iterations mapOutcomes reads. */
const OUTCOME_RUNS = 4;

/** The latest runs that reached something new kept as parents for Choices (see choiceParents). */
const NOVEL_RUNS = 4;

/** Runs that looped until the exploring limit kept for the hazards: more say nothing new and take memory. */
const MAX_LOOPS = 20;

/**
 * The most history (see historyChars) explore holds at once for the runs later goals start from:
 * past it, the runs whose states have no goal left, then the oldest, keep only their outcome and
 * path. It bounds explore's memory on a machine whose every run is long (docs/explore.md).
 */
export const HELD_HISTORY_CHARS = 48 * 1024 * 1024;

/**
 * Searches for execution inputs and Task outcomes that reach every goal of
 * a state machine (see {@link exploreGoals}), running each candidate with
 * the runner, and reports the scenarios that reach them, the goals no input
 * can reach with their proofs, those it did not reach with the reason, and
 * its findings.
 */
export async function exploreMachine(runner: ScenarioRunner, options: EngineOptions = {}): Promise<ExploreReport> {
  return new Explorer(runner, options).explore();
}

class Explorer implements Pursuit {
  readonly def: StateMachineDefinition;
  readonly states: Map<string, StateInfo>;
  readonly goalIds: string[] = [];
  private readonly goalSet = new Set<string>();
  readonly runs: RunRecord[] = [];
  readonly coveredBy = new Map<string, RunRecord>();
  /**
   * The Retry goals a run's goals hold whose every later attempt failed again (see goalsRead). They
   * are credited to such a run only once the search is over, so that it first looks for a run in
   * which an attempt after the Retry went well: a test written from that one fails on a machine
   * without the Retry.
   */
  private readonly exhaustedIn = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();
  private readonly exhaustedBy = new Map<string, RunRecord>();
  readonly entered = new Map<string, RunRecord[]>();
  /** What the iterations of each Map gave in the runs so far (see mapOutcomes), and how many runs there were. */
  private readonly outcomeMemo = new Map<string, { runs: number; list: Array<MapOutcome & { run: RunRecord }> }>();
  /** The latest runs that reached a goal no run before them had (see choiceParents). */
  readonly novel: RunRecord[] = [];
  readonly tried = new Map<string, Set<number>>();
  /** Whether a Fail state has an ErrorPath (its error is then read from its input), once asked. */
  private errorPaths: boolean | undefined;
  /** The definition's loops, once a goal needs them. */
  private cycles: string[][] | undefined;
  /** The latest runs that ended at the history limit (see madeAlready), latest first. */
  private readonly limitRuns: LimitRun[] = [];
  /** Whether a DISTRIBUTED Map runs child executions, once asked. */
  private childRuns: boolean | undefined;
  /** Runs a search over what their values are computed from made, per goal. */
  readonly perturbed = new Map<string, number>();
  readonly reasons = new Map<string, string>();
  readonly stateTrouble = new Map<string, string>();
  readonly fixed = new Map<string, JsonValue | undefined>();
  readonly seeds: ReadonlyMap<string, JsonValue>;
  private readonly readers = new Map<string, string>();
  readonly loops: RunRecord[] = [];
  readonly findingRuns: Array<{ finding: Omit<ExploreFinding, 'scenario'>; run?: RunRecord }> = [];
  readonly needs = new Set<string>();
  /** The search for unhandled errors, and the Tasks first reached since it last ran. */
  private readonly unhandled: UnhandledSearch = { found: new Set(), tried: new Map(), attempts: new Map(), preempted: new Map() };
  private readonly newlyReached: string[] = [];
  /** The runs that hold their history, with its weight, oldest first. */
  private readonly held = new Map<RunRecord, number>();
  private heldChars = 0;
  private readonly heldLimit: number;
  /** The run the goal in hand starts from (see restore): its history is not dropped. */
  private inHand: RunRecord | undefined;
  /** Goals not reached yet, per state: a run through states with none left is no parent worth its history. */
  private readonly open = new Map<string, number>();
  private readonly budgetMs: number;
  private readonly now: () => number;
  private readonly started: number;
  stop: 'budget' | 'max-runs' | undefined;
  /** Set once the search has ended and the report, which has the rest of the budget, is made. */
  private reporting = false;
  proofs: Proofs = new Map();
  /** The proofs of single goals the closure of `proofs` starts from (the search adds to it). */
  private proofBase: ProofBase | undefined;

  constructor(readonly runner: ScenarioRunner, readonly options: EngineOptions) {
    // The budget counts from here: reading the goals of a machine of thousands of states is part of the time.
    this.now = options.now ?? (() => exploreClock.now());
    this.started = options.started ?? this.now();
    this.def = runner.definition;
    this.states = machineStates(this.def);
    this.seeds = seedsOf(this.states);
    const goals = exploreGoals(this.def);
    for (const category of GOAL_CATEGORIES) {
      for (const key of goals[category]) {
        const id = goalId(category, key);
        this.goalIds.push(id);
        this.goalSet.add(id);
        const state = stateOfGoal(category, key);
        this.open.set(state, (this.open.get(state) ?? 0) + 1);
      }
    }
    for (const [name, value] of Object.entries(options.mocks ?? {})) this.fixed.set(name, value);
    // The runner never asks for these answers: undefined marks them given without a value here.
    for (const name of options.answeredByRunner ?? []) if (!this.fixed.has(name)) this.fixed.set(name, undefined);
    for (const [name, info] of this.states) {
      if (info.def.Type === 'Map' && info.def.ItemReader?.Resource) this.readers.set(name, info.def.ItemReader.Resource);
    }
    this.budgetMs = (options.budgetSeconds ?? DEFAULT_BUDGET_SECONDS) * 1000;
    this.heldLimit = options.heldHistoryChars ?? HELD_HISTORY_CHARS;
  }

  async explore(): Promise<ExploreReport> {
    try {
      await this.search();
    } catch (e) {
      // Cut in the middle of a run or an evaluation: that run is dropped, what came before is reported.
      if (!(e instanceof ExploreBudgetExceeded)) throw e;
      this.stop ??= 'budget';
    }
    this.reporting = true;
    return report(this);
  }

  private async search(): Promise<void> {
    const tasks = [...this.states.values()].some((s) => s.def.Type === 'Task');
    // The first run before the proofs (a budget cut in them still reports it), its repairs within MAX_REPAIRS: its Tasks' failures come first.
    // With answers given (mocks, a MockConfigFile test case), those answers may fail the run: the name says whose they are.
    const first = !tasks ? 'the first run' : this.fixed.size > 0 ? 'the answers given, every other Task succeeding' : 'every Task succeeds';
    await this.execute(basePlan(this.options.input ?? {}), first, undefined, false);
    // Findings first: the failure of each Task is tried as soon as a run reaches it, so a search the budget cuts
    // (in the proofs of a machine of thousands of Choices, say) still has them.
    await this.findUnhandled();
    ({ proofs: this.proofs, base: this.proofBase } = await proveUnreachable(this.def, this.states, this.interrupt));
    let before = -1;
    while (before !== this.coveredBy.size && !this.stopped()) {
      before = this.coveredBy.size;
      for (const id of this.goalIds) {
        if (this.coveredBy.has(id) || this.isProved(id)) continue;
        if (this.stopped()) break;
        await pursueGoal(this, id);
        await this.findUnhandled();
      }
    }
    // A Retry no run went on after is reached by a run that used it up.
    for (const [id, rec] of this.exhaustedBy) {
      if (this.coveredBy.has(id)) continue;
      this.coveredBy.set(id, rec);
      const { category, key } = splitGoal(id);
      const state = stateOfGoal(category, key);
      this.open.set(state, (this.open.get(state) ?? 1) - 1);
    }
    // Branches no run took may be closed by what the states before them do with the answers they read.
    if (!this.stopped()) await this.proveByShapes();
    // Again from every run made: a Task whose failure did not fail the run from the first runs may from a later one.
    if (!this.stopped()) await unhandledErrors(this, this.states.keys(), this.unhandled);
    entryFailureFindings(this, this.unhandled);
    if (!this.stopped()) await hazards(this);
    // The proofs that hold whatever the values, shown on runs (a run that contradicts one drops it).
    if (!this.stopped() && this.proofBase) {
      this.proofBase = await witnessBase(this, this.proofBase);
      this.proofs = closeProofs(this.def, this.states, this.proofBase);
    }
  }

  /** Tries the failure of the Tasks first reached since the last call (each run that reaches a Task adds it). */
  private async findUnhandled(): Promise<void> {
    while (this.newlyReached.length > 0 && !this.stopped()) {
      const names = this.newlyReached.splice(0);
      await unhandledErrors(this, names, this.unhandled);
    }
  }

  /**
   * Proves by answer shapes (shapes.ts) the Choice branches no run took, and closes off what
   * only they lead to. A proof whose closure holds a goal some run reached is dropped: a proof
   * never contradicts a run.
   */
  private async proveByShapes(): Promise<void> {
    const base = this.proofBase;
    if (!base) return;
    let changed = false;
    for (const id of this.goalIds) {
      const { category, key } = splitGoal(id);
      if (category !== 'choiceRules' || this.coveredBy.has(id) || this.isProved(id)) continue;
      if (this.stopped()) break;
      const proof = await proveByShapes(this, key) ?? await this.witnessed(key, proveByFlow(this.states, key));
      if (!proof) continue;
      const trial = copyBase(base);
      addBranchProof(trial, this.states, key, proof);
      const closed = closeProofs(this.def, this.states, trial);
      if ([...closed].some(([c, m]) => [...m.keys()].some((k) => this.coveredBy.has(goalId(c, k))))) continue;
      addBranchProof(base, this.states, key, proof);
      this.proofs = closed;
      changed = true;
    }
    if (changed) this.proofs = closeProofs(this.def, this.states, base);
    await this.proveByUnreturned(base);
  }

  /**
   * Proves what reading a field the service never returns closes (unreturned.ts): a Task's Next,
   * a Choice's rules from the one that reads it on. A proof whose closure holds a goal some run
   * reached is dropped.
   */
  private async proveByUnreturned(base: ProofBase): Promise<void> {
    const open = (choice: string): boolean => !this.coveredBy.has(goalId('states', choice)) || [...this.goalIds]
      .some((id) => id.startsWith(goalId('choiceRules', `${choice}#`)) && !this.coveredBy.has(id) && !this.isProved(id));
    const found = [...unreturnedExits(this), ...(this.stopped() ? [] : await unreturnedRules(this, open))];
    for (const u of found) {
      const trial = copyBase(base);
      addUnreturned(trial, this.states, u);
      const closed = closeProofs(this.def, this.states, trial);
      if ([...closed].some(([c, m]) => [...m.keys()].some((k) => this.coveredBy.has(goalId(c, k))))) continue;
      addUnreturned(base, this.states, u);
      this.proofs = closed;
    }
  }

  /** A proof by the flow of values with the runs that show it, or undefined when one of them takes the branch. */
  private async witnessed(key: string, proof: Proof | undefined): Promise<Proof | undefined> {
    return proof === undefined ? undefined : witnessFlow(this, key, proof);
  }

  private isProved(id: string): boolean {
    const { category, key } = splitGoal(id);
    return this.proofs.get(category)?.has(key) ?? false;
  }

  stopped(): boolean {
    if (this.stop) return true;
    if (this.runs.length >= MAX_RUNS) this.stop = 'max-runs';
    else if (this.now() - this.started > this.budgetMs * SEARCH_SHARE) this.stop = 'budget';
    return this.stop !== undefined;
  }

  pastBudget(share = 1): boolean {
    return this.now() - this.started > this.budgetMs * share;
  }

  readonly interrupt = (): void => {
    if (this.now() - this.started > this.budgetMs * (this.reporting ? END_SHARE : SEARCH_SHARE)) {
      this.stop ??= 'budget';
      throw new ExploreBudgetExceeded(this.budgetMs);
    }
  };

  // ---- running ----

  private fixedAnswer(call: TaskCallInfo): Outcome | undefined {
    if (!this.fixed.has(call.state)) return undefined;
    const given = this.fixed.get(call.state);
    return given === undefined ? undefined : givenAnswer(given, call);
  }

  /**
   * Runs a plan; `limits` null runs it with AWS's limits (a test's), else with the exploring limit; `trace` false skips reading what it
   * reached; `history` false records no history events (for a run whose outcome and path alone are read: see ScenarioRunner.run).
   */
  async runPlan(
    plan: Plan, origin: string, limits: ExecutionLimits | null = { maxTransitions: EXPLORE_MAX_STATES }, trace = true, history: boolean | 'outline' = true,
  ): Promise<RunRecord> {
    const again = this.madeAlready(plan, limits, history);
    if (again) {
      const { result, calls, readerCalls, capped } = again;
      return { id: this.runs.length, plan, result, calls, readerCalls, capped, goals: trace ? await this.goalsOf(result) : new Set(), origin };
    }
    const calls = new Map<string, Outcome[]>();
    const readerCalls = new Map<string, number[]>();
    const asked: TaskCallInfo[] = [];
    const answer = (call: TaskCallInfo): Outcome => {
      asked.push(call);
      const reader = this.readers.get(call.state);
      const outcome = this.fixedAnswer(call) ?? planned(plan, call.state, call.invocation) ?? defaultOutcome(call, reader);
      let list = calls.get(call.state);
      if (!list) calls.set(call.state, list = []);
      list[call.invocation] = outcome;
      if (reader !== undefined && call.resource === reader) {
        let reads = readerCalls.get(call.state);
        if (!reads) readerCalls.set(call.state, reads = []);
        reads.push(call.invocation);
      }
      return outcome;
    };
    let result = await this.runner.run(plan.input, answer, limits ?? undefined, this.interrupt, history);
    // A run past the cap was cut by it, whatever it then failed with: an iteration cut there fails its Map with another error.
    // The history limit is told by the cause: reading the history's length would render all of it.
    const cut = (r: ExecutionResult): boolean => r.status === 'FAILED'
      && (r.path.length >= (limits?.maxTransitions ?? Infinity) || reachedHistoryLimit(r));
    // The cap counts the states of every Map iteration: without a loop in the definition, a run past it is a wide Map, which ends.
    if (limits && cut(result) && this.acyclic() && !this.sameWithoutCap(result, limits)) {
      calls.clear();
      readerCalls.clear();
      asked.length = 0;
      result = await this.runner.run(plan.input, answer, undefined, this.interrupt, history);
    }
    const capped = cut(result) && !this.acyclic();
    if (reachedHistoryLimit(result)) {
      this.limitRuns.unshift({ plan, limits, history, asked, result, calls, readerCalls, capped });
      this.limitRuns.length = Math.min(this.limitRuns.length, LIMIT_RUNS_KEPT);
    }
    return { id: this.runs.length, plan, result, calls, readerCalls, capped, goals: trace ? await this.goalsOf(result) : new Set(), origin };
  }

  /**
   * A run kept of those that ended at the history limit which `plan` would make again: the same
   * input, limits and history, and every call that run made answered alike (by the user's mocks,
   * or as both plans, or neither, say). The interpreter is deterministic (the same seed and
   * virtual clock), so the run is that one: a plan that fails a Task 20,001 times and one that
   * fails it from its first call on make the same 25,000 events when the limit comes first.
   */
  private madeAlready(plan: Plan, limits: ExecutionLimits | null, history: boolean | 'outline'): LimitRun | undefined {
    return this.limitRuns.find((r) => r.history === history && sameJson(r.limits, limits) && sameJson(r.plan.input, plan.input)
      && r.asked.every((call) => {
        if (this.fixed.has(call.state)) return true;
        const was = r.calls.get(call.state)![call.invocation];
        const now = planned(plan, call.state, call.invocation) ?? defaultOutcome(call, this.readers.get(call.state));
        return now === was || sameJson(now, was);
      }));
  }

  async goalsOf(result: ExecutionResult): Promise<Set<string>> {
    return this.goalsRead(result, await traceRun(this.def, result.history, this.interrupt));
  }

  async outlineGoalsOf(result: ExecutionResult): Promise<Set<string> | undefined> {
    this.errorPaths ??= [...this.states.values()].some((s) => s.def.Type === 'Fail' && s.def.ErrorPath !== undefined);
    if (this.errorPaths) return undefined;
    // traceRun is this trace when no Choice visit is undecided; deciding one reads the visit's input.
    const trace = traceExecution(this.def, result.history);
    return trace.undecided.length > 0 ? undefined : this.goalsRead(result, trace);
  }

  private goalsRead(result: ExecutionResult, trace: ExecutionTrace): Set<string> {
    const out = new Set<string>();
    const add = (category: GoalCategory, key: string): void => {
      const id = goalId(category, key);
      if (this.goalSet.has(id)) out.add(id);
    };
    for (const k of trace.states.keys()) add('states', k);
    // A DISTRIBUTED Map's iterations run as child executions: their states show in the path only.
    for (const k of result.path) add('states', k);
    for (const name of failedOnEntry(this.states, result)) out.delete(goalId('states', name));
    for (const k of trace.transitions.keys()) add('transitions', k);
    for (const k of trace.choices.keys()) add('choiceRules', k);
    for (const k of trace.catches.keys()) add('catches', k);
    for (const k of trace.retriers.keys()) add('retries', k);
    // A Retry after which no attempt went well (each failed again): such a run ends as it would without the Retry.
    const exhausted = [...trace.retriers.keys()].filter((k) => !trace.retriedThrough.has(k)).map((k) => goalId('retries', k)).filter((id) => out.has(id));
    if (exhausted.length > 0) this.exhaustedIn.set(out, new Set(exhausted));
    if ([...this.states.values()].some((s) => isCallback(s.def))) {
      for (const v of readVisits(result.history).visits) {
        if (!isCallback(this.states.get(v.name)?.def ?? { Type: 'Pass' })) continue;
        for (const e of v.events) {
          if (e.type === 'TaskSucceeded' || e.type === 'ActivitySucceeded') add('callbacks', `${v.name}#success`);
          if (!/^(Task|Activity)(Failed|TimedOut)$/.test(e.type)) continue;
          const { error } = factsOf(e);
          const timeout = error === StatesErrors.TIMEOUT || error === StatesErrors.HEARTBEAT_TIMEOUT;
          add('callbacks', `${v.name}#${timeout ? 'timeout' : 'failure'}`);
          if (timeout && !this.goalSet.has(goalId('callbacks', `${v.name}#timeout`))) add('callbacks', `${v.name}#failure`);
        }
      }
    }
    return out;
  }

  credited(rec: RunRecord): ReadonlySet<string> {
    const exhausted = this.exhaustedIn.get(rec.goals);
    if (exhausted === undefined) return rec.goals;
    const wentOn = [...exhausted].filter((id) => this.coveredBy.get(id) !== this.exhaustedBy.get(id));
    return wentOn.length === 0 ? rec.goals : new Set([...rec.goals].filter((id) => !wentOn.includes(id)));
  }

  /** Records a run: what it covers, and which states it entered (for later goals to start from). */
  private record(rec: RunRecord): void {
    this.runs.push(rec);
    let fresh = false;
    const exhausted = this.exhaustedIn.get(rec.goals);
    for (const id of rec.goals) {
      if (this.coveredBy.has(id)) continue;
      if (exhausted?.has(id)) {
        if (!this.exhaustedBy.has(id)) this.exhaustedBy.set(id, rec);
        continue;
      }
      fresh = true;
      this.coveredBy.set(id, rec);
      const { category, key } = splitGoal(id);
      const state = stateOfGoal(category, key);
      this.open.set(state, (this.open.get(state) ?? 1) - 1);
    }
    if (fresh) {
      this.novel.push(rec);
      if (this.novel.length > NOVEL_RUNS) this.novel.shift();
    }
    if (rec.result.history.length > 0) {
      const weight = historyChars(rec.result.history);
      this.held.set(rec, weight);
      this.heldChars += weight;
    }
    for (const name of new Set(rec.result.path)) {
      let list = this.entered.get(name);
      if (!list) {
        this.entered.set(name, list = []);
        if (this.states.get(name)?.def.Type === 'Task') this.newlyReached.push(name);
      }
      if (list.length < ENTERED_PER_STATE) {
        list.push(rec);
        continue;
      }
      // A run that entered the state well takes the place of one that failed there on entry: goals start from such runs.
      const well = goalId('states', name);
      if (!rec.goals.has(well)) continue;
      const poor = list.findIndex((r) => !r.goals.has(well));
      if (poor >= 0) list[poor] = rec;
    }
  }

  /** Runs a plan, repairing what the run lacked (until a run `done` accepts) and ending loops, and records every run made. */
  async execute(plan: Plan, origin: string, done?: (rec: RunRecord) => boolean, goOn = true): Promise<RunRecord> {
    let rec = await this.runPlan(plan, origin);
    this.record(rec);
    const made = [rec];
    // Past MAX_REPAIRS, rounds go on while each gets further (a chain of Choices, each missing its field), one per state at most.
    let further = false;
    for (let round = 0; (round < MAX_REPAIRS || (further && round < this.states.size)) && !this.stopped() && !done?.(rec); round++) {
      let next: Attempt | undefined;
      if (rec.capped) {
        if (this.loops.length < MAX_LOOPS) this.loops.push(rec);
        next = await exitLoop(this, rec);
      } else {
        next = await repair(this, rec);
      }
      if (next === undefined || 'reason' in next) break;
      const again = await this.runPlan(next.plan, origin);
      again.repairedFrom = rec;
      this.record(again);
      made.push(again);
      this.release(again, rec);
      // A run that got further inside a state (past its call, to another field) has another history, though it ends alike.
      const progress = again.capped !== rec.capped || again.result.status !== rec.result.status || again.result.error !== rec.result.error
        || again.result.cause !== rec.result.cause || again.result.history.length !== rec.result.history.length
        || again.result.path.length !== rec.result.path.length || !sameJson(again.result.path, rec.result.path);
      further = goOn && !again.capped && !rec.capped && again.result.path.length > rec.result.path.length;
      rec = again;
      if (!progress) break;
    }
    // Memory stays bounded: a run no later goal starts from keeps what the report needs, not its history.
    for (const r of made) if (!this.loops.includes(r) && ![...new Set(r.result.path)].some((n) => this.entered.get(n)?.includes(r))) this.drop(r);
    this.release(rec);
    return rec;
  }

  /**
   * Keeps the histories held within HELD_HISTORY_CHARS: drops those of runs through states with
   * no goal left first, then the oldest; never the runs in hand, the first run (the hazards start
   * from it) or a loop kept for the hazards.
   */
  private release(...inHand: RunRecord[]): void {
    if (this.heldChars <= this.heldLimit) return;
    const useful = (r: RunRecord): boolean => r.result.path.some((n) => (this.open.get(n) ?? 0) > 0);
    const victims = [...this.held.keys()].filter((r) => !inHand.includes(r) && r !== this.inHand && r.id !== 0 && !this.loops.includes(r));
    const spent = new Set(victims.filter((r) => !useful(r)));
    for (const r of [...spent, ...victims.filter((v) => !spent.has(v))]) {
      if (this.heldChars <= this.heldLimit) return;
      this.drop(r);
    }
  }

  async restore(rec: RunRecord): Promise<void> {
    this.inHand = rec;
    if (!rec.dropped) return;
    const again = await this.runPlan(rec.plan, rec.origin, undefined, false);
    rec.result = again.result;
    rec.dropped = false;
    const weight = historyChars(rec.result.history);
    this.held.set(rec, weight);
    this.heldChars += weight;
    this.release(rec);
  }

  private drop(rec: RunRecord): void {
    this.heldChars -= this.held.get(rec) ?? 0;
    this.held.delete(rec);
    slim(rec);
  }

  visitsOf(rec: RunRecord): RunVisits {
    return rec.visits ??= readVisits(rec.result.history);
  }

  provenanceOf(rec: RunRecord): Provenance {
    rec.provenance ??= new Provenance(
      this.states, (r) => this.runner.resultPrefix(r), this.visitsOf(rec).visits, (map) => this.readerCall(rec, map), undefined,
      (map) => this.readerItems(rec, map), (map) => this.mapOutcomes(map, rec),
    );
    return rec.provenance;
  }

  /**
   * What the iterations of a Map gave in the runs that reached the states of its processor (their
   * item and result, a few runs each), so that an item whose result a Choice counts can be given
   * again in another run. Kept until the next run is made.
   */
  private mapOutcomes(map: string, except: RunRecord): ReadonlyArray<{ index: number; item: JsonValue; result: JsonValue }> {
    const known = this.outcomeMemo.get(map);
    type Seen = MapOutcome & { run: RunRecord };
    const others = (all: readonly Seen[]): Array<{ index: number; item: JsonValue; result: JsonValue }> =>
      all.filter((o) => o.run !== except).map(({ index, item, result }) => ({ index, item, result }));
    if (known && known.runs === this.runs.length) return others(known.list);
    const list: Seen[] = [];
    const runs = new Set<RunRecord>();
    for (const [name, info] of this.states) {
      if (name === map || !this.within(info, new Set([map]))) continue;
      for (const r of (this.entered.get(name) ?? []).slice(0, OUTCOME_RUNS)) if (!r.dropped && r.result.history.length > 0) runs.add(r);
    }
    for (const r of runs) {
      const prov = this.provenanceOf(r);
      for (const v of this.visitsOf(r).byState.get(map) ?? []) for (const o of prov.outcomes(v)) list.push({ run: r, ...o });
    }
    this.outcomeMemo.set(map, { runs: this.runs.length, list });
    return others(list);
  }

  /** The items a Map visit's ItemReader answered with, when they were a list. */
  readerItems(rec: RunRecord, map: Visit): JsonValue[] | undefined {
    const invocation = this.readerCall(rec, map);
    const outcome = invocation === undefined ? undefined : rec.calls.get(map.name)?.[invocation];
    return outcome?.kind === 'return' && Array.isArray(outcome.value) ? outcome.value : undefined;
  }

  /**
   * The call whose answer gave a Map visit its items through its ItemReader:
   * the one its last attempt made. A Map calls its reader once per attempt,
   * after its MapStateStarted event, so the k-th MapStateStarted of the state
   * goes with its k-th reader call; when the counts differ (an attempt that
   * failed before reading), explore does not guess.
   */
  readerCall(rec: RunRecord, map: Visit): number | undefined {
    const reads = rec.readerCalls.get(map.name);
    if (!reads) return undefined;
    const starts: number[] = [];
    for (const v of this.visitsOf(rec).byState.get(map.name) ?? []) for (const e of v.events) if (e.type === 'MapStateStarted') starts.push(e.id);
    if (starts.length !== reads.length) return undefined;
    starts.sort((a, b) => a - b);
    const own = map.events.filter((e) => e.type === 'MapStateStarted');
    const k = own.length > 0 ? starts.indexOf(own[own.length - 1].id) : -1;
    return k >= 0 ? reads[k] : undefined;
  }

  parentsFor(state: string): RunRecord[] {
    const list = this.entered.get(state) ?? [];
    return [...list.filter((r) => !r.capped), ...list.filter((r) => r.capped)];
  }

  /**
   * True when a run that ended at the history limit would end there alike without the exploring
   * cap: it entered fewer states than the cap, and every state it entered is on its path (no
   * DISTRIBUTED Map, whose child executions' states count towards the cap off the path), so the
   * cap never stopped anything. The same plan then makes the same run (the same answers, seed and
   * clock), another 25,000 events for nothing.
   */
  private sameWithoutCap(result: ExecutionResult, limits: ExecutionLimits): boolean {
    this.childRuns ??= [...this.states.values()].some((s) => s.def.Type === 'Map' && isDistributedMap(s.def));
    return reachedHistoryLimit(result) && !this.childRuns && result.path.length < (limits.maxTransitions ?? Infinity);
  }

  /** True when the definition has no loop: then no run goes on for ever. */
  private acyclic(): boolean {
    return this.machineLoops().length === 0;
  }

  machineLoops(): string[][] {
    this.cycles ??= loopsOf(this.states);
    return this.cycles;
  }

  /** True for a state in the set, or inside the branches or item processor of one in it. */
  within(info: StateInfo, states: ReadonlySet<string>): boolean {
    for (let cur: StateInfo | undefined = info; cur; cur = cur.container !== undefined ? this.states.get(cur.container) : undefined) {
      if (states.has(cur.name)) return true;
    }
    return false;
  }
}
