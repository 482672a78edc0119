import type { GoalCategory, StateInfo } from './goals';
import type { Plan } from './plan';
import type { Proofs } from './proofs';
import type { Provenance } from './provenance';
import type { ExploreFinding, ExploreOptions } from './report-types';
import type { Outcome, ScenarioRunner, TaskCallInfo } from './runner';
import type { Step } from './sources';
import type { RunVisits, Visit } from './visits';
import type { JsonValue, StateMachineDefinition } from '../asl';
import { detailsOf } from '../asl/history-events';
import { StatesErrors } from '../asl/states-errors';
import type { ExecutionLimits, ExecutionResult, ObjectStore } from '../interpreter';

/** States an exploring run may enter: a run past it is a loop, kept as a hazard, not as a scenario. */
export const EXPLORE_MAX_STATES = 2000;
/**
 * The time a search may take when no budget is given, in seconds: explore's and verify's
 * `budgetSeconds` at every door that gives none of its own (MCP's tools give theirs, bounded by
 * the server's time per call).
 */
export const DEFAULT_BUDGET_SECONDS = 30;
/** The most scenarios a report holds when no `maxScenarios` is given. */
export const DEFAULT_MAX_SCENARIOS = 50;

/**
 * True when `value` is what a positive option of explore and verify takes (`budgetSeconds`, a
 * number; `maxScenarios`, an integer): the one check every door makes of them.
 */
export function isPositive(value: unknown, integer: boolean): value is number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value) && (!integer || Number.isInteger(value));
}

/** What a positive option must be, in the words every door refuses another value with. */
export function positiveRule(integer: boolean): string {
  return `a positive ${integer ? 'integer' : 'number'}`;
}
/** Rounds of repairs (a value a state needs is missing or of the wrong kind) one scenario gets. */
export const MAX_REPAIRS = 12;
/** Runs a goal is tried from before explore gives up on it. */
export const PARENTS_PER_GOAL = 3;
/** Runs one exploration may make, whatever its budget: bounds its memory. */
export const MAX_RUNS = 3000;
/** States a scenario's path shows. */
export const PATH_SHOWN = 1000;
/** Errors a state raises because a value it reads is missing or of the wrong kind: explore repairs what it wrote. */
export const REPAIRABLE: ReadonlySet<string> = new Set([
  StatesErrors.RUNTIME, StatesErrors.QUERY_EVALUATION_ERROR,
  StatesErrors.NO_CHOICE_MATCHED, StatesErrors.RESULT_PATH_MATCH_FAILURE,
]);

/**
 * Where the report is cut, as a share of the budget: the last tenth is a margin for what the
 * report's caller does with it (a CLI writes it, MCP sends it) and for a busy machine's late ticks.
 */
export const END_SHARE = 0.9;

/**
 * Thrown, from inside a run or a JSONata evaluation, once explore's time is up (the search's
 * share of the budget, or the whole budget while it reports): the work in hand is dropped,
 * and the report holds what was found before, saying the budget cut the search.
 * @internal
 */
export class ExploreBudgetExceeded extends Error {
  constructor(budgetMs: number) {
    super(`explore's budget of ${budgetMs / 1000} s ran out`);
    this.name = 'ExploreBudgetExceeded';
  }
}

/**
 * Options of `exploreMachine`: explore's, the machine's name, and a clock to cut the search
 * by (tests give a fake one). Public, as exploreMachine's declaration names it.
 */
export interface EngineOptions extends ExploreOptions {
  /** The state machine's name, for the report. */
  readonly machine?: string;
  /** Milliseconds now, for the budget only. @default exploreClock.now */
  readonly now?: () => number;
  /**
   * When the budget began, on the `now` clock: the caller's set-up (reading the options, making
   * the runner) counts in it. @default - when exploreMachine is called
   */
  readonly started?: number;
  /** The most history explore holds (tests set a small one). @default HELD_HISTORY_CHARS @internal */
  readonly heldHistoryChars?: number;
  /**
   * Task states the runner answers itself (a MockConfigFile test case): explore neither
   * answers nor varies them, as it does not those `mocks` gives. @internal
   */
  readonly answeredByRunner?: readonly string[];
  /**
   * Maps whose ItemReader or ResultWriter the runs' local S3 folder answers (`--s3-dir`,
   * `s3Dir`), at once: their items are the user's, read from the folder, never made up; explore
   * says so where it cannot reach a state inside one. @internal
   */
  readonly itemsFromS3Folder?: readonly string[];
  /**
   * The local S3 folder the runs read, as they read it (never written): verify counts there, with
   * the interpreter's reader, the items of the Maps `itemsFromS3Folder` names. @internal
   */
  readonly s3Folder?: ObjectStore;
}

/**
 * The clock explore's budget reads when its options give none (`EngineOptions.now`). A test
 * that cannot reach the options (the MCP server's worker threads) sets `now` here instead.
 * @internal
 */
