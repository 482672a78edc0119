/**
 * Which IAM actions, on which resources, the state machine's role needs for
 * each Step Functions integration.
 *
 * Source: the AWS Step Functions Developer Guide, "IAM policies for
 * integrated services" (one page per service, linked from each row as `doc`),
 * "Using AWS SDK service integrations" for the generic `aws-sdk:` integration,
 * and "IAM policies for using Distributed Map states". Where a page lists a
 * permission only some calls need (S3 and Glue for an Athena query, KMS for
 * an encrypted queue) it is left out: it depends on data the definition does
 * not show, and a guess would be a false alarm.
 */
import type { JsonValue, MapState, TaskState } from '../asl/types';

const DOCS = 'https://docs.aws.amazon.com/step-functions/latest/dg/';

/** One permission a Task (or a Map's reader/writer) needs. */
export interface Requirement {
  /** `service:Action`. */
  readonly action: string;
  /** The resource ARN, or undefined when it is only known at run time (a `.$` or JSONata value). */
  readonly resource?: string;
  /** Why it is needed, for messages. */
  readonly why: string;
  /**
   * Needed only for part of the integration's life (redriving a Map Run),
   * or listed by the docs where deployed stacks show it is not enforced:
   * reported as a warning when missing, not an error.
   * @default false
   */
  readonly optional?: boolean;
  /** Values of condition keys the request carries, when known (`states:HTTPMethod`, `iam:PassedToService`). */
  readonly context?: Readonly<Record<string, string>>;
}

/** What the table answers for one Task resource. */
export interface IntegrationPermissions {
  /** The row that matched, e.g. `lambda:invoke` or `aws-sdk:s3:getObject`. */
  readonly integration: string;
  /** Page of the Step Functions Developer Guide the row comes from. */
  readonly doc: string;
  readonly requirements: readonly Requirement[];
  /** Set when the integration is not in the table: nothing is checked, and this says why. */
  readonly unknown?: string;
  /** The CDK call that grants these permissions, when there is one. */
  readonly grant?: string;
  /** Prefix of the AccessDenied error name AWS reports for this integration (`Lambda`, `DynamoDB`). */
  readonly errorService: string;
}

/** Where a Task runs: the values an ARN needs, and the Task's static arguments. */
export interface TaskContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** ARN of the state machine the Task belongs to. */
  readonly stateMachineArn: string;
}

/** A static string argument, or undefined when it is absent or only known at run time. */
type Args = Readonly<Record<string, JsonValue>>;

function text(args: Args | undefined, ...path: string[]): string | undefined {
  let value: JsonValue | undefined = args;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Args)[key];
  }
  if (typeof value !== 'string' || value.startsWith('{%')) return undefined;
  return value;
}

function argsOf(state: { Parameters?: JsonValue; Arguments?: JsonValue }): Args | undefined {
  const a = state.Arguments ?? state.Parameters;
  return a !== null && typeof a === 'object' && !Array.isArray(a) ? a as Args : undefined;
}

const arn = (ctx: TaskContext, service: string, resource: string, region = ctx.region, account = ctx.account): string =>
  `arn:${ctx.partition}:${service}:${region}:${account}:${resource}`;

/** The function ARN a Lambda `FunctionName` (name, partial or full ARN, with or without qualifier) stands for. */
export function lambdaFunctionArn(ctx: TaskContext, name: string): string {
  if (name.startsWith('arn:')) return name;
  const partial = /^(\d{12}):function:(.+)$/.exec(name);
  if (partial) return arn(ctx, 'lambda', `function:${partial[2]}`, ctx.region, partial[1]);
  return arn(ctx, 'lambda', `function:${name}`);
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` → the queue ARN. */
export function queueArn(ctx: TaskContext, url: string): string | undefined {
  if (url.startsWith('arn:')) return url;
  const m = /^https?:\/\/(?:sqs\.)?([a-z0-9-]+)?\.?[^/]*\/(\d{12})\/([^/?]+)/.exec(url);
  if (!m) return undefined;
  // `https://sqs.<region>.amazonaws.com/...`, or the legacy `https://<region>.queue.amazonaws.com/...`.
  const region = (/sqs\.([a-z0-9-]+)\./.exec(url) ?? /\/\/([a-z0-9-]+)\.queue\./.exec(url))?.[1] ?? ctx.region;
  return arn(ctx, 'sqs', m[3], region, m[2]);
}

function named(ctx: TaskContext, service: string, kind: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.startsWith('arn:') ? value : arn(ctx, service, `${kind}${value}`);
}

