/**
 * The optimized integrations (`arn:aws:states:::<service>:<api>`), each with
 * the permissions its page of the Step Functions Developer Guide lists for
 * the state machine's role, per integration pattern (request-response,
 * `.sync`, `.waitForTaskToken`). Where a page lists a permission that only
 * part of the integration's life uses, or that deployed stacks show is not
 * enforced, the permission is `optional` (a warning when missing).
 *
 * Where a page gives no policy (SageMaker's endpoint and model calls, EKS
 * Fargate profiles), the action is the API's own name in the Service
 * Authorization Reference, on the resource type that reference names for it.
 */
import { Args, arn, lambdaFunctionArn, named, queueArn, roleArn, runTimeSource, s3Uri, text } from './arns';
import { kmsFor } from './encryption';
import type { IntegrationPattern, Requirement, TaskScope } from './integrations';
import type { JsonValue } from '../asl/definition-types';

const DOCS = 'https://docs.aws.amazon.com/step-functions/latest/dg/';

/** One row: an optimized integration, by `service:api`. */
export interface OptimizedIntegration {
  readonly service: string;
  readonly api: string;
  /** Page of the Step Functions Developer Guide the row comes from. */
  readonly doc: string;
  /** Prefix of the AccessDenied error name AWS reports for this integration (`Lambda`, `DynamoDB`). */
  readonly errorService: string;
  /** The CDK call that grants these permissions, when there is one. */
  readonly grant?: string;
  /**
   * Set when IAM is not what authorizes the call (the Kubernetes API of
   * `eks:call` answers to the cluster's RBAC): said as a "cannot check" note.
   */
  readonly authorizedElsewhere?: string;
  readonly needs: (args: Args | undefined, ctx: TaskScope, pattern: IntegrationPattern) => Requirement[];
}

/** A requirement on the resource an argument names, with why it is unknown when it is not static. */
function on(action: string, resource: string | undefined, why: string, args: Args | undefined, field: string[],
  extra: Partial<Requirement> = {}): Requirement {
  const unresolved = resource === undefined ? runTimeSource(args, ...field) : undefined;
  return { action, ...(resource !== undefined ? { resource } : {}), why, ...(unresolved ? { unresolved } : {}), ...extra };
}

function each(actions: readonly string[], resource: string | undefined, why: string, extra: Partial<Requirement> = {}): Requirement[] {
  return actions.map((action) => ({ action, ...(resource !== undefined ? { resource } : {}), why, ...extra }));
}

