import { FailureTracker, type CaughtError, type StateFailure } from './failures';
import type { DiagramGraph } from './graph';
import { iterationMap, nameOf, withinHistoryLimit, type HistoryEventLike } from './history';
import { addChildVisits, addPathTransitions } from './path-visits';
import { record } from './records';
import { RenderError } from './render-error';
import {
  EXECUTION_UNSUCCESSFUL, isEntered, isExited, MAP_ITERATION_EVENTS, MAP_RUN_EVENTS, TASK_FAILURE, TASK_SCHEDULED, factsOf, detailsOf,
} from '../asl/history-events';
import { AwsLimits } from '../asl/limits';
import { machineOfMapRun, mapRunLabel } from '../asl/map-run-label';
import { ownValue } from '../asl/own';
import { StatesErrors } from '../asl/states-errors';

export type { HistoryEventLike } from './history';
export type { CaughtError, StateFailure } from './failures';

/**
 * An execution to draw: a harness run (`WorkflowRun`), the interpreter's
 * result, the JSON of `stepwright run --json` (with `--history` for retries),
 * or the output of `aws stepfunctions get-execution-history` (`events`).
 */
export interface ExecutionData {
  readonly status?: string;
  readonly error?: string;
  readonly cause?: string;
  /** States entered, in order. Used when there is no history. */
  readonly path?: readonly string[];
  readonly history?: readonly HistoryEventLike[];
  /** GetExecutionHistory's name for the history. */
  readonly events?: readonly HistoryEventLike[];
  /** The execution's ARN (a `WorkflowRun`, `stepwright run --json`, DescribeExecution): it names the state machine. */
  readonly executionArn?: string;
  /** The state machine's ARN (DescribeExecution): it names the state machine. */
  readonly stateMachineArn?: string;
  /**
   * The execution's Map Runs with their item counts, as DescribeMapRun answers each (a
   * `WorkflowRun`'s and `stepwright run --json`'s `mapRuns`): drawn on their Distributed Map state.
   */
  readonly mapRuns?: readonly MapRunData[];
}

/** A Map Run's item counts, in DescribeMapRun's fields; those absent count 0. */
export interface MapRunData {
  readonly mapRunArn: string;
  readonly itemCounts: {
    readonly total?: number;
    readonly succeeded?: number;
    readonly failed?: number;
    readonly pending?: number;
    readonly running?: number;
    readonly aborted?: number;
    readonly timedOut?: number;
  };
  readonly toleratedFailureCount?: number;
  readonly toleratedFailurePercentage?: number;
}

/** The items of a Distributed Map state's Map Runs, summed, and the failures it tolerates. */
export interface MapRunItems {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Items not ended: pending, running, or left when the execution ended. */
  readonly pending: number;
  readonly aborted: number;
  /** @default - not given, nor a number in the definition */
  readonly toleratedFailureCount?: number;
  /** @default - not given, nor a number in the definition */
  readonly toleratedFailurePercentage?: number;
}

/**
 * What an execution did, per state and transition, ready to draw. Its
 * records are keyed by state names (or `A -> B`) and have no prototype, so
 * a state named `constructor` or `__proto__` is a key like any other: read
 * them with `Object.entries` or `Object.hasOwn`.
 */