/** IAM is global: a role's ARN has no region. */
function roleArn(ctx: TaskContext, role: string | undefined): string | undefined {
  if (role === undefined) return undefined;
  return role.startsWith('arn:') ? role : `arn:${ctx.partition}:iam::${ctx.account}:role/${role}`;
}

function s3Object(ctx: TaskContext, bucket: string | undefined, key: string | undefined): string | undefined {
  return bucket === undefined ? undefined : `arn:${ctx.partition}:s3:::${bucket}/${key ?? '*'}`;
}

function s3Uri(ctx: TaskContext, uri: string | undefined): string | undefined {
  const m = uri === undefined ? null : /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? `arn:${ctx.partition}:s3:::${m[1]}/${m[2] || '*'}` : undefined;
}

/** The EventBridge rule Step Functions manages to learn that a `.sync` job ended. */
function managedRule(ctx: TaskContext, rule: string, why: string): Requirement[] {
  const resource = arn(ctx, 'events', `rule/${rule}`);
  return ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({ action, resource, why }));
}

function each(actions: readonly string[], resource: string | undefined, why: string, extra: Partial<Requirement> = {}): Requirement[] {
  return actions.map((action) => ({ action, resource, why, ...extra }));
}

/** The three integration patterns a Resource may end with. */
export type IntegrationPattern = 'request' | 'sync' | 'waitForTaskToken';

/** One row of the table: an optimized integration, by `service:api` of `arn:aws:states:::service:api`. */
interface Row {
  readonly doc: string;
  readonly errorService: string;
  readonly grant?: string;
  readonly needs: (args: Args | undefined, ctx: TaskContext, pattern: IntegrationPattern) => Requirement[];
}

const lambdaInvoke: Row = {
  doc: `${DOCS}connect-lambda.html`,
  errorService: 'Lambda',
  grant: 'fn.grantInvoke(stateMachine) (for a version or alias, grant it on that version or alias)',
  needs: (args, ctx) => {
    const name = text(args, 'FunctionName');
    return [{ action: 'lambda:InvokeFunction', resource: name === undefined ? undefined : lambdaFunctionArn(ctx, name), why: 'to invoke the function (a qualified name needs the qualified ARN, or `:*`)' }];
  },
};

function dynamo(action: string): Row {
  return {
    doc: `${DOCS}connect-ddb.html`,
    errorService: 'DynamoDB',
    grant: 'table.grantReadWriteData(stateMachine)',
    needs: (args, ctx) => [{ action: `dynamodb:${action}`, resource: named(ctx, 'dynamodb', 'table/', text(args, 'TableName')), why: `to call ${action} on the table` }],
  };
}

function athena(action: string, sync: string[] = []): Row {
  return {
    doc: `${DOCS}athena-iam.html`,
    errorService: 'Athena',
    needs: (args, ctx, pattern) => {
      const workgroup = text(args, 'WorkGroup') ?? (action === 'startQueryExecution' ? 'primary' : undefined);
      const resource = workgroup === undefined ? undefined : arn(ctx, 'athena', `workgroup/${workgroup}`);
      return [
        ...each([`athena:${action}`], resource, `to call ${action}`),
        ...(pattern === 'sync' ? each(sync.map((a) => `athena:${a}`), resource, 'to follow the query to its end (.sync)') : []),
      ];
    },
  };
}

/**
 * The optimized integrations, by `service:api`. Each lists the permissions
 * its Developer Guide page names for the role of the state machine.
 */
