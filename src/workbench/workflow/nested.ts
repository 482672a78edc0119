import type { JsonObject, JsonValue } from '../../asl';
import { ApiErrors, type ApiErrorName } from '../../asl/api-errors';
import { CATALOGUE } from '../../asl/integrations';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { taskResource } from '../../asl/task-resource';
import type { ExecutionResult } from '../../interpreter';

/**
 * How a Task starts a child execution: fire-and-forget, `.sync`, `.sync:2` or `.waitForTaskToken`
 * (`callback`: the child is started as fire-and-forget starts it, and the Task waits for
 * SendTaskSuccess or SendTaskFailure with the token its `Input` passed on, as "Start workflow
 * executions from a Task state" (concepts-nested-workflows.html) says of every pattern).
 * @internal
 */
export type NestedPattern = 'async' | 'sync' | 'sync2' | 'callback';

/** The pattern of a `states:startExecution` resource, or undefined for any other resource. @internal */
export function startExecutionPattern(resource: string): NestedPattern | undefined {
  const r = taskResource(resource);
  if (r.kind !== 'optimized' || r.service !== 'states' || r.action !== 'startExecution') return undefined;
  if (r.suffix === undefined) return 'async';
  return r.suffix === 'sync' ? 'sync' : r.suffix === 'sync:2' ? 'sync2' : r.suffix === 'waitForTaskToken' ? 'callback' : undefined;
}

/**
 * Whether a Task of this pattern stops its child when it stops waiting for it: only `.sync` and
 * `.sync:2`, whose IAM policy grants `states:StopExecution` on the child's executions
 * (stepfunctions-iam.html, Synchronous); fire-and-forget and `.waitForTaskToken` are granted
 * StartExecution alone, and their child runs on.
 * @internal
 */
export function stopsChildWithTask(pattern: NestedPattern): boolean {
  return pattern === 'sync' || pattern === 'sync2';
}

/** The parts of a StartExecution request a child run needs. @internal */
export interface StartExecutionRequest {
  readonly stateMachineArn: string;
  readonly input: JsonValue;
  readonly name: string | undefined;
}

/**
 * Reads `StateMachineArn`, `Input` and `Name` from a StartExecution payload.
 * `Input` may be JSON or a string of JSON text, as the API takes it; absent or
 * null it is `{}`.
 * @internal
 */
export function readStartExecution(stateName: string, payload: JsonValue): StartExecutionRequest {
  const p = (payload ?? {}) as JsonObject;
  const arn = p.StateMachineArn;
  if (typeof arn !== 'string') {
    throw new StatesError(StatesErrors.RUNTIME, `Task '${stateName}' starts an execution without a StateMachineArn string (got ${JSON.stringify(arn ?? null)})`);
  }
  let input: JsonValue = p.Input ?? {};
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input) as JsonValue;
    } catch {
      throw startExecutionError(ApiErrors.InvalidExecutionInput, `Invalid State Machine Execution Input: '${input}' is not valid JSON`);
    }
  }
  const name = typeof p.Name === 'string' ? p.Name : undefined;
  return { stateMachineArn: arn, input, name };
}

/**
 * The error a `states:startExecution` Task fails with when StartExecution refuses: the
 * integration's prefix and the exception's name as the SDK for Java 1.x names it
 * (`StepFunctions.ExecutionAlreadyExistsException`), with StartExecution's message as the cause.
 * @param code the API's error code (`ExecutionAlreadyExists`, `InvalidName`, …)
 * @internal
 */
export function startExecutionError(code: ApiErrorName, message: string): StatesError {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to a refused child start
  const { optimizedErrorName } = require('../../contracts/error-names') as typeof import('../../contracts/error-names');
  return new StatesError(`${CATALOGUE.get('states:startExecution')!.errorPrefix}.${optimizedErrorName(code)}`, message);
}

/** How a child execution ended, in the fields the parent's answer gives. @internal */
export type ChildOutcome = Pick<ExecutionResult, 'status' | 'output' | 'error' | 'cause' | 'stopDate'>;

/** A child execution as the parent sees it. @internal */
export interface ChildExecution {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly input: JsonValue;
  readonly startMs: number;
  readonly result: Promise<ChildOutcome>;
}

/**
 * What a StartExecution Task returns, as AWS returns it: `{ExecutionArn,
 * StartDate}` at once for fire-and-forget (and, as what it submitted, for `.waitForTaskToken`); for `.sync` the DescribeExecution
 * fields with Input/Output as JSON text, for `.sync:2` as JSON. A child that does
 * not succeed answers its description with its Error and Cause, which the
 * catalogue's rule for `states:startExecution.sync` turns, as every answer of the
 * Task, into `States.TaskFailed` with that description as the cause
 * (asl/answer-outcomes.ts, applied where the dispatcher answers the Task).
 * @internal
 */
export function nestedResult(pattern: NestedPattern, child: ChildExecution): JsonValue | Promise<JsonValue> {
  if (pattern === 'async' || pattern === 'callback') {
    // Nobody awaits a fire-and-forget child; its failure must not surface as an unhandled rejection.
    // A `.waitForTaskToken` Task waits for its token, not for the child: this answer is what it
    // submitted (its TaskSubmitted output), StartExecution's, as a `.sync` Task's (recorded:
    // TestCallback_test_sync_with_task_token, TaskSubmitted).
    child.result.catch(() => undefined);
    return { ExecutionArn: child.executionArn, StartDate: child.startMs };
  }
  const asText = pattern === 'sync';
  return child.result.then((r) => {
    const doc = (v: JsonValue | undefined): JsonValue => (asText ? JSON.stringify(v ?? null) : v ?? null);
    const base: JsonObject = {
      ExecutionArn: child.executionArn,
      Input: doc(child.input),
      InputDetails: { Included: true },
      Name: child.name,
    };
    const dates = { StartDate: child.startMs, StateMachineArn: child.stateMachineArn, Status: r.status, StopDate: r.stopDate.getTime() };
    if (r.status === 'SUCCEEDED') {
      return {
        ...base,
        Output: doc(r.output),
        OutputDetails: { Included: true },
        RedriveCount: 0,
        RedriveStatus: 'NOT_REDRIVABLE',
        RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
        ...dates,
      };
    }
    // Keys in the order AWS writes them (alphabetical): the order of the cause AWS recorded. The
    // Task's cause, this description as text, is cut as a whole where the answer is judged
    // (asl/answer-outcomes.ts): a chain of .sync children stays bounded at each level.
    return {
      ...(r.cause !== undefined ? { Cause: r.cause } : {}),
      ...(r.error !== undefined ? { Error: r.error } : {}),
      ...base,
      ...dates,
    };
  });
}
