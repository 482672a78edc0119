/*
 * Suites written against the previous release, through the public entry points only: each test
 * is a usage that release's README or tests showed, and pins what it still does. Where a
 * behaviour changed on purpose, the test says so and names why; docs/upgrading.md lists them.
 */
import 'stepwright/testing/setup';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Task, type StateMachineDefinition } from 'stepwright';
import { delay, fail, rawResult, replay, succeed, TemplateError, Workflow, type Recording } from 'stepwright/testing';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:work';
const RETRY = { Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3 }] };
const byArn = (extra: object = {}): StateMachineDefinition => ({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true, ...extra } } });
const byInvoke = (extra: object = {}): StateMachineDefinition => ({
  StartAt: 'Work',
  States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': FN, 'Payload.$': '$' }, End: true, ...extra } },
});

class PaymentDeclined extends Error {
  name = 'PaymentDeclined';
}

describe('mocks, as the previous release read them', () => {
  const wf = Workflow.fromDefinition(byArn(RETRY));

  it('take a plain value as the task result, inside the invoke envelope for lambda:invoke', async () => {
    expect((await wf.run({}, { mocks: { Work: { ok: 1 } } })).output).toEqual({ ok: 1 });
    const invoked = await Workflow.fromDefinition(byInvoke()).run({}, { mocks: { Work: { ok: 1 } } });
    expect(invoked.output).toMatchObject({ Payload: { ok: 1 }, StatusCode: 200 });
  });

  it('fail the task as a Lambda function error when a mock function throws: its name, and the JSON error payload as cause', async () => {
    const run = await Workflow.fromDefinition(byInvoke()).run({}, { mocks: { Work: () => { throw new PaymentDeclined('card declined'); } } });
    expect(run).toFail('PaymentDeclined');
    expect(JSON.parse(run.cause!)).toMatchObject({ errorType: 'PaymentDeclined', errorMessage: 'card declined' });
  });

  it('answer one call per step of [fail(...), succeed(...)], retries included', async () => {
    const run = await wf.run({}, { mocks: { Work: [fail('Lambda.TooManyRequestsException', 'Rate exceeded'), succeed({ ok: 2 })] } });
    expect(run).toSucceed();
    expect(run).toHaveOutput({ ok: 2 });
    expect(run).toHaveRetried('Work', 1);
  });

  it('take a list of plain values as the result of every call, the list itself', async () => {
    expect((await wf.run({}, { mocks: { Work: [{ n: 1 }, { n: 2 }] } })).output).toEqual([{ n: 1 }, { n: 2 }]);
  });

  // Changed on purpose (issue 32 §1): the previous release returned this list itself as the result.
  it('read a list mixing fail() and a plain value as one answer per call, the plain value a result', async () => {
    const run = await wf.run({}, { mocks: { Work: [fail('Lambda.TooManyRequestsException'), { ok: 3 }] } });
    expect(run).toHaveOutput({ ok: 3 });
    expect(run).toHaveRetried('Work', 1);
  });

  it('fail the run with States.Runtime, naming the state, when calls outrun a sequence', async () => {
    const map = Workflow.fromDefinition({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: byArn() as never, End: true } } } as StateMachineDefinition);
    const run = await map.run([1, 2, 3], { mocks: { Work: [succeed(1), succeed(2)] } });
    expect(run).toFail('States.Runtime', expect.stringContaining("Task 'Work' was invoked 3 times"));
  });

  it('time a task out with delay() past its TimeoutSeconds, and leave a rawResult() without the invoke envelope', async () => {
    const slow = await Workflow.fromDefinition(byArn({ TimeoutSeconds: 300 })).run({}, { mocks: { Work: delay(600, succeed({ late: true })) } });
    expect(slow).toFail('States.Timeout');
    // An answer Lambda never gives needs the one line docs/upgrading.md documents (issue 45): mockValidation 'NONE'.
    expect((await Workflow.fromDefinition(byInvoke()).run({}, { mocks: { Work: rawResult({ raw: true }) }, mockValidation: 'NONE' })).output).toEqual({ raw: true });
  });

  // Changed on purpose, as on AWS: the previous release wrapped the answer in a Lambda invoke
  // envelope; a callback's result is what SendTaskSuccess sent.
  it('complete a lambda:invoke.waitForTaskToken callback with the mock\'s value as sent', async () => {
    const callback = Workflow.fromDefinition({
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: FN, Payload: { 'token.$': '$$.Task.Token' } }, End: true } },
    } as StateMachineDefinition);
    expect((await callback.run({}, { mocks: { Work: { approved: true } } })).output).toEqual({ approved: true });
  });

  // Changed on purpose, as on AWS: the previous release let an EXPRESS run go on past five minutes.
  it('time an EXPRESS run out after five minutes, a STANDARD one not', async () => {
    const wait: StateMachineDefinition = { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 600, End: true } } };
    expect((await Workflow.fromDefinition(wait, { type: 'EXPRESS' }).run({})).status).toBe('TIMED_OUT');
    expect(await Workflow.fromDefinition(wait).run({})).toSucceed();
  });

  it('answer the Tasks behind a resource ARN key, and fail an unmocked Task naming the state and the mock to add', async () => {
    expect((await wf.run({}, { mocks: { [FN]: { byArn: true } } })).output).toEqual({ byArn: true });
    const unmocked = await wf.run({});
    expect(unmocked).toFail('States.Runtime', expect.stringContaining("No mock for Task 'Work'"));
    expect((await wf.run({ echo: 1 }, { unmocked: 'input' })).output).toEqual({ echo: 1 });
  });
});