/** The EventBridge rule Step Functions manages to learn that a `.sync` job ended. */
function managedRule(ctx: TaskScope, rule: string, why: string): Requirement[] {
  return each(['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], arn(ctx, 'events', `rule/${rule}`), why);
}

/**
 * `iam:PassRole` on a role an argument names. A role only known at run time
 * leaves the resource open, with why.
 */
function passRole(ctx: TaskScope, args: Args | undefined, field: string[], why: string, service?: string, optional = false): Requirement[] {
  const value = text(args, ...field);
  const dynamic = runTimeSource(args, ...field);
  if (value === undefined && dynamic === undefined) return [];
  return [{
    action: 'iam:PassRole',
    ...(value !== undefined ? { resource: roleArn(ctx, value) } : { unresolved: dynamic }),
    why,
    ...(service ? { context: { 'iam:PassedToService': service } } : {}),
    ...(optional ? { optional } : {}),
  }];
}

const isSync = (p: IntegrationPattern): boolean => p === 'sync';

function tagsGiven(args: Args | undefined): boolean {
  return args !== undefined && (args.Tags !== undefined || args['Tags.$'] !== undefined);
}

// ---------------------------------------------------------------- Lambda, SNS, SQS, DynamoDB, EventBridge

const lambdaInvoke: OptimizedIntegration = {
  service: 'lambda',
  api: 'invoke',
  doc: `${DOCS}connect-lambda.html`,
  errorService: 'Lambda',
  grant: 'fn.grantInvoke(stateMachine) (for a version or alias, grant it on that version or alias)',
  needs: (args, ctx) => {
    const name = text(args, 'FunctionName');
    const resource = name === undefined ? undefined : lambdaFunctionArn(ctx, name);
    return [on('lambda:InvokeFunction', resource, 'to invoke the function (a qualified name needs the qualified ARN, or `:*`)', args, ['FunctionName'])];
  },
};

function dynamo(action: string): Omit<OptimizedIntegration, 'api'> {
  return {
    service: 'dynamodb',
    doc: `${DOCS}connect-ddb.html`,
    errorService: 'DynamoDB',
    grant: 'table.grantReadWriteData(stateMachine)',
    needs: (args, ctx) => {
      const table = named(ctx, 'dynamodb', 'table/', text(args, 'TableName'));
      return [on(`dynamodb:${action}`, table, `to call ${action} on the table`, args, ['TableName']), ...kmsFor(ctx, 'dynamodb', table, 'decrypt')];
    },
  };
}

// ---------------------------------------------------------------- ECS, Batch, Glue, DataBrew, Athena

/** `iam:PassRole` on the task and execution roles of the task definition, as the template defines them. */
function ecsRoles(ctx: TaskScope, args: Args | undefined, definitionArn: string | undefined): Requirement[] {
  const why = "to pass the task definition's task and execution roles to ECS";
  const context = { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };
  const out: Requirement[] = [];
  if (definitionArn === undefined) {
    out.push({ action: 'iam:PassRole', why, context, unresolved: runTimeSource(args, 'TaskDefinition') ?? 'the task definition is only known at run time' });
  } else {
    const family = /task-definition\/([^:]+)/.exec(definitionArn)?.[1];
    const carried = ctx.facts.taskDefinitions.get(definitionArn) ?? (family === undefined ? undefined : ctx.facts.taskDefinitions.get(family));
    if (carried) {
      for (const role of carried.roles) out.push({ action: 'iam:PassRole', resource: role, why: `${why} (${carried.source})`, context });
    } else {
      out.push({ action: 'iam:PassRole', why, context, unresolved: `the task definition ${definitionArn} is not defined in this template, so its roles are not known` });
    }
  }
  // Overrides name other roles, which are passed as well.
  out.push(...passRole(ctx, args, ['Overrides', 'TaskRoleArn'], 'to pass the task role of Overrides to ECS', 'ecs-tasks.amazonaws.com'));
  out.push(...passRole(ctx, args, ['Overrides', 'ExecutionRoleArn'], 'to pass the execution role of Overrides to ECS', 'ecs-tasks.amazonaws.com'));
  return out;
}

const ecsRunTask: OptimizedIntegration = {
  service: 'ecs',
  api: 'runTask',
  doc: `${DOCS}connect-ecs.html`,
  errorService: 'ECS',
  needs: (args, ctx, pattern) => {
    const def = text(args, 'TaskDefinition');
    // A family without revision runs its latest revision: any `family:N` may be the resource.
    const defArn = def === undefined ? undefined : def.startsWith('arn:') ? def : arn(ctx, 'ecs', `task-definition/${def.includes(':') ? def : `${def}:*`}`);
    return [
      on('ecs:RunTask', defArn, 'to run the task definition', args, ['TaskDefinition']),
      ...ecsRoles(ctx, args, defArn),
      ...(isSync(pattern) ? [
        ...each(['ecs:StopTask', 'ecs:DescribeTasks'], undefined, 'to follow and stop the task (.sync)', { unresolved: 'the task is only known once it runs' }),
        ...managedRule(ctx, 'StepFunctionsGetEventsForECSTaskRule', 'for the rule that reports the task ended (.sync)'),
      ] : []),
    ];
  },
};

const batchSubmitJob: OptimizedIntegration = {
  service: 'batch',
  api: 'submitJob',
  doc: `${DOCS}connect-batch.html`,
  errorService: 'Batch',
  needs: (args, ctx, pattern) => {
    // The job definition's own roles were passed when it was registered; only overrides pass roles here.
    const overrides = args?.EcsPropertiesOverride;
    const tasks = overrides !== null && typeof overrides === 'object' && !Array.isArray(overrides) ? (overrides as Args).TaskProperties : undefined;
    const passed = Array.isArray(tasks) ? tasks.flatMap((_t, i) => [
      ...passRole(ctx, args, ['EcsPropertiesOverride', 'TaskProperties', String(i), 'TaskRoleArn'], 'to pass the task role of EcsPropertiesOverride', 'ecs-tasks.amazonaws.com'),
      ...passRole(ctx, args, ['EcsPropertiesOverride', 'TaskProperties', String(i), 'ExecutionRoleArn'], 'to pass the execution role of EcsPropertiesOverride', 'ecs-tasks.amazonaws.com'),
    ]) : [];
    return [
      on('batch:SubmitJob', named(ctx, 'batch', 'job-definition/', text(args, 'JobDefinition')), 'to submit a job of this definition', args, ['JobDefinition']),
      on('batch:SubmitJob', named(ctx, 'batch', 'job-queue/', text(args, 'JobQueue')), 'to submit a job to this queue', args, ['JobQueue']),
      ...passed,
      ...(isSync(pattern) ? [
        ...each(['batch:DescribeJobs', 'batch:TerminateJob'], undefined, 'to follow and stop the job (.sync)', { optional: true, unresolved: 'the job is only known once it is submitted' }),
        ...managedRule(ctx, 'StepFunctionsGetEventsForBatchJobsRule', 'for the rule that reports the job ended (.sync)'),
      ] : []),
    ];
  },
};

const glueStartJobRun: OptimizedIntegration = {
  service: 'glue',
  api: 'startJobRun',
  doc: `${DOCS}connect-glue.html`,
  errorService: 'Glue',
  needs: (args, ctx, pattern) => {
    // StartJobRun passes no role: the job's role was passed when the job was created.
    const job = named(ctx, 'glue', 'job/', text(args, 'JobName'));
    return [
      on('glue:StartJobRun', job, 'to start the job', args, ['JobName']),
      ...(isSync(pattern) ? ['glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'].map((a) => on(a, job, 'to follow and stop the job run (.sync)', args, ['JobName'])) : []),
    ];
  },
};

const databrewStartJobRun: OptimizedIntegration = {
  service: 'databrew',
  api: 'startJobRun',
  doc: `${DOCS}connect-databrew.html`,
  errorService: 'DataBrew',
  needs: (args, ctx, pattern) => {
    const job = named(ctx, 'databrew', 'job/', text(args, 'Name'));
    return [
      on('databrew:StartJobRun', job, 'to start the job run', args, ['Name']),
      ...(isSync(pattern) ? ['databrew:StopJobRun', 'databrew:ListJobRuns'].map((a) => on(a, job, 'to follow and stop the job run (.sync)', args, ['Name'])) : []),
    ];
  },
};

function athena(api: string, sync: string[] = []): OptimizedIntegration {
  return {
    service: 'athena',
    api,
    doc: `${DOCS}connect-athena.html`,
    errorService: 'Athena',
    needs: (args, ctx, pattern) => {
      const workgroup = text(args, 'WorkGroup') ?? (api === 'startQueryExecution' ? 'primary' : undefined);
      const resource = workgroup === undefined ? undefined : arn(ctx, 'athena', `workgroup/${workgroup}`);
      const extra = workgroup === undefined && runTimeSource(args, 'WorkGroup') === undefined ? { unresolved: 'the query names no work group; it runs in the work group it was started in' } : {};
      return [
        on(`athena:${api}`, resource, `to call ${api}`, args, ['WorkGroup'], extra),
        ...(isSync(pattern) ? sync.map((a) => on(`athena:${a}`, resource, 'to follow the query to its end (.sync)', args, ['WorkGroup'], extra)) : []),
      ];
    },
  };
}

// ---------------------------------------------------------------- Step Functions, HTTP, API Gateway, Bedrock, MediaConvert

const statesStartExecution: OptimizedIntegration = {
  service: 'states',
  api: 'startExecution',
  doc: `${DOCS}connect-stepfunctions.html`,
  errorService: 'StepFunctions',
  grant: 'childStateMachine.grantStartExecution(stateMachine)',
  needs: (args, ctx, pattern) => {
    const target = text(args, 'StateMachineArn');
    const name = target === undefined ? undefined : /:stateMachine:([^:]+)/.exec(target)?.[1];
    const executions = name === undefined ? undefined : arn(ctx, 'states', `execution:${name}:*`);
    return [
      on('states:StartExecution', target, 'to start the child execution', args, ['StateMachineArn']),
      ...(isSync(pattern) ? [
        ...['states:DescribeExecution', 'states:StopExecution'].map((a) => on(a, executions, 'to follow and stop the child execution (.sync)', args, ['StateMachineArn'])),
        ...managedRule(ctx, 'StepFunctionsGetEventsForStepFunctionsExecutionRule', 'for the rule that reports the child execution ended (.sync)'),
      ] : []),
    ];
  },
};

const httpInvoke: OptimizedIntegration = {
  service: 'http',
  api: 'invoke',
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
      on('events:RetrieveConnectionCredentials', connection, "to read the EventBridge connection's credentials", args, ['Authentication', 'ConnectionArn']),
      // The secret's ARN carries a random suffix the definition cannot show.
      ...each(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], undefined, "to read the connection's secret", { unresolved: "the connection's secret has a name EventBridge chooses" }),
    ];
  },
};

