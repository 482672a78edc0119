import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { asl, ROLE, serve, until } from './helpers';
import { Task } from '../../src/constructs/task';
import { Workflow } from '../../src/testing/workflow';
import { templateFromStack } from '../../src/workbench/template';
import { cleanupSynthOutput } from '../../src/workbench/template/synth-output';

/*
 * What serve answers for a Lambda Task means what the jest harness answers:
 * a handler's thrown error is Lambda's function error, a mock step returned
 * by a handler means what it means in jest, a list of answers is refused, an
 * export named after a function answers its versions and aliases, and a loaded
 * template's inline code runs behind a version or an alias too.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-serve-lambda-'));
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  cleanupSynthOutput();
});

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:ocr';

/** A Task invoking `functionName` (payload only), retrying OCR.Busy once. */
function ocr(functionName: string): object {
  return {
    StartAt: 'OCR page',
    States: {
      'OCR page': {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { 'FunctionName': functionName, 'Payload.$': '$' },
        Retry: [{ ErrorEquals: ['OCR.Busy'], MaxAttempts: 1, IntervalSeconds: 1 }],
        OutputPath: '$.Payload',
        End: true,
      },
    },
  };
}

async function runOn(client: SFNClient, name: string, definition: object, input = '{}') {
  const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name, definition: asl(definition), roleArn: ROLE }));
  const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input }));
  return until(() => client.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 20_000);
}

function module(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const TESTING = JSON.stringify(path.join(__dirname, '..', '..', 'src', 'workbench', 'mocks', 'answers'));

describe('serve --handlers: what a handler throws or returns for a Lambda Task', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    env = await serve({
      handlers: module('handlers.js', `
        const { fail } = require(${TESTING});
        exports.corrupt = () => { throw Object.assign(new Error('bad scan'), { name: 'OCR.Corrupt' }); };
        exports.busyThenPage = (input, request) => (request.retryCount === 0 ? fail('OCR.Busy', 'try later') : { Payload: { page: 1 } });
        exports.listed = () => [fail('OCR.Busy'), { page: 1 }];
        exports['${FN}'] = () => ({ Payload: { answeredBy: 'function' } });
        exports['${FN}:live'] = () => ({ Payload: { answeredBy: 'alias live' } });
        exports.Send = () => { throw new TypeError('no queue'); };
        exports.unreadable = () => { throw Object.create(null); };
        exports.unhandled = () => ({ StatusCode: 200, FunctionError: 'Unhandled', Payload: { errorType: 'Boom', errorMessage: 'bad' } });
        exports.Publish = () => ({ Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'no' }], FailedEntryCount: 1 });
      `),
      timeScale: 1000,
    });
  });
  afterAll(() => env.stop());

  it('fails with the error payload Lambda reports (errorType, errorMessage, trace), as the jest harness does', async () => {
    const served = await runOn(env.sfn, 'corrupt', ocr('corrupt'));
    expect(served).toMatchObject({ status: 'FAILED', error: 'OCR.Corrupt' });
    const cause = JSON.parse(served.cause!);
    expect(Object.keys(cause)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(cause).toMatchObject({ errorType: 'OCR.Corrupt', errorMessage: 'bad scan' });

    const local = await Workflow.fromDefinition(ocr('corrupt') as never).run({}, {
      mocks: { 'OCR page': () => { throw Object.assign(new Error('bad scan'), { name: 'OCR.Corrupt' }); } },
    });
    expect(local.error).toBe(served.error);
    expect(Object.keys(JSON.parse(local.cause!))).toEqual(Object.keys(cause));
    expect(env.logs.join('\n')).toContain("handler for Task 'OCR page' threw OCR.Corrupt: bad scan");
  });

  it('fails with errorType handled, as the Node.js runtime does, when what a handler threw cannot be read, and logs that', async () => {
    const served = await runOn(env.sfn, 'unreadable', ocr('unreadable'));
    expect(served).toMatchObject({ status: 'FAILED', error: 'handled' });
    expect(JSON.parse(served.cause!)).toMatchObject({ errorType: 'handled', errorMessage: expect.stringContaining('a problem while retrieving one or more of its message, name, and stack') });
    expect(env.logs.join('\n')).toContain("handler for Task 'OCR page' threw Error: a value that cannot be read");
  });

  it('reads a returned fail() as the task failing with that error, so Retry applies', async () => {
    expect(await runOn(env.sfn, 'busy', ocr('busyThenPage'))).toMatchObject({ status: 'SUCCEEDED', output: '{"page":1}' });
  });

  it('refuses a returned list of answers with States.Runtime naming the state', async () => {
    const served = await runOn(env.sfn, 'listed', ocr('listed'));
    expect(served).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(served.cause).toContain("The handler for Task 'OCR page' returned a list holding a mock step or function");
  });

  it('answers a Task calling a version of a function with the export named after the function', async () => {
    expect(await runOn(env.sfn, 'version', ocr(`${FN}:3`))).toMatchObject({ status: 'SUCCEEDED', output: '{"answeredBy":"function"}' });
    expect(await runOn(env.sfn, 'latest', ocr('ocr:$LATEST'))).toMatchObject({ status: 'SUCCEEDED', output: '{"answeredBy":"function"}' });
  });

  it('prefers the export named after the alias a Task calls over the function\'s', async () => {
    expect(await runOn(env.sfn, 'alias', ocr(`${FN}:live`))).toMatchObject({ status: 'SUCCEEDED', output: '{"answeredBy":"alias live"}' });
  });

  it('fails a Lambda Task whose handler returns the invoke answer with FunctionError, with its errorType and the payload as cause (issue 72)', async () => {
    const served = await runOn(env.sfn, 'unhandled', ocr('unhandled'));
    expect(served).toMatchObject({ status: 'FAILED', error: 'Boom', cause: '{"errorType":"Boom","errorMessage":"bad"}' });
  });

  it('fails putEvents whose handler answers failed entries with EventBridge.FailedEntry, which a Catch takes (issue 72)', async () => {
    const publish = {
      StartAt: 'Publish',
      States: {
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: { Entries: [{ Source: 's', DetailType: 'd', Detail: {} }] },
          Catch: [{ ErrorEquals: ['EventBridge.FailedEntry'], Next: 'Refund' }],
          End: true,
        },
        Refund: { Type: 'Pass', Result: 'refunded', End: true },
      },
    };
    expect(await runOn(env.sfn, 'publish', publish)).toMatchObject({ status: 'SUCCEEDED', output: '"refunded"' });
  });

  it('fails a non-Lambda Task with the thrown error\'s name and message, in serve as in jest', async () => {
    const sqs = { StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'x' }, End: true } } };
    const served = await runOn(env.sfn, 'sqs', sqs);
    const local = await Workflow.fromDefinition(sqs as never).run({}, { mocks: { Send: () => { throw new TypeError('no queue'); } } });
    expect([served.error, served.cause]).toEqual(['TypeError', 'no queue']);
    expect([local.error, local.cause]).toEqual([served.error, served.cause]);
  });
});

