import type { Clock } from './clock';
import type { HistoryEvent, HistoryRecorder } from './history-recorder';
import type { LocalS3 } from './object-store';
import type { JsonObject, JsonValue, RandomSource, StatesError } from '../asl';
import type { MachineType } from '../asl/aws-defaults';

/** How an execution ended. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** What a task handler is told about the call it answers. */
export interface TaskRequest {
  /** Name of the Task state (or `Map.ItemReader` / `Map.ResultWriter` of a Map state). */
  readonly stateName: string;
  /** The Task's `Resource` ARN as written. */
  readonly resource: string;
  /** The payload sent to the resource (after InputPath and Parameters, or Arguments). */
  readonly input: JsonValue;
  /** The task token, for `.waitForTaskToken` resources and activities. */
  readonly taskToken?: string;
  /** How many times this state has been retried before this call. */
  readonly retryCount: number;
  /**
   * The Task's `TimeoutSeconds` as this call evaluated it (`TimeoutSecondsPath`, a JSONata
   * expression): how long the call may take before the Task fails with `States.Timeout`, and
   * how long an answer of `States.Timeout` makes it take.
   * @default - none given: AWS's default of 99,999,999 seconds applies
   */
  readonly timeoutSeconds?: number;
  /**
   * The Task's `HeartbeatSeconds` as this call evaluated it (`HeartbeatSecondsPath`, a JSONata expression).
   * @default - none given
   */
  readonly heartbeatSeconds?: number;
  /** The Context Object of the state (`$$`). */
  readonly context: JsonValue;
  /** The execution the call belongs to: complete callbacks and send heartbeats through it. */
  readonly execution: ExecutionControl;
  /** Fires when the call is no longer wanted (timeout, a sibling branch failed, execution stopped). */
  readonly signal: AbortSignal;
  /**
   * Says what the service answered when it accepted the work of a `.sync` or `.waitForTaskToken`
   * task: the output of its TaskSubmitted event (StartExecution's `{ExecutionArn, StartDate}`,
   * SendMessage's `{MessageId, MD5OfMessageBody}`, ...), which no definition or input can tell.
   * Call it at most once, before the task's result. A callback task's handler may instead return
   * that answer. An answer AWS turns into the Task's failure (a `lambda:invoke.waitForTaskToken`
   * invoke with a `FunctionError`, an `ecs:runTask.sync` RunTask with `Failures`) throws that
   * failure: the call failed, and the Task with it, before any TaskSubmitted.
   * @default - a callback task: what its handler returned; `states:startExecution.sync`: the
   *   `ExecutionArn` and `StartDate` of the result (or of the failed execution its cause
   *   describes), which is what StartExecution answers; any other `.sync` integration: `{}`
   * @example
   * (input, request) => { request.recordSubmission({ JobId: 'j-1' }); return { JobId: 'j-1', Status: 'SUCCEEDED' }; }
   */
  recordSubmission(answer: JsonValue): void;
  /**
   * Names the worker that took an activity task, as GetActivityTask's `workerName` does: the
   * ActivityStarted event's `workerName`. Call it from the handler, before it returns.
   * @default - no name: ActivityStarted has no workerName, as when a worker gives none
   */
  recordWorkerName(name: string): void;
  /**
   * Says, after the call began, that the Task times out (`States.Timeout` or
   * `States.HeartbeatTimeout`): a callback's or an activity's answer given late, as a mock's
   * `delay(n, fail('States.Timeout'))`. AWS raises these errors from the Task's own clock, so the
   * Task fails with it when its `TimeoutSeconds` (for `States.HeartbeatTimeout`, its
   * `HeartbeatSeconds` since the last heartbeat) runs out, not at the moment this is said. No
   * effect once the task has ended.
   * @internal
   */
  reportTimedOut?(error: StatesError): void;
  /**
   * Says that an activity task waits for a worker yet to come (serve's GetActivityTask): its
   * ActivityStarted event is recorded when the worker takes the task, by calling the function
   * returned with the `workerName` it gave, not when the handler returns. AWS records
   * ActivityStarted with that worker's name (GetActivityTask: "This name is used when it is
   * logged in the execution history"). The task's HeartbeatSeconds runs from then: until a worker
   * takes it, only its TimeoutSeconds does. A call after the task is over does nothing.
   * @internal
   */
  awaitActivityWorker?(): (workerName: string | undefined) => void;
}