describe('inline Lambda code, as the previous release ran it', () => {
  function inlineStack(): { stack: Stack; fn: lambda.Function } {
    const stack = new Stack(new App(), 'Inline');
    const fn = new lambda.Function(stack, 'Double', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline([
        'exports.handler = async (e) => {',
        '  if (e.n < 0) { const error = new Error(`negative: ${e.n}`); error.name = "Negative"; throw error; }',
        '  return { n: e.n * 2 };',
        '};',
      ].join('\n')),
    });
    // Task.lambdaInvoke calls a version of the function; a plain LambdaInvoke calls the function.
    const pinned = Task.lambdaInvoke(stack, 'Pinned', { lambdaFunction: fn });
    const plain = new tasks.LambdaInvoke(stack, 'Plain', { lambdaFunction: fn, payloadResponseOnly: true });
    new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(plain.next(pinned)) });
    return { stack, fn };
  }
  const { stack, fn } = inlineStack();
  const wf = Workflow.fromStack(stack);

  it('runs the handler of a function with inline code that no mock answers, behind its version too', async () => {
    const run = await wf.run({ n: 3 });
    expect(run).toSucceed();
    expect(run.outputOf('Plain')).toEqual({ n: 6 });
    expect(run).toHaveOutput({ n: 12 });
  });

  it('fails the task as a Lambda function error when the inline handler throws', async () => {
    const run = await wf.run({ n: -1 });
    expect(run).toFail('Negative');
    expect(JSON.parse(run.cause!)).toMatchObject({ errorType: 'Negative', errorMessage: 'negative: -1' });
  });

  // Changed on purpose, as on AWS: the previous release answered a callback Task with the inline
  // code's return value; a callback waits for its token, so it needs a mock (or wf.start()).
  it('leaves a callback Task of a function with inline code to a mock', async () => {
    const callbackStack = new Stack(new App(), 'Callback');
    const approveFn = new lambda.Function(callbackStack, 'Approve', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ fromCode: true });'),
    });
    const approve = Task.lambdaCallback(callbackStack, 'Ask', {
      lambdaFunction: approveFn,
      payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
      taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
    });
    new sfn.StateMachine(callbackStack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(approve) });
    const callback = Workflow.fromStack(callbackStack);
    expect(await callback.run({})).toFail('States.Runtime', expect.stringContaining("No mock for Task 'Ask'"));
    expect((await callback.run({}, { mocks: { Ask: { approved: true } } })).output).toEqual({ approved: true });
  });

  it('lets a mock keyed by the function construct win over its code, and inlineCode: false leave it unmocked', async () => {
    expect((await wf.run({ n: 3 }, { mocks: new Map([[fn, { n: 0 }]]) })).output).toEqual({ n: 0 });
    expect(await wf.run({ n: 3 }, { inlineCode: false })).toFail('States.Runtime');
  });
});

describe('templates and definitions', () => {
  const template = Template.fromStack((() => {
    const stack = new Stack(new App(), 'Orders');
    new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done', { result: sfn.Result.fromObject({ ok: true }) })) });
    return stack;
  })()).toJSON();
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-compat-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes a template as an object and as JSON text, also with white space before it', async () => {
    for (const given of [template, JSON.stringify(template), `\n${JSON.stringify(template, null, 2)}\n`]) {
      expect((await Workflow.fromTemplate(given).run({})).output).toEqual({ ok: true });
    }
    expect((await Workflow.fromDefinition(JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } })).run({ p: 1 })).output).toEqual({ p: 1 });
  });

  // New since the previous release, which took only an object or JSON text (issue 32).
  it('takes the path of a template file, absolute or relative, as stepwright run does', async () => {
    const file = path.join(dir, 'Orders.template.json');
    fs.writeFileSync(file, JSON.stringify(template));
    for (const given of [file, path.relative(process.cwd(), file)]) {
      expect((await Workflow.fromTemplate(given).run({})).output).toEqual({ ok: true });
    }
    expect(() => Workflow.fromTemplate(path.join(dir, 'missing.template.json'))).toThrow(TemplateError);
    expect(() => Workflow.fromTemplate('{ not json')).toThrow(TemplateError);
  });
});

describe('replays of recordings, as the previous release compared them', () => {
  // Written by hand, as the previous release's tests wrote them: no event details.
  const recording: Recording = {
    format: 'stepwright-recording',
    version: 1,
    stateMachine: { arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } },
    execution: { arn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', status: 'SUCCEEDED', input: { a: 1 }, output: { a: 1 } },
    events: [
      { type: 'ExecutionStarted', id: 1, previousEventId: 0 },
      { type: 'PassStateEntered', id: 2, previousEventId: 1, stateEnteredEventDetails: { name: 'P' } },
      { type: 'PassStateExited', id: 3, previousEventId: 2, stateExitedEventDetails: { name: 'P' } },
      { type: 'ExecutionSucceeded', id: 4, previousEventId: 3 },
    ],
  };

  it('match a recording written without event details by its states, outcome and output, listed in either order', async () => {
    expect(await replay(recording)).toMatchRecording();
    expect(await replay({ ...recording, events: [...recording.events].reverse() })).toMatchRecording();
  });
});
