import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { IConstruct } from 'constructs';
import { Task } from '../../src/constructs/task';
import { matchers } from '../../src/testing/matchers';
import { Workflow } from '../../src/testing/workflow';
import type { Mock } from '../../src/workbench/mocks/answers';

expect.extend(matchers);

function stackWith(code: string, runtime = lambda.Runtime.NODEJS_20_X, invoke: 'payload' | 'function' = 'payload'): Stack {
  const stack = new Stack(new App(), 'Inline');
  const fn = new lambda.Function(stack, 'Greeter', { runtime, handler: 'index.handler', code: lambda.Code.fromInline(code) });
  const task = invoke === 'payload'
    ? new tasks.LambdaInvoke(stack, 'Greet', { lambdaFunction: fn, payloadResponseOnly: false, resultSelector: { 'greeting.$': '$.Payload.greeting' } })
    : new tasks.LambdaInvoke(stack, 'Greet', { lambdaFunction: fn, payloadResponseOnly: true });
  new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(task) });
  return stack;
}

describe('inline Lambda code (lambda.Code.fromInline)', () => {
  it('runs as the real handler of an unmocked lambda:invoke Task', async () => {
    const wf = Workflow.fromStack(stackWith('exports.handler = async (event) => ({ greeting: "hello " + event.name });'));
    const run = await wf.run({ name: 'Ada' });
    expect(run).toSucceed();
    expect(run.output).toEqual({ greeting: 'hello Ada' });
  });

  it('runs for a Task that invokes the function ARN directly (payloadResponseOnly)', async () => {
    const wf = Workflow.fromStack(stackWith('exports.handler = async (event) => ({ greeting: "hi " + event.name });', lambda.Runtime.NODEJS_20_X, 'function'));
    expect((await wf.run({ name: 'Bo' })).output).toEqual({ greeting: 'hi Bo' });
  });

  it('runs for a Task that calls a version or an alias of the function (Task.lambdaInvoke pins currentVersion)', async () => {
    const stack = new Stack(new App(), 'Pinned');
    const fn = new lambda.Function(stack, 'Greeter', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (event) => ({ greeting: "hey " + event.name });'),
    });
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const viaVersion = Task.lambdaInvoke(stack, 'By version', { lambdaFunction: fn, resultPath: '$.version' });
    const viaAlias = Task.lambdaInvoke(stack, 'By alias', { lambdaFunction: alias, resultPath: '$.alias' });
    new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(viaVersion.next(viaAlias)) });
    const wf = Workflow.fromStack(stack);
    expect(wf.definition.States['By version']).toMatchObject({ Resource: expect.stringMatching(/:function:Greeter\w+:1$/) });

    const run = await wf.run({ name: 'Di' });
    expect(run).toSucceed();
    expect(run.output).toEqual({ name: 'Di', version: { greeting: 'hey Di' }, alias: { greeting: 'hey Di' } });
  });

  it('does not answer a callback Task with what the function returns: the Task waits for its token, as on AWS', async () => {
    const stack = new Stack(new App(), 'Callback');
    const fn = new lambda.Function(stack, 'Notifier', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ approved: "by the function" });'),
    });
    const approve = Task.lambdaCallback(stack, 'Approve', {
      lambdaFunction: fn,
      payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
      taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
    });
    new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(approve) });
    const wf = Workflow.fromStack(stack);
    expect(await wf.run({})).toFail('States.Runtime', expect.stringContaining("No mock for Task 'Approve'"));

    const execution = wf.start({});
    const token = await execution.waitForTaskToken('Approve');
    execution.sendTaskSuccess(token, { approved: 'by the test' });
    expect((await execution.result).output).toEqual({ approved: 'by the test' });
  });

  it('turns an error the code throws into a Lambda function error, named by the error', async () => {
    const wf = Workflow.fromStack(stackWith('exports.handler = async () => { const e = new Error("no name"); e.name = "MissingName"; throw e; };'));
    const run = await wf.run({});
    expect(run).toFail('MissingName', expect.stringContaining('"errorMessage":"no name"'));
  });

  it('supports callback-style handlers', async () => {
    const wf = Workflow.fromStack(stackWith('exports.handler = (event, context, callback) => callback(null, { greeting: "cb " + event.name });'));
    expect((await wf.run({ name: 'Cy' })).output).toEqual({ greeting: 'cb Cy' });
  });

  it('gives way to an explicit mock', async () => {
    const wf = Workflow.fromStack(stackWith('exports.handler = async () => ({ greeting: "real" });'));
    expect((await wf.run({}, { mocks: { Greet: { greeting: 'mocked' } } })).output).toEqual({ greeting: 'mocked' });
  });

  it('is off with inlineCode: false, leaving the Task unmocked', async () => {
    const wf = Workflow.fromStack(stackWith('exports.handler = async () => ({ greeting: "real" });'));
    const run = await wf.run({}, { inlineCode: false });
    expect(run).toFail('States.Runtime', expect.stringContaining("No mock for Task 'Greet'"));
  });

  it('does not run inline code of a runtime other than Node.js', async () => {
    const wf = Workflow.fromStack(stackWith('def handler(event, context):\n  return {}', lambda.Runtime.PYTHON_3_12));
    expect(await wf.run({})).toFail('States.Runtime', expect.stringContaining("No mock for Task 'Greet'"));
  });

  it('fails the run naming the function when the code is not a CommonJS module', async () => {
    const wf = Workflow.fromStack(stackWith('export const handler = async () => ({});'));
    const run = await wf.run({});
    expect(run).toFail('States.Runtime', expect.stringContaining('the inline code of Lambda function Greeter does not load as a CommonJS module'));
  });
});