/**
 * Answers a Task: returns the result (or a promise of it), or throws. A thrown
 * error's `name` becomes the ASL error and its `message` the cause; throw a
 * `StatesError` to set both exactly.
 */
export type TaskHandler = (input: JsonValue, request: TaskRequest) => JsonValue | Promise<JsonValue>;

/**
 * No answer yet: the Task waits for its token (an activity's worker, SendTaskSuccess or
 * SendTaskFailure). It is `undefined`, which is also what a JavaScript handler that returns
 * nothing gives, so the interpreter tells it from an answer with a comparison it makes anyway.
 */
export type NoAnswerYet = undefined;

/** A Task handler's answer as the interpreter reads it: the task result, or {@link NoAnswerYet}. */
export type TaskAnswer = JsonValue | NoAnswerYet;

/**
 * A Task handler that may leave its answer to the Task's token. Every handler is read as one;
 * {@link TaskHandler}, the public type, asks for an answer.
 */
export type DeferringTaskHandler = (input: JsonValue, request: TaskRequest) => TaskAnswer | Promise<TaskAnswer>;

/**
 * Passes a {@link DeferringTaskHandler} where the public options take a {@link TaskHandler}.
 * The interpreter reads every handler as a deferring one, so only the type changes.
 * @internal
 */
export function asTaskHandler(handler: DeferringTaskHandler): TaskHandler {
  return handler as TaskHandler;
}

/** Ways to complete a pending callback task or send it a heartbeat. */
export interface ExecutionControl {
  /** Completes the `.waitForTaskToken` task or activity holding `taskToken`. */
  sendTaskSuccess(taskToken: string, output: JsonValue): void;
  /** Fails the task holding `taskToken`; `error` and `cause` are optional (null counts as absent), as in SendTaskFailure. */
  sendTaskFailure(taskToken: string, error?: string | null, cause?: string | null): void;
  /** Resets the HeartbeatSeconds timer of the task holding `taskToken`. */
  sendTaskHeartbeat(taskToken: string): void;
  /** Stops the execution with status ABORTED. */
  stop(error?: string, cause?: string): void;
}

/**
 * States an EXPRESS execution may enter when the caller sets no
 * limits.maxTransitions. An endless loop of Pass and Choice states never
 * advances the (virtual) clock, so AWS's 5-minute limit alone would never end
 * it; past this many states it ends TIMED_OUT, as on AWS. A million is far
 * more than AWS runs in 5 minutes, and still ends in seconds here.
 * @internal
 */
export const EXPRESS_MAX_TRANSITIONS = 1_000_000;

/**
 * Limits that guard an execution; AWS's own by default. Each is a positive
 * integer, or Infinity for no limit; anything else (NaN, 0, -1, 1.5, '10')
 * makes compileStateMachine throw InvalidOptionError naming the option.
 */
export interface ExecutionLimits {
  /**
   * Most history events a Standard execution may record, its closing event included: as on
   * AWS, when the limit is reached the ExecutionFailed is the last event allowed.
   * @default 25000
   */
  readonly maxHistoryEvents?: number;
  /**
   * Most states an execution may enter, a guard against endless loops in tests;
   * past it the execution fails with States.Runtime.
   * @default - 1,000,000 for an EXPRESS execution, which then ends TIMED_OUT
   *   (States.Timeout) as AWS ends it at 5 minutes; no cap besides
   *   maxHistoryEvents for a STANDARD one
   */
  readonly maxTransitions?: number;
  /**
   * Largest state input or output, in UTF-8 bytes.
   * @default 262144
   */
  readonly maxPayloadBytes?: number;
}