const ROWS: Readonly<Record<string, Row>> = {
  'lambda:invoke': lambdaInvoke,
  'sns:publish': {
    doc: `${DOCS}sns-iam.html`,
    errorService: 'SNS',
    grant: 'topic.grantPublish(stateMachine)',
    needs: (args) => [{ action: 'sns:Publish', resource: text(args, 'TopicArn') ?? text(args, 'TargetArn'), why: 'to publish to the topic' }],
  },
  'sqs:sendMessage': {
    doc: `${DOCS}sqs-iam.html`,
    errorService: 'SQS',
    grant: 'queue.grantSendMessages(stateMachine)',
    needs: (args, ctx) => {
      const url = text(args, 'QueueUrl');
      return [{ action: 'sqs:SendMessage', resource: url === undefined ? undefined : queueArn(ctx, url), why: 'to send to the queue' }];
    },
  },
  'dynamodb:getItem': dynamo('GetItem'),
  'dynamodb:putItem': dynamo('PutItem'),
  'dynamodb:updateItem': dynamo('UpdateItem'),
  'dynamodb:deleteItem': dynamo('DeleteItem'),
  'ecs:runTask': {
    doc: `${DOCS}ecs-iam.html`,
    errorService: 'ECS',
    needs: (args, ctx, pattern) => {
      const def = text(args, 'TaskDefinition');
      // A family without revision runs its latest revision: any `family:N` may be the resource.
      const defArn = def === undefined ? undefined : def.startsWith('arn:') ? def : arn(ctx, 'ecs', `task-definition/${def.includes(':') ? def : `${def}:*`}`);
      return [
        { action: 'ecs:RunTask', resource: defArn, why: 'to run the task definition' },
        { action: 'iam:PassRole', why: "to pass the task definition's task and execution roles to ECS", context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        ...(pattern === 'sync' ? [
          ...each(['ecs:StopTask', 'ecs:DescribeTasks'], undefined, 'to follow and stop the task (.sync)'),
          ...managedRule(ctx, 'StepFunctionsGetEventsForECSTaskRule', 'for the rule that reports the task ended (.sync)'),
        ] : []),
      ];
    },
  },
  'glue:startJobRun': {
    doc: `${DOCS}glue-iam.html`,
    errorService: 'Glue',
    needs: (args, ctx, pattern) => {
      const job = named(ctx, 'glue', 'job/', text(args, 'JobName'));
      return [
        { action: 'glue:StartJobRun', resource: job, why: 'to start the job' },
        ...(pattern === 'sync' ? each(['glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'], job, 'to follow and stop the job run (.sync)') : []),
      ];
    },
  },
  'batch:submitJob': {
    doc: `${DOCS}batch-iam.html`,
    errorService: 'Batch',
    needs: (args, ctx, pattern) => [
      { action: 'batch:SubmitJob', resource: named(ctx, 'batch', 'job-definition/', text(args, 'JobDefinition')), why: 'to submit a job of this definition' },
      { action: 'batch:SubmitJob', resource: named(ctx, 'batch', 'job-queue/', text(args, 'JobQueue')), why: 'to submit a job to this queue' },
      ...(pattern === 'sync' ? [
        ...each(['batch:DescribeJobs', 'batch:TerminateJob'], undefined, 'to follow and stop the job (.sync)', { optional: true }),
        ...managedRule(ctx, 'StepFunctionsGetEventsForBatchJobsRule', 'for the rule that reports the job ended (.sync)'),
      ] : []),
    ],
  },
  'athena:startQueryExecution': athena('startQueryExecution', ['getQueryExecution']),
  'athena:stopQueryExecution': athena('stopQueryExecution'),
  'athena:getQueryExecution': athena('getQueryExecution'),
  'athena:getQueryResults': athena('getQueryResults'),
  'events:putEvents': {
    doc: `${DOCS}eventbridge-iam.html`,
    errorService: 'EventBridge',
    grant: 'eventBus.grantPutEventsTo(stateMachine)',
    needs: (args, ctx) => {
      const entries = args?.Entries;
      if (!Array.isArray(entries)) return [{ action: 'events:PutEvents', why: 'to put events on the bus' }];
      const buses = new Set<string | undefined>();
      for (const e of entries) {
        const bus = e !== null && typeof e === 'object' && !Array.isArray(e) ? e as Args : undefined;
        const dynamic = bus !== undefined && ('EventBusName.$' in bus || (typeof bus.EventBusName === 'string' && bus.EventBusName.startsWith('{%')));
        buses.add(dynamic ? undefined : named(ctx, 'events', 'event-bus/', text(bus, 'EventBusName') ?? 'default'));
      }
      return [...buses].map((resource) => ({ action: 'events:PutEvents', resource, why: 'to put events on the bus' }));
    },
  },
  'states:startExecution': {
    doc: `${DOCS}stepfunctions-iam.html`,
    errorService: 'StepFunctions',
    grant: 'childStateMachine.grantStartExecution(stateMachine)',
    needs: (args, ctx, pattern) => {
      const target = text(args, 'StateMachineArn');
      const name = target === undefined ? undefined : /:stateMachine:([^:]+)/.exec(target)?.[1];
      const executions = name === undefined ? undefined : arn(ctx, 'states', `execution:${name}:*`);
      return [
        { action: 'states:StartExecution', resource: target, why: 'to start the child execution' },
        ...(pattern === 'sync' ? [
          ...each(['states:DescribeExecution', 'states:StopExecution'], executions, 'to follow and stop the child execution (.sync)'),
          ...managedRule(ctx, 'StepFunctionsGetEventsForStepFunctionsExecutionRule', 'for the rule that reports the child execution ended (.sync)'),
        ] : []),
      ];
    },
  },
  'http:invoke': {
    doc: `${DOCS}call-https-apis.html`,
    errorService: 'States',
    needs: (args, ctx) => {
      const connection = text(args, 'Authentication', 'ConnectionArn');
      const method = text(args, 'Method');
      const endpoint = text(args, 'ApiEndpoint');
      const context: Record<string, string> = {};
      if (method !== undefined) context['states:HTTPMethod'] = method;
      if (endpoint !== undefined) context['states:HTTPEndpoint'] = endpoint;
      return [
        { action: 'states:InvokeHTTPEndpoint', resource: ctx.stateMachineArn, why: 'to call the HTTPS endpoint', context },
        { action: 'events:RetrieveConnectionCredentials', resource: connection, why: "to read the EventBridge connection's credentials" },
        // The secret's ARN carries a random suffix the definition cannot show.
        ...each(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], undefined, "to read the connection's secret"),
      ];
    },
  },
  'bedrock:invokeModel': {
    doc: `${DOCS}connect-bedrock.html`,
    errorService: 'Bedrock',
    needs: (args, ctx) => {
      const model = text(args, 'ModelId');
      const modelArn = model === undefined ? undefined : model.startsWith('arn:') ? model : `arn:${ctx.partition}:bedrock:${ctx.region}::foundation-model/${model}`;
      const input = args?.Input !== undefined ? [{ action: 's3:GetObject', resource: s3Uri(ctx, text(args, 'Input', 'S3Uri')), why: 'to read the model input from S3' }] : [];
      const output = args?.Output !== undefined ? [{ action: 's3:PutObject', resource: s3Uri(ctx, text(args, 'Output', 'S3Uri')), why: 'to write the model output to S3' }] : [];
      return [{ action: 'bedrock:InvokeModel', resource: modelArn, why: 'to invoke the model' }, ...input, ...output];
    },
  },
  'apigateway:invoke': {
    doc: `${DOCS}connect-api-gateway.html`,
    errorService: 'ApiGateway',
    needs: (args, ctx) => {
      if (text(args, 'AuthType') !== 'IAM_ROLE') return [];
      const host = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\./.exec(text(args, 'ApiEndpoint') ?? '');
      const stage = text(args, 'Stage');
      const method = text(args, 'Method');
      const path = text(args, 'Path') ?? '';
      const resource = host && stage !== undefined && method !== undefined
        ? arn(ctx, 'execute-api', `${host[1]}/${stage}/${method}/${path.replace(/^\//, '')}`, host[2]) : undefined;
      return [{ action: 'execute-api:Invoke', resource, why: 'to call the API with IAM authorization (AuthType IAM_ROLE)' }];
    },
  },
  'codebuild:startBuild': {
    doc: `${DOCS}codebuild-iam.html`,
    errorService: 'CodeBuild',
    needs: (args, ctx, pattern) => {
      const project = named(ctx, 'codebuild', 'project/', text(args, 'ProjectName'));
      return [
        { action: 'codebuild:StartBuild', resource: project, why: 'to start the build' },
        ...(pattern === 'sync' ? [
          ...each(['codebuild:StopBuild', 'codebuild:BatchGetBuilds', 'codebuild:BatchGetReports'], project, 'to follow and stop the build (.sync)'),
          ...managedRule(ctx, 'StepFunctionsGetEventsForCodeBuildStartBuildRule', 'for the rule that reports the build ended (.sync)'),
        ] : []),
      ];
    },
  },
  'databrew:startJobRun': {
    doc: `${DOCS}connect-databrew.html`,
    errorService: 'DataBrew',
    needs: (args, ctx, pattern) => {
      const job = named(ctx, 'databrew', 'job/', text(args, 'Name'));
      return [
        { action: 'databrew:StartJobRun', resource: job, why: 'to start the job run' },
        ...(pattern === 'sync' ? each(['databrew:StopJobRun', 'databrew:ListJobRuns'], job, 'to follow and stop the job run (.sync)') : []),
      ];
    },
  },
  'elasticmapreduce:createCluster': {
    doc: `${DOCS}emr-iam.html`,
    errorService: 'EMR',
    needs: (args, ctx, pattern) => [
      ...each(['elasticmapreduce:RunJobFlow', 'elasticmapreduce:DescribeCluster', 'elasticmapreduce:TerminateJobFlows'], undefined, 'to create and follow the cluster'),
      { action: 'iam:PassRole', resource: roleArn(ctx, text(args, 'ServiceRole')), why: "to pass the cluster's service role" },
      ...(args?.Tags !== undefined ? [{ action: 'elasticmapreduce:AddTags', why: 'to tag the cluster (Tags)' }] : []),
      ...(pattern === 'sync' ? managedRule(ctx, 'StepFunctionsGetEventForEMRRunJobFlowRule', 'for the rule that reports the cluster is ready (.sync)') : []),
    ],
  },
  'mediaconvert:createJob': {
    doc: `${DOCS}connect-mediaconvert.html`,
    errorService: 'MediaConvert',
    needs: (args, ctx, pattern) => [
      { action: 'mediaconvert:CreateJob', why: 'to create the job' },
      { action: 'iam:PassRole', resource: roleArn(ctx, text(args, 'Role')), why: 'to pass the job role to MediaConvert', context: { 'iam:PassedToService': 'mediaconvert.amazonaws.com' } },
      ...(pattern === 'sync' ? [
        ...each(['mediaconvert:GetJob', 'mediaconvert:CancelJob'], undefined, 'to follow and cancel the job (.sync)'),
        ...managedRule(ctx, 'StepFunctionsGetEventsForMediaConvertJobRule', 'for the rule that reports the job ended (.sync)'),
      ] : []),
    ],
  },
  'sagemaker:createTransformJob': {
    doc: `${DOCS}sagemaker-iam.html`,
    errorService: 'SageMaker',
    needs: (args, ctx, pattern) => {
      const name = text(args, 'TransformJobName');
      const job = name === undefined ? undefined : arn(ctx, 'sagemaker', `transform-job/${name.toLowerCase()}`);
      return [
        { action: 'sagemaker:CreateTransformJob', resource: job, why: 'to create the transform job' },
        ...(pattern === 'sync' ? [
          ...each(['sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob'], job, 'to follow and stop the transform job (.sync)'),
          ...managedRule(ctx, 'StepFunctionsGetEventsForSageMakerTransformJobsRule', 'for the rule that reports the job ended (.sync)'),
        ] : []),
      ];
    },
  },
};

