import type * as sdk from '@aws-sdk/client-sfn';
import { ApiError } from './api-errors';
import type { EncryptionConfiguration } from './configurations';
import { jacksonMessage } from './jackson';
import type { ExecutionRecord, LoggingConfiguration, MachineRecord, Revision } from './model';
import type { StateMachineDefinition, JsonValue } from '../asl';
import type { AnswerOf } from './operations/operation-table';
import { constraintError } from './validation/request';
import { ApiErrors, type ApiErrorName } from '../asl/api-errors';
import { AwsDefaults, type MachineType } from '../asl/aws-defaults';
import { describeNonJsonText } from '../asl/json-value';
import { AwsLimits } from '../asl/limits';

/** A revision of a state machine; `parsed` is `definition` as the request's check parsed and typed it (a definition may be 1 MB). */
export function newRevision(
  definition: string, roleArn: string, logging: LoggingConfiguration, tracing: { enabled?: boolean }, revisionId: string, at: number,
  parsed: StateMachineDefinition, encryption: EncryptionConfiguration | undefined,
): Revision {
  return {
    definition,
    parsed,
    roleArn,
    logging: normalLogging(logging),
    tracing,
    ...(encryption !== undefined ? { encryption } : {}),
    revisionId,
    updateDate: at,
  };
}

export function normalLogging(l: LoggingConfiguration): LoggingConfiguration {
  return { level: l.level ?? 'OFF', includeExecutionData: l.includeExecutionData ?? false, ...(l.destinations ? { destinations: l.destinations } : {}) };
}

/** `{ encryptionConfiguration }` as it was given (CreateStateMachine, UpdateStateMachine); nothing when it never was. */
export function shownEncryption(r: Revision): { encryptionConfiguration?: EncryptionConfiguration } {
  return r.encryption !== undefined ? { encryptionConfiguration: r.encryption } : {};
}

/** `{ revisionId }` as AWS shows it: not for the revision a state machine was created with. */
export function shownRevisionId(r: Revision): { revisionId?: string } {
  return r.initial ? {} : { revisionId: r.revisionId };
}

export function describeRevision(m: MachineRecord, arn: string, r: Revision, created: number, description: string | undefined): AnswerOf<'DescribeStateMachine'> {
  return {
    stateMachineArn: arn,
    name: m.name,
    status: m.deleting ? 'DELETING' : 'ACTIVE',
    definition: r.definition,
    roleArn: r.roleArn,
    type: m.type,
    creationDate: date(created),
    loggingConfiguration: r.logging,
    tracingConfiguration: { enabled: !!r.tracing.enabled },
    ...shownEncryption(r),
    ...shownRevisionId(r),
    ...(description !== undefined ? { description } : {}),
  };
}

/**
 * Why RedriveExecution would refuse `e` at `now`, in the words of DescribeExecution's
 * `redriveStatusReason` (API reference: "NOT_REDRIVABLE if calling the RedriveExecution API action
 * would return the ExecutionNotRedrivable error"), in the order the reference lists them;
 * undefined when it may be redriven. RedriveExecution's conditions: the state machine is not
 * being deleted, the execution has not "exceeded the maximum open time of one year", its "event
 * history count is less than 24,999" (room for ExecutionRedriven and one more event), and it
 * closed within the redrivable period of 14 days.
 */
export function notRedrivable(e: ExecutionRecord, now: number): string | undefined {
  if (e.machine.deleting) return 'State machine is in DELETING status';
  if (e.status === 'RUNNING' || e.status === 'SUCCEEDED') return `Execution is ${e.status} and cannot be redriven`;
  const events = e.segments.reduce((n, s) => n + ('historyRecorder' in s ? s.historyRecorder : s).length, 0);
  if (events >= AwsLimits.HISTORY_EVENTS - 1) return 'Execution history event limit exceeded';
  if (now - e.startDate > AwsLimits.STANDARD_DURATION_SECONDS * 1000) return 'Execution has exceeded the max execution time';
  if (e.stopDate !== undefined && now - e.stopDate > AwsLimits.REDRIVE_PERIOD_SECONDS * 1000) return 'Execution redrivable period exceeded';
  return undefined;
}

/** DescribeExecution's answer for `e`, its redrive status as of `now`, the server's time. */
export function describe(e: ExecutionRecord, now: number): AnswerOf<'DescribeExecution'> {
  const closed = e.status !== 'RUNNING';
  const reason = notRedrivable(e, now);
  const redrivable = reason === undefined;
  return {
    executionArn: e.arn,
    // A child execution of a Map Run runs the Map Run's state machine (…:stateMachine:<machine>/<label>) and names its Map Run.
    stateMachineArn: e.mapRun?.stateMachineArn ?? e.machine.arn,
    name: e.name,
    status: e.status,
    startDate: date(e.startDate),
    ...(closed && e.stopDate !== undefined ? { stopDate: date(e.stopDate) } : {}),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
    ...(e.versionArn ? { stateMachineVersionArn: e.versionArn } : {}),
    ...(e.aliasArn ? { stateMachineAliasArn: e.aliasArn } : {}),
    ...(e.mapRun ? { mapRunArn: e.mapRun.mapRunArn } : {}),
    redriveCount: e.redriveCount,
    ...(e.redriveDate !== undefined ? { redriveDate: date(e.redriveDate) } : {}),
    ...(e.express ? {} : {
      // A child of a Map Run is redriven by redriving its Map Run (as its result file entry says).
      redriveStatus: redrivable ? e.mapRun ? 'REDRIVABLE_BY_MAP_RUN' : 'REDRIVABLE' : 'NOT_REDRIVABLE',
      ...(reason === undefined ? {} : { redriveStatusReason: reason }),
    }),
  };
}

