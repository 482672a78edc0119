import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Task } from '../../src/constructs/task';
import { matchers } from '../../src/testing/matchers';
import { Workflow } from '../../src/testing/workflow';

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