/**
 * The IAM service prefix of each `aws-sdk:<service>` name that differs from
 * it (the SDK client's name is not always the IAM prefix). Any other service
 * name is its own prefix.
 */
export const SDK_IAM_PREFIXES: Readonly<Record<string, string>> = {
  acmpca: 'acm-pca',
  apigatewayv2: 'apigateway',
  appconfigdata: 'appconfig',
  autoscalingplans: 'autoscaling-plans',
  cloudhsmv2: 'cloudhsm',
  cloudwatchevents: 'events',
  codestarconnections: 'codestar-connections',
  codestarnotifications: 'codestar-notifications',
  computeoptimizer: 'compute-optimizer',
  costandusagereport: 'cur',
  databasemigration: 'dms',
  directory: 'ds',
  ec2instanceconnect: 'ec2-instance-connect',
  ecrpublic: 'ecr-public',
  elasticsearch: 'es',
  emr: 'elasticmapreduce',
  eventbridge: 'events',
  licensemanager: 'license-manager',
  location: 'geo',
  marketplacecatalog: 'aws-marketplace',
  networkfirewall: 'network-firewall',
  rdsdata: 'rds-data',
  resourcegroups: 'resource-groups',
  resourcegroupstaggingapi: 'tag',
  sagemakerfeaturestoreruntime: 'sagemaker',
  servicecatalogappregistry: 'servicecatalog',
  ssoadmin: 'sso',
  ssooidc: 'sso-oauth',
  apigatewaymanagementapi: 'execute-api',
  applicationautoscaling: 'application-autoscaling',
  bedrockagent: 'bedrock',
  bedrockagentruntime: 'bedrock',
  bedrockruntime: 'bedrock',
  cloudcontrol: 'cloudformation',
  cloudwatchlogs: 'logs',
  cognitoidentity: 'cognito-identity',
  cognitoidentityprovider: 'cognito-idp',
  configservice: 'config',
  costexplorer: 'ce',
  dynamodbstreams: 'dynamodb',
  efs: 'elasticfilesystem',
  elasticloadbalancingv2: 'elasticloadbalancing',
  emrcontainers: 'emr-containers',
  emrserverless: 'emr-serverless',
  iotdata: 'iot',
  kinesisanalyticsv2: 'kinesisanalytics',
  lexmodelsv2: 'lex',
  lexruntimev2: 'lex',
  mediapackagevod: 'mediapackage-vod',
  mediastoredata: 'mediastore',
  mwaa: 'airflow',
  opensearch: 'es',
  opensearchserverless: 'aoss',
  redshiftdata: 'redshift-data',
  s3control: 's3',
  sagemakerruntime: 'sagemaker',
  sesv2: 'ses',
  sfn: 'states',
  ssmcontacts: 'ssm-contacts',
  ssmincidents: 'ssm-incidents',
  timestreamquery: 'timestream',
  timestreamwrite: 'timestream',
};

