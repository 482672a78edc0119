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
import type { JsonValue } from '../../asl';
import { CATALOGUE, pageOf, type CatalogueRow } from '../../asl/integrations';
import { Args, arn, lambdaFunctionArn, named, queueArn, runTimeSource, s3Uri, text } from '../arns';
import { kmsFor } from '../encryption';
import type { Requirement, TaskScope } from '../integrations';
import { eks, emrContainers, emrCreateCluster, emrOnCluster, emrServerless } from './clusters';
import { each, isSync, managedRule, on, passRole, tagsGiven, type IamEntry, type OptimizedIntegration } from './requirements';
import { sagemakerCalls } from './sagemaker';
import { awsArn } from '../../asl/aws-defaults';

export type { IamEntry, OptimizedIntegration } from './requirements';

// ---------------------------------------------------------------- Lambda, SNS, SQS, DynamoDB, EventBridge

const lambdaInvoke: IamEntry = {
  resource: 'lambda:invoke',
  grant: 'fn.grantInvoke(stateMachine) (for a version or alias, grant it on that version or alias)',
  needs: (args, ctx) => {
    const name = text(args, 'FunctionName');
    const resource = name === undefined ? undefined : lambdaFunctionArn(ctx, name);
    return [on('lambda:InvokeFunction', resource, 'to invoke the function (a qualified name needs the qualified ARN, or `:*`)', args, ['FunctionName'])];
  },
};

