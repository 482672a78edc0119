import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { StatesError } from '../../src/asl/states-errors';
import { compileStateMachine, type ExecutionResult, type TaskRequest } from '../../src/interpreter';
import { asTaskHandler } from '../../src/interpreter/execution-types';
import { answersFromHistory, answerTask, RecordedAnswers, type RecordedAnswer } from '../../src/workbench/replay/answers';
import { volatileFree } from '../../src/workbench/replay/compare';
import type { RecordedEvent } from '../../src/workbench/replay/format';
import { MemoryObjectStore } from '../../src/workbench/s3/memory-store';

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

/**
 * Runs one case to its end with its recorded Task results. `onTaskCall` sees each Task call's
 * input with the recorded call it was answered from.
 */
export async function runRecordedCase(c: RecordedCase, onTaskCall?: (input: JsonValue, recorded: RecordedAnswer) => void): Promise<ExecutionResult> {
  const canonical = (v: JsonValue): string => JSON.stringify(canonicalValue(v));
  const answers = new RecordedAnswers(answersOf(c.taskMocks ?? [], c.history), { canonical, reuseLast: true });
  const s3 = s3Store(c);
  const { definition, deleted } = withActivityArns(c.definition, c.taskMocks ?? []);
  const machine = compileStateMachine(definition, {
    activityExists: (arn) => !deleted.has(arn),
    stateMachineName: CONTEXT.stateMachineName,
    region: CONTEXT.region,
    accountId: CONTEXT.accountId,
    roleArn: CONTEXT.roleArn,
    defaultTaskHandler: asTaskHandler((input, request) => {
      const recorded = answers.next(request.stateName, input);
      if (!recorded) throw new StatesError('Conformance.UnexpectedTaskInvocation', `no recorded result for Task state '${request.stateName}'`);
      onTaskCall?.(input, recorded);
      return answerTask(recorded, request);
    }),
  });
  // A Map's ItemReader reads the case's S3 objects from a local S3, as it would read them on AWS.
  const localS3 = s3 ? { localS3: { store: s3, handled: (state: string) => answers.has(state) } } : {};
  return machine.start(c.input, { name: CONTEXT.executionName, ...localS3 }).result;
}

/**
 * The case's S3 objects in a local S3. An object recorded with no bucket is in the bucket the
 * execution asks for: the one its input names.
 */
export function s3Store(c: RecordedCase): MemoryObjectStore | undefined {
  const objects = c.fixtures?.s3Objects ?? [];
  if (objects.length === 0) return undefined;
  const store = new MemoryObjectStore(() => Date.UTC(2024, 0, 1));
  const inputBucket = c.input !== null && typeof c.input === 'object' && !Array.isArray(c.input) ? c.input.Bucket : undefined;
  for (const o of objects) {
    const bucket = o.bucket ?? (typeof inputBucket === 'string' ? inputBucket : 'bucket-name');
    store.createBucket(bucket);
    store.write(bucket, o.key, typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
  }
  return store;
}

/**
 * A case's recorded Task results as the replay's answers, in recorded order. What the services
 * answered on submission and the activity workers' names are no Task result, so the case's
 * `taskMocks` lack them; where the case holds AWS's history, each call's are read from it
 * (TaskSubmitted, ActivityStarted), as a user's mock would say them.
 */
function answersOf(results: readonly RecordedTaskResult[], history: RecordedCase['history']): RecordedAnswer[] {
  const said = new Map<string | null, RecordedAnswer[]>();
  for (const a of history ? answersFromHistory(history as unknown as RecordedEvent[]) : []) said.set(a.state, [...(said.get(a.state) ?? []), a]);
  return [...results].sort((a, b) => a.seq - b.seq).map((m) => {
    const fromHistory = said.get(m.state)?.shift();
    return {
      state: m.state,
      resource: m.resource,
      input: m.input,
      outcome: 'output' in m ? 'succeeded' : m.error === 'States.Timeout' || m.eventType?.endsWith('TimedOut') === true ? 'timedOut' : 'failed',
      output: m.output,
      error: m.error,
      cause: m.cause,
      ...(fromHistory?.submitted !== undefined ? { submitted: fromHistory.submitted } : {}),
      ...(fromHistory?.workerName !== undefined ? { workerName: fromHistory.workerName } : {}),
    };
  });
}

/** Strings as the recordings print them: partition, dates and UUIDs as placeholders, numbered references unnumbered. */
export function canonicalString(s: string): string {
  let out = s;
  out = out.split(`:execution:${CONTEXT.stateMachineName}:${CONTEXT.executionName}`).join(':execution:<sm_name>:<exec_name>');
  for (const [from, to] of [[CONTEXT.roleArn, 'snf_role_arn'], [CONTEXT.stateMachineName, '<sm_name>'], [CONTEXT.executionName, '<exec_name>'], [CONTEXT.region, '<region>']] as const) {
    out = out.split(from).join(to);
  }
  return volatileFree(out.replace(/arn:aws:/g, 'arn:<partition>:'))
    .replace(/<([A-Za-z_-][A-Za-z0-9_.-]*):\d+>/g, '<$1>')
    .replace(/<ArnPart_\d+idx>/g, '<sm_name>')
    .replace(/<ExecArnPart_\d+idx>/g, '<exec_name>');
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
export function withActivityArns(
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

/**
 * Answers the S3 calls of a Map's ItemReader (and ResultWriter) from the case's fixtures: the
 * recording holds no event for them. Undefined for any other call.
 */
export function s3Fixtures(c: RecordedCase): (input: JsonValue, request: TaskRequest) => JsonValue | undefined {
  const objects = c.fixtures?.s3Objects ?? [];
  return (input, request) => {
    const resource = request.resource;
    if (/^arn:[^:]+:states:::s3:(getObject|listObjectsV2)$/.test(resource) && objects.length) return readS3(objects, resource, input as JsonObject);
    if (/^arn:[^:]+:states:::s3:putObject$/.test(resource)) return {};
    return undefined;
  };
}

function readS3(objects: readonly S3Object[], resource: string, params: JsonObject | null): JsonValue {
  const bucket = params?.Bucket;
  const matchesBucket = (o: S3Object): boolean => o.bucket === null || o.bucket === undefined || o.bucket === bucket;
  const bodyOf = (o: S3Object): string => (typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
  if (resource.endsWith('listObjectsV2')) {
    const prefix = typeof params?.Prefix === 'string' ? params.Prefix : '';
    // Each object's fields in the order AWS's recordings give a listing's items.
    return {
      Contents: objects.filter((o) => matchesBucket(o) && String(o.key).startsWith(prefix)).map((o) => ({
        Etag: `"${createHash('md5').update(bodyOf(o)).digest('hex')}"`,
        LastModified: '2024-01-01T00:00:00Z',
        Key: o.key,
        Size: Buffer.byteLength(bodyOf(o)),
        StorageClass: 'STANDARD',
      })),
    };
  }
  const obj = objects.find((o) => matchesBucket(o) && o.key === params?.Key);
  if (!obj) throw new StatesError('S3.NoSuchKey', 'The specified key does not exist.');
  return bodyOf(obj);
}
