import {
  CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand,
  type SFNServiceException,
} from '@aws-sdk/client-sfn';
import { errorMessage, PASS, raw, refusal, ROLE, serve } from './helpers';

/*
 * The namespace of an error's `__type`, as AWS writes it. Step Functions' own exceptions are of its
 * package, `com.amazonaws.swf.service.v2.model#InvalidToken`, and a request refused for the model's
 * constraints is the framework validator's, `com.amazon.coral.validate#ValidationException`: AWS's
 * answers recorded by a public suite run against Step Functions (aws_api_step_functions' tests:
 * SendTaskHeartbeat of a token no execution issued, GetActivityTask of an activity that does not
 * exist, SendTaskSuccess without `output`). What the framework answers before the service reads a
 * request is of its own package, `com.amazon.coral.service#SerializationException` (recorded for
 * DynamoDB, a JSON 1.0 service of the same framework, in dynalite's suite). The SDK reads the name
 * after the `#`, whatever the namespace.
 */

const TARGET = 'AWSStepFunctions.';

/**
 * `x-amzn-errortype` as AWS's framework writes it: the name, then its namespace as a URI
 * (`ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/`, Smithy's
 * awsJson1_0 protocol test AwsJson10FooErrorUsingXAmznErrorTypeWithUri; users' captures of
 * Bedrock's and SES's answers).
 */
function longForm(type: string): string {
  const [namespace, name] = type.split('#');
  return `${name}:http://internal.amazon.com/coral/${namespace}/`;
}
const MISSING_EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:m:x';

let env: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  env = await serve();
});
afterAll(async () => {
  await env.stop();
});

