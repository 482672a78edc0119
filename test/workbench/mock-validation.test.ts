import type { JsonValue, StateMachineDefinition } from '../../src/asl/definition-types';
import { modelVersion } from '../../src/contracts/sdk-models';
import { Workflow } from '../../src/testing/workflow';
import { delay, fail, rawResult, succeed } from '../../src/workbench/mocks/answers';
import { exampleAnswer } from '../../src/workbench/mocks/example-answer';
import type { MockConfig } from '../../src/workbench/mocks/mock-config';
import { judgeMockError, judgeMockResult, optionOf, type MockDoor } from '../../src/workbench/mocks/validation';

function oneTask(resource: string, extra: Record<string, unknown> = {}): Workflow {
  return Workflow.fromDefinition({ StartAt: 'GetOrder', States: { GetOrder: { Type: 'Task', Resource: resource, End: true, ...extra } } } as StateMachineDefinition);
}

const GET = 'arn:aws:states:::dynamodb:getItem';
const getOrder = (): Workflow => oneTask(GET, { Parameters: { TableName: 'orders', Key: { id: { 'S.$': '$.id' } } } });
const ORIGIN = { stateName: 'GetOrder', resource: GET, label: 'mocks' };

// Per integration family: an answer of the right shape passes, one AWS's TestState refuses is refused and named.
const FAMILIES: ReadonlyArray<{ family: string; resource: string; good: unknown; bad: unknown; field: string }> = [
  { family: 'optimized DynamoDB', resource: GET, good: { Item: { id: { S: 'o-1' } } }, bad: { Item: { id: { S: 1 } } }, field: '$.Item.id.S' },
  { family: 'optimized SQS', resource: 'arn:aws:states:::sqs:sendMessage', good: { MessageId: 'm-1', MD5OfMessageBody: 'abc' }, bad: { MessageId: ['m-1'] }, field: '$.MessageId' },
  { family: 'optimized SNS', resource: 'arn:aws:states:::sns:publish', good: { MessageId: 'm-1' }, bad: { MessageId: 5 }, field: '$.MessageId' },
  { family: 'optimized Step Functions', resource: 'arn:aws:states:::states:startExecution', good: { ExecutionArn: 'arn:e', StartDate: '2024-01-01T00:00:00Z' }, bad: { ExecutionArn: 'arn:e', StartDate: true }, field: '$.StartDate' },
  { family: 'optimized EventBridge', resource: 'arn:aws:states:::events:putEvents', good: { Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0 }, bad: { Entries: 'e-1' }, field: '$.Entries' },
  { family: 'AWS SDK S3', resource: 'arn:aws:states:::aws-sdk:s3:listObjectsV2', good: { Contents: [{ Key: 'a.txt', Size: 3 }], KeyCount: 1 }, bad: { Contents: [{ Key: 'a.txt', Size: 'three' }] }, field: '$.Contents[0].Size' },
  { family: 'AWS SDK DynamoDB', resource: 'arn:aws:states:::aws-sdk:dynamodb:query', good: { Items: [{ id: { S: 'o-1' } }], Count: 1 }, bad: { Items: [{ id: 'o-1' }] }, field: '$.Items[0].id' },
];