/**
 * `aws-sdk:` service names whose IAM prefix is the name itself. A service in
 * neither this list nor {@link SDK_IAM_PREFIXES} is reported as unknown: its
 * prefix is not guessed.
 */
export const SDK_SAME_PREFIX: ReadonlySet<string> = new Set([
  'acm', 'amplify', 'apigateway', 'appconfig', 'appflow', 'appsync', 'athena', 'autoscaling', 'backup', 'batch', 'bedrock', 'budgets',
  'ce', 'cloud9', 'cloudformation', 'cloudfront', 'cloudtrail', 'cloudwatch', 'codeartifact', 'codebuild', 'codecommit', 'codedeploy',
  'codepipeline', 'comprehend', 'config', 'connect', 'databrew', 'datasync', 'dax', 'devicefarm', 'dlm', 'dynamodb', 'ebs', 'ec2', 'ecr',
  'ecs', 'eks', 'elasticache', 'elasticbeanstalk', 'elasticloadbalancing', 'elastictranscoder', 'firehose', 'fsx', 'glacier', 'glue',
  'guardduty', 'iam', 'identitystore', 'imagebuilder', 'inspector2', 'iot', 'kafka', 'kendra', 'kinesis', 'kinesisanalytics',
  'kinesisvideo', 'kms', 'lakeformation', 'lambda', 'lightsail', 'macie2', 'mediaconvert', 'medialive', 'mediapackage', 'memorydb',
  'mq', 'neptune', 'organizations', 'personalize', 'pinpoint', 'pipes', 'polly', 'qldb', 'quicksight', 'ram', 'rds', 'redshift',
  'rekognition', 'route53', 'route53domains', 's3', 'sagemaker', 'scheduler', 'schemas', 'secretsmanager', 'securityhub',
  'servicecatalog', 'servicediscovery', 'servicequotas', 'ses', 'shield', 'signer', 'sns', 'sqs', 'ssm', 'storagegateway', 'sts',
  'support', 'textract', 'transcribe', 'transfer', 'translate', 'waf', 'wafv2', 'workspaces', 'xray',
]);

