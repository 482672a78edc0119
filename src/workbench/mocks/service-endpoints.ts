/*
 * Tasks of Amazon SQS, Amazon SNS and Amazon DynamoDB sent to an endpoint of
 * your own (ElasticMQ, LocalStack, DynamoDB Local, ...), as Step Functions
 * Local sends them to SQS_ENDPOINT, SNS_ENDPOINT and DYNAMODB_ENDPOINT, through
 * the official AWS SDK client of each service.
 *
 * What AWS answers, and how it names failures (the Step Functions Developer
 * Guide and recorded executions):
 * - an optimized integration (`arn:aws:states:::sqs:sendMessage`) gives the
 *   API's response fields with `SdkHttpMetadata` and `SdkResponseMetadata`
 *   beside them, and fails with `<SERVICE>.<exception class>` of the AWS SDK
 *   for Java 1.x (`SQS.QueueDoesNotExistException`, and for an error the
 *   service does not model, its base class: `DynamoDB.AmazonDynamoDBException`),
 *   the cause `<message> (Service: AmazonSQS; Status Code: 400; Error Code:
 *   <code>; Request ID: <id>; Proxy: null)`;
 * - an AWS SDK integration (`arn:aws:states:::aws-sdk:sqs:sendMessage`) gives
 *   the API's response alone, and fails with `<Service>.<error>Exception`
 *   (`Sqs.QueueDoesNotExistException`; an error the service does not model is
 *   `Sqs.SqsException`), the cause `<message> (Service: Sqs, Status Code: 400,
 *   Request ID: <id>)`;
 * - a request that could not be sent is `<prefix>.SdkClientException`.
 */
import { boundAnswers, ResponseDeadline, ResponseTooLarge } from './bounded-response';
import { endpointRequestHandler, withoutNodeVersionWarning } from './endpoint-clients';
import type { AwsService, ServiceTarget } from './forwarded-tasks';
import { contracts } from './lazy-contracts';
import type { JsonObject, JsonValue } from '../../asl';
import { ServiceErrors } from '../../asl/service-errors';
import { StatesErrors, StatesError } from '../../asl/states-errors';
import { JAVA_V1_SERVICE_NAMES, javaV1ExceptionCause, sdkExceptionCause } from '../../asl/task-failure-cause';
import { forwardingFeature, requireOptionalPeer } from '../common/optional-peers';


/** How one service's Tasks are named and answered. */
interface ServiceFacts {
  /** The error prefix of its optimized integrations (`SQS`). */
  readonly optimized: string;
  /** The error prefix of its AWS SDK integrations (`Sqs`), and its name in their causes. */
  readonly sdk: string;
  /** Its name in the causes of its optimized integrations, as the AWS SDK for Java 1.x gives it. */
  readonly javaService: string;
  /** The error of its optimized integrations for an error the service does not model. */
  readonly javaBase: string;
}

const FACTS: ReadonlyMap<AwsService, ServiceFacts> = new Map<AwsService, ServiceFacts>([
  ['sqs', { optimized: 'SQS', sdk: 'Sqs', javaService: JAVA_V1_SERVICE_NAMES.sqs, javaBase: 'AmazonSQSException' }],
  ['sns', { optimized: 'SNS', sdk: 'Sns', javaService: JAVA_V1_SERVICE_NAMES.sns, javaBase: 'AmazonSNSException' }],
  ['dynamodb', {
    optimized: 'DynamoDB',
    sdk: 'DynamoDb',
    javaService: JAVA_V1_SERVICE_NAMES.dynamodb,
    javaBase: 'AmazonDynamoDBException',
  }],
]);

/**
 * The most any of these services answers one call with: 16 MiB (DynamoDB's
 * BatchGetItem). An answer past it could never fit in a Task's result (256 KiB),
 * so it fails with `States.DataLimitExceeded`, as that result would on AWS, and
 * is read no further.
 * @internal
 */
export const MAX_SERVICE_RESPONSE = 16 * 1024 * 1024;

/** The prefix a Task of one of these services names its errors with: `SQS` (optimized), `Sqs` (AWS SDK). @internal */
export function errorPrefixOf(target: ServiceTarget): string {
  const facts = FACTS.get(target.service)!;
  return target.integration === 'optimized' ? facts.optimized : facts.sdk;
}

/** One client per service, endpoint and region; its sockets are not kept alive. */
interface SdkClient {
  readonly config: object;
  send(command: unknown, options: { abortSignal: AbortSignal }): Promise<Record<string, unknown>>;
  destroy(): void;
}

