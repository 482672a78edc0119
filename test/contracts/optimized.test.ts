import { checkAnswer, checkRequest, contractFindings, contractOf } from '../../src/contracts';
import { OPTIMIZED_CONTRACTS } from '../../src/contracts/optimized';
import { OPTIMIZED } from '../../src/iam/optimized';

describe('optimized integration contracts', () => {
  it('cover every optimized integration the IAM table knows', () => {
    expect([...OPTIMIZED.keys()].filter((key) => !OPTIMIZED_CONTRACTS.has(key))).toEqual([]);
  });

  it.each([...OPTIMIZED_CONTRACTS.keys()])('resolve %s to a request, from its API or the guide, citing the guide', (key) => {
    const contract = contractOf(`arn:aws:states:::${key}`);
    expect(contract.unknown).toBeUndefined();
    // The guide's integration pages are connect-<service>.html, but for the HTTP Task's call-https-apis.html.
    expect(contract.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/step-functions\/latest\/dg\/(connect-[a-z-]+|call-https-apis)\.html$/);
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

  it('take EMR addStep\'s ExecutionRoleArn, as the CDK\'s EmrAddStep sends it and AWS deployed it (the guide\'s connect-emr)', () => {
    const definition = {
      StartAt: 'Step',
      States: {
        Step: {
          Type: 'Task',
          Resource: 'arn:aws:states:::elasticmapreduce:addStep.sync',
          Parameters: {
            ClusterId: 'j-1',
            ExecutionRoleArn: 'arn:aws:iam::123456789012:role/StepRole',
            Step: { Name: 's', ActionOnFailure: 'CONTINUE', HadoopJarStep: { Jar: 'command-runner.jar', Args: ['echo'] } },
          },
          End: true,
        },
      },
    };
    expect(contractFindings(definition)).toEqual([]);
  });

  it('take a nested member of an optimized request under the model\'s own name, as the guide sets Batch\'s RetryStrategy { "attempts": 5 }; an aws-sdk request does not', () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-parameters.html ("Pass static JSON as parameters")
    const request = { JobName: 'j', JobQueue: 'q', JobDefinition: 'd', RetryStrategy: { attempts: 5 } };
    expect(checkRequest('arn:aws:states:::batch:submitJob', request)).toEqual([]);
    expect(checkRequest('arn:aws:states:::batch:submitJob.sync', { ...request, RetryStrategy: { Attempts: 5 } })).toEqual([]);
    // A reported aws-sdk:batch:submitJob run failed on the model's own `onStatusReason`: there, only Step Functions' spelling is taken.
    expect(checkRequest('arn:aws:states:::aws-sdk:batch:submitJob', request)).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD', path: 'Parameters.RetryStrategy.attempts' })]);
    // Its top-level fields are the guide's, in Step Functions' spelling.
    expect(checkRequest('arn:aws:states:::batch:submitJob', { ...request, jobName: 'j' })).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD', path: 'Parameters.jobName' })]);
  });

  it('judge an optimized answer by Step Functions\' spelling only: TestState refuses { executionArn } for ExecutionArn (recorded)', () => {
    expect(checkAnswer('arn:aws:states:::states:startExecution', { executionArn: 'a', startDate: 'b' }, 'STRICT'))
      .toContainEqual(expect.objectContaining({ code: 'MISSING_FIELD', aws: "Required field 'ExecutionArn' is missing" }));
  });

  it('know the AgentCore harness integration the guide added in June 2026, with InvokeHarness\'s request', () => {
    const contract = contractOf('arn:aws:states:::bedrockagentcore:invokeHarness');
    expect(contract.unknown).toBeUndefined();
    expect(contract.requestFields).toEqual(expect.arrayContaining(['HarnessArn', 'Messages', 'RuntimeSessionId']));
    expect(contract.requiredFields).toEqual(['HarnessArn']);
    expect(contract.output).toBeUndefined();
  });

  it('take EKS createCluster\'s ComputeConfig and Athena\'s current members from the current models', () => {
    expect(contractOf('arn:aws:states:::eks:createCluster').requestFields).toContain('ComputeConfig');
    expect(contractOf('arn:aws:states:::athena:startQueryExecution').requestFields).toContain('ResultReuseConfiguration');
  });
});
