import { createHash } from 'node:crypto';
import type { CfnResource } from './resolver';
import type { InlineCode } from './template-resources';
import { awsArn } from '../asl/aws-defaults';

/**
 * What a resource-type rule needs to build the values `Ref` and `Fn::GetAtt`
 * return for one resource.
 * @internal
 */
export interface ResourceContext {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly urlSuffix: string;
  /**
   * A property of the resource resolved to a string, or undefined when it is
   * absent or does not resolve to a string.
   */
  prop(name: string): string | undefined;
  /** A property of the resource resolved to any JSON value, or undefined when absent or unresolvable. */
  value(name: string): unknown;
  /** A stable identifier derived from the logical id, for resources AWS names with random ids. */
  hex(length: number): string;
  /**
   * The number of this version resource among the versions of the same
   * function or state machine, named by the `groupBy` property.
   * @default groupBy 'FunctionName'
   */
  ordinal(groupBy?: string): number;
}

/** How the `Ref` and `Fn::GetAtt` values of one resource type look. @internal */
export interface ResourceTypeRule {
  /** Attribute values other than `Arn`. */
  attributes?: Record<string, (ctx: ResourceContext, name: string, arn: string | undefined) => string>;
  /** The resource's physical name, from its name property or its logical id. */
  name(ctx: ResourceContext): string;
  /** The resource's ARN, when it has one. */
  arn?(ctx: ResourceContext, name: string): string;
  /** What `Ref` returns, as CloudFormation documents it for this type. */
  ref(ctx: ResourceContext, name: string, arn: string | undefined): string;
}

const byName = (prop: string) => (ctx: ResourceContext): string => ctx.prop(prop) ?? ctx.logicalId;
const refName: ResourceTypeRule['ref'] = (_ctx, name) => name;
const refArn: ResourceTypeRule['ref'] = (_ctx, name, arn) => arn ?? name;
const regional = (service: string, resource: (name: string) => string) =>
  (ctx: ResourceContext, name: string): string => awsArn(ctx.partition, service, ctx.region, ctx.account, resource(name));

/** The unqualified name of a Lambda function given by name or by (possibly qualified) ARN. */
function functionNameOf(value: string): string {
  const match = /:function:([^:]+)/.exec(value);
  return match ? match[1] : value;
}

function lambdaFunctionName(ctx: ResourceContext): string {
  return functionNameOf(ctx.prop('FunctionName') ?? ctx.logicalId);
}

const lambdaArn = (ctx: ResourceContext, fn: string): string =>
  awsArn(ctx.partition, 'lambda', ctx.region, ctx.account, `function:${fn}`);

/** The name in a (possibly qualified) state machine ARN. */
function stateMachineNameOf(arn: string): string {
  const match = /:stateMachine:([^:]+)/.exec(arn);
  return match ? match[1] : arn;
}

/** A state machine ARN without its version or alias qualifier. */
function unqualifiedStateMachineArn(ctx: ResourceContext, arn: string | undefined): string {
  if (arn === undefined) return awsArn(ctx.partition, 'states', ctx.region, ctx.account, `stateMachine:${ctx.logicalId}`);
  const parts = arn.split(':');
  return parts.slice(0, 7).join(':');
}

/** The version ARN an alias points to: the deployment's target, else the first route. */
function aliasVersionArn(ctx: ResourceContext): string | undefined {
  const deployment = ctx.value('DeploymentPreference') as { StateMachineVersionArn?: unknown } | undefined;
  const routing = ctx.value('RoutingConfiguration') as Array<{ StateMachineVersionArn?: unknown }> | undefined;
  const arn = deployment?.StateMachineVersionArn ?? routing?.[0]?.StateMachineVersionArn;
  return typeof arn === 'string' ? arn : undefined;
}

/** The last `/`-separated part of a name or ARN (an ECS cluster given by ARN, say). */
function lastSegment(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1);
}

/** A string member of an object property (`DatabaseInput.Name`), or undefined. */
function nested(ctx: ResourceContext, property: string, member: string): string | undefined {
  const value = ctx.value(property);
  const inner = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[member] : undefined;
  return typeof inner === 'string' ? inner : undefined;
}

