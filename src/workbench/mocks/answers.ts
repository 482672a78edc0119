import * as path from 'node:path';
import { invokedVersion } from './lambda-call';
import type { JsonObject, JsonValue } from '../../asl';
import { describeNonJson, jsonTextOf, stringifyWithin } from '../../asl/json-value';
import { AwsLimits } from '../../asl/limits';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { lambdaErrorPayload } from '../../asl/task-failure-cause';
import { isLambdaInvoke, taskResource } from '../../asl/task-resource';
import type { TaskRequest } from '../../interpreter';
import { packageRoot } from '../common/package-root';

const MOCK = Symbol.for('stepwright.mock');
/**
 * stepwright's own folders, whose frames are dropped from Lambda error traces:
 * both, because source maps make frames of the compiled lib/ name src/ files.
 */
const HARNESS_DIRS = [path.join(packageRoot(), 'src') + path.sep, path.join(packageRoot(), 'lib') + path.sep];

/** What a mock function is given besides the task input: a fake Lambda context plus the call's facts. */
export interface MockContext {
  /** Name of the Task state being answered. */
  readonly stateName: string;
  /** The Task's `Resource` ARN. */
  readonly resource: string;
  /** How many times this state was invoked before in this run (0 for the first call): retries, loops and Map iterations all count. */
  readonly invocation: number;
  /** How many times this state has been retried before this call. */
  readonly retryCount: number;
  /** The task token, for callback, `.sync` and activity tasks. */
  readonly taskToken?: string;
  /** The Context Object of the state (`$$`). */
  readonly stateContext: JsonValue;
  /** Lambda context fields, so real handlers `(event, context)` can be passed as mocks. */
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  /** Milliseconds left before the Task's TimeoutSeconds, on the virtual clock. */
  getRemainingTimeInMillis(): number;
}

/**
 * Answers a Task from its input. For `arn:aws:states:::lambda:invoke` it gets
 * the `Payload` (the Lambda event) and its return value becomes the invoke
 * envelope's `Payload`; a thrown error becomes a Lambda function error.
 */
export type MockFunction = (input: any, context: MockContext) => unknown;

/** A step built by {@link succeed}, {@link fail}, {@link delay} or {@link rawResult}. */
export interface MockStep {
  /** @internal */
  readonly [MOCK]: true;
  /** @internal */
  readonly kind: 'succeed' | 'fail' | 'delay' | 'raw';
  /** @internal */
  readonly value?: unknown;
  /** @internal */
  readonly error?: string;
  /** @internal */
  readonly cause?: string;
  /** @internal */
  readonly seconds?: number;
  /** @internal */
  readonly heartbeats?: readonly number[];
  /** @internal */
  readonly then?: MockAnswer;
  /** @internal */
  readonly submitted?: JsonValue;
  /** @internal */
  readonly workerName?: string;
}

/**
 * What a mocked call says besides its result: the parts of the history that no definition,
 * input or result can tell, because a service or a worker chose them.
 */
export interface AnswerOptions {
  /**
   * What the service answered when it accepted the work of a `.sync` or `.waitForTaskToken`
   * task: the output of the TaskSubmitted event (StartExecution's `{ExecutionArn, StartDate}`,
   * SQS SendMessage's `{MessageId, MD5OfMessageBody}`, ...).
   * @default - a `.waitForTaskToken` task: `{}` (for `lambda:invoke.waitForTaskToken`, an invoke
   *   envelope with a null Payload); `states:startExecution.sync`: the result's ExecutionArn
   *   and StartDate; any other `.sync` task: `{}`
   */
  readonly submitted?: JsonValue;
  /**
   * The name of the worker that took an activity task (GetActivityTask's `workerName`): the
   * ActivityStarted event's `workerName`.
   * @default - none: ActivityStarted has no workerName
   */
  readonly workerName?: string;
}

/**
 * The answer to one call of a Task: a {@link MockStep}, a {@link MockFunction},
 * or a plain JSON value (that call's result, as with `succeed(value)`).
 */
export type MockAnswer = MockStep | MockFunction | JsonValue;

