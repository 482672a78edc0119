import type { MockFunction, Mock } from './answers';
import type { EndpointForwarder } from './endpoints';
import type { HarnessClock } from './harness-clock';
import type { ResolvedMocks } from './keys';
import type { MockConfigError, MockedResponseSequence } from './mock-config';
import type { TaskTokenDesk } from './task-tokens';
import type { AdviceLog } from './validation';
import type { RunChecks } from './validation-mode';
import type { JsonValue } from '../../asl';
import type { ObjectStore } from '../../interpreter';
import type { TaskAnswer, TaskHandler, TaskRequest } from '../../interpreter/execution-types';
import type { ResourceRef } from '../template';

/*
 * What a door gives the dispatcher (dispatch.ts) of one run: its settings, and the hooks a door
 * that runs executions of its own (serve) adds to how their Tasks are answered.
 */

/** What to do for a Task with no mock. */
export type UnmockedPolicy = 'error' | 'input' | MockFunction;

/** One call a mock answered. */
export interface TaskCall {
  readonly stateName: string;
  /** What the mock received: the task input, or for `lambda:invoke` its Payload (the Lambda event). */
  readonly input: JsonValue;
  readonly retryCount: number;
  /** 0-based count of this state's calls in the run. */
  readonly invocation: number;
  /** True for a duplicate delivery of the invocation (`delivery: { atLeastOnce }`). */
  readonly redelivered?: boolean;
}

/**
 * Starts a registered child execution for a `states:startExecution` Task; undefined when none is
 * registered. `ended`, when given, is told of the child's end (a promise that settles when it
 * ends, however it ends) once the child has started.
 * @internal
 */
export type NestedStarter = (
  input: JsonValue, request: TaskRequest, ended?: (end: Promise<unknown>) => void,
) => JsonValue | Promise<JsonValue> | undefined;

/**
 * What a door that runs executions of its own adds to how their Tasks are answered: serve's
 * handlers, its journal and its workers. The harness needs none of it. Each hook is told of
 * the call it is about; the dispatcher does the rest as it does for every door.
 * @internal
 */
export interface DispatchDoor {
  /** Told of each call before it is answered: serve hands out the call's task token to SendTaskSuccess and its kin. */
  called?(request: TaskRequest): void;
  /** Whether a handler of the door's own answers the calls of this state (then no endpoint does, nor judges its requests). */
  answers?(stateName: string, resource: string): boolean;
  /**
   * A handler of the door's own for a call no mock or MockConfigFile test case answers (serve's
   * `--handlers`), by the state, its resource or the Lambda function it calls (`target`). It takes
   * the Task's input and request; what it returns or throws means what a mock's does.
   */
  handler?(request: TaskRequest, target: string | undefined): TaskHandler | undefined;
  /** Told of what a handler threw that is not a StatesError: serve logs it, with its stack. */
  handlerThrew?(request: TaskRequest, error: Error): void;
  /**
   * Makes a call whose answer comes from outside the execution (a handler, an endpoint, inline
   * code); `kept` when its answer may be given again without calling (a request-response Task):
   * serve journals it, and after a restart answers the same call from the journal.
   */
  outside?(request: TaskRequest, call: () => JsonValue | Promise<JsonValue>, kept: boolean): JsonValue | Promise<JsonValue>;
  /** Send callback Tasks to their endpoint too (a worker answers them with SendTaskSuccess); told of each once it was sent. */
  forwardedCallback?(request: TaskRequest): void;
  /**
   * A call with a task token that nothing answered: what the door does while the task waits for
   * its token (serve queues an activity for GetActivityTask, and gives a callback's journaled
   * answer again), and what the call answers (undefined: the token's answer is the task's).
   * @default - the harness's start(): the test answers through the token, the virtual clock held still meanwhile
   */
  awaitToken?(request: TaskRequest, activity: boolean, submitted: () => JsonValue): TaskAnswer | Promise<TaskAnswer>;
  /**
   * The cause of the failure of a call nothing answers; `localS3`, for an S3 Task or a Map's
   * ItemReader, the folders of the template's buckets it reads (` (Data is the folder 'data…' in it)`
   * or ''), for the door to say how to give the run a local S3 holding them; `endpointService`, the
   * service whose endpoint could answer the Task (`lambda`, `sqs`, ...: see forwardedServiceOf),
   * for the door to name its endpoint option, undefined for a Task no endpoint answers.
   * @default - the harness's, naming the mock to add
   */
  unanswered?(request: TaskRequest, localS3: string | undefined, endpointService: string | undefined): string;
  /** The cause of a MockConfigFile test case that gives no answer for a call. @default - the configuration's message */
  configProblem?(error: MockConfigError): string;
  /**
   * Refuses a late answer, with this cause: a `delay()` step returned by a handler or inline code
   * (`from` 'handler'), or a MockConfigFile entry with a `Delay` ('config'). serve's time is real.
   * @default - the delay runs on the run's clock
   */
  delayRefused?(request: TaskRequest, from: 'handler' | 'config'): string;
}

