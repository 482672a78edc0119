/**
 * AWS's side of a parity request: TestState called with `@aws-sdk/client-sfn` (an optional
 * peer, loaded on first use), its answer parsed, its errors sorted into a refusal to compare,
 * a throttle to wait out, and a failure that stops the check.
 */
import type { SFNClient, TestStateCommandOutput } from '@aws-sdk/client-sfn';
import { DEFAULT_CALL_TIMEOUT_MS, MAX_ANSWER_BYTES, type TestStateWireInput } from './request';
import { ParityError, type ParityAnswer } from './types';
import type { JsonValue } from '../../asl';
import { ApiErrors } from '../../asl/api-errors';
import { AwsDefaults } from '../../asl/aws-defaults';
import { jsonOrText } from '../../asl/json-value';
import { requireOptionalPeer } from '../common/optional-peers';
import { boundAnswers, ResponseDeadline, ResponseTooLarge, withoutNodeVersionWarning } from '../mocks/endpoint-clients';
import { clientConfig } from '../replay/record';

/** Where TestState is called: AWS or an endpoint of the user's. */
export interface TestStateEndpoint {
  /** What the answers are compared with: `AWS (eu-west-1)`, `http://127.0.0.1:8083`. */
  readonly against: string;
  /** Sends one request. @throws EndpointFault when it was not answered */
  call(wire: TestStateWireInput): Promise<ParityAnswer>;
  close(): void;
}

/**
 * A call TestState did not answer: `throttled`, to be sent again after a back-off; `fatal`, the
 * endpoint cannot be used at all (no credentials, access denied, nothing listening), so the
 * check stops; `failed`, this call alone (a server error), so its visit is not compared.
 */
export class EndpointFault extends Error {
  constructor(public readonly kind: 'throttled' | 'fatal' | 'failed', message: string) {
    super(message);
    this.name = 'EndpointFault';
  }
}

/** How to reach TestState. */
export interface EndpointOptions {
  /** @default - AWS's, for the region */
  readonly endpoint?: string;
  /** @default - the SDK's (AWS_REGION, the profile) */
  readonly region?: string;
  /** @default - the SDK's (AWS_PROFILE, default) */
  readonly profile?: string;
  /**
   * Longest one call may take, in milliseconds, from the request to the last byte of its answer
   * (one deadline: an answer that drips a byte at a time ends there too). TestState runs a state
   * for at most five minutes ("TestState", AWS Step Functions API Reference), so the default
   * leaves it that.
   * @default 330000
   */
  readonly callTimeoutMs?: number;
}

/** The exceptions TestState refuses a request with: an answer to compare, not a failure to call. */
const REFUSALS: ReadonlySet<string> = new Set([
  ApiErrors.ValidationException, ApiErrors.InvalidDefinition, ApiErrors.InvalidExecutionInput, ApiErrors.InvalidArn,
]);

/** Errors that no retry mends: the check stops at the first. */
const FATAL = /^(AccessDenied(Exception)?|UnrecognizedClientException|InvalidClientTokenId|InvalidSignatureException|ExpiredToken(Exception)?|MissingAuthenticationToken|IncompleteSignature|CredentialsProviderError|UnknownOperationException|UnsupportedOperation)$/;

const FEATURE = 'checking states against TestState (stepwright parity)';

type Sdk = typeof import('@aws-sdk/client-sfn');

/** TestState over `@aws-sdk/client-sfn`. @throws ParityError when the installed SDK predates TestState's mocks */
export async function sdkEndpoint(options: EndpointOptions): Promise<TestStateEndpoint> {
  const sdk = requireOptionalPeer<Sdk>('@aws-sdk/client-sfn', FEATURE);
  await checkSdkSendsMocks(sdk);
  const client: SFNClient = withoutNodeVersionWarning(() => new sdk.SFNClient({
    ...clientConfig(options),
    // The check backs off on throttles itself (on its own clock); the SDK's retries would wait in real time, unbounded by --max-calls.
    maxAttempts: 1,
  }));
  // An answer is read to MAX_ANSWER_BYTES at most, as it comes in (the SDK holds it outside the heap), and by one deadline.
  boundAnswers(client, { maxBytes: MAX_ANSWER_BYTES, deadlineMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS });
  const region = await client.config.region().catch(() => undefined);
  if (!options.endpoint && !region) {
    client.destroy();
    throw new ParityError('no AWS region to reach TestState in: give the region (or set AWS_REGION, or a profile that names one), or the endpoint of a local TestState');
  }
  return {
    against: options.endpoint ?? `AWS (${region})`,
    async call(wire) {
      let answer: TestStateCommandOutput;
      try {
        answer = await client.send(new sdk.TestStateCommand(wire));
      } catch (e) {
        return refusalOrFault(e, options.endpoint ?? 'TestState');
      }
      return parsedAnswer(answer);
    },
    close: () => client.destroy(),
  };
}