/** A state machine's type: STANDARD unless the request says EXPRESS. */
export function machineType(p: { readonly type?: sdk.StateMachineType }): MachineType {
  return p.type ?? AwsDefaults.MACHINE_TYPE;
}

/**
 * Parses a JSON member (an output, TestState's input or variables); a value the interpreter
 * cannot carry (nested past 1,000 levels, as Jackson refuses it on AWS) is
 * refused here, with `errorType`, rather than failing inside the run. Text that is not JSON is
 * refused in the words of AWS's JSON parser.
 */
export function parseJson(text: string, field: string, errorType: ApiErrorName): JsonValue {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new ApiError(errorType, `Invalid ${field}: the ${field} is not valid JSON (${jacksonMessage(text) ?? (e as Error).message})`);
  }
  const problem = describeNonJsonText(value);
  if (problem !== undefined) throw new ApiError(errorType, `Invalid ${field}: ${problem}`);
  return value;
}

/** The most tags a state machine or an activity may have (a Step Functions quota). */
export const MAX_TAGS = 50;

/**
 * The tags of a request as `[key, value]` pairs (a missing value is the empty string); more than
 * {@link MAX_TAGS} distinct keys is AWS's TooManyTags. The model does not require a tag's key; a
 * tag without one is refused as a missing member (not recorded: a tag is a key and its value).
 */
export function tagList(tags: readonly sdk.Tag[] | undefined, resourceArn: string): Array<[string, string]> {
  const pairs = (tags ?? []).map((t, i): [string, string] => {
    if (t.key === undefined) throw constraintError(undefined, 'TagKey', `tags.${i + 1}.member.key`, 'not be null');
    return [t.key, t.value ?? ''];
  });
  checkTagCount(new Set(pairs.map(([k]) => k)).size, resourceArn);
  return pairs;
}

/** TooManyTags when a resource would have more than {@link MAX_TAGS} tags. */
export function checkTagCount(count: number, resourceArn: string): void {
  if (count > MAX_TAGS) {
    throw new ApiError(ApiErrors.TooManyTags, `Too many tags: '${resourceArn}' would have ${count} tags; a resource may have at most ${MAX_TAGS}`, undefined, { resourceName: resourceArn });
  }
}

/**
 * A timestamp as AWS JSON 1.0 writes it: epoch seconds, with milliseconds as
 * the fraction (built here rather than by a JSON.stringify replacer, which would
 * run for every value of every response).
 */
export function date(ms: number): number {
  return ms / 1000;
}

/** The members by which a listing is paged, as every List operation's input declares them. */
interface PageRequest { readonly maxResults?: number; readonly nextToken?: string }

/**
 * One page of a list; the token is the offset into the same listing, so a token from another
 * listing is refused.
 */
export function page<T>(all: readonly T[], p: PageRequest, listing: string): { items: T[]; nextToken?: string } {
  const { start, max } = pageWindow(p, listing);
  const items = all.slice(start, start + max);
  return { items, nextToken: start + max < all.length ? pageToken(listing, start + max) : undefined };
}

/**
 * Where a page of `listing` starts (from the request's nextToken) and how many items it may hold
 * (maxResults: 100 when absent or 0). A token this server did not issue for the same listing is
 * InvalidToken, in AWS's words (recorded: ListStateMachineAliases).
 * @throws ApiError as AWS refuses a nextToken
 */
export function pageWindow(p: PageRequest, listing: string): { start: number; max: number } {
  const max = p.maxResults || AwsLimits.PAGE_SIZE_DEFAULT;
  let start = 0;
  if (p.nextToken !== undefined) {
    const decoded = decodeToken(p.nextToken);
    if (!decoded || decoded.l !== listing) throw new ApiError(ApiErrors.InvalidToken, "Invalid Token: 'Invalid token'");
    start = decoded.o;
  }
  return { start, max };
}

/** The nextToken that continues `listing` at item `offset`. */
export function pageToken(listing: string, offset: number): string {
  return Buffer.from(JSON.stringify({ l: listing, o: offset })).toString('base64');
}

/**
 * The listing and offset a page token names; undefined for anything this server did not issue (a
 * forged offset too, and an issued token with a character added or changed, which Node's base64
 * reader would otherwise skip or read the same: a token is taken only in the spelling issued).
 */
export function decodeToken(token: string): { l: string; o: number } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { l?: unknown; o?: unknown };
    if (typeof v.l !== 'string' || !Number.isSafeInteger(v.o) || (v.o as number) < 0) return undefined;
    return pageToken(v.l, v.o as number) === token ? { l: v.l, o: v.o as number } : undefined;
  } catch {
    return undefined;
  }
}
