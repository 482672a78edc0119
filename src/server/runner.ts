/*
 * Runs the served executions on the interpreter: compiles each revision once,
 * starts an execution or its redrive, bounds the history it may hold, starts an
 * asynchronous EXPRESS execution over as at-least-once delivery says, and puts
 * how each run ended on its record.
 */
import type { ArnScope } from './arns';
import { costLine } from './cost-log';
import { ServerDelivery } from './delivery';
import { defaultHistoryBudget, HistoryMeasure, overBudgetCause } from './history-budget';
import { interpreter } from './lazy';
import type { ExecutionRecord } from './model';
import type { TaskRouter } from './tasks';
import type { JsonValue } from '../asl/definition-types';
import { seededRandom } from '../asl/random';
import type { ChildExecutionInfo, DeferringTaskHandler, ExecutionResult, TaskHandler } from '../interpreter/execution-types';
import type { ObjectStore } from '../interpreter/object-store';
import type { Execution, StateMachine } from '../interpreter/state-machine';
import type { DeliveryPlan } from '../workbench/delivery';

/** Where a redrive starts: the state, and the variables as they were when it was entered. @internal */
export interface RedriveStart {
  readonly state: string;
  readonly variables: Record<string, JsonValue>;
}

/** What the runner is built from. @internal */
export interface RunnerOptions extends ArnScope {
  readonly router: TaskRouter;
  /** Deliver Task invocations at least once, and start asynchronous EXPRESS executions over (see ServerDelivery). */
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
}

/** Runs the served executions; one per server. @internal */
export class ExecutionRunner {
  /** The execution record behind each interpreter execution (each run, and each lost run). */
  private readonly records = new WeakMap<Execution, ExecutionRecord>();
  /** What re-delivers Task invocations and starts executions over (with RunnerOptions.delivery). */
  private readonly delivery: ServerDelivery;

  constructor(private readonly options: RunnerOptions) {
    this.delivery = new ServerDelivery(options.delivery, options.router);
  }

  /** The execution record behind an interpreter execution. */
  recordOf(execution: Execution): ExecutionRecord | undefined {
    return this.records.get(execution);
  }

  /**
   * Runs an execution on the interpreter, or runs it again from its redrive
   * point: a Map or Parallel there reruns only the iterations or branches that
   * did not succeed in the run before. With at-least-once delivery, an
   * asynchronous EXPRESS execution is started over first (see {@link startOver}).
   */
  run(record: ExecutionRecord, input: JsonValue, redrive?: RedriveStart): void {
    const restarts = this.delivery.restartsOf(record, redrive !== undefined);
    if (restarts === 0) {
      this.runOnce(record, input, redrive);
      return;
    }
    // Started here, so that an execution that cannot start is refused as StartExecution's answer.
    const first = this.startLost(record, input, 0);
    record.status = 'RUNNING';
    record.done = this.startOver(record, input, restarts, first);
  }

  /** The compiled revision the execution runs, compiled on first use. */
  private compiled(record: ExecutionRecord): StateMachine {
    const revision = record.revision;
    revision.compiled ??= interpreter().compileStateMachine(revision.parsed, {
      type: record.machine.type,
      stateMachineName: record.machine.name,
      region: this.options.region,
      accountId: this.options.account,
      roleArn: revision.roleArn,
      // The public TaskHandler asks for an answer; the interpreter reads every handler's as a TaskAnswer.
      defaultTaskHandler: this.handleTask as TaskHandler,
      validate: false,
    });
    return revision.compiled;
  }

  /** The local S3 of an execution's start options, when the server has one. */
  private localS3(record: ExecutionRecord): { localS3?: { store: ObjectStore; handled: (state: string, resource: string) => boolean } } {
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
    const execution = this.compiled(record).start(input, {
      name: record.name,
      executionArn: record.arn,
      clock: record.clock,
      random: seededRandom(record.seed + runIndex * 7919),
      ...(redrive !== undefined ? { startAt: redrive.state, variables: redrive.variables, redriveCount: record.redriveCount } : {}),
      ...(redrive !== undefined && record.completedChildren?.state === redrive.state ? { resume: record.completedChildren } : {}),
      ...this.localS3(record),
      ...this.children(record),
      requestCheck: this.options.router.requestCheck(record),
    });
    this.records.set(execution, record);
    this.delivery.watch(execution, runIndex, record);
    const measure = new HistoryMeasure();
    const budget = this.options.historyBudget ?? defaultHistoryBudget();
    record.clock.onPause = () => {
      const bytes = measure.measure(execution.historyRecorder);
      if (bytes > budget) execution.failAtNextState('States.Runtime', overBudgetCause(bytes, measure.measured, budget));
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
   * ARN, name and input) from its start, cut after a Task invocation the delivery seed chooses.
   * It is none of the execution's segments, never journaled (no EXPRESS execution is) and never
   * closes the execution: only its Task calls, and their side effects, remain.
   */
  private startLost(record: ExecutionRecord, input: JsonValue, restart: number): Execution {
    // Each run starts over: a MockConfigFile sequence answers it from its first response again.
    record.invocations.clear();
    const execution = this.compiled(record).start(input, {
      name: record.name,
      executionArn: record.arn,
      clock: record.clock,
      random: seededRandom(record.seed + (restart + 1) * 104729),
      ...this.localS3(record),
      requestCheck: this.options.router.requestCheck(record),
    });
    this.records.set(execution, record);
    this.delivery.watchLost(execution, restart);
    return execution;
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
        const after = this.delivery.lostAfter(lost);
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

  /** The interpreter's defaultTaskHandler: the router, each invocation delivered again as `delivery` says. */
  private readonly handleTask: DeferringTaskHandler = (input, request) => {
    const record = this.records.get(request.execution as Execution);
    if (!record) return this.options.router.handle(input, request);
    return this.delivery.handle(input, request, record);
  };

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
    this.options.closed(record);
  }
}

/** How an execution ends when running it threw (only a bug does): FAILED, rather than running for ever. */
function crashed(record: ExecutionRecord, e: unknown): ExecutionResult {
  return { status: 'FAILED', error: 'States.Runtime', cause: String(e), history: [], path: [], executionArn: record.arn, startDate: new Date(), stopDate: new Date() };
}
