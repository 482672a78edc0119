import { TemplateResolver, type CfnTemplate } from '../../src/cfn/resolver';

/**
 * One row per resource type a Task names (its Resource, or a field of its
 * Parameters/Arguments): what CloudFormation's resource reference says `Ref`
 * returns for the type (the page's "Return values > Ref"), and the ARN
 * `Fn::GetAtt … Arn` gives where the type has one. The page named is the
 * CloudFormation template reference's page for the type.
 */
interface Row {
  readonly type: string;
  readonly page: string;
  readonly properties: Record<string, unknown>;
  /** What Ref returns: a name, an id, an ARN or a URL. */
  readonly ref: string | RegExp;
  readonly arn?: string;
  readonly attributes?: Record<string, string | RegExp>;
}

const ARN = 'arn:aws:';
const AT = 'us-east-1:123456789012';

const ROWS: Row[] = [
  { type: 'AWS::Lambda::Function', page: 'aws-resource-lambda-function', properties: { FunctionName: 'charge' }, ref: 'charge', arn: `${ARN}lambda:${AT}:function:charge` },
  { type: 'AWS::Lambda::Version', page: 'aws-resource-lambda-version', properties: { FunctionName: 'charge' }, ref: `${ARN}lambda:${AT}:function:charge:1` },
  { type: 'AWS::Lambda::Alias', page: 'aws-resource-lambda-alias', properties: { FunctionName: 'charge', Name: 'live' }, ref: `${ARN}lambda:${AT}:function:charge:live` },
  { type: 'AWS::SQS::Queue', page: 'aws-resource-sqs-queue (Ref: the queue URL)', properties: { QueueName: 'jobs' }, ref: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs', arn: `${ARN}sqs:${AT}:jobs` },
  { type: 'AWS::SNS::Topic', page: 'aws-resource-sns-topic (Ref: the topic ARN)', properties: { TopicName: 'news' }, ref: `${ARN}sns:${AT}:news` },
  { type: 'AWS::DynamoDB::Table', page: 'aws-resource-dynamodb-table', properties: { TableName: 'reviews' }, ref: 'reviews', arn: `${ARN}dynamodb:${AT}:table/reviews` },
  {
    type: 'AWS::DynamoDB::GlobalTable',
    page: 'aws-resource-dynamodb-globaltable (Ref: the table name)',
    properties: { TableName: 'reviews' },
    ref: 'reviews',
    arn: `${ARN}dynamodb:${AT}:table/reviews`,
    attributes: { StreamArn: /^arn:aws:dynamodb:us-east-1:123456789012:table\/reviews\/stream\//, TableId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ },
  },
  { type: 'AWS::ECS::Cluster', page: 'aws-resource-ecs-cluster', properties: { ClusterName: 'work' }, ref: 'work', arn: `${ARN}ecs:${AT}:cluster/work` },
  { type: 'AWS::ECS::TaskDefinition', page: 'aws-resource-ecs-taskdefinition (Ref: the ARN)', properties: { Family: 'build' }, ref: `${ARN}ecs:${AT}:task-definition/build:1` },
  { type: 'AWS::ECS::Service', page: 'aws-resource-ecs-service (Ref: the ARN)', properties: { ServiceName: 'web', Cluster: 'work' }, ref: `${ARN}ecs:${AT}:service/work/web`, attributes: { Name: 'web' } },
  { type: 'AWS::Batch::JobQueue', page: 'aws-resource-batch-jobqueue (Ref: the ARN)', properties: { JobQueueName: 'q' }, ref: `${ARN}batch:${AT}:job-queue/q` },
  { type: 'AWS::Batch::JobDefinition', page: 'aws-resource-batch-jobdefinition (Ref: the ARN)', properties: { JobDefinitionName: 'd' }, ref: `${ARN}batch:${AT}:job-definition/d:1` },
  { type: 'AWS::Batch::ComputeEnvironment', page: 'aws-resource-batch-computeenvironment (Ref: the ARN)', properties: { ComputeEnvironmentName: 'c' }, ref: `${ARN}batch:${AT}:compute-environment/c` },
  { type: 'AWS::Glue::Job', page: 'aws-resource-glue-job', properties: { Name: 'etl' }, ref: 'etl' },
  { type: 'AWS::Glue::Crawler', page: 'aws-resource-glue-crawler', properties: { Name: 'crawl' }, ref: 'crawl' },
  { type: 'AWS::Glue::Workflow', page: 'aws-resource-glue-workflow', properties: { Name: 'flow' }, ref: 'flow' },
  { type: 'AWS::Glue::Trigger', page: 'aws-resource-glue-trigger', properties: { Name: 'nightly' }, ref: 'nightly' },
  { type: 'AWS::Glue::Database', page: 'aws-resource-glue-database', properties: { DatabaseInput: { Name: 'sales' } }, ref: 'sales' },
  { type: 'AWS::Glue::Table', page: 'aws-resource-glue-table', properties: { DatabaseName: 'sales', TableInput: { Name: 'orders' } }, ref: 'orders' },
  { type: 'AWS::DataBrew::Job', page: 'aws-resource-databrew-job', properties: { Name: 'clean' }, ref: 'clean' },
  { type: 'AWS::Events::EventBus', page: 'aws-resource-events-eventbus (Ref: the bus name)', properties: { Name: 'orders' }, ref: 'orders', arn: `${ARN}events:${AT}:event-bus/orders` },
  {
    type: 'AWS::Events::Connection',
    page: 'aws-resource-events-connection (SecretArn: the secret EventBridge creates; call-https-apis: secret:events!connection/*)',
    properties: { Name: 'api' },
    ref: 'api',
    arn: `${ARN}events:${AT}:connection/api`,
    attributes: { SecretArn: /^arn:aws:secretsmanager:us-east-1:123456789012:secret:events!connection\/api\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{6}$/ },
  },
  { type: 'AWS::Events::ApiDestination', page: 'aws-resource-events-apidestination', properties: { Name: 'hook' }, ref: 'hook' },
  { type: 'AWS::StepFunctions::StateMachine', page: 'aws-resource-stepfunctions-statemachine (Ref: the ARN)', properties: { StateMachineName: 'child' }, ref: `${ARN}states:${AT}:stateMachine:child` },
  { type: 'AWS::StepFunctions::Activity', page: 'aws-resource-stepfunctions-activity (Ref: the ARN)', properties: { Name: 'approve' }, ref: `${ARN}states:${AT}:activity:approve` },
  { type: 'AWS::S3::Bucket', page: 'aws-resource-s3-bucket', properties: { BucketName: 'reports' }, ref: 'reports', arn: 'arn:aws:s3:::reports' },
  { type: 'AWS::Athena::WorkGroup', page: 'aws-resource-athena-workgroup', properties: { Name: 'primary' }, ref: 'primary' },
  { type: 'AWS::Athena::DataCatalog', page: 'aws-resource-athena-datacatalog', properties: { Name: 'cat' }, ref: 'cat' },
  { type: 'AWS::Athena::NamedQuery', page: 'aws-resource-athena-namedquery (Ref: the query id)', properties: { Name: 'q' }, ref: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ },
  { type: 'AWS::CodeBuild::Project', page: 'aws-resource-codebuild-project', properties: { Name: 'build' }, ref: 'build', arn: `${ARN}codebuild:${AT}:project/build` },
  { type: 'AWS::SageMaker::Model', page: 'aws-resource-sagemaker-model (Ref: the ARN)', properties: { ModelName: 'Scorer' }, ref: `${ARN}sagemaker:${AT}:model/scorer`, attributes: { ModelName: 'Scorer' } },
  { type: 'AWS::SageMaker::EndpointConfig', page: 'aws-resource-sagemaker-endpointconfig (Ref: the ARN)', properties: { EndpointConfigName: 'cfg' }, ref: `${ARN}sagemaker:${AT}:endpoint-config/cfg`, attributes: { EndpointConfigName: 'cfg' } },
  { type: 'AWS::SageMaker::Endpoint', page: 'aws-resource-sagemaker-endpoint (Ref: the ARN)', properties: { EndpointName: 'live' }, ref: `${ARN}sagemaker:${AT}:endpoint/live`, attributes: { EndpointName: 'live' } },
  { type: 'AWS::SageMaker::Pipeline', page: 'aws-resource-sagemaker-pipeline', properties: { PipelineName: 'train' }, ref: 'train' },
  { type: 'AWS::EMR::Cluster', page: 'aws-resource-emr-cluster (Ref: the cluster id)', properties: { Name: 'spark' }, ref: /^j-[0-9A-F]{13}$/ },
  {
    type: 'AWS::EMRContainers::VirtualCluster',
    page: 'aws-resource-emrcontainers-virtualcluster (Ref: the virtual cluster id)',
    properties: { Name: 'vc' },
    ref: /^[0-9a-f]{25}$/,
    arn: undefined,
    attributes: { Arn: /^arn:aws:emr-containers:us-east-1:123456789012:\/virtualclusters\/[0-9a-f]{25}$/ },
  },
  { type: 'AWS::EMRServerless::Application', page: 'aws-resource-emrserverless-application (Ref: the application id)', properties: { Name: 'app' }, ref: /^[0-9a-f]{16}$/ },
  { type: 'AWS::EKS::Cluster', page: 'aws-resource-eks-cluster', properties: { Name: 'prod' }, ref: 'prod', arn: `${ARN}eks:${AT}:cluster/prod` },
  { type: 'AWS::MediaConvert::JobTemplate', page: 'aws-resource-mediaconvert-jobtemplate', properties: { Name: 'dash' }, ref: 'dash' },
  { type: 'AWS::MediaConvert::Queue', page: 'aws-resource-mediaconvert-queue', properties: { Name: 'fast' }, ref: 'fast' },
  { type: 'AWS::ApiGateway::RestApi', page: 'aws-resource-apigateway-restapi (Ref: the API id)', properties: { Name: 'shop' }, ref: /^[0-9a-f]{10}$/ },
  { type: 'AWS::ApiGatewayV2::Api', page: 'aws-resource-apigatewayv2-api (Ref: the API id)', properties: { Name: 'shop' }, ref: /^[0-9a-f]{10}$/ },
  { type: 'AWS::SecretsManager::Secret', page: 'aws-resource-secretsmanager-secret (Ref: the ARN)', properties: { Name: 'token' }, ref: /^arn:aws:secretsmanager:us-east-1:123456789012:secret:token-[0-9a-f]{6}$/ },
  { type: 'AWS::Kinesis::Stream', page: 'aws-resource-kinesis-stream', properties: { Name: 'clicks' }, ref: 'clicks' },
  { type: 'AWS::KinesisFirehose::DeliveryStream', page: 'aws-resource-kinesisfirehose-deliverystream', properties: { DeliveryStreamName: 'logs' }, ref: 'logs' },
  { type: 'AWS::Scheduler::Schedule', page: 'aws-resource-scheduler-schedule', properties: { Name: 'tick' }, ref: 'tick' },
  { type: 'AWS::SSM::Parameter', page: 'aws-resource-ssm-parameter', properties: { Name: '/app/flag' }, ref: '/app/flag' },
  { type: 'AWS::Logs::LogGroup', page: 'aws-resource-logs-loggroup', properties: { LogGroupName: 'audit' }, ref: 'audit' },
  { type: 'AWS::IAM::Role', page: 'aws-resource-iam-role', properties: { RoleName: 'runner' }, ref: 'runner', arn: 'arn:aws:iam::123456789012:role/runner' },
];

function resolverFor(row: Row): TemplateResolver {
  const template: CfnTemplate = { Resources: { It: { Type: row.type, Properties: row.properties } } };
  return new TemplateResolver(template);
}

const scope = { location: 'Definition', record: (): void => undefined };

describe('TemplateResolver: Ref and Fn::GetAtt of every resource type a Task names, as the CloudFormation reference documents them', () => {
  it.each(ROWS.map((row) => [row.type, row.page, row] as const))('%s: Ref returns what %s says', (_type, _page, row) => {
    const resolver = resolverFor(row);
    const ref = resolver.resolve({ Ref: 'It' }, scope);
    if (row.ref instanceof RegExp) expect(ref).toMatch(row.ref);
    else expect(ref).toBe(row.ref);
    if (row.arn !== undefined) expect(resolver.resolve({ 'Fn::GetAtt': ['It', 'Arn'] }, scope)).toBe(row.arn);
    for (const [attribute, expected] of Object.entries(row.attributes ?? {})) {
      const value = resolver.resolve({ 'Fn::GetAtt': ['It', attribute] }, scope);
      if (expected instanceof RegExp) expect(value).toMatch(expected);
      else expect(value).toBe(expected);
    }
  });

  it('never gives a type in the list its logical id for Ref: each row names the resource as AWS does', () => {
    for (const row of ROWS) expect(resolverFor(row).resolve({ Ref: 'It' }, scope)).not.toBe('It');
  });

  it('gives an id-typed resource the same id for Ref and for its id attribute', () => {
    const ids: Array<[string, string]> = [
      ['AWS::EMRContainers::VirtualCluster', 'Id'],
      ['AWS::EMRServerless::Application', 'ApplicationId'],
      ['AWS::Athena::NamedQuery', 'NamedQueryId'],
      ['AWS::ApiGatewayV2::Api', 'ApiId'],
    ];
    for (const [type, attribute] of ids) {
      const resolver = resolverFor({ type, page: '', properties: {}, ref: '' });
      expect(resolver.resolve({ 'Fn::GetAtt': ['It', attribute] }, scope)).toBe(resolver.resolve({ Ref: 'It' }, scope));
    }
  });

  it('names a GlobalTable without TableName by its logical id, as a Table without one', () => {
    const template: CfnTemplate = { Resources: { Reviews: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'us-east-1' }] } } } };
    const resolver = new TemplateResolver(template);
    expect(resolver.resolve({ Ref: 'Reviews' }, scope)).toBe('Reviews');
    expect(resolver.resolve({ 'Fn::GetAtt': ['Reviews', 'Arn'] }, scope)).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/Reviews');
  });

  it('puts an ECS service under the cluster its Cluster property names, by name or by ARN', () => {
    const template: CfnTemplate = {
      Resources: {
        Work: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: 'work' } },
        Web: { Type: 'AWS::ECS::Service', Properties: { ServiceName: 'web', Cluster: { 'Fn::GetAtt': ['Work', 'Arn'] } } },
      },
    };
    expect(new TemplateResolver(template).resolve({ Ref: 'Web' }, scope)).toBe('arn:aws:ecs:us-east-1:123456789012:service/work/web');
  });
});
