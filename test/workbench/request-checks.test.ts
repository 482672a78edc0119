/*
 * Requests checked as the Task sends them, as AWS refuses them: what Step Functions refuses
 * before it calls a service fails the state with States.Runtime (no Task event, no Catch of
 * States.ALL takes it); what the service refuses, where the integration's error is known,
 * fails the Task with that error, which Catch takes; the rest is advice and the run goes on.
 */
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { modelVersion } from '../../src/contracts/sdk-models';
import { Workflow } from '../../src/testing/workflow';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** One Task with a Catch of States.ALL that goes to 'Caught'. */
function caught(resource: string, payload: Record<string, unknown>, language: 'JSONPath' | 'JSONata' = 'JSONPath'): Workflow {
  const field = language === 'JSONata' ? { Arguments: payload, QueryLanguage: 'JSONata' } : { Parameters: payload };
  const into = language === 'JSONata' ? { Output: { error: '{% $states.errorOutput %}' } } : { ResultPath: '$.error' };
  return Workflow.fromDefinition({
    StartAt: 'Call',
    States: {
      Call: { Type: 'Task', Resource: resource, ...field, Catch: [{ ErrorEquals: ['States.ALL'], ...into, Next: 'Caught' }], End: true },
      Caught: { Type: 'Pass', End: true },
    },
  } as StateMachineDefinition);
}

const types = (run: { history: ReadonlyArray<{ type: string }> }): string[] => run.history.map((e) => e.type);

