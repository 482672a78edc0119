import type { Redelivery } from './delivery';
import { attemptsOf, visitsOf, type RunHistoryEvent, type StateAttempt } from './run-history';
import type { JsonValue, StateMachineDefinition } from '../../asl';
import { detailsOf } from '../../asl/history-events';
import { setField } from '../../asl/json-value';
import { forEachState } from '../../asl/state-tree';
// Cost, Mermaid and the retry trace are loaded when a run is asked for them: most tests never do.
import type { CostOptions, RunCost } from '../../cost';
import type { ObjectStore } from '../../interpreter';
import type { ChildExecutionFailure, ChildExecutionUsage, ExecutionResult, ExecutionStatus, MapRunCounts } from '../../interpreter/execution-types';
import type { RenderOptions } from '../../render';
import type { TaskCall, RunAdvice } from '../mocks';
import { MapResultsError, readMapRunResults, type MapRunResults } from '../s3';

/**
 * The outcome of one run: the interpreter's ExecutionResult (status, output,
 * error, cause, path, history) with helpers to read it.
 */
export class WorkflowRun implements ExecutionResult {
  /**
   * The run {@link WorkflowRun.toData} gave, rebuilt with the same fields and helpers.
   * @internal
   */
  static fromData(data: WorkflowRunData, definition?: StateMachineDefinition): WorkflowRun {
    const run = new WorkflowRun(data.result, data.calls, data.children.map((c) => WorkflowRun.fromData(c, definition)), definition);
    run.#redeliveries = data.redeliveries;
    run.#restarts = data.restarts.map((c) => WorkflowRun.fromData(c, definition));
    run.#mapRuns = data.mapRuns;
    run.#advice = data.advice;
    return run;
  }

  public readonly status: ExecutionStatus;
  public readonly output?: JsonValue;
  public readonly error?: string;
  public readonly cause?: string;
  public readonly path: string[];
  public readonly executionArn: string;
  // Private fields stay out of equality checks and snapshots.
  readonly #result: ExecutionResult;
  readonly #calls: readonly TaskCall[];
  readonly #children: WorkflowRun[];
  readonly #definition?: StateMachineDefinition;
  #redeliveries: readonly Redelivery[] = [];
  #s3: ObjectStore | undefined;
  #restarts: readonly WorkflowRun[] = [];
  #mapRuns: readonly MapRunItemCounts[] = [];
  #advice: readonly RunAdvice[] = [];

  /** @internal */
  constructor(result: ExecutionResult, calls: readonly TaskCall[], children: WorkflowRun[], definition?: StateMachineDefinition) {
    this.status = result.status;
    if (result.output !== undefined) this.output = result.output;
    if (result.error !== undefined) this.error = result.error;
    if (result.cause !== undefined) this.cause = result.cause;
    this.path = result.path;
    this.executionArn = result.executionArn;
    this.#result = result;
    this.#calls = calls;
    this.#children = children;
    this.#definition = definition;
  }

  /**
   * The local S3 the run used (RunSettings.s3): read what its Tasks and ResultWriters wrote.
   * @default - undefined when the run had no local S3
   */
  get s3(): ObjectStore | undefined {
    return this.#s3;
  }

  /**
   * The execution's Map Runs (its DISTRIBUTED Map states' runs, those of its inline Maps' too),
   * each with its item counts in DescribeMapRun's fields; `stepwright render` draws them on
   * their Map state.
   */
  get mapRuns(): readonly MapRunItemCounts[] {
    return this.#mapRuns;
  }