describe('serve --load: inline Lambda code behind a version or an alias', () => {
  function template(): string {
    const stack = new Stack(new App(), 'Scan');
    const fn = new lambda.Function(stack, 'Ocr', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (event, context) => ({ page: event.n, version: context.functionVersion });'),
    });
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const pinned = Task.lambdaInvoke(stack, 'OCR page', { lambdaFunction: fn, resultPath: '$.pinned' });
    const live = Task.lambdaInvoke(stack, 'OCR live', { lambdaFunction: alias, resultPath: '$.live' });
    new sfn.StateMachine(stack, 'Pages', { stateMachineName: 'pages', definitionBody: sfn.DefinitionBody.fromChainable(pinned.next(live)) });
    const file = path.join(dir, 'scan.template.json');
    fs.writeFileSync(file, JSON.stringify(templateFromStack(stack).template));
    return file;
  }

  it('runs the function\'s inline code for a Task calling its current version and one calling its alias', async () => {
    const env = await serve({ load: [template()] });
    try {
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: env.server.loaded[0].stateMachineArn, input: '{"n":2}' }));
      const d = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING', 20_000);
      expect(d.status).toBe('SUCCEEDED');
      expect(JSON.parse(d.output!)).toEqual({ n: 2, pinned: { page: 2, version: '1' }, live: { page: 2, version: '$LATEST' } });
    } finally {
      await env.stop();
    }
  });

  it('still lets a handler answer before the inline code', async () => {
    const env = await serve({ load: [template()], handlers: { 'OCR page': () => 'handled' } });
    try {
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn: env.server.loaded[0].stateMachineArn, input: '{"n":3}' }));
      const d = await until(() => env.sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING', 20_000);
      expect(JSON.parse(d.output!)).toMatchObject({ pinned: 'handled', live: { page: 3 } });
    } finally {
      await env.stop();
    }
  });
});