/**
 * Answers to successive calls of a Task, one per call in order (retries,
 * loops and Map iterations all count). A list is read as a sequence when it
 * holds at least one {@link MockStep} or {@link MockFunction}; its plain values
 * are then the results of their calls. As in AWS's MockConfigFile every call
 * must be covered: a call past the end fails the run with `States.Runtime`,
 * naming the state.
 * @example [fail('OCR.Busy'), { page: 1 }]   // the first call fails, the retry returns { page: 1 }
 */
export type MockSequence = readonly MockAnswer[];

/**
 * How a Task is answered:
 * - a JSON value: the result (for Lambda tasks, the function's return value);
 * - a {@link MockFunction} of the input (real handler code works);
 * - a {@link MockStep}: `succeed(v)`, `fail(error, cause)`, `delay(seconds, then)`, `rawResult(v)`;
 * - a {@link MockSequence}: a list holding at least one step or function,
 *   one answer per call.
 *
 * The rule for lists: a list holding any step or function is a sequence of
 * answers; a list holding none is a plain value, the result of every call
 * (`[1, 2]` answers each call with `[1, 2]`). To return an array that holds
 * steps, or to make the intent plain, write `succeed([...])`. A list nested in
 * a sequence that itself holds steps is refused with an {@link InvalidMockError}.
 */
export type Mock = MockAnswer | MockSequence;

/**
 * A mock that cannot be read one way only, found before the run starts: it
 * names the mock key, the Task states it answers, and how to write it.
 */
export class InvalidMockError extends Error {
  constructor(
    /** The mock key as written (a state name, an ARN, or a construct path). */
    public readonly key: string,
    /** The Task states the key answers (empty when they are only known at run time). */
    public readonly states: readonly string[],
    /** What is wrong and how to write it. */
    public readonly reason: string,
  ) {
    super(`mock ${key}${states.length && !(states.length === 1 && key === `'${states[0]}'`) ? ` (Task ${states.map((s) => `'${s}'`).join(', ')})` : ''}: ${reason}`);
    this.name = 'InvalidMockError';
  }
}

/** Options of {@link delay}. */
export interface DelayOptions {
  /**
   * Virtual seconds after the task started at which to send a heartbeat
   * (SendTaskHeartbeat). Needs a task token: activities, `.waitForTaskToken`
   * and `.sync` tasks. A gap longer than the Task's HeartbeatSeconds fails it
   * (`States.Timeout` for a callback or `.sync` task, as AWS reports it;
   * `States.HeartbeatTimeout` for an activity).
   * @default - no heartbeats
   */
  readonly heartbeats?: readonly number[];
}

/**
 * The task succeeds with `value` (for Lambda tasks, the function returns it).
 * `options` say what the service answered on submission or which worker took an activity.
 * @example mocks: { Charge: [fail('Payment.Declined'), succeed({ id: 'ch_1' })] }
 * @example mocks: { RunChild: succeed(childResult, { submitted: { ExecutionArn: arn, StartDate: '2024-01-01T00:00:00Z' } }) }
 */
export function succeed(value: JsonValue = null, options: AnswerOptions = {}): MockStep {
  refuseStepsInside('succeed', value);
  return { [MOCK]: true, kind: 'succeed', value, ...answerOptions('succeed', options) };
}

/** The options of succeed/fail/rawResult, checked. */
function answerOptions(helper: string, options: AnswerOptions): Pick<MockStep, 'submitted' | 'workerName'> {
  if (options === null || typeof options !== 'object') throw new TypeError(`${helper}(..., options): options must be an object, got ${JSON.stringify(options)}`);
  const out: { submitted?: JsonValue; workerName?: string } = {};
  if (options.submitted !== undefined) {
    // JSON as it is, or as its toJSON methods write it.
    const submitted = jsonTextOf(options.submitted);
    if (submitted === undefined) throw new TypeError(`${helper}(..., { submitted }): submitted must be a JSON value: ${describeNonJson(options.submitted)}`);
    out.submitted = submitted;
  }
  if (options.workerName !== undefined) {
    if (typeof options.workerName !== 'string' || options.workerName.length < 1 || options.workerName.length > AwsLimits.NAME_CHARS) {
      throw new TypeError(`${helper}(..., { workerName }): workerName must be a string of 1 to ${AwsLimits.NAME_CHARS} characters, as GetActivityTask takes it, got ${JSON.stringify(options.workerName)}`);
    }
    out.workerName = options.workerName;
  }
  return out;
}

