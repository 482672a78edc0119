import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Annotations, Duration } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { BuilderValidationError, isJsonata } from './common';
import { validateExpressStateMachines } from './express-validation';
import { guardJsonataFields } from './jsonata';
import { isQualifiedFunction, pinnedFunction, type LambdaPinOption } from './lambda-pinning';
import { qualifyStartExecutionPolicies } from './nested-execution';
import { LambdaErrors } from '../asl/lambda-errors';

/**
 * Lambda errors that mean "the service had a problem", not "your function
 * failed": retrying them is safe for idempotent functions and is what the
 * Step Functions console and aws-cdk-lib do by default.
 */
export const LAMBDA_TRANSIENT_ERRORS: readonly string[] = [
  LambdaErrors.CLIENT_EXECUTION_TIMEOUT,
  LambdaErrors.SERVICE,
  LambdaErrors.AWS_LAMBDA,
  LambdaErrors.SDK_CLIENT,
  LambdaErrors.TOO_MANY_REQUESTS,
];

/** The retry added to Lambda tasks unless `transientErrorRetry: false`. Same timing as aws-cdk-lib. */
export const LAMBDA_TRANSIENT_RETRY: sfn.RetryProps = {
  errors: [...LAMBDA_TRANSIENT_ERRORS],
  interval: Duration.seconds(2),
  maxAttempts: 6,
  backoffRate: 2,
};

/**
 * The task timeout of request-response tasks that set none: longer than any
 * Lambda function may run (15 minutes) or any AWS API call answers in, so it
 * only ends a call that is stuck, where Step Functions alone would wait up to
 * a year. Set `taskTimeout` to choose another.
 */
export const DEFAULT_TASK_TIMEOUT: Duration = Duration.minutes(20);

/** Options shared by the Lambda factories. */
export interface LambdaTaskOptions extends LambdaPinOption {
  /**
   * Retry for Lambda's transient service errors ({@link LAMBDA_TRANSIENT_ERRORS}),
   * or `false` for none. Added before any retry you add yourself, so it is tried first.
   * @default LAMBDA_TRANSIENT_RETRY - 2 s, 6 attempts, backoff 2
   */
  readonly transientErrorRetry?: sfn.RetryProps | false;
}

/** Props of {@link Task.lambdaInvoke}. */
export interface LambdaInvokeTaskProps extends Omit<tasks.LambdaInvokeProps, 'payloadResponseOnly' | 'retryOnServiceExceptions' | 'integrationPattern'>, LambdaTaskOptions {
  /**
   * Make the task result the function's returned payload. `false` gives the
   * whole invoke response (`{ Payload, StatusCode, ExecutedVersion, ... }`),
   * which `invocationType`, `clientContext` and `qualifier` need.
   * @default true
   */
  readonly payloadOnly?: boolean;
}

/** Props shared by every callback (`.waitForTaskToken`) factory. */
export interface CallbackOptions {
  /**
   * How long to wait for SendTaskSuccess/SendTaskFailure. Required: without
   * it a lost callback keeps the execution open for up to a year.
   */
  readonly taskTimeout: sfn.Timeout;
  /**
   * Fail when no SendTaskHeartbeat arrives in this time (AWS reports it as States.Timeout
   * for a callback task).
   * @default - no heartbeat
   */
  readonly heartbeatTimeout?: sfn.Timeout;
}

/** Props of {@link Task.lambdaCallback}. */
export interface LambdaCallbackTaskProps extends Omit<tasks.LambdaInvokeProps, 'payloadResponseOnly' | 'retryOnServiceExceptions' | 'integrationPattern' | 'taskTimeout' | 'heartbeatTimeout' | 'payload'>, LambdaTaskOptions, CallbackOptions {
  /** Event sent to the function; must contain the task token (`JsonPath.taskToken` or `{% $states.context.Task.Token %}`). */
  readonly payload: sfn.TaskInput;
}

