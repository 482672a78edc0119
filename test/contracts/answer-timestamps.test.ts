import { checkAnswer } from '../../src/contracts';
import { conformAnswer } from '../../src/explore/contract-answers';

// sfn:startExecution answers { executionArn, startDate } (a timestamp); sfn:describeExecution's status is an enum.
const START = 'arn:aws:states:::aws-sdk:sfn:startExecution';
const DESCRIBE = 'arn:aws:states:::aws-sdk:sfn:describeExecution';
const ARN = 'arn:aws:states:us-east-1:123456789012:execution:m:e';

describe('an answer\'s timestamp members', () => {
  it('accepts ISO 8601 text, epoch seconds as text and an HTTP date in a timestamp member', () => {
    for (const at of ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.123+01:00', '1704067200', '1704067200.5', 'Mon, 01 Jan 2024 00:00:00 GMT']) {
      expect(checkAnswer(START, { ExecutionArn: ARN, StartDate: at }, 'STRICT')).toEqual([]);
    }
  });

  it('finds a word in a timestamp member as BAD_TIMESTAMP, advice with no words of AWS\'s', () => {
    const findings = checkAnswer(START, { ExecutionArn: ARN, StartDate: 'ESCALATE' }, 'STRICT');
    expect(findings).toEqual([expect.objectContaining({ code: 'BAD_TIMESTAMP', path: '$.StartDate' })]);
    expect(findings[0].aws).toBeUndefined();
    expect(findings[0].message).toContain('"ESCALATE" is not a time');
  });

  it('finds an impossible date (February 30) in a timestamp member', () => {
    expect(checkAnswer(START, { ExecutionArn: ARN, StartDate: '2024-02-30T00:00:00Z' }, 'PRESENT')).toEqual([expect.objectContaining({ code: 'BAD_TIMESTAMP' })]);
  });

  it('makes an invented answer\'s word in a timestamp member a time', () => {
    const made = conformAnswer(START, { ExecutionArn: ARN, StartDate: 'ESCALATE' }) as { StartDate: string };
    expect(made.StartDate).not.toBe('ESCALATE');
    expect(checkAnswer(START, made, 'STRICT')).toEqual([]);
  });

  it('keeps an invented answer\'s valid time in a timestamp member as it is', () => {
    expect(conformAnswer(START, { ExecutionArn: ARN, StartDate: '2025-06-01T12:00:00Z' })).toEqual({ ExecutionArn: ARN, StartDate: '2025-06-01T12:00:00Z' });
  });
});

describe('an answer\'s enum members', () => {
  it('finds null in an enum member as NOT_IN_ENUM, advice with no words of AWS\'s', () => {
    const findings = checkAnswer(DESCRIBE, { ExecutionArn: ARN, StateMachineArn: ARN, Status: null, StartDate: '2024-01-01T00:00:00Z' }, 'PRESENT');
    expect(findings).toEqual([expect.objectContaining({ code: 'NOT_IN_ENUM', path: '$.Status' })]);
    expect(findings[0].aws).toBeUndefined();
  });

  it('leaves null alone in a member with no enum', () => {
    expect(checkAnswer(DESCRIBE, { ExecutionArn: ARN, StateMachineArn: ARN, Status: 'RUNNING', StartDate: '2024-01-01T00:00:00Z', Name: null }, 'PRESENT')).toEqual([]);
  });

  it('makes an invented answer\'s null in a required enum member one of the enum\'s values', () => {
    const made = conformAnswer(DESCRIBE, { ExecutionArn: ARN, StateMachineArn: ARN, Status: null, StartDate: '2024-01-01T00:00:00Z' }) as { Status: string };
    expect(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']).toContain(made.Status);
    expect(checkAnswer(DESCRIBE, made, 'STRICT')).toEqual([]);
  });
});