const apigatewayInvoke: OptimizedIntegration = {
  service: 'apigateway',
  api: 'invoke',
  doc: `${DOCS}connect-api-gateway.html`,
  errorService: 'ApiGateway',
  needs: (args, ctx) => {
    const authType = runTimeSource(args, 'AuthType');
    if (text(args, 'AuthType') !== 'IAM_ROLE' && authType === undefined) return [];
    const host = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\./.exec(text(args, 'ApiEndpoint') ?? '');
    const stage = text(args, 'Stage');
    const method = text(args, 'Method');
    const path = text(args, 'Path') ?? '';
    const resource = host && stage !== undefined && method !== undefined
      ? arn(ctx, 'execute-api', `${host[1]}/${stage}/${method}/${path.replace(/^\//, '')}`, host[2]) : undefined;
    // An AuthType only known at run time needs the grant only if it is IAM_ROLE: a warning when missing.
    return [on('execute-api:Invoke', resource, 'to call the API with IAM authorization (AuthType IAM_ROLE)', args, ['ApiEndpoint'], authType ? { optional: true } : {})];
  },
};

const bedrockInvokeModel: OptimizedIntegration = {
  service: 'bedrock',
  api: 'invokeModel',
  doc: `${DOCS}connect-bedrock.html`,
  errorService: 'Bedrock',
  needs: (args, ctx) => {
    const model = text(args, 'ModelId');
    const modelArn = model === undefined ? undefined : model.startsWith('arn:') ? model : `arn:${ctx.partition}:bedrock:${ctx.region}::foundation-model/${model}`;
    const input = args?.Input !== undefined ? [on('s3:GetObject', s3Uri(ctx, text(args, 'Input', 'S3Uri')), 'to read the model input from S3', args, ['Input', 'S3Uri'])] : [];
    const output = args?.Output !== undefined ? [on('s3:PutObject', s3Uri(ctx, text(args, 'Output', 'S3Uri')), 'to write the model output to S3', args, ['Output', 'S3Uri'])] : [];
    const guardrail = text(args, 'GuardrailIdentifier');
    const guard = guardrail !== undefined || runTimeSource(args, 'GuardrailIdentifier') !== undefined
      ? [on('bedrock:ApplyGuardrail', guardrail === undefined ? undefined : named(ctx, 'bedrock', 'guardrail/', guardrail), 'to apply the guardrail', args, ['GuardrailIdentifier'])] : [];
    return [on('bedrock:InvokeModel', modelArn, 'to invoke the model', args, ['ModelId']), ...input, ...output, ...guard];
  },
};

const bedrockCustomization: OptimizedIntegration = {
  service: 'bedrock',
  api: 'createModelCustomizationJob',
  doc: `${DOCS}connect-bedrock.html`,
  errorService: 'Bedrock',
  needs: (args, ctx, pattern) => {
    // The job's ARN carries an id Bedrock assigns: any job may be the resource.
    const job = arn(ctx, 'bedrock', 'model-customization-job/*');
    return [
      { action: 'bedrock:CreateModelCustomizationJob', resource: job, why: 'to create the model customization job' },
      ...passRole(ctx, args, ['RoleArn'], 'to pass the job role to Bedrock', 'bedrock.amazonaws.com'),
      ...(tagsGiven(args) || args?.JobTags !== undefined || args?.CustomModelTags !== undefined ? [{ action: 'bedrock:TagResource', resource: job, why: 'to tag the job and the model it makes', optional: true }] : []),
      ...(isSync(pattern) ? each(['bedrock:GetModelCustomizationJob', 'bedrock:StopModelCustomizationJob'], job, 'to follow and stop the job (.sync)', { optional: true }) : []),
    ];
  },
};

const mediaconvertCreateJob: OptimizedIntegration = {
  service: 'mediaconvert',
  api: 'createJob',
  doc: `${DOCS}connect-mediaconvert.html`,
  errorService: 'MediaConvert',
  needs: (args, ctx, pattern) => [
    { action: 'mediaconvert:CreateJob', why: 'to create the job', unresolved: 'the job, queue and presets it uses are chosen by MediaConvert' },
    ...passRole(ctx, args, ['Role'], 'to pass the job role to MediaConvert', 'mediaconvert.amazonaws.com'),
    ...(isSync(pattern) ? [
      ...each(['mediaconvert:GetJob', 'mediaconvert:CancelJob'], undefined, 'to follow and cancel the job (.sync)', { unresolved: 'the job is only known once it is created' }),
      ...managedRule(ctx, 'StepFunctionsGetEventsForMediaConvertJobRule', 'for the rule that reports the job ended (.sync)'),
    ] : []),
  ],
};

// ---------------------------------------------------------------- CodeBuild

/** The project of a build or build-batch id (`project:uuid`). */
function projectOfId(ctx: TaskScope, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const project = id.startsWith('arn:') ? /:build(?:-batch)?\/([^:]+)/.exec(id)?.[1] : id.split(':')[0];
  return project ? arn(ctx, 'codebuild', `project/${project}`) : undefined;
}

