import { evaluateCondition } from './conditions';
import { exploreGoals, GOAL_CATEGORIES, hasTimeout, isCallback, machineStates, type GoalCategory, type StateInfo } from './goals';
import {
  basePlan, defaultOutcome, mocksOf, planned, sameJson, setAt, withCall, withInput, type Plan,
} from './plan';
import { attemptsFor, errorFor, proveUnreachable, type Proofs } from './proofs';
import { invert, invertible } from './inverse';
import { jsonataPath, Provenance, type Computed, type Source, type Step } from './provenance';
import { fits, placeholder, readsOf, scopeValue, type Read, type Write } from './reads';
import type { Outcome, ScenarioRunner, TaskCallInfo } from './runner';
import { parseBindingPath, searchJsonataBranch, solveRules, type Binding, type BindingTarget, type RuleGoal, type SolveResult } from './solve';
import { readTarget } from './solve/paths';
import { traceExecution } from './trace';
import {
  ITEM_NAMES, type CategoryReport, type ExploreFinding, type ExploreOptions, type ExploreReport, type ExploreScenario, type GoalKeys,
} from './types';
import { readVisits, variablesAt, type RunVisits, type Visit } from './visits';
import type { ChoiceState, JsonObject, JsonValue, StateDefinition, StateMachineDefinition } from '../asl/types';
import { followSteps } from '../asl/path';
import { errorMatches } from '../interpreter/retry';
import type { ExecutionLimits, ExecutionResult } from '../interpreter/types';

/** States an exploring run may enter: a run past it is a loop, kept as a hazard, not as a scenario. */
export const EXPLORE_MAX_STATES = 2000;
/** Rounds of repairs (a value a state needs is missing or of the wrong kind) one scenario gets. */
const MAX_REPAIRS = 12;
/** Runs a goal is tried from before explore gives up on it. */
const PARENTS_PER_GOAL = 3;
/** Runs one exploration may make, whatever its budget: bounds its memory. */
export const MAX_RUNS = 3000;
/** States a scenario's path shows. */
const PATH_SHOWN = 1000;
/** AWS's history limit for a STANDARD execution. */
const HISTORY_LIMIT = 25_000;
/** AWS's payload limit. */
const PAYLOAD_LIMIT = 262_144;
/** AWS's limit on an EXPRESS execution's duration, in milliseconds. */
const EXPRESS_LIMIT_MS = 300_000;
/** Errors a state raises because a value it reads is missing or of the wrong kind: explore repairs what it wrote. */
const REPAIRABLE = new Set([
  'States.Runtime', 'States.IntrinsicFailure', 'States.QueryEvaluationError', 'States.NoChoiceMatched', 'States.ResultPathMatchFailure',
]);

/** Internal options: a clock to cut the search by (tests give a fake one). @internal */
export interface EngineOptions extends ExploreOptions {
  /** The state machine's name, for the report. */
  readonly machine?: string;
  /** Milliseconds now, for the budget only. @default Date.now */
  readonly now?: () => number;
}

/** One run explore made. */
interface RunRecord {
  readonly id: number;
  readonly plan: Plan;
  readonly result: ExecutionResult;
  readonly calls: ReadonlyMap<string, readonly Outcome[]>;
  /** It entered EXPLORE_MAX_STATES states (or filled the history): a loop explore did not end. */
  readonly capped: boolean;
  readonly goals: ReadonlySet<string>;
  /** What it was made for: its scenario's name. */
  readonly origin: string;
  visits?: RunVisits;
  provenance?: Provenance;
}

type Attempt = { readonly plan: Plan; readonly writes: string } | { readonly reason: string };

function goalId(category: GoalCategory, key: string): string {
  return `${category}|${key}`;
}

function splitGoal(id: string): { category: GoalCategory; key: string } {
  const i = id.indexOf('|');
  return { category: id.slice(0, i) as GoalCategory, key: id.slice(i + 1) };
}

/** The state a goal key names: `S` for a state, `S` of `S -> T`, `S` of `S#0`. */
function stateOfGoal(category: GoalCategory, key: string): string {
  if (category === 'states') return key;
  if (category === 'transitions') return key.slice(0, key.indexOf(' -> '));
  return key.slice(0, key.lastIndexOf('#'));
}

function describeSteps(steps: readonly Step[]): string {
  return steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('') || '(the whole value)';
}

function outcomeOf(value: unknown): Outcome {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'Return') return { kind: 'return', value: o.Return as JsonValue };
    if (keys.length === 1 && keys[0] === 'Throw' && o.Throw && typeof o.Throw === 'object') {
      const t = o.Throw as { Error?: unknown; Cause?: unknown };
      return { kind: 'throw', error: String(t.Error), ...(typeof t.Cause === 'string' ? { cause: t.Cause } : {}) };
    }
  }
  return { kind: 'return', value: value as JsonValue };
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

class Explorer {
  private readonly def: StateMachineDefinition;
  private readonly states: Map<string, StateInfo>;
  private readonly goalIds: string[] = [];
  private readonly goalSet = new Set<string>();
  private readonly runs: RunRecord[] = [];
  private readonly coveredBy = new Map<string, RunRecord>();
  private readonly entered = new Map<string, RunRecord[]>();
  private readonly tried = new Map<string, Set<number>>();
  private readonly reasons = new Map<string, string>();
  private readonly stateTrouble = new Map<string, string>();
  private readonly fixed = new Map<string, JsonValue>();
  private readonly readers = new Map<string, string>();
  private readonly loops: RunRecord[] = [];
  private readonly findingRuns: Array<{ finding: Omit<ExploreFinding, 'scenario'>; run?: RunRecord }> = [];
  private readonly needs = new Set<string>();
  private readonly budgetMs: number;
  private readonly now: () => number;
  private readonly started: number;
  private stop: 'budget' | 'max-runs' | undefined;
  private proofs: Proofs = new Map();

