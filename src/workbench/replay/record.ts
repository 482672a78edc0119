import type { SFNClient, SFNClientConfig, HistoryEvent as SdkHistoryEvent } from '@aws-sdk/client-sfn';
import { RECORDING_FORMAT, RECORDING_VERSION, RecordingError, type RecordedEvent, type Recording } from './format';
import { redact } from './redact';
import type { JsonValue } from '../../asl';
import { AwsDefaults } from '../../asl/aws-defaults';
import { jsonOrText } from '../../asl/json-value';
import { AwsLimits } from '../../asl/limits';
import { requireOptionalPeer } from '../common/optional-peers';
import { boundAnswers, ResponseTooLarge } from '../mocks/endpoint-clients';

/** Where and how to record. */
export interface RecordExecutionOptions {
  /**
   * The client to call. Give one to reuse its credentials and settings.
   * @default - a new SFNClient with the standard credential chain, `endpoint`, `region` and `profile`
   */
  readonly client?: SFNClient;
  /**
   * The Step Functions endpoint, e.g. `stepwright serve`'s URL. A loopback
   * endpoint (127.0.0.1, localhost, ::1) needs no credentials: without a
   * `profile`, placeholder ones are sent, and the region defaults to us-east-1.
   * @default - AWS's for the region
   */
  readonly endpoint?: string;
  /** The region. @default - the SDK's (AWS_REGION, the profile) */
  readonly region?: string;
  /** The shared-config profile for credentials. @default - the SDK's (AWS_PROFILE, default) */
  readonly profile?: string;
  /** JSONPaths whose values are replaced by `"<redacted>"` wherever they appear in the recording (see {@link redact}). @default - none */
  readonly redact?: readonly string[];
  /** Events asked for per GetExecutionHistory page. @default 1000 - the API's maximum (AwsLimits.PAGE_SIZE) */
  readonly pageSize?: number;
}

/** Options of {@link recordExecutions}. */
export interface RecordExecutionsOptions extends RecordExecutionOptions {
  /** Only executions with this status (ListExecutions `statusFilter`). @default - any status */
  readonly status?: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  /** At most this many executions, newest first. @default 50 */
  readonly max?: number;
  /** Called after each recording, for progress output. @default - nothing */
  readonly onProgress?: (done: number, total: number, executionArn: string) => void;
}

/**
 * Records an execution: DescribeExecution, the definition that ran
 * (DescribeStateMachineForExecution) and the whole history
 * (GetExecutionHistory, every page, with execution data).
 *
 * @example
 * const rec = await record('arn:aws:states:eu-west-1:123456789012:execution:orders:run-42', { redact: ['$.customer.email'] });
 * fs.writeFileSync('test/recordings/run-42.json', JSON.stringify(rec, null, 2));
 */
export async function record(executionArn: string, options: RecordExecutionOptions = {}): Promise<Recording> {
  return withClient(options, (client, sdk) => recordWith(client, sdk, executionArn, options));
}

/**
 * Records the newest executions of a state machine (ListExecutions), one
 * recording each, newest first.
 * @example await recordExecutions(machineArn, { status: 'FAILED', max: 50 })
 */
