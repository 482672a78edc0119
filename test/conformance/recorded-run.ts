import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StatesError } from '../../src/asl/errors';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../../src/asl/types';
import { compileStateMachine, type ExecutionResult, type TaskRequest } from '../../src/interpreter';

/*
 * Runs an AWS-recorded conformance case (../shared/conformance/cases) through the
 * interpreter from src/, replaying each Task's recorded result, the way
 * test/conformance/adapter.mjs does for the compiled library. It lives here too
 * because jest runs the sources and cannot load that ES module.
 */

/** A recorded Task result (`case.taskMocks`). */
export interface RecordedTaskResult {
  readonly state: string | null;
  readonly seq: number;
  readonly kind?: string;
  readonly eventType?: string;
  readonly resource?: string;
  readonly input?: JsonValue;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
}

/** A snapshot transformer LocalStack's test registered (`case.snapshotTransformers`). */
export interface SnapshotTransformer {
  readonly type: string;
  readonly path?: string;
  readonly key?: string;
  readonly pattern?: string | null;
  readonly replacement: string;
  readonly referenceReplacement?: boolean;
}

/** The fields of a recorded case this runner reads. */
export interface RecordedCase {
  readonly id: string;
  readonly file: string;
  readonly usable?: boolean;
  readonly definition: StateMachineDefinition;
  readonly input: JsonValue;
  readonly expected: { status: string; output?: JsonValue; error?: string; cause?: string };
  readonly taskMocks?: RecordedTaskResult[];
  readonly fixtures?: { s3Objects?: Array<{ bucket: string | null; key: string; body: JsonValue }> };
  readonly history?: Array<Record<string, unknown>>;
  readonly snapshotTransformers?: SnapshotTransformer[];
}

/** The names the runner puts into the Context Object, so normalisation can find them again. */
export const CONTEXT = {
  stateMachineName: 'statemachine_conformance_0001',
  executionName: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  roleArn: 'arn:aws:iam::111111111111:role/conformance-sfn-role',
  region: 'us-east-1',
  accountId: '111111111111',
} as const;

/** Reads every usable case of `casesDir` (one folder per category) that `keep` accepts, in a stable order. */
export function loadCases(casesDir: string, keep: (c: RecordedCase) => boolean): RecordedCase[] {
  const out: RecordedCase[] = [];
  for (const category of fs.readdirSync(casesDir).sort()) {
    const dir = path.join(casesDir, category);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const c = { ...JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), file: `${category}/${f}` } as RecordedCase;
      if (c.usable !== false && keep(c)) out.push(c);
    }
  }
  return out;
}

/** Runs one case to its end with its recorded Task results. */
export async function runRecordedCase(c: RecordedCase): Promise<ExecutionResult> {
  const replay = new TaskReplay(c.taskMocks ?? []);
  const objects = c.fixtures?.s3Objects ?? [];
  const { definition, deleted } = withActivityArns(c.definition, c.taskMocks ?? []);
  const machine = compileStateMachine(definition, {
    activityExists: (arn) => !deleted.has(arn),
    stateMachineName: CONTEXT.stateMachineName,
    region: CONTEXT.region,
    accountId: CONTEXT.accountId,
    roleArn: CONTEXT.roleArn,
    defaultTaskHandler: (input, request) => answer(replay, objects, input, request),
  });
  return machine.start(c.input, { name: CONTEXT.executionName }).result;
}

/**
 * Hands out recorded results by state: the first unused one whose recorded input
 * equals the call's input (both normalised), else the next unused one, else the last.
 */
class TaskReplay {
  readonly byState = new Map<string | null, Array<RecordedTaskResult & { used?: boolean }>>();

  constructor(results: readonly RecordedTaskResult[]) {
    for (const m of results) {
      const list = this.byState.get(m.state) ?? [];
      list.push({ ...m });
      this.byState.set(m.state, list);
    }
    for (const list of this.byState.values()) list.sort((a, b) => a.seq - b.seq);
  }

  next(state: string, input: JsonValue): RecordedTaskResult | undefined {
    let list = this.byState.get(state);
    if (!list?.length) list = this.byState.get(null);
    if (!list?.length) return undefined;
    const actual = JSON.stringify(canonicalValue(input));
    const m = list.find((x) => !x.used && x.input !== undefined && JSON.stringify(canonicalValue(x.input)) === actual)
      ?? list.find((x) => !x.used) ?? list[list.length - 1];
    m.used = true;
    return m;
  }
}

/** Strings as the recordings print them: partition, dates and UUIDs as placeholders, numbered references unnumbered. */
export function canonicalString(s: string): string {
  let out = s;
  out = out.split(`:execution:${CONTEXT.stateMachineName}:${CONTEXT.executionName}`).join(':execution:<sm_name>:<exec_name>');
  for (const [from, to] of [[CONTEXT.roleArn, 'snf_role_arn'], [CONTEXT.stateMachineName, '<sm_name>'], [CONTEXT.executionName, '<exec_name>'], [CONTEXT.region, '<region>']] as const) {
    out = out.split(from).join(to);
  }
  return out
    .replace(/arn:aws:/g, 'arn:<partition>:')
    .replace(DATE_TIME, (d) => (isValidDateTime(d) ? 'date' : d))
    .replace(/[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}/g, '<uuid>')
    .replace(/<([A-Za-z_-][A-Za-z0-9_.-]*):\d+>/g, '<$1>')
    .replace(/<ArnPart_\d+idx>/g, '<sm_name>')
    .replace(/<ExecArnPart_\d+idx>/g, '<exec_name>');
}

