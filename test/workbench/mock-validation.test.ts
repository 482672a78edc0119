import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Workflow } from '../../src/testing/workflow';
import { delay, fail, rawResult, succeed } from '../../src/workbench/mocks/answers';
import { mockErrorProblem, mockResultProblem } from '../../src/workbench/mocks/validation';

function oneTask(resource: string, extra: Record<string, unknown> = {}): Workflow {
  return Workflow.fromDefinition({ StartAt: 'GetOrder', States: { GetOrder: { Type: 'Task', Resource: resource, End: true, ...extra } } } as StateMachineDefinition);
}

const GET = 'arn:aws:states:::dynamodb:getItem';
const getOrder = (): Workflow => oneTask(GET, { Parameters: { TableName: 'orders', Key: { id: { 'S.$': '$.id' } } } });

// Per integration family: an answer of the right shape passes, a mis-shaped one is named.
const FAMILIES: ReadonlyArray<{ family: string; resource: string; good: unknown; bad: unknown; field: string }> = [
  { family: 'optimized DynamoDB', resource: GET, good: { Item: { id: { S: 'o-1' } } }, bad: { id: 'o-1' }, field: '$.id' },
  { family: 'optimized SQS', resource: 'arn:aws:states:::sqs:sendMessage', good: { MessageId: 'm-1', MD5OfMessageBody: 'abc' }, bad: { MessageID: 'm-1' }, field: '$.MessageID' },
  { family: 'optimized SNS', resource: 'arn:aws:states:::sns:publish', good: { MessageId: 'm-1' }, bad: { MessageId: 5 }, field: '$.MessageId' },
  { family: 'optimized Step Functions', resource: 'arn:aws:states:::states:startExecution', good: { ExecutionArn: 'arn:e', StartDate: '2024-01-01T00:00:00Z' }, bad: { executionArn: 'arn:e' }, field: '$.executionArn' },
  { family: 'optimized EventBridge', resource: 'arn:aws:states:::events:putEvents', good: { Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0 }, bad: { Entries: 'e-1' }, field: '$.Entries' },
  { family: 'AWS SDK S3', resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2', good: { Contents: [{ Key: 'a.txt', Size: 3 }], KeyCount: 1 }, bad: { Contents: [{ Key: 'a.txt', Size: 'three' }] }, field: '$.Contents[0].Size' },
  { family: 'AWS SDK DynamoDB', resource: 'arn:aws:states:::aws-sdk:dynamodb:query', good: { Items: [{ id: { S: 'o-1' } }], Count: 1 }, bad: { Items: [{ id: 'o-1' }] }, field: '$.Items[0].id' },
];

describe('mockValidation: answers checked against the service models', () => {
  it('fails a getItem mock answering { id } under STRICT, naming the state, the field, the expected shape and the corrected answer', async () => {
    const run = await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: { id: 'o-1' } } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain("The mock of Task 'GetOrder' answers what dynamodb:getItem (GetItem) never returns");
    expect(run.cause).toContain("$.id: the field 'id' is not defined");
    expect(run.cause).toContain('structure {Item, ConsumedCapacity');
    expect(run.cause).toContain('{"Item":{"id":{"S":"o-1"}}}');
  });

  it('passes the same machine with the answer DynamoDB gives', async () => {
    const run = await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: { Item: { id: { S: 'o-1' } } } } });
    expect(run.status).toBe('SUCCEEDED');
  });

  it('refuses an undefined field under PRESENT too, and accepts anything under NONE', async () => {
    expect((await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: { id: 'o-1' } }, mockValidation: 'PRESENT' })).status).toBe('FAILED');
    const none = await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: { id: 'o-1' } }, mockValidation: 'NONE' });
    expect(none.status).toBe('SUCCEEDED');
    expect(none.output).toEqual({ id: 'o-1' });
  });

  it('requires the required fields under STRICT only', async () => {
    const start = oneTask('arn:aws:states:::aws-sdk:sfn:startExecution', { Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child' } });
    const strict = await start.run({}, { mocks: { GetOrder: { ExecutionArn: 'arn:e' } } });
    expect(strict.cause).toContain("$.StartDate: the required field 'StartDate' is missing");
    expect((await start.run({}, { mocks: { GetOrder: { ExecutionArn: 'arn:e' } }, mockValidation: 'PRESENT' })).status).toBe('SUCCEEDED');
  });

  for (const { family, resource, good, bad, field } of FAMILIES) {
    it(`${family}: accepts a conforming answer and names ${field} of a mis-shaped one`, async () => {
      expect((await oneTask(resource).run({}, { mocks: { GetOrder: good as never }, mockValidation: 'PRESENT' })).status).toBe('SUCCEEDED');
      const run = await oneTask(resource).run({}, { mocks: { GetOrder: bad as never }, mockValidation: 'PRESENT' });
      expect(run.error).toBe('States.Runtime');
      expect(run.cause).toContain(`${field}:`);
    });
  }

  it('keeps the Lambda convenience: a payload-only mock is checked inside the invoke envelope', async () => {
    const wf = oneTask('arn:aws:states:::lambda:invoke', { Parameters: { 'FunctionName': 'f', 'Payload.$': '$' } });
    expect((await wf.run({}, { mocks: { GetOrder: { anything: 1 } } })).status).toBe('SUCCEEDED');
    expect((await wf.run({}, { mocks: { GetOrder: (e: unknown) => ({ echo: e }) } })).status).toBe('SUCCEEDED');
    const raw = await wf.run({}, { mocks: { GetOrder: rawResult({ Payload: 1, Status: 200 }) } });
    expect(raw.cause).toContain("$.Status: the field 'Status' is not defined; did you mean 'StatusCode'?");
  });

  it('checks an answer after a delay, and a function mock\'s return value', async () => {
    expect((await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: delay(5, succeed({ id: 'o-1' })) } })).error).toBe('States.Runtime');
    expect((await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: async () => ({ id: 'o-1' }) } })).error).toBe('States.Runtime');
  });

  it('does not judge what no model describes: a function ARN\'s result, a callback\'s answer, the echoed input', async () => {
    expect((await oneTask('arn:aws:lambda:us-east-1:123456789012:function:f').run({}, { mocks: { GetOrder: 'text' } })).status).toBe('SUCCEEDED');
    const callback = oneTask('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } } });
    expect((await callback.run({}, { mocks: { GetOrder: { approved: true } } })).status).toBe('SUCCEEDED');
    expect((await getOrder().run({ id: 'o-1' }, { unmocked: 'input' })).status).toBe('SUCCEEDED');
  });

  it('refuses a fail() naming an error the integration never raises under STRICT, with the closest real names', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'GetOrder',
      States: {
        GetOrder: { Type: 'Task', Resource: GET, Parameters: { TableName: 't', Key: {} }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
        Caught: { Type: 'Pass', End: true },
      },
    } as StateMachineDefinition);
    const run = await wf.run({}, { mocks: { GetOrder: fail('DynamoDB.NotFound') } });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain("fails with 'DynamoDB.NotFound', which arn:aws:states:::dynamodb:getItem never raises");
    expect(run.cause).toContain("'DynamoDB.ResourceNotFoundException'");
    const real = await wf.run({}, { mocks: { GetOrder: fail('DynamoDB.ResourceNotFoundException') } });
    expect(real.path).toContain('Caught');
    expect((await wf.run({}, { mocks: { GetOrder: fail('DynamoDB.NotFound') }, mockValidation: 'PRESENT' })).path).toContain('Caught');
  });

  it('refuses a fail() naming an error S3 never raises under STRICT, with the name it does raise (any service, not only the five the v3 clients cover)', async () => {
    const wf = oneTask('arn:aws:states:::aws-sdk:s3:getObject', { Parameters: { Bucket: 'b', Key: 'k' } });
    const run = await wf.run({}, { mocks: { GetOrder: fail('S3.NoSuchKey') } });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain("fails with 'S3.NoSuchKey', which arn:aws:states:::aws-sdk:s3:getObject never raises");
    expect(run.cause).toContain("'S3.NoSuchKeyException'");
    expect((await wf.run({}, { mocks: { GetOrder: fail('S3.NoSuchKeyException') } })).error).toBe('S3.NoSuchKeyException');
  });

  it('lets a Lambda mock fail with any name: a function raises its own errors', async () => {
    const wf = oneTask('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: 'f' } });
    expect((await wf.run({}, { mocks: { GetOrder: fail('Payment.Declined') } })).error).toBe('Payment.Declined');
  });

  it('checks the answers of a MockConfigFile test case the same way', async () => {
    const config = {
      StateMachines: { StateMachine: { TestCases: { Bad: { GetOrder: 'Plain' } } } },
      MockedResponses: { Plain: { 0: { Return: { id: 'o-1' } } } },
    };
    const run = await getOrder().run({ id: 'o-1' }, { mockConfig: { config, testCase: 'Bad' } });
    expect(run.cause).toContain("The mock of Task 'GetOrder' (MockConfigFile)");
  });

  it('refuses a mode that is not one of STRICT, PRESENT, NONE', async () => {
    await expect(getOrder().run({}, { mockValidation: 'LAX' as never })).rejects.toThrow('mockValidation must be one of STRICT, PRESENT, NONE');
  });

  it('words the problems without a run, for other doors', () => {
    const origin = { stateName: 'S', resource: GET, label: 'x' };
    expect(mockResultProblem(origin, { Item: { id: { S: 'a' } } }, 'STRICT')).toBeUndefined();
    expect(mockErrorProblem(origin, 'States.Timeout', 'STRICT')).toBeUndefined();
    expect(mockErrorProblem(origin, 'DynamoDB.ProvisionedThroughputExceededException', 'STRICT')).toBeUndefined();
  });
});

