import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { mutants, type MutableTemplate } from './mutants';
import { PermissionCodes } from '../../src/iam';
import { checkPermissions } from '../../src/testing';
import { cli } from '../cli/run-cli';

/**
 * State machines built with the AWS CDK's own task constructs, one stack per
 * integration family, as the CDK's integration tests build them. The CDK's
 * grants are what deployed stacks have: the check must find nothing missing
 * in them, know every integration, and notice each statement removed that a
 * Task needs, naming its action.
 */
function machine(build: (stack: Stack) => sfn.IChainable, props: Partial<sfn.StateMachineProps> = {}): MutableTemplate {
  const stack = new Stack(new App(), 'Tasks', { env: { account: '123456789012', region: 'us-east-1' } });
  new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(build(stack)), ...props });
  return Template.fromStack(stack).toJSON() as MutableTemplate;
}

/**
 * aws-cdk-lib's own CfnTaskDefinition reads its deprecated `inferenceAccelerators`
 * while it synthesizes, and its TableV2 passes the deprecated
 * `TableGrantsProps.encryptedResource` to its grants, which JSII_DEPRECATED=fail (set for the whole run) turns
 * into an error no caller can avoid: quiet for this synth only.
 */
function withCdkDeprecationsQuiet<T>(f: () => T): T {
  const saved = process.env.JSII_DEPRECATED;
  process.env.JSII_DEPRECATED = 'quiet';
  try {
    return f();
  } finally {
    process.env.JSII_DEPRECATED = saved;
  }
}

function summary(t: MutableTemplate) {
  const [report] = checkPermissions(t);
  const outcomes = mutants(t);
  return {
    errors: report.findings.filter((f) => f.severity === 'error').map((f) => f.message),
    unknown: report.findings.filter((f) => f.code === PermissionCodes.UNKNOWN_INTEGRATION).map((f) => f.message),
    missed: outcomes.filter((o) => o.needed && !o.caughtNamingAction).map((o) => `${o.where} ${o.actions.join(',')} (named ${o.named.join(',')})`),
    caught: outcomes.filter((o) => o.needed && o.caughtNamingAction).map((o) => o.where),
  };
}

const chain = (...states: sfn.TaskStateBase[]): sfn.IChainable => states.slice(1).reduce<sfn.Chain>((c, s) => c.next(s), sfn.Chain.start(states[0]));

