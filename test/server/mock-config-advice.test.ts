/*
 * A Step Functions Local suite's MockConfigFile against serve, unchanged: the shape of AWS's own
 * sample (aws-stepfunctions-examples, app-local-testing-mock-config), whose answers for its
 * events:putEvents states are a Lambda envelope ({ StatusCode, Payload }) and whose Comprehend
 * mock throws an unprefixed InternalServerException that the machine retries. AWS's TestState lets
 * both through, so serve runs them and says what it noticed; what AWS refuses, serve refuses,
 * naming its own flag. The machine and the answers are written here.
 */
import { GetExecutionHistoryCommand, StartExecutionCommand, DescribeExecutionCommand, CreateStateMachineCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';

const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:check';
const MACHINE = asl({
  StartAt: 'Checks',
  States: {
    Checks: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Check Name', States: { 'Check Name': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': FUNCTION, 'Payload.$': '$' }, End: true } } },
        { StartAt: 'Check Town', States: { 'Check Town': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': FUNCTION, 'Payload.$': '$' }, End: true } } },
      ],
      ResultPath: null,
      Next: 'Sentiment',
    },
    Sentiment: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:comprehend:detectSentiment',
      Parameters: { 'LanguageCode': 'en', 'Text.$': '$.comment' },
      Retry: [{ ErrorEquals: ['InternalServerException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1 }],
      ResultSelector: { 'sentiment.$': '$.Sentiment' },
      ResultPath: '$.result',
      Next: 'Remember',
    },
    Remember: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { TableName: 'followups', Item: { id: { 'S.$': '$.id' } } },
      ResultPath: null,
      Next: 'Announce',
    },
    Announce: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { Entries: [{ Detail: { 'id.$': '$.id' }, DetailType: 'FollowUp', Source: 'leads' }] },
      End: true,
    },
  },
});

const ENVELOPE = { 0: { Return: { StatusCode: 200, Payload: { statusCode: 200 } } } };
const POSITIVE = { Return: { Sentiment: 'POSITIVE', SentimentScore: { Mixed: 0.001, Negative: 0.002, Neutral: 0.01, Positive: 0.987 } } };
const MOCKS = {
  StateMachines: {
    Leads: {
      TestCases: {
        Happy: { 'Check Name': 'Checked', 'Check Town': 'Checked', 'Sentiment': 'Positive', 'Remember': 'Stored', 'Announce': 'Announced' },
        Retried: { 'Check Name': 'Checked', 'Check Town': 'Checked', 'Sentiment': 'Busy', 'Remember': 'Stored', 'Announce': 'Announced' },
        Refused: { 'Check Name': 'Checked', 'Check Town': 'Checked', 'Sentiment': 'Unknown', 'Remember': 'Stored', 'Announce': 'Announced' },
        Late: { 'Check Name': 'Checked', 'Check Town': 'Checked', 'Sentiment': 'Slow', 'Remember': 'Stored', 'Announce': 'Announced' },
      },
    },
  },
  MockedResponses: {
    Checked: ENVELOPE,
    Positive: { 0: POSITIVE },
    Busy: { '0-2': { Throw: { Error: 'InternalServerException', Cause: 'the service was busy' } }, '3': POSITIVE },
    Unknown: { 0: { Return: { Sentiment: 'DOUBTFUL' } } },
    // stepwright's own field, which serve's real clock refuses.
    Slow: { 0: { Delay: 60, ...POSITIVE } },
    Stored: { 0: { Return: { SdkHttpMetadata: { HttpStatusCode: 200 } } } },
    // A Lambda envelope for putEvents, as the sample's suite answers it.
    Announced: ENVELOPE,
  },
};

async function run(sfn: SFNClient, arn: string, testCase: string): Promise<{ status: string; cause?: string; errors: string[]; exited: string[] }> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#${testCase}`, name: `${testCase}-run`, input: JSON.stringify({ id: 'l-1', comment: 'great' }) }));
  const done = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return {
    status: done.status!,
    ...(done.cause !== undefined ? { cause: done.cause } : {}),
    errors: events!.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails!.error!),
    exited: events!.filter((e) => e.type === 'TaskStateExited').map((e) => e.stateExitedEventDetails!.name!),
  };
}

describe('serve: a Step Functions Local suite\'s MockConfigFile, unchanged', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  let arn: string;
  beforeAll(async () => {
    env = await serve({ mockConfig: MOCKS, timeScale: 1000 });
    arn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'Leads', definition: MACHINE, roleArn: ROLE }))).stateMachineArn!;
  });
  afterAll(() => env.stop());

  it('runs the happy path to its last state, though putEvents is answered with a Lambda envelope, and logs that as advice', async () => {
    const r = await run(env.sfn, arn, 'Happy');
    expect(r.status).toBe('SUCCEEDED');
    expect(r.exited).toContain('Announce');
    const advice = env.logs.filter((l) => l.startsWith('advice:'));
    expect(advice.join('\n')).toMatch(/advice: execution arn:aws:states:us-east-1:123456789012:execution:Leads:Happy-run: The mock of Task 'Announce' .*answers fields events:putEvents \(PutEvents\) never returns/s);
    expect(advice.join('\n')).toContain('stepwright serve --mock-advice fail');
  });

  it('retries the mocked InternalServerException three times, as the suite asserts, and says which name AWS raises', async () => {
    const r = await run(env.sfn, arn, 'Retried');
    expect(r.status).toBe('SUCCEEDED');
    expect(r.errors).toEqual(['InternalServerException', 'InternalServerException', 'InternalServerException']);
    expect(env.logs.join('\n')).toContain("fails with 'InternalServerException', which arn:aws:states:::aws-sdk:comprehend:detectSentiment never raises");
  });

  it('fails a call answered with a Delay with States.Runtime, saying serve runs on the real clock', async () => {
    const r = await run(env.sfn, arn, 'Late');
    expect(r.status).toBe('FAILED');
    expect(r.cause).toContain("--mock-config test case 'Late' answers Task 'Sentiment' with a Delay, stepwright's own field, which needs the virtual clock");
    expect(r.cause).toContain('serve runs on the real clock (--time-scale)');
  });

  it('refuses an answer AWS refuses (a sentiment outside the model\'s enum), naming serve\'s flag', async () => {
    const r = await run(env.sfn, arn, 'Refused');
    expect(r.status).toBe('FAILED');
    expect(r.cause).toContain('"DOUBTFUL" is not one of the values the model allows');
    expect(r.cause).toContain('stepwright serve --mock-validation NONE');
  });
});

describe('serve --mock-advice fail', () => {
  it('fails the Task whose mock answers a field the model does not define', async () => {
    const env = await serve({ mockConfig: MOCKS, timeScale: 1000, mockAdvice: 'fail' });
    try {
      const arn = (await env.sfn.send(new CreateStateMachineCommand({ name: 'Leads', definition: MACHINE, roleArn: ROLE }))).stateMachineArn!;
      const r = await run(env.sfn, arn, 'Happy');
      expect(r.status).toBe('FAILED');
      expect(r.cause).toContain('stepwright serve --mock-advice warn keeps the run going');
    } finally {
      await env.stop();
    }
  });
});
