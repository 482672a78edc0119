/*
 * Runs the served executions through the workbench's engine, as every door runs its runs: each
 * revision is an engine, compiled once, and each run of an execution a session of it, whose Tasks
 * the workbench answers with what serve adds (tasks.ts). What is serve's own stays here: the
 * execution's ARN, clock and seed, its redrive, the bound on the history it may hold, starting an
 * asynchronous EXPRESS execution over as at-least-once delivery says, and how each run ended on
 * its record.
 */
import type { ArnScope } from './arns';
import { costLine } from './cost-log';
import { defaultHistoryBudget, HistoryMeasure, overBudgetCause } from './history-budget';
import { delivery as deliveries, workflows } from './lazy';
import type { ExecutionRecord } from './model';
import type { TaskRouter } from './tasks';
import type { JsonValue } from '../asl';
import { seededRandom } from '../asl/random';
import { StatesErrors } from '../asl/states-errors';
import type { ResourceRef } from '../cfn';
import type { LocalS3, ObjectStore, Execution } from '../interpreter';
import type { ChildExecutionInfo, ExecutionResult, TaskRequest } from '../interpreter/execution-types';
import type { EndpointForwarder, NestedStarter, RunChecks, SendTaskCall } from '../workbench/mocks';
import type { DeliveryPlan, DoorDispatcher, RestartCut, SessionParts, WorkflowEngine, Launched } from '../workbench/workflow';

/** Where a redrive starts: the state, and the variables as they were when it was entered. @internal */
export interface RedriveStart {
  readonly state: string;
  readonly variables: Record<string, JsonValue>;
}

/** What the runner is built from. @internal */
export interface RunnerOptions extends ArnScope {
  readonly router: TaskRouter;
  /** How the MockConfigFile's answers and the Tasks' requests are checked against the service models (named as serve's flags). */
  readonly checks: RunChecks;
  /** Sends the Tasks of services given an endpoint (`--endpoint lambda=<url>`) there. */
  readonly forwarder?: EndpointForwarder;
  /** The resources of the loaded templates, by placeholder ARN: Lambda functions (and their versions and aliases) with inline code run it. */
  readonly functions?: ReadonlyMap<string, ResourceRef>;
  /**
   * Deliver Task invocations at least once, and start asynchronous EXPRESS executions over, as
   * the harness's `delivery` does: in an asynchronous EXPRESS execution, each Task invocation the
   * seed chooses is delivered again, and the execution is started over before the run that
   * counts. STANDARD executions and StartSyncExecution's run each Task once.
   */
  readonly delivery?: DeliveryPlan;
  /** The bytes one running execution's history may hold (see history-budget.ts). @default - an eighth of the heap */
  readonly historyBudget?: number;
  /** Log what each execution would cost on AWS when it ends. */
  readonly cost?: boolean;
  /** The local S3 that Map ItemReaders and ResultWriters no handler answers read and write. */
  readonly s3?: ObjectStore;
  readonly log: (line: string) => void;
  /** True once the server stops accepting work: an execution being started over stops there. */
  readonly closing: () => boolean;
  /** Called when an execution has ended, its record saying how: to forget or journal it. */
  readonly closed: (record: ExecutionRecord) => void;
  /** Called when a Map Run of an execution (`record`: the execution's, whichever child's Map Run it is) starts a child execution. */
  readonly childStarted?: (record: ExecutionRecord, child: ChildExecutionInfo) => void;
  /**
   * Starts the nested execution a `states:startExecution` Task of execution `parent` asks for, on
   * a state machine the server holds (see nested-executions.ts); undefined when it holds none.
   */
  readonly startChild?: (parent: ExecutionRecord, payload: JsonValue, request: TaskRequest) => JsonValue | Promise<JsonValue> | undefined;
  /** Sends what an `aws-sdk:sfn:sendTask*` Task sends through the server's own SendTask* operations (operations/tasks.ts). */
  readonly sendTask?: (call: SendTaskCall) => Promise<void>;
  /** Whether an activity a Task reaches exists (CompileOptions.activityExists). */
  readonly activityExists?: (activityArn: string) => boolean;
}