describe('the CDK task constructs of each integration family, as CDK integration tests deploy them', () => {
  it('SageMaker: createTrainingJob.sync, createTransformJob, createModel, createEndpointConfig, createEndpoint, updateEndpoint', () => {
    const t = machine((stack) => {
      const bucket = new s3.Bucket(stack, 'Data');
      const role = new iam.Role(stack, 'SageMakerRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      return chain(
        new tasks.SageMakerCreateTrainingJob(stack, 'Train', {
          integrationPattern: sfn.IntegrationPattern.RUN_JOB,
          // As the CDK's own integration test names it: the CDK grants `training-job/MyTrainingJob*`, SageMaker's ARN holds `mytrainingjob`.
          trainingJobName: 'MyTrainingJob',
          tags: { team: 'ml' },
          role,
          algorithmSpecification: { algorithmName: 'BlazingText' },
          inputDataConfig: [{ channelName: 'train', dataSource: { s3DataSource: { s3Location: tasks.S3Location.fromBucket(bucket, 'train') } } }],
          outputDataConfig: { s3OutputLocation: tasks.S3Location.fromBucket(bucket, 'out') },
        }),
        new tasks.SageMakerCreateTransformJob(stack, 'Transform', {
          transformJobName: 'score',
          modelName: 'model',
          transformInput: { transformDataSource: { s3DataSource: { s3Uri: 's3://in/data' } } },
          transformOutput: { s3OutputPath: 's3://out/data' },
        }),
        new tasks.SageMakerCreateModel(stack, 'Model', { modelName: 'model', role, primaryContainer: new tasks.ContainerDefinition({ image: tasks.DockerImage.fromRegistry('my/image') }) }),
        new tasks.SageMakerCreateEndpointConfig(stack, 'Config', {
          endpointConfigName: 'config',
          productionVariants: [{ initialInstanceCount: 1, instanceType: new ec2.InstanceType('m5.large'), modelName: 'model', variantName: 'v' }],
        }),
        new tasks.SageMakerCreateEndpoint(stack, 'Endpoint', { endpointName: 'endpoint', endpointConfigName: 'config' }),
        new tasks.SageMakerUpdateEndpoint(stack, 'Update', { endpointName: 'endpoint', endpointConfigName: 'config' }),
      );
    });
    expect(summary(t)).toEqual({
      errors: [],
      unknown: [],
      missed: [],
      caught: [
        // The CDK spells two of the actions it grants in lower camel case; IAM reads actions case-insensitively.
        'events:DescribeRule', 'events:PutRule', 'events:PutTargets', 'iam:PassRole', 'sagemaker:AddTags', 'sagemaker:createEndpoint', 'sagemaker:CreateEndpointConfig',
        'sagemaker:CreateModel', 'sagemaker:CreateTrainingJob', 'sagemaker:CreateTransformJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:ListTags',
        'sagemaker:StopTrainingJob', 'sagemaker:updateEndpoint',
      ].sort(),
    });
  });

  it('EMR: createCluster.sync (roles of the instance profile), addStep.sync, cancelStep, terminateCluster.sync, termination protection, instance fleets and groups', () => {
    const t = machine((stack) => chain(
      new tasks.EmrCreateCluster(stack, 'Create', {
        name: 'cluster',
        instances: {},
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      }),
      new tasks.EmrAddStep(stack, 'Step', { clusterId: 'j-1', name: 'step', jar: 'command-runner.jar', integrationPattern: sfn.IntegrationPattern.RUN_JOB }),
      new tasks.EmrCancelStep(stack, 'Cancel', { clusterId: 'j-1', stepId: 's-1' }),
      new tasks.EmrSetClusterTerminationProtection(stack, 'Protect', { clusterId: 'j-1', terminationProtected: false }),
      new tasks.EmrModifyInstanceFleetByName(stack, 'Fleet', { clusterId: 'j-1', instanceFleetName: 'f', targetOnDemandCapacity: 1, targetSpotCapacity: 0 }),
      new tasks.EmrModifyInstanceGroupByName(stack, 'Group', { clusterId: 'j-1', instanceGroupName: 'g', instanceGroup: { instanceCount: 1 } }),
      new tasks.EmrTerminateCluster(stack, 'Terminate', { clusterId: 'j-1', integrationPattern: sfn.IntegrationPattern.RUN_JOB }),
    ));
    expect(summary(t)).toEqual({
      errors: [],
      unknown: [],
      missed: [],
      caught: [
        'elasticmapreduce:AddJobFlowSteps', 'elasticmapreduce:CancelSteps', 'elasticmapreduce:DescribeCluster', 'elasticmapreduce:DescribeStep',
        'elasticmapreduce:ListInstanceFleets', 'elasticmapreduce:ListInstanceGroups', 'elasticmapreduce:ModifyInstanceFleet', 'elasticmapreduce:ModifyInstanceGroups',
        'elasticmapreduce:RunJobFlow', 'elasticmapreduce:SetTerminationProtection', 'elasticmapreduce:TerminateJobFlows',
        'events:DescribeRule', 'events:PutRule', 'events:PutTargets', 'iam:PassRole',
      ].sort(),
    });
  });

  it('EMR on EKS: createVirtualCluster, startJobRun.sync (the execution role as a condition key), deleteVirtualCluster.sync', () => {
    const t = machine((stack) => {
      const role = new iam.Role(stack, 'JobRole', { assumedBy: new iam.ServicePrincipal('emr-containers.amazonaws.com') });
      return chain(
        new tasks.EmrContainersCreateVirtualCluster(stack, 'Create', { eksCluster: tasks.EksClusterInput.fromTaskInput(sfn.TaskInput.fromText('eks-1')), eksNamespace: 'spark' }),
        new tasks.EmrContainersStartJobRun(stack, 'Run', {
          virtualCluster: tasks.VirtualClusterInput.fromVirtualClusterId('vc-1'),
          releaseLabel: tasks.ReleaseLabel.EMR_6_2_0,
          jobDriver: { sparkSubmitJobDriver: { entryPoint: sfn.TaskInput.fromText('local:///usr/lib/spark/examples/src/main/python/pi.py') } },
          executionRole: role,
          integrationPattern: sfn.IntegrationPattern.RUN_JOB,
        }),
        new tasks.EmrContainersDeleteVirtualCluster(stack, 'Delete', { virtualClusterId: sfn.TaskInput.fromText('vc-1'), integrationPattern: sfn.IntegrationPattern.RUN_JOB }),
      );
    });
    expect(summary(t)).toEqual({
      errors: [],
      unknown: [],
      missed: [],
      caught: [
        'emr-containers:CancelJobRun', 'emr-containers:CreateVirtualCluster', 'emr-containers:DeleteVirtualCluster', 'emr-containers:DescribeJobRun',
        'emr-containers:DescribeVirtualCluster', 'emr-containers:StartJobRun', 'iam:CreateServiceLinkedRole',
      ].sort(),
    });
  });

  it('EKS: eks:call needs no IAM grant and says the Kubernetes API authorizes it', () => {
    const t = machine((stack) => new tasks.EksCall(stack, 'Call', {
      cluster: eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'c', clusterEndpoint: 'https://abc.gr7.us-east-1.eks.amazonaws.com', clusterCertificateAuthorityData: 'Q0E=' }),
      httpMethod: tasks.HttpMethods.GET,
      httpPath: '/api/v1/namespaces/default/pods',
    }));
    const [report] = checkPermissions(t);
    expect(report.findings.map((f) => `${f.code} ${f.severity}`)).toEqual(['CANNOT_CHECK info']);
    expect(report.findings[0].message).toContain('Kubernetes API');
  });

  it('CodeBuild: startBuild.sync and startBuildBatch.sync', () => {
    const t = machine((stack) => {
      const project = new codebuild.Project(stack, 'Project', { buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2' }) });
      return chain(
        new tasks.CodeBuildStartBuild(stack, 'Build', { project, integrationPattern: sfn.IntegrationPattern.RUN_JOB }),
        new tasks.CodeBuildStartBuildBatch(stack, 'Batch', { project, integrationPattern: sfn.IntegrationPattern.RUN_JOB }),
      );
    });
    expect(summary(t)).toEqual({
      errors: [],
      unknown: [],
      missed: [],
      caught: [
        'codebuild:BatchGetBuildBatches', 'codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StartBuildBatch', 'codebuild:StopBuild',
        'codebuild:StopBuildBatch', 'events:DescribeRule', 'events:PutRule', 'events:PutTargets',
      ].sort(),
    });
  });

  it('Bedrock: invokeModel and createModelCustomizationJob (the job role passed)', () => {
    const t = machine((stack) => {
      const model = bedrock.FoundationModel.fromFoundationModelId(stack, 'Model', new bedrock.FoundationModelIdentifier('amazon.titan-text-express-v1'));
      const bucket = new s3.Bucket(stack, 'Data');
      return chain(
        new tasks.BedrockInvokeModel(stack, 'Invoke', { model, body: sfn.TaskInput.fromObject({ prompt: 'hi' }) }),
        new tasks.BedrockCreateModelCustomizationJob(stack, 'Customize', {
          baseModel: model,
          customModelName: 'custom',
          jobName: 'job',
          outputData: { bucket },
          trainingData: { bucket },
          validationData: [{ bucket }],
        }),
      );
    });
    expect(summary(t)).toEqual({
      errors: [],
      unknown: [],
      missed: [],
      caught: ['bedrock:CreateModelCustomizationJob', 'bedrock:InvokeModel', 'iam:PassRole'].sort(),
    });
  });

  it('ECS: runTask.sync passes the task and execution roles of the task definition, read from the template', () => {
    const t = withCdkDeprecationsQuiet(() => machine((stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
      const taskDefinition = new ecs.FargateTaskDefinition(stack, 'TaskDef');
      taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'), logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app' }) });
      return new tasks.EcsRunTask(stack, 'Run', {
        cluster,
        taskDefinition,
        launchTarget: new tasks.EcsFargateLaunchTarget(),
        assignPublicIp: true,
        subnets: { subnetType: ec2.SubnetType.PUBLIC },
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      });
    }));
    const [report] = checkPermissions(t);
    const passRole = report.checks.filter((c) => c.action === 'iam:PassRole').map((c) => `${c.resource} ${c.decision}`);
    expect(passRole).toEqual([
      expect.stringMatching(/^arn:aws:iam::123456789012:role\/TaskDefTaskRole\S* allowed$/),
      expect.stringMatching(/^arn:aws:iam::123456789012:role\/TaskDefExecutionRole\S* allowed$/),
    ]);
    expect(summary(t)).toEqual({
      errors: [],
      unknown: [],
      missed: [],
      caught: ['ecs:DescribeTasks', 'ecs:RunTask', 'ecs:StopTask', 'events:DescribeRule', 'events:PutRule', 'events:PutTargets', 'iam:PassRole'].sort(),
    });
  });

  it('Lambda, DynamoDB, SNS, SQS, EventBridge, Glue, DataBrew, Athena, Step Functions, MediaConvert, HTTP, API Gateway and activities in one machine', () => {
    const t = machine((stack) => {
      const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
      const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      const child = new sfn.StateMachine(stack, 'Child', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'ChildPass')) });
      const connection = new events.Connection(stack, 'Connection', { authorization: events.Authorization.apiKey('k', SecretValue.unsafePlainText('k')) });
      const api = new apigateway.RestApi(stack, 'Api');
      api.root.addMethod('GET');
      return chain(
        new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn }),
        new tasks.DynamoGetItem(stack, 'Get', { table, key: { id: tasks.DynamoAttributeValue.fromString('1') } }),
        new tasks.SnsPublish(stack, 'Notify', { topic: new sns.Topic(stack, 'Topic'), message: sfn.TaskInput.fromText('hi') }),
        new tasks.SqsSendMessage(stack, 'Send', { queue: new sqs.Queue(stack, 'Queue'), messageBody: sfn.TaskInput.fromText('hi') }),
        new tasks.EventBridgePutEvents(stack, 'Put', { entries: [{ detail: sfn.TaskInput.fromObject({}), detailType: 'd', source: 's' }] }),
        new tasks.GlueStartJobRun(stack, 'Glue', { glueJobName: 'etl', integrationPattern: sfn.IntegrationPattern.RUN_JOB }),
        new tasks.GlueDataBrewStartJobRun(stack, 'Brew', { name: 'brew' }),
        new tasks.AthenaStartQueryExecution(stack, 'Query', { queryString: 'select 1', workGroup: 'wg', integrationPattern: sfn.IntegrationPattern.RUN_JOB }),
        new tasks.StepFunctionsStartExecution(stack, 'Start', { stateMachine: child, integrationPattern: sfn.IntegrationPattern.RUN_JOB }),
        new tasks.MediaConvertCreateJob(stack, 'Convert', { createJobRequest: { Role: 'arn:aws:iam::123456789012:role/MediaConvertRole', Settings: {} } }),
        new tasks.HttpInvoke(stack, 'Http', { apiRoot: 'https://api.example.com', apiEndpoint: sfn.TaskInput.fromText('items'), method: sfn.TaskInput.fromText('GET'), connection }),
        new tasks.CallApiGatewayRestApiEndpoint(stack, 'Rest', { api, stageName: 'prod', method: tasks.HttpMethod.GET, authType: tasks.AuthType.IAM_ROLE }),
        new tasks.StepFunctionsInvokeActivity(stack, 'Work', { activity: new sfn.Activity(stack, 'Activity') }),
      );
    });
    expect(summary(t)).toEqual({
      errors: [],
      unknown: [],
      missed: [],
      caught: [
        'athena:getQueryExecution', 'athena:startQueryExecution', 'databrew:startJobRun', 'dynamodb:GetItem', 'events:DescribeRule', 'events:PutEvents',
        'events:PutRule', 'events:PutTargets', 'events:RetrieveConnectionCredentials', 'execute-api:Invoke', 'glue:BatchStopJobRun', 'glue:GetJobRun',
        'glue:GetJobRuns', 'glue:StartJobRun', 'iam:PassRole', 'lambda:InvokeFunction', 'mediaconvert:CreateJob', 'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue', 'sns:Publish', 'sqs:SendMessage', 'states:DescribeExecution', 'states:InvokeHTTPEndpoint', 'states:StartExecution',
        'states:StopExecution',
      ].sort(),
    });
  });

  it("HttpInvoke: the connection's secret is the one GetAtt SecretArn names, so the CDK's grant on it is decided, and a grant on the connection's ARN is not", () => {
    const build = () => machine((stack) => {
      const connection = new events.Connection(stack, 'Connection', { authorization: events.Authorization.apiKey('k', SecretValue.unsafePlainText('k')) });
      return new tasks.HttpInvoke(stack, 'Http', { apiRoot: 'https://api.example.com', apiEndpoint: sfn.TaskInput.fromText('items'), method: sfn.TaskInput.fromText('GET'), connection });
    });
    const t = build();
    const secretChecks = (r: ReturnType<typeof checkPermissions>[number]) => r.checks.filter((c) => c.action.startsWith('secretsmanager:'))
      .map((c) => `${c.action} ${c.resource ?? '(run time)'} ${c.decision}`);
    const secret = expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection\/Connection07624BCD\/[0-9a-f-]+ allowed$/);
    expect(secretChecks(checkPermissions(t)[0])).toEqual([expect.stringMatching(/^secretsmanager:GetSecretValue /), expect.stringMatching(/^secretsmanager:DescribeSecret /)]);
    expect(secretChecks(checkPermissions(t)[0]).map((c) => c.replace(/^\S+ /, ''))).toEqual([secret, secret]);
    // The endpoint, written as States.Format('{}/{}', root, path) of literals, is the text it always is: the grant's StringLike is decided.
    const definition = JSON.stringify(Object.values(t.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine')!.Properties!.DefinitionString);
    expect(definition).toContain("States.Format('{}/{}', 'https://api.example.com', 'items')");
    expect(checkPermissions(t)[0].checks.find((c) => c.action === 'states:InvokeHTTPEndpoint')).toMatchObject({ decision: 'allowed' });
    // The secret is not the connection: a grant naming the connection's ARN for the secret does not reach it.
    const onConnection = build();
    const policy = Object.values(onConnection.Resources).find((r) => r.Type === 'AWS::IAM::Policy')!;
    for (const s of policy.Properties!.PolicyDocument.Statement) {
      if ([].concat(s.Action).some((a: string) => a.startsWith('secretsmanager:'))) s.Resource = { 'Fn::GetAtt': ['Connection07624BCD', 'Arn'] };
    }
    const [denied] = checkPermissions(onConnection);
    expect(denied.findings.filter((f) => f.severity === 'error').map((f) => `${f.state} ${f.action}`)).toEqual(['Http secretsmanager:GetSecretValue', 'Http secretsmanager:DescribeSecret']);
  });

  it("HttpInvoke.jsonata: the endpoint, string literals joined with &, is decided against the grant's states:HTTPEndpoint as the JSONPath form's is", async () => {
    const build = () => machine((stack) => {
      const connection = new events.Connection(stack, 'Connection', { authorization: events.Authorization.apiKey('k', SecretValue.unsafePlainText('k')) });
      return tasks.HttpInvoke.jsonata(stack, 'Http', { apiRoot: 'https://api.example.com', apiEndpoint: sfn.TaskInput.fromText('items'), method: sfn.TaskInput.fromText('GET'), connection });
    }, { queryLanguage: sfn.QueryLanguage.JSONATA });
    const t = build();
    const definition = JSON.stringify(Object.values(t.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine')!.Properties!.DefinitionString);
    expect(definition).toContain("{% 'https://api.example.com' & '/' & 'items' %}");
    const [report] = checkPermissions(t);
    expect(report.checks.find((c) => c.action === 'states:InvokeHTTPEndpoint')).toMatchObject({ decision: 'allowed' });
    expect(report.findings.filter((f) => f.severity !== 'warning').map((f) => f.code)).toEqual([]);
    // A grant for another host does not reach it: the check fails naming the action, where it used to say it could not check.
    const elsewhere = build();
    const policy = Object.values(elsewhere.Resources).find((r) => r.Type === 'AWS::IAM::Policy')!;
    for (const st of policy.Properties!.PolicyDocument.Statement) {
      if ([].concat(st.Action).includes('states:InvokeHTTPEndpoint' as never)) st.Condition.StringLike['states:HTTPEndpoint'] = 'https://other.example.com*';
    }
    const [denied] = checkPermissions(elsewhere);
    expect(denied.findings.filter((f) => f.severity === 'error').map((f) => `${f.state} ${f.action}`)).toEqual(['Http states:InvokeHTTPEndpoint']);
    // stepwright validate --iam (and MCP's validate, on the same check) says so too.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-http-jsonata-'));
    try {
      const file = path.join(dir, 'Tasks.template.json');
      fs.writeFileSync(file, JSON.stringify(elsewhere));
      const validated = await cli('validate', file, '--iam', '--no-warnings');
      expect({ code: validated.code, missing: /states:InvokeHTTPEndpoint/.test(validated.out) }).toEqual({ code: 1, missing: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('DynamoDB on a dynamodb.TableV2 (AWS::DynamoDB::GlobalTable): the table by the name its Ref returns, and the grants the task constructs make', () => {
    const t = withCdkDeprecationsQuiet(() => machine((stack) => {
      const table = new dynamodb.TableV2(stack, 'Reviews', { tableName: 'reviews', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      const key = { id: tasks.DynamoAttributeValue.fromString('r-1') };
      return chain(
        new tasks.DynamoPutItem(stack, 'Put', { table, item: key }),
        new tasks.DynamoGetItem(stack, 'Get', { table, key }),
        new tasks.DynamoUpdateItem(stack, 'Update', { table, key, updateExpression: 'SET n = :n', expressionAttributeValues: { ':n': tasks.DynamoAttributeValue.fromNumber(1) } }),
        new tasks.DynamoDeleteItem(stack, 'Delete', { table, key }),
      );
    }));
    const [report] = checkPermissions(t);
    expect(report.checks.map((c) => `${c.action} ${c.resource} ${c.decision}`)).toEqual(['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem']
      .map((a) => `dynamodb:${a} arn:aws:dynamodb:us-east-1:123456789012:table/reviews allowed`));
    expect(summary(t)).toEqual({
      errors: [],
      unknown: [],
      missed: [],
      caught: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    });
  });

  it('AWS SDK calls: the IAM prefix of the service, and the grant the CDK writes under the SDK name where the prefix differs (aws-sdk:sesv2 → ses:)', () => {
    const t = machine((stack) => chain(
      new tasks.CallAwsService(stack, 'Logs', { service: 'cloudwatchlogs', action: 'describeLogGroups', iamResources: ['*'] }),
      new tasks.CallAwsService(stack, 'Efs', { service: 'efs', action: 'describeFileSystems', iamResources: ['*'] }),
      new tasks.CallAwsService(stack, 'Sfn', { service: 'sfn', action: 'listStateMachines', iamResources: ['*'] }),
      new tasks.CallAwsService(stack, 'Email', { service: 'sesv2', action: 'sendEmail', iamResources: ['*'] }),
    ));
    const [report] = checkPermissions(t);
    expect(report.checks.map((c) => `${c.state} ${c.action} ${c.decision}`)).toEqual([
      'Logs logs:DescribeLogGroups allowed', 'Efs elasticfilesystem:DescribeFileSystems allowed', 'Sfn states:ListStateMachines allowed',
      // The CDK grants sesv2:SendEmail, an action IAM does not have; AWS authorizes SESv2 calls under ses:.
      'Email ses:SendEmail implicitDeny',
    ]);
    expect(summary(t).caught).toEqual(['elasticfilesystem:describeFileSystems', 'logs:describeLogGroups', 'states:listStateMachines']);
  });
});