describe('inline Lambda code behind a version, an alias or a qualified ARN', () => {
  const CODE = 'let calls = 0; exports.handler = async (event, context) => ({ page: event.n, version: context.functionVersion, calls: ++calls });';

  function app(): { stack: Stack; fn: lambda.Function } {
    const stack = new Stack(new App(), 'Versions');
    const fn = new lambda.Function(stack, 'Ocr', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(CODE) });
    return { stack, fn };
  }

  function machine(stack: Stack, first: sfn.IChainable & sfn.INextable, ...rest: Array<sfn.IChainable & sfn.INextable>): Workflow {
    let chain = sfn.Chain.start(first);
    for (const next of rest) chain = chain.next(next);
    new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(chain) });
    return Workflow.fromStack(stack);
  }

  /** A lambda:invoke state whose FunctionName is written by hand (a qualified ARN or name). */
  function invokeByName(stack: Stack, id: string, functionName: string): sfn.CustomState {
    return new sfn.CustomState(stack, id, {
      stateJson: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': functionName, 'Payload.$': '$' }, ResultSelector: { 'out.$': '$.Payload' }, ResultPath: `$.${id}` },
    });
  }

  it('runs for Task.lambdaInvoke, which calls the function\'s current version', async () => {
    const { stack, fn } = app();
    const wf = machine(stack, Task.lambdaInvoke(stack, 'OCR page', { lambdaFunction: fn }));
    expect(wf.definition.States['OCR page']).toMatchObject({ Resource: expect.stringMatching(/:function:[^:]+:1$/) });
    const run = await wf.run({ n: 3 });
    expect(run).toSucceed();
    expect(run.output).toEqual({ page: 3, version: '1', calls: 1 });
  });

  it('runs for a Task that calls an alias of the function', async () => {
    const { stack, fn } = app();
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const wf = machine(stack, Task.lambdaInvoke(stack, 'OCR page', { lambdaFunction: alias }));
    expect(wf.definition.States['OCR page']).toMatchObject({ Resource: expect.stringMatching(/:function:[^:]+:live$/) });
    expect((await wf.run({ n: 4 })).output).toMatchObject({ page: 4 });
  });

  it('runs for a lambda.Version declared apart from the function', async () => {
    const { stack, fn } = app();
    const version = new lambda.Version(stack, 'V1', { lambda: fn });
    const wf = machine(stack, new tasks.LambdaInvoke(stack, 'OCR page', { lambdaFunction: version, payloadResponseOnly: true }));
    expect((await wf.run({ n: 5 })).output).toMatchObject({ page: 5 });
  });

  it('runs for a FunctionName qualified with $LATEST, a version number or an alias, and for a bare function name', async () => {
    const { stack, fn } = app();
    const wf = machine(stack,
      invokeByName(stack, 'latest', `${fn.functionArn}:$LATEST`),
      invokeByName(stack, 'second', `${fn.functionArn}:2`),
      invokeByName(stack, 'alias', `${fn.functionName}:live`),
      invokeByName(stack, 'bare', fn.functionName));
    const run = await wf.run({ n: 6 });
    expect(run).toSucceed();
    expect(run.output).toMatchObject({
      latest: { out: { page: 6, version: '$LATEST' } },
      second: { out: { page: 6, version: '2' } },
      alias: { out: { page: 6 } },
      bare: { out: { page: 6, version: '$LATEST' } },
    });
    // One warm environment per version: the second call to $LATEST sees the module state of the first.
    expect((run.output as Record<string, { out: { calls: number } }>).bare.out.calls).toBe(2);
  });

  it('gives way to a mock keyed by the function construct for a Task calling its alias', async () => {
    const { stack, fn } = app();
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const wf = machine(stack, Task.lambdaInvoke(stack, 'OCR page', { lambdaFunction: alias }));
    const run = await wf.run({ n: 1 }, { mocks: new Map([[fn, { page: 'mocked' }]]) });
    expect(run.output).toEqual({ page: 'mocked' });
  });

  it('lets a key naming the alias win over one naming its function', async () => {
    const { stack, fn } = app();
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const wf = machine(stack, Task.lambdaInvoke(stack, 'OCR page', { lambdaFunction: alias }));
    const run = await wf.run({}, { mocks: new Map<IConstruct, Mock>([[fn, 'function'], [alias, 'alias']]) });
    expect(run.output).toBe('alias');
    const fnArn = [...wf.resources.keys()][0].replace(/:live$/, '');
    expect((await wf.run({}, { mocks: { [fnArn]: 'function', [`${fnArn}:live`]: 'alias' } })).output).toBe('alias');
  });

  it('applies a mock keyed by the function name to the Tasks calling its versions', async () => {
    const { stack, fn } = app();
    const wf = machine(stack, Task.lambdaInvoke(stack, 'OCR page', { lambdaFunction: fn }));
    const name = /:function:([^:]+):1$/.exec(String(wf.definition.States['OCR page'] && (wf.definition.States['OCR page'] as { Resource: string }).Resource))![1];
    expect((await wf.run({}, { mocks: { [name]: 'by name' } })).output).toBe('by name');
  });

  it('leaves a callback task to the test under start(), though its function has inline code', async () => {
    const { stack, fn } = app();
    const wf = machine(stack, Task.lambdaCallback(stack, 'Approve', {
      lambdaFunction: fn, payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }), taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
    }));
    const execution = wf.start({});
    execution.sendTaskSuccess(await execution.waitForTaskToken('Approve'), { approvedBy: 'the test' });
    expect((await execution.result).output).toEqual({ approvedBy: 'the test' });
  });

  it('still fails a version whose function has no inline code as unmocked', async () => {
    const stack = new Stack(new App(), 'Asset');
    const fn = new lambda.Function(stack, 'Ocr', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromAsset(__dirname) });
    const wf = machine(stack, Task.lambdaInvoke(stack, 'OCR page', { lambdaFunction: fn }));
    expect(await wf.run({})).toFail('States.Runtime', expect.stringContaining("No mock for Task 'OCR page'"));
  });
});