/** A command of a client's module, built from its input. */
type CommandClass = new (input: object) => { readonly middlewareStack: { add(mw: unknown, options: object): void } };

/** What one SDK module offers: its client, its commands and the base class of its unmodeled errors. */
interface SdkModule {
  readonly Client: new (config: object) => SdkClient;
  readonly exports: Record<string, unknown>;
  readonly ServiceException: abstract new (...args: never[]) => Error;
}

/** Loaded on first use: most runs forward nothing, and each SDK takes longer to load than the rest. */
function load(service: AwsService, endpoint: URL): SdkModule {
  const feature = forwardingFeature(service, endpoint);
  switch (service) {
    case 'sqs': {
      const m = requireOptionalPeer<typeof import('@aws-sdk/client-sqs')>('@aws-sdk/client-sqs', feature);
      return { Client: m.SQSClient as never, exports: m as never, ServiceException: m.SQSServiceException };
    }
    case 'sns': {
      const m = requireOptionalPeer<typeof import('@aws-sdk/client-sns')>('@aws-sdk/client-sns', feature);
      return { Client: m.SNSClient as never, exports: m as never, ServiceException: m.SNSServiceException };
    }
    case 'dynamodb': {
      const m = requireOptionalPeer<typeof import('@aws-sdk/client-dynamodb')>('@aws-sdk/client-dynamodb', feature);
      return { Client: m.DynamoDBClient as never, exports: m as never, ServiceException: m.DynamoDBServiceException };
    }
  }
}

/** The HTTP answer a call got, for `SdkHttpMetadata`. */
interface Seen {
  status?: number;
  headers?: Record<string, string | undefined>;
}

/**
 * Calls one service Task's API on an endpoint, through the service's own AWS
 * SDK v3 client, and answers as Step Functions does (see the file's comment).
 * @internal
 */
export class ServiceCaller {
  private readonly clients = new Map<string, { client: SdkClient; sdk: SdkModule }>();

  /**
   * @param region the region the clients sign for
   * @param deadlineMs real milliseconds one call may take, to the last byte of its answer
   */
  constructor(private readonly region: string, private readonly deadlineMs: number) {}

  async call(target: ServiceTarget, endpoint: URL, input: JsonValue, stateName: string, signal: AbortSignal): Promise<JsonValue> {
    const facts = FACTS.get(target.service)!;
    const { client, sdk } = this.client(target.service, endpoint);
    const commandName = `${target.action[0].toUpperCase()}${target.action.slice(1)}Command`;
    const Command = Object.hasOwn(sdk.exports, commandName) ? sdk.exports[commandName] : undefined;
    if (typeof Command !== 'function') {
      throw new StatesError(StatesErrors.RUNTIME,
        `Task '${stateName}': ${target.service} has no API action '${target.action}' to send to ${endpoint.href}; give the action as the ${facts.sdk} API names it, in camelCase (e.g. ${target.service === 'sqs' ? 'sendMessage' : target.service === 'sns' ? 'publish' : 'putItem'})`);
    }
    if (input !== null && input !== undefined && (typeof input !== 'object' || Array.isArray(input))) {
      throw new StatesError(StatesErrors.RUNTIME, `Task '${stateName}': the parameters of ${target.service}:${target.action} must be a JSON object, got ${JSON.stringify(input).slice(0, 100)}`);
    }
    const params = target.integration === 'optimized' ? optimizedParameters(target, (input ?? {}) as JsonObject) : (input ?? {}) as JsonObject;
    const command = new (Command as CommandClass)(withBinary(target.service, params) as object);
    const seen: Seen = {};
    type Next = (args: unknown) => Promise<{ response?: { statusCode?: number; headers?: Record<string, string> } }>;
    command.middlewareStack.add((next: Next) => async (args: unknown) => {
      const out = await next(args);
      seen.status = out.response?.statusCode;
      seen.headers = out.response?.headers;
      return out;
    }, { step: 'deserialize', priority: 'low', name: 'stepwrightSeenResponse' });
    let answer: Record<string, unknown>;
    try {
      answer = await client.send(command, { abortSignal: signal });
    } catch (e) {
      throw serviceError(e, target, facts, sdk, endpoint);
    }
    const fields = toJson(answer, endpoint) as JsonObject;
    if (target.integration === 'sdk') return fields;
    const requestId = (answer.$metadata as { requestId?: string } | undefined)?.requestId ?? seen.headers?.['x-amzn-requestid'] ?? '';
    return { ...fields, ...sdkMetadata(seen, requestId) };
  }

  /** Drops the clients (their sockets are not kept alive, so nothing waits on them). */
  destroy(): void {
    for (const c of this.clients.values()) c.client.destroy();
    this.clients.clear();
  }

