/*
 * The verdicts AWS's TestState gave on mocked results, each mode (recorded on AWS in November
 * 2025: LocalStack's AWS-validated snapshots test_field_validation_mode, _present and _none, and
 * the successful mocks of test_test_state_mock_scenarios). Each is asked of testState() and of
 * serve's TestState, which must give AWS's verdict in AWS's words. The states are written here;
 * the results and verdicts are AWS's.
 */
import type { JsonValue } from '../../src/asl/definition-types';
import { contractOf } from '../../src/contracts';
import { testStateRequest, ApiError } from '../../src/server/test-state';
import { testState, TestStateError } from '../../src/workbench/test-state';

const PUT_EVENTS = { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { 'Entries.$': '$.Entries' }, End: true };
const START = {
  Type: 'Task',
  QueryLanguage: 'JSONata',
  Resource: 'arn:aws:states:::states:startExecution',
  Arguments: { StateMachineArn: '{% $states.input.stateMachineArn %}', Name: '{% $states.input.name %}' },
  Output: { targetExecutionResult: '{% $states.result %}' },
  End: true,
};
const INVOKE = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.FunctionName' }, End: true };
const PUT_ITEM = { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { 'TableName.$': '$.TableName', 'Item.$': '$.Item' }, End: true };
const GET_OBJECT = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { 'Bucket.$': '$.Bucket', 'Key.$': '$.Key' }, End: true };
const ENCRYPT = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:kms:encrypt', Parameters: { 'KeyId.$': '$.KeyId', 'Plaintext.$': '$.Plaintext' }, End: true };
const GET_FUNCTION = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:lambda:getFunction', Parameters: { 'FunctionName.$': '$.FunctionName' }, End: true };