/**
 * Serializes a request the way the installed SDK would send it, without sending it: a client
 * older than TestState's mocks (November 2025) drops `mock`, `stateName` and `context`, and AWS
 * would then call the state's real resource.
 */
async function checkSdkSendsMocks(sdk: Sdk): Promise<void> {
  let body = '';
  const probe = withoutNodeVersionWarning(() => new sdk.SFNClient({
    region: AwsDefaults.REGION,
    credentials: { accessKeyId: 'probe', secretAccessKey: 'probe' },
    endpoint: 'http://127.0.0.1:9',
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        const b = request.body;
        body = typeof b === 'string' ? b : b instanceof Uint8Array ? new TextDecoder().decode(b) : '';
        throw new Error('stepwright: request captured, not sent');
      },
    } as never,
  }));
  try {
    await probe.send(new sdk.TestStateCommand({ definition: '{}', stateName: 'S', mock: { result: '{}' }, context: '{}', stateConfiguration: { retrierRetryCount: 1 } }));
  } catch {
    // The handler above throws once it has the body.
  } finally {
    probe.destroy();
  }
  const sent = ['"stateName"', '"mock"', '"context"', '"stateConfiguration"'].filter((m) => body.includes(m));
  if (sent.length < 4) {
    throw new ParityError('the installed @aws-sdk/client-sfn does not send TestState\'s stateName, mock, context and stateConfiguration members (added in November 2025), '
      + 'so AWS would call each state\'s real resource; upgrade it with: npm install -D @aws-sdk/client-sfn@latest');
  }
}

function refusalOrFault(e: unknown, endpoint: string): ParityAnswer {
  if (e instanceof ResponseTooLarge) {
    throw new EndpointFault('failed', `${endpoint} answered status ${e.status} with ${e.announced ? '' : 'more than '}${e.bytes.toLocaleString('en-US')} bytes, `
      + `more than a TestState answer holds (${MAX_ANSWER_BYTES.toLocaleString('en-US')} bytes are read at most): no more of it was read`);
  }
  if (e instanceof ResponseDeadline) {
    throw new EndpointFault('failed', `${endpoint} had not answered TestState whole within ${e.ms / 1000} s of the request: the call was abandoned`);
  }
  const err = e as Error & { $metadata?: { httpStatusCode?: number }; code?: string };
  const name = err?.name ?? 'Error';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  if (REFUSALS.has(name)) return { refused: { type: name, message } };
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException' || err?.$metadata?.httpStatusCode === 429) {
    throw new EndpointFault('throttled', `${name}: ${message}`);
  }
  if (FATAL.test(name) || err?.code === 'ECONNREFUSED' || /ECONNREFUSED|ENOTFOUND|Region is missing|Could not load credentials/.test(message)) {
    throw new EndpointFault('fatal', `${name}: ${message}`);
  }
  throw new EndpointFault('failed', `${name}: ${message}`);
}

/** TestState's answer with its JSON text members parsed. */
export function parsedAnswer(answer: Partial<TestStateCommandOutput>): ParityAnswer {
  const { status } = answer;
  if (status === undefined) throw new EndpointFault('failed', 'TestState answered without a status (SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR)');
  let inspectionData: Record<string, JsonValue> | undefined;
  if (answer.inspectionData !== undefined) {
    inspectionData = {};
    for (const [k, v] of Object.entries(answer.inspectionData)) {
      if (v === undefined) continue;
      inspectionData[k] = typeof v === 'string' ? jsonOrText(v) : v as JsonValue;
    }
  }
  return {
    status,
    ...(answer.output !== undefined ? { output: jsonOrText(answer.output) } : {}),
    ...(answer.nextState !== undefined ? { nextState: answer.nextState } : {}),
    ...(answer.error !== undefined ? { error: answer.error } : {}),
    ...(answer.cause !== undefined ? { cause: answer.cause } : {}),
    ...(inspectionData !== undefined ? { inspectionData } : {}),
  };
}