describe('testState: mock.fieldValidationMode', () => {
  // "fieldValidationMode ... STRICT (default), PRESENT, NONE": AWS TestState API reference, MockInput.
  const state = { Type: 'Task', Resource: GET, Parameters: { TableName: 't', Key: { id: { S: 'o-1' } } }, End: true } as const;

  it('refuses a mock.result GetItem never returns under STRICT (the default), as AWS\'s ValidationException', async () => {
    const { testState, TestStateError } = await import('../../src/workbench/test-state');
    const refused = testState(state as never, '', {}, { mock: { id: 'o-1' } });
    await expect(refused).rejects.toThrow(TestStateError);
    await expect(refused).rejects.toMatchObject({ aws: { type: 'ValidationException', message: expect.stringContaining("$.id: the field 'id' is not defined") } });
  });

  it('accepts it under NONE, and a conforming one under STRICT', async () => {
    const { testState } = await import('../../src/workbench/test-state');
    expect((await testState(state as never, '', {}, { mock: { id: 'o-1' }, fieldValidationMode: 'NONE' })).status).toBe('SUCCEEDED');
    expect((await testState(state as never, '', {}, { mock: { Item: { id: { S: 'o-1' } } } })).status).toBe('SUCCEEDED');
  });

  it('serve\'s TestState applies mock.fieldValidationMode', async () => {
    const { testStateRequest, ApiError } = await import('../../src/server/test-state');
    const request = { definition: JSON.stringify(state), roleArn: 'arn:aws:iam::123456789012:role/R', mock: { result: '{"id":"o-1"}' } };
    await expect(testStateRequest(request)).rejects.toBeInstanceOf(ApiError);
    await expect(testStateRequest({ ...request, mock: { ...request.mock, fieldValidationMode: 'NONE' } })).resolves.toMatchObject({ status: 'SUCCEEDED' });
  });
});
