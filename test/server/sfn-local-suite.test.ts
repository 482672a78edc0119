/*
 * A suite written the way suites for Step Functions Local are written (AWS's "Testing with mocked
 * service integrations" guide, https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html,
 * and its sample app's jest tests): the emulator started as its own process with the
 * MockConfigFile in SFN_MOCK_CONFIG, a state machine created with @aws-sdk/client-sfn, each test
 * case started as `<stateMachineArn>#<TestCase>`, DescribeExecution polled until the status is no
 * longer RUNNING, the history read (reversed, without execution data), executions listed by
 * status, one stopped in its Wait, definitions validated and one state tested alone. Each answer
 * is held to AWS's (the recordings of ../shared/serve-api, and the API reference where named).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand,
  StopExecutionCommand, TestStateCommand, ValidateStateMachineDefinitionCommand,
  type DescribeExecutionCommandOutput, type HistoryEvent, type SFNClient,
} from '@aws-sdk/client-sfn';
import { kill9, spawnServer, type Child } from './processes';

const ROLE = 'arn:aws:iam::123456789012:role/DummyRole';

/** The sample's shape: wait, call a function (mocked per test case), branch on its answer. */
const DEFINITION = JSON.stringify({
  StartAt: 'Settle',
  States: {
    'Settle': { Type: 'Wait', SecondsPath: '$.wait', Next: 'CheckCredit' },
    'CheckCredit': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'check-credit', 'Payload.$': '$' },
      ResultSelector: { 'approved.$': '$.Payload.approved' },
      ResultPath: '$.credit',
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 2 }],
      Next: 'Approved?',
    },
    'Approved?': { Type: 'Choice', Choices: [{ Variable: '$.credit.approved', BooleanEquals: true, Next: 'Done' }], Default: 'Declined' },
    'Done': { Type: 'Succeed' },
    'Declined': { Type: 'Fail', Error: 'CreditDeclined', Cause: 'the check said no' },
  },
});

const MOCK_CONFIG = {
  StateMachines: {
    CreditFlow: {
      TestCases: {
        HappyPath: { CheckCredit: 'Approved' },
        DeclinedPath: { CheckCredit: 'Declined' },
        ThrottledPath: { CheckCredit: 'ThrottledThenApproved' },
        // A file generated from data: no answers for a state this test case still enters.
        NoAnswersPath: { CheckCredit: 'GeneratedNone' },
      },
    },
  },
  MockedResponses: {
    Approved: { 0: { Return: { StatusCode: 200, Payload: { approved: true } } } },
    Declined: { 0: { Return: { StatusCode: 200, Payload: { approved: false } } } },
    GeneratedNone: {},
    // Generated for a state no test case enters, from an empty collection.
    GeneratedUnused: {},
    ThrottledThenApproved: {
      '0-1': { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded' } },
      '2': { Return: { StatusCode: 200, Payload: { approved: true } } },
    },
  },
};

let dir: string;
let server: Child;
let sfn: SFNClient;
let stateMachineArn: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-sfn-local-suite-'));
  const mockFile = path.join(dir, 'MockConfigFile.json');
  fs.writeFileSync(mockFile, JSON.stringify(MOCK_CONFIG));
  // Step Functions Local reads the MockConfigFile from SFN_MOCK_CONFIG, and its suites shorten waits
  // with WAIT_TIME_SCALE. At 0.01 the throttled path's two back-offs (1 s, 2 s) take 30 ms of real
  // time, so `finished` sees the end within its polls however slow the machine, while a Wait of
  // 3,600 s still lasts 36 s, long enough to be listed RUNNING and stopped in its Wait.
  server = await spawnServer(undefined, { env: { SFN_MOCK_CONFIG: mockFile, WAIT_TIME_SCALE: '0.01' } });
  sfn = server.sfn;
  ({ stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'CreditFlow', definition: DEFINITION, roleArn: ROLE })) as { stateMachineArn: string });
}, 120_000);

