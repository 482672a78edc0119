import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { extractStateMachines, selectStateMachine, templateFromCdkOut, templateFromStack, TemplateError } from '../../../src/workbench/template';

function orderStack(app: App, env?: { account: string; region: string }): Stack {
  const stack = new Stack(app, 'Orders', { env });
  const charge = new lambda.Function(stack, 'Charge', {
    runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  new sfn.StateMachine(stack, 'Flow', {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'ChargeCard', { lambdaFunction: charge })),
  });
  return stack;
}

describe('templateFromStack', () => {
  it('synthesizes the stack and keys its placeholders by construct path', () => {
    const source = templateFromStack(orderStack(new App()));
    expect(source.stackName).toBe('Orders');
    const machine = selectStateMachine(extractStateMachines(source.template, source), 'Flow');
    expect(machine.path).toBe('Orders/Flow/Resource');
    const refs = [...machine.resources.values()];
    expect(refs).toContainEqual(expect.objectContaining({ resourceType: 'AWS::Lambda::Function', cdkPath: 'Orders/Charge/Resource', attribute: 'Arn' }));
    expect(machine.definition.States.ChargeCard).toMatchObject({ Resource: 'arn:aws:states:::lambda:invoke' });
  });

  it('uses a concrete stack environment for AWS::Region and AWS::AccountId', () => {
    const source = templateFromStack(orderStack(new App(), { account: '111122223333', region: 'eu-west-1' }));
    expect(source).toMatchObject({ account: '111122223333', region: 'eu-west-1' });
    const [machine] = extractStateMachines(source.template, source);
    expect(JSON.stringify(machine.definition)).toContain('arn:aws:lambda:eu-west-1:111122223333:function:');
  });
});

describe('templateFromCdkOut', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-cdkout-'));
    const app = new App({ outdir: dir });
    orderStack(app);
    app.synth();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the stack template through manifest.json', () => {
    const source = templateFromCdkOut(dir, 'Orders');
    expect(source.stackName).toBe('Orders');
    expect(extractStateMachines(source.template)).toHaveLength(1);
  });

  it('reads <stackName>.template.json when there is no manifest', () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-bare-'));
    fs.copyFileSync(path.join(dir, 'Orders.template.json'), path.join(bare, 'Orders.template.json'));
    try {
      expect(extractStateMachines(templateFromCdkOut(bare, 'Orders').template)).toHaveLength(1);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it('lists the stacks of the assembly when the named one is missing', () => {
    expect(() => templateFromCdkOut(dir, 'Shipping')).toThrow(TemplateError);
    expect(() => templateFromCdkOut(dir, 'Shipping')).toThrow(/no stack 'Shipping'.*the cloud assembly has: Orders/);
  });
});