/** Settings of one run's dispatcher. @internal */
export interface RunContextProps {
  readonly mocks: ResolvedMocks<Mock>;
  readonly config: ReadonlyMap<string, MockedResponseSequence> | undefined;
  /** How the MockConfigFile test case is named where its answers are checked. @default 'MockConfigFile' */
  readonly configLabel?: string;
  /** The MockConfigFile test case the run answers from, for the cause of a Task it leaves out. @default - none */
  readonly testCase?: string;
  readonly unmocked: UnmockedPolicy;
  /** How mocks' answers and the Tasks' requests are checked against the service models, and the door whose options the messages name. */
  readonly checks: RunChecks;
  /** Where the run's advice goes. */
  readonly advice: Pick<AdviceLog, 'add'>;
  /** Run a Lambda function's inline code when no mock answers its Task. */
  readonly inlineCode: boolean;
  /** Sends the Tasks of services given an endpoint there. */
  readonly forwarder?: EndpointForwarder;
  /** The run's local S3, which answers `aws-sdk:s3` Tasks no mock answers. */
  readonly s3?: ObjectStore;
  /** A task with a token and no mock waits for its token (the harness's start(), and serve) rather than failing as unmocked. */
  readonly interactive: boolean;
  readonly clock: HarnessClock;
  /** The request id of a Lambda call (an invoke envelope's, a context's): drawn from the run's random source, or (serve) the same after a restart. */
  readonly requestId: (request: TaskRequest, invocation: number) => string;
  /** The request id the cause of a request refused before it was sent names (see request-check.ts); serve's is the same after a restart. */
  readonly refusalRequestId: (stateName: string, payload: JsonValue) => string;
  readonly resources: ReadonlyMap<string, ResourceRef>;
  readonly nested: NestedStarter;
  /**
   * Where the run's `aws-sdk:sfn:sendTask*` Tasks that no mock or handler answers send the token
   * they name (send-task.ts): the harness's table of the tokens its executions issued, serve's own
   * SendTask* operations.
   * @default - such a Task is answered as any other (TestState's, explore's runs)
   */
  readonly taskTokens?: TaskTokenDesk;
  /** How many calls of each state were made, where the door keeps them (serve: on the execution, for its restarts). @default - the run's own */
  readonly invocations?: Map<string, number>;
  /**
   * The inline code of the Lambda functions, loaded, by function and qualifier: a warm Lambda
   * keeps its module state across calls (serve keeps one per server).
   * @default - one per run
   */
  readonly inlineModules?: Map<string, MockFunction | undefined>;
  /** Keep each call for `WorkflowRun.taskCalls`. serve keeps none: a Distributed Map of a million items would hold a million. @default true */
  readonly recordCalls?: boolean;
  readonly door?: DispatchDoor;
}