describe('serve: the __type of an error, as AWS writes it', () => {
  it.each([
    ['a token no execution issued', 'SendTaskHeartbeat', { taskToken: 'FakeTaskToken' },
      { __type: 'com.amazonaws.swf.service.v2.model#InvalidToken', message: "Invalid Token: 'Invalid token'" }],
    ['SendTaskSuccess without its output', 'SendTaskSuccess', { taskToken: 'FakeTaskToken', fake: '"Hello"' },
      { __type: 'com.amazon.coral.validate#ValidationException', message: "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must not be null" }],
    ['an activity that does not exist', 'GetActivityTask', { activityArn: 'arn:aws:states:us-east-1:123456789012:activity:fake' },
      { __type: 'com.amazonaws.swf.service.v2.model#ActivityDoesNotExist' }],
  ])('names %s as AWS recorded it', async (_what, operation, request, expected) => {
    const answer = await raw(env.server.endpoint, { target: `${TARGET}${operation}`, body: JSON.stringify(request) });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject(expected);
    expect(answer.headers['x-amzn-errortype']).toBe(longForm(expected.__type));
  });

  it.each([
    ['a lookup', 'DescribeExecution', { executionArn: MISSING_EXECUTION }, 'com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist'],
    ['an ARN the service refuses', 'DescribeExecution', { executionArn: 'not-an-arn' }, 'com.amazonaws.swf.service.v2.model#InvalidArn'],
    ['the service\'s own ValidationException', 'CreateStateMachine', { name: 'm', definition: PASS, roleArn: ROLE, versionDescription: 'v' },
      'com.amazonaws.swf.service.v2.model#ValidationException'],
    ['a member past its bound', 'ListStateMachines', { maxResults: 1001 }, 'com.amazon.coral.validate#ValidationException'],
    ['a member of the wrong JSON type', 'ListStateMachines', { maxResults: 'ten' }, 'com.amazon.coral.service#SerializationException'],
  ])('names %s in its namespace', async (_what, operation, request, type) => {
    const answer = await raw(env.server.endpoint, { target: `${TARGET}${operation}`, body: JSON.stringify(request) });
    expect({ status: answer.status, type: answer.body.__type, message: typeof errorMessage(answer.body) }).toEqual({ status: 400, type, message: 'string' });
    expect(answer.headers['x-amzn-errortype']).toBe(longForm(type));
  });

  it('names a body that is not JSON in the framework\'s namespace', async () => {
    const answer = await raw(env.server.endpoint, { target: `${TARGET}ListStateMachines`, body: '{"maxResults":' });
    expect({ status: answer.status, type: answer.body.__type }).toEqual({ status: 400, type: 'com.amazon.coral.service#SerializationException' });
  });

  it('writes the message of a SerializationException as Message, as AWS\'s framework does', async () => {
    // Recorded for DynamoDB and Kinesis: {"__type":"com.amazon.coral.service#SerializationException","Message":"…"} (dynalite's and kinesalite's suites).
    const answer = await raw(env.server.endpoint, { target: `${TARGET}ListStateMachines`, body: '{"maxResults":"ten"}' });
    expect(answer.body).toEqual({ __type: 'com.amazon.coral.service#SerializationException', Message: 'STRING_VALUE cannot be converted to Integer' });
  });

  it('answers an unknown operation with the type alone in the framework\'s namespace, as AWS\'s framework does', async () => {
    // Recorded for DynamoDB and Kinesis: {"__type":"com.amazon.coral.service#UnknownOperationException"} (dynalite's and kinesalite's suites).
    const answer = await raw(env.server.endpoint, { target: `${TARGET}Nope`, body: '{}' });
    expect(answer.body).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
    expect(answer.headers['x-amzn-errortype']).toBe(longForm('com.amazon.coral.service#UnknownOperationException'));
  });

  it('writes the message of the service\'s exceptions and of a refusal for the model\'s constraints as message', async () => {
    const lookup = await raw(env.server.endpoint, { target: `${TARGET}DescribeExecution`, body: JSON.stringify({ executionArn: MISSING_EXECUTION }) });
    expect(lookup.body).toEqual({ __type: 'com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist', message: `Execution Does Not Exist: '${MISSING_EXECUTION}'` });
    const bound = await raw(env.server.endpoint, { target: `${TARGET}ListStateMachines`, body: '{"maxResults":1001}' });
    expect(bound.body).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    });
  });

  it('keeps an error\'s other members beside its type', async () => {
    const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'tagged', definition: PASS, roleArn: ROLE }));
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const answer = await raw(env.server.endpoint, { target: `${TARGET}TagResource`, body: JSON.stringify({ resourceArn: stateMachineArn, tags }) });
    expect(answer.body).toMatchObject({ __type: 'com.amazonaws.swf.service.v2.model#TooManyTags', resourceName: stateMachineArn });
  });

  it('is read by the SDK as the exception after the namespace, with its message and status', async () => {
    const invalid = await refusal(env.sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'FakeTaskToken' })));
    expect({ name: invalid.name, message: invalid.message, status: invalid.$metadata.httpStatusCode }).toEqual({ name: 'InvalidToken', message: "Invalid Token: 'Invalid token'", status: 400 });
    const missing = await refusal(env.sfn.send(new SendTaskSuccessCommand({ taskToken: 'FakeTaskToken', output: undefined as unknown as string })));
    expect({ name: missing.name, message: missing.message, status: missing.$metadata.httpStatusCode }).toEqual({
      name: 'ValidationException', message: "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must not be null", status: 400,
    });
    const absent = await refusal(env.sfn.send(new DescribeExecutionCommand({ executionArn: MISSING_EXECUTION })));
    expect({ name: absent.name, message: absent.message, status: absent.$metadata.httpStatusCode }).toEqual({ name: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${MISSING_EXECUTION}'`, status: 400 });
    const typed = await refusal(env.sfn.send(new ListStateMachinesCommand({ maxResults: 'ten' as unknown as number })));
    expect({ name: typed.name, message: typed.message, status: typed.$metadata.httpStatusCode, fault: (typed as SFNServiceException).$fault })
      .toEqual({ name: 'SerializationException', message: 'STRING_VALUE cannot be converted to Integer', status: 400, fault: 'client' });
  });
});
