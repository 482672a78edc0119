import { editDistance } from '../../src/asl/spelling';
import { closestErrors, errorsOf } from '../../src/contracts';
import { sdkErrorName, optimizedErrorName } from '../../src/contracts/error-names';

describe('error names', () => {
  // Names Step Functions reported (AWS's recordings in ../shared/conformance, and TestState).
  it.each([
    ['NoSuchKey', 'S3', 'NoSuchKeyException'],
    ['QueueDoesNotExist', 'Sqs', 'QueueDoesNotExistException'],
    ['DBInstanceNotFoundFault', 'Rds', 'DbInstanceNotFoundException'],
    ['EC2AccessDeniedException', 'Lambda', 'Ec2AccessDeniedException'],
    ['KMSInvalidStateException', 'Lambda', 'KmsInvalidStateException'],
    ['ConditionalCheckFailedException', 'DynamoDb', 'ConditionalCheckFailedException'],
    ['DynamoDbException', 'DynamoDb', 'DefaultDynamoDbException'],
  ])('names the SDK error shape %s of %s %s, as the SDK for Java 2.x', (shape, prefix, name) => {
    expect(sdkErrorName(shape, prefix)).toBe(name);
  });

  it('keeps the SDK for Java 1.x names for optimized integrations', () => {
    expect(optimizedErrorName('QueueDoesNotExist')).toBe('QueueDoesNotExistException');
    expect(optimizedErrorName('DBInstanceNotFoundFault')).toBe('DBInstanceNotFoundException');
  });

  it('lists what aws-sdk:dynamodb:getItem raises, prefixed DynamoDb, with the States errors any Task raises', () => {
    const errors = errorsOf('arn:aws:states:::aws-sdk:dynamodb:getItem');
    expect(errors.names).toEqual(expect.arrayContaining(['States.TaskFailed', 'States.Timeout', 'DynamoDb.ResourceNotFoundException', 'DynamoDb.DynamoDbException']));
    expect(errors.names).not.toContain('DynamoDB.ResourceNotFoundException');
    expect(errors.complete).toBe(true);
  });

  it('lists what the optimized dynamodb:putItem raises under the DynamoDB prefix', () => {
    const errors = errorsOf('arn:aws:states:::dynamodb:putItem');
    expect(errors.names).toEqual(expect.arrayContaining(['DynamoDB.ConditionalCheckFailedException', 'DynamoDB.ResourceNotFoundException', 'DynamoDB.AmazonDynamoDBException']));
    expect(errors.complete).toBe(true);
  });

  it('says a Lambda invocation, a callback or an activity may raise names no table lists', () => {
    expect(errorsOf('arn:aws:states:::lambda:invoke').complete).toBe(false);
    expect(errorsOf('arn:aws:states:::sqs:sendMessage.waitForTaskToken').complete).toBe(false);
    expect(errorsOf('arn:aws:states:us-east-1:1:activity:a').complete).toBe(false);
  });

  it('says a service whose errors the tables lack is not complete, never that it raises nothing', () => {
    const errors = errorsOf('arn:aws:states:::aws-sdk:rekognition:detectLabels');
    expect(errors.complete).toBe(false);
    expect(errors.names).toContain('Rekognition.RekognitionException');
  });

  it('finds DynamoDB.ResourceNotFoundException for a misremembered DynamoDB.NotFound', () => {
    expect(closestErrors('DynamoDB.NotFound', 'arn:aws:states:::dynamodb:getItem')).toContain('DynamoDB.ResourceNotFoundException');
    expect(closestErrors('DynamoDb.ResourceNotFound')).toContain('DynamoDb.ResourceNotFoundException');
  });

  it('counts a transposition as one edit and ignores case at a cost of one', () => {
    expect(editDistance('TableName', 'TalbeName')).toBe(1);
    expect(editDistance('tablename', 'TableName')).toBe(1);
    expect(editDistance('TableName', 'TableName')).toBe(0);
  });
});