describe('mockValidation: answers AWS\'s TestState refuses are refused', () => {
  it('fails a getItem mock whose attribute value is a number where DynamoDB sends text, naming the state, the field, the model version and the way out', async () => {
    const run = await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: { Item: { id: { S: 5 } } } } });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain("The mock of Task 'GetOrder' answers what dynamodb:getItem (GetItem) never returns, and AWS's TestState refuses it too");
    expect(run.cause).toContain(`judged by ${modelVersion()} (dynamodb-2012-08-10)`);
    expect(run.cause).toContain('$.Item.id.S: expected string, got integer 5');
    expect(run.cause).toContain("only mockValidation: 'NONE' lets it through");
  });

  it('requires the required fields under STRICT only, and says PRESENT keeps the type checks', async () => {
    const start = oneTask('arn:aws:states:::aws-sdk:sfn:startExecution', { Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child' } });
    const strict = await start.run({}, { mocks: { GetOrder: { ExecutionArn: 'arn:e' } } });
    expect(strict.cause).toContain("$.StartDate: the required field 'StartDate' is missing");
    expect(strict.cause).toContain("to give only some fields, set mockValidation: 'PRESENT': the fields given are still checked");
    expect((await start.run({}, { mocks: { GetOrder: { ExecutionArn: 'arn:e' } }, mockValidation: 'PRESENT' })).status).toBe('SUCCEEDED');
    expect((await start.run({}, { mocks: { GetOrder: { ExecutionArn: 5 } }, mockValidation: 'PRESENT' })).error).toBe('States.Runtime');
  });

  it('refuses a value outside the model\'s enum and bounds, as TestState does (recorded: StorageClass "Papyrus", MemorySize 127)', async () => {
    const getObject = oneTask('arn:aws:states:::aws-sdk:s3:getObject', { Parameters: { Bucket: 'b', Key: 'k' } });
    expect((await getObject.run({}, { mocks: { GetOrder: { StorageClass: 'Papyrus' } } })).cause).toContain('"Papyrus" is not one of the values the model allows');
    const getFunction = oneTask('arn:aws:states:::aws-sdk:lambda:getFunction', { Parameters: { FunctionName: 'f' } });
    expect((await getFunction.run({}, { mocks: { GetOrder: { Configuration: { MemorySize: 127 } } } })).cause).toContain("$.Configuration.MemorySize: 127 is below the model's minimum, 128");
  });

  it('accepts anything under NONE', async () => {
    const none = await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: { Item: { id: { S: 5 } } } }, mockValidation: 'NONE' });
    expect(none.status).toBe('SUCCEEDED');
    expect(none.advice).toEqual([]);
  });

  for (const { family, resource, good, bad, field } of FAMILIES) {
    it(`${family}: accepts a conforming answer and names ${field} of one AWS refuses`, async () => {
      expect((await oneTask(resource).run({}, { mocks: { GetOrder: good as never }, mockValidation: 'PRESENT' })).status).toBe('SUCCEEDED');
      const run = await oneTask(resource).run({}, { mocks: { GetOrder: bad as never }, mockValidation: 'PRESENT' });
      expect(run.error).toBe('States.Runtime');
      expect(run.cause).toContain(`${field}:`);
    });
  }

  it('checks an answer after a delay, and a function mock\'s return value', async () => {
    expect((await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: delay(5, succeed({ Item: { id: { S: 5 } } })) } })).error).toBe('States.Runtime');
    expect((await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: async () => ({ Item: { id: { S: 5 } } }) } })).error).toBe('States.Runtime');
  });

  it('does not judge what no model describes: a function ARN\'s result, a callback\'s answer, the echoed input', async () => {
    expect((await oneTask('arn:aws:lambda:us-east-1:123456789012:function:f').run({}, { mocks: { GetOrder: 'text' } })).status).toBe('SUCCEEDED');
    const callback = oneTask('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } } });
    expect((await callback.run({}, { mocks: { GetOrder: { approved: true } } })).status).toBe('SUCCEEDED');
    expect((await getOrder().run({ id: 'o-1' }, { unmocked: 'input' })).status).toBe('SUCCEEDED');
  });

  it('refuses a mode that is not one of STRICT, PRESENT, NONE, and an advice mode that is not warn or fail', async () => {
    await expect(getOrder().run({}, { mockValidation: 'LAX' as never })).rejects.toThrow('mockValidation must be one of STRICT, PRESENT, NONE');
    await expect(getOrder().run({}, { mockAdvice: 'loud' as never })).rejects.toThrow('mockAdvice must be one of warn, fail');
  });
});