  private client(service: AwsService, endpoint: URL): { client: SdkClient; sdk: SdkModule } {
    const key = `${service}\n${endpoint.href}`;
    let c = this.clients.get(key);
    if (!c) {
      const sdk = load(service, endpoint);
      const env = process.env;
      const client = withoutNodeVersionWarning(() => new sdk.Client({
        endpoint: endpoint.href,
        region: this.region,
        // A local emulator takes any credentials, as Step Functions Local sends it none of yours.
        credentials: env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
          : { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
        // The endpoint given is where SQS calls go, whatever host a QueueUrl names (as Step Functions Local sends them).
        ...(service === 'sqs' ? { useQueueUrlAsEndpoint: false } : {}),
        requestHandler: endpointRequestHandler(),
      }));
      // Each answer is bounded where it comes in: its bytes, and its whole, a drip included, by the deadline.
      boundAnswers(client, { maxBytes: MAX_SERVICE_RESPONSE, deadlineMs: this.deadlineMs });
      c = { client, sdk };
      this.clients.set(key, c);
    }
    return c;
  }
}

/**
 * The optimized integrations take a JSON value where the API takes a string
 * (SQS's MessageBody, SNS's Message) and send it as its JSON text.
 */
function optimizedParameters(target: ServiceTarget, input: JsonObject): JsonObject {
  const field = target.service === 'sqs' ? 'MessageBody' : target.service === 'sns' ? 'Message' : undefined;
  if (!field || !Object.hasOwn(input, field)) return input;
  const value = input[field];
  return typeof value === 'string' ? input : { ...input, [field]: JSON.stringify(value) };
}

/** The AttributeValue types of DynamoDB: an object with one of these keys alone is an attribute value. */
const ATTRIBUTE_TYPES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);

/** A base64 text as bytes; anything else as it is (the SDK then says what is wrong with it). */
const bytes = (v: unknown): unknown => (typeof v === 'string' ? Buffer.from(v, 'base64') : v);

/**
 * The parameters with their binary values as bytes, as the SDK takes them:
 * Step Functions takes them as base64 text (DynamoDB's `B` and `BS`, a message
 * attribute's `BinaryValue`), which the SDK would otherwise send as it is or
 * encode a second time.
 */
function withBinary(service: AwsService, value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withBinary(service, v, depth + 1));
  const entries = Object.entries(value as Record<string, unknown>);
  const attribute = service === 'dynamodb' && entries.length === 1 && ATTRIBUTE_TYPES.has(entries[0][0]);
  // Object.fromEntries defines each key as its own, `__proto__` too.
  return Object.fromEntries(entries.map(([k, v]) => {
    if (attribute && k === 'B') return [k, bytes(v)];
    if (attribute && k === 'BS' && Array.isArray(v)) return [k, v.map(bytes)];
    if (service !== 'dynamodb' && k === 'BinaryValue') return [k, bytes(v)];
    if (service !== 'dynamodb' && k === 'BinaryListValues' && Array.isArray(v)) return [k, v.map(bytes)];
    return [k, withBinary(service, v, depth + 1)];
  }));
}

/**
 * How deep an answer may nest: 128 levels, room for an item nested as deep as
 * DynamoDB lets it (32 levels, each an attribute value and its map or list)
 * and the answer's own levels around it.
 * @internal
 */
export const MAX_ANSWER_DEPTH = 128;

/**
 * What the SDK answered, as JSON: `$metadata` and absent fields dropped,
 * binary values as base64 (as Step Functions gives DynamoDB's `B`), times as
 * ISO 8601 text.
 */
function toJson(value: unknown, endpoint: URL, depth = 0): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (depth > MAX_ANSWER_DEPTH) {
    throw new StatesError(StatesErrors.RUNTIME, `the endpoint ${endpoint.href} answered values nested deeper than ${MAX_ANSWER_DEPTH} levels, deeper than the service answers`);
  }
  if (value instanceof Set) return [...value].map((v) => toJson(v, endpoint, depth + 1));
  if (Array.isArray(value)) return value.map((v) => toJson(v, endpoint, depth + 1));
  if (typeof value === 'object') {
    // Object.fromEntries defines each key as its own: an attribute named `__proto__` stays an attribute.
    return Object.fromEntries(Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && !(depth === 0 && k === '$metadata'))
      .map(([k, v]) => [k, toJson(v, endpoint, depth + 1)]));
  }
  return null;
}