export interface ExecutionPath {
  readonly status?: string;
  readonly error?: string;
  readonly cause?: string;
  /** Times each state was entered. */
  readonly states: Record<string, number>;
  /** Times each transition (`A -> B`) was taken. */
  readonly transitions: Record<string, number>;
  /** Retries per state (attempts after the first). */
  readonly retries: Record<string, number>;
  /** The state the execution failed in, when it did not succeed. */
  readonly failedState?: string;
  /**
   * When the execution failed in a Fail state after a Catch handled an error on the way there (a
   * Saga's compensation): the state whose error it was, the nearest before the Fail state in its
   * scope, and the error. Read from the history only.
   */
  readonly caughtBeforeFailure?: CaughtError;
  /**
   * Per Map state: its iterations (items, or batches with an ItemBatcher),
   * as many as its `MapStateStarted` events announce, or as were started;
   * per Parallel state: branch runs. Without a history, the entries of the
   * item processor's or branches' first states.
   */
  readonly iterations: Record<string, number>;
  /** Per Map state: iterations that succeeded (`MapIterationSucceeded`); per Parallel state: branch runs that reached their end. */
  readonly succeededIterations: Record<string, number>;
  /**
   * Per Map state: iterations that failed (`MapIterationFailed`); per
   * Parallel state: branch runs that ended neither at their end nor
   * aborted, in an execution that is over.
   */
  readonly failedIterations: Record<string, number>;
  /**
   * Per Map state: iterations stopped because another failed
   * (`MapIterationAborted`); per Parallel state: branch runs stopped so
   * (their state's `…StateAborted`).
   */
  readonly abortedIterations: Record<string, number>;
  /**
   * Per DISTRIBUTED Map state: how its Map Runs ended. Its iterations run
   * as child executions, whose events are not in the parent's history.
   */
  readonly mapRuns: Record<string, MapRunCounts>;
  /** Per DISTRIBUTED Map state: its Map Runs' items, when the run gives them (ExecutionData.mapRuns). */
  readonly mapRunItems: Record<string, MapRunItems>;
  /**
   * Per state, its visits that ended in an error its Retry did not recover:
   * the Task that raised it (in a Parallel branch or Map iteration too), each
   * Parallel or Map that failed with it, a Fail state, and the state the
   * execution failed in; with how many its Catch handled. Without a
   * history, only Fail states and the state the execution failed in.
   */
  readonly failures: Record<string, StateFailure>;
}

/** Map Runs of a DISTRIBUTED Map state by how they ended (`MapRunSucceeded`, `MapRunFailed`, `MapRunAborted`). */
export interface MapRunCounts {
  /** Map Runs started (`MapRunStarted`); those not ended are still running, or were cut short with the execution. */
  readonly started: number;
  /** Map Runs that succeeded (`MapRunSucceeded`), tolerated failures included. */
  readonly succeeded: number;
  /** Map Runs that failed (`MapRunFailed`): an item reader error, or more failures than tolerated. */
  readonly failed: number;
  /** Map Runs aborted (`MapRunAborted`). */
  readonly aborted: number;
}

/** Coverage of one category: the shape of `stepwright-coverage.json` (`machines[i].states`, ...). */
export interface CoverageCategoryData {
  readonly covered: number;
  readonly total: number;
  readonly missed: readonly string[];
}

/**
 * The coverage of one state machine, as the stepwright coverage reporter
 * writes it (one entry of `machines` in `stepwright-coverage.json`, or an
 * entry of `coverageSummary()`).
 */
export interface CoverageData {
  readonly id?: string;
  readonly name?: string;
  readonly runs?: number;
  readonly states: CoverageCategoryData;
  readonly transitions: CoverageCategoryData;
  readonly choices: CoverageCategoryData;
  readonly catches: CoverageCategoryData;
  readonly retries: CoverageCategoryData;
}

function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (ownValue(map, key) ?? 0) + by;
}

function checkRun(run: unknown): asserts run is ExecutionData {
  if (run === null || typeof run !== 'object' || Array.isArray(run)) {
    throw new RenderError('the run is not an object: expected an execution result ({ status, path, history }) or GetExecutionHistory output ({ events })');
  }
  const r = run as Record<string, unknown>;
  for (const key of ['history', 'events', 'path'] as const) {
    if (r[key] !== undefined && !Array.isArray(r[key])) throw new RenderError(`the run's '${key}' is not an array (got ${typeof r[key]})`);
  }
  for (const key of ['status', 'error', 'cause', 'executionArn', 'stateMachineArn'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'string') throw new RenderError(`the run's '${key}' is not a string (got ${JSON.stringify(r[key])})`);
  }
  for (const key of ['history', 'events'] as const) {
    withinHistoryLimit(r[key], key)?.forEach((e, i) => {
      const event = e as Partial<HistoryEventLike> | null;
      if (event === null || typeof event !== 'object' || typeof event.type !== 'string' || typeof event.id !== 'number') {
        throw new RenderError(`the run's ${key}[${i}] is not a history event: expected an object with a numeric 'id' and a string 'type' (got ${JSON.stringify(e)?.slice(0, 80)})`);
      }
    });
  }
  if (r.mapRuns !== undefined) checkMapRuns(r.mapRuns);
  if (r.history === undefined && r.events === undefined && r.path === undefined) {
    throw new RenderError("the run has neither 'history', 'events' nor 'path': pass an execution result, `stepwright run --json` output or GetExecutionHistory output");
  }
}

