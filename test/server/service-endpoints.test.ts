import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand, StartExecutionCommand, type SFNClient,
} from '@aws-sdk/client-sfn';
import { fakeAnswering, fakeDynamoDb, fakeSns, fakeSqs, type FakeService } from './aws-service-endpoints';
import { asl, ROLE, serve, until } from './helpers';
import { deadEndpoint } from './lambda-endpoint';
import { EndpointError, startServer } from '../../src/server';
import { Workflow } from '../../src/testing';
import { MAX_CALL_SECONDS } from '../../src/workbench/mocks/endpoints';
import { MAX_ANSWER_DEPTH, MAX_SERVICE_RESPONSE } from '../../src/workbench/mocks/service-endpoints';

const QUEUE = 'http://sqs.us-east-1.localhost/123456789012/orders';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orders';
const md5 = (text: string) => crypto.createHash('md5').update(text).digest('hex');

const task = (resource: string, parameters: object) => ({ StartAt: 'T', States: { T: { Type: 'Task' as const, Resource: resource, Parameters: parameters, End: true } } });

/** A Task that catches every error and ends with the error output, so a test can read the error Step Functions gave it. */
const caught = (resource: string, parameters: object, errorEquals: string) => ({
  StartAt: 'T',
  States: {
    T: { Type: 'Task', Resource: resource, Parameters: parameters, Catch: [{ ErrorEquals: [errorEquals], Next: 'Caught' }], End: true },
    Caught: { Type: 'Pass', End: true },
  },
});

async function runOn(sfn: SFNClient, name: string, definition: object, input: object = {}, testCase?: string) {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: asl(definition), roleArn: ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: testCase ? `${stateMachineArn}#${testCase}` : stateMachineArn, input: JSON.stringify(input) }));
  return until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
}