/** Runs the served executions; one per server. @internal */
export class ExecutionRunner {
  /** The execution record behind each interpreter execution (each run, and each lost run). */
  private readonly records = new WeakMap<Execution, ExecutionRecord>();
  /** The lost runs of executions started over (at-least-once delivery), with where each was cut. */
  private readonly lost = new WeakMap<Execution, Launched>();

  constructor(private readonly options: RunnerOptions) {}

  /** The execution record behind an interpreter execution. */
  recordOf(execution: Execution): ExecutionRecord | undefined {
    return this.records.get(execution);
  }

  /**
   * Runs an execution, or runs it again from its redrive point: a Map or
   * Parallel there reruns only the iterations or branches that did not succeed
   * in the run before. With at-least-once delivery, an asynchronous EXPRESS
   * execution is started over first (see {@link startOver}).
   */
  run(record: ExecutionRecord, input: JsonValue, redrive?: RedriveStart): void {
    const restarts = this.atLeastOnce(record) && redrive === undefined ? this.options.delivery!.restarts : 0;
    if (restarts === 0) {
      this.runOnce(record, input, redrive);
      return;
    }
    // Started here, so that an execution that cannot start is refused as StartExecution's answer.
    const first = this.startLost(record, input, 0);
    record.status = 'RUNNING';
    record.done = this.startOver(record, input, restarts, first);
  }

  /**
   * Whether AWS may deliver this execution's Task invocations more than once: only an
   * asynchronous EXPRESS execution's ("Execution guarantees" in the Developer Guide). A STANDARD
   * execution runs exactly once, and its Tasks once each (Retry aside); a synchronous EXPRESS one
   * (StartSyncExecution) at most once.
   */
  private atLeastOnce(record: ExecutionRecord): boolean {
    return this.options.delivery !== undefined && record.express && record.sync !== true;
  }

  /** The engine of the revision the execution runs, compiled on first use and shared by its executions. */
  private engine(record: ExecutionRecord): WorkflowEngine {
    return this.prepare(record.machine, record.revision);
  }

  /**
   * Compiles the engine of a machine's revision (loading the engine's modules the first time), if
   * not done yet: called before an execution takes its startDate, so that the execution's time,
   * and an EXPRESS execution's billed duration, count none of this work (AWS bills the run, and
   * how long the compile takes depends on how busy the machine is).
   */
  prepare(machine: ExecutionRecord['machine'], revision: ExecutionRecord['revision']): WorkflowEngine {
    const { region, account, functions } = this.options;
    revision.engine ??= new (workflows().WorkflowEngine)({
      definition: revision.parsed,
      checked: true,
      resources: functions ?? new Map(),
      where: { region, account, name: machine.name },
      type: machine.type,
      compiling: { roleArn: revision.roleArn, activityExists: this.options.activityExists },
    });
    return revision.engine;
  }