/** Props of {@link Task.snsPublish}. */
export interface SnsPublishTaskProps extends tasks.SnsPublishProps {}
/** Props of {@link Task.dynamoPutItem}. */
export interface DynamoPutItemTaskProps extends tasks.DynamoPutItemProps {}
/** Props of {@link Task.dynamoGetItem}. */
export interface DynamoGetItemTaskProps extends tasks.DynamoGetItemProps {}
/** Props of {@link Task.dynamoUpdateItem}. */
export interface DynamoUpdateItemTaskProps extends tasks.DynamoUpdateItemProps {}
/** Props of {@link Task.eventBridgePutEvents}. */
export interface EventBridgePutEventsTaskProps extends tasks.EventBridgePutEventsProps {}
/** Props of {@link Task.awsSdkCall}. */
export interface AwsSdkCallTaskProps extends tasks.CallAwsServiceProps {}

/** Props of {@link Task.startExecution}. */
export interface StartExecutionTaskProps extends Omit<tasks.StepFunctionsStartExecutionProps, 'integrationPattern'> {
  /**
   * Wait for the child execution to finish (`states:startExecution.sync:2`)
   * and take its output as the result; `false` only starts it.
   * @default true
   */
  readonly waitForCompletion?: boolean;
}

/**
 * Factories for the service integrations used most in real state machines.
 * Each returns the aws-cdk-lib task class it wraps, so everything aws-cdk-lib
 * offers (`addRetry`, `addCatch`, `next`, IAM grants) keeps working; the
 * factories add sensible defaults and synth-time checks:
 *
 * - Lambda results are the function's payload, and Lambda's transient
 *   service errors are retried;
 * - a Lambda function defined in the app is called through its
 *   `currentVersion` (`pin`), and a warning names one that cannot be pinned;
 * - request-response tasks time out after {@link DEFAULT_TASK_TIMEOUT}
 *   (20 minutes) unless `taskTimeout` says otherwise, so the validator's
 *   TASK_WITHOUT_TIMEOUT never fires on them; callbacks and `.sync` child
 *   executions must set `taskTimeout`;
 * - callbacks need a task timeout and the task token in their payload;
 * - callbacks, `.sync` and activities are rejected in EXPRESS machines.
 *
 * @example
 * const charge = Task.lambdaInvoke(this, 'Charge card', {
 *   lambdaFunction: chargeFn.currentVersion,
 *   resultPath: '$.charge',
 * });
 * const approve = Task.lambdaCallback(this, 'Wait for approval', {
 *   lambdaFunction: notifyFn.currentVersion,
 *   payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
 *   taskTimeout: sfn.Timeout.duration(Duration.hours(24)),
 * });
 * new sfn.StateMachine(this, 'Orders', { definitionBody: sfn.DefinitionBody.fromChainable(charge.next(approve)) });
 */
export class Task {
  /**
   * Invokes a Lambda function and waits for its result (request-response).
   * The task result is the returned payload unless `payloadOnly: false`.
   */
  public static lambdaInvoke(scope: Construct, id: string, props: LambdaInvokeTaskProps): tasks.LambdaInvoke {
    const payloadOnly = props.payloadOnly ?? true;
    if (payloadOnly) {
      const needsEnvelope = (['invocationType', 'clientContext', 'qualifier'] as const).filter((k) => props[k] !== undefined);
      if (needsEnvelope.length > 0) {
        throw new BuilderValidationError(scope, needsEnvelope[0],
          `Task '${id}': '${needsEnvelope.join("', '")}' need(s) the full invoke response; set payloadOnly: false `
          + '(the result is then { Payload, StatusCode, ... }). To call a version or alias, pass lambda.Version or lambda.Alias as lambdaFunction instead of qualifier.');
      }
    }
    const { payloadOnly: _p, transientErrorRetry, pin, ...rest } = props;
    const lambdaFunction = props.qualifier === undefined ? pinnedFunction(scope, id, props.lambdaFunction, pin) : props.lambdaFunction;
    const invokeProps = { ...rest, lambdaFunction, payloadResponseOnly: payloadOnly, retryOnServiceExceptions: false };
    const task = new tasks.LambdaInvoke(scope, id, withDefaultTimeout(invokeProps));
    return finishLambdaTask(task, props.qualifier === undefined ? lambdaFunction : undefined, transientErrorRetry);
  }

