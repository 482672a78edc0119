import type { LambdaClient } from '@aws-sdk/client-lambda';
import { invokeEnvelope, lambdaShapeOf } from './answers';
import { boundAnswers, ResponseDeadline, ResponseTooLarge } from './bounded-response';
import { endpointRequestHandler, withoutNodeVersionWarning } from './endpoint-clients';
import { sdkClientOf, type ResolvedEndpoints } from './endpoint-settings';
import { forwardedServiceOf, serviceTargetOf, type ServiceTarget } from './forwarded-tasks';
import { errorPrefixOf, ServiceCaller } from './service-endpoints';
import { parseLambdaTarget } from './targets';
import type { JsonObject, JsonValue } from '../../asl';
import { answerJudge } from '../../asl/answer-outcomes';
import { describeNonJsonText, jsonOrText } from '../../asl/json-value';
import { LambdaErrors } from '../../asl/lambda-errors';
import { ServiceErrors } from '../../asl/service-errors';
import { forEachState, isWalkable } from '../../asl/state-tree';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { JAVA_V1_SERVICE_NAMES, javaV1ExceptionCause } from '../../asl/task-failure-cause';
import type { Clock, TaskRequest } from '../../interpreter';
import { checkOptionalPeers, forwardingFeature, requireOptionalPeer } from '../common/optional-peers';

/**
 * Lambda's limit on what a synchronous invocation answers: 6,291,556 bytes. A
 * function that answers more gets `Function.ResponseSizeTooLarge` from Lambda,
 * as a function error; an endpoint that sends more is answered the same way,
 * and what it sends past the limit is not read.
 */
export const MAX_RESPONSE_PAYLOAD = 6_291_556;

/**
 * How long, on the execution's clock, a call to an endpoint may go unanswered:
 * 960 s. Lambda ends a function at 900 s (its longest timeout) and answers the
 * call then; the minute more is for an emulator that starts the function's
 * container first. An endpoint still silent after that is hung up on, and the
 * Task fails with `Lambda.ClientExecutionTimeoutException`, as the AWS SDK
 * names a call that ran past its client's limit, so a Retry on it applies.
 */
export const MAX_CALL_SECONDS = 960;

/** The optimized integration whose answers carry Lambda's FunctionError: its catalogue rule judges a function ARN's too. */
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

/** The time a forwarded call is bounded on: the execution's clock. */
export type CallClock = Pick<Clock, 'now' | 'sleepUntil'>;

/**
 * The services among {@link FORWARDED_SERVICES} whose Tasks a definition
 * calls (a Lambda function, an SQS, SNS or DynamoDB integration), in its
 * Parallel branches and Map processors too.
 * @internal
 */
export function forwardedServicesOf(definition: unknown): Set<string> {
  const out = new Set<string>();
  // A template's definition, not yet checked: walked as far as it goes.
  if (!isWalkable(definition)) return out;
  forEachState(definition, (_name, state) => {
    if (state.Type !== 'Task' || typeof state.Resource !== 'string') return;
    const service = forwardedServiceOf(state.Resource);
    if (service !== undefined) out.add(service);
  });
  return out;
}

/**
 * Sends the Tasks of the services given an endpoint there, through the AWS SDK
 * client of that service, and answers with what AWS would (for SQS, SNS and
 * DynamoDB see {@link ServiceCaller}): a Lambda Task (a
 * `lambda:invoke` or a function ARN `Resource`) calls the Lambda Invoke API of
 * the endpoint; the function's payload is the result (inside the invoke
 * envelope for `lambda:invoke`), a function error fails the Task with the
 * function's `errorType` and the error payload as cause, an error of the API
 * is `Lambda.<its name>`, and an endpoint that cannot be reached is
 * `Lambda.SdkClientException` naming it, as the AWS SDK reports a request it
 * could not send (so a Retry on it applies, as on AWS).
 *
 * What an endpoint answers is hostile until read: an answer past Lambda's
 * {@link MAX_RESPONSE_PAYLOAD} fails the Task with Lambda's own
 * `Function.ResponseSizeTooLarge` and is read no further; an error answer that
 * is not Lambda's JSON is `Lambda.AWSLambdaException` naming the status; a 2xx
 * answer that cannot be read (cut off, or JSON nested deeper than Step
 * Functions reads) is `Lambda.SdkClientException`; a call
 * unanswered after {@link MAX_CALL_SECONDS} is hung up on; a redirect is not followed.
 * @internal
 */
export class EndpointForwarder {
  private readonly clients = new Map<string, LambdaClient>();
  private readonly services: ServiceCaller;

