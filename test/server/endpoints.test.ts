import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { asl, ROLE, serve, until } from './helpers';
import { deadEndpoint, lambdaEndpoint } from './lambda-endpoint';
import { EndpointError, startServer } from '../../src/server';
import { Workflow } from '../../src/testing';
import { checkEndpoints } from '../../src/workbench/mocks/endpoint-settings';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:charge';
const INVOKE = { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': FN, 'Payload.$': '$' }, End: true } } };
const DIRECT = { StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: FN, End: true } } };

const charge = (event: { amount: number }) => ({ result: { charged: event.amount * 2 } });

async function runOn(sfn: SFNClient, name: string, definition: object, input: object, testCase?: string) {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: asl(definition), roleArn: ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: testCase ? `${stateMachineArn}#${testCase}` : stateMachineArn, input: JSON.stringify(input) }));
  return until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 20_000);
}

describe('serve --endpoint lambda=<url>: Lambda Tasks call a Lambda Invoke API of your own', () => {
  let lambda: Awaited<ReturnType<typeof lambdaEndpoint>>;
  beforeEach(async () => {
    lambda = await lambdaEndpoint({
      charge,
      broken: () => ({ error: { errorType: 'ValidationError', errorMessage: 'amount must be positive' } }),
    });
  });
  afterEach(() => lambda.close());

  it('sends a lambda:invoke Task to the endpoint and gives its payload in the invoke envelope', async () => {
    const env = await serve({ endpoints: { lambda: lambda.url } });
    try {
      const d = await runOn(env.sfn, 'invoke', INVOKE, { amount: 21 });
      expect(d.status).toBe('SUCCEEDED');
      const output = JSON.parse(d.output!);
      expect(output).toMatchObject({ Payload: { charged: 42 }, StatusCode: 200, ExecutedVersion: '$LATEST' });
      expect(output.SdkHttpMetadata.HttpStatusCode).toBe(200);
      expect(lambda.calls).toEqual([{ functionName: FN, qualifier: undefined, invocationType: undefined, payload: { amount: 21 } }]);
    } finally {
      await env.stop();
    }
  });

  it('sends a Task whose Resource is the function ARN, and its result is the payload itself', async () => {
    const env = await serve({ endpoints: { lambda: lambda.url } });
    try {
      const d = await runOn(env.sfn, 'direct', DIRECT, { amount: 5 });
      expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":10}' });
    } finally {
      await env.stop();
    }
  });

  it('fails the Task with the function\'s errorType and its error payload as cause, as Lambda reports a function error', async () => {
    const env = await serve({ endpoints: { lambda: lambda.url } });
    try {
      const d = await runOn(env.sfn, 'broken', { StartAt: 'B', States: { B: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'broken', Payload: {} }, End: true } } }, {});
      expect(d).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
      expect(JSON.parse(d.cause!)).toEqual({ errorType: 'ValidationError', errorMessage: 'amount must be positive', trace: [] });
    } finally {
      await env.stop();
    }
  });

  it('fails a Task whose Resource is the function ARN with the function\'s errorType too: one rule for both (issue 72)', async () => {
    const env = await serve({ endpoints: { lambda: lambda.url } });
    try {
      const broken = FN.replace(/charge$/, 'broken');
      const d = await runOn(env.sfn, 'broken-arn', { StartAt: 'B', States: { B: { Type: 'Task', Resource: broken, End: true } } }, {});
      expect(d).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
      expect(JSON.parse(d.cause!)).toEqual({ errorType: 'ValidationError', errorMessage: 'amount must be positive', trace: [] });
    } finally {
      await env.stop();
    }
  });

  it('fails with Lambda.ResourceNotFoundException when the endpoint has no such function', async () => {
    const env = await serve({ endpoints: { lambda: lambda.url } });
    try {
      const d = await runOn(env.sfn, 'missing', { StartAt: 'M', States: { M: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'nope', Payload: {} }, End: true } } }, {});
      expect(d).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
      expect(d.cause).toContain('Function not found: nope');
      expect(d.cause).toContain(lambda.url);
    } finally {
      await env.stop();
    }
  });

  it('fails with Lambda.SdkClientException naming the endpoint when nothing listens there, which a Retry on it retries', async () => {
    const dead = await deadEndpoint();
    const env = await serve({ endpoints: { lambda: dead }, timeScale: 1000 });
    try {
      const retried = { ...INVOKE, States: { Charge: { ...INVOKE.States.Charge, Retry: [{ ErrorEquals: ['Lambda.SdkClientException'], MaxAttempts: 2, IntervalSeconds: 1 }] } } };
      const d = await runOn(env.sfn, 'dead', retried, { amount: 1 });
      expect(d).toMatchObject({ status: 'FAILED', error: 'Lambda.SdkClientException' });
      expect(d.cause).toContain(`Unable to execute HTTP request to the Lambda endpoint ${dead}/`);
      expect(d.cause).toContain('ECONNREFUSED');
      const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn: d.executionArn }));
      expect(events!.filter((e) => e.type === 'TaskFailed')).toHaveLength(3);
    } finally {
      await env.stop();
    }
  });

  it('answers a Task from the MockConfigFile test case first, sending nothing to the endpoint', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-endpoint-mocks-'));
    const file = path.join(dir, 'MockConfigFile.json');
    fs.writeFileSync(file, JSON.stringify({
      StateMachines: { mixed: { TestCases: { Mocked: { Charge: 'Ok' } } } },
      MockedResponses: { Ok: { 0: { Return: { Payload: { charged: 'mocked' } } } } },
    }));
    const env = await serve({ endpoints: { lambda: lambda.url }, mockConfig: file });
    try {
      const twoTasks = {
        StartAt: 'Charge',
        States: {
          Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': FN, 'Payload.$': '$' }, ResultPath: '$.mocked', Next: 'Again' },
          Again: { Type: 'Task', Resource: FN, End: true },
        },
      };
      const d = await runOn(env.sfn, 'mixed', twoTasks, { amount: 3 }, 'Mocked');
      // Charge is mocked; Again, which the test case leaves out, calls the endpoint with the state's input.
      expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"charged":6}' });
      expect(lambda.calls.map((c) => c.payload)).toEqual([{ amount: 3, mocked: { Payload: { charged: 'mocked' } } }]);
    } finally {
      await env.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends a lambda:invoke.waitForTaskToken Task and waits for the callback its function was given', async () => {
    const env = await serve({ endpoints: { lambda: lambda.url } });
    try {
      lambda.calls.length = 0;
      const definition = { StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'charge', Payload: { 'amount': 1, 'token.$': '$$.Task.Token' } }, End: true } } };
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'ask', definition: asl(definition), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      await until(async () => lambda.calls.length, (n) => n === 1);
      const token = (lambda.calls[0].payload as { token: string }).token;
      await env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
      const d = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
      expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
    } finally {
      await env.stop();
    }
  });

  it('refuses an endpoint for a service it cannot send to, listing those it can', async () => {
    await expect(startServer({ port: 0, endpoints: { ecs: 'http://127.0.0.1:9324' } })).rejects.toThrow(EndpointError);
    await expect(startServer({ port: 0, endpoints: { ecs: 'http://127.0.0.1:9324' } })).rejects.toThrow('not supported: ecs; Tasks can be sent to an endpoint of their own for lambda, sqs, sns, dynamodb, s3');
    await expect(startServer({ port: 0, endpoints: { lambda: 'ftp://x' } })).rejects.toThrow(/^endpoint lambda=ftp:\/\/x: the URL must be http or https, got ftp$/);
  });

  // Step Functions Local's AWS SDK for Java 1.x gives an endpoint without `://` its default protocol, HTTPS (RuntimeHttpUtils.toUri).
  it('takes an endpoint without a scheme (host.docker.internal:4566) as https, not the host as its scheme', async () => {
    const server = await startServer({ port: 0, endpoints: { sqs: 'host.docker.internal:4566' }, console: false, log: () => undefined });
    await server.close();
    expect(checkEndpoints({ sqs: 'host.docker.internal:4566', lambda: 'localhost:3001/base' })).toEqual(new Map([
      ['sqs', new URL('https://host.docker.internal:4566')], ['lambda', new URL('https://localhost:3001/base')],
    ]));
  });
});

describe('the jest harness: run options endpoints', () => {
  it('sends a Lambda Task no mock answers to the endpoint, and a mocked one not', async () => {
    const lambda = await lambdaEndpoint({ charge });
    try {
      const wf = Workflow.fromDefinition({
        StartAt: 'Charge',
        States: {
          Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': FN, 'Payload.$': '$' }, ResultSelector: { 'charged.$': '$.Payload.charged' }, ResultPath: '$.first', Next: 'Again' },
          Again: { Type: 'Task', Resource: FN, End: true },
        },
      });
      const run = await wf.run({ amount: 4 }, { endpoints: { lambda: lambda.url }, mocks: { Again: { done: true } } });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.outputOf('Charge')).toEqual({ amount: 4, first: { charged: 8 } });
      expect(run.output).toEqual({ done: true });
      expect(lambda.calls).toHaveLength(1);
    } finally {
      await lambda.close();
    }
  });
});