export async function recordExecutions(stateMachineArn: string, options: RecordExecutionsOptions = {}): Promise<Recording[]> {
  const max = options.max ?? 50;
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${String(options.max)}`);
  return withClient(options, async (client, sdk) => {
    const arns: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      // An endpoint that answers a next page for ever, with no execution on it, is not listing: refused, never waited on.
      if (++pages > MAX_LIST_PAGES) {
        throw new RecordingError('NOT_A_RECORDING', `ListExecutions of ${stateMachineArn} answered ${MAX_LIST_PAGES.toLocaleString('en-US')} pages `
          + `and still a next one (${arns.length} executions so far): the endpoint does not end its list; pass --max or record executions by ARN`);
      }
      const page = await client.send(new sdk.ListExecutionsCommand({
        stateMachineArn,
        ...(options.status ? { statusFilter: options.status } : {}),
        maxResults: Math.min(AwsLimits.PAGE_SIZE, max - arns.length),
        nextToken,
      }));
      for (const e of page.executions ?? []) if (arns.length < max && e.executionArn) arns.push(e.executionArn);
      nextToken = page.nextToken;
    } while (nextToken && arns.length < max);
    const out: Recording[] = [];
    for (const arn of arns) {
      out.push(await recordWith(client, sdk, arn, options));
      options.onProgress?.(out.length, arns.length, arn);
    }
    return out;
  });
}

/** @internal */
export type Sdk = typeof import('@aws-sdk/client-sfn');

/**
 * The most of one answer of the Step Functions API read by record and diff: 64 MiB, stepwright's
 * own bound. A page of GetExecutionHistory holds up to 1,000 events, each with up to 256 KiB of
 * input or output; a page past this is asked for again with a tenth of the events, down to one.
 * @internal
 */
export const MAX_API_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * Pages of ListExecutions `record --executions` reads at most, stepwright's own bound: at 1,000
 * executions a page, ten million executions, and an end to an endpoint that never ends its list.
 * @internal
 */
export const MAX_LIST_PAGES = 10_000;

/** Real milliseconds one call of record and diff may take, to the last byte of its answer. @internal */
export const API_CALL_DEADLINE_MS = 120_000;

/** Calls `body` with the given client, or a new one made from the options and destroyed after. @internal */
export async function withClient<T>(options: RecordExecutionOptions, body: (client: SFNClient, sdk: Sdk) => Promise<T>): Promise<T> {
  // Loaded on first use: the SDK takes longer to load than the rest of the harness, and it is an optional peer.
  const sdk = requireOptionalPeer<Sdk>('@aws-sdk/client-sfn', 'reading executions from AWS (recordExecution, `stepwright record`, `stepwright diff`)');
  if (options.client) return body(options.client, sdk);
  const client = new sdk.SFNClient(clientConfig(options));
  boundAnswers(client, { maxBytes: MAX_API_ANSWER_BYTES, deadlineMs: API_CALL_DEADLINE_MS });
  try {
    return await body(client, sdk);
  } finally {
    client.destroy();
  }
}

/**
 * The client settings for an endpoint, region and profile as the commands take them: a loopback
 * endpoint (stepwright serve) gets placeholder credentials without a profile, and us-east-1
 * when nothing names a region.
 * @internal
 */
export function clientConfig(options: Pick<RecordExecutionOptions, 'endpoint' | 'region' | 'profile'>): SFNClientConfig {
  const config: SFNClientConfig = {
    ...(options.endpoint ? { endpoint: options.endpoint, disableHostPrefix: true } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint && !options.profile && isLoopback(options.endpoint) ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  };
  // stepwright serve's region, when the SDK finds none for a local endpoint.
  if (!options.region && options.endpoint && isLoopback(options.endpoint) && !process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION) {
    (config as { region?: string }).region = AwsDefaults.REGION;
  }
  return config;
}

function isLoopback(endpoint: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

async function recordWith(client: SFNClient, sdk: Sdk, executionArn: string, options: RecordExecutionOptions): Promise<Recording> {
  const execution = await client.send(new sdk.DescribeExecutionCommand({ executionArn }));
  const machine = await client.send(new sdk.DescribeStateMachineForExecutionCommand({ executionArn }));
  const events: RecordedEvent[] = [];
  let nextToken: string | undefined;
  let pageSize = options.pageSize ?? AwsLimits.PAGE_SIZE;
  let pages = 0;
  for (;;) {
    let page;
    try {
      page = await client.send(new sdk.GetExecutionHistoryCommand({ executionArn, includeExecutionData: true, maxResults: pageSize, nextToken }));
    } catch (e) {
      // A page past the bound on one answer: asked for again with fewer events.
      if (e instanceof ResponseTooLarge && pageSize > 1) {
        pageSize = Math.max(1, Math.floor(pageSize / 10));
        continue;
      }
      throw e;
    }
    pages++;
    for (const e of page.events ?? []) events.push(plainEvent(e));
    nextToken = page.nextToken;
    if (!nextToken) break;
    // An execution's history holds at most 25,000 events, each page one or more: an endpoint that answers more, or
    // pages for ever, is not giving one execution's history (a hostile or broken endpoint), and is not waited on.
    if (events.length >= AwsLimits.HISTORY_EVENTS || pages >= AwsLimits.HISTORY_EVENTS) {
      throw new RecordingError('NOT_A_RECORDING', `GetExecutionHistory of ${executionArn} answered ${events.length.toLocaleString('en-US')} events in `
        + `${pages.toLocaleString('en-US')} pages and still a next page; an execution's history holds at most `
        + `${AwsLimits.HISTORY_EVENTS.toLocaleString('en-US')} events: the endpoint does not answer one execution's history`);
    }
  }
  const region = options.region ?? (await client.config.region());
  const recording: Recording = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    recordedAt: new Date().toISOString(),
    source: { ...(options.endpoint ? { endpoint: options.endpoint } : {}), region },
    stateMachine: {
      arn: machine.stateMachineArn!,
      name: machine.name,
      definition: machine.definition!,
      ...(machine.roleArn ? { roleArn: machine.roleArn } : {}),
      ...(machine.revisionId ? { revisionId: machine.revisionId } : {}),
    },
    execution: {
      arn: executionArn,
      name: execution.name,
      status: execution.status!,
      input: json(execution.input) ?? null,
      ...(execution.output !== undefined ? { output: json(execution.output) } : {}),
      ...(execution.error !== undefined ? { error: execution.error } : {}),
      ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
      ...(execution.startDate ? { startDate: execution.startDate.toISOString() } : {}),
      ...(execution.stopDate ? { stopDate: execution.stopDate.toISOString() } : {}),
      // Whether and why it can be redriven: an execution started before redrive launched says so here.
      ...(execution.redriveCount !== undefined ? { redriveCount: execution.redriveCount } : {}),
      ...(execution.redriveDate ? { redriveDate: execution.redriveDate.toISOString() } : {}),
      ...(execution.redriveStatus !== undefined ? { redriveStatus: execution.redriveStatus } : {}),
      ...(execution.redriveStatusReason !== undefined ? { redriveStatusReason: execution.redriveStatusReason } : {}),
    },
    events,
  };
  return options.redact?.length ? redact(recording, options.redact) : recording;
}

/** An SDK event as plain JSON: the timestamp as ISO text, no undefined members. */
function plainEvent(e: SdkHistoryEvent): RecordedEvent {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined) continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out as RecordedEvent;
}

function json(text: string | undefined): JsonValue | undefined {
  return text === undefined ? undefined : jsonOrText(text);
}
