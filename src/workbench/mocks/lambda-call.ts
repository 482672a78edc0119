import type { MockContext } from './answers';
import { lambdaMatch, parseLambdaTarget, refersTo, unqualifiedFunctionArn } from './targets';
import type { JsonObject } from '../../asl';
import { AwsDefaults, awsArn } from '../../asl/aws-defaults';
import type { InlineCode, ResourceRef } from '../../cfn';
import type { TaskRequest } from '../../interpreter';

/**
 * The Lambda function a Task calls, as written: the `FunctionName` of a
 * `lambda:invoke` (its Payload is the event), or a function ARN `Resource`.
 * @internal
 */
export function lambdaTargetOf(request: TaskRequest, shape: 'invoke' | 'function' | undefined): string | undefined {
  if (shape === 'function') return request.resource;
  if (shape !== 'invoke') return undefined;
  const name = (request.input as JsonObject | null)?.FunctionName;
  return typeof name === 'string' ? name : undefined;
}

/**
 * The version of the function a call runs, as Lambda reports it (`ExecutedVersion`, the context's
 * `functionVersion`): the version number the function ARN or the `Qualifier` parameter names.
 * An unqualified call runs `$LATEST`; an alias's version is not followed here and is reported as
 * `$LATEST` too. (Lambda API reference, Invoke: "ExecutedVersion: The version of the function
 * that executed.")
 * @internal
 */
export function invokedVersion(request: TaskRequest): string {
  const p = request.input as JsonObject | null;
  const target = typeof p?.FunctionName === 'string' ? p.FunctionName : request.resource;
  const qualifier = parseLambdaTarget(target)?.qualifier ?? (typeof p?.Qualifier === 'string' ? p.Qualifier : undefined);
  return qualifier !== undefined && /^\d+$/.test(qualifier) ? qualifier : '$LATEST';
}

/** Facts of one call that the Lambda context shows. @internal */
export interface LambdaCallFacts {
  readonly request: TaskRequest;
  readonly invocation: number;
  /**
   * The call's request id, or how to draw one: drawn only when the function
   * reads it, so a function that never does leaves the invoke envelopes'
   * request ids as a plain value mock leaves them, and both give the same run.
   */
  readonly requestId: string | (() => string);
  /** The clock the call runs on, for `getRemainingTimeInMillis`. */
  readonly now: () => number;
}

/**
 * What a mock function or handler gets besides its event: a Lambda context
 * (`functionName`, `functionVersion`, `invokedFunctionArn`, ...) for the
 * function the Task calls, and the facts of the call.
 * @internal
 */
export function lambdaContext(facts: LambdaCallFacts): MockContext {
  const { request } = facts;
  const p = request.input as JsonObject | null;
  const target = typeof p?.FunctionName === 'string' ? p.FunctionName : request.resource;
  const parsed = parseLambdaTarget(target);
  const fnName = parsed?.name ?? target;
  const qualifier = parsed?.qualifier;
  const account = parsed?.account || AwsDefaults.ACCOUNT;
  const started = facts.now();
  let requestId = typeof facts.requestId === 'string' ? facts.requestId : undefined;
  const draw = facts.requestId;
  return {
    stateName: request.stateName,
    resource: request.resource,
    invocation: facts.invocation,
    retryCount: request.retryCount,
    ...(request.taskToken !== undefined ? { taskToken: request.taskToken } : {}),
    get stateContext() { return request.context; },
    functionName: fnName,
    functionVersion: invokedVersion(request),
    invokedFunctionArn: target.startsWith('arn:') ? target : awsArn(AwsDefaults.PARTITION, 'lambda', AwsDefaults.REGION, account, `function:${fnName}${qualifier !== undefined ? `:${qualifier}` : ''}`),
    memoryLimitInMB: '128',
    get awsRequestId() { return requestId ??= typeof draw === 'string' ? draw : draw(); },
    logGroupName: `/aws/lambda/${fnName}`,
    logStreamName: '2024/01/01/[$LATEST]stepwright',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, 900_000 - (facts.now() - started)),
  };
}

/** The inline code a call runs, and the key of the warm environment it runs in. @internal */
export interface InlineCodeTarget {
  readonly code: InlineCode;
  /** The function's construct id (or logical id), for messages and the module's file name. */
  readonly name: string;
  /** One per function and qualifier, as Lambda keeps one environment per version. */
  readonly key: string;
}

/**
 * The inline code (`lambda.Code.fromInline`) of the Lambda function `target`
 * names, if it has any: the function itself, or a version or alias of it, by
 * ARN, partial ARN or name, qualified (`:1`, `:live`, `:$LATEST`) or not.
 * @internal
 */
export function inlineCodeFor(target: string, resources: ReadonlyMap<string, ResourceRef>): InlineCodeTarget | undefined {
  for (const [placeholder, ref] of resources) {
    if (!ref.inlineCode) continue;
    if (!refersTo(target, placeholder) && lambdaMatch(target, unqualifiedFunctionArn(placeholder)) === undefined) continue;
    const fn = ref.lambdaFunction ?? ref;
    const name = fn.cdkPath ? fn.cdkPath.replace(/\/Resource$/, '').split('/').pop()! : fn.logicalId;
    return { code: ref.inlineCode, name, key: `${fn.logicalId} ${parseLambdaTarget(target)?.qualifier ?? '$LATEST'}` };
  }
  return undefined;
}