export const exploreClock: { now: () => number } = { now: () => Date.now() };

/** One run explore made. @internal */
export interface RunRecord {
  readonly id: number;
  readonly plan: Plan;
  /** The run's outcome; once no later goal can start from the run, without its history (see `slim` in engine.ts). */
  result: ExecutionResult;
  readonly calls: ReadonlyMap<string, readonly Outcome[]>;
  /** The invocations (per state, in call order) that read a Map's ItemReader. */
  readonly readerCalls: ReadonlyMap<string, readonly number[]>;
  /** It entered EXPLORE_MAX_STATES states (or filled the history): a loop explore did not end. */
  readonly capped: boolean;
  readonly goals: ReadonlySet<string>;
  /** What it was made for: its scenario's name. */
  readonly origin: string;
  visits?: RunVisits;
  provenance?: Provenance;
  /** Its history was dropped (see `slim`): `Exploration.restore` runs it again for it. */
  dropped?: boolean;
  /**
   * The run as the report's run again of its scenario makes it (see `asTested` in hazards.ts), which the
   * report then does not make: its outcome, path and a history of where it went (ScenarioRunner.replay's 'outline').
   */
  asTested?: ExecutionResult;
  /** The run this one repaired (it gave that run what a state lacked): the first of the chain made for one plan. */
  repairedFrom?: RunRecord;
}

/**
 * How the interpreter words the failure at AWS's history limit (interpreter/engine.ts): a run is
 * told to have reached it by its cause, not by the length of its history, which holds the events
 * of a DISTRIBUTED Map's child executions too (each has a limit of its own) and is empty for a run
 * made without one (ScenarioRunner.run's `history`).
 */
const HISTORY_LIMIT_CAUSE = /^The execution reached the maximum number of history events \(\d+\)\.$/;

/** True when a run failed at AWS's limit of history events. @internal */
export function reachedHistoryLimit(r: Pick<ExecutionResult, 'status' | 'error' | 'cause'>): boolean {
  return r.status === 'FAILED' && r.error === StatesErrors.RUNTIME && HISTORY_LIMIT_CAUSE.test(r.cause ?? '');
}

/** Drops a run's history (and what was read from it), keeping its outcome and path. @internal */
export function slim(rec: RunRecord): void {
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
  rec.dropped = true;
}

/**
 * What a history weighs, in characters: a few dozen per event and the text of its details (the
 * inputs and outputs, which in a machine that keeps every result grow with each state).
 * @internal
 */
export function historyChars(history: ExecutionResult['history']): number {
  let n = 0;
  for (const e of history) {
    n += 64;
    const d = detailsOf(e);
    if (d) for (const k in d) if (typeof d[k] === 'string') n += (d[k] as string).length;
  }
  return n;
}

/** A plan that should reach a goal (with what it writes, in words), or why none was found. @internal */
export type Attempt =
  | {
    readonly plan: Plan;
    readonly writes: string;
    /** A plan to try when `plan` does not reach the goal (its words in `writes` too). */
    readonly otherwise?: { readonly plan: Plan; readonly writes: string };
  }
  | { readonly reason: string };

export function goalId(category: GoalCategory, key: string): string {
  return `${category}|${key}`;
}

export function splitGoal(id: string): { category: GoalCategory; key: string } {
  const i = id.indexOf('|');
  return { category: id.slice(0, i) as GoalCategory, key: id.slice(i + 1) };
}

/** The state a goal key names: `S` for a state, `S` of `S -> T`, `S` of `S#0`. */
export function stateOfGoal(category: GoalCategory, key: string): string {
  if (category === 'states') return key;
  if (category === 'transitions') return key.slice(0, key.indexOf(' -> '));
  return key.slice(0, key.lastIndexOf('#'));
}

export function describeSteps(steps: readonly Step[]): string {
  return steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('') || '(the whole value)';
}

/**
 * The answer the user's mocks give one call of a state: the entry (one for every call, or the
 * call's own of a list), or, past the end of a list, the States.Runtime the mocks of a test raise.
 */
export function givenAnswer(given: JsonValue, call: TaskCallInfo): Outcome {
  if (!Array.isArray(given)) return outcomeOf(given);
  const step = given[call.invocation];
  if (step === undefined) {
    return {
      kind: 'throw',
      error: StatesErrors.RUNTIME,
      cause: `Task '${call.state}' was invoked ${call.invocation + 1} times, but its mock is a sequence of ${given.length}`,
    };
  }
  return outcomeOf(step);
}

