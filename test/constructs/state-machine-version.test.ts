import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { fn, ordersStack, resolvedStatements, role } from './blue-green-helpers';
import { StateMachineVersion, Task } from '../../src/constructs';

const ORDERS = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';

/** Logical id of the one version in a freshly synthesized app whose machine runs `build`'s chain. */
function versionLogicalId(build: (stack: Stack) => sfn.IChainable): string {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const machine = new sfn.StateMachine(stack, 'Orders', { definitionBody: sfn.DefinitionBody.fromChainable(build(stack)) });
  new StateMachineVersion(stack, 'Version', { stateMachine: machine });
  return Object.keys(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachineVersion'))[0];
}

describe('StateMachineVersion', () => {
  it('publishes the revision just deployed, with a description, and retains old versions by default', () => {
    const { stack, machine } = ordersStack();
    new StateMachineVersion(stack, 'Version', { stateMachine: machine, description: 'orders v2' });
    Template.fromStack(stack).hasResource('AWS::StepFunctions::StateMachineVersion', {
      Properties: {
        StateMachineArn: { Ref: 'OrdersA9B65338' },
        StateMachineRevisionId: { 'Fn::GetAtt': ['OrdersA9B65338', 'StateMachineRevisionId'] },
        Description: 'orders v2',
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('deletes replaced versions with removalPolicy DESTROY', () => {
    const { stack, machine } = ordersStack();
    new StateMachineVersion(stack, 'Version', { stateMachine: machine, removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::StepFunctions::StateMachineVersion', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  it('gets a new logical id (a new version) when the definition changes, and keeps it when nothing changes', () => {
    const one = (s: Stack) => new sfn.Pass(s, 'A');
    const two = (s: Stack) => new sfn.Pass(s, 'A').next(new sfn.Pass(s, 'B'));
    expect(versionLogicalId(one)).toMatch(/^Version[0-9A-F]{8}[0-9A-F]{32}$/);
    expect(versionLogicalId(one)).toBe(versionLogicalId(one));
    expect(versionLogicalId(two)).not.toBe(versionLogicalId(one));
  });

  it("gets a new logical id when a pinned Lambda function's code changes", () => {
    const withCode = (code: string) => (s: Stack) => {
      const f = fn(s);
      (f.node.defaultChild as any).addPropertyOverride('Code.ZipFile', code);
      return Task.lambdaInvoke(s, 'Charge', { lambdaFunction: f });
    };
    expect(versionLogicalId(withCode('a'))).not.toBe(versionLogicalId(withCode('b')));
  });

  it('refuses an imported state machine, pointing at fromVersionArn', () => {
    const { stack } = ordersStack();
    const imported = sfn.StateMachine.fromStateMachineArn(stack, 'Imp', ORDERS) as sfn.StateMachine;
    expect(() => new StateMachineVersion(stack, 'Version', { stateMachine: imported }))
      .toThrow(/stateMachine: 'Test\/Imp' has no AWS::StepFunctions::StateMachine of its own .*StateMachineVersion.fromVersionArn/);
  });

  it('imports a version by ARN, with the machine ARN and the number as qualifier', () => {
    const { stack } = ordersStack();
    const v = StateMachineVersion.fromVersionArn(stack, 'V3', `${ORDERS}:3`);
    expect([v.versionArn, v.stateMachineArn, v.qualifier]).toEqual([`${ORDERS}:3`, ORDERS, '3']);
  });

  it.each([`${ORDERS}:live`, ORDERS, 'orders'])('refuses %s as a version ARN', (arn) => {
    const { stack } = ordersStack();
    expect(() => StateMachineVersion.fromVersionArn(stack, 'V', arn)).toThrow(/is not a state machine version ARN/);
  });

  it('grants StartExecution on the machine ARN with the version number as states:StateMachineQualifier', () => {
    const { stack, machine } = ordersStack();
    const version = new StateMachineVersion(stack, 'Version', { stateMachine: machine });
    version.grantStartExecution(role(stack));
    expect(resolvedStatements(stack)).toEqual([{
      Action: 'states:StartExecution',
      Effect: 'Allow',
      Resource: ORDERS,
      Condition: { 'ForAnyValue:StringEquals': { 'states:StateMachineQualifier': ['1'] } },
    }]);
  });

  it('grants read on the version and on the machine executions', () => {
    const { stack } = ordersStack();
    StateMachineVersion.fromVersionArn(stack, 'V3', `${ORDERS}:3`).grantRead(role(stack));
    expect(resolvedStatements(stack)).toEqual([
      {
        Action: ['states:DescribeStateMachine', 'states:ListExecutions'],
        Effect: 'Allow',
        Resource: ORDERS,
        Condition: { 'ForAnyValue:StringEquals': { 'states:StateMachineQualifier': ['3'] } },
      },
      {
        Action: ['states:DescribeExecution', 'states:DescribeStateMachineForExecution', 'states:GetExecutionHistory'],
        Effect: 'Allow',
        Resource: 'arn:aws:states:us-east-1:123456789012:execution:orders:*',
      },
    ]);
  });
});