describe('mockAdvice: what AWS lets through is advice, not a failure', () => {
  it('runs a getItem mock answering { id } (a field GetItem does not define) to the end, as AWS\'s TestState would, and tells it in run.advice', async () => {
    const run = await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: { id: 'o-1' } } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ id: 'o-1' });
    expect(run.advice).toHaveLength(1);
    const [advice] = run.advice;
    expect(advice.state).toBe('GetOrder');
    expect(advice.message).toContain("The mock of Task 'GetOrder' answers a field dynamodb:getItem (GetItem) never returns");
    expect(advice.message).toContain("$.id: the field 'id' is not defined");
    expect(advice.message).toContain(`judged by ${modelVersion()}`);
    expect(advice.message).toContain('for example {"Item":{"id":{"S":"o-1"}}}');
    expect(advice.message).toContain("set mockAdvice: 'fail' to fail the run on it");
  });

  it('runs a startExecution mock whose StartDate is a word (no time) to the end, and tells it in run.advice: AWS\'s check of the text is unknown', async () => {
    const wf = oneTask('arn:aws:states:::states:startExecution', { Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:child' } });
    const run = await wf.run({}, { mocks: { GetOrder: { ExecutionArn: 'arn:e', StartDate: 'ESCALATE' } } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice).toHaveLength(1);
    expect(run.advice[0].message).toContain('$.StartDate: "ESCALATE" is not a time');
    expect((await wf.run({}, { mocks: { GetOrder: { ExecutionArn: 'arn:e', StartDate: '2024-01-01T00:00:00Z' } } })).advice).toEqual([]);
  });

  it('fails the run on it with mockAdvice: \'fail\', naming the option that keeps the run going', async () => {
    const run = await getOrder().run({ id: 'o-1' }, { mocks: { GetOrder: { Itme: { id: { S: 'o-1' } } } }, mockAdvice: 'fail' });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain("did you mean 'Item'?");
    expect(run.cause).toContain("mockAdvice: 'warn' keeps the run going with every other check on");
  });

  it('tells a fail() naming an error the integration never raises, with the closest real names, and lets the Catch see it', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'GetOrder',
      States: {
        GetOrder: { Type: 'Task', Resource: GET, Parameters: { TableName: 't', Key: {} }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
        Caught: { Type: 'Pass', End: true },
      },
    } as StateMachineDefinition);
    const run = await wf.run({}, { mocks: { GetOrder: fail('DynamoDB.NotFound') } });
    expect(run.path).toContain('Caught');
    expect(run.advice[0].message).toContain("fails with 'DynamoDB.NotFound', which arn:aws:states:::dynamodb:getItem never raises");
    expect(run.advice[0].message).toContain("'DynamoDB.ResourceNotFoundException'");
    expect((await wf.run({}, { mocks: { GetOrder: fail('DynamoDB.ResourceNotFoundException') } })).advice).toEqual([]);
    const strictly = await wf.run({}, { mocks: { GetOrder: fail('DynamoDB.NotFound') }, mockAdvice: 'fail' });
    expect(strictly.error).toBe('States.Runtime');
  });

  it('tells a fail() naming an error S3 never raises, with the name it does raise', async () => {
    const wf = oneTask('arn:aws:states:::aws-sdk:s3:getObject', { Parameters: { Bucket: 'b', Key: 'k' } });
    const run = await wf.run({}, { mocks: { GetOrder: fail('S3.NoSuchKey') } });
    expect(run.error).toBe('S3.NoSuchKey');
    expect(run.advice[0].message).toContain("'S3.NoSuchKeyException'");
  });

  it('lets a Lambda mock fail with any name: a function raises its own errors', async () => {
    const wf = oneTask('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: 'f' } });
    const run = await wf.run({}, { mocks: { GetOrder: fail('Payment.Declined') } });
    expect(run.error).toBe('Payment.Declined');
    expect(run.advice).toEqual([]);
  });

  it('keeps the Lambda convenience: a payload-only mock is checked inside the invoke envelope, and a misspelt envelope field is told', async () => {
    const wf = oneTask('arn:aws:states:::lambda:invoke', { Parameters: { 'FunctionName': 'f', 'Payload.$': '$' } });
    expect((await wf.run({}, { mocks: { GetOrder: { anything: 1 } } })).advice).toEqual([]);
    const raw = await wf.run({}, { mocks: { GetOrder: rawResult({ Payload: 1, Status: 200 }) } });
    expect(raw.status).toBe('SUCCEEDED');
    expect(raw.advice[0].message).toContain("$.Status: the field 'Status' is not defined; did you mean 'StatusCode'?");
  });

  it('tells the advice of a MockConfigFile test case the same way, once for a Map of many items', async () => {
    const config = {
      StateMachines: { StateMachine: { TestCases: { Plain: { GetOrder: 'Plain' } } } },
      MockedResponses: { Plain: { 0: { Return: { id: 'o-1' } } } },
    };
    const run = await getOrder().run({ id: 'o-1' }, { mockConfig: { config, testCase: 'Plain' } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice[0].message).toContain("The mock of Task 'GetOrder' (MockConfigFile)");
    const map = Workflow.fromDefinition({
      StartAt: 'Each',
      States: { Each: { Type: 'Map', ItemsPath: '$.ids', ItemProcessor: { StartAt: 'GetOrder', States: { GetOrder: { Type: 'Task', Resource: GET, Parameters: { TableName: 't', Key: {} }, End: true } } }, End: true } },
    } as StateMachineDefinition);
    const many = await map.run({ ids: [1, 2, 3, 4, 5] }, { mocks: { GetOrder: { id: 'o-1' } } });
    expect(many.advice).toHaveLength(1);
  });
});

describe('the example answer: the answer the mock meant (issue 64)', () => {
  it('puts a DynamoDB item\'s typed attributes given without Item inside it, as written, not typed again', () => {
    expect(exampleAnswer(GET, { id: { S: 'a' }, tenant: { S: 'acme' } })).toBe('{"Item":{"id":{"S":"a"},"tenant":{"S":"acme"}}}');
  });

  it('types plain attributes given without Item', () => {
    expect(exampleAnswer(GET, { id: 'o-1', total: 30 })).toBe('{"Item":{"id":{"S":"o-1"},"total":{"N":"30"}}}');
  });

  it('renames a misspelt Itme to the Item it meant', () => {
    expect(exampleAnswer(GET, { Itme: { id: { S: 'a' } } })).toBe('{"Item":{"id":{"S":"a"}}}');
  });

  it('shows a successful Lambda invocation for lambda:invoke, never a FunctionError', () => {
    const example = exampleAnswer('arn:aws:states:::lambda:invoke', { Bogus: true });
    expect(JSON.parse(example)).toEqual({ ExecutedVersion: '$LATEST', Payload: {}, StatusCode: 200 });
    expect(exampleAnswer('arn:aws:states:::lambda:invoke', { StatusCode: '200', Payload: { ok: true } })).not.toContain('FunctionError');
  });

  it('never offers an answer AWS turns into a failure: a child execution\'s FAILED, failed entries, a FunctionError (issue 72)', () => {
    const child = JSON.parse(exampleAnswer('arn:aws:states:::states:startExecution.sync:2', { Status: 'FAILED', Output: { n: 1 } }));
    expect(child).toMatchObject({ Status: 'SUCCEEDED', Output: { n: 1 } });
    expect(JSON.parse(exampleAnswer('arn:aws:states:::states:startExecution.sync:2', { Bogus: 1 }))).toMatchObject({ Status: 'SUCCEEDED' });
    const events = JSON.parse(exampleAnswer('arn:aws:states:::events:putEvents', { FailedEntryCount: '1', Entries: [{ ErrorCode: 'x' }], Bad: 1 }));
    expect(events.FailedEntryCount).toBe(0);
    const lambda = JSON.parse(exampleAnswer('arn:aws:states:::lambda:invoke', { StatusCode: 200, FunctionError: 'Unhandled', Payload: { errorType: 'E' }, Bad: 1 }));
    expect(lambda.FunctionError).toBeUndefined();
  });

  it('fills in the required fields and keeps the ones given', () => {
    expect(JSON.parse(exampleAnswer('arn:aws:states:::aws-sdk:sfn:startExecution', { ExecutionArn: 'arn:e' }))).toEqual({ ExecutionArn: 'arn:e', StartDate: '2024-01-01T00:00:00Z' });
  });

  it('shows an EventBridge answer for a Lambda envelope given to putEvents (AWS\'s Step Functions Local sample)', () => {
    expect(JSON.parse(exampleAnswer('arn:aws:states:::events:putEvents', { StatusCode: 200, Payload: { ok: true } }))).toMatchObject({ Entries: [{ EventId: expect.any(String) }] });
  });
});

describe('each door names its own option', () => {
  const refused = (door: MockDoor): string => judgeMockResult(ORIGIN, { Item: { id: { S: 5 } } }, { mode: 'STRICT', advice: 'warn', door }).refusal!;
  const advised = (door: MockDoor): string => judgeMockResult(ORIGIN, { id: 'o-1' }, { mode: 'STRICT', advice: 'warn', door }).advice!;

  it.each([
    ['jest', "mockValidation: 'NONE'", "mockAdvice: 'fail'"],
    ['cli', '--mock-validation NONE', '--mock-advice fail'],
    ['serve', 'stepwright serve --mock-validation NONE', 'stepwright serve --mock-advice fail'],
    ['mcp', 'the tool\'s mockValidation: "NONE"', 'the tool\'s mockAdvice: "fail"'],
  ] as const)('%s: %s and %s', (door, validation, advice) => {
    expect(refused(door)).toContain(validation);
    expect(advised(door)).toContain(advice);
  });

  it('TestState names mock.fieldValidationMode and offers no advice option, which AWS\'s API has not', () => {
    expect(refused('test-state')).toContain('mock.fieldValidationMode: "NONE"');
    expect(optionOf('test-state', 'advice', 'fail')).toBeUndefined();
    expect(advised('test-state')).not.toMatch(/mockAdvice|--mock-advice/);
  });

  it('words nothing for an answer AWS gives, nor for an error the integration raises', () => {
    expect(judgeMockResult(ORIGIN, { Item: { id: { S: 'a' } } }, { mode: 'STRICT', advice: 'warn', door: 'jest' })).toEqual({});
    expect(judgeMockError(ORIGIN, 'States.Timeout', { mode: 'STRICT', advice: 'warn', door: 'jest' })).toEqual({});
    expect(judgeMockError(ORIGIN, 'DynamoDB.ProvisionedThroughputExceededException', { mode: 'STRICT', advice: 'warn', door: 'jest' })).toEqual({});
  });

  describe('an error under an integration\'s own prefix that it never raises, where its list of errors is open', () => {
    const settings = { mode: 'STRICT', advice: 'warn', door: 'jest' } as const;
    const origin = (resource: string): typeof ORIGIN => ({ ...ORIGIN, resource: `arn:aws:states:::${resource}` });
    it.each([
      ['lambda:invoke', 'Lambda.TooManyRequests', 'Lambda.TooManyRequestsException'],
      ['apigateway:invoke', 'ApiGateway.Forbidden', undefined],
      ['apigateway:invoke', 'ApiGateway.200', undefined],
      ['http:invoke', 'States.Http.StatusCode.200', undefined],
      ['states:startExecution.sync', 'StepFunctions.ExecutionFailed', undefined],
      ['bedrock:invokeModel', 'Bedrock.Throttling', 'Bedrock.ThrottlingException'],
      ['glue:startJobRun.sync', 'Glue.JobRunFailed', undefined],
    ])('%s failing with %s is advice, a guess, never a refusal', (resource, error, meant) => {
      const verdict = judgeMockError(origin(resource), error, settings);
      expect(verdict.refusal).toBeUndefined();
      expect(verdict.advice).toContain(`fails with '${error}', a name under the prefix of arn:aws:states:::${resource} that it never raises`);
      expect(verdict.advice).toContain('so this is a guess');
      if (meant !== undefined) expect(verdict.advice).toContain(`did you mean '${meant}'`);
      // Asked to fail on advice, the run fails on it, as on any other.
      expect(judgeMockError(origin(resource), error, { ...settings, advice: 'fail' }).refusal).toContain('because it was asked to');
    });

    it.each([
      ['lambda:invoke', 'Lambda.Unknown'], ['lambda:invoke', 'Lambda.ServiceException'], ['lambda:invoke', 'PaymentDeclined'],
      ['apigateway:invoke', 'ApiGateway.404'], ['apigateway:invoke', 'ApiGateway.503'], ['http:invoke', 'States.Http.StatusCode.500'],
      ['http:invoke', 'States.Http.Socket'], ['states:startExecution.sync', 'States.TaskFailed'],
      ['states:startExecution.sync', 'StepFunctions.ExecutionLimitExceededException'], ['bedrock:invokeModel', 'Bedrock.ThrottlingException'],
      ['ecs:runTask.sync', 'AmazonECS.Unknown'], ['sqs:sendMessage.waitForTaskToken', 'Approval.Rejected'], ['lambda:invoke', 'Lambda.AccessDeniedException'],
    ])('%s failing with %s, a name it raises or a name of the caller\'s own, is not told', (resource, error) => {
      expect(judgeMockError(origin(resource), error, settings)).toEqual({});
    });
  });

  it('escapes a control character a mock\'s field name carries, so no door prints it raw', () => {
    const { advice } = judgeMockResult(ORIGIN, { 'x\u001b[2J': 1 }, { mode: 'STRICT', advice: 'warn', door: 'jest' });
    expect(advice).not.toContain('\u001b');
    expect(advice).toContain('\\u001b');
  });
});

describe('testState: mock.fieldValidationMode', () => {
  // "fieldValidationMode ... STRICT (default), PRESENT, NONE": AWS TestState API reference, MockInput.
  const state = { Type: 'Task', Resource: GET, Parameters: { TableName: 't', Key: { id: { S: 'o-1' } } }, End: true } as const;

  it('refuses a mock.result GetItem never returns under STRICT (the default), as AWS\'s ValidationException in its words', async () => {
    const { testState, TestStateError } = await import('../../src/workbench/test-state');
    const refused = testState(state as never, '', {}, { mock: { Item: { id: { S: 5 } } } });
    await expect(refused).rejects.toThrow(TestStateError);
    await expect(refused).rejects.toMatchObject({ aws: { type: 'ValidationException', message: "Mock result schema validation error: Field 'S' must be a string" } });
  });

  it('accepts a field GetItem does not define, as AWS does, and names it in the advice', async () => {
    const { testState } = await import('../../src/workbench/test-state');
    const r = await testState(state as never, '', {}, { mock: { id: 'o-1' } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.advice?.[0]?.message).toContain("the field 'id' is not defined");
    expect((await testState(state as never, '', {}, { mock: { Item: { id: { S: 'o-1' } } } })).advice).toBeUndefined();
  });

  it('serve\'s TestState applies mock.fieldValidationMode and keeps the advice out of AWS\'s answer', async () => {
    const { testStateRequest, ApiError } = await import('../../src/server/test-state');
    const request = { definition: JSON.stringify(state), roleArn: 'arn:aws:iam::123456789012:role/R', mock: { result: '{"Item":{"id":{"S":5}}}' } };
    await expect(testStateRequest(request)).rejects.toBeInstanceOf(ApiError);
    await expect(testStateRequest({ ...request, mock: { ...request.mock, fieldValidationMode: 'NONE' } })).resolves.toMatchObject({ status: 'SUCCEEDED' });
    const told: string[] = [];
    const answer = await testStateRequest({ ...request, mock: { result: '{"id":"o-1"}' } }, (a) => told.push(a.message));
    expect(answer).toEqual({ status: 'SUCCEEDED', output: '{"id":"o-1"}' });
    expect(told[0]).toContain("the field 'id' is not defined");
  });
});

describe("a MockConfigFile's answers: PRESENT by default, as the format's own tool checks none", () => {
  const start = (): Workflow => oneTask('arn:aws:states:::aws-sdk:sfn:startSyncExecution', { Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child' } });
  const configWith = (answer: JsonValue): MockConfig => ({
    StateMachines: { StateMachine: { TestCases: { T: { GetOrder: 'R' } } } },
    MockedResponses: { R: { 0: { Return: answer } } },
  });

  it('runs an answer that leaves out required fields to the end and tells each field in run.advice, naming the option that checks it STRICT', async () => {
    const run = await start().run({}, { mockConfig: { config: configWith({ Output: '{"ok":true}' }), testCase: 'T' } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice).toHaveLength(1);
    const said = run.advice[0].message;
    expect(said).toContain("The mock of Task 'GetOrder' (MockConfigFile) leaves out fields sfn:startSyncExecution (StartSyncExecution) always returns");
    for (const field of ['ExecutionArn', 'StartDate', 'StopDate', 'Status']) expect(said).toContain(`$.${field}: the required field '${field}' is missing`);
    expect(said).toContain('Step Functions Local, whose format a MockConfigFile is, checks no mock');
    expect(said).toContain("as mockValidation: 'STRICT' does here");
  });

  it('still refuses a field of the wrong type, as TestState refuses it under PRESENT too', async () => {
    const run = await start().run({}, { mockConfig: { config: configWith({ Output: 5 }), testCase: 'T' } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain('field validation PRESENT');
    expect(run.cause).toContain('$.Output: expected string, got integer 5');
  });

  it('refuses a missing field again when the run names STRICT, as TestState\'s own default does', async () => {
    const run = await start().run({}, { mockConfig: { config: configWith({ Output: '{}' }), testCase: 'T' }, mockValidation: 'STRICT' });
    expect(run.status).toBe('FAILED');
    expect(run.cause).toContain("$.ExecutionArn: the required field 'ExecutionArn' is missing");
    expect(run.cause).toContain('field validation STRICT');
  });

  it('fails the run on the missing field with mockAdvice: \'fail\', as on any advice', async () => {
    const run = await start().run({}, { mockConfig: { config: configWith({ Output: '{}' }), testCase: 'T' }, mockAdvice: 'fail' });
    expect(run.status).toBe('FAILED');
    expect(run.cause).toContain("this run fails on it because it was asked to (mockAdvice: 'fail')");
  });

  it("keeps STRICT for the harness's own mocks: the same answer given as a mock fails", async () => {
    const run = await start().run({}, { mocks: { GetOrder: { Output: '{}' } } });
    expect(run.status).toBe('FAILED');
    expect(run.cause).toContain("$.ExecutionArn: the required field 'ExecutionArn' is missing");
  });

  it('tells a missing field and a field the model does not define in one piece of advice', async () => {
    const run = await start().run({}, { mockConfig: { config: configWith({ Output: '{}', Extra: 1 }), testCase: 'T' } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice).toHaveLength(1);
    expect(run.advice[0].message).toContain('answers a field sfn:startSyncExecution (StartSyncExecution) never returns');
    expect(run.advice[0].message).toContain('leaves out fields sfn:startSyncExecution (StartSyncExecution) always returns');
  });
});