export function outcomeOf(value: JsonValue): Outcome {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // A late answer, `{"Delay": s, "Return": …}` or with `Throw`, maybe with `"Heartbeats": [...]`, as mocksFromJson reads it (which checked it first).
    const beats = Array.isArray(value.Heartbeats) ? value.Heartbeats as number[] : undefined;
    if (typeof value.Delay === 'number' && Object.keys(value).length === (beats ? 3 : 2) && (Object.hasOwn(value, 'Return') || Object.hasOwn(value, 'Throw'))) {
      const { Delay: delay, Heartbeats: _beats, ...answer } = value;
      return { ...outcomeOf(answer), delay: delay as number, ...(beats ? { heartbeats: beats } : {}) };
    }
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Return') return { kind: 'return', value: value.Return };
    const thrown = value.Throw;
    if (keys.length === 1 && keys[0] === 'Throw' && thrown && typeof thrown === 'object') {
      const error = 'Error' in thrown ? thrown.Error : undefined;
      const cause = 'Cause' in thrown ? thrown.Cause : undefined;
      return { kind: 'throw', error: String(error), ...(typeof cause === 'string' ? { cause } : {}) };
    }
  }
  return { kind: 'return', value };
}


/** What explore's parts share: the machine, the runs so far and what they reached. @internal */
export interface Exploration {
  readonly def: StateMachineDefinition;
  readonly states: ReadonlyMap<string, StateInfo>;
  readonly runner: ScenarioRunner;
  readonly options: EngineOptions;
  readonly goalIds: readonly string[];
  readonly runs: RunRecord[];
  readonly coveredBy: Map<string, RunRecord>;
  readonly entered: ReadonlyMap<string, RunRecord[]>;
  readonly reasons: Map<string, string>;
  /** Why a state failed in a way explore could not repair, by state. */
  readonly stateTrouble: Map<string, string>;
  /** The first value written for a field, by its name, where the machine compares it with one kind of value (see seeds.ts). */
  readonly seeds: ReadonlyMap<string, JsonValue>;
  /** Answers given in the options, by state: used as they are. */
  /** The Tasks whose answers are given: the answer, or undefined when the runner answers them itself. */
  readonly fixed: ReadonlyMap<string, JsonValue | undefined>;
  /** Runs that looped until the exploring limit. */
  readonly loops: RunRecord[];
  /** Findings, with the run that shows each. */
  readonly findingRuns: Array<{ finding: Omit<ExploreFinding, 'scenario'>; run?: RunRecord }>;
  /** Maps whose items explore asked for. */
  readonly needs: Set<string>;
  readonly proofs: Proofs;
  readonly stop: 'budget' | 'max-runs' | undefined;
  /**
   * Throws ExploreBudgetExceeded once the time of the part at work (the search, or the report)
   * is up; asked before each state a run enters and at every step of its JSONata evaluations.
   */
  readonly interrupt: () => void;
  stopped(): boolean;
  /** True once the whole budget (the search's and the report's) is spent, or `share` of it. */
  pastBudget(share?: number): boolean;
  /**
   * Runs a plan; `limits` null runs it with AWS's limits (a test's), else with the exploring limit.
   * `trace` false skips reading what it reached (a hazard's run, whose history can be large); `history` false records
   * none (ScenarioRunner.run's), for a run whose outcome and path alone are read, and 'outline' no documents.
   */
  runPlan(plan: Plan, origin: string, limits?: ExecutionLimits | null, trace?: boolean, history?: boolean | 'outline'): Promise<RunRecord>;
  /** Runs a plan, repairing what the run lacked (until a run `done` accepts) and ending loops, and records every run made. */
  execute(plan: Plan, origin: string, done?: (rec: RunRecord) => boolean): Promise<RunRecord>;
  visitsOf(rec: RunRecord): RunVisits;
  provenanceOf(rec: RunRecord): Provenance;
  /**
   * The call (the Map state's invocation) whose answer gave a Map visit its
   * items through its ItemReader, or `undefined` when explore cannot tell.
   */
  readerCall(rec: RunRecord, map: Visit): number | undefined;
  /** The items a Map visit's ItemReader answered with, when they were a list. */
  readerItems(rec: RunRecord, map: Visit): JsonValue[] | undefined;
  /** Runs that entered a state, the ones that ended on their own first (see `restore`). */
  parentsFor(state: string): RunRecord[];
  /**
   * Makes a run one a goal starts from: its history, when it was dropped to bound memory, is
   * made again by running its plan again (runs are deterministic), and it is kept until the
   * next run is restored.
   */
  restore(rec: RunRecord): Promise<void>;
  goalsOf(result: ExecutionResult): Promise<Set<string>>;
  /**
   * The goals a scenario made of a run is kept for: its goals, less each Retry it only used up
   * (every attempt after it failed again) when another run went on after that Retry.
   */
  credited(rec: RunRecord): ReadonlySet<string>;
  /**
   * The goals a run reached, read from a history whose events hold no documents (ScenarioRunner.replay's
   * 'outline'); undefined when they need them: a Choice visit that went where several of its branches
   * lead (its rules are evaluated on its input), or a Fail state whose ErrorPath reads its input.
   */
  outlineGoalsOf(result: ExecutionResult): Promise<Set<string> | undefined>;
}