/** Options given once, when a definition is compiled. */
export interface CompileOptions {
  /**
   * Answers Task states (and Map ItemReader / ResultWriter calls). Keys are
   * state names or resource ARNs; a state name wins over a resource ARN.
   * @default {} - a Task with no handler fails with `States.Runtime`, naming the state
   */
  readonly taskHandlers?: Record<string, TaskHandler>;
  /** Answers any Task that has no entry in `taskHandlers`. */
  readonly defaultTaskHandler?: TaskHandler;
  /**
   * Says whether an activity exists when a Task reaches it. A Task on an activity that does
   * not exist (deleted since the state machine was created) fails with `States.Runtime`
   * ("The activity <arn> does not exist."), recording no Activity event, as on AWS.
   * @default - every activity exists
   * @example
   * const deleted = new Set(['arn:aws:states:us-east-1:123456789012:activity:old']);
   * compileStateMachine(definition, { activityExists: (arn) => !deleted.has(arn) });
   */
  readonly activityExists?: (activityArn: string) => boolean;
  /**
   * The source of time.
   * @default - a new VirtualClock per execution
   */
  readonly clock?: Clock;
  /**
   * The source of randomness for UUIDs, random numbers, retry jitter and task tokens.
   * @default - seededRandom(0) per execution, so runs repeat exactly
   */
  readonly random?: RandomSource;
  /** Limits; AWS's by default. */
  readonly limits?: ExecutionLimits;
  /**
   * The workflow type: EXPRESS machines may not use `.sync`, `.waitForTaskToken` or activities.
   * @default 'STANDARD'
   */
  readonly type?: MachineType;
  /** Name of the state machine in the Context Object and ARNs. @default 'StateMachine' */
  readonly stateMachineName?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'arn:aws:iam::<account>:role/StepFunctionsRole' */
  readonly roleArn?: string;
  /**
   * Record the execution history. Turning it off makes long runs cheaper; the
   * history-event limit is then counted but no events are kept.
   * @default true
   */
  readonly recordHistory?: boolean;
  /**
   * Check the definition with the static validator before compiling it, and
   * refuse it (`InvalidDefinitionError`) when the validator reports errors,
   * as AWS refuses to create such a state machine. Turn it off only for a
   * definition already validated, to save the check on a hot path: an invalid
   * definition then fails at compile time or while running (a transition to a
   * name that is no state fails the execution with `States.Runtime` when it gets there).
   * A definition given as JSON text is checked all the same: nothing else vouches for what it holds.
   * @default true
   */
  readonly validate?: boolean;
}