const COUNT_FIELDS = ['total', 'succeeded', 'failed', 'pending', 'running', 'aborted', 'timedOut'] as const;

/** A run's `mapRuns`: each a Map Run's ARN and counts that are whole numbers, never negative or infinite. */
function checkMapRuns(value: unknown): void {
  if (!Array.isArray(value)) throw new RenderError(`the run's 'mapRuns' is not an array (got ${typeof value})`);
  // More Map Runs than any execution's history could start.
  if (value.length > AwsLimits.HISTORY_EVENTS) throw new RenderError(`the run's 'mapRuns' lists ${value.length} Map Runs, more than ${AwsLimits.HISTORY_EVENTS}`);
  const count = (v: unknown, what: string): void => {
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) {
      throw new RenderError(`the run's ${what} is not a whole number of 0 or more (got ${JSON.stringify(v)?.slice(0, 40)})`);
    }
  };
  value.forEach((m: unknown, i) => {
    const run = m as Partial<Record<string, unknown>> | null;
    if (run === null || typeof run !== 'object' || typeof run.mapRunArn !== 'string') {
      throw new RenderError(`the run's mapRuns[${i}] is not a Map Run: expected { mapRunArn, itemCounts } as DescribeMapRun answers (got ${JSON.stringify(m)?.slice(0, 80)})`);
    }
    const counts = run.itemCounts as Record<string, unknown> | null | undefined;
    if (counts === null || typeof counts !== 'object' || Array.isArray(counts)) throw new RenderError(`the run's mapRuns[${i}].itemCounts is not an object`);
    for (const f of COUNT_FIELDS) count(Object.hasOwn(counts, f) ? counts[f] : undefined, `mapRuns[${i}].itemCounts.${f}`);
    count(run.toleratedFailureCount, `mapRuns[${i}].toleratedFailureCount`);
    const pct = run.toleratedFailurePercentage;
    if (pct !== undefined && !(typeof pct === 'number' && pct >= 0 && pct <= 100)) {
      throw new RenderError(`the run's mapRuns[${i}].toleratedFailurePercentage is not a number from 0 to 100 (got ${JSON.stringify(pct)?.slice(0, 40)})`);
    }
  });
}

/**
 * The Map state each of a run's Map Runs belongs to: the one whose MapRunStarted named it, else
 * the state the ARN's label names (`…:mapRun:<machine>/<label>:<id>`, the label being the
 * state's `Label` or the one generated for it); per state, their items summed, with the tolerated failures
 * given (or else the definition's).
 */
function mapRunItemsOf(graph: DiagramGraph, runs: readonly MapRunData[], started: ReadonlyMap<string, string>): Record<string, MapRunItems> {
  const out = record<MapRunItems>();
  // The label of each Map state in the ARNs of the state machine that ran it: its Label, or the one generated for it.
  const labels = new Map<string, Map<string, string>>();
  const byLabel = (machine: string): Map<string, string> => {
    let found = labels.get(machine);
    if (found) return found;
    found = new Map();
    for (const st of graph.states.values()) {
      if (st.type !== 'Map') continue;
      const label = (st.definition as { Label?: unknown }).Label;
      found.set(mapRunLabel(typeof label === 'string' ? label : undefined, machine, st.name), st.name);
    }
    labels.set(machine, found);
    return found;
  };
  for (const run of runs) {
    const label = /:mapRun:.*\/([^/:]*):[^:]*$/.exec(run.mapRunArn)?.[1];
    const machine = machineOfMapRun(run.mapRunArn);
    const state = started.get(run.mapRunArn) ?? (label !== undefined && machine !== undefined ? byLabel(machine).get(label) : undefined);
    if (state === undefined || !graph.states.has(state)) continue;
    const c = run.itemCounts;
    const def = graph.states.get(state)!.definition as { ToleratedFailureCount?: unknown; ToleratedFailurePercentage?: unknown };
    const before = ownValue(out, state);
    const total = (before?.total ?? 0) + (c.total ?? 0);
    const succeeded = (before?.succeeded ?? 0) + (c.succeeded ?? 0);
    const failed = (before?.failed ?? 0) + (c.failed ?? 0) + (c.timedOut ?? 0);
    const aborted = (before?.aborted ?? 0) + (c.aborted ?? 0);
    const count = run.toleratedFailureCount ?? (typeof def.ToleratedFailureCount === 'number' ? def.ToleratedFailureCount : before?.toleratedFailureCount);
    const pct = run.toleratedFailurePercentage ?? (typeof def.ToleratedFailurePercentage === 'number' ? def.ToleratedFailurePercentage : before?.toleratedFailurePercentage);
    out[state] = {
      total,
      succeeded,
      failed,
      aborted,
      pending: Math.max(total - succeeded - failed - aborted, 0),
      ...(count !== undefined ? { toleratedFailureCount: count } : {}),
      ...(pct !== undefined ? { toleratedFailurePercentage: pct } : {}),
    };
  }
  return out;
}