/**
 * The task fails with exactly this error and cause (no Lambda error wrapping).
 * `options` as for {@link succeed}.
 * @example mocks: { Charge: fail('Payment.Declined', 'card expired') }
 */
export function fail(error: string, cause?: string, options: AnswerOptions = {}): MockStep {
  if (typeof error !== 'string' || error === '') throw new TypeError(`fail(error): error must be a non-empty string, got ${JSON.stringify(error)}`);
  return { [MOCK]: true, kind: 'fail', error, ...(cause !== undefined ? { cause } : {}), ...answerOptions('fail', options) };
}

/**
 * The task runs for `seconds` of virtual time, then answers with `then`.
 * Longer than the Task's TimeoutSeconds, it fails with `States.Timeout`. A `then` of
 * `fail('States.Timeout')` (or `States.HeartbeatTimeout`) times the Task out when its own clock
 * runs out, TimeoutSeconds after it started (HeartbeatSeconds after its last heartbeat), not
 * when the delay ends: Step Functions raises these errors itself, from the Task's clock.
 * @param then - the answer after the delay
 * @default then - succeed(null)
 * @example mocks: { Ship: delay(600, succeed({ shipped: true })) } // times out a Task with TimeoutSeconds 300
 */
export function delay(seconds: number, then: MockAnswer = succeed(null), options: DelayOptions = {}): MockStep {
  if (typeof seconds !== 'number' || !(seconds >= 0) || !Number.isFinite(seconds)) {
    throw new TypeError(`delay(seconds): seconds must be a finite number >= 0, got ${String(seconds)}`);
  }
  if (isSequence(then)) {
    throw new TypeError(`delay(${seconds}, then): then answers the one call the delay ends, so it cannot be a list of answers; `
      + 'put the delay in the list instead: [delay(60, fail(\'Busy\')), succeed(1)], or write succeed([...]) for an array result');
  }
  const heartbeats = options.heartbeats ?? [];
  for (const h of heartbeats) {
    if (typeof h !== 'number' || !(h >= 0) || h > seconds) {
      throw new TypeError(`delay(${seconds}, ..., { heartbeats }): each heartbeat must be a number of seconds between 0 and ${seconds}, got ${String(h)}`);
    }
  }
  return { [MOCK]: true, kind: 'delay', seconds, then, heartbeats: [...heartbeats].sort((a, b) => a - b) };
}

/**
 * The task result exactly as given: no Lambda invoke envelope is added. Use it
 * for a `lambda:invoke` mock that must return a custom envelope.
 */
export function rawResult(value: JsonValue, options: AnswerOptions = {}): MockStep {
  refuseStepsInside('rawResult', value);
  return { [MOCK]: true, kind: 'raw', value, ...answerOptions('rawResult', options) };
}

/** True for a step made by the helpers of this module. */
export function isMockStep(value: unknown): value is MockStep {
  return typeof value === 'object' && value !== null && (value as { [MOCK]?: unknown })[MOCK] === true;
}

/** True for what answers a call by itself: a step or a function. */
function isAnswerOnly(value: unknown): boolean {
  return isMockStep(value) || typeof value === 'function';
}

/**
 * True when `value` is a sequence of answers, one per call: a list holding at
 * least one step or function. A list holding neither is a plain value.
 * @internal
 */
export function isSequence(value: unknown): value is MockSequence {
  return Array.isArray(value) && value.some(isAnswerOnly);
}

/** `succeed([fail(...)])` would hand the step's fields to the state machine as data. */
function refuseStepsInside(helper: string, value: unknown): void {
  if (Array.isArray(value) && value.some(isAnswerOnly)) {
    throw new TypeError(`${helper}(value): value is the task result, a JSON value, but this list holds a mock step or function; `
      + `a list of answers, one per call, is written without ${helper}: [fail('Busy'), { page: 1 }]`);
  }
}

