import { App, Aspects, CfnCondition, CfnParameter, CfnResource, Fn, NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { renderStateMachine } from '../../src/constructs/rendered-machine';
import { StateMachineValidator } from '../../src/constructs/validation-aspect';
import { Workflow } from '../../src/testing/workflow';

function fn(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...props });
}

/**
 * A stack whose state machines reach every kind of token a definition holds:
 * ARNs, names and URLs of resources of many types, a version and an alias, a
 * nested machine, an activity, pseudo parameters, a template parameter, a
 * condition, and Fn::Sub / Fn::Select / Fn::Split / Fn::Join around them.
 */
function busyStack(props?: StackProps): { app: App; stack: Stack; machines: CfnResource[] } {
  const app = new App();
  const stack = new Stack(app, 'Busy', props);
  const charge = fn(stack, 'Charge');
  const named = fn(stack, 'Named', { functionName: 'named-fn' });
  const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: named.currentVersion });
  const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const queue = new sqs.Queue(stack, 'Jobs', { fifo: true });
  const topic = new sns.Topic(stack, 'Done');
  const bucket = new s3.Bucket(stack, 'Archive');
  const bus = new events.EventBus(stack, 'Bus');
  const activity = new sfn.Activity(stack, 'Review');
  const stage = new CfnParameter(stack, 'Stage', { default: 'prod' });
  const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(stage.valueAsString, 'prod') });
  const child = new sfn.StateMachine(stack, 'Child', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Noop')) });

  const chain = new tasks.LambdaInvoke(stack, 'ChargeCard', { lambdaFunction: charge, payloadResponseOnly: true })
    .next(new tasks.LambdaInvoke(stack, 'CallAlias', { lambdaFunction: alias }))
    .next(new tasks.DynamoPutItem(stack, 'Save', { table, item: { id: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.id')) } }))
    .next(new tasks.SqsSendMessage(stack, 'Enqueue', { queue, messageBody: sfn.TaskInput.fromText('x'), messageGroupId: 'g' }))
    .next(new tasks.SnsPublish(stack, 'Notify', { topic, message: sfn.TaskInput.fromText(Fn.sub('${AWS::StackName} in ${AWS::Region}/${AWS::AccountId}')) }))
    .next(new tasks.StepFunctionsStartExecution(stack, 'RunChild', { stateMachine: child }))
    .next(new tasks.StepFunctionsInvokeActivity(stack, 'AskReviewer', { activity }))
    .next(new tasks.EventBridgePutEvents(stack, 'Publish', { entries: [{ detail: sfn.TaskInput.fromText('x'), detailType: 'd', source: 's', eventBus: bus }] }))
    .next(new sfn.Pass(stack, 'Facts', {
      parameters: {
        bucket: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        named: named.functionName,
        version: named.currentVersion.functionArn,
        queueName: queue.queueName,
        stage: stage.valueAsString,
        size: Fn.conditionIf(isProd.logicalId, 'big', 'small'),
        zone: Fn.select(1, Fn.split(',', 'a,b,c')),
        path: Fn.join('/', [Fn.ref('AWS::Partition'), Fn.ref('AWS::URLSuffix'), table.tableName]),
      },
    }));
  const flow = new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(chain) });
  const l1 = new sfn.CfnStateMachine(stack, 'L1', {
    roleArn: 'arn:aws:iam::123456789012:role/r',
    definition: { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: '${Target}', Parameters: { Queue: queue.queueUrl }, End: true } } },
    definitionSubstitutions: { Target: named.functionArn },
    stateMachineType: 'EXPRESS',
  });
  return { app, stack, machines: [flow.node.defaultChild as CfnResource, child.node.defaultChild as CfnResource, l1] };
}

/** What the synth-time validator checks, in the shape the harness extracts. */
function validatorView(machine: CfnResource): { definition: unknown; arn: string; type: string } {
  const rendered = renderStateMachine(machine);
  if (!rendered) throw new Error(`${machine.node.path} did not render`);
  const definition = typeof rendered.definition === 'string' ? JSON.parse(rendered.definition) : rendered.definition;
  return { definition, arn: rendered.arn, type: rendered.type };
}

function harnessView(stack: Stack, machine: CfnResource): { definition: unknown; arn: string; type: string } {
  const wf = Workflow.fromStack(stack, { stateMachine: machine.node.path });
  return { definition: wf.definition, arn: wf.arn, type: wf.type };
}