/** SDK API calls whose IAM action is not the API name in PascalCase. */
const SDK_ACTION_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = {
  's3:listObjectsV2': ['s3:ListBucket'],
  's3:listObjects': ['s3:ListBucket'],
  's3:headObject': ['s3:GetObject'],
  's3:headBucket': ['s3:ListBucket'],
  's3:copyObject': ['s3:GetObject', 's3:PutObject'],
  's3:deleteObjects': ['s3:DeleteObject'],
  'lambda:invoke': ['lambda:InvokeFunction'],
};

/** Services whose AccessDenied error name AWS spells differently from the SDK service name. */
const SDK_ERROR_SERVICES: Readonly<Record<string, string>> = { sfn: 'Sfn', s3: 'S3', dynamodb: 'DynamoDb' };

function sdkPermissions(service: string, api: string, args: Args | undefined, ctx: TaskContext): IntegrationPermissions {
  const doc = `${DOCS}supported-services-awssdk.html`;
  const errorService = SDK_ERROR_SERVICES[service] ?? service.charAt(0).toUpperCase() + service.slice(1);
  if (service === 'dynamodb' && (api === 'transactWriteItems' || api === 'transactGetItems')) {
    return { integration: `aws-sdk:${service}:${api}`, doc, errorService, requirements: transactItems(args, ctx) };
  }
  const prefix = SDK_IAM_PREFIXES[service] ?? (SDK_SAME_PREFIX.has(service) ? service : undefined);
  if (prefix === undefined) {
    return {
      integration: `aws-sdk:${service}:${api}`,
      doc,
      errorService,
      requirements: [],
      unknown: `stepwright does not know the IAM prefix of the SDK service '${service}'; check the permission of aws-sdk:${service}:${api} by hand`,
    };
  }
  const actions = SDK_ACTION_EXCEPTIONS[`${service}:${api}`] ?? [`${prefix}:${api.charAt(0).toUpperCase()}${api.slice(1)}`];
  const resource = sdkResource(service, api, args, ctx);
  const requirements: Requirement[] = actions.map((action) => ({ action, resource, why: `to call ${service}:${api}` }));
  // A schedule runs its target with the role it names, which the caller must be allowed to pass.
  if (service === 'scheduler' && /^(create|update)Schedule$/.test(api)) {
    requirements.push({ action: 'iam:PassRole', resource: roleArn(ctx, text(args, 'Target', 'RoleArn')), why: "to pass the schedule target's role" });
  }
  return {
    integration: `aws-sdk:${service}:${api}`,
    doc,
    errorService,
    grant: `CallAwsService's iamResources / iamAction (the action is ${actions.join(', ')})`,
    requirements,
  };
}