type ArgsReader<T> = (args: Args | undefined, ctx: TaskScope) => T;

function codebuild(api: string, build: ArgsReader<Requirement[]>, sync: { actions: string[]; rule?: string } | undefined,
  projectOf: ArgsReader<string | undefined>): OptimizedIntegration {
  return {
    service: 'codebuild',
    api,
    doc: `${DOCS}connect-codebuild.html`,
    errorService: 'CodeBuild',
    needs: (args, ctx, pattern) => {
      const project = projectOf(args, ctx);
      return [
        ...build(args, ctx),
        ...(isSync(pattern) && sync ? [
          ...sync.actions.map((a) => ({ action: `codebuild:${a}`, ...(project ? { resource: project } : { unresolved: 'the project is only known at run time' }), why: 'to follow and stop the build (.sync)' })),
          ...(sync.rule ? managedRule(ctx, sync.rule, 'for the rule that reports the build ended (.sync)') : []),
        ] : []),
      ];
    },
  };
}

const projectNamed = (args: Args | undefined, ctx: TaskScope): string | undefined => named(ctx, 'codebuild', 'project/', text(args, 'ProjectName'));
const projectOfIdArg = (args: Args | undefined, ctx: TaskScope): string | undefined => projectOfId(ctx, text(args, 'Id'));

function onProject(action: string, field: string, resolve: ArgsReader<string | undefined>) {
  return (args: Args | undefined, ctx: TaskScope): Requirement[] => [
    on(`codebuild:${action}`, resolve(args, ctx), `to call ${action} on the project`, args, [field]),
    // Only a build started anew may run with another service role.
    ...(/^Start/.test(action) ? passRole(ctx, args, ['ServiceRoleOverride'], 'to pass the service role of ServiceRoleOverride to CodeBuild', 'codebuild.amazonaws.com') : []),
  ];
}

function onIds(action: string, field: string, kind: 'project' | 'report-group') {
  return (args: Args | undefined, ctx: TaskScope): Requirement[] => {
    const ids = args?.[field];
    if (!Array.isArray(ids)) return [on(`codebuild:${action}`, undefined, `to call ${action}`, args, [field])];
    const resources = new Set<string | undefined>(ids.map((id) => {
      if (typeof id !== 'string') return undefined;
      if (kind === 'project') return projectOfId(ctx, id);
      const group = /:report\/([^:]+):/.exec(id)?.[1];
      return group === undefined ? undefined : arn(ctx, 'codebuild', `report-group/${group}`);
    }));
    return [...resources].map((resource) => ({ action: `codebuild:${action}`, ...(resource ? { resource } : { unresolved: `an entry of ${field} is only known at run time` }), why: `to call ${action}` }));
  };
}

// ---------------------------------------------------------------- EMR, EMR on EKS, EMR Serverless

const clusterArn = (ctx: TaskScope, id: string | undefined): string | undefined => (id === undefined ? undefined : arn(ctx, 'elasticmapreduce', `cluster/${id}`));

function emrOnCluster(api: string, actions: string[], sync?: { actions: string[]; rule?: string }): OptimizedIntegration {
  return {
    service: 'elasticmapreduce',
    api,
    doc: `${DOCS}connect-emr.html`,
    errorService: 'EMR',
    needs: (args, ctx, pattern) => {
      const cluster = clusterArn(ctx, text(args, 'ClusterId'));
      const runtimeRole = text(args, 'ExecutionRoleArn');
      const context = api === 'addStep' && runtimeRole !== undefined ? { context: { 'elasticmapreduce:ExecutionRoleArn': runtimeRole } } : {};
      return [
        ...actions.map((a) => on(`elasticmapreduce:${a}`, cluster, `to call ${a} on the cluster`, args, ['ClusterId'], a === 'AddJobFlowSteps' ? context : {})),
        // A step's runtime role is passed to EMR; deployed stacks that use one do not all grant it, so a missing grant is a warning.
        ...(api === 'addStep' ? passRole(ctx, args, ['ExecutionRoleArn'], "to pass the step's runtime role to EMR", undefined, true) : []),
        ...(isSync(pattern) && sync ? [
          ...sync.actions.map((a) => on(`elasticmapreduce:${a}`, cluster, 'to follow the request to its end (.sync)', args, ['ClusterId'])),
          ...(sync.rule ? managedRule(ctx, sync.rule, 'for the rule that reports the end (.sync)') : []),
        ] : []),
      ];
    },
  };
}

const emrCreateCluster: OptimizedIntegration = {
  service: 'elasticmapreduce',
  api: 'createCluster',
  doc: `${DOCS}connect-emr.html`,
  errorService: 'EMR',
  needs: (args, ctx, pattern) => {
    const profile = text(args, 'JobFlowRole');
    const carried = profile === undefined ? undefined : ctx.facts.instanceProfiles.get(profile);
    const instanceRoles: Requirement[] = profile === undefined
      ? passRole(ctx, args, ['JobFlowRole'], 'to pass the role of the EC2 instance profile to EMR')
      : carried
        ? carried.roles.map((role) => ({ action: 'iam:PassRole', resource: role, why: `to pass the role of the EC2 instance profile (${carried.source}) to EMR` }))
        : [{ action: 'iam:PassRole', why: 'to pass the role of the EC2 instance profile to EMR', unresolved: `the instance profile ${profile} is not defined in this template, so its role is not known` }];
    return [
      // RunJobFlow has no resource-level permission: it is granted on every resource.
      { action: 'elasticmapreduce:RunJobFlow', resource: '*', why: 'to create the cluster' },
      ...passRole(ctx, args, ['ServiceRole'], "to pass the cluster's service role to EMR"),
      ...instanceRoles,
      ...passRole(ctx, args, ['AutoScalingRole'], "to pass the cluster's automatic scaling role to EMR"),
      ...(tagsGiven(args) ? [{ action: 'elasticmapreduce:AddTags', why: 'to tag the cluster (Tags)', unresolved: 'the cluster is only known once it is created' }] : []),
      ...(isSync(pattern) ? [
        ...each(['elasticmapreduce:DescribeCluster', 'elasticmapreduce:TerminateJobFlows'], undefined, 'to follow the cluster, and end it if the Task stops (.sync)', { unresolved: 'the cluster is only known once it is created' }),
        ...managedRule(ctx, 'StepFunctionsGetEventForEMRRunJobFlowRule', 'for the rule that reports the cluster is ready (.sync)'),
      ] : []),
    ];
  },
};

