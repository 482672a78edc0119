import { ApiError, validationError } from './errors';
import type { ExecutionRecord, LoggingConfiguration, MachineRecord, Revision } from './model';
import type { StateMachineDefinition, JsonValue } from '../asl/types';
import type { Finding } from '../asl/validate';

/** The parameters of a request. @internal */
export type Params = Record<string, unknown>;
/** The body of an answer. @internal */
export type Response = Record<string, unknown>;

export function newRevision(
  definition: string, roleArn: string, logging: LoggingConfiguration, tracing: { enabled?: boolean }, revisionId: string, at: number,
): Revision {
  return {
    definition,
    parsed: JSON.parse(definition) as StateMachineDefinition,
    roleArn,
    logging: normalLogging(logging),
    tracing,
    revisionId,
    updateDate: at,
  };
}

export function normalLogging(l: LoggingConfiguration): LoggingConfiguration {
  return { level: l.level ?? 'OFF', includeExecutionData: l.includeExecutionData ?? false, ...(l.destinations ? { destinations: l.destinations } : {}) };
}

/** `{ revisionId }` as AWS shows it: not for the revision a state machine was created with. */
export function shownRevisionId(r: Revision): { revisionId?: string } {
  return r.initial ? {} : { revisionId: r.revisionId };
}

export function describeRevision(m: MachineRecord, arn: string, r: Revision, created: number, description: string | undefined): Response {
  return {
    stateMachineArn: arn,
    name: m.name,
    status: 'ACTIVE',
    definition: r.definition,
    roleArn: r.roleArn,
    type: m.type,
    creationDate: date(created),
    loggingConfiguration: r.logging,
    tracingConfiguration: { enabled: !!r.tracing.enabled },
    ...shownRevisionId(r),
    ...(description !== undefined ? { description } : {}),
  };
}

export function describe(e: ExecutionRecord): Response {
  const closed = e.status !== 'RUNNING';
  const redrivable = e.status === 'FAILED' || e.status === 'TIMED_OUT' || e.status === 'ABORTED';
  return {
    executionArn: e.arn,
    stateMachineArn: e.machine.arn,
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
    redriveCount: e.redriveCount,
    ...(e.redriveDate !== undefined ? { redriveDate: date(e.redriveDate) } : {}),
    ...(e.express ? {} : {
      redriveStatus: redrivable ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
      ...(redrivable ? {} : { redriveStatusReason: e.status === 'RUNNING' ? 'Execution is RUNNING and cannot be redriven' : 'Execution is SUCCEEDED and cannot be redriven' }),
    }),
  };
}

export function invalidDefinitionMessage(errors: readonly Finding[]): string {
  return `Invalid State Machine Definition: '${errors.map((f) => `${awsCode(f.code)}: ${f.message} at ${f.location || '/'}`).join(', ')}'`;
}

/**
 * The code AWS gives where the validator's is finer: AWS reports an EXPRESS machine's
 * activity, `.sync` or `.waitForTaskToken` task, and a JSONPath state in a JSONata machine, as
 * SCHEMA_VALIDATION_FAILED (recorded by CreateStateMachine and ValidateStateMachineDefinition).
 */
export function awsCode(code: string): string {
  return code === 'EXPRESS_UNSUPPORTED_FEATURE' || code === 'INVALID_QUERY_LANGUAGE' ? 'SCHEMA_VALIDATION_FAILED' : code;
}

export function machineType(value: unknown): 'STANDARD' | 'EXPRESS' {
  if (value === undefined || value === null || value === 'STANDARD') return 'STANDARD';
  if (value === 'EXPRESS') return 'EXPRESS';
  throw validationError('type', 'Member must satisfy enum value set: [STANDARD, EXPRESS]', value);
}

export function parseJson(text: string, field: string, errorType: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new ApiError(errorType, `Invalid ${field}: the ${field} is not valid JSON (${(e as Error).message})`);
  }
}

export function tagList(value: unknown): Array<[string, string]> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw validationError('tags', 'Member must be a list of {key, value}', value);
  return value.map((t: { key?: unknown; value?: unknown }) => [String(t.key), String(t.value ?? '')]);
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A timestamp as AWS JSON 1.0 writes it: epoch seconds, with milliseconds as
 * the fraction (built here rather than by a JSON.stringify replacer, which would
 * run for every value of every response).
 */
export function date(ms: number): number {
  return ms / 1000;
}

/**
 * One page of a list; the token is the offset into the same listing, so a token from another
 * listing is refused. A token longer than the operation takes is a ValidationException, as on AWS.
 */
export function page<T>(all: readonly T[], p: Params, listing: string, maxTokenLength = 1024): { items: T[]; nextToken?: string } {
  const { start, max } = pageWindow(p, listing, maxTokenLength);
  const items = all.slice(start, start + max);
  return { items, nextToken: start + max < all.length ? pageToken(listing, start + max) : undefined };
}

/**
 * Where a page of `listing` starts (from the request's nextToken) and how many
 * items it may hold (maxResults: 100 when absent or 0, at most 1,000).
 * @throws ApiError as AWS refuses a maxResults or a nextToken
 */
export function pageWindow(p: Params, listing: string, maxTokenLength = 1024): { start: number; max: number } {
  const max = p.maxResults === undefined || p.maxResults === 0 ? 100 : p.maxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 1000) throw validationError('maxResults', 'Member must have value less than or equal to 1000', p.maxResults);
  let start = 0;
  if (typeof p.nextToken === 'string' && p.nextToken.length > maxTokenLength) {
    throw validationError('nextToken', `Member must have length less than or equal to ${maxTokenLength}`, p.nextToken);
  }
  if (p.nextToken !== undefined && p.nextToken !== null) {
    const decoded = decodeToken(p.nextToken);
    if (!decoded || decoded.l !== listing) throw new ApiError('InvalidToken', `Invalid Token: '${String(p.nextToken)}' does not continue this listing`);
    start = decoded.o;
  }
  return { start, max };
}

/** The nextToken that continues `listing` at item `offset`. */
export function pageToken(listing: string, offset: number): string {
  return Buffer.from(JSON.stringify({ l: listing, o: offset })).toString('base64');
}

export function decodeToken(token: unknown): { l: string; o: number } | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { l?: unknown; o?: unknown };
    return typeof v.l === 'string' && typeof v.o === 'number' && Number.isSafeInteger(v.o) && v.o >= 0 ? { l: v.l, o: v.o } : undefined;
  } catch {
    return undefined;
  }
}
