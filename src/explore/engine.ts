import { applyWrites, solveBranch } from './choices';
import {
  EXPLORE_MAX_STATES, goalId, HISTORY_LIMIT, MAX_REPAIRS, MAX_RUNS, outcomeOf, PARENTS_PER_GOAL, splitGoal, stateOfGoal,
  type Attempt, type EngineOptions, type Exploration, type RunRecord,
} from './context';
import { failureError, failurePlan, unhandledErrors } from './failures';
import { exploreGoals, GOAL_CATEGORIES, isCallback, machineStates, type GoalCategory, type StateInfo } from './goals';
import { hazards } from './hazards';
import { basePlan, defaultOutcome, planned, sameJson, type Plan } from './plan';
import { errorFor, proveUnreachable, type Proofs } from './proofs';
import { jsonataPath, Provenance, type Source } from './provenance';
import { readsOf } from './reads';
import { exitLoop, repair, sourceOfRead } from './repairs';
import { report } from './report';
import type { Outcome, ScenarioRunner, TaskCallInfo } from './runner';
import { traceExecution } from './trace';
import type { ExploreFinding, ExploreReport } from './types';
import { readVisits, type RunVisits } from './visits';
import type { JsonValue, StateMachineDefinition } from '../asl/types';
import type { ExecutionLimits, ExecutionResult } from '../interpreter/types';

export { EXPLORE_MAX_STATES, MAX_RUNS } from './context';
export type { EngineOptions } from './context';

/** Runs that looped until the exploring limit kept for the hazards: more say nothing new and take memory. */
const MAX_LOOPS = 20;

