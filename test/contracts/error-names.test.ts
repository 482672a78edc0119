import { editDistance } from '../../src/asl/spelling';
import { closestErrors, errorsOf, modelIndex } from '../../src/contracts';
import { sdkErrorName, optimizedErrorName, TASK_STATES_ERRORS } from '../../src/contracts/error-names';

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

  it('says a service whose model names no error shape is not complete, never that it raises nothing', () => {
    // EC2's model gives its errors as codes, not shapes.
    for (const resource of ['arn:aws:states:::aws-sdk:ec2:describeInstances']) {
      const errors = errorsOf(resource);
      expect(errors.complete).toBe(false);
      expect(errors.names.length).toBeGreaterThan(TASK_STATES_ERRORS.length);
    }
  });

  it.each([
    ['aws-sdk:rekognition:detectLabels', 'Rekognition.InvalidS3ObjectException'],
    ['aws-sdk:s3:getObject', 'S3.NoSuchKeyException'],
    ['aws-sdk:secretsmanager:getSecretValue', 'SecretsManager.ResourceNotFoundException'],
    ['aws-sdk:rds:describeDBInstances', 'Rds.DbInstanceNotFoundException'],
    ['aws-sdk:bedrock:createEvaluationJob', 'Bedrock.ResourceNotFoundException'],
    ['ecs:runTask', 'ECS.ClusterNotFoundException'],
  ])('lists what %s raises from the service\'s model, beyond the five services the v3 clients cover', (action, name) => {
    const errors = errorsOf(`arn:aws:states:::${action}`);
    expect(errors.names).toContain(name);
    expect(errors.complete).toBe(true);
  });

  it('counts an error list for nearly every AWS SDK service Step Functions integrates with', () => {
    const services = Object.values(modelIndex().services);
    const listed = services.filter((s) => s.errors);
    // Every model but EC2's lists its errors (botocore 1.43.11: 341 of 342).
    expect(services.filter((s) => !s.errors).map((s) => s.model)).toEqual([expect.stringMatching(/^ec2-/)]);
    expect(listed.length).toBe(services.length - 1);
  });

  it('suggests the real name for a misremembered error of any service', () => {
    expect(closestErrors('S3.NoSuchKey', 'arn:aws:states:::aws-sdk:s3:getObject')).toEqual(['S3.NoSuchKeyException']);
    expect(closestErrors('SecretsManager.ResourceNotFound')).toContain('SecretsManager.ResourceNotFoundException');
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