describe('StateMachineValidator placeholders', () => {
  it.each([
    ['an environment-agnostic stack', undefined],
    ['a stack with a concrete account, region and name', { env: { account: '111122223333', region: 'eu-west-1' }, stackName: 'busy-prod' }],
  ])('resolve every token of %s to the placeholders the jest harness gives the same stack', (_what, props) => {
    const { app, stack, machines } = busyStack(props);
    app.synth();
    for (const machine of machines) expect(validatorView(machine)).toEqual(harnessView(stack, machine));
  });

  it('are shaped like the deployed values', () => {
    const { app, machines: [flow] } = busyStack();
    app.synth();
    const states = (validatorView(flow).definition as { States: Record<string, { Resource?: string; Parameters?: Record<string, unknown> }> }).States;
    expect(states.ChargeCard.Resource).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:Charge[0-9A-F]{8}$/);
    expect(states.CallAlias.Parameters?.FunctionName).toBe('arn:aws:lambda:us-east-1:123456789012:function:named-fn:live');
    expect(states.Enqueue.Parameters?.QueueUrl).toMatch(/^https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/Jobs[0-9A-F]{8}\.fifo$/);
    expect(states.Facts.Parameters).toMatchObject({ size: 'big', zone: 'b', stage: 'prod', named: 'named-fn', version: 'arn:aws:lambda:us-east-1:123456789012:function:named-fn:1' });
  });
});

describe('StateMachineValidator resolution', () => {
  function appWithValidator(): { app: App; stack: Stack } {
    const app = new App();
    Aspects.of(app).add(new StateMachineValidator({ warnings: false }));
    return { app, stack: new Stack(app, 'Orders') };
  }
  const VALID = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
  const BROKEN = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } });

  it('checks the Fn::If branch the stack\'s condition selects, not always the first', () => {
    const { app, stack } = appWithValidator();
    const never = new CfnCondition(stack, 'Never', { expression: Fn.conditionEquals('a', 'b') });
    new sfn.CfnStateMachine(stack, 'L1', { roleArn: 'arn:aws:iam::123456789012:role/r', definitionString: Fn.conditionIf(never.logicalId, BROKEN, VALID).toString() });
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synth on the broken branch when the condition selects it', () => {
    const { app, stack } = appWithValidator();
    const always = new CfnCondition(stack, 'Always', { expression: Fn.conditionEquals('a', 'a') });
    new sfn.CfnStateMachine(stack, 'L1', { roleArn: 'arn:aws:iam::123456789012:role/r', definitionString: Fn.conditionIf(always.logicalId, BROKEN, VALID).toString() });
    expect(() => app.synth()).toThrow(/MISSING_TRANSITION_TARGET at \/States\/A\/Next/);
  });

  it('gives a parent\'s Lambda threaded into a nested stack as a parameter the Lambda\'s placeholder ARN, as the harness does, so the nested machine synthesizes', () => {
    const { app, stack } = appWithValidator();
    const charge = fn(stack, 'Charge');
    const nested = new NestedStack(stack, 'Nested');
    const flow = new sfn.StateMachine(nested, 'Flow', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(nested, 'ChargeCard', { lambdaFunction: charge, payloadResponseOnly: true })),
    });
    expect(() => app.synth()).not.toThrow();
    const states = (validatorView(flow.node.defaultChild as CfnResource).definition as { States: Record<string, { Resource: string }> }).States;
    expect(states.ChargeCard.Resource).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:Charge[0-9A-F]{8}$/);
    expect(validatorView(flow.node.defaultChild as CfnResource)).toEqual(harnessView(nested, flow.node.defaultChild as CfnResource));
  });

  it('stands in imported-<Export> for a value exported by another stack, and lets the synth go on', () => {
    const { app, stack } = appWithValidator();
    const machine = new sfn.CfnStateMachine(stack, 'L1', {
      roleArn: 'arn:aws:iam::123456789012:role/r',
      definition: { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { topic: Fn.importValue('SharedTopicArn') }, End: true } } },
    });
    expect(() => app.synth()).not.toThrow();
    expect((renderStateMachine(machine)?.definition as { States: { A: { Parameters: unknown } } }).States.A.Parameters).toEqual({ topic: 'imported-SharedTopicArn' });
  });

  it('warns, naming the function and where it is, and does not check a definition holding a malformed intrinsic', () => {
    const { app, stack } = appWithValidator();
    new CfnResource(stack, 'Raw', {
      type: 'AWS::StepFunctions::StateMachine',
      properties: { RoleArn: 'r', DefinitionString: { 'Fn::Select': [5, [BROKEN]] } },
    });
    expect(() => app.synth()).not.toThrow();
    expect(Annotations.fromStack(stack).findWarning('/Orders/Raw', Match.stringLikeRegexp(
      "Step Functions definition not checked: state machine 'Raw', DefinitionString.Fn::Select: Fn::Select index 5 is out of range",
    ))).toHaveLength(1);
  });
});