  /**
   * Invokes a Lambda function with a task token and waits until something
   * calls SendTaskSuccess/SendTaskFailure with it (`lambda:invoke.waitForTaskToken`).
   * The result is the output given to SendTaskSuccess.
   */
  public static lambdaCallback(scope: Construct, id: string, props: LambdaCallbackTaskProps): tasks.LambdaInvoke {
    checkCallback(scope, id, { ...props, integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN }, props.payload.value, 'payload');
    const { transientErrorRetry, pin, ...rest } = props;
    const lambdaFunction = props.qualifier === undefined ? pinnedFunction(scope, id, props.lambdaFunction, pin) : props.lambdaFunction;
    const task = new tasks.LambdaInvoke(scope, id, {
      ...rest,
      lambdaFunction,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      retryOnServiceExceptions: false,
    });
    return finishLambdaTask(task, props.qualifier === undefined ? lambdaFunction : undefined, transientErrorRetry);
  }

  /** Publishes to an SNS topic (`sns:publish`); with `integrationPattern: WAIT_FOR_TASK_TOKEN` the message must carry the task token. */
  public static snsPublish(scope: Construct, id: string, props: SnsPublishTaskProps): tasks.SnsPublish {
    checkCallback(scope, id, props, props.message.value, 'message');
    return finish(new tasks.SnsPublish(scope, id, withDefaultTimeout(props)));
  }

  /** Writes an item (`dynamodb:putItem`). */
  public static dynamoPutItem(scope: Construct, id: string, props: DynamoPutItemTaskProps): tasks.DynamoPutItem {
    return finish(new tasks.DynamoPutItem(scope, id, withDefaultTimeout(props)));
  }

  /** Reads an item (`dynamodb:getItem`). */
  public static dynamoGetItem(scope: Construct, id: string, props: DynamoGetItemTaskProps): tasks.DynamoGetItem {
    return finish(new tasks.DynamoGetItem(scope, id, withDefaultTimeout(props)));
  }

  /** Updates an item (`dynamodb:updateItem`). */
  public static dynamoUpdateItem(scope: Construct, id: string, props: DynamoUpdateItemTaskProps): tasks.DynamoUpdateItem {
    return finish(new tasks.DynamoUpdateItem(scope, id, withDefaultTimeout(props)));
  }

  /** Sends events to EventBridge (`events:putEvents`); with a callback pattern an entry's detail must carry the task token. */
  public static eventBridgePutEvents(scope: Construct, id: string, props: EventBridgePutEventsTaskProps): tasks.EventBridgePutEvents {
    checkCallback(scope, id, props, props.entries.map((e) => e.detail.value), 'entries[].detail');
    return finish(new tasks.EventBridgePutEvents(scope, id, withDefaultTimeout(props)));
  }

  /** Calls any AWS API through the SDK integration (`aws-sdk:<service>:<action>`). */
  public static awsSdkCall(scope: Construct, id: string, props: AwsSdkCallTaskProps): tasks.CallAwsService {
    checkCallback(scope, id, props, props.parameters, 'parameters');
    return finish(new tasks.CallAwsService(scope, id, withDefaultTimeout(props)));
  }