  /**
   * @param unusable by service, the endpoints of Step Functions Local's variables that cannot be used
   *   ({@link resolveEndpoints}): a Task of such a service fails saying why, rather than being answered as if no endpoint were given
   * @throws MissingPackageError when the AWS SDK client of a service given an endpoint is not installed
   */
  constructor(
    private readonly endpoints: ReadonlyMap<string, URL>,
    private readonly region: string,
    private readonly unusable: ResolvedEndpoints['unusable'] = new Map(),
  ) {
    for (const [service, url] of endpoints) checkOptionalPeers(forwardingFeature(service, url), [sdkClientOf(service)]);
    this.services = new ServiceCaller(region, MAX_CALL_SECONDS * 1000);
  }

  /** True when some Task may be forwarded. */
  get active(): boolean {
    return this.endpoints.size > 0 || this.unusable.size > 0;
  }

  /** True when this Task goes to an endpoint: a Task of a service given an endpoint (a Lambda Task, an SQS, SNS or DynamoDB Task). */
  handles(request: TaskRequest): boolean {
    const service = forwardedServiceOf(request.resource);
    return service !== undefined && (this.endpoints.has(service) || this.unusable.has(service));
  }

  /** True when this Task goes to an endpoint of a service other than Lambda, whose answer is what its callback Task submitted. */
  handlesService(request: TaskRequest): boolean {
    const target = serviceTargetOf(request.resource);
    return target !== undefined && this.endpoints.has(target.service);
  }

  /**
   * The task result from the endpoint, or undefined when no endpoint answers this Task.
   * @param clock the execution's clock: the envelope's time, and the bound on a call that goes unanswered
   */
  forward(input: JsonValue, request: TaskRequest, clock: CallClock): Promise<JsonValue> | undefined {
    const shape = lambdaShapeOf(request.resource);
    // resolveEndpoints keeps a service out of `unusable` once it has an endpoint.
    const unusable = this.unusable.get(shape ? 'lambda' : serviceTargetOf(request.resource)?.service ?? '');
    if (unusable) {
      return Promise.reject(new StatesError(StatesErrors.RUNTIME,
        `Task '${request.stateName}' (resource ${request.resource}) cannot be sent to ${unusable.givenAs}: ${unusable.reason}`));
    }
    if (!shape) return this.forwardService(input, request, clock);
    const endpoint = this.endpoints.get('lambda');
    if (!endpoint) return undefined;
    const p = (input ?? {}) as JsonObject;
    const functionName = shape === 'invoke' ? p.FunctionName : request.resource;
    if (typeof functionName !== 'string') {
      return Promise.reject(new StatesError(StatesErrors.RUNTIME, `Task '${request.stateName}': lambda:invoke needs a FunctionName string to send to ${endpoint.href}`));
    }
    const payload = shape === 'invoke' ? p.Payload : input;
    const parsed = parseLambdaTarget(functionName);
    // A function's ARN names its region; a bare name or partial ARN is sent to the endpoint's region.
    const region = parsed?.region || this.region;
    // A function ARN Resource is sent as Step Functions Local sends it: the function's name, its qualifier apart.
    const target = shape === 'function' ? parsed : undefined;
    const name = target?.name ?? functionName;
    const params = shape === 'invoke' ? p : target?.qualifier !== undefined ? { Qualifier: target.qualifier } : {};
    return this.bounded(request, clock, () => lambdaTimeout(endpoint), (signal) => this.invoke(endpoint, name, region, payload, params, signal))
      .then(({ body, functionError, requestId, executedVersion, statusCode }) => {
        const answer = {
          ...invokeEnvelope(body, requestId, clock.now(), { status: statusCode, version: executedVersion }),
          ...(functionError !== undefined ? { FunctionError: functionError } : {}),
        };
        // lambda:invoke's answer is judged where every answer is (the dispatcher); a function ARN's result is
        // the payload alone, so its function error is judged here, by the same rule of the catalogue.
        if (shape === 'invoke') return answer;
        const failure = functionError !== undefined ? answerJudge(LAMBDA_INVOKE)?.(answer) : undefined;
        if (failure) throw failure;
        return body;
      });
  }

  /** An SQS, SNS or DynamoDB Task sent to its service's endpoint, or undefined when none is given for it. */
  private forwardService(input: JsonValue, request: TaskRequest, clock: CallClock): Promise<JsonValue> | undefined {
    const target = serviceTargetOf(request.resource);
    const endpoint = target ? this.endpoints.get(target.service) : undefined;
    if (!target || !endpoint) return undefined;
    return this.bounded(request, clock, () => serviceTimeout(target, endpoint),
      (signal) => this.services.call(target, endpoint, input, request.stateName, signal));
  }

