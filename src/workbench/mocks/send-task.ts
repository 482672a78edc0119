/*
 * A Task that answers a task token itself: `arn:aws:states:::aws-sdk:sfn:sendTaskSuccess` (or
 * sendTaskFailure, sendTaskHeartbeat), the usual last state of a child a
 * `states:startExecution.waitForTaskToken` Task started with `$$.Task.Token` in its input
 * ("Start workflow executions from a Task state", concepts-nested-workflows.html). Every door
 * delivers it to the execution of its run that waits on the token: serve through its own
 * SendTaskSuccess (server/operations/tasks.ts), the harness through the table of tokens the run
 * and its children issued (TaskTokens). What SendTask* refuses fails the Task under the SDK
 * integration's name of the API's error: `Sfn.InvalidTokenException` with the cause `Invalid
 * Token: 'Invalid token' (Service: Sfn, Status Code: 400, Request ID: …)` for a token Step
 * Functions never issued (recorded: TestTaskServiceAwsSdk_test_sfn_send_task_outcome_with_no_such_token,
 * both sendTaskSuccess and sendTaskFailure), `Sfn.TaskDoesNotExistException`,
 * `Sfn.TaskTimedOutException` and `Sfn.InvalidOutputException` for the API's other refusals (the
 * errors AWS's model lists for SendTaskSuccess).
 */
import type { SendTaskCall, SendTaskOperation } from './task-tokens';
import type { JsonValue } from '../../asl';
import { API_ERROR_STATUS, isApiErrorName } from '../../asl/api-errors';
import { fieldOf } from '../../asl/own';
import { StatesError } from '../../asl/states-errors';
import { sdkExceptionCause } from '../../asl/task-failure-cause';
import { taskResource } from '../../asl/task-resource';

const OPERATIONS: ReadonlyMap<string, SendTaskOperation> = new Map([
  ['sendTaskSuccess', 'SendTaskSuccess'], ['sendTaskFailure', 'SendTaskFailure'], ['sendTaskHeartbeat', 'SendTaskHeartbeat'],
]);

/**
 * What the Task sends, when its Resource is `aws-sdk:sfn:sendTaskSuccess`, `…sendTaskFailure` or
 * `…sendTaskHeartbeat` and its request names a token; undefined for any other Task. A JSON value
 * given for `Output` is sent as its JSON text, as Step Functions serializes a JSON value given for
 * a text member (contracts/check.ts).
 * @internal
 */
export function sendTaskCall(resource: string, payload: JsonValue): SendTaskCall | undefined {
  const r = taskResource(resource);
  if (r.kind !== 'aws-sdk' || r.service !== 'sfn' || r.pattern !== 'request' || r.action === undefined) return undefined;
  const operation = OPERATIONS.get(r.action);
  const token = fieldOf(payload, 'TaskToken');
  // A request without its token is the request check's to refuse (it names the member), not ours.
  if (operation === undefined || typeof token !== 'string') return undefined;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : v === undefined || v === null ? undefined : JSON.stringify(v));
  const output = operation === 'SendTaskSuccess' ? text(fieldOf(payload, 'Output')) : undefined;
  const error = operation === 'SendTaskFailure' ? text(fieldOf(payload, 'Error')) : undefined;
  const cause = operation === 'SendTaskFailure' ? text(fieldOf(payload, 'Cause')) : undefined;
  return {
    operation,
    taskToken: token,
    ...(output !== undefined ? { output } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
}

/**
 * The failure of an `aws-sdk:sfn:sendTask*` Task whose call the API refused with `e` (named as the
 * API names its errors): the SDK integration's `Sfn.<Name>Exception` (contracts/'s
 * serviceErrorName, given lazily, as `serviceError`) with the AWS SDK for Java 2.x's message as the
 * cause. Anything else is no refusal of the API, and is given back as it is.
 * @internal
 */
export function sendTaskError(e: unknown, requestId: string, serviceError: (code: string) => string | undefined): unknown {
  if (!(e instanceof Error) || !isApiErrorName(e.name)) return e;
  const name = serviceError(e.name);
  if (name === undefined) return e;
  return new StatesError(name, sdkExceptionCause({ message: e.message, service: 'Sfn', status: API_ERROR_STATUS[e.name], requestId }));
}