/**
 * The state machine's name in a run's ARNs: `…:stateMachine:Orders[:alias]`,
 * `…:execution:Orders:run-1`, `…:express:Orders:run-1:id`, and a Map Run
 * child's `…:execution:Orders/Items:…`.
 * @internal
 */
export function machineNameOf(run: ExecutionData): string | undefined {
  const fromMachine = /^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:([^:/]+)/.exec(run.stateMachineArn ?? '');
  if (fromMachine) return fromMachine[1];
  const fromExecution = /^arn:[^:]+:states:[^:]*:[^:]*:(?:execution|express):([^:/]+)/.exec(run.executionArn ?? '');
  return fromExecution?.[1];
}

/**
 * Reads what an execution did from its history (or, without one, from its
 * path), against the graph of its definition.
 * @internal
 */
export function pathFromRun(graph: DiagramGraph, run: ExecutionData): ExecutionPath {
  checkRun(run);
  const history = run.history ?? run.events;
  // Every record here is keyed by state names: none has a prototype (records.ts).
  const states = record<number>();
  const transitions = record<number>();
  const retries = record<number>();
  const iterations = record<number>();
  const succeededIterations = record<number>();
  const failedIterations = record<number>();
  const abortedIterations = record<number>();
  const mapRuns = record<MapRunCounts>();
  /** Per Map state: MapIteration* events by kind, and the lengths its MapStateStarted events announce. */
  const iterationEvents = { started: record<number>(), succeeded: record<number>(), failed: record<number>(), aborted: record<number>() };
  const announced = record<number>();
  /** Per state: visits that exited, and visits stopped because a sibling branch failed. */
  const exited = record<number>();
  /** Map states whose Map Run started and has not ended yet, latest last. */
  const openMapRuns: string[] = [];
  /** The Map state each Map Run (by ARN) was started by, from its MapRunStarted event. */
  const mapRunStates = new Map<string, string>();
  const aborted = record<number>();
  let failedState: string | undefined;
  let caughtBeforeFailure: CaughtError | undefined;
  let status = run.status;
  let error = run.error;
  let cause = run.cause;
  const edgeKeys = new Set(graph.edges.map((e) => e.transition).filter((t): t is string => t !== undefined));

  const linked = history !== undefined && history.some((e) => typeof e.previousEventId === 'number' && e.previousEventId > 0);
  let failures: Record<string, StateFailure>;
  if (history !== undefined && history.length > 0) {
    const byId = new Map<number, HistoryEventLike>();
    for (const e of history) byId.set(e.id, e);
    const tracker = new FailureTracker(graph, byId, linked);
    // The visit (entered event) an event belongs to: through previousEventId when the history has it, else the latest entered event.
    const owner = new Map<number, HistoryEventLike>();
    let lastEntered: HistoryEventLike | undefined;
    const attempts = new Map<number, number>();
    for (const [i, e] of history.entries()) {
      const prev = linked ? byId.get(e.previousEventId ?? -1) : undefined;
      if (isEntered(e)) {
        lastEntered = e;
        owner.set(e.id, e);
        const name = nameOf(e);
        if (name === undefined) continue;
        bump(states, name);
        tracker.entered(e, name);
        const from = prev && isExited(prev) ? nameOf(prev) : undefined;
        if (from !== undefined && edgeKeys.has(`${from} -> ${name}`)) bump(transitions, `${from} -> ${name}`);
        continue;
      }
      if (isExited(e)) {
        const name = nameOf(e);
        if (name !== undefined) bump(exited, name);
      }
      const own = linked ? (prev && !isExited(prev) ? owner.get(prev.id) : undefined) : lastEntered;
      if (own) owner.set(e.id, own);
      const ownName = own ? nameOf(own) : undefined;
      const iteration = MAP_ITERATION_EVENTS.get(e.type);
      // Right after the state's own failed attempt (AWS records the failed iteration's
      // MapIterationFailed between the two), an abort records that failure ending the branch (the
      // branch failed); otherwise a sibling's failure stopped the branch here.
      const before = i > 1 && history[i - 1].type === 'MapIterationFailed' ? history[i - 2] : i > 0 ? history[i - 1] : undefined;
      const ownFailure = e.type.endsWith('StateAborted') && before !== undefined && TASK_FAILURE.test(before.type)
        && (!linked || e.previousEventId === before.id);
      tracker.event(e, own, ownFailure);
      if (iteration) {
        const map = iterationMap(e);
        if (map !== undefined) bump(iterationEvents[iteration], map);
      } else if (e.type.endsWith('StateAborted')) {
        if (ownName !== undefined && !ownFailure) bump(aborted, ownName);
      } else if (e.type === 'MapStateStarted' && ownName !== undefined) {
        const length = detailsOf(e)?.length;
        if (typeof length === 'number') bump(announced, ownName, length);
      } else if (MAP_RUN_EVENTS.has(e.type)) {
        // The end of a Map Run names no Map; when its link does not lead to one, it ends the latest Map Run still open.
        const kind = MAP_RUN_EVENTS.get(e.type)!;
        const open = ownName !== undefined && openMapRuns.includes(ownName) ? ownName : openMapRuns[openMapRuns.length - 1];
        const map = kind === 'started' ? ownName : open;
        if (map !== undefined) {
          const counts = (ownValue(mapRuns, map) ?? (mapRuns[map] = { started: 0, succeeded: 0, failed: 0, aborted: 0 }));
          (counts as Record<keyof MapRunCounts, number>)[kind]++;
          if (kind === 'started') {
            openMapRuns.push(map);
            const arn = detailsOf(e)?.mapRunArn;
            if (typeof arn === 'string') mapRunStates.set(arn, map);
          } else {
            openMapRuns.splice(openMapRuns.lastIndexOf(map), 1);
          }
        }
      }
      if (TASK_SCHEDULED.has(e.type) && own) {
        const n = (attempts.get(own.id) ?? 0) + 1;
        attempts.set(own.id, n);
        if (n > 1) bump(retries, nameOf(own) ?? '');
      }
      if (e.type.startsWith('Execution')) {
        if (e.type === 'ExecutionSucceeded') status ??= 'SUCCEEDED';
        if (EXECUTION_UNSUCCESSFUL.has(e.type)) {
          status ??= e.type === 'ExecutionFailed' ? 'FAILED' : e.type === 'ExecutionTimedOut' ? 'TIMED_OUT' : 'ABORTED';
          const facts = factsOf(e);
          error ??= facts.error;
          cause ??= facts.cause;
          failedState = failedStateOf(e, error, byId, linked, lastEntered);
        }
      }
    }
    failures = tracker.failures(status === 'SUCCEEDED' || status === 'FAILED');
    if (status === 'FAILED' && failedState !== undefined) caughtBeforeFailure = tracker.caughtBefore(failedState);
    if (!linked) {
      // Without links, an exit directly followed by an entry is a transition when the definition has that edge.
      for (let i = 1; i < history.length; i++) {
        if (!isEntered(history[i]) || !isExited(history[i - 1])) continue;
        const key = `${nameOf(history[i - 1])} -> ${nameOf(history[i])}`;
        if (edgeKeys.has(key)) bump(transitions, key);
      }
    }
    addChildVisits(graph, run.path, edgeKeys, states, transitions);
  } else {
    for (const name of run.path ?? []) if (typeof name === 'string') bump(states, name);
    addPathTransitions((run.path ?? []).filter((n): n is string => typeof n === 'string'), edgeKeys, transitions);
    failures = pathFailures(graph, run.path ?? []);
  }
  if (failedState === undefined && status !== undefined && status !== 'SUCCEEDED' && status !== 'RUNNING') {
    const path = run.path ?? (history ?? []).filter(isEntered).map(nameOf).filter((n): n is string => n !== undefined);
    failedState = path[path.length - 1];
  }
  // The state the execution failed in raised the execution's error, whatever the history says of it.
  if (failedState !== undefined && status === 'FAILED') {
    const f = ownValue(failures, failedState);
    const raised = error ?? f?.error;
    failures[failedState] = { count: Math.max(f?.count ?? 0, 1), caught: f?.caught ?? 0, ...(raised !== undefined ? { error: raised } : {}) };
  }
  const hasHistory = history !== undefined && history.length > 0;
  const over = status !== undefined && status !== 'RUNNING';
  for (const s of graph.states.values()) {
    if (!ownValue(states, s.name) || s.scopes.length === 0) continue;
    const entries = s.scopes.reduce((n, sid) => n + (ownValue(states, graph.scopes.get(sid)!.startAt) ?? 0), 0);
    if (s.type === 'Map') {
      const started = ownValue(iterationEvents.started, s.name) ?? 0;
      const total = hasHistory ? Math.max(ownValue(announced, s.name) ?? 0, started) : entries;
      if (total) iterations[s.name] = total;
      for (const [kind, into] of [['succeeded', succeededIterations], ['failed', failedIterations], ['aborted', abortedIterations]] as const) {
        const n = ownValue(iterationEvents[kind], s.name);
        if (n) into[s.name] = n;
      }
      continue;
    }
    if (entries) iterations[s.name] = entries;
    if (!hasHistory || !entries) continue;
    // A branch run ends at a state that ends its branch (not a Fail state), is aborted in the state it
    // was in when a sibling failed, or else failed: AWS records no event per branch.
    let ended = 0;
    let stopped = 0;
    for (const sid of s.scopes) {
      for (const m of graph.members.get(sid)!) {
        const inner = graph.states.get(m)!;
        if (inner.terminal && inner.type !== 'Fail') ended += ownValue(exited, m) ?? 0;
        stopped += ownValue(aborted, m) ?? 0;
      }
    }
    if (ended) succeededIterations[s.name] = ended;
    if (stopped) abortedIterations[s.name] = stopped;
    if (over && entries - ended - stopped > 0) failedIterations[s.name] = entries - ended - stopped;
  }
  return {
    ...(status !== undefined ? { status } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(cause !== undefined ? { cause } : {}),
    states,
    transitions,
    retries,
    iterations,
    succeededIterations,
    failedIterations,
    abortedIterations,
    mapRuns,
    mapRunItems: mapRunItemsOf(graph, run.mapRuns ?? [], mapRunStates),
    failures,
    ...(failedState !== undefined ? { failedState } : {}),
    ...(caughtBeforeFailure !== undefined ? { caughtBeforeFailure } : {}),
  };
}

/** Without a history, only Fail states are known to have raised an error: each entry into one did. */
function pathFailures(graph: DiagramGraph, path: readonly unknown[]): Record<string, StateFailure> {
  const out = record<StateFailure>();
  for (const name of path) {
    if (typeof name !== 'string' || graph.states.get(name)?.type !== 'Fail') continue;
    const error = (graph.states.get(name)!.definition as { Error?: unknown }).Error;
    out[name] = { count: (ownValue(out, name)?.count ?? 0) + 1, caught: 0, ...(typeof error === 'string' ? { error } : {}) };
  }
  return out;
}

/** The state an execution ended in: the nearest state entered on the chain of events before the final one. */
function failedStateOf(
  final: HistoryEventLike, error: string | undefined, byId: Map<number, HistoryEventLike>, linked: boolean, lastEntered: HistoryEventLike | undefined,
): string | undefined {
  if (!linked) return lastEntered ? nameOf(lastEntered) : undefined;
  let e = byId.get(final.previousEventId ?? -1);
  // A Map that failed past its tolerated failures failed itself, not in an iteration's state: the
  // iteration events its failure hangs off name it.
  let mapFailed = false;
  // A chain is at most as long as the history: guard against a malformed, cyclic one.
  for (let steps = 0; e && steps <= byId.size; steps++) {
    // Past a Map that failed itself, the chain runs through the last failing iteration's states
    // (AWS chains MapStateFailed to them) up to its MapIteration event, which names the Map.
    if (isEntered(e) && !mapFailed) return nameOf(e);
    if (e.type === 'MapStateFailed' && error === StatesErrors.EXCEED_TOLERATED_FAILURE_THRESHOLD) mapFailed = true;
    if (mapFailed && MAP_ITERATION_EVENTS.has(e.type)) return iterationMap(e) ?? nameOf(e);
    e = byId.get(e.previousEventId ?? -1);
  }
  return lastEntered ? nameOf(lastEntered) : undefined;
}