/**
 * Checks a mock before any run: a sequence may not hold a list that itself
 * holds steps (one call takes one answer). Returns the reason, or undefined.
 * @internal
 */
export function mockProblem(mock: unknown): string | undefined {
  if (!isSequence(mock)) return undefined;
  const at = mock.findIndex((answer) => isSequence(answer));
  if (at < 0) return undefined;
  return `it is a list of answers, one per call, and its entry [${at}] is itself a list holding a mock step or function, `
    + 'but one call takes one answer. Put every answer in the one list ([fail(\'Busy\'), fail(\'Busy\'), { page: 1 }]), '
    + 'or write succeed([...]) for a call whose result is an array';
}

/**
 * The reason a mock function's return value cannot be a task result: a list
 * holding steps or functions, which a function answering one call cannot mean
 * as a sequence, and which as data would leak the steps' fields.
 * @internal
 */
export function returnedListProblem(value: unknown): string | undefined {
  if (!isSequence(value)) return undefined;
  return 'returned a list holding a mock step or function, but a function answers one call at a time; '
    + 'return the one answer for this call (read context.invocation or context.retryCount), '
    + 'or give the list itself as the mock ([fail(\'Busy\'), { page: 1 }]), or return succeed([...]) for an array result';
}

/** How the harness calls a resource, which decides result and error shapes. @internal */
export type LambdaShape = 'invoke' | 'function' | undefined;

/** `invoke` for `arn:aws:states:::lambda:invoke[.waitForTaskToken]`, `function` for a function ARN. @internal */
export function lambdaShapeOf(resource: string): LambdaShape {
  const parsed = taskResource(resource);
  if (isLambdaInvoke(parsed)) return 'invoke';
  return parsed.kind === 'lambda-arn' ? 'function' : undefined;
}

/**
 * The error AWS reports when a Node.js Lambda function throws: the error is
 * the function's `errorType` (the thrown Error's `name`), the cause the JSON
 * error payload the Node.js runtime writes, `{errorType, errorMessage, trace}`.
 * A thrown StatesError keeps its error and cause.
 * @internal
 */
export function lambdaFunctionError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  let errorType: string;
  let errorMessage: string;
  let trace: string[];
  try {
    const isError = e instanceof Error;
    const name: unknown = isError ? e.name || 'Error' : typeof e;
    const message: unknown = isError ? e.message : String(e);
    if (typeof name !== 'string' || typeof message !== 'string') throw new TypeError('not text');
    errorType = name;
    errorMessage = message;
    // The harness's own frames are not the function's: a real Lambda trace ends at the runtime.
    trace = isError && typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => !HARNESS_DIRS.some((dir) => line.includes(dir))) : [];
  } catch {
    // A value the runtime cannot read (an object with no prototype, a toString or a name getter
    // that throws): the Node.js runtime answers `handled`, its own words, not what reading it threw
    // (aws-lambda-nodejs-runtime-interface-client, src/Errors.js, toRapidResponse).
    errorType = 'handled';
    errorMessage = UNREADABLE_ERROR;
    trace = [];
  }
  return new StatesError(errorType, lambdaErrorPayload(errorType, errorMessage, trace));
}

/** What the Node.js Lambda runtime says of a thrown value it cannot read. */
const UNREADABLE_ERROR = 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack';

/**
 * The task error for what a mock function or handler threw: for a Lambda
 * Task, Lambda's function error ({@link lambdaFunctionError}); for any other
 * Task, the Error's name and message; a thrown StatesError as it is.
 * @internal
 */
export function thrownTaskError(e: unknown, shape: LambdaShape): StatesError {
  if (e instanceof StatesError) return e;
  if (shape) return lambdaFunctionError(e);
  try {
    const name: unknown = e instanceof Error ? e.name || 'Error' : 'Error';
    const message: unknown = e instanceof Error ? e.message : String(e);
    if (typeof name === 'string' && typeof message === 'string') return new StatesError(name, message);
  } catch {
    // Read as a Lambda function's error would be, below.
  }
  return new StatesError('Error', UNREADABLE_ERROR);
}