const DATE_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?/g;

/** An ISO-8601 date-time with a zone and with month, day and time in range: what the recordings turned into `date`. */
function isValidDateTime(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() && h < 24 && mi < 60 && se < 60;
}

/** True when `s` starts with a valid ISO-8601 date-time. */
export function startsWithDateTime(s: string): boolean {
  const m = new RegExp(`^${DATE_TIME.source}`).exec(s);
  return m !== null && isValidDateTime(m[0]);
}

/** A JSON value with every string (keys included) canonical and key order sorted. */
export function canonicalValue(v: JsonValue): JsonValue {
  if (typeof v === 'string') return canonicalString(v);
  if (Array.isArray(v)) return v.map(canonicalValue);
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) out[canonicalString(k)] = canonicalValue(v[k]);
    return out;
  }
  return v;
}

/**
 * LocalStack's activity tests put the activity's ARN into the definition; the recording keeps
 * the template's placeholder, which AWS would refuse as a Resource: it gets an activity ARN.
 * With nothing recorded for it, the activity was never scheduled: it had been deleted.
 */
function withActivityArns(
  definition: StateMachineDefinition, results: readonly RecordedTaskResult[],
): { definition: StateMachineDefinition; deleted: Set<string> } {
  const called = new Set(results.filter((m) => m.kind === 'activity' && typeof m.resource === 'string').map((m) => m.resource));
  const deleted = new Set<string>();
  const text = JSON.stringify(definition);
  if (!/"Resource":"(?!arn:)/.test(text)) return { definition, deleted };
  const runnable = JSON.parse(text, function (this: { Type?: unknown }, key, value: unknown) {
    if (key !== 'Resource' || typeof value !== 'string' || value.startsWith('arn:') || this.Type !== 'Task') return value;
    const arn = `arn:aws:states:us-east-1:123456789012:activity:${value}`;
    if (!called.has(value)) deleted.add(arn);
    return arn;
  }) as StateMachineDefinition;
  return { definition: runnable, deleted };
}

type S3Object = NonNullable<NonNullable<RecordedCase['fixtures']>['s3Objects']>[number];

function answer(replay: TaskReplay, objects: readonly S3Object[], input: JsonValue, request: TaskRequest): JsonValue {
  const resource = request.resource;
  if (/^arn:[^:]+:states:::s3:(getObject|listObjectsV2)$/.test(resource) && objects.length && !replay.byState.has(request.stateName)) {
    return readS3(objects, resource, input as JsonObject);
  }
  if (/^arn:[^:]+:states:::s3:putObject$/.test(resource) && !replay.byState.has(request.stateName)) return {};
  const recorded = replay.next(request.stateName, input);
  if (!recorded) throw new StatesError('Conformance.UnexpectedTaskInvocation', `no recorded result for Task state '${request.stateName}'`);
  const timedOut = recorded.error === 'States.Timeout' || recorded.eventType?.endsWith('TimedOut') === true;
  if (request.taskToken !== undefined && /\.waitForTaskToken$/.test(resource)) {
    if (!timedOut) {
      queueMicrotask(() => {
        if ('output' in recorded) request.execution.sendTaskSuccess(request.taskToken!, structuredClone(recorded.output!));
        else request.execution.sendTaskFailure(request.taskToken!, recorded.error, recorded.cause);
      });
    }
    return {};
  }
  if (timedOut) throw new StatesError(recorded.error ?? 'States.Timeout', recorded.cause);
  if ('output' in recorded) return structuredClone(recorded.output!);
  throw new StatesError(recorded.error ?? 'Error', recorded.cause);
}

function readS3(objects: readonly S3Object[], resource: string, params: JsonObject | null): JsonValue {
  const bucket = params?.Bucket;
  const matchesBucket = (o: S3Object): boolean => o.bucket === null || o.bucket === undefined || o.bucket === bucket;
  const bodyOf = (o: S3Object): string => (typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
  if (resource.endsWith('listObjectsV2')) {
    const prefix = typeof params?.Prefix === 'string' ? params.Prefix : '';
    return {
      Contents: objects.filter((o) => matchesBucket(o) && String(o.key).startsWith(prefix)).map((o) => ({
        Etag: `"${createHash('md5').update(bodyOf(o)).digest('hex')}"`,
        Key: o.key,
        LastModified: '2024-01-01T00:00:00Z',
        Size: Buffer.byteLength(bodyOf(o)),
        StorageClass: 'STANDARD',
      })),
    };
  }
  const obj = objects.find((o) => matchesBucket(o) && o.key === params?.Key);
  if (!obj) throw new StatesError('S3.NoSuchKey', 'The specified key does not exist.');
  return bodyOf(obj);
}
