import { eventNamesOf, isLambdaInvoke, isS3ItemRead, isS3ResultWrite, taskResource } from '../../src/asl/task-resource';

describe('taskResource: one parse of a Task\'s Resource', () => {
  it.each([
    ['arn:aws:states:::sqs:sendMessage', { kind: 'optimized', service: 'sqs', action: 'sendMessage', pattern: 'request' }],
    ['arn:aws-us-gov:states:::lambda:invoke.waitForTaskToken', { kind: 'optimized', service: 'lambda', action: 'invoke', pattern: 'waitForTaskToken', suffix: 'waitForTaskToken' }],
    ['arn:aws-cn:states:::states:startExecution.sync:2', { kind: 'optimized', service: 'states', action: 'startExecution', pattern: 'sync:2', suffix: 'sync:2' }],
    ['arn:${AWS::Partition}:states:::ecs:runTask.sync', { kind: 'optimized', service: 'ecs', action: 'runTask', pattern: 'sync', substituted: true }],
    ['arn:aws:states:::aws-sdk:dynamodb:getItem', { kind: 'aws-sdk', service: 'dynamodb', action: 'getItem', pattern: 'request' }],
    ['arn:aws:states:us-east-1:123456789012:activity:Work', { kind: 'activity', pattern: 'request' }],
    ['arn:aws:lambda:us-east-1:123456789012:function:Fn:live', { kind: 'lambda-arn', service: 'lambda', pattern: 'request' }],
    ['arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}', { kind: 'lambda-arn', substituted: true }],
  ])('takes %s apart in any partition', (resource, expected) => {
    expect(taskResource(resource)).toMatchObject(expected);
  });

  it.each([
    'not-an-arn', 'arn:aws:states:::aws-sdk:dynamodb', 'arn:aws:states:::', 'arn:aws:s3:::bucket',
    'arn:aws:states:us-east-1:123456789012:stateMachine:Child', 'arn:aws:states:::a:b:c',
  ])('calls %s unknown', (resource) => {
    expect(taskResource(resource).kind).toBe('unknown');
  });

  it('keeps a suffix that names no pattern, and reads it as a request', () => {
    expect(taskResource('arn:aws:states:::lambda:invoke.syncc')).toMatchObject({ kind: 'optimized', suffix: 'syncc', pattern: 'request' });
  });

  it('knows only the literal suffix of a Resource whose service is a substitution', () => {
    expect(taskResource('arn:aws:states:::${Service}:run.waitForTaskToken')).toMatchObject({ kind: 'unknown', pattern: 'waitForTaskToken', substituted: true });
  });

  it('gives an optimized integration its catalogue row, and an SDK integration none', () => {
    expect(taskResource('arn:aws:states:::sqs:sendMessage.waitForTaskToken').row?.resource).toBe('sqs:sendMessage');
    expect(taskResource('arn:aws:states:::aws-sdk:sqs:sendMessage').row).toBeUndefined();
  });

  it('tells lambda:invoke, with or without a callback, from other Lambda resources', () => {
    expect(isLambdaInvoke(taskResource('arn:aws:states:::lambda:invoke'))).toBe(true);
    expect(isLambdaInvoke(taskResource('arn:aws:states:::lambda:invoke.waitForTaskToken'))).toBe(true);
    expect(isLambdaInvoke(taskResource('arn:aws:states:::lambda:invokeWithResponseStream'))).toBe(false);
    expect(isLambdaInvoke(taskResource('arn:aws:lambda:us-east-1:123456789012:function:Fn'))).toBe(false);
  });

  it('names the service and call as TaskScheduled records them', () => {
    expect(eventNamesOf(taskResource('arn:aws:states:::aws-sdk:s3:getObject'))).toEqual({ resourceType: 'aws-sdk:s3', resource: 'getObject' });
    expect(eventNamesOf(taskResource('arn:aws:states:::states:startExecution.sync:2'))).toEqual({ resourceType: 'states', resource: 'startExecution.sync:2' });
    expect(eventNamesOf(taskResource('arn:aws:states:us-east-1:123456789012:activity:Work'))).toBeUndefined();
  });

  it.each([
    ['arn:aws:lambda:us-east-1:123456789012:function:Fn', { functionName: 'Fn', qualifier: undefined }],
    ['arn:aws:lambda:us-east-1:123456789012:function:Fn:live', { functionName: 'Fn', qualifier: 'live' }],
    ['arn:aws:lambda:us-east-1:123456789012:function:Fn:$LATEST', { functionName: 'Fn', qualifier: '$LATEST' }],
    ['arn:aws:lambda:us-east-1:123456789012:function:Fn:', { functionName: 'Fn', qualifier: '' }],
    ['arn:aws:lambda:us-east-1:123456789012:function:Fn:bad.alias', { functionName: 'Fn', qualifier: 'bad.alias' }],
    ['arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:Fn', { functionName: 'Fn', qualifier: undefined }],
    ['arn:aws:lambda:us-east-1:123456789012:function:${Fn}', { functionName: undefined, qualifier: undefined }],
    ['arn:aws:lambda:us-east-1:123456789012:function:', { functionName: undefined, qualifier: undefined }],
  ])("reads the function's name and qualifier of %s", (resource, expected) => {
    const r = taskResource(resource);
    expect(r.kind).toBe('lambda-arn');
    expect({ functionName: r.functionName, qualifier: r.qualifier }).toEqual(expected);
  });

  it('tells the S3 reads of an ItemReader and the write of a ResultWriter from other S3 calls', () => {
    expect(isS3ItemRead(taskResource('arn:aws:states:::s3:getObject'))).toBe(true);
    expect(isS3ItemRead(taskResource('arn:aws-cn:states:::s3:listObjectsV2'))).toBe(true);
    expect(isS3ItemRead(taskResource('arn:aws:states:::s3:putObject'))).toBe(false);
    expect(isS3ItemRead(taskResource('arn:aws:states:::aws-sdk:s3:getObject'))).toBe(false);
    expect(isS3ItemRead(taskResource('arn:aws:states:::s3:getObject.sync'))).toBe(false);
    expect(isS3ResultWrite(taskResource('arn:aws:states:::s3:putObject'))).toBe(true);
    expect(isS3ResultWrite(taskResource('arn:aws:states:::s3:getObject'))).toBe(false);
  });

  it('answers the same object for the same Resource', () => {
    expect(taskResource('arn:aws:states:::sns:publish')).toBe(taskResource('arn:aws:states:::sns:publish'));
  });
});