function virtualCluster(ctx: TaskScope, id: string | undefined, suffix = ''): string | undefined {
  return id === undefined ? undefined : arn(ctx, 'emr-containers', `/virtualclusters/${id}${suffix}`);
}

const emrContainers: OptimizedIntegration[] = [
  {
    service: 'emr-containers',
    api: 'createVirtualCluster',
    doc: `${DOCS}connect-emr-eks.html`,
    errorService: 'EMRContainers',
    needs: (_args, ctx) => [
      { action: 'emr-containers:CreateVirtualCluster', resource: '*', why: 'to create the virtual cluster' },
      {
        action: 'iam:CreateServiceLinkedRole',
        resource: `arn:${ctx.partition}:iam::${ctx.account}:role/aws-service-role/emr-containers.amazonaws.com/AWSServiceRoleForAmazonEMRContainers`,
        why: 'to create the service-linked role of EMR on EKS, the first time only',
        optional: true,
        context: { 'iam:AWSServiceName': 'emr-containers.amazonaws.com' },
      },
    ],
  },
  {
    service: 'emr-containers',
    api: 'deleteVirtualCluster',
    doc: `${DOCS}connect-emr-eks.html`,
    errorService: 'EMRContainers',
    needs: (args, ctx, pattern) => {
      const cluster = virtualCluster(ctx, text(args, 'Id'));
      return [
        on('emr-containers:DeleteVirtualCluster', cluster, 'to delete the virtual cluster', args, ['Id']),
        ...(isSync(pattern) ? [on('emr-containers:DescribeVirtualCluster', cluster, 'to follow the deletion (.sync)', args, ['Id'])] : []),
      ];
    },
  },
  {
    service: 'emr-containers',
    api: 'startJobRun',
    doc: `${DOCS}connect-emr-eks.html`,
    errorService: 'EMRContainers',
    needs: (args, ctx, pattern) => {
      const id = text(args, 'VirtualClusterId');
      const role = text(args, 'ExecutionRoleArn');
      // EMR on EKS takes no iam:PassRole: the role is authorized by the emr-containers:ExecutionRoleArn condition key.
      return [
        on('emr-containers:StartJobRun', virtualCluster(ctx, id), 'to start the job run', args, ['VirtualClusterId'], role === undefined ? {} : { context: { 'emr-containers:ExecutionRoleArn': role } }),
        ...(isSync(pattern) ? ['emr-containers:DescribeJobRun', 'emr-containers:CancelJobRun'].map((a) => on(a, virtualCluster(ctx, id, '/jobruns/*'), 'to follow and cancel the job run (.sync)', args, ['VirtualClusterId'])) : []),
      ];
    },
  },
];

function application(ctx: TaskScope, id: string | undefined, suffix = ''): string | undefined {
  return id === undefined ? undefined : arn(ctx, 'emr-serverless', `/applications/${id}${suffix}`);
}

const APPLICATION_RULE = 'StepFunctionsGetEventsForEMRServerlessApplicationRule';
const JOB_RULE = 'StepFunctionsGetEventsForEMRServerlessJobRule';

function emrServerlessApp(api: string, action: string, syncActions: string[]): OptimizedIntegration {
  return {
    service: 'emr-serverless',
    api,
    doc: `${DOCS}connect-emr-serverless.html`,
    errorService: 'EMRServerless',
    needs: (args, ctx, pattern) => {
      const app = application(ctx, text(args, 'ApplicationId'));
      return [
        on(`emr-serverless:${action}`, app, `to call ${action} on the application`, args, ['ApplicationId']),
        ...(isSync(pattern) ? [
          ...syncActions.map((a) => on(`emr-serverless:${a}`, app, 'to follow the application to the state it waits for (.sync)', args, ['ApplicationId'])),
          ...managedRule(ctx, APPLICATION_RULE, 'for the rule that reports the state of the application (.sync)'),
        ] : []),
      ];
    },
  };
}

const emrServerless: OptimizedIntegration[] = [
  {
    service: 'emr-serverless',
    api: 'createApplication',
    doc: `${DOCS}connect-emr-serverless.html`,
    errorService: 'EMRServerless',
    needs: (_args, ctx, pattern) => [
      { action: 'emr-serverless:CreateApplication', resource: arn(ctx, 'emr-serverless', '/*'), why: 'to create the application' },
      {
        action: 'iam:CreateServiceLinkedRole',
        resource: `arn:${ctx.partition}:iam::${ctx.account}:role/aws-service-role/ops.emr-serverless.amazonaws.com/AWSServiceRoleForAmazonEMRServerless`,
        why: 'to create the service-linked role of EMR Serverless, for the first application of the account only',
        optional: true,
        context: { 'iam:AWSServiceName': 'ops.emr-serverless.amazonaws.com' },
      },
      ...(isSync(pattern) ? [
        ...each(['emr-serverless:GetApplication', 'emr-serverless:DeleteApplication'], arn(ctx, 'emr-serverless', '/applications/*'), 'to follow the new application until it is created (.sync)'),
        ...managedRule(ctx, APPLICATION_RULE, 'for the rule that reports the state of the application (.sync)'),
      ] : []),
    ],
  },
  emrServerlessApp('startApplication', 'StartApplication', ['GetApplication', 'StopApplication']),
  emrServerlessApp('stopApplication', 'StopApplication', ['GetApplication']),
  emrServerlessApp('deleteApplication', 'DeleteApplication', ['GetApplication']),
  {
    service: 'emr-serverless',
    api: 'startJobRun',
    doc: `${DOCS}connect-emr-serverless.html`,
    errorService: 'EMRServerless',
    needs: (args, ctx, pattern) => {
      const id = text(args, 'ApplicationId');
      return [
        on('emr-serverless:StartJobRun', application(ctx, id), 'to start the job run', args, ['ApplicationId']),
        ...passRole(ctx, args, ['ExecutionRoleArn'], 'to pass the job run role to EMR Serverless', 'emr-serverless.amazonaws.com'),
        ...(isSync(pattern) ? [
          ...['emr-serverless:GetJobRun', 'emr-serverless:CancelJobRun'].map((a) => on(a, application(ctx, id, '/jobruns/*'), 'to follow and cancel the job run (.sync)', args, ['ApplicationId'])),
          ...managedRule(ctx, JOB_RULE, 'for the rule that reports the job run ended (.sync)'),
        ] : []),
      ];
    },
  },
  {
    service: 'emr-serverless',
    api: 'cancelJobRun',
    doc: `${DOCS}connect-emr-serverless.html`,
    errorService: 'EMRServerless',
    needs: (args, ctx, pattern) => {
      const id = text(args, 'ApplicationId');
      const run = text(args, 'JobRunId');
      const resource = id === undefined ? undefined : application(ctx, id, `/jobruns/${run ?? '*'}`);
      return [
        on('emr-serverless:CancelJobRun', resource, 'to cancel the job run', args, ['ApplicationId']),
        ...(isSync(pattern) ? [
          on('emr-serverless:GetJobRun', resource, 'to follow the job run until it is cancelled (.sync)', args, ['ApplicationId']),
          ...managedRule(ctx, JOB_RULE, 'for the rule that reports the job run ended (.sync)'),
        ] : []),
      ];
    },
  },
];