/**
 * The status Lambda's Invoke answers for each `InvocationType` that does not wait for the
 * function's answer: 202 for `Event` (the function runs later, on its own), 204 for `DryRun` (it
 * does not run). Neither answer has a payload. (Lambda API reference, Invoke: "For the Event
 * invocation type, this status code is 202. For the DryRun invocation type, the status code is 204.")
 * @internal
 */
export const UNANSWERED_INVOCATIONS: ReadonlyMap<string, number> = new Map([['Event', 202], ['DryRun', 204]]);

/**
 * The result of `arn:aws:states:::lambda:invoke` for an `InvocationType` that does not wait for
 * the function ({@link UNANSWERED_INVOCATIONS}): its status and an empty payload. What Step
 * Functions puts in `Payload` for the empty answer is not recorded; `""` is the text Lambda sent.
 * @internal
 */
export function unansweredInvokeEnvelope(status: number, requestId: string, now: number, version = LATEST): JsonObject {
  return invokeEnvelope('', requestId, now, { status, version });
}

/**
 * The result of a `lambda:invoke` whose `InvocationType` does not wait for the function, or
 * undefined for one that does: its code never answers the Task.
 * @internal
 */
export function unansweredInvoke(request: TaskRequest, requestId: () => string, now: number): JsonObject | undefined {
  const status = UNANSWERED_INVOCATIONS.get(String((request.input as JsonObject | null)?.InvocationType));
  return status === undefined ? undefined : unansweredInvokeEnvelope(status, requestId(), now, invokedVersion(request));
}

/** The version Lambda runs for a call that names none (or an alias, which stepwright does not follow here). */
const LATEST = '$LATEST';

/** What an invoke answer says beside its payload. @internal */
export interface InvokeFacts {
  /** Lambda's status. @default 200 */
  readonly status?: number;
  /** The version that ran, `ExecutedVersion` (lambdaCall's invokedVersion). @default '$LATEST' */
  readonly version?: string;
}

/**
 * The result of `arn:aws:states:::lambda:invoke` around a function's payload,
 * with the fields AWS returns (as recorded).
 * @internal
 */
export function invokeEnvelope(payload: JsonValue, requestId: string, now: number, facts: InvokeFacts = {}): JsonObject {
  const { status = 200, version = LATEST } = facts;
  const length = String(payload === '' && status !== 200 ? 0 : Buffer.byteLength(JSON.stringify(payload)));
  const date = new Date(now).toUTCString();
  const trace = `Root=1-${Math.floor(now / 1000).toString(16)}-${requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`;
  return {
    ExecutedVersion: version,
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: {
        'X-Amz-Executed-Version': [version],
        'x-amzn-Remapped-Content-Length': ['0'],
        'Connection': ['keep-alive'],
        'x-amzn-RequestId': [requestId],
        'Content-Length': [length],
        'Date': [date],
        'X-Amzn-Trace-Id': [trace],
        'Content-Type': ['application/json'],
      },
      HttpHeaders: {
        'Connection': 'keep-alive',
        'Content-Length': length,
        'Content-Type': 'application/json',
        'Date': date,
        'X-Amz-Executed-Version': version,
        'x-amzn-Remapped-Content-Length': '0',
        'x-amzn-RequestId': requestId,
        'X-Amzn-Trace-Id': trace,
      },
      HttpStatusCode: status,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: status,
  };
}

/** A JSON copy of what a function returned, as Lambda serialises it; `undefined` becomes null. @internal */
export function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  let written: ReturnType<typeof stringifyWithin>;
  try {
    written = stringifyWithin(value);
  } catch {
    // A BigInt or a cycle: no Lambda could return it. A test-setup mistake, so not catchable by States.ALL.
    throw new StatesError(StatesErrors.RUNTIME, `The mock returned a value that is not JSON: ${describeNonJson(value) ?? 'JSON.stringify refused it'}.`);
  }
  // One object shared from many places is written each time: past the bound, refused as JSON.stringify expands it.
  if ('tooMany' in written) throw new StatesError(StatesErrors.RUNTIME, `The mock returned a value that is not JSON Step Functions carries: ${written.tooMany}.`);
  const text = written.text;
  return text === undefined ? null : JSON.parse(text) as JsonValue;
}
