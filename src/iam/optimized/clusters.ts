/**
 * The optimized integrations that run work on clusters: EMR, EMR on EKS, EMR
 * Serverless and EKS itself (clusters, node groups, Fargate profiles and the
 * Kubernetes API). EMR on EKS names the EKS cluster's virtual clusters, so the
 * two families are read together.
 */
import { arn, roleArn, text } from '../arns';
import type { Requirement, TaskScope } from '../integrations';
import { each, isSync, managedRule, on, passRole, tagsGiven, type IamEntry } from './requirements';
import { awsArn } from '../../asl/aws-defaults';

const clusterArn = (ctx: TaskScope, id: string | undefined): string | undefined => (id === undefined ? undefined : arn(ctx, 'elasticmapreduce', `cluster/${id}`));

export function emrOnCluster(api: string, actions: string[], sync?: { actions: string[]; rule?: string }): IamEntry {
  return {
    resource: `elasticmapreduce:${api}`,
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

export const emrCreateCluster: IamEntry = {
  resource: 'elasticmapreduce:createCluster',
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

export const emrContainers: IamEntry[] = [
  {
    resource: 'emr-containers:createVirtualCluster',
    needs: (_args, ctx) => [
      { action: 'emr-containers:CreateVirtualCluster', resource: '*', why: 'to create the virtual cluster' },
      {
        action: 'iam:CreateServiceLinkedRole',
        resource: awsArn(ctx.partition, 'iam', '', ctx.account, 'role/aws-service-role/emr-containers.amazonaws.com/AWSServiceRoleForAmazonEMRContainers'),
        why: 'to create the service-linked role of EMR on EKS, the first time only',
        optional: true,
        context: { 'iam:AWSServiceName': 'emr-containers.amazonaws.com' },
      },
    ],
  },
  {
    resource: 'emr-containers:deleteVirtualCluster',
    needs: (args, ctx, pattern) => {
      const cluster = virtualCluster(ctx, text(args, 'Id'));
      return [
        on('emr-containers:DeleteVirtualCluster', cluster, 'to delete the virtual cluster', args, ['Id']),
        ...(isSync(pattern) ? [on('emr-containers:DescribeVirtualCluster', cluster, 'to follow the deletion (.sync)', args, ['Id'])] : []),
      ];
    },
  },
  {
    resource: 'emr-containers:startJobRun',
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

function emrServerlessApp(api: string, action: string, syncActions: string[]): IamEntry {
  return {
    resource: `emr-serverless:${api}`,
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

export const emrServerless: IamEntry[] = [
  {
    resource: 'emr-serverless:createApplication',
    needs: (_args, ctx, pattern) => [
      { action: 'emr-serverless:CreateApplication', resource: arn(ctx, 'emr-serverless', '/*'), why: 'to create the application' },
      {
        action: 'iam:CreateServiceLinkedRole',
        resource: awsArn(ctx.partition, 'iam', '', ctx.account, 'role/aws-service-role/ops.emr-serverless.amazonaws.com/AWSServiceRoleForAmazonEMRServerless'),
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
    resource: 'emr-serverless:startJobRun',
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
    resource: 'emr-serverless:cancelJobRun',
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

export const eksCluster = (ctx: TaskScope, name: string | undefined): string | undefined => (name === undefined ? undefined : arn(ctx, 'eks', `cluster/${name}`));

function eksChild(ctx: TaskScope, kind: 'nodegroup' | 'fargateprofile', cluster: string | undefined, name: string | undefined): string | undefined {
  // The ARN ends with an id EKS assigns.
  return cluster === undefined ? undefined : arn(ctx, 'eks', `${kind}/${cluster}/${name ?? '*'}/*`);
}

export const eks: IamEntry[] = [
  {
    resource: 'eks:createCluster',
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
    resource: 'eks:deleteCluster',
    needs: (args, ctx, pattern) => {
      const cluster = eksCluster(ctx, text(args, 'Name'));
      return [
        on('eks:DeleteCluster', cluster, 'to delete the cluster', args, ['Name']),
        ...(isSync(pattern) ? [on('eks:DescribeCluster', cluster, 'to follow the deletion (.sync)', args, ['Name'])] : []),
      ];
    },
  },
  {
    resource: 'eks:createNodegroup',
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
    resource: 'eks:deleteNodegroup',
    needs: (args, ctx, pattern) => {
      const group = eksChild(ctx, 'nodegroup', text(args, 'ClusterName'), text(args, 'NodegroupName'));
      return [
        on('eks:DeleteNodegroup', group, 'to delete the node group', args, ['ClusterName']),
        ...(isSync(pattern) ? [on('eks:DescribeNodegroup', group, 'to follow the deletion (.sync)', args, ['ClusterName'])] : []),
      ];
    },
  },
  {
    resource: 'eks:createFargateProfile',
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
    resource: 'eks:deleteFargateProfile',
    needs: (args, ctx, pattern) => {
      const profile = eksChild(ctx, 'fargateprofile', text(args, 'ClusterName'), text(args, 'FargateProfileName'));
      return [
        on('eks:DeleteFargateProfile', profile, 'to delete the Fargate profile', args, ['ClusterName']),
        ...(isSync(pattern) ? [on('eks:DescribeFargateProfile', profile, 'to follow the deletion (.sync)', args, ['ClusterName'])] : []),
      ];
    },
  },
];