  /**
   * Starts a nested state machine execution; by default waits for it
   * (`states:startExecution.sync:2`, result = the child's output, parsed JSON).
   * `stateMachine` may be a {@link StateMachineVersion}, a {@link StateMachineAlias}
   * or a qualified ARN, to pin the child's definition; the IAM then names the
   * child machine with a `states:StateMachineQualifier` condition, as Step Functions checks it.
   */
  public static startExecution(scope: Construct, id: string, props: StartExecutionTaskProps): tasks.StepFunctionsStartExecution {
    const { waitForCompletion, ...rest } = props;
    const wait = waitForCompletion ?? true;
    if (wait && props.taskTimeout === undefined && props.timeout === undefined) {
      throw new BuilderValidationError(scope, 'taskTimeout',
        `Task '${id}' waits for a child execution but has no taskTimeout; a Standard child may run for up to a year. `
        + 'Set taskTimeout, e.g. sfn.Timeout.duration(Duration.hours(1)), or waitForCompletion: false.');
    }
    const startProps = {
      // aws-cdk-lib's default input is the JSONPath '$', which JSONata would send as the string "$".
      ...(isJsonata(props.queryLanguage) && props.input === undefined ? { input: sfn.TaskInput.fromText('{% $states.input %}') } : {}),
      ...rest,
      integrationPattern: wait ? sfn.IntegrationPattern.RUN_JOB : sfn.IntegrationPattern.REQUEST_RESPONSE,
    };
    const task = new tasks.StepFunctionsStartExecution(scope, id, wait ? startProps : withDefaultTimeout(startProps));
    qualifyStartExecutionPolicies(task, props.stateMachine);
    return finish(task);
  }
}

interface CallbackCapableProps {
  readonly integrationPattern?: sfn.IntegrationPattern;
  readonly taskTimeout?: sfn.Timeout;
}

function checkCallback(scope: Construct, id: string, props: CallbackCapableProps, payload: unknown, field: string): void {
  if (props.integrationPattern !== sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN) return;
  if (props.taskTimeout === undefined) {
    throw new BuilderValidationError(scope, 'taskTimeout',
      `Task '${id}' waits for a task token but has no taskTimeout; a lost callback would keep the execution open for up to a year. `
      + 'Set taskTimeout, e.g. sfn.Timeout.duration(Duration.hours(1)).');
  }
  if (payload === undefined || !sfn.FieldUtils.containsTaskToken(payload as object)) {
    throw new BuilderValidationError(scope, field,
      `Task '${id}' waits for a task token but its ${field} does not contain it, so nobody could complete the task. `
      + "Include sfn.JsonPath.taskToken (JSONPath, '$$.Task.Token') or '{% $states.context.Task.Token %}' (JSONata).");
  }
}

/** The props with {@link DEFAULT_TASK_TIMEOUT} unless they set a timeout (or the deprecated `timeout`). */
function withDefaultTimeout<T extends sfn.TaskStateBaseProps>(props: T): T {
  if (props.taskTimeout !== undefined || props.timeout !== undefined) return props;
  return { ...props, taskTimeout: sfn.Timeout.duration(DEFAULT_TASK_TIMEOUT) };
}

function finish<T extends sfn.TaskStateBase>(task: T): T {
  validateExpressStateMachines(task);
  return guardJsonataFields(task);
}

/** `fn` is undefined when a `qualifier` pins the call. */
function finishLambdaTask(task: tasks.LambdaInvoke, fn: lambda.IFunction | undefined, retry: sfn.RetryProps | false | undefined): tasks.LambdaInvoke {
  if (retry !== false) task.addRetry(retry ?? LAMBDA_TRANSIENT_RETRY);
  if (fn !== undefined && !isQualifiedFunction(fn)) {
    Annotations.of(task).addWarningV2('stepwright:lambda-unqualified',
      `Task '${task.stateId}' invokes Lambda '${fn.node.path}' without a version or alias: executions running during a deploy switch to the new code mid-flight. `
      + 'Pass a lambda.Function defined in this app (pinned to its currentVersion unless pin: false), fn.currentVersion, or a lambda.Alias.');
  }
  return finish(task);
}