  /**
   * Starts one run of the execution in a session of the revision's engine: the run that counts
   * (`cut` undefined), or a lost one of an execution started over. Its random source comes from
   * the execution's seed and which run it is, and its deliveries from the delivery seed and
   * `deliveryRun` (as the harness draws them for its run of that index), never from the
   * execution's own seed: every execution of a machine, its run again after a restart of the
   * server, and the harness's run with the same seed re-deliver the same invocations.
   */
  private launch(record: ExecutionRecord, input: JsonValue, seed: number, deliveryRun: number, extra: {
    readonly cut?: RestartCut;
    readonly redrive?: RedriveStart;
  } = {}): Launched {
    const { checks } = this.options;
    const redrive = extra.redrive;
    return this.engine(record).launch(input, {
      name: record.name,
      clock: record.clock,
      random: seededRandom(seed),
      ...(redrive !== undefined ? { variables: redrive.variables } : {}),
    }, {
      interactive: true,
      deliveryRun,
      ...(extra.cut ? { cut: extra.cut } : {}),
      checks,
      hosted: {
        start: {
          executionArn: record.arn,
          ...(redrive !== undefined ? { startAt: redrive.state, redriveCount: record.redriveCount } : {}),
          ...(redrive !== undefined && record.completedChildren?.state === redrive.state ? { resume: record.completedChildren } : {}),
          // Only the run that counts has children of its own: a lost run's are gone with it.
          ...(extra.cut ? {} : this.children(record)),
        },
        dispatcher: (parts) => this.dispatcher(record, parts),
        ...(this.atLeastOnce(record) ? { delivery: this.options.delivery } : {}),
      },
    });
  }

  /**
   * The dispatcher of a run of `record`, as serve answers Tasks: the execution's MockConfigFile
   * test case, the server's handlers (the router's hooks), endpoints, local S3 and loaded
   * resources, the execution's count of calls, and its advice told to the log as it comes. A
   * Task no one answers fails (serve has no unmocked policy), and a callback Task waits for its
   * token, as on AWS.
   */
  private dispatcher(record: ExecutionRecord, parts: SessionParts): DoorDispatcher {
    const { router, forwarder, functions } = this.options;
    const localS3 = this.localS3(record).localS3;
    return {
      ...(localS3 ? { localS3 } : {}),
      props: {
        mocks: { byState: new Map(), byArn: [] },
        config: record.mocks,
        configLabel: `--mock-config test case '${record.testCase}'`,
        unmocked: 'error',
        checks: parts.checks,
        advice: { add: (advice) => router.advise(record, advice) },
        inlineCode: true,
        ...(forwarder ? { forwarder } : {}),
        ...(localS3 ? { s3: localS3.store } : {}),
        clock: parts.clock,
        requestId: (request, invocation) => router.requestId(record, request, invocation),
        refusalRequestId: (state, payload) => router.refusalRequestId(record, state, payload),
        resources: functions ?? new Map(),
        interactive: true,
        nested: this.options.startChild ? this.nestedOf(record, this.options.startChild) : () => undefined,
        invocations: record.invocations,
        inlineModules: router.inlineModules,
        recordCalls: false,
        door: router.door(record),
        ...(this.options.sendTask ? { taskTokens: { send: this.options.sendTask } } : {}),
      },
    };
  }

  /** What starts the nested executions of `record`'s Tasks. */
  private nestedOf(record: ExecutionRecord, start: NonNullable<RunnerOptions['startChild']>): NestedStarter {
    return (payload, request) => start(record, payload, request);
  }

  /** The local S3 of an execution's runs, when the server has one. */
  private localS3(record: ExecutionRecord): { localS3?: LocalS3 } {
    const store = this.options.s3;
    if (!store) return {};
    const router = this.options.router;
    return { localS3: { store, handled: (state, resource) => router.answersFirst(record, state, resource) } };
  }

  /** The start option that tells of each child execution a Map Run of the execution starts. */
  private children(record: ExecutionRecord): { onChildExecution?: (child: ChildExecutionInfo) => void } {
    const started = this.options.childStarted;
    return started ? { onChildExecution: (child) => started(record, child) } : {};
  }

  /** Runs the execution (or its redrive): the run whose end is the execution's. */
  private runOnce(record: ExecutionRecord, input: JsonValue, redrive?: RedriveStart): void {
    const runIndex = record.segments.length;
    const { execution } = this.launch(record, input, record.seed + runIndex * 7919, runIndex * 7919, redrive !== undefined ? { redrive } : {});
    this.records.set(execution, record);
    const measure = new HistoryMeasure();
    const budget = this.options.historyBudget ?? defaultHistoryBudget();
    record.clock.onPause = () => {
      const bytes = measure.measure(execution.historyRecorder);
      if (bytes > budget) execution.failAtNextState(StatesErrors.RUNTIME, overBudgetCause(bytes, measure.measured, budget));
    };
    record.segments.push(execution);
    record.status = 'RUNNING';
    record.done = execution.result.then((result) => this.closed(record, result), (e: unknown) => {
      this.options.log(`execution ${record.arn} crashed: ${(e as Error).stack ?? String(e)}`);
      this.closed(record, crashed(record, e));
    });
  }