  /**
   * Runs a call until it settles, the Task gives up on it (its signal), or
   * {@link MAX_CALL_SECONDS} pass on the execution's clock; in the last two
   * cases the request is aborted, so its socket is closed.
   */
  private async bounded<T>(
    request: TaskRequest, clock: CallClock, timedOut: () => StatesError, call: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const abort = new AbortController();
    const stopped = (): void => abort.abort(request.signal.reason);
    request.signal.addEventListener('abort', stopped, { once: true });
    if (request.signal.aborted) stopped();
    // Loaded here: the server loads the interpreter only when it first runs something, as by now it has.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous, lazy load
    const { CancelSource } = require('../../interpreter/cancel') as typeof import('../../interpreter/cancel');
    const timer = new CancelSource();
    const expired = clock.sleepUntil(clock.now() + MAX_CALL_SECONDS * 1000, timer).then((): never => {
      abort.abort();
      throw timedOut();
    });
    try {
      return await Promise.race([call(abort.signal), expired]);
    } finally {
      timer.cancel();
      request.signal.removeEventListener('abort', stopped);
    }
  }

  /** Drops the clients (their sockets are not kept alive, so nothing waits on them). */
  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
    this.services.destroy();
  }

  private async invoke(
    endpoint: URL, functionName: string, region: string, payload: JsonValue | undefined, params: JsonObject, signal: AbortSignal,
  ): Promise<{ body: JsonValue; functionError: string | undefined; requestId: string; executedVersion: string; statusCode: number }> {
    // Loaded on first use: most runs forward nothing, and the SDK takes longer to load than the rest.
    const sdk = requireOptionalPeer<typeof import('@aws-sdk/client-lambda')>('@aws-sdk/client-lambda', forwardingFeature('lambda', endpoint));
    const client = this.client(sdk, endpoint, region);
    const optional = (name: string): string | undefined => (typeof params[name] === 'string' ? params[name] as string : undefined);
    let answer;
    try {
      answer = await client.send(new sdk.InvokeCommand({
        FunctionName: functionName,
        Payload: payload === undefined ? undefined : Buffer.from(JSON.stringify(payload)),
        Qualifier: optional('Qualifier'),
        InvocationType: optional('InvocationType') as 'RequestResponse' | 'Event' | 'DryRun' | undefined,
        ClientContext: optional('ClientContext'),
        LogType: optional('LogType') as 'None' | 'Tail' | undefined,
      }), { abortSignal: signal });
    } catch (e) {
      if (e instanceof ResponseDeadline) throw lambdaTimeout(endpoint);
      if (e instanceof ResponseTooLarge && e.status >= 300) {
        throw new StatesError(LambdaErrors.AWS_LAMBDA,
          `The Lambda endpoint ${endpoint.href} answered status ${e.status} with ${e.announced ? '' : 'more than '}${e.bytes} bytes, `
          + `more than Lambda answers (${MAX_RESPONSE_PAYLOAD}): no more of it was read (Service: Lambda, Status Code: ${e.status})`);
      }
      if (e instanceof ResponseTooLarge) {
        // Lambda's own answer to a function that returned too much: a function error, its payload the error.
        const text = JSON.stringify({
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_PAYLOAD} bytes).`,
        });
        return { body: text, functionError: 'Unhandled', requestId: '00000000-0000-4000-8000-000000000000', executedVersion: '$LATEST', statusCode: 200 };
      }
      throw apiError(e, endpoint);
    }
    const text = answer.Payload ? Buffer.from(answer.Payload).toString('utf8') : '';
    const requestId = answer.$metadata.requestId ?? '00000000-0000-4000-8000-000000000000';
    const executedVersion = answer.ExecutedVersion ?? '$LATEST';
    const statusCode = answer.StatusCode ?? 200;
    // A function error's payload is the error's text as Lambda sent it: the cause the catalogue's rule gives the Task.
    if (answer.FunctionError) return { body: text, functionError: answer.FunctionError, requestId, executedVersion, statusCode };
    const body = parsePayload(text);
    // Step Functions reads the payload with Jackson, which refuses nesting past 1,000 levels; nothing after this could carry it
    // either (a RangeError deep in a copy). An answer the client cannot read is the SDK's SdkClientException, the name Step
    // Functions Local's Lambda client gives one, and the one a cut-off body gets here (see apiError): a Retry or Catch names it.
    const unreadable = describeNonJsonText(body);
    if (unreadable !== undefined) {
      throw new StatesError(LambdaErrors.SDK_CLIENT,
        `Unable to read the answer of the Lambda endpoint ${endpoint.href}: the payload is not JSON Step Functions can read: ${unreadable} (Request ID: ${requestId})`);
    }
    return { body, functionError: undefined, requestId, executedVersion, statusCode };
  }

  private client(sdk: typeof import('@aws-sdk/client-lambda'), endpoint: URL, region: string): LambdaClient {
    const key = `${endpoint.href}\n${region}`;
    let c = this.clients.get(key);
    if (!c) {
      const env = process.env;
      c = withoutNodeVersionWarning(() => new sdk.LambdaClient({
        endpoint: endpoint.href,
        region,
        // A local emulator takes any credentials, as Step Functions Local sends it none of yours.
        credentials: env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
          : { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
        requestHandler: endpointRequestHandler(),
      }));
      // Where the answer comes in, before the SDK holds it: its bytes, and its whole (a drip included) by the deadline in real time too.
      boundAnswers(c, { maxBytes: MAX_RESPONSE_PAYLOAD, deadlineMs: MAX_CALL_SECONDS * 1000 });
      this.clients.set(key, c);
    }
    return c;
  }
}

/** A Lambda endpoint silent past {@link MAX_CALL_SECONDS}. */
function lambdaTimeout(endpoint: URL): StatesError {
  return new StatesError(LambdaErrors.CLIENT_EXECUTION_TIMEOUT,
    `The Lambda endpoint ${endpoint.href} did not answer within ${MAX_CALL_SECONDS} seconds of the execution's time, `
    + 'longer than Lambda lets a function run (900 seconds): the call was abandoned');
}

/**
 * An SQS, SNS or DynamoDB endpoint silent past {@link MAX_CALL_SECONDS}, the
 * same bound as Lambda's: named as the client's own time limit, with the
 * integration's prefix, so a Retry on it applies.
 */
function serviceTimeout(target: ServiceTarget, endpoint: URL): StatesError {
  return new StatesError(ServiceErrors.clientExecutionTimeout(errorPrefixOf(target)),
    `The ${target.service} endpoint ${endpoint.href} did not answer within ${MAX_CALL_SECONDS} seconds of the execution's time: the call was abandoned`);
}

/**
 * The function's payload as JSON; a payload that is not JSON is kept as its text, the empty one
 * of an Event or DryRun invocation too (as inline code's, unansweredInvokeEnvelope).
 */
function parsePayload(text: string): JsonValue {
  return jsonOrText(text);
}

/**
 * Lambda's refusal as the Task's cause, in the words of the AWS SDK for Java 1.x, which Step
 * Functions calls the optimized `lambda:invoke` and a function's ARN with (the only Resources sent
 * to a Lambda endpoint; task-failure-cause.ts; recorded:
 * error_handling/TestTaskServiceLambda_test_no_such_function, `(Service: AWSLambda; Status Code:
 * 404; Error Code: ResourceNotFoundException; …)`).
 */
function lambdaCause(message: string, status: number, code: string | null, requestId: string): string {
  return javaV1ExceptionCause({ message, service: JAVA_V1_SERVICE_NAMES.lambda, status, code, requestId });
}

/** What the SDK raised, as the Task error AWS reports for it. */
function apiError(e: unknown, endpoint: URL): StatesError {
  const err = e as Error & { $metadata?: { httpStatusCode?: number; requestId?: string }; $fault?: string; code?: string };
  const status = err?.$metadata?.httpStatusCode;
  if (status !== undefined && err.$fault === undefined) {
    // The SDK could not read the answer as Lambda's (its own words are about its hidden fields, not the endpoint).
    const requestId = err.$metadata?.requestId ?? 'none';
    if (status < 300) {
      return new StatesError(LambdaErrors.SDK_CLIENT,
        `Unable to read the answer of the Lambda endpoint ${endpoint.href}: status ${status}, but the body was cut off or is not what Lambda answers (Request ID: ${requestId})`);
    }
    return new StatesError(LambdaErrors.AWS_LAMBDA,
      lambdaCause(`The Lambda endpoint ${endpoint.href} answered status ${status} with a body that is not a Lambda error`, status, null, requestId));
  }
  if (status !== undefined) {
    const cause = lambdaCause(err.message, status, err.name, err.$metadata?.requestId ?? 'none');
    return new StatesError(`Lambda.${err.name}`, `${cause} from the endpoint ${endpoint.href}`);
  }
  if (err?.name === 'AbortError') return new StatesError(StatesErrors.RUNTIME, `the call to the Lambda endpoint ${endpoint.href} was aborted: ${err.message}`);
  return new StatesError(LambdaErrors.SDK_CLIENT, `Unable to execute HTTP request to the Lambda endpoint ${endpoint.href}: ${err?.code ? `${err.code} ` : ''}${err?.message ?? String(e)}`);
}
