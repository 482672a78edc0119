// Runs the recipe of docs/localstack.md: `stepwright serve` with LocalStack's account (and, in the
// guide, its port), the globalSetup a LocalStack suite already has waiting on /_localstack/health,
// then the suite's own calls: a client with LocalStack's test credentials, ARNs in 000000000000.
import { LambdaClient, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { serveCommand } from '../../../src/cli/serve-command';
import { streams, until } from '../../server/helpers';

let endpoint: string;
let stop: () => void;
let running: Promise<number>;
const { io, text } = streams();

beforeAll(async () => {
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  // The guide gives --port 4566; the test takes a free port, as other suites may run beside it.
  running = serveCommand(['--port', '0', '--account', '000000000000', '--region', 'us-east-1'], io, stopped, {});
  endpoint = await until(async () => text.out.split('\n')[0], (line) => line.startsWith('http://'));
  process.env.AWS_ENDPOINT_URL = endpoint;
  // Loaded after AWS_ENDPOINT_URL is set, as jest loads a globalSetup before any test.
  const { default: waitForLocalStack } = await import('./localstack/wait-for-localstack');
  await waitForLocalStack();
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  stop();
  expect(await running).toBe(0);
});

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

it('runs a LocalStack suite\'s Step Functions calls: ARNs in account 000000000000', async () => {
  const sfn = new SFNClient({ endpoint, region: 'us-east-1', credentials });
  try {
    const definition = JSON.stringify({ StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { hello: 'localstack' }, End: true } } });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
      name: 'hello', definition, roleArn: 'arn:aws:iam::000000000000:role/StepFunctionsRole',
    }));
    expect(stateMachineArn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:hello');
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    const d = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"hello":"localstack"}' });
  } finally {
    sfn.destroy();
  }
});

it('refuses the deploy script\'s Lambda call naming Lambda and what to use instead, in the error and in serve\'s log', async () => {
  const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const e = await lambda.send(new CreateFunctionCommand({
      FunctionName: 'charge', Role: 'arn:aws:iam::000000000000:role/r', Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: new Uint8Array([0]) },
    })).catch((x: unknown) => x as Error);
    expect((e as Error).message).toContain('is for lambda; answer Lambda Tasks with --handlers <module>');
    expect(text.err).toContain('(POST /2015-03-31/functions) is for lambda');
  } finally {
    lambda.destroy();
  }
});
