import { App, CfnParameter, NestedStack, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Workflow } from '../../../src/testing/workflow';
import { templateFromStack, TemplateError } from '../../../src/workbench/template';

/** A parent stack with a Lambda, and a nested stack whose machine invokes it (the CDK passes its ARN as a parameter). */
function parentAndNested(): { parent: Stack; nested: NestedStack } {
  const parent = new Stack(new App(), 'Orders');
  const charge = new lambda.Function(parent, 'Charge', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
  const nested = new NestedStack(parent, 'Nested');
  new sfn.StateMachine(nested, 'Flow', {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(nested, 'ChargeCard', { lambdaFunction: charge, payloadResponseOnly: true })),
  });
  return { parent, nested };
}

function chargeResource(wf: Workflow): unknown {
  return (wf.definition.States.ChargeCard as { Resource?: unknown }).Resource;
}

describe('nested stacks', () => {
  it('resolve a parent resource the CDK passes in as a parameter to that resource\'s placeholder', () => {
    const { nested } = parentAndNested();
    expect(chargeResource(Workflow.fromStack(nested))).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:Charge[0-9A-F]{8}$/);
  });

  it('let options.parameters override what the parent passes', () => {
    const { nested } = parentAndNested();
    const [name] = Object.keys(templateFromStack(nested).parameters ?? {});
    const wf = Workflow.fromStack(nested, { parameters: { [name]: 'arn:aws:lambda:us-east-1:123456789012:function:given' } });
    expect(chargeResource(wf)).toBe('arn:aws:lambda:us-east-1:123456789012:function:given');
  });

  it('leave out a value the parent cannot resolve offline, so the nested machine asks for it by name', () => {
    const parent = new Stack(new App(), 'Orders');
    const target = new CfnParameter(parent, 'TargetArn', { type: 'String' });
    const nested = new NestedStack(parent, 'Nested');
    new sfn.StateMachine(nested, 'Flow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.CustomState(nested, 'Call', { stateJson: { Type: 'Task', Resource: target.valueAsString, End: true } })),
    });
    expect(templateFromStack(nested).parameters).toEqual({});
    expect(() => Workflow.fromStack(nested)).toThrow(TemplateError);
    expect(() => Workflow.fromStack(nested)).toThrow(/parameter 'referencetoOrdersTargetArn[0-9A-F]*Ref' has no Default; pass it in options\.parameters/);
  });

  it('give a stack that is not nested no parameters', () => {
    const { parent } = parentAndNested();
    expect(templateFromStack(parent).parameters).toBeUndefined();
  });
});
