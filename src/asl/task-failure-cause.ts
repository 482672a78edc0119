import { isStatesErrorName, isTimeoutError } from './states-errors';
import { answeredByWorker, isLambdaInvoke, taskResource } from './task-resource';

/*
 * The Cause AWS gives with a Task's failure, by who raised it. Every failure a service or a
 * function raises carries one (the recorded executions of ../shared/conformance have no
 * TaskFailed or LambdaFunctionFailed without it); only Step Functions' own timeouts come
 * without (TaskTimedOut: `error` alone, as recorded in
 * callback/TestCallback_test_sqs_wait_for_task_token_timeout and
 * timeouts/TestTimeouts_test_fixed_timeout_service_lambda). Its shape is the raiser's:
 *
 * - a Lambda function: the error payload its runtime writes, JSON of `errorType`,
 *   `errorMessage` and `trace` (Node.js; recorded Python ones carry `stackTrace`); Lambda's own
 *   exceptions (`Lambda.TooManyRequestsException`) are its API's, worded as an optimized one's;
 * - an AWS SDK integration (`aws-sdk:`): the AWS SDK for Java 2.x's message,
 *   `<message> (Service: Sfn, Status Code: 400, Request ID: <id>) (SDK Attempt Count: 1)`
 *   (recorded: aws-sdk:s3, aws-sdk:secretsmanager, aws-sdk:sfn; see sdkExceptionCause for the
 *   attempt count);
 * - an optimized integration: the AWS SDK for Java 1.x's message, `<message> (Service:
 *   AmazonSQS; Status Code: 400; Error Code: <code>; Request ID: <id>; Proxy: null)` (recorded:
 *   dynamodb, sns, states);
 * - a callback's or an activity's worker: what it sent as SendTaskFailure's `cause`, any text,
 *   or none: SendTaskFailure requires `taskToken` alone, its `error` and `cause` are optional
 *   (AWS Step Functions API reference, SendTaskFailure: Request Parameters; AWS's model of it in
 *   server/validation/stepfunctions-model.generated.ts), so a worker's failure may come without
 *   a Cause, and a Catch then passes on `{"Error"}` alone.
 */

/** The Node.js runtime's error payload of a Lambda function that threw: the Cause of its failure. */
export function lambdaErrorPayload(errorType: string, errorMessage: string, trace: readonly string[] = []): string {
  return JSON.stringify({ errorType, errorMessage, trace });
}

/** What a service's exception says besides its name. */
export interface ServiceExceptionFacts {
  readonly message: string;
  /** The service as the SDK names it in the message (`Sqs`; for Java 1.x, `AmazonSQS`). */
  readonly service: string;
  readonly status: number;
  readonly requestId: string;
  /** The error code the service answered (Java 1.x messages only). */
  readonly code?: string | null;
  /** S3's second request id (`x-amz-id-2`), which the AWS SDK for Java 2.x names after the first (S3 only). */
  readonly extendedRequestId?: string;
}

/**
 * The Cause of an AWS SDK integration's failure: the AWS SDK for Java 2.x's exception message,
 * `<message> (Service: <service>, Status Code: <status>, Request ID: <id>) (SDK Attempt Count: 1)`.
 *
 * The attempt count: the SDK appends it to every exception's message since early 2025
 * (aws/aws-sdk-java-v2 pull request 5834, "Adding attempt count to error message"), and AWS's
 * recordings follow that date: the aws-sdk:sfn refusal recorded in November 2025 carries it
 * (services/TestTaskServiceAwsSdk_test_sfn_send_task_outcome_with_no_such_token), while the
 * aws-sdk:secretsmanager and aws-sdk:s3 refusals recorded in June 2023 and on 22 January 2025
 * (error_handling/TestAwsSdk_test_invalid_secret_name, …_test_no_such_bucket,
 * …_test_s3_no_such_key) predate it. Step Functions today answers as the newest recording: one
 * attempt, since every recorded refusal is a client error, which the SDK does not try again.
 * Optimized integrations' causes (the SDK for Java 1.x's, javaV1ExceptionCause) never carry it.
 */
