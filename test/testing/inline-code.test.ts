import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
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