afterAll(async () => {
  await kill9(server);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Polls DescribeExecution until the execution is no longer RUNNING, as those suites do (bounded by turns, not by time). */
async function finished(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let turn = 0; turn < 2_000; turn++) {
    const d = await describeExecution(executionArn);
    if (d.status !== 'RUNNING') return d;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`${executionArn} still RUNNING after 2,000 polls`);
}

function describeExecution(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

async function history(executionArn: string, options: { reverseOrder?: boolean; includeExecutionData?: boolean } = {}): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, ...options, ...(nextToken ? { nextToken } : {}) }));
    events.push(...page.events!);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

async function start(testCase: string, input: object, name?: string): Promise<string> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#${testCase}`, input: JSON.stringify(input), ...(name ? { name } : {}) }));
  return executionArn!;
}

describe('a Step Functions Local suite, run against stepwright serve', () => {
  it('HappyPath: the execution of `<arn>#HappyPath` is the machine\'s, and succeeds with the mocked answer', async () => {
    const executionArn = await start('HappyPath', { wait: 0, customer: 'c-1' }, 'happy');
    // StartExecution on `<arn>#<TestCase>` names an execution of the machine itself.
    expect(executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:CreditFlow:happy');
    const d = await finished(executionArn);
    expect(d).toMatchObject({ status: 'SUCCEEDED', stateMachineArn, name: 'happy' });
    expect(JSON.parse(d.output!)).toEqual({ wait: 0, customer: 'c-1', credit: { approved: true } });
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());
    const types = (await history(executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded',
      'TaskStateExited', 'ChoiceStateEntered', 'ChoiceStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('DeclinedPath: fails with the Fail state\'s error and cause', async () => {
    const d = await finished(await start('DeclinedPath', { wait: 0 }));
    expect(d).toMatchObject({ status: 'FAILED', error: 'CreditDeclined', cause: 'the check said no' });
    expect(d.output).toBeUndefined();
  });

  it('ThrottledPath: retries the two mocked throttles, then succeeds', async () => {
    const executionArn = await start('ThrottledPath', { wait: 0 });
    expect((await finished(executionArn)).status).toBe('SUCCEEDED');
    const failed = (await history(executionArn)).filter((e) => e.type === 'TaskFailed');
    expect(failed.map((e) => e.taskFailedEventDetails)).toEqual([
      { resourceType: 'lambda', resource: 'invoke', error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded' },
      { resourceType: 'lambda', resource: 'invoke', error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded' },
    ]);
  });

  // Step Functions Local starts the server and the execution with a response of no entries, and fails the
  // execution with States.Runtime only when a state reaches it (floci-io/floci pull 2823, checked against
  // amazon/aws-stepfunctions-local 2.0.0, and issue 2523).
  it('NoAnswersPath: starts with responses of no entries, and fails with States.Runtime only when the state reaches one', async () => {
    const d = await finished(await start('NoAnswersPath', { wait: 0 }));
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(d.cause).toContain("state 'CheckCredit' ran 1 time in test case 'NoAnswersPath', but mocked response 'GeneratedNone' defines no invocation");
  });

  it('refuses a test case the file lacks with ValidationException, naming the test cases it has and not the server\'s folder', async () => {
    const refused = await start('SadPath', { wait: 0 }).then(() => undefined, (e: Error) => e);
    expect(refused?.name).toBe('ValidationException');
    expect(refused?.message).toMatch(/^--mock-config \(MockConfigFile\.json version [0-9a-f]{8}\): no test case 'SadPath' for state machine 'CreditFlow'; it has 'HappyPath', /);
    expect(refused?.message).not.toContain(dir);
  });

  it('reads the history reversed and without execution data, as GetExecutionHistory documents them', async () => {
    const executionArn = await start('HappyPath', { wait: 0, secret: 'card-4242' });
    await finished(executionArn);
    const forward = await history(executionArn);
    const reversed = await history(executionArn, { reverseOrder: true });
    expect(reversed.map((e) => e.id)).toEqual(forward.map((e) => e.id).reverse());
    expect(reversed[0].type).toBe('ExecutionSucceeded');
    const bare = await history(executionArn, { includeExecutionData: false });
    expect(bare.map((e) => e.type)).toEqual(forward.map((e) => e.type));
    expect(JSON.stringify(bare)).not.toContain('card-4242');
    expect(bare[0].executionStartedEventDetails).toMatchObject({ roleArn: ROLE });
    expect(bare[0].executionStartedEventDetails!.input).toBeUndefined();
    expect(bare.find((e) => e.type === 'ExecutionSucceeded')!.executionSucceededEventDetails!.output).toBeUndefined();
  });

  it('lists executions by status: SUCCEEDED holds the finished ones, RUNNING the one still waiting', async () => {
    const waiting = await start('HappyPath', { wait: 3600 }, 'still-waiting');
    const done = await start('HappyPath', { wait: 0 }, 'listed-done');
    await finished(done);
    const succeeded = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }));
    expect(succeeded.executions!.map((e) => e.name)).toContain('listed-done');
    expect(succeeded.executions!.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    expect(running.executions!.map((e) => e.executionArn)).toContain(waiting);
    expect(running.executions!.every((e) => e.status === 'RUNNING' && e.stopDate === undefined)).toBe(true);
    await sfn.send(new StopExecutionCommand({ executionArn: waiting }));
  });

  it('stops an execution in its Wait: ABORTED, the Wait never exited, ExecutionAborted last with the error and cause given', async () => {
    const executionArn = await start('HappyPath', { wait: 3600 }, 'stopped-in-wait');
    for (let turn = 0; turn < 2_000 && !(await history(executionArn)).some((e) => e.type === 'WaitStateEntered'); turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator.Cancel', cause: 'customer left' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const d = await describeExecution(executionArn);
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Operator.Cancel', cause: 'customer left' });
    expect(d.stopDate!.getTime()).toBe(stopped.stopDate!.getTime());
    const events = await history(executionArn);
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
    expect(events[2].executionAbortedEventDetails).toEqual({ error: 'Operator.Cancel', cause: 'customer left' });
  });

  it('validates definitions: OK with no diagnostics, FAIL naming what is wrong', async () => {
    const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: DEFINITION }));
    expect(ok).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
    const broken = JSON.stringify({ StartAt: 'Settle', States: { Settle: { Type: 'Wait', Seconds: 1, Next: 'Nowhere' } } });
    const fail = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: broken }));
    expect(fail.result).toBe('FAIL');
    expect(fail.diagnostics!.length).toBeGreaterThan(0);
    expect(fail.diagnostics!.every((x) => x.severity === 'ERROR' && typeof x.code === 'string' && typeof x.message === 'string')).toBe(true);
  });

  it('tests one state alone with inspectionLevel DEBUG (and TRACE with revealSecrets): the data after each step, as strings', async () => {
    const state = JSON.stringify({
      Type: 'Pass', InputPath: '$.order', Parameters: { 'id.$': '$.id' }, ResultPath: '$.picked', Next: 'After',
    });
    const answer = await sfn.send(new TestStateCommand({ definition: state, roleArn: ROLE, input: '{"order":{"id":7}}', inspectionLevel: 'DEBUG' }));
    // ResultPath places the result into the state's raw input, not what InputPath chose of it.
    expect(answer).toMatchObject({ status: 'SUCCEEDED', nextState: 'After', output: '{"order":{"id":7},"picked":{"id":7}}' });
    expect(answer.inspectionData).toMatchObject({
      input: '{"order":{"id":7}}', afterInputPath: '{"id":7}', afterParameters: '{"id":7}', afterResultPath: '{"order":{"id":7},"picked":{"id":7}}',
    });
    const info = await sfn.send(new TestStateCommand({ definition: state, roleArn: ROLE, input: '{"order":{"id":7}}' }));
    expect(info.inspectionData).toBeUndefined();
    // revealSecrets concerns what an HTTP Task's connection adds (TestState's API reference); a Pass state has none to hide.
    const traced = await sfn.send(new TestStateCommand({ definition: state, roleArn: ROLE, input: '{"order":{"id":7}}', inspectionLevel: 'TRACE', revealSecrets: true }));
    expect(traced).toMatchObject({ status: 'SUCCEEDED', output: '{"order":{"id":7},"picked":{"id":7}}' });
    expect(traced.inspectionData).toMatchObject({ afterInputPath: '{"id":7}' });
  });
});
