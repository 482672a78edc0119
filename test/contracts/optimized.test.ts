import { contractOf } from '../../src/contracts';
import { OPTIMIZED_CONTRACTS } from '../../src/contracts/optimized';
import { OPTIMIZED } from '../../src/iam/optimized';

describe('optimized integration contracts', () => {
  it('cover every optimized integration the IAM table knows', () => {
    expect([...OPTIMIZED.keys()].filter((key) => !OPTIMIZED_CONTRACTS.has(key))).toEqual([]);
  });

  it.each([...OPTIMIZED_CONTRACTS.keys()])('resolve %s to a request, from its API or the guide, citing the guide', (key) => {
    const contract = contractOf(`arn:aws:states:::${key}`);
    expect(contract.unknown).toBeUndefined();
    expect(contract.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/step-functions\/latest\/dg\/connect-/);
    expect(contract.request?.type).toBe('structure');
    expect(contract.requestFields.length).toBeGreaterThan(0);
  });

  it.each([
    ['lambda:invoke', /^Payload/],
    ['sqs:sendMessage', /^MessageBody/],
    ['sns:publish', /^Message/],
    ['events:putEvents', /Detail/],
    ['ecs:runTask', /Environment/],
    ['states:startExecution', /^Input/],
  ])('say where the token of %s.waitForTaskToken goes', (key, field) => {
    expect(contractOf(`arn:aws:states:::${key}.waitForTaskToken`).tokenField).toMatch(field);
  });

  it('describe lambda:invoke answers as the envelope, and a callback answer as unknown', () => {
    const output = contractOf('arn:aws:states:::lambda:invoke').output;
    expect(output?.type === 'structure' ? [...output.fields].sort() : []).toEqual(
      expect.arrayContaining(['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode']));
    expect(contractOf('arn:aws:states:::lambda:invoke.waitForTaskToken').output).toBeUndefined();
  });

  it('describe states:startExecution.sync:2 as DescribeExecution with JSON input and output', () => {
    const output = contractOf('arn:aws:states:::states:startExecution.sync:2').output;
    expect(output?.type === 'structure' ? output.fields : []).toEqual(expect.arrayContaining(['ExecutionArn', 'Status', 'Output', 'Input']));
  });
});
