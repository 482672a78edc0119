import { parseResource } from '../../src/contracts';

describe('parseResource', () => {
  it.each([
    ['arn:aws:states:::sqs:sendMessage', { kind: 'optimized', service: 'sqs', action: 'sendMessage', pattern: 'request' }],
    ['arn:aws-us-gov:states:::lambda:invoke.waitForTaskToken', { kind: 'optimized', service: 'lambda', action: 'invoke', pattern: 'waitForTaskToken' }],
    ['arn:aws-cn:states:::states:startExecution.sync:2', { kind: 'optimized', service: 'states', action: 'startExecution', pattern: 'sync:2' }],
    ['arn:${AWS::Partition}:states:::ecs:runTask.sync', { kind: 'optimized', service: 'ecs', action: 'runTask', pattern: 'sync' }],
    ['arn:aws:states:::aws-sdk:dynamodb:getItem', { kind: 'sdk', service: 'dynamodb', action: 'getItem', pattern: 'request' }],
    ['arn:aws:states:us-east-1:123456789012:activity:Work', { kind: 'activity', pattern: 'request' }],
    ['arn:aws:lambda:us-east-1:123456789012:function:Fn:live', { kind: 'lambda-arn', service: 'lambda', pattern: 'request' }],
  ])('takes %s apart in any partition', (resource, expected) => {
    expect(parseResource(resource)).toEqual(expected);
  });

  it.each(['not-an-arn', 'arn:aws:states:::aws-sdk:dynamodb', 'arn:aws:states:::', 'arn:aws:s3:::bucket'])('calls %s unknown', (resource) => {
    expect(parseResource(resource).kind).toBe('unknown');
  });
});
