import { contractFindings, validateWithContracts } from '../../src/contracts';
import { definitionDiagnostics } from '../../src/server/diagnostics';
import { validateSource } from '../../src/workbench/commands/validate';

function machine(task: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { StartAt: 'T', States: { T: { Type: 'Task', End: true, ...task } }, ...extra };
}

const brief = (def: unknown): string[] => contractFindings(def).map((f) => `${f.severity} ${f.code} ${f.location}`);

// Per integration family: a misspelt member, a wrong-typed literal and an impossible error name are caught and named; correct ones pass.
const FAMILIES = [
  {
    family: 'Lambda (optimized)',
    resource: 'arn:aws:states:::lambda:invoke',
    good: { 'FunctionName': 'f', 'Payload.$': '$' },
    misspelt: { FunctionNme: 'f' },
    // Every member of Invoke's request is text, and a JSON value for text is sent as its JSON text.
    wrongType: undefined,
    error: undefined,
  },
  {
    family: 'SQS (optimized)',
    resource: 'arn:aws:states:::sqs:sendMessage',
    good: { 'QueueUrl': 'q', 'MessageBody.$': '$' },
    misspelt: { QueueURL: 'q', MessageBody: 'm' },
    wrongType: { QueueUrl: 'q', MessageBody: 'm', DelaySeconds: 'soon' },
    error: 'SQS.QueueDoesNotExist',
  },
  {
    family: 'DynamoDB (optimized)',
    resource: 'arn:aws:states:::dynamodb:putItem',
    good: { TableName: 't', Item: { id: { S: 'o-1' } } },
    misspelt: { Table: 't', Item: {} },
    wrongType: { TableName: 't', Item: { id: { S: 'o-1' } }, ExpressionAttributeValues: 'none' },
    error: 'DynamoDB.NotFound',
  },
  {
    family: 'DynamoDB (AWS SDK)',
    resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem',
    good: { TableName: 't', Key: { id: { S: 'o-1' } } },
    misspelt: { Tablename: 't', Key: {} },
    wrongType: { TableName: 't', Key: { id: { S: 'o-1' } }, ConsistentRead: 'yes' },
    error: 'DynamoDb.NotFound',
  },
  {
    family: 'Step Functions (AWS SDK)',
    resource: 'arn:aws:states:::aws-sdk:sfn:listExecutions',
    good: { 'StateMachineArn.$': '$.arn', 'MaxResults': 10 },
    misspelt: { StateMachineArn: 'arn', MaxResult: 10 },
    wrongType: { StateMachineArn: 'arn', MaxResults: 'ten' },
    error: 'Sfn.StateMachineDoesNotExist',
  },
  // Services whose error lists come from botocore's models, and Bedrock's from its v3 client.
  {
    family: 'S3 (AWS SDK)',
    resource: 'arn:aws:states:::aws-sdk:s3:getObject',
    good: { Bucket: 'b', Key: 'k' },
    misspelt: { Bucket: 'b', Kye: 'k' },
    wrongType: { Bucket: 'b', Key: 'k', PartNumber: 'one' },
    error: 'S3.NoSuchKey',
  },
  {
    family: 'Rekognition (AWS SDK)',
    resource: 'arn:aws:states:::aws-sdk:rekognition:detectLabels',
    good: { Image: { S3Object: { Bucket: 'b', Name: 'n' } } },
    misspelt: { Image: { S3Object: { Bucket: 'b', Nme: 'n' } } },
    wrongType: { Image: { S3Object: { Bucket: 'b', Name: 'n' } }, MaxLabels: 'ten' },
    error: 'Rekognition.InvalidS3Object',
  },
  {
    family: 'Bedrock (AWS SDK)',
    resource: 'arn:aws:states:::aws-sdk:bedrock:listEvaluationJobs',
    good: { MaxResults: 10 },
    misspelt: { MaxResult: 10 },
    wrongType: { MaxResults: 'ten' },
    error: 'Bedrock.Throttling',
  },
  {
    family: 'ECS (optimized)',
    resource: 'arn:aws:states:::ecs:runTask',
    good: { Cluster: 'c', TaskDefinition: 'td' },
    misspelt: { Cluster: 'c', TaskDefinitions: 'td' },
    wrongType: { Cluster: 'c', TaskDefinition: 'td', Count: 'one' },
    error: 'ECS.ClusterNotFound',
  },
];