/** The resource of an SDK call, for the few services where its arguments name it plainly. */
function sdkResource(service: string, api: string, args: Args | undefined, ctx: TaskContext): string | undefined {
  if (service === 's3') {
    const bucket = text(args, 'Bucket');
    if (bucket === undefined) return undefined;
    if (/^(listObjects|listObjectsV2|headBucket)$/.test(api)) return `arn:${ctx.partition}:s3:::${bucket}`;
    const key = text(args, 'Key');
    return key === undefined ? undefined : s3Object(ctx, bucket, key);
  }
  if (service === 'dynamodb') return named(ctx, 'dynamodb', 'table/', text(args, 'TableName'));
  if (service === 'glue' && /Crawler$/.test(api)) return named(ctx, 'glue', 'crawler/', text(args, 'Name'));
  if (service === 'scheduler' && /Schedule$/.test(api)) {
    const name = text(args, 'Name');
    return name === undefined ? undefined : arn(ctx, 'scheduler', `schedule/${text(args, 'GroupName') ?? 'default'}/${name}`);
  }
  if (service === 'cloudwatchlogs') {
    const group = text(args, 'LogGroupName');
    if (group === undefined) return undefined;
    // Log-stream calls are authorized on the stream; `*` stands for one only known at run time.
    const streamCall = /LogStream|LogEvents/.test(api);
    const stream = text(args, 'LogStreamName') ?? '*';
    return arn(ctx, 'logs', `log-group:${group}${streamCall ? `:log-stream:${stream}` : ''}`);
  }
  if (service === 'lambda') {
    const name = text(args, 'FunctionName');
    return name === undefined ? undefined : lambdaFunctionArn(ctx, name);
  }
  return undefined;
}

/** TransactWriteItems/TransactGetItems are authorized per item: Put → PutItem on its table, and so on. */
function transactItems(args: Args | undefined, ctx: TaskContext): Requirement[] {
  const items = args?.TransactItems;
  if (!Array.isArray(items)) return [{ action: 'dynamodb:PutItem', why: 'to write the transaction items (only known at run time)' }];
  const out: Requirement[] = [];
  const ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const [kind, op] of Object.entries(item)) {
      const action = ACTIONS[kind];
      if (!action) continue;
      const table = named(ctx, 'dynamodb', 'table/', text(op as Args, 'TableName'));
      out.push({ action: `dynamodb:${action}`, resource: table, why: `for the ${kind} item of the transaction` });
    }
  }
  return out;
}

/** Splits `arn:<p>:states:::<service>:<api>[.sync[:2]|.waitForTaskToken]`. */
function parseServiceResource(resource: string): { service: string; api: string; pattern: IntegrationPattern } | undefined {
  const m = /^arn:[^:]+:states:[^:]*:[^:]*:(.+)$/.exec(resource);
  if (!m) return undefined;
  const rest = m[1];
  let pattern: IntegrationPattern = 'request';
  let body = rest;
  const sync = /\.sync(:\d+)?$/.exec(body);
  if (sync) {
    pattern = 'sync';
    body = body.slice(0, sync.index);
  } else if (body.endsWith('.waitForTaskToken')) {
    pattern = 'waitForTaskToken';
    body = body.slice(0, -'.waitForTaskToken'.length);
  }
  const colon = body.lastIndexOf(':');
  if (colon < 0) return undefined;
  return { service: body.slice(0, colon), api: body.slice(colon + 1), pattern };
}