  constructor(private readonly runner: ScenarioRunner, private readonly options: EngineOptions) {
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
    await this.execute(basePlan(this.options.input ?? {}), 'every Task succeeds');
    let before = -1;
    while (before !== this.coveredBy.size && !this.stopped()) {
      before = this.coveredBy.size;
      for (const id of this.goalIds) {
        if (this.coveredBy.has(id) || this.isProved(id)) continue;
        if (this.stopped()) break;
        await this.pursue(id);
      }
    }
    if (!this.stopped()) await this.unhandledErrors();
    if (!this.stopped()) await this.hazards();
    return this.report();
  }

  private isProved(id: string): boolean {
    const { category, key } = splitGoal(id);
    return this.proofs.get(category)?.has(key) ?? false;
  }

  private stopped(): boolean {
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
        kind: 'throw', error: 'States.Runtime',
        cause: `Task '${call.state}' was invoked ${call.invocation + 1} times, but its mock is a sequence of ${given.length}`,
      };
    }
    return outcomeOf(step);
  }

  private async runPlan(plan: Plan, origin: string, limits: ExecutionLimits | undefined = { maxTransitions: EXPLORE_MAX_STATES }): Promise<RunRecord> {
    const calls = new Map<string, Outcome[]>();
    const answer = (call: TaskCallInfo): Outcome => {
      const outcome = this.fixedAnswer(call) ?? planned(plan, call.state, call.invocation) ?? defaultOutcome(call, this.readers.get(call.state));
      let list = calls.get(call.state);
      if (!list) calls.set(call.state, list = []);
      list[call.invocation] = outcome;
      return outcome;
    };
    const result = await this.runner.run(plan.input, answer, limits);
    const capped = result.status === 'FAILED' && result.error === 'States.Runtime'
      && (result.path.length >= (limits?.maxTransitions ?? Infinity) || result.history.length >= HISTORY_LIMIT);
    return { id: this.runs.length, plan, result, calls, capped, goals: this.goalsOf(result), origin };
  }

  private goalsOf(result: ExecutionResult): Set<string> {
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
          const error = (e.taskFailedEventDetails ?? e.activityFailedEventDetails ?? e.taskTimedOutEventDetails ?? e.activityTimedOutEventDetails) as { error?: string } | undefined;
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
  private async execute(plan: Plan, origin: string): Promise<RunRecord> {
    let rec = await this.runPlan(plan, origin);
    this.record(rec);
    for (let round = 0; round < MAX_REPAIRS && !this.stopped(); round++) {
      let next: Attempt | undefined;
      if (rec.capped) {
        this.loops.push(rec);
        next = await this.exitLoop(rec);
      } else {
        next = await this.repair(rec);
      }
      if (process.env.EXPLORE_DEBUG) console.error('repair', origin, rec.result.error, rec.result.cause?.slice(0, 200), next && ('reason' in next ? next.reason : next.writes));
      if (next === undefined || 'reason' in next) break;
      const again = await this.runPlan(next.plan, origin);
      this.record(again);
      if (process.env.EXPLORE_DEBUG) console.error('  ->', JSON.stringify(next.plan.input).slice(0, 300), again.result.status, again.result.cause?.slice(0, 300));
      const progress = again.capped !== rec.capped || again.result.status !== rec.result.status || again.result.error !== rec.result.error
        || again.result.cause !== rec.result.cause
        || again.result.path.length !== rec.result.path.length || !sameJson(again.result.path, rec.result.path);
      rec = again;
      if (!progress) break;
    }
    return rec;
  }

  private visitsOf(rec: RunRecord): RunVisits {
    return rec.visits ??= readVisits(rec.result.history);
  }

  private provenanceOf(rec: RunRecord): Provenance {
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
  private parentsFor(state: string): RunRecord[] {
    const list = this.entered.get(state) ?? [];
    return [...list.filter((r) => !r.capped), ...list.filter((r) => r.capped)];
  }

  // ---- writing what a goal needs into a plan ----

  private answerValue(rec: RunRecord, state: string, invocation: number): JsonValue {
    const outcome = rec.calls.get(state)?.[invocation];
    return outcome?.kind === 'return' ? outcome.value : {};
  }

  private applyWrites(rec: RunRecord, writes: readonly Write[]): Attempt {
    let input = rec.plan.input;
    const answers = new Map<string, { state: string; invocation: number; value: JsonValue }>();
    const said: string[] = [];
    const all: Write[] = [];
    for (const w of writes) {
      const s = w.source;
      if (s.kind === 'fixed' && s.computed && invertible(s.computed)) {
        const steered = invert(s.computed, setAt(undefined, s.computed.steps, w.value));
        if (!('reason' in steered)) {
          all.push(...steered);
          continue;
        }
      }
      all.push(w);
    }
    for (const w of all) {
      const s = w.source;
      const shown = w.value === undefined ? '(absent)' : JSON.stringify(w.value);
      if (s.kind === 'fixed') return { reason: `it needs a value that comes from ${s.reason}` };
      if (s.kind === 'input') {
        if (s.steps.length === 0 && w.value === undefined) return { reason: 'it needs the execution input to be absent' };
        input = setAt(input, s.steps, w.value) ?? null;
        said.push(`input $${describeSteps(s.steps)} = ${shown}`);
        continue;
      }
      if (this.fixed.has(s.state)) return { reason: `it needs another answer from Task '${s.state}', whose answers are given` };
      const key = `${s.state}\u0000${s.invocation}`;
      const base = answers.get(key)?.value ?? this.answerValue(rec, s.state, s.invocation);
      answers.set(key, { state: s.state, invocation: s.invocation, value: setAt(base, s.steps, w.value) ?? null });
      said.push(`'${s.state}' call ${s.invocation + 1} answers ${describeSteps(s.steps)} = ${shown}`);
    }
    let plan = withInput(rec.plan, input);
    for (const a of answers.values()) plan = withCall(plan, a.state, a.invocation, { kind: 'return', value: a.value });
    if (sameJson(plan.input, rec.plan.input) && [...answers.values()].every((a) => sameJson(a.value, this.answerValue(rec, a.state, a.invocation)))) {
      return { reason: `the values it needs (${said.join(', ')}) are already there` };
    }
    return { plan, writes: said.join(', ') };
  }

  /** The values a Choice visit sees: its input as its rules read it, the Context Object (the execution input), its variables. */
  private worldAt(rec: RunRecord, v: Visit, info: StateInfo): BindingTarget {
    const executionInput = this.visitsOf(rec).input;
    const input = info.language === 'JSONata' ? v.input : scopeValue(v, info, 'input', executionInput);
    return { input, context: { Execution: { Input: executionInput } }, variables: variablesAt(v) };
  }

  /** Values that take branch `branch` of a Choice visit, written where they come from. */
  private async solveBranch(rec: RunRecord, v: Visit, branch: number | 'default'): Promise<Attempt & { kind?: SolveResult['kind'] }> {
    const info = this.states.get(v.name);
    if (!info || info.def.Type !== 'Choice') return { reason: `'${v.name}' is not a Choice state` };
    const def = info.def;
    const prov = this.provenanceOf(rec);
    const world = this.worldAt(rec, v, info);
    const sourceOf = (path: string): Source => {
      const parsed = parseBindingPath(path);
      if ('error' in parsed) return { kind: 'fixed', deep: true, reason: parsed.error };
      const root = parsed.root.kind === 'variable' ? { variable: parsed.root.name } : parsed.root.kind;
      return prov.scope(v, root, parsed.steps);
    };
    const current = (path: string): { found: true; value: JsonValue } | { found: false } => {
      const parsed = parseBindingPath(path);
      if ('error' in parsed) return { found: false };
      const value = readTarget(world, parsed.root, parsed.steps);
      return value === undefined ? { found: false } : { found: true, value };
    };
    // A value an intrinsic function computes is free for the solver when explore can steer the function.
    const isFixed = (path: string): boolean => {
      const s = sourceOf(path);
      return s.kind === 'fixed' && s.deep && !(s.computed && invertible(s.computed));
    };
    const choices = def.Choices ?? [];
    const last = branch === 'default' ? choices.length : branch + 1;
    const goals: RuleGoal[] = choices.slice(0, last).map((rule, i) => ({ rule, want: i === branch, where: `Choices[${i}]` }));
    // A value that cannot be absent (a Task's whole answer, the execution input) gets a goal saying so when an answer removes it.
    for (let round = 0; round < 3; round++) {
      let result: SolveResult;
      try {
        result = info.language === 'JSONata'
          ? await searchJsonataBranch(def, branch, {
            current, isFixed,
            evaluate: (i, bindings) => evaluateCondition(def.Choices[i].Condition, i, bindings, world, rec.result.startDate.getTime()),
          })
          : solveRules(goals, { current, isFixed });
      } catch (e) {
        return { reason: `the solver refused the rules: ${(e as Error).message}` };
      }
      if (result.kind !== 'sat') return { reason: result.reason, kind: result.kind };
      const stuck = result.bindings.filter((b) => 'absent' in b && cannotBeAbsent(sourceOf(b.path)));
      if (stuck.length > 0 && info.language === 'JSONPath') {
        for (const b of stuck) goals.push({ rule: { Variable: b.path, IsPresent: true }, want: true, where: `${b.path} is always present` });
        continue;
      }
      return this.bindingWrites(rec, world, result.bindings, sourceOf);
    }
    return { reason: 'the values found remove what is always there' };
  }

  /** Where the solver's values go: straight to their source, or through the function that computes them. */
  private bindingWrites(rec: RunRecord, world: BindingTarget, bindings: readonly Binding[], sourceOf: (path: string) => Source): Attempt {
    const writes: Write[] = [];
    // The values under one computed node are gathered, then the function is steered once for all of them.
    const computed = new Map<string, { computed: Computed; whole: JsonValue | undefined; reason: string }>();
    for (const b of bindings) {
      const source = sourceOf(b.path);
      const value = 'absent' in b ? undefined : b.value;
      if (source.kind !== 'fixed') {
        writes.push({ source, value });
        continue;
      }
      const parsed = parseBindingPath(b.path);
      if (!source.computed || 'error' in parsed) {
        return { reason: `it needs ${b.path} to be ${value === undefined ? 'absent' : JSON.stringify(value)}, and that value comes from ${source.reason}` };
      }
      const node = parsed.steps.slice(0, parsed.steps.length - source.computed.steps.length);
      const key = JSON.stringify([parsed.root, node]);
      const entry = computed.get(key) ?? { computed: source.computed, whole: readTarget(world, parsed.root, node), reason: source.reason };
      entry.whole = setAt(entry.whole, source.computed.steps, value);
      computed.set(key, entry);
    }
    for (const entry of computed.values()) {
      const steered = invert(entry.computed, entry.whole);
      if ('reason' in steered) return { reason: `it needs a value that comes from ${entry.reason} (${steered.reason})` };
      writes.push(...steered);
    }
    return this.applyWrites(rec, writes);
  }

  // ---- repairs and loops ----

  /**
   * The visit where a failed run failed: the one AWS's cause names ("… the
   * state 'X' (entered at the event id #N)"), else the last one entered that
   * did not exit, the innermost when it is a Parallel or Map.
   */
  private failingVisit(rec: RunRecord): Visit | undefined {
    const visits = this.visitsOf(rec).visits;
    const id = /\(entered at the event id #(\d+)\)/.exec(rec.result.cause ?? '')?.[1];
    if (id !== undefined) {
      const named = visits.find((v) => v.entered.id === Number(id));
      if (named) return named;
    }
    let found: Visit | undefined;
    for (let i = visits.length - 1; i >= 0; i--) {
      const v = visits[i];
      if (v.exited) continue;
      if (!found || !v.events.some((e) => e.type.endsWith('StateAborted'))) found = v;
      if (!v.events.some((e) => e.type.endsWith('StateAborted'))) break;
    }
    while (found && found.children.some((c) => !c.exited)) found = [...found.children].reverse().find((c) => !c.exited);
    return found;
  }

  /** A plan that gives a failed run what the failing state lacked, or the reason it cannot. */
  private async repair(rec: RunRecord): Promise<Attempt | undefined> {
    const r = rec.result;
    if (r.status !== 'FAILED' || r.error === undefined || !REPAIRABLE.has(r.error)) return undefined;
    const v = this.failingVisit(rec);
    const info = v ? this.states.get(v.name) : undefined;
    if (!v || !info) return undefined;
    let attempt: Attempt;
    if (info.def.Type === 'Choice') {
      attempt = { reason: 'no branch could be taken' };
      const branches: Array<number | 'default'> = [...info.def.Choices.map((_c, i) => i), ...(info.def.Default !== undefined ? ['default' as const] : [])];
      const why: string[] = [];
      for (const b of branches) {
        const solved = await this.solveBranch(rec, v, b);
        if (!('reason' in solved)) { attempt = solved; break; }
        why.push(`${b === 'default' ? 'Default' : `Choices[${b}]`}: ${solved.reason}`);
      }
      if ('reason' in attempt) attempt = { reason: `it failed with ${r.error}, and no branch could be taken: ${why.join('; ')}` };
    } else {
      attempt = this.repairReads(rec, v, info);
    }
    if ('reason' in attempt) this.stateTrouble.set(v.name, `fails with ${r.error} (${r.cause ?? 'no cause'}), and explore could not give it what it needs: ${attempt.reason}`);
    return attempt;
  }

  private repairReads(rec: RunRecord, v: Visit, info: StateInfo): Attempt {
    const prov = this.provenanceOf(rec);
    const executionInput = this.visitsOf(rec).input;
    const writes: Write[] = [];
    const why: string[] = [];
    for (const read of readsOf(info)) {
      if (read.scope === 'context' && !(read.steps[0] === 'Execution' && read.steps[1] === 'Input')) {
        why.push(`${read.field} reads $$.${read.steps.join('.')} from the Context Object, which explore cannot change`);
        continue;
      }
      if (read.scope === 'result' && v.result === undefined) continue;
      const base = scopeValue(v, info, read.scope, executionInput);
      if (base === undefined && read.scope !== 'raw') continue;
      let value: JsonValue | undefined = base;
      for (const s of read.steps) {
        if (value === null || typeof value !== 'object') { value = undefined; break; }
        value = Array.isArray(value) ? (typeof s === 'number' ? value[s] : undefined) : (typeof s === 'string' && Object.prototype.hasOwnProperty.call(value, s) ? value[s] : undefined);
        if (value === undefined) break;
      }
      if (fits(value, read.expect)) continue;
      const source = this.sourceOfRead(prov, v, read);
      const wanted = placeholder(read.expect, read.steps);
      if (source.kind === 'fixed' && source.computed && invertible(source.computed)) {
        const node = read.steps.slice(0, read.steps.length - source.computed.steps.length);
        const steered = invert(source.computed, setAt(followSteps(base ?? null, node), source.computed.steps, wanted));
        if (!('reason' in steered)) {
          writes.push(...steered);
          continue;
        }
      }
      if (source.kind === 'fixed') {
        why.push(`${read.field} reads a value that comes from ${source.reason}`);
        continue;
      }
      writes.push({ source, value: wanted });
    }
    const rp = info.language === 'JSONPath' && rec.result.error === 'States.ResultPathMatchFailure' ? info.def.ResultPath : undefined;
    if (typeof rp === 'string' && rp !== '$') {
      const steps = parseBindingPath(rp);
      if (!('error' in steps)) {
        for (let k = 0; k < steps.steps.length; k++) {
          const prefix = steps.steps.slice(0, k);
          const at = readTarget({ input: v.input }, { kind: 'input' }, prefix);
          if (at !== undefined && (at === null || typeof at !== 'object' || Array.isArray(at))) {
            writes.push({ source: prov.rawInput(v, prefix), value: {} });
            break;
          }
        }
      }
    }
    if (writes.length === 0) return { reason: why.length > 0 ? why.join('; ') : 'explore found nothing missing that it can write' };
    return this.applyWrites(rec, writes);
  }

  private sourceOfRead(prov: Provenance, v: Visit, read: Read): Source {
    const scope = read.scope;
    if (scope === 'raw') return prov.rawInput(v, read.steps);
    if (scope === 'item') return prov.mapItem(v, 0, read.steps);
    if (scope === 'merged') return prov.mergedValue(v, read.steps);
    if (scope === 'result') return prov.taskResult(v, read.steps);
    if (scope === 'input' || scope === 'context') return prov.scope(v, scope, read.steps);
    return prov.scope(v, scope, read.steps);
  }

  /**
   * A run that looped until the exploring limit: the plan that takes a way
   * out of the loop at a Choice it kept passing (its second pass, so the loop
   * runs once), or the reason none was found.
   */
  private async exitLoop(rec: RunRecord): Promise<Attempt> {
    const visits = this.visitsOf(rec);
    const choices = [...visits.byState.entries()]
      .filter(([name, list]) => list.length >= 2 && this.states.get(name)?.def.Type === 'Choice')
      .sort((a, b) => b[1].length - a[1].length || a[1][0].index - b[1][0].index)
      .slice(0, 2);
    const why: string[] = [];
    for (const [name, list] of choices) {
      const def = this.states.get(name)!.def as ChoiceState;
      for (const v of [list[1], list[0]]) {
        const taken = this.visitsOf(rec).visits.find((w) => w.link.kind === 'after' && w.link.visit === v)?.name;
        const branches: Array<number | 'default'> = [...def.Choices.map((_c, i) => i), ...(def.Default !== undefined ? ['default' as const] : [])];
        for (const b of branches) {
          const target = b === 'default' ? def.Default : def.Choices[b].Next;
          if (target === taken) continue;
          const solved = await this.solveBranch(rec, v, b);
          if (!('reason' in solved)) return solved;
          why.push(`${name}#${b}: ${solved.reason}`);
        }
      }
    }
    return { reason: choices.length === 0 ? 'no Choice decides the loop' : why.join('; ') };
  }

  // ---- goals ----

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
        const error = kind === 'timeout' ? 'States.Timeout' : this.failureError(def);
        await this.pursueFailure(id, state, error, 'exhaust', kind === 'timeout' ? `callback '${state}' times out` : `callback '${state}' fails with ${error}`);
        return;
      }
      default:
        return;
    }
  }

  /** The error a callback's worker most plausibly reports: the first one its Catch or Retry names, else States.TaskFailed. */
  private failureError(def: StateDefinition): string {
    const named = [...(def.Catch ?? []), ...(def.Retry ?? [])].flatMap((r) => r.ErrorEquals ?? [])
      .find((e) => !['States.ALL', 'States.TaskFailed', 'States.Timeout', 'States.HeartbeatTimeout', 'States.Runtime'].includes(e));
    return named ?? 'States.TaskFailed';
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
        const solved = await this.solveBranch(parent, v, branch);
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

  /**
   * Makes a state fail with `error`: a Task by its own answers, a Parallel or
   * Map by the answers of the first Task inside it that lets the error out.
   * `exhaust` fails every attempt its Retry makes; `once` only the first.
   */
  private failurePlan(rec: RunRecord, v: Visit, error: string, how: 'exhaust' | 'once'): Attempt {
    const info = this.states.get(v.name);
    if (!info) return { reason: `'${v.name}' is not in the definition` };
    let target: Visit | undefined = v;
    let count: number;
    if (info.def.Type === 'Task') {
      count = how === 'once' ? 1 : attemptsFor(info.def, error);
    } else if (info.def.Type === 'Map' && info.def.ItemReader !== undefined && !this.fixed.has(v.name)
      && this.visitsOf(rec).byState.get(v.name)?.[0] === v) {
      // Its ItemReader's first call: any error there fails the Map with States.ItemReaderFailed.
      const count = how === 'once' ? 1 : attemptsFor(info.def, 'States.ItemReaderFailed');
      let plan = rec.plan;
      for (let i = 0; i < count; i++) plan = withCall(plan, v.name, i, { kind: 'throw', error });
      return { plan, writes: `the ItemReader of '${v.name}' fails with ${error}` };
    } else if (info.def.Type === 'Parallel' || info.def.Type === 'Map') {
      target = this.innerTask(v, error);
      if (!target) return { reason: `no Task inside '${v.name}' was called in that run that lets ${error} out` };
      const inner = attemptsFor(this.states.get(target.name)!.def, error);
      count = how === 'once' ? inner : inner * attemptsFor(info.def, error);
    } else {
      return { reason: `a ${info.def.Type} state makes no call explore can fail` };
    }
    const first = target.calls[0];
    if (first === undefined) return { reason: `'${target.name}' made no call in that run` };
    if (this.fixed.has(target.name)) return { reason: `the answers of '${target.name}' are given` };
    let plan = rec.plan;
    const outcome: Outcome = { kind: 'throw', error };
    for (let i = 0; i < count; i++) plan = withCall(plan, target.name, first + i, outcome);
    return { plan, writes: `'${target.name}' call ${first + 1}${count > 1 ? ` to ${first + count}` : ''} fails with ${error}` };
  }

  private innerTask(v: Visit, error: string): Visit | undefined {
    for (const c of v.children) {
      const info = this.states.get(c.name);
      if (!info) continue;
      if (info.def.Type === 'Task' && c.calls.length > 0 && !this.fixed.has(c.name)
        && !(info.def.Catch ?? []).some((k) => errorMatches(k.ErrorEquals ?? [], error))) return c;
      if (info.def.Type === 'Parallel' || info.def.Type === 'Map') {
        if ((info.def.Catch ?? []).some((k) => errorMatches(k.ErrorEquals ?? [], error))) continue;
        const deeper = this.innerTask(c, error);
        if (deeper) return deeper;
      }
    }
    return undefined;
  }

  private async pursueFailure(id: string, state: string, error: string, how: 'exhaust' | 'once', origin: string): Promise<RunRecord | undefined> {
    for (const parent of this.parentsFor(state)) {
      if (this.stopped() || this.coveredBy.has(id)) return undefined;
      if (!this.markTried(id, parent)) continue;
      const v = this.visitsOf(parent).byState.get(state)?.[0];
      if (!v) continue;
      const attempt = this.failurePlan(parent, v, error, how);
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
        source = reads[0] ? this.sourceOfRead(prov, v, reads[0]) : { kind: 'fixed', deep: true, reason: `the ItemsPath of Map '${map.name}'` };
      }
      const attempt = this.applyWrites(parent, [{ source, value: [{}] }]);
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

  /** Errors a Task can raise that neither it nor a Parallel or Map around it handles. */
  private unhandledOf(info: StateInfo): string[] {
    const def = info.def;
    const names = [
      'States.TaskFailed', ...(hasTimeout(def) ? ['States.Timeout'] : []),
      ...[...(def.Retry ?? []), ...(def.Catch ?? [])].flatMap((r) => r.ErrorEquals ?? []),
    ].filter((e, i, all) => e !== 'States.ALL' && e !== 'States.Runtime' && all.indexOf(e) === i);
    return names.filter((e) => !this.handled(info, e));
  }

  private handled(info: StateInfo, error: string): boolean {
    let cur: StateInfo | undefined = info;
    while (cur) {
      if ((cur.def.Catch ?? []).some((c) => errorMatches(c.ErrorEquals ?? [], error))) return true;
      const d = cur.def;
      if (cur !== info && d.Type === 'Map' && (d.ToleratedFailureCount !== undefined || d.ToleratedFailurePercentage !== undefined
        || d.ToleratedFailureCountPath !== undefined || d.ToleratedFailurePercentagePath !== undefined)) return true;
      cur = cur.container !== undefined ? this.states.get(cur.container) : undefined;
    }
    return false;
  }

  /** One scenario per Task whose failure nothing handles: the execution fails with the error there. */
  private async unhandledErrors(): Promise<void> {
    for (const [name, info] of this.states) {
      if (this.stopped()) return;
      if (info.def.Type !== 'Task' || this.fixed.has(name)) continue;
      const errors = this.unhandledOf(info);
      if (errors.length === 0) continue;
      const parent = this.parentsFor(name).find((r) => !r.capped);
      const v = parent ? this.visitsOf(parent).byState.get(name)?.[0] : undefined;
      if (!parent || !v) continue;
      const error = errors[0];
      const attempt = this.failurePlan(parent, v, error, 'exhaust');
      if ('reason' in attempt) continue;
      const rec = await this.execute(attempt.plan, `'${name}' fails with ${error}, which nothing handles`);
      if (rec.result.status !== 'FAILED' || rec.result.error !== error) continue;
      const others = errors.slice(1);
      this.findingRuns.push({
        finding: {
          kind: 'unhandled-error', state: name, error,
          message: `unhandled: the execution fails with ${error} at state '${name}'${others.length ? ` (as it does with ${others.join(', ')})` : ''}`,
        },
        run: rec,
      });
    }
  }

  private async hazards(): Promise<void> {
    const seen = new Set<string>();
    for (const loop of this.loops) {
      if (this.stopped()) return;
      const counts = new Map<string, number>();
      for (const name of loop.result.path) counts.set(name, (counts.get(name) ?? 0) + 1);
      const cycle = [...counts.entries()].filter(([, n]) => n >= 3).map(([name]) => name);
      const key = [...cycle].sort().join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      const head = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      const through = cycle.slice(0, 6).join(' → ') + (cycle.length > 6 ? ' → …' : '');
      if (this.runner.type === 'EXPRESS') {
        this.findingRuns.push({ finding: { kind: 'express-duration', state: head, message: `the loop through ${through} does not end with the answers of '${loop.origin}': AWS stops an EXPRESS execution after 5 minutes (TIMED_OUT)` } });
        const growth = this.growth(loop, head);
        if (growth) this.findingRuns.push({ finding: { kind: 'payload-limit', state: head, message: growth } });
        continue;
      }
      const confirm = await this.runPlan(loop.plan, `the loop through ${through} never ends`, undefined);
      this.runs.push(confirm);
      if (confirm.result.status === 'FAILED' && confirm.result.error === 'States.DataLimitExceeded') {
        this.findingRuns.push({ finding: { kind: 'payload-limit', state: head, error: 'States.DataLimitExceeded', message: `the payload grows with each pass through ${through} until it exceeds 256 KiB: the execution fails with States.DataLimitExceeded` }, run: confirm });
      } else if (confirm.result.status === 'FAILED' && confirm.result.history.length >= HISTORY_LIMIT) {
        this.findingRuns.push({ finding: { kind: 'history-limit', state: head, error: 'States.Runtime', message: `the loop through ${through} can run until the execution fails at AWS's limit of 25,000 history events` }, run: confirm });
      }
    }
    if (this.runner.type === 'EXPRESS') await this.expressDuration();
  }

  /** How a loop's payload grows per pass, when it grows, in words. */
  private growth(loop: RunRecord, head: string | undefined): string | undefined {
    if (head === undefined) return undefined;
    const visits = this.visitsOf(loop).byState.get(head) ?? [];
    if (visits.length < 3) return undefined;
    const size = (v: Visit): number => Buffer.byteLength((v.entered.stateEnteredEventDetails as { input?: string } | undefined)?.input ?? '');
    const first = size(visits[1]);
    const last = size(visits[visits.length - 1]);
    const perPass = (last - first) / (visits.length - 2);
    if (!(perPass >= 1)) return undefined;
    const passes = Math.ceil((PAYLOAD_LIMIT - last) / perPass) + visits.length - 1;
    return `the input of '${head}' grows by about ${Math.round(perPass)} bytes with each pass: it exceeds 256 KiB after about ${passes} passes, and the execution fails with States.DataLimitExceeded`;
  }

  /** An EXPRESS machine: a scenario whose retries (and the waits on its way) run past 5 minutes. */
  private async expressDuration(): Promise<void> {
    const base = this.runs.find((r) => !r.capped);
    if (!base || this.stopped()) return;
    let plan = base.plan;
    const visits = this.visitsOf(base);
    let changed = false;
    for (const [name, info] of this.states) {
      if (info.def.Type !== 'Task' || !(info.def.Retry ?? []).length || this.fixed.has(name)) continue;
      const v = visits.byState.get(name)?.[0];
      const first = v?.calls[0];
      if (first === undefined) continue;
      const error = errorFor(info.def.Retry!, 0);
      if (error === undefined) continue;
      const count = attemptsFor(info.def, error) - 1;
      for (let i = 0; i < count; i++) plan = withCall(plan, name, first + i, { kind: 'throw', error });
      changed ||= count > 0;
    }
    if (!changed) return;
    const rec = await this.execute(plan, 'every retry is used up before the last attempt succeeds');
    const ms = rec.result.stopDate.getTime() - rec.result.startDate.getTime();
    if (rec.result.status === 'TIMED_OUT' || ms > EXPRESS_LIMIT_MS) {
      this.findingRuns.push({ finding: { kind: 'express-duration', message: `with every retry used, the execution runs ${Math.round(ms / 1000)} s: AWS stops an EXPRESS execution after 5 minutes (TIMED_OUT)` }, run: rec });
    }
  }

  // ---- the report ----

  private async report(): Promise<ExploreReport> {
    const cover = this.cover();
    const findingRuns = this.findingRuns.filter((f) => f.run).map((f) => f.run!);
    const chosen = [...cover, ...findingRuns.filter((r) => !cover.includes(r))];
    let stoppedBy: ExploreReport['search']['stoppedBy'] = this.stop;
    const maxScenarios = this.options.maxScenarios ?? 50;
    if (chosen.length > maxScenarios) {
      chosen.length = maxScenarios;
      stoppedBy ??= 'max-scenarios';
    }
    const names = new Map<RunRecord, string>();
    const used = new Set<string>();
    for (const rec of chosen) {
      let name = rec.origin;
      for (let n = 2; used.has(name); n++) name = `${rec.origin} (${n})`;
      used.add(name);
      names.set(rec, name);
    }
    const scenarios: ExploreScenario[] = [];
    const reached = new Set<string>();
    const findings: ExploreFinding[] = [];
    for (const rec of chosen) {
      const mocks = mocksOf(rec.calls, this.fixed);
      const replay = await this.runner.replay(rec.plan.input, mocks);
      const goals = this.goalsOf(replay);
      for (const g of goals) reached.add(g);
      const name = names.get(rec)!;
      if (replay.status !== rec.result.status || replay.error !== rec.result.error || !sameJson(replay.path, rec.result.path)
        || (!rec.capped && !sameJson(replay.output, rec.result.output))) {
        findings.push({
          kind: 'not-confirmed', message: `run again with its mocks, '${name}' ended ${replay.status}${replay.error ? ` (${replay.error})` : ''} after ${replay.path.length} states, where explore's run ended ${rec.result.status}${rec.result.error ? ` (${rec.result.error})` : ''} after ${rec.result.path.length}; the scenario shows the run again`,
          scenario: name,
        });
      }
      scenarios.push(scenarioOf(name, rec.plan.input, mocks, replay, goals));
    }
    for (const f of this.findingRuns) {
      if (f.run && !names.has(f.run)) continue;
      findings.push({ ...f.finding, ...(f.run ? { scenario: names.get(f.run)! } : {}) });
    }
    for (const s of scenarios) {
      if (this.runner.type === 'EXPRESS' && s.status === 'TIMED_OUT' && !findings.some((f) => f.kind === 'express-duration' && f.scenario === s.name)) {
        findings.push({ kind: 'express-duration', message: `'${s.name}' runs past 5 minutes: AWS stops an EXPRESS execution then (TIMED_OUT)`, scenario: s.name });
      }
    }
    const category = <K extends string>(c: GoalCategory, item: K): CategoryReport<K> => {
      const total = this.goalIds.filter((id) => splitGoal(id).category === c);
      const unreachable: Array<Record<K, string> & { reason: string }> = [];
      const notReached: Array<Record<K, string> & { reason: string }> = [];
      let count = 0;
      for (const id of total) {
        const key = splitGoal(id).key;
        if (reached.has(id)) { count++; continue; }
        const proof = this.proofs.get(c)?.get(key);
        const note = (reason: string) => ({ [item]: key, reason }) as Record<K, string> & { reason: string };
        if (proof !== undefined) unreachable.push(note(proof));
        else notReached.push(note(this.reasonFor(id, stoppedBy)));
      }
      return { reached: count, total: total.length, unreachable, notReached };
    };
    return {
      machine: this.options.machine ?? 'StateMachine',
      states: category('states', ITEM_NAMES.states),
      transitions: category('transitions', ITEM_NAMES.transitions),
      choiceRules: category('choiceRules', ITEM_NAMES.choiceRules),
      catches: category('catches', ITEM_NAMES.catches),
      retries: category('retries', ITEM_NAMES.retries),
      callbacks: category('callbacks', ITEM_NAMES.callbacks),
      scenarios,
      findings,
      search: { complete: stoppedBy === undefined, ...(stoppedBy ? { stoppedBy } : {}), runs: this.runs.length },
    };
  }

  /**
   * The fewest runs (greedily) that reach everything reached. Runs that ended
   * well are preferred to runs that failed on a value explore made up (a
   * missing field, a Choice no rule matched), and those to loops.
   */
  private cover(): RunRecord[] {
    const tier = (r: RunRecord): number => (r.capped ? 2 : r.result.status === 'FAILED' && REPAIRABLE.has(r.result.error ?? '') ? 1 : 0);
    const left = new Set(this.coveredBy.keys());
    const chosen: RunRecord[] = [];
    const candidates = this.runs.filter((r) => r.goals.size > 0);
    while (left.size > 0) {
      let best: RunRecord | undefined;
      let bestGain = 0;
      for (const r of candidates) {
        let gain = 0;
        for (const g of r.goals) if (left.has(g)) gain++;
        if (gain === 0) continue;
        if (!best || tier(r) < tier(best) || (tier(r) === tier(best) && gain > bestGain)) {
          best = r;
          bestGain = gain;
        }
      }
      if (!best) break;
      chosen.push(best);
      for (const g of best.goals) left.delete(g);
    }
    return chosen.sort((a, b) => a.id - b.id);
  }

  private reasonFor(id: string, stoppedBy: string | undefined): string {
    const given = this.reasons.get(id);
    if (given) return given;
    const { category, key } = splitGoal(id);
    const state = stateOfGoal(category, key);
    const trouble = this.stateTrouble.get(state);
    if (this.coveredBy.has(id)) return 'the scenario that reached it was not kept (maxScenarios)';
    if (!this.entered.has(state)) {
      const why = stoppedBy === 'budget' ? 'the budget ran out before any scenario reached it' : `no scenario reached '${state}'`;
      const upstream = this.whyNotEntered(state, new Set());
      return upstream ? `${why}: ${upstream}` : why;
    }
    if (trouble) return `'${state}' ${trouble}`;
    return stoppedBy === 'budget' ? 'the budget ran out before explore tried it' : 'explore found no way to it';
  }

  /** Why no scenario entered a state: what stood in the way at the nearest state before it that some scenario entered. */
  private whyNotEntered(state: string, seen: Set<string>): string | undefined {
    if (seen.has(state) || seen.size > 50) return undefined;
    seen.add(state);
    const info = this.states.get(state);
    if (info && info.scopeStart === state && info.container !== undefined) {
      const own = this.reasons.get(goalId('states', state));
      if (own) return own;
      if (!this.entered.has(info.container)) return this.whyNotEntered(info.container, seen);
      return undefined;
    }
    for (const [name, other] of this.states) {
      const def = other.def;
      const edges: Array<{ goal?: string; how: string }> = [];
      if (def.Next === state) edges.push({ how: 'next' });
      if (def.Type === 'Choice') {
        def.Choices.forEach((c, i) => { if (c.Next === state) edges.push({ goal: goalId('choiceRules', `${name}#${i}`), how: 'choice' }); });
        if (def.Default === state) edges.push({ goal: goalId('choiceRules', `${name}#default`), how: 'choice' });
      }
      (def.Catch ?? []).forEach((c, i) => { if (c.Next === state) edges.push({ goal: goalId('catches', `${name}#${i}`), how: 'catch' }); });
      if (edges.length === 0) continue;
      if (!this.entered.has(name)) {
        const deeper = this.whyNotEntered(name, seen);
        if (deeper) return deeper;
        continue;
      }
      for (const e of edges) {
        if (e.goal && this.reasons.has(e.goal)) return `${splitGoal(e.goal).key}: ${this.reasons.get(e.goal)}`;
        if (e.how === 'next' && this.stateTrouble.has(name)) return `'${name}' ${this.stateTrouble.get(name)}`;
      }
    }
    return undefined;
  }
}

/** True for a value no answer can remove: a Task's whole answer, or the execution input itself. */
function cannotBeAbsent(s: Source): boolean {
  return (s.kind === 'task' || s.kind === 'input') && s.steps.length === 0;
}

function scenarioOf(name: string, input: JsonValue, mocks: JsonObject, r: ExecutionResult, goals: ReadonlySet<string>): ExploreScenario {
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
    covers: ordered as GoalKeys,
  };
}
