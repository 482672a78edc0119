import * as http from 'node:http';
import * as https from 'node:https';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { StatesError } from '../../asl/errors';
import type { JsonObject, JsonValue } from '../../asl/types';
import type { TaskRequest } from '../../interpreter/types';
import { invokeEnvelope, lambdaShapeOf } from '../mocks';

/**
 * Services whose Tasks can be sent to an endpoint of your own (a local
 * emulator such as `sam local start-lambda`), by service name.
 */
export type ServiceEndpoints = Readonly<Record<string, string>>;

/** The services an endpoint can be given for. */
export const FORWARDED_SERVICES: readonly string[] = ['lambda'];

/** An endpoint that cannot be used: an unsupported service or a URL that is not http(s). */
export class EndpointError extends Error {
  constructor(public readonly service: string, public readonly value: string, public readonly reason: string) {
    super(`endpoint ${service}=${value}: ${reason}`);
    this.name = 'EndpointError';
  }
}

/**
 * Checks endpoints given by service name: each service must be one
 * {@link FORWARDED_SERVICES} lists and each URL http or https.
 * @throws EndpointError naming the service, the value and what is supported
 * @internal
 */
export function checkEndpoints(given: ServiceEndpoints | undefined): ReadonlyMap<string, URL> {
  const out = new Map<string, URL>();
  if (!given) return out;
  for (const [service, value] of Object.entries(given)) {
    if (!FORWARDED_SERVICES.includes(service)) {
      throw new EndpointError(service, String(value), `not supported: ${service}; Tasks can be sent to an endpoint of their own for ${FORWARDED_SERVICES.join(', ')}; answer the others with a MockConfigFile or handlers`);
    }
    let url: URL;
    try {
      url = new URL(String(value));
    } catch {
      throw new EndpointError(service, String(value), 'not a URL; give one such as http://127.0.0.1:3001');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EndpointError(service, String(value), `the URL must be http or https, got ${url.protocol}`);
    out.set(service, url);
  }
  return out;
}

/**
 * Parses `<service>=<url>`, as `--endpoint lambda=http://127.0.0.1:3001` gives it.
 * @throws EndpointError when there is no `=`
 * @internal
 */
export function parseEndpointSetting(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new EndpointError(text, '', 'give it as <service>=<url>, e.g. lambda=http://127.0.0.1:3001');
  return [text.slice(0, eq).trim().toLowerCase(), text.slice(eq + 1).trim()];
}

/**
 * Sends the Tasks of the services given an endpoint there, through the AWS SDK
 * client of that service, and answers with what AWS would: a Lambda Task (a
 * `lambda:invoke` or a function ARN `Resource`) calls the Lambda Invoke API of
 * the endpoint; the function's payload is the result (inside the invoke
 * envelope for `lambda:invoke`), a function error fails the Task with the
 * function's `errorType` and the error payload as cause, an error of the API
 * is `Lambda.<its name>`, and an endpoint that cannot be reached is
 * `Lambda.SdkClientException` naming it, as the AWS SDK reports a request it
 * could not send (so a Retry on it applies, as on AWS).
 * @internal
 */
export class EndpointForwarder {
  private readonly clients = new Map<string, LambdaClient>();

  constructor(private readonly endpoints: ReadonlyMap<string, URL>, private readonly region: string) {}

  /** True when some Task may be forwarded. */
  get active(): boolean {
    return this.endpoints.size > 0;
  }

  /** True when this Task goes to an endpoint: a Lambda Task, and an endpoint given for Lambda. */
  handles(request: TaskRequest): boolean {
    return this.endpoints.has('lambda') && lambdaShapeOf(request.resource) !== undefined;
  }

  /** The task result from the endpoint, or undefined when no endpoint answers this Task. */
  forward(input: JsonValue, request: TaskRequest, now: () => number): Promise<JsonValue> | undefined {
    const shape = lambdaShapeOf(request.resource);
    const endpoint = this.endpoints.get('lambda');
    if (!shape || !endpoint) return undefined;
    const p = (input ?? {}) as JsonObject;
    const functionName = shape === 'invoke' ? p.FunctionName : request.resource;
    if (typeof functionName !== 'string') {
      return Promise.reject(new StatesError('States.Runtime', `Task '${request.stateName}': lambda:invoke needs a FunctionName string to send to ${endpoint.href}`));
    }
    const payload = shape === 'invoke' ? p.Payload : input;
    return this.invoke(endpoint, functionName, payload, shape === 'invoke' ? p : {}, request).then(({ body, requestId, executedVersion, statusCode }) => {
      if (shape === 'function') return body;
      return { ...invokeEnvelope(body, requestId, now()), ExecutedVersion: executedVersion, StatusCode: statusCode };
    });
  }

  /** Drops the clients (their sockets are not kept alive, so nothing waits on them). */
  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }

  private async invoke(
    endpoint: URL, functionName: string, payload: JsonValue | undefined, params: JsonObject, request: TaskRequest,
  ): Promise<{ body: JsonValue; requestId: string; executedVersion: string; statusCode: number }> {
    // Loaded on first use: most runs forward nothing, and the SDK takes longer to load than the rest.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous, lazy load
    const sdk = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
    const region = /^arn:[^:]+:lambda:([^:]+):/.exec(functionName)?.[1] ?? this.region;
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
      }), { abortSignal: request.signal });
    } catch (e) {
      throw apiError(e, endpoint);
    }
    const text = answer.Payload ? Buffer.from(answer.Payload).toString('utf8') : '';
    const body = parsePayload(text);
    if (answer.FunctionError) {
      const errorType = body && typeof body === 'object' && !Array.isArray(body) && typeof body.errorType === 'string' ? body.errorType : 'Lambda.Unknown';
      throw new StatesError(errorType, text);
    }
    return {
      body,
      requestId: answer.$metadata.requestId ?? '00000000-0000-4000-8000-000000000000',
      executedVersion: answer.ExecutedVersion ?? '$LATEST',
      statusCode: answer.StatusCode ?? 200,
    };
  }

  private client(sdk: typeof import('@aws-sdk/client-lambda'), endpoint: URL, region: string): LambdaClient {
    const key = `${endpoint.href}\n${region}`;
    let c = this.clients.get(key);
    if (!c) {
      const env = process.env;
      c = new sdk.LambdaClient({
        endpoint: endpoint.href,
        region,
        // A local emulator takes any credentials, as Step Functions Local sends it none of yours.
        credentials: env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
          : { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
        requestHandler: { httpAgent: new http.Agent({ keepAlive: false }), httpsAgent: new https.Agent({ keepAlive: false }) },
      });
      this.clients.set(key, c);
    }
    return c;
  }
}

/** The function's payload as JSON; a payload that is not JSON is kept as its text. */
function parsePayload(text: string): JsonValue {
  if (text === '') return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** What the SDK raised, as the Task error AWS reports for it. */
function apiError(e: unknown, endpoint: URL): StatesError {
  const err = e as Error & { $metadata?: { httpStatusCode?: number; requestId?: string }; $fault?: string; code?: string };
  if (err?.$metadata?.httpStatusCode !== undefined) {
    const status = err.$metadata.httpStatusCode;
    return new StatesError(`Lambda.${err.name}`,
      `${err.message} (Service: Lambda, Status Code: ${status}, Request ID: ${err.$metadata.requestId ?? 'none'}) from the endpoint ${endpoint.href}`);
  }
  if (err?.name === 'AbortError') return new StatesError('States.Runtime', `the call to the Lambda endpoint ${endpoint.href} was aborted: ${err.message}`);
  return new StatesError('Lambda.SdkClientException', `Unable to execute HTTP request to the Lambda endpoint ${endpoint.href}: ${err?.code ? `${err.code} ` : ''}${err?.message ?? String(e)}`);
}