describe('what Step Functions refuses before it calls the service', () => {
  it('fails an aws-sdk:dynamodb:getItem with Tablename for TableName with States.Runtime, before any Task event, past a Catch of States.ALL', async () => {
    // "If you don't use the plural form, Step Functions returns ... The field Filter is not supported by Step Functions"
    // (Step Functions Developer Guide, "Pass parameters to a service API").
    const run = await caught('arn:aws:states:::aws-sdk:dynamodb:getItem', { Tablename: 'orders', Key: { id: { S: 'o-1' } } }).run({}, { mocks: { Call: { Item: {} } } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain('The Parameters \'{"Tablename":"orders","Key":{"id":{"S":"o-1"}}}\' could not be used to start the Task: [The field "Tablename" is not supported by Step Functions]');
    expect(types(run)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    expect(run.advice[0].message).toContain(`did you mean 'TableName'? (judged by ${modelVersion()} (dynamodb-2012-08-10))`);
    expect(run.advice[0].message).toContain("requestChecks: 'warn' lets the run go on with every other check on");
  });

  it('names a member the model does not define at any depth of an aws-sdk request (a reported aws-sdk:batch:submitJob run)', async () => {
    const run = await caught('arn:aws:states:::aws-sdk:batch:submitJob', {
      JobName: 'j', JobQueue: 'q', JobDefinition: 'd', RetryStrategy: { Attempts: 2, EvaluateOnExit: [{ onStatusReason: 'Host*', Action: 'RETRY' }] },
    }).run({}, { mocks: { Call: { JobName: 'j', JobId: 'id' } } });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain('[The field "onStatusReason" is not supported by Step Functions]');
  });

  it('refuses a top-level field an optimized integration does not take once evaluated (TaskToken beside Payload), which create-time validation lets through', async () => {
    const wf = caught('arn:aws:states:::lambda:invoke', { 'FunctionName': 'f', 'TaskToken.$': '$$.Execution.Id' });
    const run = await wf.run({}, { mocks: { Call: { ok: true } } });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain('[The field "TaskToken" is not supported by Step Functions]');
  });

  it('refuses JSONata Arguments the same way, naming Arguments', async () => {
    const run = await caught('arn:aws:states:::aws-sdk:dynamodb:getItem', { Tablename: 'orders', Key: { id: { S: '{% "o-1" %}' } } }, 'JSONata')
      .run({}, { mocks: { Call: { Item: {} } } });
    expect(run.cause).toContain("The Arguments '{\"Tablename\":\"orders\",\"Key\":{\"id\":{\"S\":\"o-1\"}}}' could not be used to start the Task");
  });

  it('fails an HTTP Task whose Headers, read from a path, name headers it never sends with States.Runtime, past a Catch of States.ALL', async () => {
    // "If you use these headers, the HTTP Task fails with the States.Runtime error" (call-https-apis.html).
    const http = { 'ApiEndpoint': 'https://x.example.com', 'Method': 'GET', 'Authentication': { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/c/1' }, 'Headers.$': '$.h' };
    const ok = { StatusCode: 200, StatusText: 'OK', ResponseBody: {}, Headers: {} };
    const run = await caught('arn:aws:states:::http:invoke', http).run({ h: { 'Accept': 'text/plain', 'Host': 'y.example.com', 'x-amzn-trace-id': 't' } }, { mocks: { Call: ok } });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain("could not be used to start the Task: [The 'Headers' field contains unsupported values: [host, x-amzn-trace-id]]");
    expect(types(run)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    const fine = await caught('arn:aws:states:::http:invoke', http).run({ h: { 'Accept': 'text/plain', 'X-Request-Id': 'r' } }, { mocks: { Call: ok } });
    expect(fine.status).toBe('SUCCEEDED');
    expect(fine.advice).toEqual([]);
  });

  it('tells, and runs, an API Gateway Task whose Headers from a path name one it never sends: its page does not say how the Task fails', async () => {
    const run = await caught('arn:aws:states:::apigateway:invoke', { 'ApiEndpoint': 'a.execute-api.us-east-1.amazonaws.com', 'Method': 'GET', 'Headers.$': '$.h' })
      .run({ h: { Authorization: ['Bearer t'] } }, { mocks: { Call: { StatusCode: 200, StatusText: 'OK', ResponseBody: {}, Headers: {} } } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice[0].message).toContain("Task 'Call' asks apigateway:invoke to send header it never sends (The 'Headers' field contains unsupported values: [authorization]");
    expect(run.advice[0].message).toContain('is not recorded, so the run goes on');
  });

  it('lets the run go on with requestChecks: \'warn\', telling it in the advice', async () => {
    const run = await caught('arn:aws:states:::aws-sdk:dynamodb:getItem', { Tablename: 'orders', TableName: 'orders', Key: { id: { S: 'o-1' } } })
      .run({}, { mocks: { Call: { Item: {} } }, requestChecks: 'warn' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice[0].message).toContain("the run goes on as asked (requestChecks: 'warn')");
  });
});

describe('what the service refuses, with the error the integration raises', () => {
  it('fails an aws-sdk:dynamodb:getItem without TableName with DynamoDb.DynamoDbException, which a Catch takes', async () => {
    // DynamoDB's JSON protocol answers a ValidationException its model does not name: the SDK for Java 2.x reports the
    // service's base exception (recorded for Secrets Manager: SecretsManager.SecretsManagerException, ../shared/conformance).
    const run = await caught('arn:aws:states:::aws-sdk:dynamodb:getItem', { Key: { id: { S: 'o-1' } } }).run({}, { mocks: { Call: { Item: {} } } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toEqual(['Call', 'Caught']);
    const error = (run.output as { error: { Error: string; Cause: string } }).error;
    expect(error.Error).toBe('DynamoDb.DynamoDbException');
    expect(error.Cause).toMatch(new RegExp(`^1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null \\(Service: DynamoDb, Status Code: 400, Request ID: ${UUID.source}\\) \\(SDK Attempt Count: 1\\)$`));
    expect(types(run)).toContain('TaskFailed');
  });

  it('takes a member given as null as missing, and names every missing member', async () => {
    const run = await caught('arn:aws:states:::aws-sdk:secretsmanager:createSecret', { Name: null }).run({}, { mocks: { Call: { Name: 's' } } });
    const error = (run.output as { error: { Error: string; Cause: string } }).error;
    expect(error.Error).toBe('SecretsManager.SecretsManagerException');
    expect(error.Cause).toContain("Value null at 'name' failed to satisfy constraint: Member must not be null");
  });

  it('fails sqs:sendMessage without MessageBody as recorded on AWS: SQS.AmazonSQSException, MissingParameter', async () => {
    // ../shared/conformance, TestTaskServiceSqs test_send_message_empty_body: caught by a Catch of SQS.AmazonSQSException.
    const run = await caught('arn:aws:states:::sqs:sendMessage', { 'QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/q', 'MessageBody.$': '$.body' })
      .run({ body: null }, { mocks: { Call: { MessageId: 'm' } } });
    const error = (run.output as { error: { Error: string; Cause: string } }).error;
    expect(error.Error).toBe('SQS.AmazonSQSException');
    expect(error.Cause).toMatch(new RegExp(`^The request must contain the parameter MessageBody\\. \\(Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter; Request ID: ${UUID.source}; Proxy: null\\)$`));
  });

  it('fails an optimized dynamodb:putItem without Item with DynamoDB.AmazonDynamoDBException, as the recorded validation errors read', async () => {
    const run = await caught('arn:aws:states:::dynamodb:putItem', { TableName: 't' }).run({}, { mocks: { Call: {} } });
    const error = (run.output as { error: { Error: string; Cause: string } }).error;
    expect(error.Error).toBe('DynamoDB.AmazonDynamoDBException');
    expect(error.Cause).toContain("1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException;");
  });

  it('does not refuse a missing idempotency token, which the SDK fills in (Athena\'s StopQueryExecution)', async () => {
    const run = await caught('arn:aws:states:::aws-sdk:athena:stopQueryExecution', {}).run({}, { mocks: { Call: {} } });
    expect(run.path).toEqual(['Call']);
    expect(run.advice).toEqual([]);
  });

  it('lets the run go on with requestChecks: \'warn\', telling it', async () => {
    const run = await caught('arn:aws:states:::aws-sdk:dynamodb:getItem', { Key: {} }).run({}, { mocks: { Call: { Item: {} } }, requestChecks: 'warn' });
    expect(run.path).toEqual(['Call']);
    expect(run.advice[0].message).toContain('on AWS the Task fails with DynamoDb.DynamoDbException');
  });
});

describe('what AWS does is not recorded: advice, and the run goes on', () => {
  it('tells a required member missing from a REST service\'s request (aws-sdk:lambda:invoke without FunctionName)', async () => {
    const run = await caught('arn:aws:states:::aws-sdk:lambda:invoke', {}).run({}, { mocks: { Call: { StatusCode: 200 } } });
    expect(run.path).toEqual(['Call']);
    expect(run.advice[0].message).toContain("Parameters.FunctionName: the required field 'FunctionName' is missing");
    expect(run.advice[0].message).toContain('what the integration then raises is not recorded, so the run goes on');
  });

  it('tells an HTTP Task whose request names no EventBridge connection, and runs it', async () => {
    const ok = { StatusCode: 200, StatusText: 'OK', ResponseBody: {}, Headers: {} };
    const run = await caught('arn:aws:states:::http:invoke', { ApiEndpoint: 'https://x.example.com', Method: 'GET' }).run({}, { mocks: { Call: ok } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice.map((a) => a.message)).toEqual([expect.stringContaining("HTTP Task 'Call' names no EventBridge connection (neither Authentication.ConnectionArn nor InvocationConfig.ConnectionArn)")]);
    const named = await caught('arn:aws:states:::http:invoke', { 'ApiEndpoint': 'https://x.example.com', 'Method': 'GET', 'Authentication.$': '$.auth' })
      .run({ auth: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/c/1' } }, { mocks: { Call: ok } });
    expect(named.advice).toEqual([]);
  });

  it('tells a literal of another type (a DynamoDB attribute value written as text)', async () => {
    const run = await caught('arn:aws:states:::aws-sdk:dynamodb:updateItem', { TableName: 't', Key: { id: { S: 'o' } }, ExpressionAttributeValues: { ':s': 'done' } })
      .run({}, { mocks: { Call: {} } });
    expect(run.path).toEqual(['Call']);
    expect(run.advice[0].message).toContain('Parameters.ExpressionAttributeValues[":s"]: expected structure');
  });

  it('judges nothing a run does not call: an activity, a Lambda function ARN, a callback\'s token field', async () => {
    const run = await caught('arn:aws:lambda:us-east-1:123456789012:function:f', { anything: 1 }).run({}, { mocks: { Call: 1 } });
    expect(run.advice).toEqual([]);
  });
});