/** `SdkHttpMetadata` and `SdkResponseMetadata`, as an optimized integration gives them, from the HTTP answer the endpoint sent. */
function sdkMetadata(seen: Seen, requestId: string): JsonObject {
  const all: JsonObject = {};
  const one: JsonObject = {};
  for (const [name, value] of Object.entries(seen.headers ?? {})) {
    if (value === undefined) continue;
    all[name] = [value];
    one[name] = value;
  }
  return {
    SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: one, HttpStatusCode: seen.status ?? 200 },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/**
 * The name of an error the service's model names (the SDK's class for it is named after the
 * model's shape), as contracts/error-names.ts names a model's errors: the SDK for Java 2.x's class
 * for an AWS SDK integration (`KMSDisabledException` → `KmsDisabledException`), the SDK for Java
 * 1.x's for an optimized one (`QueueDoesNotExist` → `QueueDoesNotExistException`).
 */
function modeledErrorName(shape: string, optimized: boolean, prefix: string): string {
  const { optimizedErrorName, sdkErrorName } = contracts();
  return optimized ? optimizedErrorName(shape) : sdkErrorName(shape, prefix);
}

/** What the SDK raised, as the Task error Step Functions reports for it. */
function serviceError(e: unknown, target: ServiceTarget, facts: ServiceFacts, sdk: SdkModule, endpoint: URL): StatesError {
  const optimized = target.integration === 'optimized';
  const prefix = errorPrefixOf(target);
  const err = e as Error & { $metadata?: { httpStatusCode?: number; requestId?: string }; $fault?: string; code?: string; Code?: string };
  if (e instanceof ResponseTooLarge) {
    return new StatesError(StatesErrors.DATA_LIMIT_EXCEEDED,
      `The ${facts.sdk} endpoint ${endpoint.href} answered status ${e.status} with ${e.announced ? '' : 'more than '}${e.bytes} bytes, `
      + `more than ${facts.sdk} answers one call with (${MAX_SERVICE_RESPONSE}) and more than a Task's result may hold: no more of it was read`);
  }
  if (e instanceof ResponseDeadline) {
    // The AWS SDK for Java names a call past its client's time limit so: a Retry on it applies.
    return new StatesError(ServiceErrors.clientExecutionTimeout(prefix),
      `The ${facts.sdk} endpoint ${endpoint.href} had not answered whole within ${e.ms / 1000} s of real time: the call was abandoned`);
  }
  const status = err?.$metadata?.httpStatusCode;
  const requestId = err?.$metadata?.requestId ?? 'none';
  if (status !== undefined && err.$fault === undefined) {
    // The SDK could not read the answer as the service's (its own words are about its hidden fields, not the endpoint).
    if (status < 300) {
      return new StatesError(ServiceErrors.sdkClient(prefix),
        `Unable to read the answer of the ${facts.sdk} endpoint ${endpoint.href}: status ${status}, but the body was cut off or is not what ${facts.sdk} answers (Request ID: ${requestId})`);
    }
    const message = `The ${facts.sdk} endpoint ${endpoint.href} answered status ${status} with a body that is not an error of ${facts.sdk}`;
    return new StatesError(optimized ? ServiceErrors.named(prefix, facts.javaBase) : ServiceErrors.base(prefix),
      optimized
        ? javaV1ExceptionCause({ message, service: facts.javaService, status, code: null, requestId })
        : sdkExceptionCause({ message, service: facts.sdk, status, requestId }));
  }
  if (status !== undefined) {
    // An error the service models has a class of its own in the SDK; any other is raised as the service's base class.
    const modeled = e instanceof sdk.ServiceException && Object.getPrototypeOf(e) !== sdk.ServiceException.prototype;
    const name = modeled ? ServiceErrors.named(prefix, modeledErrorName(err.name, optimized, prefix))
      : optimized ? ServiceErrors.named(prefix, facts.javaBase) : ServiceErrors.base(prefix);
    const code = typeof err.Code === 'string' ? err.Code : err.name;
    const cause = optimized
      ? javaV1ExceptionCause({ message: err.message, service: facts.javaService, status, code, requestId })
      : sdkExceptionCause({ message: err.message, service: facts.sdk, status, requestId });
    return new StatesError(name, `${cause} from the endpoint ${endpoint.href}`);
  }
  if (err?.name === 'AbortError') return new StatesError(StatesErrors.RUNTIME, `the call to the ${facts.sdk} endpoint ${endpoint.href} was aborted: ${err.message}`);
  return new StatesError(ServiceErrors.sdkClient(prefix),
    `Unable to execute HTTP request to the ${facts.sdk} endpoint ${endpoint.href}: ${err?.code ? `${err.code} ` : ''}${err?.message ?? String(e)}`);
}
