import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { TemplateResolver } from '../../src/cfn/resolver';

export const fn = (s: Stack, id = 'Fn'): lambda.Function =>
  new lambda.Function(s, id, { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.h', code: lambda.Code.fromInline('x') });

/** A stack with a state machine named `orders` (so its ARNs read as the AWS guide writes them). */
export function ordersStack(name = 'orders'): { stack: Stack; machine: sfn.StateMachine } {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const machine = new sfn.StateMachine(stack, 'Orders', {
    stateMachineName: name,
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Step')),
  });
  return { stack, machine };
}

export function role(stack: Stack, id = 'Caller'): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
}

/**
 * The statements of a role's default policy with every intrinsic evaluated
 * as CloudFormation would (us-east-1, account 123456789012), so they can be
 * compared with the ARN formats the AWS documentation gives.
 */
export function resolvedStatements(stack: Stack, roleId = 'Caller'): unknown[] {
  const template = Template.fromStack(stack).toJSON();
  const resolver = new TemplateResolver(template);
  const policy = Object.entries(template.Resources as Record<string, any>)
    .find(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith(`${roleId}DefaultPolicy`));
  if (!policy) throw new Error(`no default policy for role ${roleId}`);
  return resolver.resolve(policy[1].Properties.PolicyDocument.Statement, { location: 'Statement', record: () => undefined }) as unknown[];
}
