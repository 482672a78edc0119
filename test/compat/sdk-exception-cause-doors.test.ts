/*
 * The Cause an AWS SDK integration's refusal carries, as AWS gives it today: the AWS SDK for Java
 * 2.x's message, ending with " (SDK Attempt Count: 1)" (recorded in November 2025:
 * ../shared/conformance services/TestTaskServiceAwsSdk_test_sfn_send_task_outcome_with_no_such_token;
 * asl/task-failure-cause.ts, sdkExceptionCause, says why the older S3 and Secrets Manager
 * recordings lack it). The same through every door: the jest harness, `stepwright run`, MCP's run
 * tool and serve.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { javaV1ExceptionCause, sdkExceptionCause, taskFailureCause } from '../../src/asl/task-failure-cause';
import { Workflow } from '../../src/testing/workflow';
import { cli } from '../cli/run-cli';
import { startMcp } from '../mcp/client';
import { asl, ROLE, serve, until } from '../server/helpers';

// The recorded machine and input: a token Step Functions never issued.
const DEFINITION = {
  StartAt: 'StartExecution',
  States: {
    StartExecution: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:sfn:sendTaskSuccess',
      Parameters: { 'Output': 'ParameterOutput', 'TaskToken.$': '$$.Execution.Input.TaskToken' },
      End: true,
    },
  },
} as unknown as StateMachineDefinition;
const INPUT = { TaskToken: 'NoSuchTaskToken' };
const ERROR = 'Sfn.InvalidTokenException';
// AWS's cause, its request id aside.
const CAUSE = /^Invalid Token: 'Invalid token' \(Service: Sfn, Status Code: 400, Request ID: [0-9a-f-]{36}\) \(SDK Attempt Count: 1\)$/;

describe('the cause of an AWS SDK integration\'s failure', () => {
  it('ends with (SDK Attempt Count: 1) after the service, status and request id, as AWS recorded in November 2025', () => {
    expect(sdkExceptionCause({ message: "Invalid Token: 'Invalid token'", service: 'Sfn', status: 400, requestId: 'r-1' }))
      .toBe("Invalid Token: 'Invalid token' (Service: Sfn, Status Code: 400, Request ID: r-1) (SDK Attempt Count: 1)");
  });

  it('names S3\'s extended request id inside the parentheses, before the attempt count', () => {
    expect(sdkExceptionCause({ message: 'The specified key does not exist.', service: 'S3', status: 404, requestId: 'r-1', extendedRequestId: 'x-2' }))
      .toBe('The specified key does not exist. (Service: S3, Status Code: 404, Request ID: r-1, Extended Request ID: x-2) (SDK Attempt Count: 1)');
  });

  it('is not added to an optimized integration\'s cause, which the AWS SDK for Java 1.x writes', () => {
    expect(javaV1ExceptionCause({ message: 'Requested resource not found', service: 'AmazonDynamoDBv2', status: 400, code: 'ResourceNotFoundException', requestId: 'r-1' }))
      .not.toContain('SDK Attempt Count');
    expect(taskFailureCause('arn:aws:states:::dynamodb:putItem', 'DynamoDB.ResourceNotFoundException', 'not found')).not.toContain('SDK Attempt Count');
  });

  it('is what explore and verify make up for an aws-sdk Task\'s failure', () => {
    expect(taskFailureCause('arn:aws:states:::aws-sdk:sfn:sendTaskSuccess', ERROR, "Invalid Token: 'Invalid token'"))
      .toMatch(/\(Service: Sfn, Status Code: 400, Request ID: [0-9a-f-]{36}\) \(SDK Attempt Count: 1\)$/);
  });

  it('is the local S3\'s refusal of an aws-sdk:s3 Task too', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Get',
      States: { Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { Bucket: 'bucket-name', Key: 'no_such_key.json' }, End: true } },
    } as unknown as StateMachineDefinition);
    const run = await wf.run({}, { s3: { 'bucket-name': {} } });
    expect([run.status, run.error]).toEqual(['FAILED', 'S3.NoSuchKeyException']);
    expect(run.cause).toMatch(/ \(Service: S3, Status Code: 404, Request ID: [0-9a-f-]{36}, Extended Request ID: [0-9a-f-]{36}\) \(SDK Attempt Count: 1\)$/);
  });
});

describe('an aws-sdk:sfn:sendTaskSuccess of a token never issued fails in AWS\'s words through every door', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-sdk-cause-'));
    fs.writeFileSync(path.join(root, 'send.asl.json'), JSON.stringify(DEFINITION));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('the jest harness', async () => {
    const run = await Workflow.fromDefinition(DEFINITION).run(INPUT);
    expect([run.status, run.error]).toEqual(['FAILED', ERROR]);
    expect(run.cause).toMatch(CAUSE);
  });

  it('stepwright run', async () => {
    const ran = await cli('run', path.join(root, 'send.asl.json'), '--input', JSON.stringify(INPUT), '--json');
    expect(ran.code).toBe(1);
    const out = JSON.parse(ran.out) as { status: string; error: string; cause: string };
    expect([out.status, out.error]).toEqual(['FAILED', ERROR]);
    expect(out.cause).toMatch(CAUSE);
  });

  it('MCP\'s run tool', async () => {
    const mcp = await startMcp(root);
    try {
      const called = await mcp.call('run', { file: 'send.asl.json', input: INPUT });
      const out = called.structuredContent as { status: string; error: string; cause: string };
      expect([out.status, out.error]).toEqual(['FAILED', ERROR]);
      expect(out.cause).toMatch(CAUSE);
    } finally {
      await mcp.close();
    }
  });

  it('serve', async () => {
    const env = await serve();
    try {
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'Send', definition: asl(DEFINITION), roleArn: ROLE }));
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(INPUT) }));
      const done = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
      expect([done.status, done.error]).toEqual(['FAILED', ERROR]);
      expect(done.cause).toMatch(CAUSE);
    } finally {
      await env.stop();
    }
  });
});

describe('a Lambda endpoint\'s refusal is worded as Step Functions words Lambda\'s refusals', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    // Lambda's Invoke refusing a function it does not hold: 404, ResourceNotFoundException.
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException', 'x-amzn-requestid': 'req-404' });
        res.end(JSON.stringify({ Type: 'User', message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:gone' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const invoke = (resource: string) => Workflow.fromDefinition({
    StartAt: 'Call', States: { Call: { Type: 'Task', Resource: resource, Parameters: { FunctionName: 'gone', Payload: {} }, End: true } },
  } as unknown as StateMachineDefinition);

  it('lambda:invoke: the AWS SDK for Java 1.x\'s message, as AWS recorded for a function that does not exist', async () => {
    const run = await invoke('arn:aws:states:::lambda:invoke').run({}, { endpoints: { lambda: url } });
    expect([run.status, run.error]).toEqual(['FAILED', 'Lambda.ResourceNotFoundException']);
    expect(run.cause).toMatch(/^Function not found: \S+ \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: req-404; Proxy: null\) from the endpoint /);
  });
});