describe('contractFindings: requests and error names in validate', () => {
  for (const { family, resource, good, misspelt, wrongType, error } of FAMILIES) {
    describe(family, () => {
      it('finds nothing in a correct request', () => {
        expect(brief(machine({ Resource: resource, Parameters: good }))).toEqual([]);
      });

      it('names a misspelt field with the closest real one', () => {
        const findings = contractFindings(machine({ Resource: resource, Parameters: misspelt }));
        expect(findings.length).toBeGreaterThan(0);
        expect(findings.map((f) => f.message).join('\n')).toMatch(/did you mean/);
      });

      if (wrongType !== undefined) {
        it('names a literal of the wrong type', () => {
          expect(brief(machine({ Resource: resource, Parameters: wrongType }))).toEqual([expect.stringMatching(/^warning REQUEST_FIELD_TYPE \/States\/T\/Parameters\//)]);
        });
      }

      if (error !== undefined) {
        it(`warns on ${error} in a Retry, which the integration never raises`, () => {
          const findings = contractFindings(machine({ Resource: resource, Parameters: good, Retry: [{ ErrorEquals: [error] }] }));
          expect(findings).toEqual([expect.objectContaining({ code: 'ERROR_NEVER_RAISED', severity: 'warning', location: '/States/T/Retry/0/ErrorEquals/0' })]);
          expect(findings[0].message).toMatch(/did you mean '/);
        });
      }
    });
  }

  it('refuses a top-level field an optimized integration does not support, in AWS\'s words, as an error', () => {
    const findings = contractFindings(machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', Bogus: 1 } }));
    expect(findings).toEqual([{ code: 'SCHEMA_VALIDATION_FAILED', severity: 'error', location: '/States/T/Parameters/Bogus', message: 'The field "Bogus" is not supported by Step Functions' }]);
  });

  it('suggests for an aws-sdk member misspelt, as a warning (the service refuses it when the Task runs)', () => {
    const [f] = contractFindings(machine({ Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { Tablename: 't', Key: {} } }));
    expect(f).toEqual(expect.objectContaining({ code: 'UNKNOWN_REQUEST_FIELD', severity: 'warning', location: '/States/T/Parameters/Tablename' }));
    expect(f.message).toContain("did you mean 'TableName'?");
  });

  it('warns on a missing required field', () => {
    expect(brief(machine({ Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { TableName: 't' } }))).toEqual(['warning MISSING_REQUEST_FIELD /States/T/Parameters/Key']);
  });

  it('judges JSONata Arguments and leaves {% %} values alone', () => {
    const def = machine({ Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Arguments: { TableName: '{% $t %}', Key: '{% $k %}', Tablename: 'x' } }, { QueryLanguage: 'JSONata' });
    expect(brief(def)).toEqual(['warning UNKNOWN_REQUEST_FIELD /States/T/Arguments/Tablename']);
  });

  it('lets a Task catch an exception its service\'s model names for another operation: the client maps any answer\'s code', () => {
    const getObject = { Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } };
    expect(brief(machine({ ...getObject, Catch: [{ ErrorEquals: ['S3.NoSuchBucketException'], Next: 'T' }] }))).toEqual([]);
    expect(brief(machine({ ...getObject, Retry: [{ ErrorEquals: ['S3.NoSuchBucket'] }] }))).toEqual(['warning ERROR_NEVER_RAISED /States/T/Retry/0/ErrorEquals/0']);
    const query = { Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 't', Key: {} } };
    expect(brief(machine({ ...query, Retry: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'] }] }))).toEqual([]);
    expect(brief(machine({ ...query, Retry: [{ ErrorEquals: ['DynamoDb.ConditionalCheckFailedException'] }] }))).toEqual(['warning ERROR_NEVER_RAISED /States/T/Retry/0/ErrorEquals/0']);
  });

  it('warns of States.HeartbeatTimeout named on a callback or .sync Task, which fails with States.Timeout when its heartbeats stop', () => {
    // Recorded: LocalStack's AWS-validated test_heartbeats (a callback's lapsed heartbeat: States.Timeout).
    const callback = { Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'QueueUrl': 'q', 'MessageBody.$': '$$.Task.Token' }, HeartbeatSeconds: 60 };
    const findings = contractFindings(machine({ ...callback, Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'T' }] }));
    expect(findings.map((f) => `${f.severity} ${f.code} ${f.location}`)).toEqual(['warning ERROR_NEVER_RAISED /States/T/Catch/0/ErrorEquals/0']);
    expect(findings[0].message).toMatch(/a callback or \.sync Task never raises: when its heartbeats stop it fails with 'States\.Timeout'.*name 'States\.Timeout' to catch a lost heartbeat/);
    const sync = { Resource: 'arn:aws:states:::glue:startJobRun.sync', Parameters: { JobName: 'j' }, HeartbeatSeconds: 60 };
    expect(brief(machine({ ...sync, Retry: [{ ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'] }] }))).toEqual(['warning ERROR_NEVER_RAISED /States/T/Retry/0/ErrorEquals/1']);
    // An activity's lapsed heartbeat is States.HeartbeatTimeout: no warning.
    expect(brief(machine({ Resource: 'arn:aws:states:us-east-1:123456789012:activity:sign', HeartbeatSeconds: 60, Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'T' }] }))).toEqual([]);
  });

  it('lets a Lambda Task catch any name: a function raises its own errors', () => {
    expect(brief(machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, Retry: [{ ErrorEquals: ['Payment.Declined'] }] }))).toEqual([]);
  });

  it('warns on a Lambda callback whose token is not inside Payload, naming Payload', () => {
    const def = machine({ Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { 'FunctionName': 'f', 'TaskToken.$': '$$.Task.Token' } });
    const findings = contractFindings(def).filter((f) => f.code === 'MISSING_TASK_TOKEN');
    expect(findings).toEqual([expect.objectContaining({ location: '/States/T/Parameters/TaskToken' })]);
    expect(findings[0].message).toContain('put it in Payload');
    expect(contractFindings(machine({ Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token' } } }))).toEqual([]);
  });

  it('names the field for the token per integration when none is passed', () => {
    const hint = (resource: string, parameters: Record<string, unknown>): string =>
      validateWithContracts(machine({ Resource: resource, Parameters: parameters })).find((f) => f.code === 'MISSING_TASK_TOKEN')!.message;
    expect(hint('arn:aws:states:::lambda:invoke.waitForTaskToken', { FunctionName: 'f' })).toContain('put $$.Task.Token in Payload');
    expect(hint('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { QueueUrl: 'q', MessageBody: 'm' })).toContain('in MessageBody');
    expect(hint('arn:aws:states:::sns:publish.waitForTaskToken', { TopicArn: 't', Message: 'm' })).toContain('in Message');
    expect(hint('arn:aws:states:::events:putEvents.waitForTaskToken', { Entries: [] })).toContain('Detail');
  });

  it('warns on an aws-sdk action the model does not have, with the closest', () => {
    const [f] = contractFindings(machine({ Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItems', Parameters: {} }));
    expect(f).toEqual(expect.objectContaining({ code: 'UNKNOWN_INTEGRATION', severity: 'warning', location: '/States/T/Resource' }));
    expect(f.message).toContain("did you mean 'getItem'?");
  });

  it('judges Tasks inside Parallel branches and Map processors', () => {
    const inner = { StartAt: 'I', States: { I: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', Bogus: 1 }, End: true } } };
    const def = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [inner], Next: 'M' }, M: { Type: 'Map', ItemProcessor: { ...inner, States: { J: { ...inner.States.I } }, StartAt: 'J' }, End: true } } };
    expect(brief(def)).toEqual(['error SCHEMA_VALIDATION_FAILED /States/P/Branches/0/States/I/Parameters/Bogus', 'error SCHEMA_VALIDATION_FAILED /States/M/ItemProcessor/States/J/Parameters/Bogus']);
  });

  it('leaves only errors without warnings', () => {
    const def = machine({ Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { Tablename: 't' } });
    expect(contractFindings(def, { warnings: false })).toEqual([]);
  });
});

describe('the request contracts on every door', () => {
  const bogus = JSON.stringify(machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', Bogus: 1 } }));
  const misspelt = JSON.stringify(machine({ Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { Tablename: 't', Key: {} } }));

  it('stepwright validate (and the MCP validate tool, which calls it) refuses Bogus and warns on Tablename', () => {
    const [refused] = validateSource({ label: 'bogus', value: JSON.parse(bogus) });
    expect(refused.valid).toBe(false);
    expect(refused.findings.filter((f) => f.severity === 'error')).toEqual([expect.objectContaining({ code: 'SCHEMA_VALIDATION_FAILED', message: 'The field "Bogus" is not supported by Step Functions' })]);
    const [warned] = validateSource({ label: 'misspelt', value: JSON.parse(misspelt) });
    expect(warned.valid).toBe(true);
    expect(warned.findings.map((f) => f.code)).toContain('UNKNOWN_REQUEST_FIELD');
  });

  it('stepwright validate, MCP and serve find nothing in the guide\'s Batch request, RetryStrategy { "attempts": 5 } in the model\'s spelling', () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-parameters.html ("Pass static JSON as parameters")
    const guide = machine({ Resource: 'arn:aws:states:::batch:submitJob.sync', Parameters: { JobName: 'j', JobQueue: 'q', JobDefinition: 'd', RetryStrategy: { attempts: 5 } } });
    const [validated] = validateSource({ label: 'guide', value: guide });
    expect(validated.findings.filter((f) => f.code.includes('REQUEST'))).toEqual([]);
    expect(definitionDiagnostics(JSON.stringify(guide), 'STANDARD')).toEqual([]);
  });

  it('serve\'s CreateStateMachine and ValidateStateMachineDefinition refuse Bogus as AWS does, and not what only the service refuses at run time', () => {
    expect(definitionDiagnostics(bogus, 'STANDARD')).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'The field "Bogus" is not supported by Step Functions', location: '/States/T/Parameters/Bogus' }]);
    expect(definitionDiagnostics(misspelt, 'STANDARD')).toEqual([]);
  });
});