export function sdkExceptionCause(f: ServiceExceptionFacts): string {
  const extended = f.extendedRequestId !== undefined ? `, Extended Request ID: ${f.extendedRequestId}` : '';
  return `${f.message} (Service: ${f.service}, Status Code: ${f.status}, Request ID: ${f.requestId}${extended}) (SDK Attempt Count: 1)`;
}

/** The Cause of an optimized integration's failure: the AWS SDK for Java 1.x's exception message. */
export function javaV1ExceptionCause(f: ServiceExceptionFacts): string {
  return `${f.message} (Service: ${f.service}; Status Code: ${f.status}; Error Code: ${f.code ?? 'null'}; Request ID: ${f.requestId}; Proxy: null)`;
}

/**
 * How the AWS SDK for Java 1.x names the services of the optimized integrations whose failures
 * are recorded, by the service of their Resource; another is named by its catalogue row's error
 * prefix.
 */
export const JAVA_V1_SERVICE_NAMES: Readonly<Record<string, string>> = {
  sqs: 'AmazonSQS',
  sns: 'AmazonSNS',
  dynamodb: 'AmazonDynamoDBv2',
  states: 'AWSStepFunctions',
  lambda: 'AWSLambda',
};

/**
 * Whether a failure of the Task behind `resource` that is no timeout may come without a Cause: a
 * callback's or an activity's, which its worker reports with SendTaskFailure, whose `cause` is
 * optional. A Lambda function's or a service's failure always carries one. A failure someone
 * makes up for such a Task is tried both ways: a `Fail`'s `CausePath` or a `Choice` reading the
 * caught Cause goes elsewhere without it.
 */
export function causeIsOptional(resource: unknown): boolean {
  return typeof resource === 'string' && answeredByWorker(taskResource(resource));
}

/**
 * A request id for a failure nobody's request made (a made-up one, or the local S3's): fixed, so
 * a run made again reads the same.
 * @internal
 */
export const MADE_UP_REQUEST_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The Cause of a failure with `error` that the service or function behind `resource` raises,
 * shaped as that raiser gives it, with `message` as its text; undefined for a timeout, which AWS
 * raises without one. For a failure someone makes up (explore's and verify's), so that a
 * property, a `Catch`'s `ResultPath` or a `Fail`'s `CausePath` reading the Cause sees what AWS
 * would give.
 */
export function taskFailureCause(resource: unknown, error: string, message: string): string | undefined {
  if (isTimeoutError(error)) return undefined;
  if (typeof resource !== 'string') return message;
  const parsed = taskResource(resource);
  // A worker's SendTaskFailure names its own cause: any text.
  if (answeredByWorker(parsed)) return message;
  // Step Functions' own names (States.TaskFailed, States.Permissions) are no function's or service's exception.
  if (isStatesErrorName(error)) return message;
  const dot = error.indexOf('.');
  const prefix = dot > 0 ? error.slice(0, dot) : undefined;
  const name = dot > 0 ? error.slice(dot + 1) : error;
  if (parsed.kind === 'lambda-arn' || isLambdaInvoke(parsed)) {
    // Lambda's own exceptions (Lambda.TooManyRequestsException) are the Invoke API's, worded by
    // the AWS SDK for Java 1.x (developer guide, bp-lambda-serviceexception); any other name is the function's.
    const service = prefix === 'Lambda' && name.endsWith('Exception');
    return service
      ? javaV1ExceptionCause({ message, service: JAVA_V1_SERVICE_NAMES.lambda, status: 400, code: name, requestId: MADE_UP_REQUEST_ID })
      : lambdaErrorPayload(error, message);
  }
  if (parsed.kind === 'aws-sdk') {
    return sdkExceptionCause({ message, service: prefix ?? parsed.service ?? 'Unknown', status: 400, requestId: MADE_UP_REQUEST_ID });
  }
  if (parsed.kind === 'optimized' && prefix !== undefined) {
    const service = (parsed.service !== undefined ? JAVA_V1_SERVICE_NAMES[parsed.service] : undefined) ?? parsed.row?.errorPrefix ?? prefix;
    return javaV1ExceptionCause({ message, service, status: 400, code: name, requestId: MADE_UP_REQUEST_ID });
  }
  return message;
}