/** A stable UUID-shaped string, for resources whose ids are UUIDs (KMS keys, stacks). */
function uuidOf(ctx: ResourceContext): string {
  const h = ctx.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Rules for the resource types state machines refer to. Each follows the
 * CloudFormation reference's "Return values" section for that type, so that a
 * placeholder is shaped like the value a deployed stack would splice in.
 * @internal
 */
export const RESOURCE_TYPES: Record<string, ResourceTypeRule> = {
  'AWS::Lambda::Function': {
    name: byName('FunctionName'),
    arn: (ctx, name) => lambdaArn(ctx, name),
    ref: refName,
  },
  'AWS::Lambda::Version': {
    name: lambdaFunctionName,
    // Ref of a version is the version-qualified ARN; versions count from 1 per template.
    arn: (ctx, fn) => `${lambdaArn(ctx, fn)}:${ctx.ordinal()}`,
    ref: refArn,
    attributes: { Version: (ctx) => String(ctx.ordinal()), FunctionArn: (_c, _n, arn) => arn! },
  },
  'AWS::Lambda::Alias': {
    name: lambdaFunctionName,
    arn: (ctx, fn) => `${lambdaArn(ctx, fn)}:${ctx.prop('Name') ?? ctx.logicalId}`,
    ref: refArn,
    attributes: { AliasArn: (_c, _n, arn) => arn! },
  },
  'AWS::StepFunctions::StateMachine': {
    name: byName('StateMachineName'),
    arn: regional('states', (n) => `stateMachine:${n}`),
    ref: refArn,
  },
  'AWS::StepFunctions::StateMachineVersion': {
    // Ref and Arn are the version ARN: the machine's ARN and the version number.
    name: (ctx) => stateMachineNameOf(ctx.prop('StateMachineArn') ?? ctx.logicalId),
    arn: (ctx) => `${unqualifiedStateMachineArn(ctx, ctx.prop('StateMachineArn'))}:${ctx.ordinal('StateMachineArn')}`,
    ref: refArn,
  },
  'AWS::StepFunctions::StateMachineAlias': {
    // The alias ARN is the ARN of the machine its versions belong to, qualified by the alias name.
    name: byName('Name'),
    arn: (ctx, name) => `${unqualifiedStateMachineArn(ctx, aliasVersionArn(ctx))}:${name}`,
    ref: refArn,
  },
  'AWS::CloudWatch::Alarm': {
    // Alias deployments name their rollback alarms by Ref, which is the alarm name.
    name: byName('AlarmName'),
    arn: regional('cloudwatch', (n) => `alarm:${n}`),
    ref: refName,
  },
  'AWS::StepFunctions::Activity': {
    name: byName('Name'),
    arn: regional('states', (n) => `activity:${n}`),
    ref: refArn,
  },
  'AWS::DynamoDB::Table': {
    name: byName('TableName'),
    arn: regional('dynamodb', (n) => `table/${n}`),
    ref: refName,
    attributes: { StreamArn: (_c, _n, arn) => `${arn}/stream/1970-01-01T00:00:00.000` },
  },
  'AWS::DynamoDB::GlobalTable': {
    // TableV2's resource. Ref is the table name, as for AWS::DynamoDB::Table; Arn is the replica's in this region.
    name: byName('TableName'),
    arn: regional('dynamodb', (n) => `table/${n}`),
    ref: refName,
    attributes: {
      StreamArn: (_c, _n, arn) => `${arn}/stream/1970-01-01T00:00:00.000`,
      TableId: uuidOf,
    },
  },
  'AWS::SNS::Topic': {
    name: byName('TopicName'),
    arn: regional('sns', (n) => n),
    ref: refArn,
    attributes: { TopicArn: (_c, _n, arn) => arn!, TopicName: (_c, n) => n },
  },
  'AWS::SQS::Queue': {
    name: (ctx) => {
      const name = ctx.prop('QueueName') ?? ctx.logicalId;
      return ctx.prop('FifoQueue') === 'true' && !name.endsWith('.fifo') ? `${name}.fifo` : name;
    },
    arn: regional('sqs', (n) => n),
    ref: (ctx, name) => `https://sqs.${ctx.region}.${ctx.urlSuffix}/${ctx.account}/${name}`,
    attributes: {
      QueueUrl: (ctx, name) => `https://sqs.${ctx.region}.${ctx.urlSuffix}/${ctx.account}/${name}`,
      QueueName: (_c, n) => n,
    },
  },
  'AWS::S3::Bucket': {
    // Bucket names are lower case; logical ids are not.
    name: (ctx) => ctx.prop('BucketName') ?? ctx.logicalId.toLowerCase(),
    arn: (ctx, n) => awsArn(ctx.partition, 's3', '', '', n),
    ref: refName,
    attributes: {
      DomainName: (ctx, n) => `${n}.s3.${ctx.urlSuffix}`,
      RegionalDomainName: (ctx, n) => `${n}.s3.${ctx.region}.${ctx.urlSuffix}`,
      DualStackDomainName: (ctx, n) => `${n}.s3.dualstack.${ctx.region}.${ctx.urlSuffix}`,
      WebsiteURL: (ctx, n) => `http://${n}.s3-website-${ctx.region}.${ctx.urlSuffix}`,
    },
  },
  'AWS::IAM::Role': {
    name: byName('RoleName'),
    arn: (ctx, n) => awsArn(ctx.partition, 'iam', '', ctx.account, `role${ctx.prop('Path') ?? '/'}${n}`),
    ref: refName,
    attributes: { RoleId: (ctx) => `AROA${ctx.hex(17).toUpperCase()}` },
  },
  'AWS::Events::EventBus': {
    name: byName('Name'),
    arn: regional('events', (n) => `event-bus/${n}`),
    ref: refName,
  },
  'AWS::Events::Connection': {
    name: byName('Name'),
    arn: regional('events', (n) => `connection/${n}`),
    ref: refName,
    // The secret EventBridge creates in Secrets Manager for the connection ("Call HTTPS APIs", Step Functions
    // Developer Guide: `secret:events!connection/*`), named by the connection and a suffix EventBridge chooses.
    attributes: {
      SecretArn: (ctx, n) => awsArn(ctx.partition, 'secretsmanager', ctx.region, ctx.account, `secret:events!connection/${n}/${uuidOf(ctx)}-${ctx.hex(6)}`),
    },
  },
  'AWS::Events::ApiDestination': {
    name: byName('Name'),
    arn: regional('events', (n) => `api-destination/${n}`),
    ref: refName,
  },
  'AWS::ECS::Cluster': {
    name: byName('ClusterName'),
    arn: regional('ecs', (n) => `cluster/${n}`),
    ref: refName,
  },
  'AWS::ECS::TaskDefinition': {
    name: byName('Family'),
    arn: regional('ecs', (n) => `task-definition/${n}:1`),
    ref: refArn,
    attributes: { TaskDefinitionArn: (_c, _n, arn) => arn! },
  },
  'AWS::Batch::JobQueue': {
    name: byName('JobQueueName'),
    arn: regional('batch', (n) => `job-queue/${n}`),
    ref: refArn,
    attributes: { JobQueueArn: (_c, _n, arn) => arn! },
  },
  'AWS::ECS::Service': {
    name: byName('ServiceName'),
    arn: (ctx, n) => awsArn(ctx.partition, 'ecs', ctx.region, ctx.account, `service/${lastSegment(ctx.prop('Cluster') ?? 'default')}/${n}`),
    ref: refArn,
    attributes: { ServiceArn: (_c, _n, arn) => arn!, Name: (_c, n) => n },
  },
  'AWS::Batch::ComputeEnvironment': {
    name: byName('ComputeEnvironmentName'),
    arn: regional('batch', (n) => `compute-environment/${n}`),
    ref: refArn,
    attributes: { ComputeEnvironmentArn: (_c, _n, arn) => arn! },
  },
  'AWS::Batch::JobDefinition': {
    name: byName('JobDefinitionName'),
    arn: regional('batch', (n) => `job-definition/${n}:1`),
    ref: refArn,
  },
  'AWS::EC2::Subnet': {
    name: (ctx) => `subnet-${ctx.hex(17)}`,
    ref: refName,
    attributes: { SubnetId: (_c, n) => n },
  },
  'AWS::EC2::SecurityGroup': {
    name: (ctx) => `sg-${ctx.hex(17)}`,
    ref: refName,
    attributes: { GroupId: (_c, n) => n },
  },
  'AWS::EC2::VPC': {
    name: (ctx) => `vpc-${ctx.hex(17)}`,
    ref: refName,
    attributes: { VpcId: (_c, n) => n },
  },
  'AWS::KMS::Key': {
    name: uuidOf,
    arn: regional('kms', (n) => `key/${n}`),
    ref: refName,
    attributes: { KeyId: (_c, n) => n },
  },
  'AWS::ApiGateway::RestApi': {
    name: (ctx) => ctx.hex(10),
    ref: refName,
    attributes: { RestApiId: (_c, n) => n, RootResourceId: (ctx) => ctx.hex(20).slice(10) },
  },
  'AWS::ApiGateway::Stage': {
    name: byName('StageName'),
    ref: refName,
  },
  'AWS::CodeBuild::Project': {
    name: byName('Name'),
    arn: regional('codebuild', (n) => `project/${n}`),
    ref: refName,
  },
  'AWS::Glue::Job': {
    name: byName('Name'),
    arn: regional('glue', (n) => `job/${n}`),
    ref: refName,
  },
  'AWS::Glue::Crawler': {
    name: byName('Name'),
    arn: regional('glue', (n) => `crawler/${n}`),
    ref: refName,
  },
  'AWS::Glue::Workflow': {
    name: byName('Name'),
    arn: regional('glue', (n) => `workflow/${n}`),
    ref: refName,
  },
  'AWS::Glue::Trigger': {
    name: byName('Name'),
    arn: regional('glue', (n) => `trigger/${n}`),
    ref: refName,
  },
  'AWS::Glue::Database': {
    // The name sits inside DatabaseInput.
    name: (ctx) => nested(ctx, 'DatabaseInput', 'Name') ?? ctx.logicalId,
    arn: regional('glue', (n) => `database/${n}`),
    ref: refName,
  },
  'AWS::Glue::Table': {
    name: (ctx) => nested(ctx, 'TableInput', 'Name') ?? ctx.logicalId,
    arn: (ctx, n) => regional('glue', (x) => `table/${ctx.prop('DatabaseName') ?? 'default'}/${x}`)(ctx, n),
    ref: refName,
  },
  'AWS::DataBrew::Job': {
    name: byName('Name'),
    arn: regional('databrew', (n) => `job/${n}`),
    ref: refName,
  },
  'AWS::EKS::Cluster': {
    name: byName('Name'),
    arn: regional('eks', (n) => `cluster/${n}`),
    ref: refName,
  },
  'AWS::EMR::Cluster': {
    // Ref is the cluster id (j-…), which every EMR Task takes as ClusterId.
    name: (ctx) => `j-${ctx.hex(13).toUpperCase()}`,
    arn: regional('elasticmapreduce', (n) => `cluster/${n}`),
    ref: refName,
  },
  'AWS::EMRContainers::VirtualCluster': {
    // Ref is the virtual cluster's id, as GetAtt Id is.
    name: (ctx) => ctx.hex(25),
    arn: regional('emr-containers', (n) => `/virtualclusters/${n}`),
    ref: refName,
    attributes: { Id: (_c, n) => n },
  },
  'AWS::EMRServerless::Application': {
    // Ref is the application id, as GetAtt ApplicationId is; the Name property is not it.
    name: (ctx) => ctx.hex(16),
    arn: regional('emr-serverless', (n) => `/applications/${n}`),
    ref: refName,
    attributes: { ApplicationId: (_c, n) => n },
  },
  'AWS::SageMaker::Model': {
    name: byName('ModelName'),
    arn: regional('sagemaker', (n) => `model/${n.toLowerCase()}`),
    ref: refArn,
    attributes: { ModelName: (_c, n) => n },
  },
  'AWS::SageMaker::EndpointConfig': {
    name: byName('EndpointConfigName'),
    arn: regional('sagemaker', (n) => `endpoint-config/${n.toLowerCase()}`),
    ref: refArn,
    attributes: { EndpointConfigName: (_c, n) => n },
  },
  'AWS::SageMaker::Endpoint': {
    name: byName('EndpointName'),
    arn: regional('sagemaker', (n) => `endpoint/${n.toLowerCase()}`),
    ref: refArn,
    attributes: { EndpointName: (_c, n) => n },
  },
  'AWS::SageMaker::Pipeline': {
    name: byName('PipelineName'),
    arn: regional('sagemaker', (n) => `pipeline/${n.toLowerCase()}`),
    ref: refName,
  },
  'AWS::MediaConvert::JobTemplate': {
    name: byName('Name'),
    arn: regional('mediaconvert', (n) => `jobTemplates/${n}`),
    ref: refName,
  },
  'AWS::MediaConvert::Queue': {
    name: byName('Name'),
    arn: regional('mediaconvert', (n) => `queues/${n}`),
    ref: refName,
  },
  'AWS::ApiGatewayV2::Api': {
    name: (ctx) => ctx.hex(10),
    ref: refName,
    attributes: { ApiId: (_c, n) => n, ApiEndpoint: (ctx, n) => `https://${n}.execute-api.${ctx.region}.${ctx.urlSuffix}` },
  },
  'AWS::KinesisFirehose::DeliveryStream': {
    name: byName('DeliveryStreamName'),
    arn: regional('firehose', (n) => `deliverystream/${n}`),
    ref: refName,
  },
  'AWS::Scheduler::Schedule': {
    name: byName('Name'),
    arn: regional('scheduler', (n) => `schedule/default/${n}`),
    ref: refName,
  },
  'AWS::Logs::LogGroup': {
    name: byName('LogGroupName'),
    arn: regional('logs', (n) => `log-group:${n}:*`),
    ref: refName,
  },
  'AWS::Scheduler::ScheduleGroup': {
    name: byName('Name'),
    arn: regional('scheduler', (n) => `schedule-group/${n}`),
    ref: refName,
  },
  'AWS::Kinesis::Stream': {
    name: byName('Name'),
    arn: regional('kinesis', (n) => `stream/${n}`),
    ref: refName,
  },
  'AWS::SecretsManager::Secret': {
    name: byName('Name'),
    arn: (ctx, n) => regional('secretsmanager', (x) => `secret:${x}-${ctx.hex(6)}`)(ctx, n),
    ref: refArn,
  },
  'AWS::SSM::Parameter': {
    name: byName('Name'),
    arn: (ctx, n) => awsArn(ctx.partition, 'ssm', ctx.region, ctx.account, `parameter/${n.replace(/^\//, '')}`),
    ref: refName,
  },
  'AWS::Athena::WorkGroup': {
    name: byName('Name'),
    arn: regional('athena', (n) => `workgroup/${n}`),
    ref: refName,
  },
  'AWS::Athena::DataCatalog': {
    name: byName('Name'),
    arn: regional('athena', (n) => `datacatalog/${n}`),
    ref: refName,
  },
  'AWS::Athena::NamedQuery': {
    // Ref is the query's id, a UUID.
    name: uuidOf,
    ref: refName,
    attributes: { NamedQueryId: (_c, n) => n },
  },
};

/**
 * The rule for a type with no entry in {@link RESOURCE_TYPES}: `Ref` gives the
 * logical id as a name (what most types return), and `Arn` an ARN in the
 * type's service named after the type, e.g. `arn:aws:glue:…:database/MyDb`.
 * @internal
 */
export function fallbackRule(resourceType: string): ResourceTypeRule {
  const [, service, kind] = resourceType.split('::');
  const custom = !resourceType.startsWith('AWS::');
  return {
    name: (ctx) => ctx.logicalId,
    arn: custom || !service || !kind ? undefined : regional(service.toLowerCase(), (n) => `${kind.toLowerCase()}/${n}`),
    ref: refName,
  };
}

/** A hex string of the given length, stable for the given seed. @internal */
export function stableHex(seed: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    out += createHash('sha256').update(`${seed}#${i}`).digest('hex');
  }
  return out.slice(0, length);
}

