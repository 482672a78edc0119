/** The optimized integrations of EMR, EMR on EKS and EMR Serverless. */
import { arn, text } from '../arns';
import type { Requirement, TaskScope } from '../integrations';
import { DOCS, each, isSync, managedRule, on, passRole, tagsGiven, type OptimizedIntegration } from './requirements';

const clusterArn = (ctx: TaskScope, id: string | undefined): string | undefined => (id === undefined ? undefined : arn(ctx, 'elasticmapreduce', `cluster/${id}`));

export function emrOnCluster(api: string, actions: string[], sync?: { actions: string[]; rule?: string }): OptimizedIntegration {
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

export const emrCreateCluster: OptimizedIntegration = {
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

export const emrContainers: OptimizedIntegration[] = [
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

export const emrServerless: OptimizedIntegration[] = [
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