/** Options for one execution. */
export interface StartOptions {
  /** Execution name. @default - a UUID from the random source */
  readonly name?: string;
  /**
   * Variables visible before the first state: for single-state tests, and for a
   * redriven execution, the variables it had when it failed. They count towards
   * the 10 MiB AWS allows an execution's variables.
   * @default - none
   */
  readonly variables?: Record<string, JsonValue>;
  /**
   * The execution's ARN, when whoever starts it has named it already (a server answering
   * StartExecution or StartSyncExecution): it is `$$.Execution.Id`, as AWS gives the ARN it
   * returned. Must be an ARN ending in the execution's name (Standard) or in name and id (Express).
   * @default - `arn:aws:states:<region>:<account>:execution:<machine>:<name>`; for an EXPRESS
   *   execution `…:express:<machine>:<name>:<id>`, the id a UUID from the random source
   */
  readonly executionArn?: string;
  /** Per-execution override of the compile-time clock. */
  readonly clock?: Clock;
  /** Per-execution override of the compile-time random source. */
  readonly random?: RandomSource;
  /**
   * Start at this top-level state instead of `StartAt` (a redriven execution
   * resumes at the state that failed, with the input that state received).
   * @default - the definition's StartAt
   */
  readonly startAt?: string;
  /**
   * `$$.Execution.RedriveCount`: how many times the execution has been redriven; `null` leaves
   * it out of the Context Object, as for executions started before AWS launched redrive
   * (15 November 2023), which a replay of such a recording reproduces.
   * @default 0
   */
  readonly redriveCount?: number | null;
  /**
   * Reuse these outputs instead of running the iterations (Map) or branches
   * (Parallel) they belong to, the first time the `startAt` state runs: a
   * redriven execution takes them from the failed run's
   * `ExecutionResult.completedChildren`, so only the iterations or branches
   * that failed or were aborted run again. The state still assembles its result
   * array in index order, as if every one had run. Only the top level is
   * resumed: a Map or Parallel nested in a rerun iteration or branch runs whole.
   * @default - every iteration or branch runs
   * A STANDARD execution only: an EXPRESS one cannot be redriven.
   * @example
   * const failed = await machine.start(input).result;
   * // ...fix what failed; then, with the input the Map received (its MapStateEntered event):
   * const redriven = machine.start(mapInput, {
   *   startAt: failed.completedChildren!.state,
   *   resume: failed.completedChildren,
   * });
   */
  readonly resume?: CompletedChildren;
  /**
   * Record what the child executions of DISTRIBUTED Map states do in this
   * execution's history, between MapIterationStarted and MapIteration{Succeeded,
   * Failed,Aborted} events as an INLINE Map's iterations are, instead of in
   * histories of their own (which are not kept). Only the recording changes:
   * the limits (each child keeps its own event count), the path, the outputs
   * and the Task calls are the same. For explore, which reads from the history
   * what ran inside; the history is then not AWS's.
   * @default false
   * @internal
   */
  readonly inlineChildEvents?: boolean;
  /**
   * Keep the documents of the history's events: state inputs and outputs, Task parameters and
   * results, assigned variables. Off, the events are the same (types, ids, names, errors) with
   * none of those fields, and a long run keeps none of its payloads alive: for explore, which
   * reads from such a history where a run went, not with what.
   * @default true
   * @internal
   */
  readonly historyDocuments?: boolean;
  /**
   * Told the history of each child execution of a DISTRIBUTED Map when it ends (a history of
   * its own, as AWS keeps one per child, which is otherwise not recorded): for the coverage of
   * what ran inside. Its events are the child's only, numbered from 1; with `inlineChildEvents`
   * they are in the execution's history instead, and this is not called.
   * @default - child histories are not recorded
   * @internal
   */
  readonly childHistories?: (history: readonly HistoryEvent[]) => void;
  /**
   * A local S3 that Map ItemReaders read and ResultWriters write when no Task handler answers
   * them: items are parsed as AWS parses them (JSON, JSON Lines, CSV, manifests, listings) and
   * the result files AWS writes (manifest.json, SUCCEEDED_0.json, ...) are written to it.
   * @default - none: a handler answers ItemReader and ResultWriter calls
   */
  readonly localS3?: LocalS3;
  /**
   * Asked before each state the execution enters and at every step of its JSONata
   * evaluations, for a caller with a deadline of its own (explore's budget). When it throws,
   * the execution ends at once: no Catch or Retry sees the error, and `result` rejects with
   * what it threw. Without it, nothing is asked and JSONata runs without the hook.
   * @default - never asked
   */
  readonly interrupt?: () => void;
  /**
   * The Context Object every state sees as `$$` (and `$states.context`), in place of the one the
   * execution would make: TestState's `context`, the Context Object of the visit being tested.
   * @default - the execution's own
   * @internal
   */
  readonly contextObject?: JsonObject;
  /**
   * Asked with the request of each Task that builds one (Parameters or Arguments), as it is
   * sent (its paths and expressions evaluated), before the Task is scheduled. A StatesError it
   * throws fails the state as Step Functions fails a request it refuses before calling a
   * service (with `inState`: no Task event); one it returns is the service's refusal, which
   * fails the Task once scheduled (TaskFailed) without calling the handler. The harness checks
   * requests against the service models here.
   * @default - requests are sent as they are
   */
  readonly requestCheck?: RequestCheck;
  /**
   * Told of each child execution a DISTRIBUTED Map starts, as it starts: its own ARN, name, input
   * and history (AWS keeps one per child: `ListExecutions --map-run-arn` lists them), and, once
   * it has ended, how. Each child then records its history, from its ExecutionStarted to how it
   * ended; without this option a child's events are counted towards its limits, not recorded.
   * Ignored with inlineChildEvents.
   * @default - none: no child's history is recorded
   * @internal
   */
  readonly onChildExecution?: (child: ChildExecutionInfo) => void;
}

/**
 * A child execution of a Map Run, as StartOptions.onChildExecution tells of it. Its fields that
 * say how it ended are set when it ends, before the `onEnd` listeners are called.
 * @internal
 */