const INPUTS = new Map<object, JsonValue>([
  [PUT_EVENTS, { Entries: [{ Detail: 'detail', DetailType: 'detail_type', Source: 'source' }] }],
  [START, { stateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:Target', name: 'TestStartTarget' }],
  [INVOKE, { FunctionName: 'f' }],
  [PUT_ITEM, { TableName: 'table_name', Item: { id: { S: 'id1' } } }],
  [GET_OBJECT, { Bucket: 'bucket_name', Key: 'file_key' }],
  [ENCRYPT, { KeyId: 'key_id', Plaintext: 'plain_text' }],
  [GET_FUNCTION, { FunctionName: 'f' }],
]);

type Mode = 'STRICT' | 'PRESENT' | 'NONE';
/** A recorded verdict: `pass` (TestState answered SUCCEEDED) or the ValidationException's message. */
type Verdict = 'pass' | string;
const refused = (field: string): string => `Mock result schema validation error: ${field}`;

const RECORDED: ReadonlyArray<readonly [Mode, string, object, JsonValue, Verdict]> = [
  ['STRICT', 'a field not part of the API spec', PUT_EVENTS, { random: 'json' }, 'pass'],
  ['STRICT', 'empty JSON', PUT_EVENTS, {}, 'pass'],
  ['STRICT', 'a top-level field of the wrong type', PUT_EVENTS, { Entries: 'not a list' }, refused("Field 'Entries' must be an array")],
  ['STRICT', 'a nested field of the wrong type', PUT_EVENTS, { Entries: [{ EventId: ['a list'] }] }, refused("Field 'EventId' must be a string")],
  ['STRICT', 'the wrong type in the second element of a list', PUT_EVENTS, { Entries: [{ EventId: 'right' }, { EventId: ['wrong'] }] }, refused("Field 'EventId' must be a string")],
  ['STRICT', 'required fields missing', START, {}, refused("Required field 'ExecutionArn' is missing")],
  ['STRICT', 'field names not in Step Functions\' case', START, { executionArn: 'x', startDate: 'y' }, refused("Required field 'ExecutionArn' is missing")],
  ['STRICT', 'a timestamp given as a boolean', START, { ExecutionArn: 'x', StartDate: true }, refused("Field 'StartDate' must be a string")],
  ['STRICT', 'a timestamp given as a number', START, { ExecutionArn: 'x', StartDate: 1764103483 }, refused("Field 'StartDate' must be a string")],
  ['STRICT', 'an integer given as text', INVOKE, { StatusCode: '200' }, refused("Field 'StatusCode' must be a number")],
  ['STRICT', 'a float given as text', PUT_ITEM, { ConsumedCapacity: { CapacityUnits: '123.45' } }, refused("Field 'CapacityUnits' must be a number")],
  ['STRICT', 'a long given as text', GET_OBJECT, { ContentLength: '9000' }, refused("Field 'ContentLength' must be a number")],
  ['STRICT', 'a value not in the enum', GET_OBJECT, { StorageClass: 'Papyrus' }, refused("Field 'StorageClass' is not an expected value")],
  ['STRICT', 'a blob given as a number', ENCRYPT, { CiphertextBlob: 123 }, refused("Field 'CiphertextBlob' must be a string")],
  ['STRICT', 'a blob shorter than the minimum length', ENCRYPT, { CiphertextBlob: '' }, refused("Field 'CiphertextBlob' is smaller than the minimum length")],
  ['STRICT', 'an integer below the minimum', GET_FUNCTION, { Configuration: { MemorySize: 127 } }, refused("Field 'MemorySize' is less than the minimum value")],
  ['STRICT', 'a Lambda answer whose Payload is text, with SDK metadata', INVOKE, { Payload: 'function output', SdkHttpMetadata: { HttpStatusCode: 200 } }, 'pass'],
  ['STRICT', 'a DynamoDB answer with SDK metadata only', PUT_ITEM, { SdkHttpMetadata: { HttpStatusCode: 200 } }, 'pass'],
  ['STRICT', 'an EventBridge answer', PUT_EVENTS, { Entries: [{ EventId: '11111111-2222-3333-4444-555555555555' }] }, 'pass'],
  ['STRICT', 'a Step Functions answer with an ISO date', START, { ExecutionArn: 'arn:aws:states:us-east-1:111111111111:execution:Target:TestStartTarget', StartDate: '2025-11-25T10:00:00.000000' }, 'pass'],
  ['PRESENT', 'a field not part of the API spec', PUT_EVENTS, { random: 'json' }, 'pass'],
  ['PRESENT', 'empty JSON', PUT_EVENTS, {}, 'pass'],
  ['PRESENT', 'a top-level field of the wrong type', PUT_EVENTS, { Entries: 'not a list' }, refused("Field 'Entries' must be an array")],
  ['PRESENT', 'a nested field of the wrong type', PUT_EVENTS, { Entries: [{ EventId: ['a list'] }] }, refused("Field 'EventId' must be a string")],
  ['PRESENT', 'the wrong type in the second element of a list', PUT_EVENTS, { Entries: [{ EventId: 'right' }, { EventId: ['wrong'] }] }, refused("Field 'EventId' must be a string")],
  ['PRESENT', 'required fields missing', START, {}, 'pass'],
  ['PRESENT', 'field names not in Step Functions\' case', START, { executionArn: 'x', startDate: 'y' }, 'pass'],
  ['PRESENT', 'a timestamp given as a boolean, the required ExecutionArn missing', START, { StartDate: true }, refused("Field 'StartDate' must be a string")],
  ['PRESENT', 'an ARN given as a number', START, { ExecutionArn: 1764103483 }, refused("Field 'ExecutionArn' must be a string")],
  ['PRESENT', 'an integer given as text', INVOKE, { StatusCode: '200' }, refused("Field 'StatusCode' must be a number")],
  ['PRESENT', 'a float given as text', PUT_ITEM, { ConsumedCapacity: { CapacityUnits: '123.45' } }, refused("Field 'CapacityUnits' must be a number")],
  ['PRESENT', 'a long given as text', GET_OBJECT, { ContentLength: '9000' }, refused("Field 'ContentLength' must be a number")],
  ['PRESENT', 'a value not in the enum', GET_OBJECT, { StorageClass: 'Papyrus' }, refused("Field 'StorageClass' is not an expected value")],
  ['PRESENT', 'a blob given as a number', ENCRYPT, { CiphertextBlob: 123 }, refused("Field 'CiphertextBlob' must be a string")],
  ['PRESENT', 'a blob shorter than the minimum length', ENCRYPT, { CiphertextBlob: '' }, refused("Field 'CiphertextBlob' is smaller than the minimum length")],
  ['PRESENT', 'an integer below the minimum', GET_FUNCTION, { Configuration: { MemorySize: 127 } }, refused("Field 'MemorySize' is less than the minimum value")],
  ['NONE', 'required fields missing', START, {}, 'pass'],
  ['NONE', 'a timestamp given as a boolean', START, { ExecutionArn: 'x', StartDate: true }, 'pass'],
];

describe.each(RECORDED)('TestState %s: %s', (mode, _what, state, result, verdict) => {
  const input = INPUTS.get(state)!;

  it(verdict === 'pass' ? 'passes, as on AWS' : `is refused as on AWS: ${verdict}`, async () => {
    const r = testState(state as never, '', input, { mock: result, fieldValidationMode: mode });
    if (verdict === 'pass') {
      await expect(r).resolves.toMatchObject({ status: 'SUCCEEDED' });
    } else {
      await expect(r).rejects.toBeInstanceOf(TestStateError);
      await expect(r).rejects.toMatchObject({ aws: { type: 'ValidationException', message: verdict } });
    }
  });

  it('gets the same verdict from serve\'s TestState', async () => {
    const request = {
      definition: JSON.stringify(state),
      roleArn: 'arn:aws:iam::111111111111:role/R',
      input: JSON.stringify(input),
      mock: { result: JSON.stringify(result), fieldValidationMode: mode },
    };
    const r = testStateRequest(request);
    if (verdict === 'pass') await expect(r).resolves.toMatchObject({ status: 'SUCCEEDED' });
    else await expect(r).rejects.toMatchObject({ constructor: ApiError, type: 'ValidationException', message: verdict });
  });
});

describe('TestState: a bound the model moved since the recording', () => {
  // Recorded in November 2025: MemorySize 10241 "exceeds the maximum value" (Lambda's limit was then 10240).
  // Lambda's model now allows 32768; TestState judges by the current model, and so does stepwright.
  it('refuses a value above the model\'s maximum in AWS\'s words', async () => {
    const configuration = contractOf(GET_FUNCTION.Resource).output;
    const memory = configuration?.type === 'structure' ? configuration.member('Configuration') : undefined;
    const max = memory?.type === 'structure' ? (memory.member('MemorySize') as { max?: number }).max : undefined;
    expect(max).toBe(32768);
    await expect(testState(GET_FUNCTION as never, '', INPUTS.get(GET_FUNCTION)!, { mock: { Configuration: { MemorySize: max! + 1 } } }))
      .rejects.toMatchObject({ aws: { type: 'ValidationException', message: refused("Field 'MemorySize' exceeds the maximum value") } });
  });
});