  /**
   * Lost run `restart` (0-based) of an asynchronous EXPRESS execution: the same execution (its
   * ARN, name and input) from its start, cut after a Task invocation the delivery seed chooses,
   * as the harness cuts its restart of that index. It is none of the execution's segments, never
   * journaled (no EXPRESS execution is) and never closes the execution: only its Task calls, and
   * their side effects, remain.
   */
  private startLost(record: ExecutionRecord, input: JsonValue, restart: number): Execution {
    // Each run starts over: a MockConfigFile sequence answers it from its first response again.
    record.invocations.clear();
    const cut = new (deliveries().RestartCut)(this.options.delivery!.seed, restart);
    const launched = this.launch(record, input, record.seed + (restart + 1) * 104729, restart + 1, { cut });
    this.records.set(launched.execution, record);
    this.lost.set(launched.execution, launched);
    return launched.execution;
  }

  /**
   * Runs the lost runs of an asynchronous EXPRESS execution one after the other, then the run
   * that counts, as AWS starts over an Express execution that lost its state ("Execution
   * guarantees" in the Developer Guide). The client sees only the last run; the log says where
   * each lost run was cut.
   */
  private async startOver(record: ExecutionRecord, input: JsonValue, restarts: number, first: Execution): Promise<void> {
    const runs = restarts + 1;
    let lost = first;
    try {
      for (let k = 0; k < restarts; k++) {
        if (k > 0) lost = this.startLost(record, input, k);
        const result = await lost.result;
        const after = this.lost.get(lost)?.session.cutAfter;
        this.options.log(`execution ${record.arn}: at-least-once delivery lost run ${k + 1} of ${runs} `
          + `${after !== undefined ? `after Task '${after}'` : `when it ended ${result.status}`}; it starts over`);
        if (this.options.closing()) return;
      }
      record.invocations.clear();
      this.runOnce(record, input);
    } catch (e) {
      // Only a bug gets here: the execution ends FAILED rather than running for ever.
      this.options.log(`execution ${record.arn} crashed: ${(e as Error).stack ?? String(e)}`);
      this.closed(record, crashed(record, e));
      return;
    }
    await record.done;
    this.options.log(`execution ${record.arn}: at-least-once delivery ran it ${runs} times; the last run ended ${record.status}`);
  }

  private closed(record: ExecutionRecord, result: ExecutionResult): void {
    // Its measure holds what it measured; nothing pauses a closed run.
    record.clock.onPause = undefined;
    if (this.options.cost) this.options.log(costLine(record, result, this.options.region));
    record.status = result.status;
    record.stopDate = result.stopDate.getTime();
    record.output = result.output === undefined ? undefined : JSON.stringify(result.output);
    record.error = result.error;
    record.cause = result.cause;
    record.completedChildren = result.completedChildren;
    // The names of the run's Task calls in the journal count calls of this run only (a redrive's
    // are named by its own count): kept after it ends, they held an entry per call made.
    record.calls.clear();
    this.options.closed(record);
  }
}

/** How an execution ends when running it threw (only a bug does): FAILED, rather than running for ever. */
function crashed(record: ExecutionRecord, e: unknown): ExecutionResult {
  return { status: 'FAILED', error: StatesErrors.RUNTIME, cause: String(e), history: [], path: [], executionArn: record.arn, startDate: new Date(), stopDate: new Date() };
}