export interface ChildExecutionInfo {
  /** `arn:aws:states:<region>:<account>:execution:<machine>/<label>:<name>`. */
  readonly executionArn: string;
  readonly name: string;
  /** `arn:aws:states:<region>:<account>:stateMachine:<machine>/<label>`. */
  readonly stateMachineArn: string;
  readonly mapRunArn: string;
  /** Its input: the item, after ItemSelector and ItemBatcher. */
  readonly input: JsonValue;
  readonly startDate: Date;
  readonly status: ExecutionStatus;
  readonly stopDate: Date | undefined;
  readonly output: JsonValue | undefined;
  readonly error: string | undefined;
  readonly cause: string | undefined;
  /** Its history, growing while it runs. */
  readonly historyRecorder: HistoryRecorder;
  /** Calls `listener` once the child has ended (at once when it has). */
  onEnd(listener: () => void): void;
  /**
   * Stops this child only, as StopExecution on a child execution does on AWS: it ends ABORTED
   * (its history closing with ExecutionAborted, with `error` and `cause` when given), its Map Run
   * counts it as aborted, and the Map goes on with the other children. Does nothing once the
   * child has ended.
   */
  stop(error?: string, cause?: string): void;
}

/** See StartOptions.requestCheck. */
export type RequestCheck = (stateName: string, resource: string, payload: JsonValue, field: 'Parameters' | 'Arguments') => StatesError | undefined;

/**
 * The items a Map Run's child executions process, where an ItemBatcher gives each child a batch
 * of them: DescribeMapRun's `itemCounts` ("items processed in child workflow executions").
 */
export interface MapRunItemTally {
  /** Items the Map Run read (after MaxItems), or 0 until it has read them. */
  total: number;
  running: number;
  succeeded: number;
  failed: number;
  /**
   * Children that timed out (an EXPRESS child past 5 minutes): DescribeMapRun counts them apart from
   * the failed ones ("have timed out", MapRunExecutionCounts), and the tolerated failure threshold
   * counts both ("fails or times out").
   */
  timedOut: number;
  aborted: number;
  resultsWritten: number;
}

/**
 * The child executions of one Map Run (a DISTRIBUTED Map state's run), counted as they end:
 * what DescribeMapRun reports as `executionCounts`, and as `itemCounts` too when each child
 * processes one item.
 */
export interface MapRunCounts extends MapRunItemTally {
  /** Child executions the Map Run starts (its items, or its batches with an ItemBatcher), or 0 until it has read them. */
  total: number;
  /** Children whose results the Map Run counts as written once it ends: AWS counts them with or without a ResultWriter. */
  resultsWritten: number;
  /**
   * With an ItemBatcher: the items of the children's batches, which DescribeMapRun's `itemCounts`
   * count (the fields above count child executions).
   * @default - none: each child processes one item, and the items are counted as the children
   */
  items?: MapRunItemTally;
  /** Name of the Map state that ran it. */
  readonly stateName: string;
  /** The execution whose Map state ran it: the one the user started, or one of its child executions. */
  readonly executionArn: string;
  /** The Map's MaxConcurrency as it ran (0: as many as AWS runs at once), as DescribeMapRun reports it. */
  readonly maxConcurrency: number;
  /** The Map's ToleratedFailurePercentage as it ran (0 when it has none), as DescribeMapRun reports it. */
  readonly toleratedFailurePercentage: number;
  /** The Map's ToleratedFailureCount as it ran (0 when it has none), as DescribeMapRun reports it. */
  readonly toleratedFailureCount: number;
}

/**
 * The iterations of a top-level Map state, or the branches of a top-level
 * Parallel state, that succeeded in the attempt of that state that ended the
 * execution: what a redrive does not need to run again.
 */
export interface CompletedChildren {
  /** Name of the top-level Map or Parallel state. */
  readonly state: string;
  /** The output of each iteration or branch that succeeded, by its index (0-based). */
  readonly outputs: ReadonlyMap<number, JsonValue>;
  /**
   * The Map Run the state ran as, when it is a DISTRIBUTED Map: a redrive resumes it as the same
   * Map Run (its ARN, its result folder), as AWS redrives a Map Run.
   * @default - a new Map Run
   */
  readonly mapRunArn?: string;
}

