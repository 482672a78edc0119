// Conformance adapter: runs the AWS-recorded cases of ../shared/conformance through the
// compiled stepwright interpreter (lib/), replaying each Task's recorded result.
//   npx projen compile && node ../shared/conformance/run.mjs --adapter test/conformance/adapter.mjs
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { compileStateMachine, StatesError } = require(path.join(here, '..', '..', 'lib', 'interpreter', 'index.js'));
const { MemoryObjectStore } = require(path.join(here, '..', '..', 'lib', 'workbench', 's3', 'memory-store.js'));
const sharedDir = process.env.STEPWRIGHT_SHARED ?? path.join(here, '..', '..', '..', 'shared');
const { MockReplayer } = await import(pathToFileURL(path.join(sharedDir, 'conformance', 'lib', 'mocks.mjs')).href);

export const name = 'stepwright';
export const capabilities = { taskMocks: true, itemReader: true };

export async function run(definition, input, { taskMocks = [], fixtures = {}, context = {} } = {}) {
  const replay = new MockReplayer(taskMocks);
  const objects = fixtures.s3Objects ?? [];
  const { definition: runnable, deleted } = withActivityArns(definition, taskMocks);
  const machine = compileStateMachine(runnable, {
    activityExists: (arn) => !deleted.has(arn),
    stateMachineName: context.stateMachineName,
    region: context.region,
    accountId: context.accountId,
    roleArn: context.roleArn,
    defaultTaskHandler: (taskInput, request) => answer(replay, taskInput, request),
  });
  // A Map's ItemReader reads the case's objects from a local S3, parsed as stepwright parses any.
  const store = objects.length ? s3Store(objects, input) : undefined;
  const execution = machine.start(input, {
    name: context.executionName,
    ...(store ? { localS3: { store, handled: (state) => replay.byState.has(state) } } : {}),
  });
  const result = await execution.result;
  const out = { status: result.status, eventTypes: result.history.map((e) => e.type) };
  // The activity ARNs given above are this adapter's: what the run says, it says of the recording's placeholder.
  const placeholders = (v) => (runnable === definition ? v : withPlaceholders(v));
  if (result.status === 'SUCCEEDED') out.output = placeholders(result.output);
  else {
    if (result.error !== undefined) out.error = result.error;
    if (result.cause !== undefined) out.cause = placeholders(result.cause);
  }
  return out;
}

const ACTIVITY_ARN_PREFIX = 'arn:aws:states:us-east-1:123456789012:activity:';

/** Every string of a value with the activity ARNs withActivityArns made turned back into the placeholders they stand for. */
function withPlaceholders(v) {
  if (typeof v === 'string') return v.split(ACTIVITY_ARN_PREFIX).join('');
  if (Array.isArray(v)) return v.map(withPlaceholders);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withPlaceholders(x)]));
  return v;
}

/**
 * LocalStack's activity tests create the activity first and put its ARN into the
 * definition; the recording keeps the template's placeholder (`"activity_arn"`),
 * which AWS would refuse as a Resource. Such a Task Resource (not an ARN) gets an
 * activity ARN, as on AWS. When nothing was recorded for it, the activity was never
 * scheduled: it had been deleted, and it is reported as not existing.
 */
function withActivityArns(definition, taskMocks) {
  const called = new Set(taskMocks.filter((m) => m.kind === 'activity' && typeof m.resource === 'string').map((m) => m.resource));
  const deleted = new Set();
  const text = JSON.stringify(definition);
  if (!/"Resource":"(?!arn:)/.test(text)) return { definition, deleted };
  const runnable = JSON.parse(text, function (key, value) {
    if (key !== 'Resource' || typeof value !== 'string' || value.startsWith('arn:') || this.Type !== 'Task') return value;
    const arn = `${ACTIVITY_ARN_PREFIX}${value}`;
    if (!called.has(value)) deleted.add(arn);
    return arn;
  });
  return { definition: runnable, deleted };
}

/** The case's S3 objects in a local S3; one recorded with no bucket is in the bucket the input names. */
function s3Store(objects, input) {
  const store = new MemoryObjectStore(() => Date.UTC(2024, 0, 1));
  const inputBucket = input !== null && typeof input === 'object' && typeof input.Bucket === 'string' ? input.Bucket : 'bucket-name';
  for (const o of objects) {
    const bucket = o.bucket ?? inputBucket;
    store.createBucket(bucket);
    store.write(bucket, o.key, typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
  }
  return store;
}

function answer(replay, taskInput, request) {
  const resource = request.resource;
  const recorded = replay.next(request.stateName, taskInput);
  if (!recorded) {
    throw new StatesError('Conformance.UnexpectedTaskInvocation', `no recorded result for Task state '${request.stateName}'`);
  }
  const timedOut = recorded.error === 'States.Timeout' || recorded.eventType?.endsWith('TimedOut');
  if (request.taskToken !== undefined && /\.waitForTaskToken$/.test(resource)) {
    // The service call was made; the recorded outcome arrives later through the callback.
    if (!timedOut) {
      queueMicrotask(() => {
        if ('output' in recorded) request.execution.sendTaskSuccess(request.taskToken, structuredClone(recorded.output));
        else request.execution.sendTaskFailure(request.taskToken, recorded.error ?? undefined, recorded.cause ?? undefined);
      });
    }
    return {};
  }
  // A timeout recorded for a call with no callback: the recorded error says which clock ran out.
  if (timedOut) throw new StatesError(recorded.error ?? 'States.Timeout', recorded.cause);
  if ('output' in recorded) return structuredClone(recorded.output);
  // A failure recorded with no error name (a worker's SendTaskFailure that gave none) fails with none.
  throw new StatesError(recorded.error ?? '', recorded.cause ?? undefined);
}