// ---------------------------------------------------------------- EKS

const eksCluster = (ctx: TaskScope, name: string | undefined): string | undefined => (name === undefined ? undefined : arn(ctx, 'eks', `cluster/${name}`));

function eksChild(ctx: TaskScope, kind: 'nodegroup' | 'fargateprofile', cluster: string | undefined, name: string | undefined): string | undefined {
  // The ARN ends with an id EKS assigns.
  return cluster === undefined ? undefined : arn(ctx, 'eks', `${kind}/${cluster}/${name ?? '*'}/*`);
}

const KUBERNETES = "the Kubernetes API of the cluster authorizes it (the role's entry in aws-auth or its access entry), not IAM";

const eks: OptimizedIntegration[] = [
  {
    service: 'eks',
    api: 'createCluster',
    doc: `${DOCS}connect-eks.html`,
    errorService: 'EKS',
    needs: (args, ctx, pattern) => [
      { action: 'eks:CreateCluster', resource: '*', why: 'to create the cluster' },
      ...passRole(ctx, args, ['RoleArn'], "to pass the cluster's IAM role to EKS", 'eks.amazonaws.com'),
      ...(isSync(pattern) ? [
        on('eks:DescribeCluster', eksCluster(ctx, text(args, 'Name')), 'to follow the cluster until it is active (.sync)', args, ['Name']),
        on('eks:DeleteCluster', eksCluster(ctx, text(args, 'Name')), 'to delete the cluster if the Task stops (.sync)', args, ['Name'], { optional: true }),
      ] : []),
    ],
  },
  {
    service: 'eks',
    api: 'deleteCluster',
    doc: `${DOCS}connect-eks.html`,
    errorService: 'EKS',
    needs: (args, ctx, pattern) => {
      const cluster = eksCluster(ctx, text(args, 'Name'));
      return [
        on('eks:DeleteCluster', cluster, 'to delete the cluster', args, ['Name']),
        ...(isSync(pattern) ? [on('eks:DescribeCluster', cluster, 'to follow the deletion (.sync)', args, ['Name'])] : []),
      ];
    },
  },
  {
    service: 'eks',
    api: 'createNodegroup',
    doc: `${DOCS}connect-eks.html`,
    errorService: 'EKS',
    needs: (args, ctx, pattern) => {
      const cluster = text(args, 'ClusterName');
      const group = eksChild(ctx, 'nodegroup', cluster, text(args, 'NodegroupName'));
      const nodeRole = text(args, 'NodeRole');
      return [
        on('eks:CreateNodegroup', eksCluster(ctx, cluster), 'to create the node group', args, ['ClusterName']),
        { action: 'ec2:DescribeSubnets', resource: '*', why: 'to check the subnets of the node group' },
        ...['iam:GetRole', 'iam:ListAttachedRolePolicies'].map((a) => on(a, nodeRole === undefined ? undefined : roleArn(ctx, nodeRole), 'to check the node role', args, ['NodeRole'])),
        ...passRole(ctx, args, ['NodeRole'], 'to pass the node role to EKS', 'eks.amazonaws.com'),
        ...(isSync(pattern) ? [
          on('eks:DescribeNodegroup', group, 'to follow the node group until it is active (.sync)', args, ['ClusterName']),
          on('eks:DeleteNodegroup', group, 'to delete the node group if the Task stops (.sync)', args, ['ClusterName'], { optional: true }),
        ] : []),
      ];
    },
  },
  {
    service: 'eks',
    api: 'deleteNodegroup',
    doc: `${DOCS}connect-eks.html`,
    errorService: 'EKS',
    needs: (args, ctx, pattern) => {
      const group = eksChild(ctx, 'nodegroup', text(args, 'ClusterName'), text(args, 'NodegroupName'));
      return [
        on('eks:DeleteNodegroup', group, 'to delete the node group', args, ['ClusterName']),
        ...(isSync(pattern) ? [on('eks:DescribeNodegroup', group, 'to follow the deletion (.sync)', args, ['ClusterName'])] : []),
      ];
    },
  },
  {
    service: 'eks',
    api: 'createFargateProfile',
    doc: `${DOCS}connect-eks.html`,
    errorService: 'EKS',
    needs: (args, ctx, pattern) => {
      const cluster = text(args, 'ClusterName');
      const profile = eksChild(ctx, 'fargateprofile', cluster, text(args, 'FargateProfileName'));
      return [
        on('eks:CreateFargateProfile', eksCluster(ctx, cluster), 'to create the Fargate profile', args, ['ClusterName']),
        // Which service the pod execution role is passed to is not documented: a condition on it is not assumed either way.
        ...passRole(ctx, args, ['PodExecutionRoleArn'], 'to pass the pod execution role to EKS'),
        ...(isSync(pattern) ? [
          on('eks:DescribeFargateProfile', profile, 'to follow the profile until it is active (.sync)', args, ['ClusterName']),
          on('eks:DeleteFargateProfile', profile, 'to delete the profile if the Task stops (.sync)', args, ['ClusterName'], { optional: true }),
        ] : []),
      ];
    },
  },
  {
    service: 'eks',
    api: 'deleteFargateProfile',
    doc: `${DOCS}connect-eks.html`,
    errorService: 'EKS',
    needs: (args, ctx, pattern) => {
      const profile = eksChild(ctx, 'fargateprofile', text(args, 'ClusterName'), text(args, 'FargateProfileName'));
      return [
        on('eks:DeleteFargateProfile', profile, 'to delete the Fargate profile', args, ['ClusterName']),
        ...(isSync(pattern) ? [on('eks:DescribeFargateProfile', profile, 'to follow the deletion (.sync)', args, ['ClusterName'])] : []),
      ];
    },
  },
  { service: 'eks', api: 'runJob', doc: `${DOCS}connect-eks.html`, errorService: 'EKS', authorizedElsewhere: KUBERNETES, needs: () => [] },
  { service: 'eks', api: 'call', doc: `${DOCS}connect-eks.html`, errorService: 'EKS', authorizedElsewhere: KUBERNETES, needs: () => [] },
];

