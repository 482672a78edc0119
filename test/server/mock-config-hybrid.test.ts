/*
 * The HybridPath test case of AWS's MockConfigFile guide
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html): it mocks
 * LambdaState and leaves SQSState out, for which Step Functions Local calls the service's endpoint
 * ("If you don't specify mocked service integration responses ... Step Functions Local will invoke
 * the AWS service integration using the endpoint you configured", sfn-local-test-sm-exec.html).
 * serve without that endpoint fails the Task, and its cause says the test case leaves the state
 * out and how to give serve the endpoint Step Functions Local would have called; `stepwright run
 * --mocks` and the harness's mockConfig say the same of the test case, and `stepwright run
 * --endpoint` sends the state to the endpoint given as serve's --endpoint does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { fakeSqs } from './aws-service-endpoints';
import { asl, ROLE, serve, until } from './helpers';
import { lambdaEndpoint } from './lambda-endpoint';
import type { JsonObject } from '../../src/asl';
import { Workflow } from '../../src/testing';
import { cli } from '../cli/run-cli';

const MACHINE = asl({
  StartAt: 'LambdaState',
  States: {
    LambdaState: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'Payload.$': '$', 'FunctionName': 'HelloWorldFunction' }, Next: 'SQSState' },
    SQSState: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage',
      Parameters: { 'QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/myQueue', 'MessageBody.$': '$' },
      End: true,
    },
  },
});

const MOCKS = {
  StateMachines: { LambdaSQSIntegration: { TestCases: { HybridPath: { LambdaState: 'MockedLambdaSuccess' } } } },
  MockedResponses: { MockedLambdaSuccess: { 0: { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } } } },
};

describe('serve: a test case that leaves a state out, as the guide\'s HybridPath does', () => {
  it('fails the state it leaves out, naming the test case, the state, and the endpoint variables and flags that would answer it', async () => {
    const env = await serve({ mockConfig: MOCKS });
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'LambdaSQSIntegration', definition: MACHINE, roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#HybridPath`, input: '{}' }));
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect({ status: done.status, error: done.error }).toEqual({ status: 'FAILED', error: 'States.Runtime' });
      expect(done.cause).toContain("No mock or handler answers Task 'SQSState' (resource arn:aws:states:::sqs:sendMessage).");
      expect(done.cause).toContain("--mock-config test case 'HybridPath' gives the state no response: add 'SQSState' to the test case");
      expect(done.cause).toContain("give serve the service's endpoint as it was given (SQS_ENDPOINT (--endpoint sqs=<url>)); or start serve with --handlers");
      // The state left out is an SQS Task: Lambda's endpoint would not answer it.
      expect(done.cause).not.toContain('LAMBDA_ENDPOINT');
      expect(done.cause).not.toContain('start the execution on');
    } finally {
      await env.stop();
    }
  });

  it('names no endpoint for a Glue state a test case leaves out, as no endpoint answers a Glue Task', async () => {
    const env = await serve({ mockConfig: { StateMachines: { Jobs: { TestCases: { Left: {} } } }, MockedResponses: {} } });
    try {
      const definition = asl({ StartAt: 'Crawl', States: { Crawl: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Parameters: { JobName: 'j' }, End: true } } });
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'Jobs', definition, roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Left`, input: '{}' }));
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect(done.cause).toContain("--mock-config test case 'Left' gives the state no response: add 'Crawl' to the test case; or, start serve with --handlers");
      expect(done.cause).not.toMatch(/_ENDPOINT|--endpoint/);
    } finally {
      await env.stop();
    }
  });
});

describe('serve: a Lambda Task nothing answers', () => {
  it('names --endpoint lambda=<url> as run and the harness do, and only for a Lambda Task', async () => {
    const env = await serve({});
    try {
      const cause = async (resource: string, parameters?: object): Promise<string | undefined> => {
        const definition = asl({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: resource, ...(parameters ? { Parameters: parameters } : {}), End: true } } });
        const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: `m${resource.length}`, definition, roleArn: ROLE }));
        const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
        return (await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING')).cause;
      };
      expect(await cause('arn:aws:lambda:us-east-1:123456789012:function:StockChecker')).toContain(
        "--handlers <module> exporting 'Call' (or 'arn:aws:lambda:us-east-1:123456789012:function:StockChecker'), or with --endpoint lambda=<url> (sam local start-lambda)");
      expect(await cause('arn:aws:states:::lambda:invoke', { FunctionName: 'StockChecker' })).toContain('--endpoint lambda=<url> (sam local start-lambda)');
      const sqs = await cause('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: 'x' });
      expect(sqs).not.toContain('--endpoint lambda');
      expect(sqs).toContain(', or with --endpoint sqs=<url> (an endpoint of your own that answers sqs)');
      expect(await cause('arn:aws:states:::aws-sdk:dynamodb:query', { TableName: 't' })).toContain('--endpoint dynamodb=<url>');
      expect(await cause('arn:aws:states:::ecs:runTask', { TaskDefinition: 't' })).not.toContain('--endpoint');
    } finally {
      await env.stop();
    }
  });
});

describe('the HybridPath test case at the other doors', () => {
  const SAID = "MockConfigFile test case 'HybridPath' gives it no response: add \"SQSState\" to the test case";

  it('the harness fails SQSState, naming the test case and the state to add to it', async () => {
    const run = await Workflow.fromDefinition(JSON.parse(MACHINE)).run({}, { mockConfig: { config: MOCKS, stateMachine: 'LambdaSQSIntegration', testCase: 'HybridPath' } });
    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: 'States.Runtime' });
    expect(run.cause).toContain(SAID);
    expect(run.cause).toContain("give the run that endpoint (endpoints: { sqs: '<url>' } in the run's options).");
  });

  it('stepwright run --mocks names the test case too, and the endpoint as its own --endpoint', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-hybrid-'));
    try {
      fs.writeFileSync(path.join(dir, 'LambdaSQSIntegration.asl.json'), MACHINE);
      fs.writeFileSync(path.join(dir, 'MockConfigFile.json'), JSON.stringify(MOCKS));
      const run = await cli('run', path.join(dir, 'LambdaSQSIntegration.asl.json'), '--mocks', path.join(dir, 'MockConfigFile.json'), '--test-case', 'HybridPath', '--json');
      expect(JSON.parse(run.out)).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(JSON.parse(run.out).cause).toContain(SAID);
      expect(JSON.parse(run.out).cause).toContain('give the run that endpoint (--endpoint sqs=<url> (stepwright run)).');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names no endpoint for a Glue or ECS state a test case leaves out, and the endpoint option of each service that takes one', async () => {
    const config = { StateMachines: { M: { TestCases: { Left: {} } } }, MockedResponses: {} };
    const causeOf = async (resource: string, parameters: JsonObject, testCase?: string): Promise<string | undefined> => {
      const wf = Workflow.fromDefinition({ StartAt: 'S', States: { S: { Type: 'Task', Resource: resource, Parameters: parameters, End: true } } });
      return (await wf.run({}, testCase === undefined ? {} : { mockConfig: { config, stateMachine: 'M', testCase } })).cause;
    };
    for (const testCase of ['Left', undefined]) {
      expect(await causeOf('arn:aws:states:::glue:startJobRun.sync', { JobName: 'j' }, testCase)).not.toMatch(/endpoint/i);
      expect(await causeOf('arn:aws:states:::ecs:runTask.sync', { TaskDefinition: 't' }, testCase)).not.toMatch(/endpoint/i);
    }
    expect(await causeOf('arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'm' }))
      .toContain("or send it to an endpoint of your own that answers sns: endpoints: { sns: '<url>' } in the run's options");
    expect(await causeOf('arn:aws:states:::aws-sdk:dynamodb:getItem', { TableName: 't', Key: {} }, 'Left'))
      .toContain("give the run that endpoint (endpoints: { dynamodb: '<url>' } in the run's options).");
  });
});

describe('stepwright run --endpoint, as serve\'s --endpoint', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-hybrid-endpoint-'));
    fs.writeFileSync(path.join(dir, 'LambdaSQSIntegration.asl.json'), MACHINE);
    fs.writeFileSync(path.join(dir, 'MockConfigFile.json'), JSON.stringify(MOCKS));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const runArgs = (...more: string[]): string[] => [
    'run', path.join(dir, 'LambdaSQSIntegration.asl.json'), '--mocks', path.join(dir, 'MockConfigFile.json'), '--test-case', 'HybridPath', ...more,
  ];

  it('sends the state the HybridPath test case leaves out to that endpoint, as Step Functions Local did', async () => {
    const sqs = await fakeSqs();
    try {
      const run = await cli(...runArgs('--endpoint', `sqs=${sqs.url}`, '--json'));
      expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
      expect(JSON.parse(run.out)).toMatchObject({ status: 'SUCCEEDED', path: ['LambdaState', 'SQSState'], output: { MessageId: 'msg-1' } });
      expect(sqs.requests.map((r) => [r.operation, r.params.QueueUrl])).toEqual([['AmazonSQS.SendMessage', 'https://sqs.us-east-1.amazonaws.com/123456789012/myQueue']]);
    } finally {
      await sqs.close();
    }
  });

  it('names --endpoint lambda=<url> for a Lambda Task no mock answers, and sends it there when given', async () => {
    const sam = JSON.stringify({ StartAt: 'Check', States: { Check: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:StockChecker', End: true } } });
    fs.writeFileSync(path.join(dir, 'sam.asl.json'), sam);
    const unmocked = await cli('run', path.join(dir, 'sam.asl.json'), '--json');
    expect(JSON.parse(unmocked.out).cause).toContain('or send it to the function running locally (sam local start-lambda): --endpoint lambda=<url> (stepwright run)');
    const harness = await Workflow.fromDefinition(JSON.parse(sam)).run({});
    expect(harness.cause).toContain("or send it to the function running locally (sam local start-lambda): endpoints: { lambda: '<url>' } in the run's options");
    const fn = await lambdaEndpoint({ StockChecker: () => ({ result: { stock_price: 42 } }) });
    try {
      const run = await cli('run', path.join(dir, 'sam.asl.json'), '--endpoint', `lambda=${fn.url}`, '--json');
      expect(JSON.parse(run.out)).toMatchObject({ status: 'SUCCEEDED', output: { stock_price: 42 } });
      expect(fn.calls.map((c) => c.functionName)).toEqual(['StockChecker']);
    } finally {
      await fn.close();
    }
  });

  it('refuses --endpoint s3=<url> beside --s3-dir, as serve does, with no stack trace', async () => {
    const run = await cli(...runArgs('--s3-dir', dir, '--endpoint', 's3=http://127.0.0.1:1'));
    expect(run.code).toBe(2);
    expect(run.err).toBe('stepwright run: --s3-dir: the local S3 is given twice: an S3 endpoint (http://127.0.0.1:1/) and a folder (s3: { dir }, --s3-dir); give one of them\n');
  });

  it('refuses a service no endpoint can be given for, naming the setting and the services', async () => {
    const run = await cli(...runArgs('--endpoint', 'kinesis=http://127.0.0.1:1'));
    expect(run.code).toBe(2);
    expect(run.err).toContain('stepwright run: --endpoint kinesis=http://127.0.0.1:1: not supported: kinesis; Tasks can be sent to an endpoint of their own for lambda, sqs, sns, dynamodb, s3');
  });

  it('refuses two --endpoint URLs for one service, naming the service and both URLs, as serve does', async () => {
    const run = await cli(...runArgs('--endpoint', 'lambda=http://127.0.0.1:1', '--endpoint', 'lambda=http://127.0.0.1:2'));
    expect({ code: run.code, err: run.err }).toEqual({
      code: 2,
      err: 'stepwright run: --endpoint: lambda is given two endpoints, http://127.0.0.1:1 (--endpoint lambda=http://127.0.0.1:1) '
        + 'and http://127.0.0.1:2 (--endpoint lambda=http://127.0.0.1:2); give one\nRun \'stepwright run --help\' for the options.\n',
    });
  });

  it('refuses a URL that is not http(s), and a setting without =, as serve does', async () => {
    const ftp = await cli(...runArgs('--endpoint', 'sqs=ftp://127.0.0.1:1'));
    expect({ code: ftp.code, said: ftp.err.includes('--endpoint sqs=ftp://127.0.0.1:1: the URL must be http or https, got ftp') }).toEqual({ code: 2, said: true });
    const bare = await cli(...runArgs('--endpoint', 'sqs'));
    expect({ code: bare.code, said: bare.err.includes('--endpoint sqs: give it as <service>=<url>') }).toEqual({ code: 2, said: true });
    const served = await cli('serve', '--endpoint', 'sqs=ftp://127.0.0.1:1');
    expect(served.err).toContain('--endpoint sqs=ftp://127.0.0.1:1: the URL must be http or https, got ftp');
  });
});
