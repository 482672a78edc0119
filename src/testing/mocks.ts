import * as path from 'node:path';
import { StatesError } from '../asl/errors';
import { describeNonJson } from '../asl/json-value';
import type { JsonObject, JsonValue } from '../asl/types';

const MOCK = Symbol.for('stepwright.mock');
/**
 * stepwright's own folders, whose frames are dropped from Lambda error traces:
 * both, because source maps make frames of the compiled lib/ name src/ files.
 */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const HARNESS_DIRS = [path.join(PACKAGE_ROOT, 'src') + path.sep, path.join(PACKAGE_ROOT, 'lib') + path.sep];

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
  readonly then?: Mock;
}

/**
 * How a Task is answered:
 * - a JSON value: the result (for Lambda tasks, the function's return value);
 * - a {@link MockFunction} of the input (real handler code works);
 * - a {@link MockStep}: `succeed(v)`, `fail(error, cause)`, `delay(seconds, mock)`, `rawResult(v)`;
 * - an array of MockSteps: one per invocation of the state, in order. As in
 *   AWS's MockConfigFile every invocation must be covered: an invocation past
 *   the end fails the run with `States.Runtime`, naming the state. (An array
 *   holding anything but MockSteps is a plain value.)
 */
export type Mock = JsonValue | MockFunction | MockStep | readonly MockStep[];

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
 * @example mocks: { Charge: [fail('Payment.Declined'), succeed({ id: 'ch_1' })] }
 */
export function succeed(value: JsonValue = null): MockStep {
  return { [MOCK]: true, kind: 'succeed', value };
}

/**
 * The task fails with exactly this error and cause (no Lambda error wrapping).
 * @example mocks: { Charge: fail('Payment.Declined', 'card expired') }
 */
export function fail(error: string, cause?: string): MockStep {
  if (typeof error !== 'string' || error === '') throw new TypeError(`fail(error): error must be a non-empty string, got ${JSON.stringify(error)}`);
  return { [MOCK]: true, kind: 'fail', error, ...(cause !== undefined ? { cause } : {}) };
}

/**
 * The task runs for `seconds` of virtual time, then answers with `then`.
 * Longer than the Task's TimeoutSeconds, it fails with `States.Timeout`.
 * @param then - the answer after the delay
 * @default then - succeed(null)
 * @example mocks: { Ship: delay(600, succeed({ shipped: true })) } // times out a Task with TimeoutSeconds 300
 */
export function delay(seconds: number, then: Mock = succeed(null), options: DelayOptions = {}): MockStep {
  if (typeof seconds !== 'number' || !(seconds >= 0) || !Number.isFinite(seconds)) {
    throw new TypeError(`delay(seconds): seconds must be a finite number >= 0, got ${String(seconds)}`);
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
export function rawResult(value: JsonValue): MockStep {
  return { [MOCK]: true, kind: 'raw', value };
}

/** True for a step made by the helpers of this module. */
export function isMockStep(value: unknown): value is MockStep {
  return typeof value === 'object' && value !== null && (value as { [MOCK]?: unknown })[MOCK] === true;
}

/** True when `value` is a per-invocation sequence of steps rather than an array value. @internal */
export function isSequence(value: unknown): value is readonly MockStep[] {
  return Array.isArray(value) && value.length > 0 && value.every(isMockStep);
}

/** How the harness calls a resource, which decides result and error shapes. @internal */
export type LambdaShape = 'invoke' | 'function' | undefined;

/** `invoke` for `arn:aws:states:::lambda:invoke[.waitForTaskToken]`, `function` for a function ARN. @internal */
export function lambdaShapeOf(resource: string): LambdaShape {
  if (/^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource)) return 'invoke';
  if (/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(resource)) return 'function';
  return undefined;
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
  const isError = e instanceof Error;
  const errorType = isError ? e.name || 'Error' : typeof e;
  const errorMessage = isError ? e.message : String(e);
  // The harness's own frames are not the function's: a real Lambda trace ends at the runtime.
  const trace = isError && typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => !HARNESS_DIRS.some((dir) => line.includes(dir))) : [];
  return new StatesError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

/**
 * The result of `arn:aws:states:::lambda:invoke` around a function's payload,
 * with the fields AWS returns (as recorded).
 * @internal
 */
export function invokeEnvelope(payload: JsonValue, requestId: string, now: number): JsonObject {
  const length = String(Buffer.byteLength(JSON.stringify(payload)));
  const date = new Date(now).toUTCString();
  const trace = `Root=1-${Math.floor(now / 1000).toString(16)}-${requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`;
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: {
        'X-Amz-Executed-Version': ['$LATEST'],
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
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-Remapped-Content-Length': '0',
        'x-amzn-RequestId': requestId,
        'X-Amzn-Trace-Id': trace,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** A JSON copy of what a function returned, as Lambda serialises it; `undefined` becomes null. @internal */
export function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // A BigInt or a cycle: no Lambda could return it. A test-setup mistake, so not catchable by States.ALL.
    throw new StatesError('States.Runtime', `The mock returned a value that is not JSON: ${describeNonJson(value) ?? 'JSON.stringify refused it'}.`);
  }
  return text === undefined ? null : JSON.parse(text) as JsonValue;
}
