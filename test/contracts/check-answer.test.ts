import { checkAnswer } from '../../src/contracts';

const GET = 'arn:aws:states:::dynamodb:getItem';
const SDK_GET = 'arn:aws:states:::aws-sdk:dynamodb:getItem';

describe('checkAnswer', () => {
  it('accepts a DynamoDB GetItem answer shaped as the model says', () => {
    expect(checkAnswer(SDK_GET, { Item: { id: { S: 'o-1' } } }, 'STRICT')).toEqual([]);
  });

  it('refuses { id: ... } for a getItem answer under STRICT and PRESENT, naming the field and the expected shape', () => {
    for (const mode of ['STRICT', 'PRESENT'] as const) {
      const findings = checkAnswer(GET, { id: 'o-1' }, mode);
      expect(findings).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD', path: '$.id' })]);
      expect(findings[0].expected).toContain('Item');
    }
  });

  it('checks nothing under NONE', () => {
    expect(checkAnswer(GET, { id: 'o-1' }, 'NONE')).toEqual([]);
  });

  it('requires the required fields under STRICT only', () => {
    const start = 'arn:aws:states:::aws-sdk:sfn:startExecution';
    expect(checkAnswer(start, { ExecutionArn: 'arn' }, 'STRICT')).toEqual([expect.objectContaining({ code: 'MISSING_FIELD', path: '$.StartDate' })]);
    expect(checkAnswer(start, { ExecutionArn: 'arn' }, 'PRESENT')).toEqual([]);
  });

  it('refuses a mis-typed field, naming what the model expects', () => {
    expect(checkAnswer(SDK_GET, { Item: { n: { N: 5 } } }, 'PRESENT')).toEqual([expect.objectContaining({ code: 'WRONG_TYPE', path: '$.Item.n.N', expected: 'string' })]);
  });

  it('accepts the envelope of lambda:invoke, SDK metadata included', () => {
    const envelope = {
      ExecutedVersion: '$LATEST',
      Payload: { ok: true },
      StatusCode: 200,
      SdkHttpMetadata: { AllHttpHeaders: { 'Content-Type': ['application/json'] }, HttpHeaders: { 'Content-Type': 'application/json' }, HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: 'r' },
    };
    expect(checkAnswer('arn:aws:states:::lambda:invoke', envelope, 'STRICT')).toEqual([]);
    expect(checkAnswer('arn:aws:states:::lambda:invoke', { ...envelope, Extra: 1 }, 'STRICT')).toEqual([expect.objectContaining({ path: '$.Extra' })]);
  });

  it('does not judge what no model describes: a callback output, a Lambda ARN result', () => {
    expect(checkAnswer('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { anything: 1 }, 'STRICT')).toEqual([]);
    expect(checkAnswer('arn:aws:lambda:us-east-1:1:function:f', 'text', 'STRICT')).toEqual([]);
  });

  it('takes a timestamp and a blob as text, and refuses a timestamp given as a number, as TestState does', () => {
    expect(checkAnswer('arn:aws:states:::aws-sdk:sfn:startExecution', { ExecutionArn: 'a', StartDate: '2024-01-01T00:00:00Z' }, 'STRICT')).toEqual([]);
    expect(checkAnswer('arn:aws:states:::aws-sdk:s3:getObject', { Body: 'hello', ContentLength: 5 }, 'STRICT')).toEqual([]);
    // Recorded on AWS (LocalStack's test_field_validation_mode, wrong_timestamp_type_number, 2025).
    expect(checkAnswer('arn:aws:states:::aws-sdk:sfn:startExecution', { ExecutionArn: 'a', StartDate: 1704067200 }, 'STRICT'))
      .toEqual([expect.objectContaining({ code: 'WRONG_TYPE', aws: "Field 'StartDate' must be a string" })]);
  });

  it('bounds a blob by the bytes its base64 decodes to, not by the length of the text (kms:decrypt Plaintext, at most 4,096 bytes)', () => {
    const DECRYPT = 'arn:aws:states:::aws-sdk:kms:decrypt';
    const base64 = (bytes: number): string => Buffer.alloc(bytes, 7).toString('base64');
    // 4,096 bytes are 5,464 characters of base64: the model allows them (https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html).
    expect(checkAnswer(DECRYPT, { Plaintext: base64(4096) }, 'STRICT')).toEqual([]);
    expect(checkAnswer(DECRYPT, { Plaintext: base64(4097) }, 'STRICT'))
      .toEqual([expect.objectContaining({ code: 'BAD_LENGTH', expected: 'at most 4096 bytes', aws: "Field 'Plaintext' exceeds the maximum length" })]);
    // Recorded on AWS (LocalStack's test_field_validation_mode, 2025): an empty blob is below the minimum.
    expect(checkAnswer(DECRYPT, { Plaintext: '' }, 'STRICT')).toEqual([expect.objectContaining({ code: 'BAD_LENGTH', aws: "Field 'Plaintext' is smaller than the minimum length" })]);
  });

  it('tells, never refuses, what it finds in a .sync:2 answer: TestState\'s verdict on a job\'s answer is not recorded', () => {
    // The shape is the one AWS recorded (DescribeExecution, Input and Output as JSON: ../shared/conformance,
    // TestCallback_test_start_execution_sync2); a mock of it that gives only the child's Output and Status runs.
    const findings = checkAnswer('arn:aws:states:::states:startExecution.sync:2', { Output: { total: 3 }, Status: 'SUCCEEDED', StartDate: 1745486528077 }, 'STRICT');
    expect(findings.map((f) => f.code).sort()).toEqual(['MISSING_FIELD', 'MISSING_FIELD', 'WRONG_TYPE']);
    expect(findings.filter((f) => f.aws !== undefined)).toEqual([]);
    // The request-response answer keeps TestState's recorded verdict.
    expect(checkAnswer('arn:aws:states:::states:startExecution', { ExecutionArn: 'a', StartDate: 1745486528077 }, 'STRICT'))
      .toEqual([expect.objectContaining({ aws: "Field 'StartDate' must be a string" })]);
  });
});
