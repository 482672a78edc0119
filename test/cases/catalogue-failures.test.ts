import { DOORS, type BehaviourCase, type DoorName } from './case-format';
import { definitionOf, expectedCause, expectedError, requestOf, ROWS, STATE, type Row } from './catalogue-rows';
import { staleBuild } from './doors/cli-door';
import { MACHINE_NAME, VIRTUAL_CLOCK_START } from './doors/door';
import { throughDoors, type GeneratedResult } from './generated/through-doors';
import { EXECUTION_NAME, Normaliser } from './normalise';
import type { JsonObject, JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { CATALOGUE, DEVELOPER_GUIDE } from '../../src/asl/integrations';
import { listedJobStates } from '../../src/contracts';

/*
 * Never green where AWS fails, at every door, and never red where it succeeds: each failure row of
 * the integration catalogue (src/asl/integrations.ts, every rule with each pattern whose answer it
 * judges, each with its source) is a machine of one Task answered by the rule's failing example
 * through a MockConfigFile Return, run through the four doors with the behaviour cases' own drivers
 * (the jest harness, `stepwright run`, serve through @aws-sdk/client-sfn, `stepwright mcp`): every
 * door must end it FAILED with the rule's error and cause. The same machine answered by the rule's
 * succeeding example must end SUCCEEDED with that answer as output. A callback's rule judges what
 * its call submitted, which no file a door reads can give (test/workbench/answer-outcome-doors.test.ts
 * gives it through the harness).
 */

jest.setTimeout(600_000);

const NAMES = { machine: MACHINE_NAME, execution: EXECUTION_NAME, start: VIRTUAL_CLOCK_START };

function failingCase(r: Row): BehaviourCase {
  return {
    id: `catalogue-fails-${r.id}`,
    description: `${r.resource} answered with the catalogue's failing example fails the Task and the run`,
    aws: r.rule.source.join('; '),
    definition: definitionOf(r),
    input: {},
    mockConfig: { [STATE]: { 0: { Return: r.rule.failing as JsonValue } } },
    expect: { status: 'FAILED', error: expectedError(r), cause: expectedCause(r), path: [STATE], events: ['TaskFailed', 'ExecutionFailed'] },
  };
}

/**
 * The same answer as a `--mocks` table gives it (`stepwright run --mocks`, MCP's `mocks`, the
 * harness's mocksFromJson); serve takes no such table. A Lambda answer there is its function's
 * payload, whose function error is a Throw, so Lambda's row has no such form.
 */
function mockedCase(r: Row): BehaviourCase {
  const { mockConfig: _config, ...c } = failingCase(r);
  return { ...c, id: `catalogue-fails-mocked-${r.id}`, description: `${c.description}, given in a --mocks table`, mocks: { [STATE]: { Return: r.rule.failing as JsonValue } } };
}

function succeedingCase(r: Row): BehaviourCase {
  return {
    id: `catalogue-succeeds-${r.id}`,
    description: `${r.resource} answered with the catalogue's succeeding example is the Task's result`,
    aws: r.rule.source.join('; '),
    definition: definitionOf(r),
    input: {},
    mockConfig: { [STATE]: { 0: { Return: r.rule.succeeding as JsonValue } } },
    // Its ids as every door's output is compared: a UUID as `<uuid:1>` (normalise.ts).
    expect: { status: 'SUCCEEDED', output: new Normaliser(NAMES).value(r.rule.succeeding as JsonValue), path: [STATE], events: ['TaskSucceeded', 'ExecutionSucceeded'] },
  };
}

/**
 * Answers AWS never gives that once ran green where every answer AWS gives with the same entries
 * fails: PutEvents counts each entry that carries an ErrorCode in FailedEntryCount (API_PutEvents,
 * API_PutEventsResultEntry), so failed entries beside a count of 0, or none, are still failed entries.
 */
const NEVER_GIVEN: BehaviourCase[] = ([
  { Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }] },
  { Entries: [{ EventId: 'e-1' }, { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }], FailedEntryCount: 0 },
] as JsonObject[]).map((answer, i) => ({
  id: `catalogue-put-events-failed-entry-uncounted-${i}`,
  description: 'putEvents answered with a failed entry its FailedEntryCount does not count fails the Task with EventBridge.FailedEntry',
  aws: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html',
  definition: { StartAt: STATE, States: { [STATE]: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: requestOf('arn:aws:states:::events:putEvents'), End: true } } } as StateMachineDefinition,
  input: {},
  mockConfig: { [STATE]: { 0: { Return: answer } } },
  expect: { status: 'FAILED', error: 'EventBridge.FailedEntry', cause: JSON.stringify(answer), path: [STATE], events: ['TaskFailed', 'ExecutionFailed'] },
}));

