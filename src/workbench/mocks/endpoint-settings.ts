import { checkOptionalPeers, forwardingFeature, MissingPackageError, type OptionalPeer } from '../common/optional-peers';

/*
 * Which services' Tasks go to an endpoint of the user's own, read from options, flags and Step
 * Functions Local's variables. Apart from the forwarder (endpoints.ts), which loads the answers'
 * rules and the integrations' catalogue: serve reads its settings at its start, and a server given
 * no endpoint never forwards anything.
 */

/**
 * Services whose Tasks can be sent to an endpoint of your own (a local
 * emulator such as `sam local start-lambda`, ElasticMQ or DynamoDB Local), by
 * service name: `lambda`, `sqs`, `sns`, `dynamodb`, and `s3`, an S3-compatible server
 * that stands for the local S3 (ItemReaders, ResultWriters and `aws-sdk:s3` Tasks).
 */
export type ServiceEndpoints = Readonly<Record<string, string>>;

/** The services an endpoint can be given for. */
export const FORWARDED_SERVICES: readonly string[] = ['lambda', 'sqs', 'sns', 'dynamodb', 's3'];

/** The AWS SDK client (an optional peer) that sends a service's Tasks to its endpoint. @internal */
export function sdkClientOf(service: string): OptionalPeer {
  switch (service) {
    case 'sqs': return '@aws-sdk/client-sqs';
    case 'sns': return '@aws-sdk/client-sns';
    case 'dynamodb': return '@aws-sdk/client-dynamodb';
    // The local S3's reads and writes go to the endpoint through S3's own client (workbench/s3/endpoint-store.ts).
    case 's3': return '@aws-sdk/client-s3';
    default: return '@aws-sdk/client-lambda';
  }
}

/** An endpoint that cannot be used: an unsupported service or a URL that is not http(s). */
export class EndpointError extends Error {
  constructor(public readonly service: string, public readonly value: string, public readonly reason: string) {
    super(`endpoint ${service}=${value}: ${reason}`);
    this.name = 'EndpointError';
  }
}

/**
 * The scheme of an endpoint written without one (`host.docker.internal:4566`):
 * https, as Step Functions Local's AWS SDK for Java 1.x gives it (its
 * `RuntimeHttpUtils.toUri` puts the client's protocol, `ClientConfiguration`'s
 * HTTPS by default, before an endpoint that has no `://`).
 */
const DEFAULT_SCHEME = 'https://';

/** True when an endpoint is written without a scheme, so that {@link DEFAULT_SCHEME} is put before it. @internal */
export function withoutScheme(value: string): boolean {
  return !value.includes('://');
}

/**
 * One service's endpoint as a URL: the service must be one
 * {@link FORWARDED_SERVICES} lists and the URL http or https; one written
 * without a scheme is https, as Step Functions Local takes it.
 * @throws EndpointError naming the service, the value and what is supported
 * @internal
 */
export function endpointUrl(service: string, value: string): URL {
  if (!FORWARDED_SERVICES.includes(service)) {
    throw new EndpointError(service, value, `not supported: ${service}; Tasks can be sent to an endpoint of their own for ${FORWARDED_SERVICES.join(', ')}; answer the others with a MockConfigFile or handlers`);
  }
  let url: URL;
  try {
    url = new URL(withoutScheme(value) ? `${DEFAULT_SCHEME}${value}` : value);
  } catch {
    throw new EndpointError(service, value, 'not a URL; give one such as http://127.0.0.1:3001');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EndpointError(service, value, `the URL must be http or https, got ${url.protocol.slice(0, -1)}`);
  return url;
}

/**
 * Checks endpoints given by service name: each service must be one
 * {@link FORWARDED_SERVICES} lists and each URL http or https (https when it has no scheme).
 * @throws EndpointError naming the service, the value and what is supported
 * @internal
 */
export function checkEndpoints(given: ServiceEndpoints | undefined): ReadonlyMap<string, URL> {
  const out = new Map<string, URL>();
  if (!given) return out;
  for (const [service, value] of Object.entries(given)) out.set(service, endpointUrl(service, String(value)));
  return out;
}

/** An endpoint given by one of Step Functions Local's variables (or the option of its JAR that stands for one). @internal */
export interface VariableEndpoint {
  readonly url: string;
  /** How it was given, for messages: `SQS_ENDPOINT=host:4566`, `--sqs-endpoint host:4566`. */
  readonly givenAs: string;
}

/** The endpoints Tasks go to, and the variables' endpoints that cannot be used, by service, each with why. @internal */
export interface ResolvedEndpoints {
  readonly endpoints: ReadonlyMap<string, URL>;
  /** By service: how its endpoint was given and why it cannot be used (a URL that is not http(s), its SDK client not installed). */
  readonly unusable: ReadonlyMap<string, VariableEndpoint & { readonly reason: string }>;
}

/**
 * The endpoints of a server: those `given` must be usable; those of Step
 * Functions Local's variables that cannot be used are set apart, since a
 * compose file often gives the variables of every service, and one for a
 * service no state machine calls must not stop the server (Step Functions
 * Local starts with it). An endpoint given both ways is `given`'s.
 * @throws EndpointError for an endpoint of `given` (see {@link checkEndpoints})
 * @internal
 */
export function resolveEndpoints(given: ServiceEndpoints | undefined, variables: Readonly<Record<string, VariableEndpoint>> = {}): ResolvedEndpoints {
  const endpoints = new Map(checkEndpoints(given));
  const unusable = new Map<string, VariableEndpoint & { reason: string }>();
  for (const [service, variable] of Object.entries(variables)) {
    if (endpoints.has(service)) continue;
    try {
      const url = endpointUrl(service, variable.url);
      checkOptionalPeers(forwardingFeature(service, url), [sdkClientOf(service)]);
      endpoints.set(service, url);
    } catch (e) {
      if (!(e instanceof EndpointError) && !(e instanceof MissingPackageError)) throw e;
      unusable.set(service, { ...variable, reason: e instanceof EndpointError ? e.reason : e.message });
    }
  }
  return { endpoints, unusable };
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
