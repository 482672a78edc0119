import { checkRequest, contractOf } from '../../src/contracts';

const SDK_GET = 'arn:aws:states:::aws-sdk:dynamodb:getItem';

describe('checkRequest', () => {
  it('accepts a correct aws-sdk:dynamodb:getItem request', () => {
    expect(checkRequest(SDK_GET, { TableName: 'orders', Key: { id: { S: 'o-1' } } })).toEqual([]);
  });

  it('names a misspelt member with the closest one', () => {
    const [finding] = checkRequest(SDK_GET, { Tablename: 'orders', Key: { id: { S: 'o-1' } } }).filter((f) => f.code === 'UNKNOWN_FIELD');
    expect(finding).toMatchObject({ path: 'Parameters.Tablename', suggestions: ['TableName'] });
    expect(finding.message).toContain("did you mean 'TableName'?");
  });

  it('reports a missing required member', () => {
    expect(checkRequest(SDK_GET, { TableName: 'orders' })).toEqual([expect.objectContaining({ code: 'MISSING_FIELD', path: 'Parameters.Key' })]);
  });

  it('reports a literal of the wrong type, naming what the model expects', () => {
    const findings = checkRequest(SDK_GET, { TableName: 'orders', Key: { id: 'o-1' } });
    expect(findings).toEqual([expect.objectContaining({ code: 'WRONG_TYPE', path: 'Parameters.Key.id' })]);
    expect(findings[0].expected).toMatch(/^structure \{S, N, B/);
  });

  it('never judges a path (.$) or a JSONata expression, and counts them as present', () => {
    expect(checkRequest(SDK_GET, { 'TableName.$': '$.table', 'Key.$': '$.key' })).toEqual([]);
    expect(checkRequest(SDK_GET, { TableName: '{% $table %}', Key: '{% $key %}' }, { language: 'JSONata' })).toEqual([]);
    expect(checkRequest(SDK_GET, '{% $states.input %}' as never, { language: 'JSONata' })).toEqual([]);
  });

  it('names the payload field by the language: Arguments in JSONata', () => {
    expect(checkRequest(SDK_GET, { TableName: 'orders' }, { language: 'JSONata' })[0].path).toBe('Arguments.Key');
  });

  it('accepts the PascalCase name of a camelCase model member, and acronyms cased as words', () => {
    expect(checkRequest('arn:aws:states:::aws-sdk:sfn:startExecution', { StateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m' })).toEqual([]);
    expect(checkRequest('arn:aws:states:::aws-sdk:rds:describeDBInstances', { DbInstanceIdentifier: 'db-1' })).toEqual([]);
    expect(checkRequest('arn:aws:states:::aws-sdk:rds:describeDBInstances', { DBInstanceIdentifier: 'db-1' })).toEqual([]);
  });

  it('accepts a member spelt as the SDK for Java 2.x spells it where its words differ from a plain split: MemoryMib for MemoryMiB, PrivateIpV4Address for PrivateIPv4Address', () => {
    // The SDK's code generator (aws-sdk-java-v2, CodegenNamingUtils.splitOnWordBoundaries) keeps a capital
    // ending the name in its word and a version's `v` apart: `MemoryMiB` is memoryMib(), `IPv4` is IpV4.
    const request = { InstanceRequirements: { VCpuCount: { Min: 2 }, MemoryMib: { Min: 4096 } }, ArchitectureTypes: ['x86_64'], VirtualizationTypes: ['hvm'] };
    expect(checkRequest('arn:aws:states:::aws-sdk:ec2:getInstanceTypesFromInstanceRequirements', request, { evaluated: true })).toEqual([]);
    const modelNames = { ...request, InstanceRequirements: { VCpuCount: { Min: 2 }, MemoryMiB: { Min: 4096 } } };
    expect(checkRequest('arn:aws:states:::aws-sdk:ec2:getInstanceTypesFromInstanceRequirements', modelNames, { evaluated: true })).toEqual([]);
    const mapping = { SubnetId: 'subnet-1', PrivateIpV4Address: '10.0.0.9', IpV6Address: '2600:1f18::9' };
    expect(checkRequest('arn:aws:states:::aws-sdk:elasticloadbalancingv2:createLoadBalancer', { Name: 'lb', SubnetMappings: [mapping] }, { evaluated: true })).toEqual([]);
  });

  it('accepts SourceRegion on the RDS, DocumentDB and Neptune calls that copy across Regions: the SDKs add it to the API (botocore\'s sdk-extras, the Java SDK\'s requests)', () => {
    // https://docs.aws.amazon.com/AWSJavaSDK/latest/javadoc/com/amazonaws/services/rds/model/CopyDBSnapshotRequest.html (getSourceRegion)
    const copy = { SourceDBSnapshotIdentifier: 'arn:aws:rds:us-west-2:123456789012:snapshot:s1', TargetDBSnapshotIdentifier: 's1-copy', SourceRegion: 'us-west-2' };
    expect(checkRequest('arn:aws:states:::aws-sdk:rds:copyDBSnapshot', copy, { evaluated: true })).toEqual([]);
    for (const service of ['rds', 'docdb', 'neptune']) {
      const cluster = { SourceDBClusterSnapshotIdentifier: 'a', TargetDBClusterSnapshotIdentifier: 'b', SourceRegion: 'us-west-2' };
      expect(checkRequest(`arn:aws:states:::aws-sdk:${service}:copyDBClusterSnapshot`, cluster, { evaluated: true })).toEqual([]);
    }
  });

  it('accepts numbers and booleans written as text, which Step Functions reads as such', () => {
    expect(checkRequest('arn:aws:states:::aws-sdk:autoscaling:detachInstances', { AutoScalingGroupName: 'g', ShouldDecrementDesiredCapacity: 'false' })).toEqual([]);
    expect(checkRequest('arn:aws:states:::aws-sdk:autoscaling:detachInstances', { AutoScalingGroupName: 'g', ShouldDecrementDesiredCapacity: 'maybe' }))
      .toEqual([expect.objectContaining({ code: 'WRONG_TYPE' })]);
  });

  it('refuses a field lambda:invoke does not have, and accepts its documented fields', () => {
    const lambda = 'arn:aws:states:::lambda:invoke';
    expect(checkRequest(lambda, { FunctionName: 'f', Payload: { a: 1 }, InvocationType: 'Event', LogType: 'Tail', ClientContext: 'c', Qualifier: '1' })).toEqual([]);
    expect(checkRequest(lambda, { FunctionName: 'f', Bogus: 1 })).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD', path: 'Parameters.Bogus' })]);
    expect(checkRequest(lambda, { 'FunctionName': 'f', 'TaskToken.$': '$$.Task.Token' })).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD' })]);
  });

  it('takes JSON where an optimized integration serializes it (SQS MessageBody, EventBridge Detail, Step Functions Input)', () => {
    expect(checkRequest('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'q', MessageBody: { order: 1 } })).toEqual([]);
    expect(checkRequest('arn:aws:states:::events:putEvents', { Entries: [{ Detail: { a: 1 }, DetailType: 't', Source: 's' }] })).toEqual([]);
    expect(checkRequest('arn:aws:states:::states:startExecution.sync:2', { StateMachineArn: 'a', Input: { a: 1 } })).toEqual([]);
  });

  it('names an action the model does not have, with the closest one', () => {
    const [finding] = checkRequest('arn:aws:states:::aws-sdk:dynamodb:getItems', {});
    expect(finding.code).toBe('UNKNOWN_ACTION');
    expect(finding.message).toContain("did you mean 'getItem'?");
  });

  it('does not judge what no contract describes: an activity, a Lambda ARN', () => {
    expect(checkRequest('arn:aws:states:us-east-1:1:activity:a', { anything: 1 })).toEqual([]);
    expect(checkRequest('arn:aws:lambda:us-east-1:1:function:f', { anything: 1 })).toEqual([]);
  });

  it('gives the contract the checks use: fields, required fields and the token field', () => {
    const contract = contractOf('arn:aws:states:::sqs:sendMessage.waitForTaskToken');
    expect(contract).toMatchObject({ kind: 'optimized', service: 'sqs', action: 'sendMessage', pattern: 'waitForTaskToken', operation: 'SendMessage' });
    expect(contract.requestFields).toEqual(expect.arrayContaining(['QueueUrl', 'MessageBody', 'DelaySeconds']));
    expect(contract.requiredFields).toEqual(expect.arrayContaining(['QueueUrl', 'MessageBody']));
    expect(contract.tokenField).toMatch(/^MessageBody/);
    expect(contract.output).toBeUndefined();
  });

  it('stops at a bounded depth on a hostile, deeply nested payload', () => {
    let deep: Record<string, unknown> = { S: 'x' };
    for (let i = 0; i < 10_000; i++) deep = { L: [deep] };
    expect(() => checkRequest(SDK_GET, { TableName: 't', Key: { id: deep } } as never)).not.toThrow();
  });
});