/** Drops a run's history (and what was read from it), keeping its outcome and path. */
function slim(rec: RunRecord): void {
  const r = rec.result;
  rec.result = {
    status: r.status,
    path: r.path,
    executionArn: r.executionArn,
    startDate: r.startDate,
    stopDate: r.stopDate,
    history: [],
    ...(r.output !== undefined ? { output: r.output } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
  };
  rec.visits = undefined;
  rec.provenance = undefined;
}

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

class Explorer implements Exploration {
  readonly def: StateMachineDefinition;
  readonly states: Map<string, StateInfo>;
  readonly goalIds: string[] = [];
  private readonly goalSet = new Set<string>();
  readonly runs: RunRecord[] = [];
  readonly coveredBy = new Map<string, RunRecord>();
  readonly entered = new Map<string, RunRecord[]>();
  private readonly tried = new Map<string, Set<number>>();
  readonly reasons = new Map<string, string>();
  readonly stateTrouble = new Map<string, string>();
  readonly fixed = new Map<string, JsonValue>();
  private readonly readers = new Map<string, string>();
  readonly loops: RunRecord[] = [];
  readonly findingRuns: Array<{ finding: Omit<ExploreFinding, 'scenario'>; run?: RunRecord }> = [];
  readonly needs = new Set<string>();
  private readonly budgetMs: number;
  private readonly now: () => number;
  private readonly started: number;
  stop: 'budget' | 'max-runs' | undefined;
  proofs: Proofs = new Map();

  constructor(readonly runner: ScenarioRunner, readonly options: EngineOptions) {
    this.def = runner.definition;
    this.states = machineStates(this.def);
    const goals = exploreGoals(this.def);
    for (const category of GOAL_CATEGORIES) {
      for (const key of goals[category]) {
        const id = goalId(category, key);
        this.goalIds.push(id);
        this.goalSet.add(id);
      }
    }
    for (const [name, value] of Object.entries(options.mocks ?? {})) this.fixed.set(name, value);
    for (const [name, info] of this.states) {
      if (info.def.Type === 'Map' && info.def.ItemReader?.Resource) this.readers.set(name, info.def.ItemReader.Resource);
    }
    this.budgetMs = (options.budgetSeconds ?? 30) * 1000;
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  async explore(): Promise<ExploreReport> {
    this.proofs = await proveUnreachable(this.def, this.states);
    const tasks = [...this.states.values()].some((s) => s.def.Type === 'Task');
    await this.execute(basePlan(this.options.input ?? {}), tasks ? 'every Task succeeds' : 'the first run');
    let before = -1;
    while (before !== this.coveredBy.size && !this.stopped()) {
      before = this.coveredBy.size;
      for (const id of this.goalIds) {
        if (this.coveredBy.has(id) || this.isProved(id)) continue;
        if (this.stopped()) break;
        await this.pursue(id);
      }
    }
    if (!this.stopped()) await unhandledErrors(this);
    if (!this.stopped()) await hazards(this);
    return report(this);
  }

  private isProved(id: string): boolean {
    const { category, key } = splitGoal(id);
    return this.proofs.get(category)?.has(key) ?? false;
  }

  stopped(): boolean {
    if (this.stop) return true;
    if (this.runs.length >= MAX_RUNS) this.stop = 'max-runs';
    else if (this.now() - this.started > this.budgetMs) this.stop = 'budget';
    return this.stop !== undefined;
  }

  // ---- running ----

  private fixedAnswer(call: TaskCallInfo): Outcome | undefined {
    if (!this.fixed.has(call.state)) return undefined;
    const given = this.fixed.get(call.state);
    if (!Array.isArray(given)) return outcomeOf(given);
    const step = given[call.invocation];
    if (step === undefined) {
      return {
        kind: 'throw',
        error: 'States.Runtime',
        cause: `Task '${call.state}' was invoked ${call.invocation + 1} times, but its mock is a sequence of ${given.length}`,
      };
    }
    return outcomeOf(step);
  }

  /** Runs a plan; `limits` null runs it with AWS's limits (a test's), else with the exploring limit; `trace` false skips reading what it reached. */
  async runPlan(
    plan: Plan, origin: string, limits: ExecutionLimits | null = { maxTransitions: EXPLORE_MAX_STATES }, trace = true,
  ): Promise<RunRecord> {
    const calls = new Map<string, Outcome[]>();
    const answer = (call: TaskCallInfo): Outcome => {
      const outcome = this.fixedAnswer(call) ?? planned(plan, call.state, call.invocation) ?? defaultOutcome(call, this.readers.get(call.state));
      let list = calls.get(call.state);
      if (!list) calls.set(call.state, list = []);
      list[call.invocation] = outcome;
      return outcome;
    };
    const result = await this.runner.run(plan.input, answer, limits ?? undefined);
    const capped = result.status === 'FAILED' && result.error === 'States.Runtime'
      && (result.path.length >= (limits?.maxTransitions ?? Infinity) || result.history.length >= HISTORY_LIMIT);
    return { id: this.runs.length, plan, result, calls, capped, goals: trace ? this.goalsOf(result) : new Set(), origin };
  }

  goalsOf(result: ExecutionResult): Set<string> {
    const out = new Set<string>();
    const add = (category: GoalCategory, key: string): void => {
      const id = goalId(category, key);
      if (this.goalSet.has(id)) out.add(id);
    };
    const trace = traceExecution(this.def, result.history);
    for (const k of trace.states.keys()) add('states', k);
    // A DISTRIBUTED Map's iterations run as child executions: their states show in the path only.
    for (const k of result.path) add('states', k);
    for (const k of trace.transitions.keys()) add('transitions', k);
    for (const k of trace.choices.keys()) add('choiceRules', k);
    for (const k of trace.catches.keys()) add('catches', k);
    for (const k of trace.retriers.keys()) add('retries', k);
    if ([...this.states.values()].some((s) => isCallback(s.def))) {
      for (const v of readVisits(result.history).visits) {
        if (!isCallback(this.states.get(v.name)?.def ?? { Type: 'Pass' })) continue;
        for (const e of v.events) {
          if (e.type === 'TaskSucceeded' || e.type === 'ActivitySucceeded') add('callbacks', `${v.name}#success`);
          const error = (e.taskFailedEventDetails ?? e.activityFailedEventDetails ?? e.taskTimedOutEventDetails
            ?? e.activityTimedOutEventDetails) as { error?: string } | undefined;
          if (!error || !/(Failed|TimedOut)$/.test(e.type)) continue;
          const timeout = error.error === 'States.Timeout' || error.error === 'States.HeartbeatTimeout';
          add('callbacks', `${v.name}#${timeout ? 'timeout' : 'failure'}`);
          if (timeout && !this.goalSet.has(goalId('callbacks', `${v.name}#timeout`))) add('callbacks', `${v.name}#failure`);
        }
      }
    }
    return out;
  }

  /** Records a run: what it covers, and which states it entered (for later goals to start from). */
  private record(rec: RunRecord): void {
    this.runs.push(rec);
    for (const id of rec.goals) if (!this.coveredBy.has(id)) this.coveredBy.set(id, rec);
    for (const name of new Set(rec.result.path)) {
      let list = this.entered.get(name);
      if (!list) this.entered.set(name, list = []);
      if (list.length < 8) list.push(rec);
    }
  }

  /** Runs a plan, repairing what the run lacked and ending loops, and records every run made. */
  async execute(plan: Plan, origin: string): Promise<RunRecord> {
    let rec = await this.runPlan(plan, origin);
    this.record(rec);
    const made = [rec];
    for (let round = 0; round < MAX_REPAIRS && !this.stopped(); round++) {
      let next: Attempt | undefined;
      if (rec.capped) {
        if (this.loops.length < MAX_LOOPS) this.loops.push(rec);
        next = await exitLoop(this, rec);
      } else {
        next = await repair(this, rec);
      }
      if (next === undefined || 'reason' in next) break;
      const again = await this.runPlan(next.plan, origin);
      this.record(again);
      made.push(again);
      const progress = again.capped !== rec.capped || again.result.status !== rec.result.status || again.result.error !== rec.result.error
        || again.result.cause !== rec.result.cause
        || again.result.path.length !== rec.result.path.length || !sameJson(again.result.path, rec.result.path);
      rec = again;
      if (!progress) break;
    }
    // Memory stays bounded: a run no later goal starts from keeps what the report needs, not its history.
    for (const r of made) if (!this.loops.includes(r) && ![...new Set(r.result.path)].some((n) => this.entered.get(n)?.includes(r))) slim(r);
    return rec;
  }

  visitsOf(rec: RunRecord): RunVisits {
    return rec.visits ??= readVisits(rec.result.history);
  }

  provenanceOf(rec: RunRecord): Provenance {
    return rec.provenance ??= new Provenance(this.states, (r) => this.runner.resultPrefix(r), this.visitsOf(rec).visits);
  }

  /** The DISTRIBUTED Map a state runs in: its iterations are child executions, whose histories a run does not hold. */
  private distributedMap(state: string): string | undefined {
    for (let info = this.states.get(state); info?.container !== undefined; info = this.states.get(info.container)) {
      const c = this.states.get(info.container)?.def;
      if (c?.Type === 'Map' && (c.ItemProcessor ?? c.Iterator)?.ProcessorConfig?.Mode === 'DISTRIBUTED') return info.container;
    }
    return undefined;
  }

  /** Runs that entered a state, the ones that ended on their own first. */
  parentsFor(state: string): RunRecord[] {
    const list = this.entered.get(state) ?? [];
    return [...list.filter((r) => !r.capped), ...list.filter((r) => r.capped)];
  }

  // ---- writing what a goal needs into a plan ----

  private markTried(id: string, rec: RunRecord): boolean {
    let set = this.tried.get(id);
    if (!set) this.tried.set(id, set = new Set());
    if (set.has(rec.id) || set.size >= PARENTS_PER_GOAL) return false;
    set.add(rec.id);
    return true;
  }

  private async pursue(id: string): Promise<void> {
    const { category, key } = splitGoal(id);
    const map = category === 'states' ? undefined : this.distributedMap(stateOfGoal(category, key));
    if (map !== undefined && this.entered.has(stateOfGoal(category, key))) {
      this.reasons.set(id, `'${stateOfGoal(category, key)}' runs inside the DISTRIBUTED Map '${map}', whose child executions keep their own histories, which explore cannot read`);
      return;
    }
    switch (category) {
      case 'states': {
        const info = this.states.get(key);
        const container = info?.container !== undefined ? this.states.get(info.container) : undefined;
        if (container?.def.Type === 'Map' && info!.scopeStart === key) await this.pursueItems(id, container);
        return;
      }
      case 'choiceRules': {
        const hash = key.lastIndexOf('#');
        const state = key.slice(0, hash);
        const b = key.slice(hash + 1);
        await this.pursueChoice(id, state, b === 'default' ? 'default' : Number(b));
        return;
      }
      case 'catches': case 'retries': {
        const hash = key.lastIndexOf('#');
        const state = key.slice(0, hash);
        const index = Number(key.slice(hash + 1));
        const def = this.states.get(state)?.def;
        if (!def) return;
        const rules = category === 'catches' ? def.Catch ?? [] : def.Retry ?? [];
        const error = rules[index] ? errorFor(rules, index) : undefined;
        if (error === undefined) return;
        const origin = category === 'catches'
          ? `'${state}' fails with ${error}, caught by Catch[${index}] (-> ${def.Catch![index].Next})`
          : `'${state}' fails once with ${error}, retried by Retry[${index}]`;
        await this.pursueFailure(id, state, error, category === 'catches' ? 'exhaust' : 'once', origin);
        return;
      }
      case 'callbacks': {
        const hash = key.lastIndexOf('#');
        const state = key.slice(0, hash);
        const kind = key.slice(hash + 1);
        const def = this.states.get(state)?.def;
        if (!def || kind === 'success') return;
        const error = kind === 'timeout' ? 'States.Timeout' : failureError(def);
        await this.pursueFailure(id, state, error, 'exhaust', kind === 'timeout' ? `callback '${state}' times out` : `callback '${state}' fails with ${error}`);
        return;
      }
      default:
        return;
    }
  }

  private async pursueChoice(id: string, state: string, branch: number | 'default'): Promise<void> {
    const def = this.states.get(state)?.def;
    if (def?.Type !== 'Choice') return;
    const target = branch === 'default' ? def.Default : def.Choices[branch]?.Next;
    const origin = `'${state}' takes ${branch === 'default' ? 'its Default' : `Choices[${branch}]`} (-> ${target})`;
    for (const parent of this.parentsFor(state)) {
      if (this.stopped() || this.coveredBy.has(id)) return;
      if (!this.markTried(id, parent)) continue;
      const list = this.visitsOf(parent).byState.get(state) ?? [];
      const candidates = list.length > 1 ? [list[0], list[list.length - 1]] : list;
      for (const v of candidates) {
        const solved = await solveBranch(this, parent, v, branch);
        if ('reason' in solved) {
          this.reasons.set(id, solved.reason);
          continue;
        }
        const rec = await this.execute(solved.plan, origin);
        if (this.coveredBy.has(id)) return;
        this.reasons.set(id, `the values found (${solved.writes}) did not take it: that run ${this.summary(rec)}`);
      }
    }
  }

  private summary(rec: RunRecord): string {
    const r = rec.result;
    if (rec.capped) return `looped past ${EXPLORE_MAX_STATES} states`;
    const last = r.path[r.path.length - 1];
    return r.status === 'SUCCEEDED' ? `succeeded after ${last}` : `ended ${r.status}${r.error ? ` with ${r.error}` : ''} at '${last}'`;
  }

  private async pursueFailure(id: string, state: string, error: string, how: 'exhaust' | 'once', origin: string): Promise<RunRecord | undefined> {
    for (const parent of this.parentsFor(state)) {
      if (this.stopped() || this.coveredBy.has(id)) return undefined;
      if (!this.markTried(id, parent)) continue;
      const v = this.visitsOf(parent).byState.get(state)?.[0];
      if (!v) continue;
      const attempt = failurePlan(this, parent, v, error, how);
      if ('reason' in attempt) {
        this.reasons.set(id, attempt.reason);
        continue;
      }
      const rec = await this.execute(attempt.plan, origin);
      if (this.coveredBy.has(id)) return rec;
      this.reasons.set(id, `${attempt.writes}, and yet it was not reached: that run ${this.summary(rec)}`);
    }
    return undefined;
  }

  /** Gives a Map one item, so that its item processor runs. */
  private async pursueItems(id: string, map: StateInfo): Promise<void> {
    const def = map.def;
    if (def.Type !== 'Map') return;
    if (def.ItemReader !== undefined && !this.fixed.has(map.name)) {
      const why = `Map '${map.name}' reads its items with an ItemReader (${def.ItemReader.Resource}): explore cannot invent the S3 objects; give them as mocks: { "${map.name}": { "Return": [ ...items ] } }`;
      this.reasons.set(id, why);
      if (!this.needs.has(map.name)) {
        this.needs.add(map.name);
        this.findingRuns.push({ finding: { kind: 'needs-data', state: map.name, message: why } });
      }
      return;
    }
    for (const parent of this.parentsFor(map.name)) {
      if (this.stopped() || this.coveredBy.has(id)) return;
      if (!this.markTried(id, parent)) continue;
      const v = this.visitsOf(parent).byState.get(map.name)?.[0];
      if (!v) continue;
      const prov = this.provenanceOf(parent);
      let source: Source;
      if (map.language === 'JSONata') {
        const items = def.Items;
        const path = typeof items === 'string' && items.startsWith('{%') ? jsonataPath(items.slice(2, -2)) : undefined;
        if (items === undefined) source = prov.rawInput(v, []);
        else if (path && path.root === 'input') source = prov.rawInput(v, path.steps);
        else source = { kind: 'fixed', deep: true, reason: `the Items of Map '${map.name}' (${JSON.stringify(items)})` };
      } else {
        const reads = readsOf(map).filter((r) => r.field === 'ItemsPath');
        source = reads[0] ? sourceOfRead(prov, v, reads[0]) : { kind: 'fixed', deep: true, reason: `the ItemsPath of Map '${map.name}'` };
      }
      const attempt = applyWrites(this, parent, [{ source, value: [{}] }]);
      if ('reason' in attempt) {
        this.reasons.set(id, `Map '${map.name}' ran no iteration, and ${attempt.reason}`);
        continue;
      }
      await this.execute(attempt.plan, `Map '${map.name}' gets one item`);
      if (this.coveredBy.has(id)) return;
      this.reasons.set(id, `Map '${map.name}' got one item (${attempt.writes}), and yet its first state was not reached`);
    }
  }

  // ---- findings ----

}