/** A UUID-shaped id (8-4-4-4-12 hex digits), stable for the given seed, as in a stack's id. @internal */
export function stableUuid(seed: string): string {
  const h = stableHex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A Lambda function's inline code (`Code.ZipFile`), its handler and runtime; undefined for any other resource. @internal */
export function inlineCodeOf(resource: CfnResource | undefined): InlineCode | undefined {
  if (resource?.Type !== 'AWS::Lambda::Function') return undefined;
  const p = resource.Properties ?? {};
  const source = (p.Code as { ZipFile?: unknown } | undefined)?.ZipFile;
  if (typeof source !== 'string' || typeof p.Handler !== 'string') return undefined;
  return { source, handler: p.Handler, ...(typeof p.Runtime === 'string' ? { runtime: p.Runtime } : {}) };
}

/**
 * The value of an attribute the rule does not list: names and ids by name,
 * ARNs by ARN, anything else as `<LogicalId>.<Attribute>` — stable, unique and
 * recognisable in a snapshot.
 * @internal
 */
export function genericAttribute(logicalId: string, attribute: string, name: string, arn: string | undefined): string {
  if (arn !== undefined && /Arn$/.test(attribute)) return arn;
  if (/(^|[a-z])(Name|Id)$/.test(attribute) && !attribute.includes('.')) return name;
  return `${logicalId}.${attribute}`;
}