/**
 * A job's failing state in a case its service never writes ("failed" for Glue's FAILED, "FAILED"
 * for SageMaker's Failed), an ECS exit code as text: AWS never answers so, and the Task reads the state as the service writes
 * it, so the Task succeeds with the answer; every door says what the answer most likely meant.
 */
const MISTYPED: BehaviourCase[] = ([
  ['glue:startJobRun.sync', { JobRunState: 'failed' }, 'JobRunState', 'failed', 'FAILED'],
  ['sagemaker:createTrainingJob.sync', { TrainingJobStatus: 'FAILED' }, 'TrainingJobStatus', 'FAILED', 'Failed'],
  ['ecs:runTask.sync', { Containers: [{ ExitCode: '1' }] }, 'Containers.*.ExitCode', '1', 1],
] as Array<[string, JsonObject, string, string, string | number]>).map(([action, answer, field, given, meant]) => ({
  id: `catalogue-mistyped-${action.replace(/[:.]/g, '-')}`,
  description: `${action} answered with a failing state in a case the service never writes succeeds, with advice naming the state`,
  aws: 'https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-sync',
  definition: { StartAt: STATE, States: { [STATE]: { Type: 'Task', Resource: `arn:aws:states:::${action}`, Parameters: requestOf(`arn:aws:states:::${action}`), End: true } } } as StateMachineDefinition,
  input: {},
  mockConfig: { [STATE]: { 0: { Return: answer } } },
  expect: {
    status: 'SUCCEEDED',
    output: answer,
    path: [STATE],
    advice: [`gives ${JSON.stringify(given)} at ${field}, a value the service never writes so: it writes ${JSON.stringify(meant)}`],
  },
}));

/**
 * A mock's error under an integration's own prefix that the integration never raises (API
 * Gateway's errors are `ApiGateway.<status>`; a failed child execution fails the Task with
 * `States.TaskFailed`): a Catch tested with it takes it and the run is green, where the error AWS
 * raises passes that Catch by. The error lists of these integrations are open, so it is a guess:
 * the run goes on, and every door tells it.
 */
