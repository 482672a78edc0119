// Runs the globalSetup and globalTeardown of docs/migrate-from-step-functions-local.md around a
// test written as those run against Step Functions Local are: an SDK v3 client, a state machine
// created per suite, an execution started on '<arn>#<TestCase>', the history polled until it ends.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateStateMachineCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import setup from './sfn-local/sfn-setup';
import teardown from './sfn-local/sfn-teardown';

let sfn: SFNClient;
let stateMachineArn: string;

beforeAll(async () => {
  await setup();
  sfn = new SFNClient({
    endpoint: process.env.SFN_ENDPOINT,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const definition = fs.readFileSync(path.join(__dirname, 'sfn-local', 'state-machine.asl.json'), 'utf8');
  ({ stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
    name: 'LambdaSQSIntegration', definition, roleArn: 'arn:aws:iam::123456789012:role/DummyRole',
  })) as { stateMachineArn: string });
});
afterAll(async () => {
  sfn.destroy();
  await teardown();
});

async function historyOf(testCase: string): Promise<HistoryEvent[]> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#${testCase}`, input: '{"data":"test input"}' }));
  for (let i = 0; i < 500; i++) {
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    if (events.some((e) => e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed')) return events;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`execution ${executionArn} did not end`);
}

it('runs the happy path: both tasks succeed from the MockConfigFile', async () => {
  const events = await historyOf('HappyPath');
  expect(events.filter((e) => e.type === 'TaskSucceeded')).toHaveLength(2);
  expect(events.filter((e) => e.type === 'TaskStateExited').map((e) => e.stateExitedEventDetails?.name)).toEqual(['LambdaState', 'SQSState']);
});

it('runs the retry path: three mocked failures, then success, the back-offs shown in full', async () => {
  const events = await historyOf('RetryPath');
  expect(events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error))
    .toEqual(['Lambda.ResourceNotReadyException', 'Lambda.TimeoutException', 'Lambda.TimeoutException']);
  const scheduled = events.filter((e) => e.type === 'TaskScheduled').map((e) => e.timestamp!.getTime());
  // 2 s, 4 s, 8 s of back-off at --time-scale 100: 0.14 s of real time, 14 s in the history.
  expect(scheduled[3] - scheduled[0]).toBeGreaterThanOrEqual(14_000);
});