  /** @internal */
  keepMapRuns(runs: ReadonlyMap<string, Readonly<MapRunCounts>>, definition: StateMachineDefinition): void {
    this.#mapRuns = [...runs].map(([mapRunArn, c]) => {
      const def = mapStateOf(definition, c.stateName);
      // With an ItemBatcher, the items of the children's batches, as DescribeMapRun's itemCounts count them.
      const i = c.items ?? c;
      return {
        mapRunArn,
        itemCounts: {
          pending: Math.max(i.total - i.running - i.succeeded - i.failed - i.timedOut - i.aborted, 0),
          running: i.running,
          succeeded: i.succeeded,
          failed: i.failed,
          timedOut: i.timedOut,
          aborted: i.aborted,
          total: i.total,
          resultsWritten: i.resultsWritten,
        },
        // As the Map ran them (a path's value too), when it sets them.
        ...(setsEither(def?.ToleratedFailureCount, def?.ToleratedFailureCountPath) ? { toleratedFailureCount: c.toleratedFailureCount } : {}),
        ...(setsEither(def?.ToleratedFailurePercentage, def?.ToleratedFailurePercentagePath)
          ? { toleratedFailurePercentage: c.toleratedFailurePercentage } : {}),
      };
    });
  }

  /** @internal */
  keepS3(store: ObjectStore | undefined): void {
    this.#s3 = store;
  }

  /**
   * The result files a Distributed Map's ResultWriter wrote to the local S3: its manifest.json
   * and the entries of its SUCCEEDED, FAILED and PENDING files.
   * @param details the `ResultWriterDetails` the Map returned
   * @default details - `output.ResultWriterDetails` of the run
   * @throws MapResultsError when the run had no local S3, or `details` is no `{ Bucket, Key }`
   * @example
   * const { succeeded } = run.mapResults();
   * expect(succeeded.map((e) => JSON.parse(e.Output))).toEqual([...]);
   */
  mapResults(details?: JsonValue): MapRunResults {
    if (!this.#s3) throw new MapResultsError('mapResults reads the local S3, and this run had none: run with s3: { dir } or s3: { bucket: { key: content } }');
    const given = details ?? (this.output !== null && typeof this.output === 'object' && !Array.isArray(this.output) ? this.output.ResultWriterDetails : undefined);
    return readMapRunResults(this.#s3, given);
  }

  /**
   * The run drawn as a Mermaid flowchart: its state machine with the states
   * entered and transitions taken highlighted, the failed state red with its
   * error, and retries and Map items noted.
   * @example console.log(run.toMermaid());   // paste into Markdown or mermaid.live
   */
  toMermaid(options: Omit<RenderOptions, 'run'> = {}): string {
    if (!this.#definition) throw new Error('this run has no definition to draw; runs from Workflow.run and Workflow.start have one');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
    const { renderMermaid } = require('../../render/mermaid') as typeof import('../../render/mermaid');
    return renderMermaid(this.#definition, { ...options, run: this });
  }

  /**
   * The execution history, shaped as GetExecutionHistory returns it and typed
   * as the AWS SDK's `HistoryEvent`. {@link WorkflowRun.eventsOf} and
   * {@link WorkflowRun.attempts} read the usual questions out of it.
   */
  get history(): RunHistoryEvent[] { return this.#result.history; }
  get startDate(): Date { return this.#result.startDate; }
  get stopDate(): Date { return this.#result.stopDate; }
  /** The child executions DISTRIBUTED Map states started, added up per Map state (absent when none). */
  get childExecutions(): readonly ChildExecutionUsage[] | undefined { return this.#result.childExecutions; }
  /** Runs of child workflows started by `states:startExecution` Tasks, in start order. */
  get children(): readonly WorkflowRun[] { return this.#children; }
  /**
   * The child executions of DISTRIBUTED Maps that failed, each with its own error and cause and
   * its input (the first 25 of each Map state), in the order they ended. A Map that tolerates
   * failures fails with `States.ExceedToleratedFailureThreshold`, and the parent's history, as
   * AWS's, holds no child's error: here it is, as `FAILED_n.json` and DescribeExecution on the
   * child give it on AWS. The matchers' failure messages name the first ones. Empty when none failed.
   * @example expect(run.childFailures[0]).toMatchObject({ mapState: 'Process', error: 'Item.Invalid' });
   */
  get childFailures(): readonly ChildExecutionFailure[] {
    return (this.#result.childExecutions ?? []).flatMap((usage) => usage.failures ?? []);
  }
  /** The Task invocations delivered more than once (`delivery: { atLeastOnce }`), in call order. */
  get redeliveries(): readonly Redelivery[] { return this.#redeliveries; }
  /** The earlier runs of this EXPRESS execution, started over by at-least-once delivery, in order. */
  get restarts(): readonly WorkflowRun[] { return this.#restarts; }

  /**
   * What the run's checks noticed and let through, as AWS would: a mock answering a field
   * the service's model does not define (a misspelt `Itme`), an error the integration never
   * raises, a request the service may refuse where what AWS does is not known. Each names
   * the state, the model version it was judged by and how to fix it. The matchers add it to
   * their messages and the jest reporter prints it; `mockAdvice: 'fail'` fails the run on
   * it instead. Empty when nothing was noticed.
   */
  get advice(): readonly RunAdvice[] { return this.#advice; }

  /** @internal */
  keepAdvice(advice: readonly RunAdvice[]): void {
    this.#advice = advice;
  }

  /** @internal */
  keepDeliveries(redeliveries: readonly Redelivery[], restarts: readonly WorkflowRun[]): void {
    this.#redeliveries = redeliveries;
    this.#restarts = restarts;
  }

  /**
   * What this run would cost on AWS: its state transitions as a Standard workflow (retries and
   * DISTRIBUTED Map children included), and its request, billed duration and memory as an
   * Express one, at the region's prices.
   * @example
   * const { standard, express } = run.cost();
   * console.log(standard.stateTransitions, express?.billedDurationMs);
   */
  cost(options: CostOptions = {}): RunCost {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
    const { runCost } = require('../../cost') as typeof import('../../cost');
    return runCost(this, { ...options, ...(this.#definition ? { definition: this.#definition } : {}) });
  }

  /**
   * The run as plain data a worker thread receives (structured-cloned), for
   * {@link WorkflowRun.fromData} to rebuild there: all but its local S3 and definition.
   * @internal
   */
  toData(): WorkflowRunData {
    const r = this.#result;
    return {
      result: {
        status: r.status,
        history: r.history,
        path: r.path,
        executionArn: r.executionArn,
        startDate: r.startDate,
        stopDate: r.stopDate,
        ...(r.output !== undefined ? { output: r.output } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
        ...(r.cause !== undefined ? { cause: r.cause } : {}),
        ...(r.completedChildren !== undefined ? { completedChildren: r.completedChildren } : {}),
        ...(r.childExecutions !== undefined ? { childExecutions: r.childExecutions } : {}),
      },
      calls: this.#calls.map((c) => ({ ...c })),
      children: this.#children.map((c) => c.toData()),
      redeliveries: this.#redeliveries,
      restarts: this.#restarts.map((c) => c.toData()),
      mapRuns: this.#mapRuns,
      advice: this.#advice,
    };
  }

  /**
   * The workflow variables of the run's top level as it ended: each variable a top-level state's
   * `Assign` set (a Catch's included), with the last value it was given, read from the
   * `assignedVariables` of the history's `…StateExited` events as AWS writes them. What a Map
   * iteration or a Parallel branch assigns stays in its own scope and ends with it, as in Step
   * Functions ([variable scope](https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html#variable-scope)),
   * so it is not among them; a variable the run was started with and no state assigned is not
   * either. A function of the run that `verify` checks reads them here.
   * @example expect(run.variables.score).toBe(720);
   */
  get variables(): Record<string, JsonValue> {
    const variables: Record<string, JsonValue> = {};
    const states = this.#definition?.States;
    for (const event of this.history) {
      if (!event.type.endsWith('StateExited')) continue;
      const details = detailsOf(event);
      const assigned = details?.assignedVariables;
      if (assigned === null || typeof assigned !== 'object') continue;
      const state = details?.name;
      if (states !== undefined && (typeof state !== 'string' || !Object.hasOwn(states, state))) continue;
      for (const [name, value] of Object.entries(assigned)) setField(variables, name, assignedValue(value));
    }
    return variables;
  }

  /** True when the run entered the state. */
  visited(state: string): boolean {
    return this.path.includes(state);
  }

  /**
   * The input of the state when entered, from the history.
   * @param occurrence - which entry, 0-based; negative counts from the end
   * @default occurrence -1 (the last)
   * @throws Error when the state was never entered
   */
  inputOf(state: string, occurrence = -1): JsonValue {
    return this.detail(state, occurrence, 'stateEnteredEventDetails', 'input');
  }

  /**
   * The output of the state when it exited, from the history.
   * @default occurrence -1 (the last)
   * @throws Error when the state never exited (it failed, or was never entered)
   */
  outputOf(state: string, occurrence = -1): JsonValue {
    return this.detail(state, occurrence, 'stateExitedEventDetails', 'output');
  }

  /**
   * How many times the state was retried in this run (all its visits together):
   * a Task called again by its Retry, or a Parallel or Map run again by its own
   * Retry. Counted from the history, as `toHaveRetried` counts; a Task retried
   * inside a branch counts for the Task, not for the Parallel or Map around it,
   * in a DISTRIBUTED Map's child executions too.
   * @example expect(run.retries('ChargeCard')).toBe(2);
   */
  retries(state: string): number {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
    const { retriesOfState } = require('../../explore/trace') as typeof import('../../explore/trace');
    return retriesOfState(this, state);
  }

  /**
   * The history events of every visit of a state, in order: from its
   * `…StateEntered` to its `…StateExited`, with the Task, retry, Map and
   * Parallel events in between (followed along `previousEventId`, so other
   * branches running at the same time do not mix in).
   * @example expect(run.eventsOf('ChargeCard').map((e) => e.type)).toContain('TaskTimedOut');
   */
  eventsOf(state: string): RunHistoryEvent[] {
    return visitsOf(this.history, state).flat();
  }

  /**
   * Each attempt at a Task (or Map or Parallel) state: the first try of every
   * visit and each retry, with its virtual start time, the back-off before it
   * (`waitedSeconds`), how it ended, and its error or output.
   * @example expect(run.attempts('ChargeCard').map((a) => a.waitedSeconds)).toEqual([0, 2, 4]);
   */
  attempts(state: string): StateAttempt[] {
    return attemptsOf(this.history, state);
  }

  /** What the mocks of a Task received, one entry per call (for `lambda:invoke`, the Payload). */
  taskCalls(state: string): JsonValue[] {
    return this.#calls.filter((c) => c.stateName === state).map((c) => c.input);
  }

  private detail(state: string, occurrence: number, key: 'stateEnteredEventDetails' | 'stateExitedEventDetails', field: 'input' | 'output'): JsonValue {
    const found = this.history.filter((e) => e[key]?.name === state);
    const event = found[occurrence < 0 ? found.length + occurrence : occurrence];
    if (!event) {
      const what = key === 'stateEnteredEventDetails' ? 'entered' : 'exited';
      throw new Error(`state '${state}' was ${what} ${found.length} time(s), so occurrence ${occurrence} does not exist; path: ${this.path.join(' → ') || '(empty)'}`);
    }
    const text = field === 'input' ? event.stateEnteredEventDetails?.input : event.stateExitedEventDetails?.output;
    return JSON.parse(text ?? 'null') as JsonValue;
  }
}

/** A {@link WorkflowRun} as plain data, what crosses to a worker thread. @internal */
export interface WorkflowRunData {
  readonly result: ExecutionResult;
  readonly calls: readonly TaskCall[];
  readonly children: readonly WorkflowRunData[];
  readonly redeliveries: readonly Redelivery[];
  readonly restarts: readonly WorkflowRunData[];
  readonly mapRuns: readonly MapRunItemCounts[];
  readonly advice: readonly RunAdvice[];
}

/** A Map Run and its item counts, in DescribeMapRun's fields. */
export interface MapRunItemCounts {
  readonly mapRunArn: string;
  readonly itemCounts: {
    readonly pending: number;
    readonly running: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly timedOut: number;
    readonly aborted: number;
    readonly total: number;
    readonly resultsWritten: number;
  };
  /** The Map's ToleratedFailureCount as it ran, when it sets one (or its path). @default - none */
  readonly toleratedFailureCount?: number;
  /** The Map's ToleratedFailurePercentage as it ran, when it sets one (or its path). @default - none */
  readonly toleratedFailurePercentage?: number;
}

const setsEither = (value: unknown, path: unknown): boolean => value !== undefined || path !== undefined;

/** The Map state of this name, anywhere in the definition. */
function mapStateOf(definition: StateMachineDefinition, stateName: string): ToleratedFields | undefined {
  let found: ToleratedFields | undefined;
  forEachState(definition, (name, state) => {
    if (found === undefined && name === stateName && (state as { Type?: string }).Type === 'Map') found = state as ToleratedFields;
  });
  return found;
}

type ToleratedFields = {
  readonly ToleratedFailureCount?: unknown;
  readonly ToleratedFailureCountPath?: unknown;
  readonly ToleratedFailurePercentage?: unknown;
  readonly ToleratedFailurePercentagePath?: unknown;
};

/** A value of `assignedVariables`: JSON text as AWS writes it, or a JSON value a recorder kept. */
function assignedValue(value: unknown): JsonValue {
  if (typeof value !== 'string') return value as JsonValue;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}