const STRAY: BehaviourCase[] = ([
  ['apigateway:invoke', 'ApiGateway.Forbidden', 'ApiGateway.403'],
  ['states:startExecution.sync', 'StepFunctions.ExecutionFailed', 'States.TaskFailed'],
] as const).map(([action, error, raised]) => ({
  id: `catalogue-stray-error-${action.replace(/[:.]/g, '-')}`,
  description: `a mock of ${action} failing with ${error}, which it never raises, is caught as written, with advice`,
  aws: `AWS raises ${raised} there: ${DEVELOPER_GUIDE}${CATALOGUE.get(action.replace(/\.sync$/, ''))!.page}`,
  definition: {
    StartAt: STATE,
    States: {
      [STATE]: {
        Type: 'Task',
        Resource: `arn:aws:states:::${action}`,
        Parameters: requestOf(`arn:aws:states:::${action}`),
        Catch: [{ ErrorEquals: [error], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Pass', End: true },
    },
  } as StateMachineDefinition,
  input: {},
  mockConfig: { [STATE]: { 0: { Throw: { Error: error, Cause: 'mocked' } } } },
  expect: {
    status: 'SUCCEEDED',
    path: [STATE, 'Caught'],
    advice: [`fails with '${error}', a name under the prefix of arn:aws:states:::${action} that it never raises`],
  },
}));

/**
 * A `states:startExecution.sync` answer holds the child's Output as JSON text (recorded); one giving
 * it as an object is an answer AWS never gives, and a state reading into it runs green here where
 * it fails on AWS: every door tells it, and none tells the answer AWS gives.
 */
const CHILD_OUTPUT: BehaviourCase[] = ([['object', { orderId: 'o-1' }], ['text', '{"orderId":"o-1"}']] as Array<[string, JsonValue]>).map(([form, output]) => ({
  id: `catalogue-child-sync-output-${form}`,
  description: `a states:startExecution.sync answer with the child's Output as ${form} ${form === 'object' ? 'is told' : 'is the answer AWS gives'}`,
  aws: '../shared/conformance credentials/TestCredentialsBase_test_cross_account_states_start_sync_execution',
  definition: definitionOf(ROWS.find((r) => r.resource === 'arn:aws:states:::states:startExecution.sync')!),
  input: {},
  mockConfig: { [STATE]: { 0: { Return: { Status: 'SUCCEEDED', Output: output } } } },
  expect: {
    status: 'SUCCEEDED',
    output: { Status: 'SUCCEEDED', Output: output },
    advice: form === 'object'
      ? ['gives Output as JSON, where a arn:aws:states:::states:startExecution.sync answer holds the child\'s Output as JSON text']
      : [],
  },
}));

/**
 * A Lambda invoke answered with a status outside the 200 range and no FunctionError: Lambda never
 * answers so (a failed call is an error the Task raises), so every door tells it; 202, an Event
 * invocation's status, is not told.
 */
const LAMBDA_STATUS: BehaviourCase[] = [500, 202].map((status) => ({
  id: `catalogue-lambda-status-${status}`,
  description: `a lambda:invoke answer with StatusCode ${status} ${status === 500 ? 'is told: Lambda never answers so' : 'is an Event invocation\'s, not told'}`,
  aws: 'https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html',
  definition: definitionOf(ROWS.find((r) => r.resource === 'arn:aws:states:::lambda:invoke')!),
  input: {},
  mockConfig: { [STATE]: { 0: { Return: { StatusCode: status, ExecutedVersion: '$LATEST', Payload: { ok: true } } } } },
  expect: {
    status: 'SUCCEEDED',
    output: { StatusCode: status, ExecutedVersion: '$LATEST', Payload: { ok: true } },
    advice: status === 500 ? ['gives StatusCode 500, which Lambda never answers an invoke with'] : [],
  },
}));

/** A `.sync` Task answered with a job in `state` at `path`: the Task's result, which every door tells with `advice`. */
function toldJob(r: Row, id: string, description: string, aws: string, path: string, state: string, advice: string): BehaviourCase {
  const answer = path.split('.').reduceRight<JsonValue>((inner, step) => ({ [step]: inner }), state) as JsonObject;
  return {
    id,
    description,
    aws,
    definition: definitionOf(r),
    input: {},
    mockConfig: { [STATE]: { 0: { Return: answer } } },
    expect: { status: 'SUCCEEDED', output: answer, path: [STATE], advice: [advice] },
  };
}

/**
 * A `.sync` answer whose job has not ended (a child execution RUNNING, a Batch job RUNNABLE): Step
 * Functions waits for the job to end before the Task answers (connect-to-resource.html#connect-sync),
 * so AWS never answers so. The Task takes it as its result (no guess fails a run) and every door
 * tells it, naming the state, the field, the value and the answer of a job that ended.
 */
// A rule can name its describe call (running.described) and list no state before the end: an EKS
// delete's job reads DELETING as it ends (64e7466a). Only a rule that lists such a state gets a case.
const UNENDED: BehaviourCase[] = ROWS.filter((r) => (r.rule.running?.oneOf.length ?? 0) > 0).map((r) => {
  const running = r.rule.running!;
  const state = running.oneOf.includes('RUNNING') ? 'RUNNING' : running.oneOf[running.oneOf.length - 1];
  const path = running.at[running.at.length - 1];
  return toldJob(r, `catalogue-unended-${r.id}`, `${r.resource} answered with a job still ${state} is the Task's result, with advice: AWS answers once the job ends`,
    `${DEVELOPER_GUIDE}connect-to-resource.html#connect-sync`, path, state,
    `The answer of Task '${STATE}' gives ${JSON.stringify(state)} at ${path}, a job that has not ended: a ${r.resource} Task waits until its job ends`);
});

/**
 * A `.sync` answer whose job ended in a state the service's describe call lists that no AWS page or
 * recording ties to the Task's outcome (an EMR cluster TERMINATED, a SageMaker job Deleting, an ECS
 * task stopped as UserInitiated): AWS's behaviour is unknown, so the Task takes it as its result
 * (never a failure on a guess) and every door tells it, one case per such state of each rule.
 */
const UNDECIDED: BehaviourCase[] = ROWS.flatMap((r) => {
  const described = r.rule.running?.described;
  const test = r.rule.test;
  if (described === undefined || !('oneOf' in test)) return [];
  const path = r.rule.at[0];
  const success = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], r.rule.succeeding);
  const decided = new Set<unknown>([...test.oneOf, ...r.rule.running!.oneOf, success]);
  return (listedJobStates(described) ?? []).filter((state) => !decided.has(state)).map((state) => toldJob(r, `catalogue-undecided-${r.id}-${state}`,
    `${r.resource} answered with a job that ended ${state}, which no AWS page ties to the Task's end, is its result, told`,
    `${DEVELOPER_GUIDE}connect-to-resource.html#connect-sync; docs/fidelity.md (.sync jobs, service by service)`, path, state,
    `The answer of Task '${STATE}' gives ${JSON.stringify(state)} at ${path}, a state its service lists that no AWS page or recording ties to `
      + `how a ${r.resource} Task ends`));
});

/**
 * A `.sync` answer that holds no job state at all where the Task reads one (a `{}` written for the
 * call alone): Step Functions answers a Run a Job Task once its job has ended, with the job as the
 * service describes it (connect-to-resource.html#connect-sync), so AWS never answers without its
 * state. The Task takes it as its result (no guess fails a run) and every door tells it, naming where
 * the state is read, one per `.sync` Resource whose rules read a job's state.
 */
const STATELESS: BehaviourCase[] = [...new Map(ROWS.filter((r) => /\.sync(:2)?$/.test(r.resource)).map((r) => [r.resource, r])).values()].flatMap((r) => {
  const rules = ('fails' in r.row.outcome ? r.row.outcome.fails : []).filter((rule) => 'oneOf' in rule.test && rule.test.oneOf.length > 0);
  if (rules.length === 0) return [];
  const read = [...new Set(rules.flatMap((rule) => [...rule.at, ...(rule.running?.at ?? [])]))];
  return [{
    id: `catalogue-stateless-${r.resource.slice('arn:aws:states:::'.length).replace(/[:.]/g, '-')}`,
    description: `${r.resource} answered with no job state is the Task's result, with advice: AWS answers with the job as it ended`,
    aws: `${DEVELOPER_GUIDE}connect-to-resource.html#connect-sync`,
    definition: definitionOf(r),
    input: {},
    mockConfig: { [STATE]: { 0: { Return: {} } } },
    expect: {
      status: 'SUCCEEDED',
      output: {},
      path: [STATE],
      advice: [`The answer of Task '${STATE}' gives no job state at ${read.join(' or ')}: a ${r.resource} Task answers once its job has ended`],
    },
  }];
});

/**
 * An AWS SDK integration's answer that reports entries the service did not take: "AWS SDK
 * integrations work exactly like an API call using the AWS SDK" (integrate-services.html), and each
 * of these calls answers 200 with its failed entries in the answer (the API references below), so
 * the Task succeeds with it, here as on AWS. Only an optimized integration's row (events:putEvents)
 * turns such entries into a failure; the same call through aws-sdk does not. So with a Lambda
 * function's error: the optimized lambda:invoke fails on FunctionError, what its page names as
 * what it adds to the API's answer; aws-sdk:lambda:invoke answers as Lambda's Invoke does.
 */
const SDK_ENTRIES: BehaviourCase[] = ([
  ['dynamodb:batchWriteItem', { UnprocessedItems: { Orders: [{ PutRequest: { Item: { id: { S: 'o-1' } } } }] } },
    'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html'],
  ['sqs:sendMessageBatch', { Successful: [], Failed: [{ Id: 'm-1', SenderFault: true, Code: 'InvalidParameterValue', Message: 'too long' }] },
    'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html'],
  ['sns:publishBatch', { Successful: [], Failed: [{ Id: 'm-1', SenderFault: false, Code: 'InternalError', Message: 'retry' }] },
    'https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html'],
  ['firehose:putRecordBatch', { FailedPutCount: 1, Encrypted: false, RequestResponses: [{ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }] },
    'https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html'],
  ['kinesis:putRecords', { FailedRecordCount: 1, Records: [{ ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' }] },
    'https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html'],
  ['eventbridge:putEvents', { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' }] },
    'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html'],
  // connect-lambda.html names failing on FunctionError as what the optimized integration adds; the SDK's answer holds the payload as text.
  ['lambda:invoke', { StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST', Payload: '{"errorType":"Error","errorMessage":"failed"}' },
    `${DEVELOPER_GUIDE}connect-lambda.html`],
] as Array<[string, JsonObject, string]>).map(([action, answer, page]) => {
  const resource = `arn:aws:states:::aws-sdk:${action}`;
  return {
    id: `catalogue-sdk-entries-${action.replace(/[:.]/g, '-')}`,
    description: `aws-sdk:${action} answered with entries the service did not take is the Task's result, as the SDK's call is`,
    aws: `${DEVELOPER_GUIDE}integrate-services.html#connect-to-services-awssdk; ${page}`,
    definition: { StartAt: STATE, States: { [STATE]: { Type: 'Task', Resource: resource, Parameters: requestOf(resource), End: true } } } as StateMachineDefinition,
    input: {},
    mockConfig: { [STATE]: { 0: { Return: answer } } },
    expect: { status: 'SUCCEEDED', output: answer, path: [STATE], events: ['TaskSucceeded', 'ExecutionSucceeded'] },
  };
});

/**
 * A Task calling a function by its ARN (the legacy Resource) takes what the function returned as
 * its result, with no invoke response around it, and fails when the function fails
 * (connect-lambda.html): an answer shaped as the invoke response with a FunctionError is the
 * function's own output, so the Task succeeds with it, and every door tells it, whether the
 * answer is a MockConfigFile Return or a --mocks table's (serve takes no table). A function's
 * output without a FunctionError is not told.
 */
const LEGACY_LAMBDA: BehaviourCase[] = ([
  ['config', { StatusCode: 200, FunctionError: 'Unhandled', Payload: { errorType: 'Order.Rejected', errorMessage: 'no stock' } }],
  ['table', { StatusCode: 200, FunctionError: 'Unhandled', Payload: { errorType: 'Order.Rejected', errorMessage: 'no stock' } }],
  ['config-plain', { StatusCode: 200, Payload: { orderId: 'o-1' } }],
] as Array<[string, JsonObject]>).map(([form, answer]) => ({
  id: `catalogue-legacy-lambda-${form}`,
  description: `a Task naming a function's ARN answered with an invoke response ${answer.FunctionError ? 'holding a FunctionError is its result, told' : 'without one is its result, not told'}`,
  aws: `${DEVELOPER_GUIDE}connect-lambda.html`,
  definition: { StartAt: STATE, States: { [STATE]: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:orders', End: true } } } as StateMachineDefinition,
  input: {},
  ...(form === 'table' ? { mocks: { [STATE]: { Return: answer } } } : { mockConfig: { [STATE]: { 0: { Return: answer } } } }),
  expect: {
    status: 'SUCCEEDED',
    output: answer,
    path: [STATE],
    advice: answer.FunctionError ? [`The answer of Task '${STATE}' looks like Lambda's invoke response with FunctionError "Unhandled", but a Task whose Resource is the function's ARN`] : [],
  },
}));

const FAILING = ROWS.map(failingCase);
const MOCKED = ROWS.filter((r) => r.row.resource !== 'lambda:invoke').map(mockedCase);
const SUCCEEDING = ROWS.map(succeedingCase);

let results = new Map<string, GeneratedResult>();

beforeAll(async () => {
  const stale = staleBuild();
  if (stale) throw new Error(stale);
  const cases = [...FAILING, ...MOCKED, ...SUCCEEDING, ...NEVER_GIVEN, ...MISTYPED, ...STRAY, ...CHILD_OUTPUT, ...LAMBDA_STATUS, ...UNENDED,
    ...UNDECIDED, ...STATELESS, ...SDK_ENTRIES, ...LEGACY_LAMBDA];
  results = new Map((await throughDoors(cases)).map((r) => [r.case.id, r]));
}, 600_000);

/** What each door did that the case does not expect: its status where it differs, then each difference. */
function misses(c: BehaviourCase): string[] {
  const r = results.get(c.id)!;
  const statuses = DOORS.filter((d: DoorName) => r.statuses[d] !== c.expect.status && !(d === 'serve' && c.mocks)).map((d) => `${d}: ${r.statuses[d]}`);
  return [...statuses, ...r.differences.map((d) => `${d.key}: ${d.detail}`)];
}

it('takes every failure row of the catalogue but the callbacks\' (the table is neither empty nor stale)', () => {
  expect(ROWS.length).toBeGreaterThanOrEqual(38);
  expect(new Set(ROWS.map((r) => r.id)).size).toBe(ROWS.length);
});

describe('a failure row\'s failing answer fails the run FAILED with the row\'s error and cause at every door', () => {
  it.each(FAILING.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

describe('given in a --mocks table, the failing answer fails the run the same way through jest, stepwright run and MCP', () => {
  it.each(MOCKED.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(results.get(c.id)!.statuses.serve).toBe('cannot');
    expect(misses(c)).toEqual([]);
  });
});

describe('an answer AWS never gives, with failed entries its count leaves out, fails the run at every door', () => {
  it.each(NEVER_GIVEN.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

describe('a failing state in a case the service never writes is the Task\'s result, with the same advice at every door', () => {
  it.each(MISTYPED.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

describe('a mock\'s error under the integration\'s prefix that it never raises is caught as written, and every door tells it', () => {
  it.each(STRAY.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

describe('a .sync child\'s Output as JSON, which AWS gives as text, is told at every door', () => {
  it.each(CHILD_OUTPUT.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

describe('a Lambda answer with a status Lambda never answers an invoke with is told at every door', () => {
  it.each(LAMBDA_STATUS.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

describe('a .sync answer whose job has not ended, which AWS never gives, is told at every door', () => {
  it('takes every .sync row that names its job\'s states before the end', () => {
    expect(UNENDED.length).toBeGreaterThanOrEqual(27);
  });
  it.each(UNENDED.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

describe('a .sync answer whose job ended in a state no AWS page ties to the Task\'s end is its result, told at every door', () => {
  it('takes a state of each .sync rule whose service lists ends it does not decide (EMR, SageMaker, ECS)', () => {
    expect(UNDECIDED.map((c) => c.id.replace(/^catalogue-undecided-/, '').replace(/-\d+-[^-]+$/, ''))).toEqual(expect.arrayContaining([
      'ecs-runTask-sync', 'elasticmapreduce-createCluster-sync', 'sagemaker-createTrainingJob-sync', 'sagemaker-createHyperParameterTuningJob-sync',
    ]));
  });
  it.each(UNDECIDED.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

describe('a .sync answer with no job state, which AWS never gives, is told at every door', () => {
  it('takes every .sync Resource whose rules read its job\'s state', () => {
    expect(STATELESS.length).toBeGreaterThanOrEqual(27);
  });
  it.each(STATELESS.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

describe('an AWS SDK integration\'s answer with entries the service did not take is the Task\'s result at every door', () => {
  it.each(SDK_ENTRIES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

describe('a legacy Lambda Task\'s answer shaped as a failed invoke response is its result, told at every door', () => {
  it.each(LEGACY_LAMBDA.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    if (c.mocks) expect(results.get(c.id)!.statuses.serve).toBe('cannot');
    expect(misses(c)).toEqual([]);
  });
});

describe('the row\'s succeeding answer is the Task\'s result at every door (never red where AWS succeeds)', () => {
  it.each(SUCCEEDING.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(misses(c)).toEqual([]);
  });
});

it('counts rows × doors: every row ran through all four doors, none left out', () => {
  const ran = [...results.values()].flatMap((r) => DOORS.filter((d) => r.statuses[d] === 'FAILED' || r.statuses[d] === 'SUCCEEDED'));
  const table = LEGACY_LAMBDA.filter((c) => c.mocks !== undefined);
  const everyDoor = [FAILING, SUCCEEDING, NEVER_GIVEN, MISTYPED, STRAY, CHILD_OUTPUT, LAMBDA_STATUS, UNENDED, UNDECIDED, STATELESS, SDK_ENTRIES,
    LEGACY_LAMBDA].reduce((n, list) => n + list.length, 0) - table.length;
  expect(ran.length).toBe(everyDoor * DOORS.length + (MOCKED.length + table.length) * (DOORS.length - 1));
});