/**
 * The child executions that DISTRIBUTED Map states of an execution started, added up per Map
 * state and child workflow type. AWS records each child in a history of its own, not in the
 * parent's, and bills each by its own type (ProcessorConfig.ExecutionType).
 */
export interface ChildExecutionUsage {
  /** Name of the DISTRIBUTED Map state that started them. */
  readonly mapState: string;
  /** Their workflow type, the Map's `ProcessorConfig.ExecutionType`. */
  readonly executionType: MachineType;
  /** How many child executions it started (every visit of the state together). */
  readonly executions: number;
  /** States they entered, all together. */
  readonly statesEntered: number;
  /** Retries in them, all together. */
  readonly retries: number;
  /**
   * Retries in them by state (a Task called again by its Retry, a Parallel or Map run again by
   * its own), only the states retried: AWS records them in each child's own history, not the
   * parent's. Absent when none was retried.
   */
  readonly retriesByState?: Readonly<Record<string, number>>;
  /** How long each ran, in milliseconds of the execution's clock, in the order they ended. */
  readonly durationsMs: readonly number[];
  /**
   * The first of them that failed (at most 25), in the order they
   * ended: each one's own error and cause, which the parent's history does not hold (AWS records
   * them in the child's history, `FAILED_n.json` and DescribeExecution), while its Map fails
   * with `States.ExceedToleratedFailureThreshold` or the child's error. Absent when none failed.
   */
  readonly failures?: readonly ChildExecutionFailure[];
}

/**
 * How many failed child executions a Map state's {@link ChildExecutionUsage.failures} keeps: a
 * Map Run of a million failing items must not hold a million inputs.
 * @internal
 */
export const CHILD_FAILURES_KEPT = 25;

/** A child execution of a DISTRIBUTED Map that failed: which one, on what input, with what error. */
export interface ChildExecutionFailure {
  /** Name of the DISTRIBUTED Map state that started it. */
  readonly mapState: string;
  /** Its name (a UUID, as AWS names a Map Run's children) and ARN. */
  readonly name: string;
  readonly executionArn: string;
  /** Its input: the item, after ItemSelector and ItemBatcher. */
  readonly input: JsonValue;
  /** The error it failed with, when it had one (a Fail state may have none). */
  readonly error?: string;
  readonly cause?: string;
}

/**
 * A value an execution met that AWS bounds, but whose handling as a state runs no recording or page
 * of AWS's gives (docs/fidelity.md, "Values read as a state runs"): the execution goes on with it
 * rather than fail on a guess, and the workbench tells it as the run's advice.
 * @internal
 */
export interface UnrecordedValue {
  /** The state that met it. */
  readonly state: string;
  /** What it met, what stepwright did with it, and what AWS may do instead. */
  readonly message: string;
}

/** The outcome of an execution. */
export interface ExecutionResult {
  readonly status: ExecutionStatus;
  /** The execution's output, when it SUCCEEDED. */
  readonly output?: JsonValue;
  /**
   * The error name, when it FAILED or was ABORTED with one. An execution TIMED_OUT by its
   * `TimeoutSeconds` or maximum duration has none, as on AWS.
   */
  readonly error?: string;
  /** The cause, when there is one. */
  readonly cause?: string;
  /** The execution history, shaped as GetExecutionHistory returns it. */
  readonly history: HistoryEvent[];
  /** Names of the states entered, in order (including those inside Parallel and Map). */
  readonly path: string[];
  /** ARN of the execution. */
  readonly executionArn: string;
  /** When the execution started and stopped, on its clock. */
  readonly startDate: Date;
  readonly stopDate: Date;
  /**
   * When the execution did not succeed and the state it ended in is a top-level
   * Map or Parallel: the iterations or branches of that state that succeeded
   * (none may have), for `StartOptions.resume`. Absent otherwise, and when the
   * state failed before starting its iterations or branches.
   */
  readonly completedChildren?: CompletedChildren;
  /** The child executions DISTRIBUTED Map states started; absent when there were none. */
  readonly childExecutions?: readonly ChildExecutionUsage[];
}
