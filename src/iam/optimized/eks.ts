/** The optimized integrations of EKS: clusters, node groups, Fargate profiles and the Kubernetes API. */
import { arn, roleArn, text } from '../arns';
import type { TaskScope } from '../integrations';
import { DOCS, isSync, on, passRole, type OptimizedIntegration } from './requirements';

export const eksCluster = (ctx: TaskScope, name: string | undefined): string | undefined => (name === undefined ? undefined : arn(ctx, 'eks', `cluster/${name}`));

function eksChild(ctx: TaskScope, kind: 'nodegroup' | 'fargateprofile', cluster: string | undefined, name: string | undefined): string | undefined {
  // The ARN ends with an id EKS assigns.
  return cluster === undefined ? undefined : arn(ctx, 'eks', `${kind}/${cluster}/${name ?? '*'}/*`);
}

const KUBERNETES = "the Kubernetes API of the cluster authorizes it (the role's entry in aws-auth or its access entry), not IAM";

export const eks: OptimizedIntegration[] = [
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