// ---------------------------------------------------------------- SageMaker

/**
 * A SageMaker resource named by an argument. SageMaker keeps names in lower
 * case in its ARNs, while Step Functions' policy templates and the CDK write
 * them as given: the name is compared without regard to case.
 */
function sagemakerArn(ctx: TaskScope, kind: string, name: string | undefined): string | undefined {
  return name === undefined ? undefined : name.startsWith('arn:') ? name : arn(ctx, 'sagemaker', `${kind}/${name}`);
}

interface SageMakerCall {
  readonly api: string;
  readonly action: string;
  readonly kind: string;
  readonly nameField: string;
  /** Fields holding roles SageMaker runs with (passed with iam:PassRole). */
  readonly roles?: string[][];
  /** The Describe/Stop actions of a job, for `.sync`. */
  readonly job?: string;
  /** The events rule of `.sync`, where the guide names it. */
  readonly rule?: string;
}

function sagemaker(call: SageMakerCall): OptimizedIntegration {
  return {
    service: 'sagemaker',
    api: call.api,
    doc: `${DOCS}connect-sagemaker.html`,
    errorService: 'SageMaker',
    needs: (args, ctx, pattern) => {
      const resource = sagemakerArn(ctx, call.kind, text(args, call.nameField));
      const anyCase: Partial<Requirement> = { resourceIgnoreCase: true };
      const roles = (call.roles ?? []).flatMap((field) => passRole(ctx, args, field, 'to pass the role SageMaker runs with', 'sagemaker.amazonaws.com'));
      return [
        on(`sagemaker:${call.action}`, resource, `to call ${call.action}`, args, [call.nameField], anyCase),
        ...roles,
        // Tagging at creation needs AddTags; the CDK grants it for jobs only, so for the others a missing grant is a warning.
        ...(tagsGiven(args) ? [on('sagemaker:AddTags', resource, 'to tag what it creates (Tags)', args, [call.nameField], { ...anyCase, ...(call.job ? {} : { optional: true }) })] : []),
        ...(isSync(pattern) && call.job ? [
          ...[`Describe${call.job}`, `Stop${call.job}`].map((a) => on(`sagemaker:${a}`, resource, 'to follow and stop the job (.sync)', args, [call.nameField], anyCase)),
          ...(call.rule ? managedRule(ctx, call.rule, 'for the rule that reports the job ended (.sync)') : []),
        ] : []),
        // The guide lists ListTags on every resource; deployed stacks show Step Functions does not need it to run the call.
        { action: 'sagemaker:ListTags', resource: '*', why: 'to read the tags of what it creates', optional: true },
      ];
    },
  };
}

const sagemakerCalls: OptimizedIntegration[] = [
  sagemaker({ api: 'createTrainingJob', action: 'CreateTrainingJob', kind: 'training-job', nameField: 'TrainingJobName', roles: [['RoleArn']], job: 'TrainingJob', rule: 'StepFunctionsGetEventsForSageMakerTrainingJobsRule' }),
  sagemaker({ api: 'createTransformJob', action: 'CreateTransformJob', kind: 'transform-job', nameField: 'TransformJobName', job: 'TransformJob', rule: 'StepFunctionsGetEventsForSageMakerTransformJobsRule' }),
  sagemaker({ api: 'createProcessingJob', action: 'CreateProcessingJob', kind: 'processing-job', nameField: 'ProcessingJobName', roles: [['RoleArn']], job: 'ProcessingJob' }),
  sagemaker({ api: 'createLabelingJob', action: 'CreateLabelingJob', kind: 'labeling-job', nameField: 'LabelingJobName', roles: [['RoleArn']], job: 'LabelingJob' }),
  sagemaker({
    api: 'createHyperParameterTuningJob',
    action: 'CreateHyperParameterTuningJob',
    kind: 'hyper-parameter-tuning-job',
    nameField: 'HyperParameterTuningJobName',
    roles: [['TrainingJobDefinition', 'RoleArn']],
    job: 'HyperParameterTuningJob',
  }),
  sagemaker({ api: 'createModel', action: 'CreateModel', kind: 'model', nameField: 'ModelName', roles: [['ExecutionRoleArn']] }),
  sagemaker({ api: 'createEndpointConfig', action: 'CreateEndpointConfig', kind: 'endpoint-config', nameField: 'EndpointConfigName' }),
  sagemaker({ api: 'createEndpoint', action: 'CreateEndpoint', kind: 'endpoint', nameField: 'EndpointName' }),
  sagemaker({ api: 'updateEndpoint', action: 'UpdateEndpoint', kind: 'endpoint', nameField: 'EndpointName' }),
];