/**
 * The permissions a Task state needs, from its `Resource` and its static
 * `Parameters`/`Arguments`.
 *
 * @example
 * permissionsForTask({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: url } }, ctx)
 * // → { integration: 'sqs:sendMessage', requirements: [{ action: 'sqs:SendMessage', resource: 'arn:aws:sqs:...' }] }
 */
export function permissionsForTask(state: TaskState, ctx: TaskContext): IntegrationPermissions {
  const resource = state.Resource;
  const args = argsOf(state);
  if (typeof resource !== 'string' || resource.startsWith('{%')) {
    return { integration: 'dynamic', doc: DOCS, errorService: 'States', requirements: [], unknown: 'the Resource is only known at run time' };
  }
  if (/^arn:[^:]+:lambda:/.test(resource)) {
    return { integration: 'lambda (function ARN)', doc: lambdaInvoke.doc, errorService: 'Lambda', grant: lambdaInvoke.grant, requirements: [{ action: 'lambda:InvokeFunction', resource, why: 'to invoke the function' }] };
  }
  if (/^arn:[^:]+:states:[^:]+:[^:]*:activity:/.test(resource)) {
    // The worker, not the state machine's role, calls GetActivityTask and SendTask*.
    return { integration: 'activity', doc: `${DOCS}concepts-activities.html`, errorService: 'States', requirements: [] };
  }
  const parsed = parseServiceResource(resource);
  if (!parsed) {
    return { integration: resource, doc: DOCS, errorService: 'States', requirements: [], unknown: `'${resource}' is not an integration Step Functions offers` };
  }
  if (parsed.service.startsWith('aws-sdk:')) return sdkPermissions(parsed.service.slice('aws-sdk:'.length), parsed.api, args, ctx);
  const key = `${parsed.service}:${parsed.api}`;
  const row = ROWS[key];
  if (!row) {
    return { integration: key, doc: DOCS, errorService: 'States', requirements: [], unknown: `the integration '${key}' is not in stepwright's permission table; its permissions are not checked` };
  }
  return {
    integration: key,
    doc: row.doc,
    errorService: row.errorService,
    ...(row.grant ? { grant: row.grant } : {}),
    requirements: row.needs(args, ctx, parsed.pattern),
  };
}

/** The permissions a Distributed Map needs: starting child executions of its own machine, its reader and writer. */
export function permissionsForDistributedMap(state: MapState, ctx: TaskContext): IntegrationPermissions {
  const name = /:stateMachine:([^:]+)/.exec(ctx.stateMachineArn)?.[1] ?? '*';
  const requirements: Requirement[] = [
    { action: 'states:StartExecution', resource: ctx.stateMachineArn, why: 'to start the child workflow executions of the Distributed Map' },
    // The guide's example policy also lists states:DescribeExecution and
    // states:StopExecution on the child executions. Deployed CDK stacks that
    // run Distributed Maps grant them on ARNs no child execution has
    // (`stateMachine:Name:*`), so AWS does not enforce them; they are not checked.
    { action: 'states:RedriveExecution', resource: arn(ctx, 'states', `execution:${name}/*:*`), why: 'to redrive the Map Run', optional: true },
  ];
  const reader = state.ItemReader;
  if (reader && typeof reader.Resource === 'string') {
    const args = argsOf(reader);
    const bucket = text(args, 'Bucket');
    if (/:s3:listObjectsV2$/.test(reader.Resource)) {
      requirements.push({ action: 's3:ListBucket', resource: bucket === undefined ? undefined : `arn:${ctx.partition}:s3:::${bucket}`, why: 'for the ItemReader to list the objects' });
    } else if (/:s3:getObject$/.test(reader.Resource)) {
      const key = text(args, 'Key');
      requirements.push({ action: 's3:GetObject', resource: key === undefined ? undefined : s3Object(ctx, bucket, key), why: 'for the ItemReader to read the items' });
    }
  }
  const writer = state.ResultWriter;
  if (writer && typeof writer.Resource === 'string' && /:s3:putObject$/.test(writer.Resource)) {
    const args = argsOf(writer);
    const bucket = text(args, 'Bucket');
    const prefix = text(args, 'Prefix') ?? '';
    const resource = bucket === undefined ? undefined : `arn:${ctx.partition}:s3:::${bucket}/${prefix ? `${prefix.replace(/\/$/, '')}/` : ''}*`;
    requirements.push(...each(['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'], resource, 'for the ResultWriter to write the results'));
  }
  return { integration: 'distributed map', doc: `${DOCS}iam-policies-eg-dist-map.html`, errorService: 'States', requirements };
}