function dynamo(action: string): IamEntry {
  return {
    resource: `dynamodb:${action.charAt(0).toLowerCase()}${action.slice(1)}`,
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

const ecsRunTask: IamEntry = {
  resource: 'ecs:runTask',
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

const batchSubmitJob: IamEntry = {
  resource: 'batch:submitJob',
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

const glueStartJobRun: IamEntry = {
  resource: 'glue:startJobRun',
  needs: (args, ctx, pattern) => {
    // StartJobRun passes no role: the job's role was passed when the job was created.
    const job = named(ctx, 'glue', 'job/', text(args, 'JobName'));
    return [
      on('glue:StartJobRun', job, 'to start the job', args, ['JobName']),
      ...(isSync(pattern) ? ['glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'].map((a) => on(a, job, 'to follow and stop the job run (.sync)', args, ['JobName'])) : []),
    ];
  },
};

const databrewStartJobRun: IamEntry = {
  resource: 'databrew:startJobRun',
  needs: (args, ctx, pattern) => {
    const job = named(ctx, 'databrew', 'job/', text(args, 'Name'));
    return [
      on('databrew:StartJobRun', job, 'to start the job run', args, ['Name']),
      ...(isSync(pattern) ? ['databrew:StopJobRun', 'databrew:ListJobRuns'].map((a) => on(a, job, 'to follow and stop the job run (.sync)', args, ['Name'])) : []),
    ];
  },
};

function athena(api: string, sync: string[] = []): IamEntry {
  return {
    resource: `athena:${api}`,
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

const statesStartExecution: IamEntry = {
  resource: 'states:startExecution',
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

/** What reading an HTTP Task's connection secret needs: on the secret a connection of the template holds, else left open. */
function secretOf(connection: string | undefined, ctx: TaskScope): Requirement[] {
  const actions = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
  const secret = connection === undefined ? undefined : ctx.facts.connectionSecrets?.get(connection);
  if (secret !== undefined) return each(actions, secret, "to read the connection's secret");
  return each(actions, undefined, "to read the connection's secret", { unresolved: "the connection's secret has a name EventBridge chooses" });
}

const httpInvoke: IamEntry = {
  resource: 'http:invoke',
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
      // The secret's ARN carries a random suffix the definition cannot show; a connection of the template names it.
      ...secretOf(connection, ctx),
    ];
  },
};

const apigatewayInvoke: IamEntry = {
  resource: 'apigateway:invoke',
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

const bedrockInvokeModel: IamEntry = {
  resource: 'bedrock:invokeModel',
  needs: (args, ctx) => {
    const model = text(args, 'ModelId');
    const modelArn = model === undefined ? undefined : model.startsWith('arn:') ? model : awsArn(ctx.partition, 'bedrock', ctx.region, '', `foundation-model/${model}`);
    const input = args?.Input !== undefined ? [on('s3:GetObject', s3Uri(ctx, text(args, 'Input', 'S3Uri')), 'to read the model input from S3', args, ['Input', 'S3Uri'])] : [];
    const output = args?.Output !== undefined ? [on('s3:PutObject', s3Uri(ctx, text(args, 'Output', 'S3Uri')), 'to write the model output to S3', args, ['Output', 'S3Uri'])] : [];
    const guardrail = text(args, 'GuardrailIdentifier');
    const guard = guardrail !== undefined || runTimeSource(args, 'GuardrailIdentifier') !== undefined
      ? [on('bedrock:ApplyGuardrail', guardrail === undefined ? undefined : named(ctx, 'bedrock', 'guardrail/', guardrail), 'to apply the guardrail', args, ['GuardrailIdentifier'])] : [];
    return [on('bedrock:InvokeModel', modelArn, 'to invoke the model', args, ['ModelId']), ...input, ...output, ...guard];
  },
};

const bedrockCustomization: IamEntry = {
  resource: 'bedrock:createModelCustomizationJob',
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

const mediaconvertCreateJob: IamEntry = {
  resource: 'mediaconvert:createJob',
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
  projectOf: ArgsReader<string | undefined>): IamEntry {
  return {
    resource: `codebuild:${api}`,
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

// ---------------------------------------------------------------- the table

const ROWS: readonly IamEntry[] = [
  lambdaInvoke,
  {
    resource: 'sns:publish',
    grant: 'topic.grantPublish(stateMachine)',
    needs: (args, ctx) => {
      const topic = text(args, 'TopicArn') ?? text(args, 'TargetArn');
      // An SMS to a phone number is authorized on every resource.
      if (topic === undefined && text(args, 'PhoneNumber') !== undefined) return [{ action: 'sns:Publish', resource: '*', why: 'to send an SMS to the phone number' }];
      return [on('sns:Publish', topic, 'to publish to the topic', args, [args?.['TargetArn.$'] !== undefined ? 'TargetArn' : 'TopicArn']), ...kmsFor(ctx, 'sns', topic, 'encrypt')];
    },
  },
  {
    resource: 'sqs:sendMessage',
    grant: 'queue.grantSendMessages(stateMachine)',
    needs: (args, ctx) => {
      const url = text(args, 'QueueUrl');
      const queue = url === undefined ? undefined : queueArn(ctx, url);
      return [on('sqs:SendMessage', queue, 'to send to the queue', args, ['QueueUrl']), ...kmsFor(ctx, 'sqs', queue, 'encrypt')];
    },
  },
  dynamo('GetItem'),
  dynamo('PutItem'),
  dynamo('UpdateItem'),
  dynamo('DeleteItem'),
  {
    resource: 'events:putEvents',
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

const ENTRIES = new Map(ROWS.map((entry) => [entry.resource, entry]));
for (const key of ENTRIES.keys()) {
  if (!CATALOGUE.has(key)) throw new Error(`iam/ lists the permissions of ${key}, which the catalogue (asl/integrations.ts) has no row for`);
}

/** A catalogue row with its permissions: none where IAM does not authorize the call (the row says what does). */
function integration(row: CatalogueRow, entry: IamEntry | undefined): OptimizedIntegration | undefined {
  const elsewhere = 'elsewhere' in row.iam ? row.iam.elsewhere : undefined;
  if (entry === undefined && elsewhere === undefined) return undefined;
  const colon = row.resource.indexOf(':');
  return {
    row,
    resource: row.resource,
    service: row.resource.slice(0, colon),
    api: row.resource.slice(colon + 1),
    doc: pageOf(row),
    errorService: row.errorPrefix,
    ...(elsewhere !== undefined ? { authorizedElsewhere: elsewhere } : {}),
    ...(entry?.grant !== undefined ? { grant: entry.grant } : {}),
    needs: entry?.needs ?? (() => []),
  };
}

/**
 * Every optimized integration whose permissions are known, by `service:api`, in the catalogue's
 * order (a Map: the key comes from the definition). A row whose guide lists no policy is left out:
 * its permissions are not checked.
 */
export const OPTIMIZED: ReadonlyMap<string, OptimizedIntegration> = new Map([...CATALOGUE.values()]
  .flatMap((row) => { const known = integration(row, ENTRIES.get(row.resource)); return known ? [[row.resource, known] as const] : []; }));