// ---------------------------------------------------------------- the table

const ROWS: readonly OptimizedIntegration[] = [
  lambdaInvoke,
  {
    service: 'sns',
    api: 'publish',
    doc: `${DOCS}connect-sns.html`,
    errorService: 'SNS',
    grant: 'topic.grantPublish(stateMachine)',
    needs: (args, ctx) => {
      const topic = text(args, 'TopicArn') ?? text(args, 'TargetArn');
      // An SMS to a phone number is authorized on every resource.
      if (topic === undefined && text(args, 'PhoneNumber') !== undefined) return [{ action: 'sns:Publish', resource: '*', why: 'to send an SMS to the phone number' }];
      return [on('sns:Publish', topic, 'to publish to the topic', args, [args?.['TargetArn.$'] !== undefined ? 'TargetArn' : 'TopicArn']), ...kmsFor(ctx, 'sns', topic, 'encrypt')];
    },
  },
  {
    service: 'sqs',
    api: 'sendMessage',
    doc: `${DOCS}connect-sqs.html`,
    errorService: 'SQS',
    grant: 'queue.grantSendMessages(stateMachine)',
    needs: (args, ctx) => {
      const url = text(args, 'QueueUrl');
      const queue = url === undefined ? undefined : queueArn(ctx, url);
      return [on('sqs:SendMessage', queue, 'to send to the queue', args, ['QueueUrl']), ...kmsFor(ctx, 'sqs', queue, 'encrypt')];
    },
  },
  { ...dynamo('GetItem'), api: 'getItem' },
  { ...dynamo('PutItem'), api: 'putItem' },
  { ...dynamo('UpdateItem'), api: 'updateItem' },
  { ...dynamo('DeleteItem'), api: 'deleteItem' },
  {
    service: 'events',
    api: 'putEvents',
    doc: `${DOCS}connect-eventbridge.html`,
    errorService: 'EventBridge',
    grant: 'eventBus.grantPutEventsTo(stateMachine)',
    needs: (args, ctx) => {
      const entries = args?.Entries;
      if (!Array.isArray(entries)) return [{ action: 'events:PutEvents', why: 'to put events on the bus', unresolved: runTimeSource(args, 'Entries') ?? 'the entries are only known at run time' }];
      const buses = new Map<string, Requirement>();
      entries.forEach((e: JsonValue, i) => {
        const entry = e !== null && typeof e === 'object' && !Array.isArray(e) ? e as Args : undefined;
        const dynamic = runTimeSource(entry, 'EventBusName');
        const bus = dynamic ? undefined : named(ctx, 'events', 'event-bus/', text(entry, 'EventBusName') ?? 'default');
        const key = bus ?? `dynamic ${i}`;
        if (!buses.has(key)) buses.set(key, { action: 'events:PutEvents', ...(bus ? { resource: bus } : { unresolved: `Entries[${i}].${dynamic ?? 'EventBusName is only known at run time'}` }), why: 'to put events on the bus' });
      });
      return [...buses.values()];
    },
  },
  ecsRunTask,
  glueStartJobRun,
  batchSubmitJob,
  athena('startQueryExecution', ['getQueryExecution']),
  athena('stopQueryExecution'),
  athena('getQueryExecution'),
  athena('getQueryResults'),
  databrewStartJobRun,
  statesStartExecution,
  httpInvoke,
  apigatewayInvoke,
  bedrockInvokeModel,
  bedrockCustomization,
  mediaconvertCreateJob,
  codebuild('startBuild', onProject('StartBuild', 'ProjectName', projectNamed), { actions: ['StopBuild', 'BatchGetBuilds'], rule: 'StepFunctionsGetEventForCodeBuildStartBuildRule' }, projectNamed),
  codebuild('stopBuild', onProject('StopBuild', 'Id', projectOfIdArg), undefined, projectOfIdArg),
  codebuild('batchDeleteBuilds', onIds('BatchDeleteBuilds', 'Ids', 'project'), undefined, () => undefined),
  codebuild('batchGetReports', onIds('BatchGetReports', 'ReportArns', 'report-group'), undefined, () => undefined),
  codebuild('startBuildBatch', onProject('StartBuildBatch', 'ProjectName', projectNamed), { actions: ['StopBuildBatch', 'BatchGetBuildBatches'], rule: 'StepFunctionsGetEventForCodeBuildStartBuildBatchRule' }, projectNamed),
  codebuild('stopBuildBatch', onProject('StopBuildBatch', 'Id', projectOfIdArg), undefined, projectOfIdArg),
  codebuild('retryBuildBatch', onProject('RetryBuildBatch', 'Id', projectOfIdArg), { actions: ['StopBuildBatch', 'BatchGetBuildBatches'] }, projectOfIdArg),
  codebuild('deleteBuildBatch', onProject('DeleteBuildBatch', 'Id', projectOfIdArg), undefined, projectOfIdArg),
  emrCreateCluster,
  emrOnCluster('addStep', ['AddJobFlowSteps'], { actions: ['DescribeStep', 'CancelSteps'], rule: 'StepFunctionsGetEventForEMRAddJobFlowStepsRule' }),
  emrOnCluster('cancelStep', ['CancelSteps']),
  emrOnCluster('terminateCluster', ['TerminateJobFlows'], { actions: ['DescribeCluster'], rule: 'StepFunctionsGetEventForEMRTerminateJobFlowsRule' }),
  emrOnCluster('setClusterTerminationProtection', ['SetTerminationProtection']),
  emrOnCluster('modifyInstanceFleetByName', ['ModifyInstanceFleet', 'ListInstanceFleets']),
  emrOnCluster('modifyInstanceGroupByName', ['ModifyInstanceGroups', 'ListInstanceGroups']),
  ...emrContainers,
  ...emrServerless,
  ...eks,
  ...sagemakerCalls,
];

/** Every optimized integration, by `service:api` (a Map: the key comes from the definition). */
export const OPTIMIZED: ReadonlyMap<string, OptimizedIntegration> = new Map(ROWS.map((r) => [`${r.service}:${r.api}`, r]));
