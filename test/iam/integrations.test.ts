import type { MapState, TaskState } from '../../src/asl/definition-types';
import { coveredIntegrations, permissionsForDistributedMap, permissionsForTask, SDK_SERVICES, type TaskContext } from '../../src/iam';

const ctx: TaskContext = { partition: 'aws', region: 'us-east-1', account: '123456789012', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders' };
const A = 'arn:aws:';
const R = 'us-east-1:123456789012';

function task(resource: string, parameters?: object, extra: object = {}): TaskState {
  return { Type: 'Task', Resource: resource, End: true, ...(parameters ? { Parameters: parameters } : {}), ...extra } as TaskState;
}

/** The requirements as `action resource` lines, for compact expectations. */
function needs(state: TaskState): string[] {
  return permissionsForTask(state, ctx).requirements.map((r) => `${r.action} ${r.resource ?? '(run time)'}${r.optional ? ' (optional)' : ''}`);
}

describe('integration permission table', () => {
  describe('Lambda', () => {
    it('needs lambda:InvokeFunction on the function ARN for lambda:invoke with a function name', () => {
      expect(needs(task('arn:aws:states:::lambda:invoke', { 'FunctionName': 'Charge', 'Payload.$': '$' }))).toEqual([`lambda:InvokeFunction ${A}lambda:${R}:function:Charge`]);
    });

    it('needs the qualified ARN when FunctionName carries a version or alias', () => {
      expect(needs(task('arn:aws:states:::lambda:invoke', { FunctionName: `${A}lambda:${R}:function:Charge:live` }))).toEqual([`lambda:InvokeFunction ${A}lambda:${R}:function:Charge:live`]);
      expect(needs(task('arn:aws:states:::lambda:invoke', { FunctionName: 'Charge:3' }))).toEqual([`lambda:InvokeFunction ${A}lambda:${R}:function:Charge:3`]);
    });

    it('reads a partial ARN (account:function:name) with its own account', () => {
      expect(needs(task('arn:aws:states:::lambda:invoke', { FunctionName: '210987654321:function:Charge' }))).toEqual([`lambda:InvokeFunction ${A}lambda:us-east-1:210987654321:function:Charge`]);
    });

    it('needs the same for the .waitForTaskToken pattern and for a function ARN as Resource', () => {
      expect(needs(task('arn:aws:states:::lambda:invoke.waitForTaskToken', { FunctionName: 'Charge' }))).toEqual([`lambda:InvokeFunction ${A}lambda:${R}:function:Charge`]);
      expect(needs(task(`${A}lambda:${R}:function:Charge`))).toEqual([`lambda:InvokeFunction ${A}lambda:${R}:function:Charge`]);
    });

    it('leaves the resource to run time when FunctionName is a path or JSONata', () => {
      expect(needs(task('arn:aws:states:::lambda:invoke', { 'FunctionName.$': '$.fn' }))).toEqual(['lambda:InvokeFunction (run time)']);
      expect(needs({ ...task('arn:aws:states:::lambda:invoke'), Arguments: { FunctionName: '{% $states.input.fn %}' } } as TaskState)).toEqual(['lambda:InvokeFunction (run time)']);
    });
  });

  it('reads a `.$` call of literals alone as the text it always is, and leaves one with a path, a drawn value or a refusal to run time', () => {
    const fn = (call: string) => needs(task('arn:aws:states:::lambda:invoke', { 'FunctionName.$': call }));
    expect(fn("States.Format('{}-{}', 'Charge', 'prod')")).toEqual([`lambda:InvokeFunction ${A}lambda:${R}:function:Charge-prod`]);
    expect(fn("States.Format('{}:{}', 'Charge', States.Format('{}', 'live'))")).toEqual([`lambda:InvokeFunction ${A}lambda:${R}:function:Charge:live`]);
    expect(fn("States.Format('{}-{}', 'Charge', $.stage)")).toEqual(['lambda:InvokeFunction (run time)']);
    expect(fn("States.Format('{}-{}', 'Charge', States.UUID())")).toEqual(['lambda:InvokeFunction (run time)']);
    expect(fn("States.Format('{}', 'Charge', 'extra')")).toEqual(['lambda:InvokeFunction (run time)']);
    expect(fn('States.ArrayLength(States.Array(1, 2))')).toEqual(['lambda:InvokeFunction (run time)']);
  });

  it('needs sns:Publish on the TopicArn', () => {
    expect(needs(task('arn:aws:states:::sns:publish', { TopicArn: `${A}sns:${R}:Alerts`, Message: 'x' }))).toEqual([`sns:Publish ${A}sns:${R}:Alerts`]);
  });

  it('needs sqs:SendMessage on the queue ARN made from QueueUrl', () => {
    expect(needs(task('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs', MessageBody: 'x' })))
      .toEqual([`sqs:SendMessage ${A}sqs:eu-west-1:123456789012:jobs`]);
    expect(needs(task('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'https://eu-west-2.queue.amazonaws.com/123456789012/jobs' })))
      .toEqual([`sqs:SendMessage ${A}sqs:eu-west-2:123456789012:jobs`]);
  });

  it.each([['getItem', 'GetItem'], ['putItem', 'PutItem'], ['updateItem', 'UpdateItem'], ['deleteItem', 'DeleteItem']])(
    'needs dynamodb:%s on the table ARN for the DynamoDB %s integration', (api, action) => {
      expect(needs(task(`arn:aws:states:::dynamodb:${api}`, { TableName: 'Orders' }))).toEqual([`dynamodb:${action} ${A}dynamodb:${R}:table/Orders`]);
    });

  describe('ECS', () => {
    it('needs ecs:RunTask on the task definition and iam:PassRole for its roles', () => {
      const reqs = permissionsForTask(task('arn:aws:states:::ecs:runTask', { TaskDefinition: 'web:3' }), ctx).requirements;
      expect(reqs.map((r) => `${r.action} ${r.resource ?? '(run time)'}`)).toEqual([`ecs:RunTask ${A}ecs:${R}:task-definition/web:3`, 'iam:PassRole (run time)']);
      expect(reqs[1].context).toEqual({ 'iam:PassedToService': 'ecs-tasks.amazonaws.com' });
    });

    it('reads a family without revision as any of its revisions', () => {
      expect(needs(task('arn:aws:states:::ecs:runTask', { TaskDefinition: 'web' }))[0]).toBe(`ecs:RunTask ${A}ecs:${R}:task-definition/web:*`);
    });

    it('adds StopTask, DescribeTasks and the managed ECS events rule for .sync', () => {
      expect(needs(task('arn:aws:states:::ecs:runTask.sync', { TaskDefinition: 'web:3' }))).toEqual([
        `ecs:RunTask ${A}ecs:${R}:task-definition/web:3`,
        'iam:PassRole (run time)',
        'ecs:StopTask (run time)',
        'ecs:DescribeTasks (run time)',
        `events:PutTargets ${A}events:${R}:rule/StepFunctionsGetEventsForECSTaskRule`,
        `events:PutRule ${A}events:${R}:rule/StepFunctionsGetEventsForECSTaskRule`,
        `events:DescribeRule ${A}events:${R}:rule/StepFunctionsGetEventsForECSTaskRule`,
      ]);
    });
  });

  it('needs glue:StartJobRun on the job, and GetJobRun(s)/BatchStopJobRun for .sync', () => {
    expect(needs(task('arn:aws:states:::glue:startJobRun', { JobName: 'etl' }))).toEqual([`glue:StartJobRun ${A}glue:${R}:job/etl`]);
    expect(needs(task('arn:aws:states:::glue:startJobRun.sync', { JobName: 'etl' }))).toEqual([
      `glue:StartJobRun ${A}glue:${R}:job/etl`, `glue:GetJobRun ${A}glue:${R}:job/etl`, `glue:GetJobRuns ${A}glue:${R}:job/etl`, `glue:BatchStopJobRun ${A}glue:${R}:job/etl`,
    ]);
  });

  it('needs batch:SubmitJob on both the job definition and the job queue, and the Batch rule for .sync', () => {
    const lines = needs(task('arn:aws:states:::batch:submitJob.sync', { JobDefinition: 'render:2', JobQueue: `${A}batch:${R}:job-queue/q`, JobName: 'j' }));
    expect(lines.slice(0, 2)).toEqual([`batch:SubmitJob ${A}batch:${R}:job-definition/render:2`, `batch:SubmitJob ${A}batch:${R}:job-queue/q`]);
    expect(lines).toContain(`events:PutRule ${A}events:${R}:rule/StepFunctionsGetEventsForBatchJobsRule`);
  });

  it('needs athena:StartQueryExecution on the work group (primary by default), and GetQueryExecution for .sync', () => {
    expect(needs(task('arn:aws:states:::athena:startQueryExecution', { QueryString: 'select 1' }))).toEqual([`athena:startQueryExecution ${A}athena:${R}:workgroup/primary`]);
    expect(needs(task('arn:aws:states:::athena:startQueryExecution.sync', { QueryString: 'select 1', WorkGroup: 'wg' }))).toEqual([
      `athena:startQueryExecution ${A}athena:${R}:workgroup/wg`, `athena:getQueryExecution ${A}athena:${R}:workgroup/wg`,
    ]);
  });

  it('needs events:PutEvents on each bus the entries name, the default bus when they name none', () => {
    expect(needs(task('arn:aws:states:::events:putEvents', { Entries: [{ Detail: {} }, { EventBusName: 'orders' }, { EventBusName: 'orders' }] }))).toEqual([
      `events:PutEvents ${A}events:${R}:event-bus/default`, `events:PutEvents ${A}events:${R}:event-bus/orders`,
    ]);
  });

  describe('nested state machines', () => {
    const child = `${A}states:${R}:stateMachine:Child`;

    it('needs states:StartExecution on the child for the request-response pattern', () => {
      expect(needs(task('arn:aws:states:::states:startExecution', { StateMachineArn: child }))).toEqual([`states:StartExecution ${child}`]);
    });

    it('adds DescribeExecution and StopExecution on its executions and the managed rule for .sync:2', () => {
      expect(needs(task('arn:aws:states:::states:startExecution.sync:2', { StateMachineArn: child }))).toEqual([
        `states:StartExecution ${child}`,
        `states:DescribeExecution ${A}states:${R}:execution:Child:*`,
        `states:StopExecution ${A}states:${R}:execution:Child:*`,
        `events:PutTargets ${A}events:${R}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
        `events:PutRule ${A}events:${R}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
        `events:DescribeRule ${A}events:${R}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
      ]);
    });

    it('needs StartExecution on the alias ARN itself when the child is started through an alias', () => {
      expect(needs(task('arn:aws:states:::states:startExecution', { StateMachineArn: `${child}:prod` }))).toEqual([`states:StartExecution ${child}:prod`]);
    });
  });

  describe('Distributed Map', () => {
    const map = (extra: object): MapState => ({
      Type: 'Map', End: true, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ...extra,
    } as MapState);
    const lines = (m: MapState): string[] => permissionsForDistributedMap(m, ctx).requirements.map((r) => `${r.action} ${r.resource ?? '(run time)'}${r.optional ? ' (optional)' : ''}`);

    it('needs states:StartExecution on its own state machine, and RedriveExecution (optional) to redrive a Map Run', () => {
      expect(lines(map({}))).toEqual([`states:StartExecution ${ctx.stateMachineArn}`, `states:RedriveExecution ${A}states:${R}:execution:Orders/*:* (optional)`]);
    });

    it('needs s3:GetObject on the object an ItemReader reads and s3:ListBucket for listObjectsV2', () => {
      expect(lines(map({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'in', Key: 'items.json' } } }))).toContain('s3:GetObject arn:aws:s3:::in/items.json');
      expect(lines(map({ ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'in' } } }))).toContain('s3:ListBucket arn:aws:s3:::in');
    });

    it('needs PutObject, GetObject and the multipart actions under the prefix a ResultWriter writes to', () => {
      const out = lines(map({ ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'runs' } } }));
      expect(out).toEqual(expect.arrayContaining(['s3:PutObject arn:aws:s3:::out/runs/*', 's3:GetObject arn:aws:s3:::out/runs/*', 's3:ListMultipartUploadParts arn:aws:s3:::out/runs/*', 's3:AbortMultipartUpload arn:aws:s3:::out/runs/*']));
    });
  });

  it('needs nothing from the state machine role for an activity (the worker calls GetActivityTask)', () => {
    const p = permissionsForTask(task(`${A}states:${R}:activity:Approve`), ctx);
    expect(p.integration).toBe('activity');
    expect(p.requirements).toEqual([]);
  });

  it('needs InvokeHTTPEndpoint on the state machine with the method and endpoint as condition keys, the connection credentials and its secret for an HTTP Task', () => {
    const p = permissionsForTask(task('arn:aws:states:::http:invoke', {
      ApiEndpoint: 'https://api.example.com/items', Method: 'GET', Authentication: { ConnectionArn: `${A}events:${R}:connection/api/1` },
    }), ctx);
    expect(p.requirements.map((r) => `${r.action} ${r.resource ?? '(run time)'}`)).toEqual([
      `states:InvokeHTTPEndpoint ${ctx.stateMachineArn}`,
      `events:RetrieveConnectionCredentials ${A}events:${R}:connection/api/1`,
      'secretsmanager:GetSecretValue (run time)',
      'secretsmanager:DescribeSecret (run time)',
    ]);
    expect(p.requirements[0].context).toEqual({ 'states:HTTPMethod': 'GET', 'states:HTTPEndpoint': 'https://api.example.com/items' });
  });

  it('needs bedrock:InvokeModel on the foundation-model ARN, and S3 access for Input/Output', () => {
    expect(needs(task('arn:aws:states:::bedrock:invokeModel', { ModelId: 'amazon.titan-text-express-v1', Input: { S3Uri: 's3://in/prompt.json' }, Output: { S3Uri: 's3://out/answer.json' } }))).toEqual([
      'bedrock:InvokeModel arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1',
      's3:GetObject arn:aws:s3:::in/prompt.json',
      's3:PutObject arn:aws:s3:::out/answer.json',
    ]);
  });

  it('needs execute-api:Invoke only when API Gateway is called with AuthType IAM_ROLE', () => {
    const params = { ApiEndpoint: 'abc123.execute-api.eu-west-1.amazonaws.com', Method: 'GET', Stage: 'prod', Path: '/pets' };
    expect(needs(task('arn:aws:states:::apigateway:invoke', params))).toEqual([]);
    expect(needs(task('arn:aws:states:::apigateway:invoke', { ...params, AuthType: 'IAM_ROLE' }))).toEqual(['execute-api:Invoke arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/pets']);
  });

  describe('AWS SDK integrations', () => {
    it('maps aws-sdk:<service>:<api> to <service>:<Api>', () => {
      expect(needs(task('arn:aws:states:::aws-sdk:ec2:describeInstances', {}))).toEqual(['ec2:DescribeInstances (run time)']);
    });

    it.each([
      ['efs', 'describeFileSystems', 'elasticfilesystem:DescribeFileSystems'],
      ['sfn', 'sendTaskSuccess', 'states:SendTaskSuccess'],
      ['cloudwatchlogs', 'describeLogGroups', 'logs:DescribeLogGroups'],
      ['elasticloadbalancingv2', 'describeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancers'],
      ['mediapackagevod', 'listAssets', 'mediapackage-vod:ListAssets'],
      ['mwaa', 'listEnvironments', 'airflow:ListEnvironments'],
      ['bedrockagent', 'listAgents', 'bedrock:ListAgents'],
      ['sesv2', 'sendEmail', 'ses:SendEmail'],
      ['cognitoidentityprovider', 'adminGetUser', 'cognito-idp:AdminGetUser'],
    ])('uses the IAM prefix of aws-sdk:%s (%s → %s)', (service, api, action) => {
      expect(permissionsForTask(task(`arn:aws:states:::aws-sdk:${service}:${api}`, {}), ctx).requirements.map((r) => r.action)).toEqual([action]);
    });

    it.each([['emr', 'runJobFlow', 'elasticmapreduce:RunJobFlow'], ['eventbridge', 'putEvents', 'events:PutEvents'], ['opensearch', 'describeDomain', 'es:DescribeDomain']])(
      'knows that aws-sdk:%s calls are authorized under another prefix (%s → %s)', (service, api, action) => {
        expect(permissionsForTask(task(`arn:aws:states:::aws-sdk:${service}:${api}`, {}), ctx).requirements.map((r) => r.action)).toEqual([action]);
      });

    it('warns about an SDK service whose IAM prefix it does not know, instead of guessing it', () => {
      const p = permissionsForTask(task('arn:aws:states:::aws-sdk:notaservice:doThing', {}), ctx);
      expect(p.requirements).toEqual([]);
      expect(p.unknown).toContain("the SDK service 'notaservice' of aws-sdk:notaservice:doThing is not in stepwright's table");
      expect(p.unknown).toContain('IAM prefix');
    });

    it('names the S3 object or bucket an S3 SDK call works on, and ListBucket for listObjectsV2', () => {
      expect(needs(task('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'k.json' }))).toEqual(['s3:GetObject arn:aws:s3:::b/k.json']);
      expect(needs(task('arn:aws:states:::aws-sdk:s3:listObjectsV2', { Bucket: 'b' }))).toEqual(['s3:ListBucket arn:aws:s3:::b']);
    });

    it('authorizes a DynamoDB transaction per item: Put → PutItem, ConditionCheck → ConditionCheckItem, on each table', () => {
      expect(needs(task('arn:aws:states:::aws-sdk:dynamodb:transactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'Orders', Item: {} } }, { ConditionCheck: { TableName: 'Stock', Key: {} } },
        ],
      }))).toEqual([`dynamodb:PutItem ${A}dynamodb:${R}:table/Orders`, `dynamodb:ConditionCheckItem ${A}dynamodb:${R}:table/Stock`]);
    });

    it('authorizes a log stream call on the stream, `*` when its name is only known at run time', () => {
      expect(needs(task('arn:aws:states:::aws-sdk:cloudwatchlogs:createLogStream', { 'LogGroupName': 'g', 'LogStreamName.$': '$.s' })))
        .toEqual([`logs:CreateLogStream ${A}logs:${R}:log-group:g:log-stream:*`]);
    });
  });

  it('needs codebuild:StartBuild on the project, and StopBuild/BatchGetBuilds plus the documented CodeBuild rule (GetEventFor, singular) for .sync', () => {
    expect(needs(task('arn:aws:states:::codebuild:startBuild', { ProjectName: 'build' }))).toEqual([`codebuild:StartBuild ${A}codebuild:${R}:project/build`]);
    const rule = `${A}events:${R}:rule/StepFunctionsGetEventForCodeBuildStartBuildRule`;
    expect(needs(task('arn:aws:states:::codebuild:startBuild.sync', { ProjectName: 'build' }))).toEqual([
      `codebuild:StartBuild ${A}codebuild:${R}:project/build`, `codebuild:StopBuild ${A}codebuild:${R}:project/build`, `codebuild:BatchGetBuilds ${A}codebuild:${R}:project/build`,
      `events:PutTargets ${rule}`, `events:PutRule ${rule}`, `events:DescribeRule ${rule}`,
    ]);
  });

  it('needs databrew:StartJobRun on the DataBrew job', () => {
    expect(needs(task('arn:aws:states:::databrew:startJobRun', { Name: 'job-1' }))).toEqual([`databrew:StartJobRun ${A}databrew:${R}:job/job-1`]);
  });

  it('needs mediaconvert:CreateJob and iam:PassRole on the job role, passed to MediaConvert', () => {
    const p = permissionsForTask(task('arn:aws:states:::mediaconvert:createJob', { Role: 'arn:aws:iam::123456789012:role/MediaConvertRole' }), ctx);
    expect(p.requirements.map((r) => `${r.action} ${r.resource ?? '(run time)'}`)).toEqual(['mediaconvert:CreateJob (run time)', 'iam:PassRole arn:aws:iam::123456789012:role/MediaConvertRole']);
    expect(p.requirements[1].context).toEqual({ 'iam:PassedToService': 'mediaconvert.amazonaws.com' });
  });

  it('needs sagemaker:CreateTransformJob on the transform job, and Describe/Stop plus the SageMaker rule for .sync', () => {
    const lines = needs(task('arn:aws:states:::sagemaker:createTransformJob.sync', { TransformJobName: 'Nightly' }));
    expect(lines.slice(0, 3)).toEqual([
      `sagemaker:CreateTransformJob ${A}sagemaker:${R}:transform-job/Nightly`, `sagemaker:DescribeTransformJob ${A}sagemaker:${R}:transform-job/Nightly`, `sagemaker:StopTransformJob ${A}sagemaker:${R}:transform-job/Nightly`,
    ]);
  });

  it('needs RunJobFlow, iam:PassRole on the service role, and AddTags when the EMR cluster is tagged', () => {
    const lines = needs(task('arn:aws:states:::elasticmapreduce:createCluster', { ServiceRole: 'EMR_DefaultRole', Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(lines).toEqual(['elasticmapreduce:RunJobFlow *', 'iam:PassRole arn:aws:iam::123456789012:role/EMR_DefaultRole', 'elasticmapreduce:AddTags (run time)']);
  });

  it("needs scheduler:CreateSchedule on the schedule and iam:PassRole on the target's role for aws-sdk:scheduler:createSchedule", () => {
    expect(needs(task('arn:aws:states:::aws-sdk:scheduler:createSchedule', { Name: 'nightly', GroupName: 'ops', Target: { RoleArn: 'arn:aws:iam::123456789012:role/Target' } }))).toEqual([
      `scheduler:CreateSchedule ${A}scheduler:${R}:schedule/ops/nightly`, 'iam:PassRole arn:aws:iam::123456789012:role/Target',
    ]);
  });

  it('needs the Athena action on the work group only when it is named, for getQueryResults and stopQueryExecution', () => {
    expect(needs(task('arn:aws:states:::athena:getQueryResults', { QueryExecutionId: 'q' }))).toEqual(['athena:getQueryResults (run time)']);
    expect(needs(task('arn:aws:states:::athena:stopQueryExecution', { QueryExecutionId: 'q' }))).toEqual(['athena:stopQueryExecution (run time)']);
  });

  it('reports an integration the table does not know as unknown, naming it, with no guessed permission', () => {
    const p = permissionsForTask(task('arn:aws:states:::glue:startCrawler', {}), ctx);
    expect(p.requirements).toEqual([]);
    expect(p.unknown).toContain("'glue:startCrawler'");
  });

  it('reports a Resource only known at run time as unknown', () => {
    expect(permissionsForTask(task('{% $states.input.fn %}'), ctx).unknown).toContain('run time');
  });

  it('records its source page in the Step Functions Developer Guide for every row', () => {
    expect(permissionsForTask(task('arn:aws:states:::sqs:sendMessage', {}), ctx).doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/step-functions\/latest\/dg\/.+\.html$/);
  });

  describe('coverage of the integrations AWS lists', () => {
    it('covers every optimized integration of the Step Functions Developer Guide', () => {
      expect(coveredIntegrations().map((c) => c.integration).sort()).toEqual([
        'apigateway:invoke',
        'athena:getQueryExecution', 'athena:getQueryResults', 'athena:startQueryExecution', 'athena:stopQueryExecution',
        'batch:submitJob',
        'bedrock:createModelCustomizationJob', 'bedrock:invokeModel',
        'codebuild:batchDeleteBuilds', 'codebuild:batchGetReports', 'codebuild:deleteBuildBatch', 'codebuild:retryBuildBatch', 'codebuild:startBuild',
        'codebuild:startBuildBatch', 'codebuild:stopBuild', 'codebuild:stopBuildBatch',
        'databrew:startJobRun',
        'dynamodb:deleteItem', 'dynamodb:getItem', 'dynamodb:putItem', 'dynamodb:updateItem',
        'ecs:runTask',
        'eks:call', 'eks:createCluster', 'eks:createFargateProfile', 'eks:createNodegroup', 'eks:deleteCluster', 'eks:deleteFargateProfile',
        'eks:deleteNodegroup', 'eks:runJob',
        'elasticmapreduce:addStep', 'elasticmapreduce:cancelStep', 'elasticmapreduce:createCluster', 'elasticmapreduce:modifyInstanceFleetByName',
        'elasticmapreduce:modifyInstanceGroupByName', 'elasticmapreduce:setClusterTerminationProtection', 'elasticmapreduce:terminateCluster',
        'emr-containers:createVirtualCluster', 'emr-containers:deleteVirtualCluster', 'emr-containers:startJobRun',
        'emr-serverless:cancelJobRun', 'emr-serverless:createApplication', 'emr-serverless:deleteApplication', 'emr-serverless:startApplication',
        'emr-serverless:startJobRun', 'emr-serverless:stopApplication',
        'events:putEvents',
        'glue:startJobRun',
        'http:invoke',
        'lambda:invoke',
        'mediaconvert:createJob',
        'sagemaker:createEndpoint', 'sagemaker:createEndpointConfig', 'sagemaker:createHyperParameterTuningJob', 'sagemaker:createLabelingJob',
        'sagemaker:createModel', 'sagemaker:createProcessingJob', 'sagemaker:createTrainingJob', 'sagemaker:createTransformJob', 'sagemaker:updateEndpoint',
        'sns:publish',
        'sqs:sendMessage',
        'states:startExecution',
      ]);
    });

    it('knows the IAM prefix of every SDK service where it is not the name (sesv2 → ses, pinpoint → mobiletargeting, docdb → rds)', () => {
      const prefix = (name: string) => SDK_SERVICES.get(name)?.iamPrefix;
      expect([prefix('sesv2'), prefix('pinpoint'), prefix('docdb'), prefix('location'), prefix('amp'), prefix('cloudcontrol'), prefix('iotdata')])
        .toEqual(['ses', 'mobiletargeting', 'rds', 'geo', 'aps', 'cloudformation', 'iot']);
      expect(SDK_SERVICES.size).toBeGreaterThan(250);
    });

    it('names SDK errors with the exception prefix the guide lists (DynamoDb, CloudWatchLogs, Sfn)', () => {
      expect(['dynamodb', 'cloudwatchlogs', 'sfn', 'ec2'].map((s) => permissionsForTask(task(`arn:aws:states:::aws-sdk:${s}:describeThing`, {}), ctx).errorService))
        .toEqual(['DynamoDb', 'CloudWatchLogs', 'Sfn', 'Ec2']);
    });

    it('authorizes SQS and SNS batch calls under the single action, and a Converse call as InvokeModel', () => {
      expect(permissionsForTask(task('arn:aws:states:::aws-sdk:sqs:sendMessageBatch', {}), ctx).requirements.map((r) => r.action)).toEqual(['sqs:SendMessage']);
      expect(permissionsForTask(task('arn:aws:states:::aws-sdk:sns:publishBatch', {}), ctx).requirements.map((r) => r.action)).toEqual(['sns:Publish']);
      expect(permissionsForTask(task('arn:aws:states:::aws-sdk:bedrockruntime:converse', {}), ctx).requirements.map((r) => r.action)).toEqual(['bedrock:InvokeModel']);
    });

    it('authorizes API Gateway management calls by HTTP method, and says so where the method is not known', () => {
      expect(needs(task('arn:aws:states:::aws-sdk:apigateway:getRestApis', {}))).toEqual(['apigateway:GET (run time)']);
      expect(needs(task('arn:aws:states:::aws-sdk:apigatewayv2:updateApi', {}))).toEqual(['apigateway:PATCH (run time)']);
      expect(permissionsForTask(task('arn:aws:states:::aws-sdk:apigateway:flushStageAuthorizersCache', {}), ctx).requirements.map((r) => r.action)).toEqual(['apigateway:DELETE']);
      expect(permissionsForTask(task('arn:aws:states:::aws-sdk:apigateway:someNewCall', {}), ctx).unknown).toContain('HTTP method');
    });

    it('needs for an SDK call what the optimized integration of the same API needs (aws-sdk:ecs:runTask passes the roles too)', () => {
      expect(needs(task('arn:aws:states:::aws-sdk:sfn:startExecution', { StateMachineArn: `${A}states:${R}:stateMachine:Child` }))).toEqual([`states:StartExecution ${A}states:${R}:stateMachine:Child`]);
      expect(needs(task('arn:aws:states:::aws-sdk:ecs:runTask', { TaskDefinition: 'web:3' }))).toEqual([`ecs:RunTask ${A}ecs:${R}:task-definition/web:3`, 'iam:PassRole (run time)']);
    });
  });

  describe('the integrations the first table left unknown', () => {
    it('EMR addStep: AddJobFlowSteps on the cluster with the runtime role as a condition key; .sync follows and cancels the step', () => {
      const p = permissionsForTask(task('arn:aws:states:::elasticmapreduce:addStep.sync', { ClusterId: 'j-1', ExecutionRoleArn: `${A}iam::123456789012:role/Runtime`, Step: {} }), ctx);
      expect(p.requirements.map((r) => `${r.action} ${r.resource ?? '(run time)'}${r.optional ? ' (optional)' : ''}`)).toEqual([
        `elasticmapreduce:AddJobFlowSteps ${A}elasticmapreduce:${R}:cluster/j-1`,
        `iam:PassRole ${A}iam::123456789012:role/Runtime (optional)`,
        `elasticmapreduce:DescribeStep ${A}elasticmapreduce:${R}:cluster/j-1`,
        `elasticmapreduce:CancelSteps ${A}elasticmapreduce:${R}:cluster/j-1`,
        `events:PutTargets ${A}events:${R}:rule/StepFunctionsGetEventForEMRAddJobFlowStepsRule`,
        `events:PutRule ${A}events:${R}:rule/StepFunctionsGetEventForEMRAddJobFlowStepsRule`,
        `events:DescribeRule ${A}events:${R}:rule/StepFunctionsGetEventForEMRAddJobFlowStepsRule`,
      ]);
      expect(p.requirements[0].context).toEqual({ 'elasticmapreduce:ExecutionRoleArn': `${A}iam::123456789012:role/Runtime` });
    });

    it('EMR on EKS startJobRun: StartJobRun on the virtual cluster, the job role as the emr-containers:ExecutionRoleArn condition key, no PassRole', () => {
      const p = permissionsForTask(task('arn:aws:states:::emr-containers:startJobRun', { VirtualClusterId: 'vc1', ExecutionRoleArn: `${A}iam::123456789012:role/Job` }), ctx);
      expect(p.requirements.map((r) => `${r.action} ${r.resource}`)).toEqual([`emr-containers:StartJobRun ${A}emr-containers:${R}:/virtualclusters/vc1`]);
      expect(p.requirements[0].context).toEqual({ 'emr-containers:ExecutionRoleArn': `${A}iam::123456789012:role/Job` });
    });

    it('EMR Serverless startJobRun.sync: the application, PassRole on the job role, the job run actions and the documented rule', () => {
      expect(needs(task('arn:aws:states:::emr-serverless:startJobRun.sync', { ApplicationId: 'app1', ExecutionRoleArn: `${A}iam::123456789012:role/Job` }))).toEqual([
        `emr-serverless:StartJobRun ${A}emr-serverless:${R}:/applications/app1`,
        `iam:PassRole ${A}iam::123456789012:role/Job`,
        `emr-serverless:GetJobRun ${A}emr-serverless:${R}:/applications/app1/jobruns/*`,
        `emr-serverless:CancelJobRun ${A}emr-serverless:${R}:/applications/app1/jobruns/*`,
        `events:PutTargets ${A}events:${R}:rule/StepFunctionsGetEventsForEMRServerlessJobRule`,
        `events:PutRule ${A}events:${R}:rule/StepFunctionsGetEventsForEMRServerlessJobRule`,
        `events:DescribeRule ${A}events:${R}:rule/StepFunctionsGetEventsForEMRServerlessJobRule`,
      ]);
    });

    it('EKS createNodegroup: the cluster, the subnets and node role checks, PassRole on the node role to EKS', () => {
      const p = permissionsForTask(task('arn:aws:states:::eks:createNodegroup', { ClusterName: 'c', NodegroupName: 'ng', NodeRole: `${A}iam::123456789012:role/Node` }), ctx);
      expect(p.requirements.map((r) => `${r.action} ${r.resource}`)).toEqual([
        `eks:CreateNodegroup ${A}eks:${R}:cluster/c`, 'ec2:DescribeSubnets *', `iam:GetRole ${A}iam::123456789012:role/Node`,
        `iam:ListAttachedRolePolicies ${A}iam::123456789012:role/Node`, `iam:PassRole ${A}iam::123456789012:role/Node`,
      ]);
      expect(p.requirements[4].context).toEqual({ 'iam:PassedToService': 'eks.amazonaws.com' });
    });

    it('CodeBuild stopBuild and batchDeleteBuilds: the project of each build id', () => {
      expect(needs(task('arn:aws:states:::codebuild:stopBuild', { Id: 'web:0000-1111' }))).toEqual([`codebuild:StopBuild ${A}codebuild:${R}:project/web`]);
      expect(needs(task('arn:aws:states:::codebuild:batchDeleteBuilds', { Ids: ['web:1', 'api:2', 'web:3'] }))).toEqual([
        `codebuild:BatchDeleteBuilds ${A}codebuild:${R}:project/web`, `codebuild:BatchDeleteBuilds ${A}codebuild:${R}:project/api`,
      ]);
    });

    it('SageMaker createHyperParameterTuningJob: PassRole on the role of its training job definition', () => {
      expect(needs(task('arn:aws:states:::sagemaker:createHyperParameterTuningJob', { HyperParameterTuningJobName: 'tune', TrainingJobDefinition: { RoleArn: `${A}iam::123456789012:role/Train` } })))
        .toEqual([`sagemaker:CreateHyperParameterTuningJob ${A}sagemaker:${R}:hyper-parameter-tuning-job/tune`, `iam:PassRole ${A}iam::123456789012:role/Train`, 'sagemaker:ListTags * (optional)']);
    });
  });
});