describe('serve --endpoint sqs=, sns=, dynamodb=: their Tasks call the service API of your own endpoint', () => {
  let sqs: FakeService;
  let sns: FakeService;
  let ddb: Awaited<ReturnType<typeof fakeDynamoDb>>;
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    [sqs, sns, ddb] = await Promise.all([fakeSqs(), fakeSns(), fakeDynamoDb()]);
    env = await serve({ endpoints: { sqs: sqs.url, sns: sns.url, dynamodb: ddb.url } });
  });
  afterAll(async () => {
    await env.stop();
    await Promise.all([sqs.close(), sns.close(), ddb.close()]);
  });
  beforeEach(() => {
    sqs.requests.length = 0;
    sns.requests.length = 0;
    ddb.requests.length = 0;
  });

  it('sends sqs:sendMessage as SQS SendMessage (a JSON MessageBody as its text) and answers MD5OfMessageBody, MessageId and the SDK metadata', async () => {
    const d = await runOn(env.sfn, 'sqs-send', task('arn:aws:states:::sqs:sendMessage', { 'QueueUrl': QUEUE, 'MessageBody.$': '$' }), { order: 7 });
    expect(d.status).toBe('SUCCEEDED');
    expect(sqs.requests).toEqual([{ operation: 'AmazonSQS.SendMessage', params: { QueueUrl: QUEUE, MessageBody: '{"order":7}' } }]);
    const output = JSON.parse(d.output!);
    expect(output).toMatchObject({ MD5OfMessageBody: md5('{"order":7}'), MessageId: 'msg-1', SdkResponseMetadata: { RequestId: 'req-1' } });
    expect(output.SdkHttpMetadata).toMatchObject({ HttpStatusCode: 200, HttpHeaders: { 'content-type': 'application/x-amz-json-1.0' }, AllHttpHeaders: { 'content-type': ['application/x-amz-json-1.0'] } });
    expect(Object.keys(output).sort()).toEqual(['MD5OfMessageBody', 'MessageId', 'SdkHttpMetadata', 'SdkResponseMetadata']);
  });

  it('sends sns:publish as SNS Publish over the query protocol and answers its MessageId and the SDK metadata', async () => {
    const d = await runOn(env.sfn, 'sns-publish', task('arn:aws:states:::sns:publish', { TopicArn: TOPIC, Message: { Message: 'HelloWorld!' }, Subject: 'hi' }));
    expect(d.status).toBe('SUCCEEDED');
    expect(sns.requests).toEqual([{ operation: 'Publish', params: { Action: 'Publish', Version: '2010-03-31', TopicArn: TOPIC, Message: '{"Message":"HelloWorld!"}', Subject: 'hi' } }]);
    const output = JSON.parse(d.output!);
    expect(Object.keys(output).sort()).toEqual(['MessageId', 'SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(output.MessageId).toBe('sns-1');
  });

  it('sends dynamodb:putItem and dynamodb:getItem, answering the API fields with the SDK metadata (putItem: the metadata alone)', async () => {
    const item = { id: { S: 'o-1' }, total: { N: '42' } };
    const definition = {
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'orders', Item: item }, ResultPath: '$.put', Next: 'Get' },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'orders', Key: { id: { S: 'o-1' } } }, ResultPath: '$.get', End: true },
      },
    };
    const d = await runOn(env.sfn, 'ddb-put-get', definition);
    expect(d.status).toBe('SUCCEEDED');
    expect(ddb.requests.map((r) => r.operation)).toEqual(['DynamoDB_20120810.PutItem', 'DynamoDB_20120810.GetItem']);
    expect(ddb.requests[0].params).toEqual({ TableName: 'orders', Item: item });
    const output = JSON.parse(d.output!);
    expect(Object.keys(output.put).sort()).toEqual(['SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(output.get.Item).toEqual(item);
  });

  it('answers an AWS SDK integration (aws-sdk:dynamodb:getItem, aws-sdk:sqs:sendMessage) with the API response alone', async () => {
    ddb.items.set('o-2', { id: { S: 'o-2' } });
    const get = await runOn(env.sfn, 'sdk-get', task('arn:aws:states:::aws-sdk:dynamodb:getItem', { TableName: 'orders', Key: { id: { S: 'o-2' } } }));
    expect(get).toMatchObject({ status: 'SUCCEEDED', output: '{"Item":{"id":{"S":"o-2"}}}' });
    const send = await runOn(env.sfn, 'sdk-send', task('arn:aws:states:::aws-sdk:sqs:sendMessage', { QueueUrl: QUEUE, MessageBody: 'plain' }));
    expect(JSON.parse(send.output!)).toEqual({ MD5OfMessageBody: md5('plain'), MessageId: 'msg-1' });
  });

  it('fails an optimized integration with <SERVICE>.<Exception> and the Java SDK cause, which a Catch matches', async () => {
    const d = await runOn(env.sfn, 'sqs-missing', caught('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'http://x/123/missing', MessageBody: 'm' }, 'SQS.QueueDoesNotExistException'));
    expect(d.status).toBe('SUCCEEDED');
    const { Error: error, Cause: cause } = JSON.parse(d.output!);
    expect(error).toBe('SQS.QueueDoesNotExistException');
    expect(cause).toContain('The specified queue does not exist. (Service: AmazonSQS; Status Code: 400; Error Code: AWS.SimpleQueueService.NonExistentQueue; Request ID: req-1; Proxy: null)');
    expect(cause).toContain(sqs.url);
    const topic = await runOn(env.sfn, 'sns-missing', task('arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:123456789012:missing', Message: 'm' }));
    expect(topic).toMatchObject({ status: 'FAILED', error: 'SNS.NotFoundException' });
    expect(topic.cause).toContain('Topic does not exist (Service: AmazonSNS; Status Code: 404; Error Code: NotFound;');
    const table = await runOn(env.sfn, 'ddb-missing', task('arn:aws:states:::dynamodb:putItem', { TableName: 'nope', Item: { id: { S: '1' } } }));
    expect(table).toMatchObject({ status: 'FAILED', error: 'DynamoDB.ResourceNotFoundException' });
    expect(table.cause).toContain('Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException;');
  });

  it('names an error the service does not model as its base exception: DynamoDB.AmazonDynamoDBException, and DynamoDb.DynamoDbException for aws-sdk', async () => {
    const opt = await runOn(env.sfn, 'ddb-invalid', task('arn:aws:states:::dynamodb:putItem', { TableName: 'bad/name', Item: { id: { S: '1' } } }));
    expect(opt).toMatchObject({ status: 'FAILED', error: 'DynamoDB.AmazonDynamoDBException' });
    expect(opt.cause).toContain("1 validation error detected: Value 'bad/name' at 'tableName' failed to satisfy constraint");
    expect(opt.cause).toContain('(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException;');
    const sdk = await runOn(env.sfn, 'sdk-invalid', task('arn:aws:states:::aws-sdk:dynamodb:putItem', { TableName: 'bad/name', Item: { id: { S: '1' } } }));
    expect(sdk).toMatchObject({ status: 'FAILED', error: 'DynamoDb.DynamoDbException' });
    expect(sdk.cause).toMatch(/\(Service: DynamoDb, Status Code: 400, Request ID: req-\d+\)/);
    const modeled = await runOn(env.sfn, 'sdk-missing', caught('arn:aws:states:::aws-sdk:sqs:sendMessage', { QueueUrl: 'http://x/1/missing', MessageBody: 'm' }, 'Sqs.QueueDoesNotExistException'));
    expect(JSON.parse(modeled.output!).Error).toBe('Sqs.QueueDoesNotExistException');
  });

  it('sends sqs:sendMessage.waitForTaskToken, waits for the callback, and records what SQS answered as the TaskSubmitted output', async () => {
    const definition = task('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { QueueUrl: QUEUE, MessageBody: { 'token.$': '$$.Task.Token' } });
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'sqs-wait', definition: asl(definition), roleArn: ROLE }));
    const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await until(async () => sqs.requests.length, (n) => n === 1);
    const token = JSON.parse(String(sqs.requests[0].params.MessageBody)).token as string;
    await env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const d = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
    const { events } = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const submitted = events!.find((e) => e.type === 'TaskSubmitted');
    expect(JSON.parse(submitted!.taskSubmittedEventDetails!.output!)).toMatchObject({ MessageId: 'msg-1' });
  });

  it('answers a Task from the MockConfigFile test case first, sending nothing to the endpoint', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-service-mocks-'));
    const file = path.join(dir, 'MockConfigFile.json');
    fs.writeFileSync(file, JSON.stringify({
      StateMachines: { mocked: { TestCases: { Mocked: { T: 'Ok' } } } },
      MockedResponses: { Ok: { 0: { Return: { MessageId: 'mocked' } } } },
    }));
    const mocked = await serve({ endpoints: { sqs: sqs.url }, mockConfig: file });
    try {
      const d = await runOn(mocked.sfn, 'mocked', task('arn:aws:states:::sqs:sendMessage', { QueueUrl: QUEUE, MessageBody: 'm' }), {}, 'Mocked');
      expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"MessageId":"mocked"}' });
      expect(sqs.requests).toEqual([]);
    } finally {
      await mocked.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('serve: service endpoints that fail', () => {
  it('fails with SQS.SdkClientException naming the endpoint when nothing listens there', async () => {
    const dead = await deadEndpoint();
    const env = await serve({ endpoints: { sqs: dead } });
    try {
      const d = await runOn(env.sfn, 'dead', task('arn:aws:states:::sqs:sendMessage', { QueueUrl: QUEUE, MessageBody: 'm' }));
      expect(d).toMatchObject({ status: 'FAILED', error: 'SQS.SdkClientException' });
      expect(d.cause).toContain(`Unable to execute HTTP request to the Sqs endpoint ${dead}/`);
      expect(d.cause).toContain('ECONNREFUSED');
    } finally {
      await env.stop();
    }
  });

  it(`fails with SQS.ClientExecutionTimeoutException naming the endpoint when it never answers, after ${MAX_CALL_SECONDS} s of the execution's time, and hangs up`, async () => {
    let hangUp!: () => void;
    const hungUp = new Promise<void>((resolve) => { hangUp = resolve; });
    const silent = http.createServer((_req, res) => { res.on('close', () => hangUp()); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    // At --time-scale 1000 the bound lasts under a second.
    const env = await serve({ endpoints: { sqs: url }, timeScale: 1000 });
    try {
      const d = await runOn(env.sfn, 'silent', task('arn:aws:states:::sqs:sendMessage', { QueueUrl: QUEUE, MessageBody: 'm' }));
      expect(d).toMatchObject({ status: 'FAILED', error: 'SQS.ClientExecutionTimeoutException' });
      expect(d.cause).toContain(`${url}/ did not answer within ${MAX_CALL_SECONDS} seconds`);
      await hungUp;
    } finally {
      await env.stop();
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('refuses an endpoint for a service it cannot send to, listing those it can', async () => {
    await expect(startServer({ port: 0, endpoints: { ecs: 'http://127.0.0.1:9324' } })).rejects.toThrow(EndpointError);
    await expect(startServer({ port: 0, endpoints: { ecs: 'http://127.0.0.1:9324' } })).rejects.toThrow('not supported: ecs; Tasks can be sent to an endpoint of their own for lambda, sqs, sns, dynamodb, s3');
  });
});

describe('the jest harness: run options endpoints for SQS, SNS and DynamoDB', () => {
  it('sends the Tasks no mock answers to their endpoints, and a mocked one not', async () => {
    const [sqs, ddb] = await Promise.all([fakeSqs(), fakeDynamoDb()]);
    try {
      const wf = Workflow.fromDefinition({
        StartAt: 'Save',
        States: {
          Save: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'orders', Item: { id: { 'S.$': '$.id' } } }, ResultPath: null, Next: 'Notify' },
          Notify: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sqs:sendMessage', Parameters: { 'QueueUrl': QUEUE, 'MessageBody.$': '$.id' }, ResultPath: '$.sent', Next: 'Publish' },
          Publish: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: TOPIC, Message: 'done' }, ResultPath: '$.published', End: true },
        },
      });
      const run = await wf.run({ id: 'o-9' }, { endpoints: { sqs: sqs.url, dynamodb: ddb.url }, mocks: { Publish: { MessageId: 'mocked' } } });
      expect(run.status).toBe('SUCCEEDED');
      expect(ddb.items.get('o-9')).toEqual({ id: { S: 'o-9' } });
      expect(run.output).toEqual({ id: 'o-9', sent: { MD5OfMessageBody: md5('o-9'), MessageId: 'msg-1' }, published: { MessageId: 'mocked' } });
    } finally {
      await Promise.all([sqs.close(), ddb.close()]);
    }
  });

  it('sends DynamoDB binary values given as base64 once, answers them as base64, and sends an attribute named __proto__ as an attribute', async () => {
    const ddb = await fakeDynamoDb();
    try {
      const item = JSON.parse('{"id":{"S":"b-1"},"blob":{"B":"aGk="},"blobs":{"BS":["aGk=","eW8="]},"nested":{"M":{"inner":{"B":"eW8="}}},"__proto__":{"S":"kept"}}');
      const wf = Workflow.fromDefinition(asl({
        StartAt: 'Put',
        States: {
          Put: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem', Parameters: { 'TableName': 'orders', 'Item.$': '$.item' }, ResultPath: null, Next: 'Get' },
          Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'orders', Key: { id: { S: 'b-1' } } }, ResultSelector: { 'Item.$': '$.Item' }, End: true },
        },
      }));
      const run = await wf.run({ item }, { endpoints: { dynamodb: ddb.url } });
      expect(run.status).toBe('SUCCEEDED');
      expect(JSON.stringify(ddb.requests[0].params)).toBe(JSON.stringify({ TableName: 'orders', Item: item }));
      // The SDK's own deserializer answers an attribute named __proto__ as undefined, so it is dropped; it never becomes the prototype.
      const answered = (run.output as { Item: object }).Item;
      expect(Object.getPrototypeOf(answered)).toBe(Object.prototype);
      const { ['__proto__']: _dropped, ...rest } = JSON.parse(JSON.stringify(item)) as Record<string, unknown>;
      expect(JSON.stringify(answered)).toBe(JSON.stringify(rest));
    } finally {
      await ddb.close();
    }
  });

  it(`fails with States.Runtime when an endpoint answers values nested deeper than ${MAX_ANSWER_DEPTH} levels`, async () => {
    let value = '{"S":"deep"}';
    for (let i = 0; i < MAX_ANSWER_DEPTH; i++) value = `{"M":{"a":${value}}}`;
    const deep = await fakeAnswering({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: `{"Item":{"a":${value}}}` });
    try {
      const wf = Workflow.fromDefinition(asl(task('arn:aws:states:::aws-sdk:dynamodb:getItem', { TableName: 'orders', Key: { id: { S: '1' } } })));
      const run = await wf.run({}, { endpoints: { dynamodb: deep.url } });
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('States.Runtime');
      expect(run.cause).toContain(`answered values nested deeper than ${MAX_ANSWER_DEPTH} levels`);
    } finally {
      await deep.close();
    }
  });

  it('fails with SQS.AmazonSQSException naming the status when an error answer is not SQS\'s (an HTML page), and Sqs.SqsException for aws-sdk', async () => {
    const page = await fakeAnswering({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad Gateway</body></html>' });
    try {
      for (const [resource, error, service] of [['arn:aws:states:::sqs:sendMessage', 'SQS.AmazonSQSException', 'Service: AmazonSQS; Status Code: 502'], ['arn:aws:states:::aws-sdk:sqs:sendMessage', 'Sqs.SqsException', 'Service: Sqs, Status Code: 502']]) {
        const run = await Workflow.fromDefinition(asl(task(resource, { QueueUrl: QUEUE, MessageBody: 'm' }))).run({}, { endpoints: { sqs: page.url } });
        expect(run.status).toBe('FAILED');
        expect(run.error).toBe(error);
        expect(run.cause).toContain(service);
        expect(run.cause).toContain(page.url);
      }
    } finally {
      await page.close();
    }
  });

  it('names a modeled error of an AWS SDK integration as the model\'s Java 2.x class (Sns.KmsDisabledException), an optimized one as Java 1.x\'s (SNS.KMSDisabledException)', async () => {
    // SNS's model names the shape KMSDisabledException; the SDK for Java 2.x, whose class names an AWS
    // SDK integration reports ("AWS SDK service integrations"), cases its acronym as a word.
    const body = '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>KMSDisabled</Code>'
      + '<Message>The key is disabled</Message></Error><RequestId>req-kms</RequestId></ErrorResponse>';
    const kms = await fakeAnswering({ status: 400, headers: { 'content-type': 'text/xml' }, body });
    try {
      for (const [resource, error] of [['arn:aws:states:::aws-sdk:sns:publish', 'Sns.KmsDisabledException'], ['arn:aws:states:::sns:publish', 'SNS.KMSDisabledException']]) {
        const run = await Workflow.fromDefinition(asl(caught(resource, { TopicArn: TOPIC, Message: 'm' }, error))).run({}, { endpoints: { sns: kms.url } });
        expect(run.status).toBe('SUCCEEDED');
        expect((run.output as { Error: string }).Error).toBe(error);
      }
      // serve's Tasks take the same road: the name an SDK integration's Catch gives is the one it fails with.
      const served = await serve({ endpoints: { sns: kms.url } });
      try {
        const d = await runOn(served.sfn, 'sns-kms', task('arn:aws:states:::aws-sdk:sns:publish', { TopicArn: TOPIC, Message: 'm' }));
        expect(d).toMatchObject({ status: 'FAILED', error: 'Sns.KmsDisabledException' });
      } finally {
        await served.stop();
      }
    } finally {
      await kms.close();
    }
  });

  it('fails with SQS.SdkClientException when a 200 answer cannot be read as SQS\'s', async () => {
    const cut = await fakeAnswering({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{"MessageId": "m-1", "MD5Of' });
    try {
      const run = await Workflow.fromDefinition(asl(task('arn:aws:states:::sqs:sendMessage', { QueueUrl: QUEUE, MessageBody: 'm' }))).run({}, { endpoints: { sqs: cut.url } });
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('SQS.SdkClientException');
      expect(run.cause).toContain(`Unable to read the answer of the Sqs endpoint ${cut.url}/: status 200`);
    } finally {
      await cut.close();
    }
  });

  it(`fails with States.DataLimitExceeded when an endpoint answers more than ${MAX_SERVICE_RESPONSE} bytes, reading no further`, async () => {
    const huge = await fakeAnswering({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(MAX_SERVICE_RESPONSE + 1) }, body: '{}' });
    try {
      const wf = Workflow.fromDefinition(asl(task('arn:aws:states:::aws-sdk:dynamodb:getItem', { TableName: 'orders', Key: { id: { S: '1' } } })));
      const run = await wf.run({}, { endpoints: { dynamodb: huge.url } });
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('States.DataLimitExceeded');
      expect(run.cause).toContain(`answered status 200 with ${MAX_SERVICE_RESPONSE + 1} bytes`);
    } finally {
      await huge.close();
    }
  });
});
