import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Saga } from '../../src/constructs/saga';
import { InvalidMockError, MockKeyError, Workflow } from '../../src/testing/workflow';
import { delay, fail, rawResult, succeed, type Mock, type MockSequence } from '../../src/workbench/mocks/answers';
import { withoutRealTime } from '../real-time';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Charge';

function chargeMachine(extra: Record<string, unknown> = {}): Workflow {
  return Workflow.fromDefinition({
    StartAt: 'Charge',
    States: {
      Charge: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': FN, 'Payload.$': '$' }, End: true, ...extra },
    },
  } as StateMachineDefinition);
}

function plainFunctionMachine(extra: Record<string, unknown> = {}): Workflow {
  return Workflow.fromDefinition({ StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: FN, End: true, ...extra } } } as StateMachineDefinition);
}

describe('mock kinds', () => {
  it('returns a plain value as the raw payload of a function-ARN Task', async () => {
    const run = await plainFunctionMachine().run({}, { mocks: { Charge: { id: 'ch_1' } } });
    expect(run.output).toEqual({ id: 'ch_1' });
  });

  it('treats an array that holds no mock steps as a value', async () => {
    const run = await plainFunctionMachine().run({}, { mocks: { Charge: [1, 2] } });
    expect(run.output).toEqual([1, 2]);
  });

  it('calls a function mock with the task input and its invocation facts', async () => {
    const seen: unknown[] = [];
    const run = await plainFunctionMachine().run({ amount: 5 }, {
      mocks: {
        Charge: (input: { amount: number }, ctx) => {
          seen.push(ctx.stateName, ctx.invocation, ctx.functionName);
          return { doubled: input.amount * 2 };
        },
      },
    });
    expect(run.output).toEqual({ doubled: 10 });
    expect(seen).toEqual(['Charge', 0, 'Charge']);
  });

  it('awaits an async function mock', async () => {
    const run = await plainFunctionMachine().run({}, { mocks: { Charge: async () => { await new Promise((r) => setTimeout(r, 1)); return 'late'; } } });
    expect(run.output).toBe('late');
  });

  it('gives one sequence step per invocation, retries included', async () => {
    const wf = plainFunctionMachine({ Retry: [{ ErrorEquals: ['Payment.Declined'], IntervalSeconds: 1, MaxAttempts: 2 }] });
    const run = await wf.run({}, { mocks: { Charge: [fail('Payment.Declined', 'card'), succeed({ id: 1 })] } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ id: 1 });
    expect(run.retries('Charge')).toBe(1);
  });

  it('fails the run with States.Runtime when a sequence has no step for an invocation', async () => {
    const wf = plainFunctionMachine({ Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3 }] });
    const run = await wf.run({}, { mocks: { Charge: [fail('X'), fail('X')] } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toMatch(/Task 'Charge' was invoked 3 times, but its mock \('Charge'\) is a sequence of 2/);
  });

  it('fails with the exact error and cause of fail()', async () => {
    const run = await chargeMachine().run({}, { mocks: { Charge: fail('Payment.Declined', 'card expired') } });
    expect([run.error, run.cause]).toEqual(['Payment.Declined', 'card expired']);
  });

  it('rejects fail() without an error name', () => {
    expect(() => fail('')).toThrow(/error must be a non-empty string/);
  });

  it('times out with States.Timeout when delay() exceeds TimeoutSeconds, on the virtual clock, with no real time passing', async () => {
    const run = await withoutRealTime(() => plainFunctionMachine({ TimeoutSeconds: 300 }).run({}, { mocks: { Charge: delay(3600, succeed(1)) } }));
    expect(run.error).toBe('States.Timeout');
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(300_000);
  });

  it('answers after delay() when it is within TimeoutSeconds, advancing virtual time', async () => {
    const run = await plainFunctionMachine({ TimeoutSeconds: 300 }).run({}, { mocks: { Charge: delay(120, { ok: true }) } });
    expect(run.output).toEqual({ ok: true });
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(120_000);
  });

  it('rejects heartbeats later than the delay', () => {
    expect(() => delay(10, 1, { heartbeats: [20] })).toThrow(/each heartbeat must be a number of seconds between 0 and 10/);
  });
});

describe('mock lists: a list holding a step or function is one answer per call, any other list is the result', () => {
  /** The machine: a lambda:invoke Task (payload only) that retries OCR.Busy. */
  function ocrMachine(): Workflow {
    return Workflow.fromDefinition({
      StartAt: 'OCR page',
      States: {
        'OCR page': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': FN, 'Payload.$': '$' },
          OutputPath: '$.Payload',
          Retry: [{ ErrorEquals: ['OCR.Busy'], IntervalSeconds: 1, MaxAttempts: 3 }],
          End: true,
        },
      },
    } as StateMachineDefinition);
  }

  it('answers the first call with the step and the retry with the plain value after it', async () => {
    const run = await ocrMachine().run({}, { mocks: { 'OCR page': [fail('OCR.Busy'), { page: 1 }] } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ page: 1 });
    expect(run.retries('OCR page')).toBe(1);
  });

  it('reads a plain value before a step as its call\'s result too', async () => {
    const wf = plainFunctionMachine({ Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1, MaxAttempts: 3 }] });
    const run = await wf.run({}, { mocks: { Charge: ['first', fail('never reached')] } });
    expect(run.output).toBe('first');
  });

  it('takes a function in a list as the answer to its call', async () => {
    const run = await ocrMachine().run({ n: 7 }, { mocks: { 'OCR page': [fail('OCR.Busy'), (event: { n: number }) => ({ page: event.n })] } });
    expect(run.output).toEqual({ page: 7 });
  });

  it('keeps a list of plain values, however many calls, as the result of every call', async () => {
    const wf = plainFunctionMachine({ Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }] });
    const run = await wf.run({}, { mocks: { Charge: [{ page: 1 }, { page: 2 }] } });
    expect(run.output).toEqual([{ page: 1 }, { page: 2 }]);
    expect(run.retries('Charge')).toBe(0);
  });

  it('returns an array holding step-like data with succeed([...])', async () => {
    const run = await plainFunctionMachine().run({}, { mocks: { Charge: succeed([{ kind: 'fail' }, 2]) } });
    expect(run.output).toEqual([{ kind: 'fail' }, 2]);
  });

  it('refuses, before the run, a list of answers holding a list of steps, naming the key and the Task', async () => {
    const wf = ocrMachine();
    const nested = [fail('OCR.Busy'), [fail('OCR.Busy'), { page: 1 }]] as unknown as Mock;
    const error = await wf.run({}, { mocks: { [FN]: nested } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidMockError);
    expect((error as InvalidMockError).states).toEqual(['OCR page']);
    expect((error as Error).message).toContain(`mock '${FN}' (Task 'OCR page')`);
    expect((error as Error).message).toContain('its entry [1] is itself a list holding a mock step');
    expect((error as Error).message).toContain('succeed([...])');
  });

  it('fails the run with States.Runtime naming the state when a mock function returns a list holding a step', async () => {
    const run = await ocrMachine().run({}, { mocks: { 'OCR page': () => [fail('OCR.Busy'), { page: 1 }] } });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain("The mock function of Task 'OCR page' returned a list holding a mock step or function");
  });

  it('refuses succeed() and rawResult() of a list holding a step', () => {
    expect(() => succeed([fail('X')] as never)).toThrow(/succeed\(value\): value is the task result.*\[fail\('Busy'\), \{ page: 1 \}\]/);
    expect(() => rawResult([fail('X')] as never)).toThrow(/rawResult\(value\)/);
  });

  it('refuses delay() whose answer is a list of answers', () => {
    // @ts-expect-error delay ends one call: its answer is one MockAnswer, not a list of them
    expect(() => delay(5, [fail('X'), 1])).toThrow(/then answers the one call the delay ends/);
  });

  it('types a list mixing steps and values as a MockSequence, and a list of values as a plain Mock', () => {
    const sequence: MockSequence = [fail('OCR.Busy'), { page: 1 }, (event: unknown) => event as never];
    const plain: Mock = [1, 'two', { three: 3 }];
    // @ts-expect-error a list of answers cannot hold another list of answers
    const nested: Mock = [fail('X'), [fail('Y')]];
    expect([sequence.length, (plain as unknown[]).length, (nested as unknown[]).length]).toEqual([3, 3, 2]);
  });
});

describe('Lambda semantics', () => {
  it('wraps a lambda:invoke mock value in the invoke envelope AWS returns', async () => {
    const run = await chargeMachine().run({}, { mocks: { Charge: { id: 'ch_1' } } });
    const out = run.output as Record<string, any>;
    expect(Object.keys(out)).toEqual(['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode']);
    expect(out.Payload).toEqual({ id: 'ch_1' });
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(out.SdkHttpMetadata.HttpHeaders['Content-Length']).toBe(String(JSON.stringify({ id: 'ch_1' }).length));
    expect(out.SdkResponseMetadata.RequestId).toBe(out.SdkHttpMetadata.HttpHeaders['x-amzn-RequestId']);
  });

  it('passes the Payload, not the invoke parameters, to a lambda:invoke function mock', async () => {
    const run = await chargeMachine().run({ amount: 3 }, { mocks: { Charge: (event: { amount: number }) => ({ got: event.amount }) } });
    expect((run.output as any).Payload).toEqual({ got: 3 });
    expect(run.taskCalls('Charge')).toEqual([{ amount: 3 }]);
  });

  it('gives the same invoke envelope for a function mock that does not read awsRequestId as for the value it returns', async () => {
    const byValue = await chargeMachine().run({}, { mocks: { Charge: { id: 'ch_1' } } });
    const byFunction = await chargeMachine().run({}, { mocks: { Charge: () => ({ id: 'ch_1' }) } });
    expect(byFunction.output).toEqual(byValue.output);
    const reads = await chargeMachine().run({}, { mocks: { Charge: (_e: unknown, ctx) => ({ id: ctx.awsRequestId }) } });
    expect((reads.output as any).Payload.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns rawResult() without an envelope (one Lambda never returns, so with mockValidation NONE)', async () => {
    const run = await chargeMachine().run({}, { mocks: { Charge: rawResult({ custom: true }) }, mockValidation: 'NONE' });
    expect(run.output).toEqual({ custom: true });
  });

  it('turns an Error thrown by a handler into a Lambda function error: errorType as error, the Node.js error payload as cause', async () => {
    class PaymentDeclined extends Error { constructor(m: string) { super(m); this.name = 'PaymentDeclined'; } }
    const handler = async (_event: unknown) => { throw new PaymentDeclined('card expired'); };
    for (const wf of [chargeMachine(), plainFunctionMachine()]) {
      const run = await wf.run({}, { mocks: { Charge: handler } });
      expect(run.error).toBe('PaymentDeclined');
      const cause = JSON.parse(run.cause!);
      expect(Object.keys(cause)).toEqual(['errorType', 'errorMessage', 'trace']);
      expect(cause).toMatchObject({ errorType: 'PaymentDeclined', errorMessage: 'card expired' });
      expect(cause.trace[0]).toBe('PaymentDeclined: card expired');
      // The handler's own frame stays; stepwright's frames (src/ here, lib/ in a package) do not.
      expect(cause.trace.some((line: string) => line.includes(__filename))).toBe(true);
      expect(cause.trace.filter((line: string) => line.includes(`${path.join(__dirname, '..', '..', 'src')}${path.sep}`))).toEqual([]);
    }
  });

  it('reports a thrown non-Error as errorType of its JavaScript type, as the Node.js runtime does', async () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    const run = await plainFunctionMachine().run({}, { mocks: { Charge: () => { throw 'nope'; } } });
    expect(run.error).toBe('string');
    expect(JSON.parse(run.cause!)).toEqual({ errorType: 'string', errorMessage: 'nope', trace: [] });
  });

  it('reports a thrown value the runtime cannot read as errorType handled, in the Node.js runtime\'s words, never the harness\'s own TypeError', async () => {
    // aws-lambda-nodejs-runtime-interface-client, src/Errors.js, toRapidResponse: what reading the value throws is caught.
    const unreadable = [
      () => { throw Object.create(null); },
      () => { throw { toString() { throw new Error('toString boom'); } }; },
      () => { const e = new Error('m'); Object.defineProperty(e, 'name', { get() { throw new Error('name boom'); } }); throw e; },
      () => { const e = new Error('m'); (e as unknown as { message: unknown }).message = { text: 'not a string' }; throw e; },
      // The runtime reads a result's `then` inside the try around the call: what the getter throws is the function's.
      () => ({ get then() { throw Object.create(null); } }),
    ];
    for (const [i, handler] of unreadable.entries()) {
      for (const wf of [chargeMachine(), plainFunctionMachine()]) {
        const run = await wf.run({}, { mocks: { Charge: handler } });
        expect({ i, error: run.error }).toEqual({ i, error: 'handled' });
        expect(JSON.parse(run.cause!)).toEqual({
          errorType: 'handled',
          errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
          trace: [],
        });
      }
    }
  });

  it('fails a Lambda Task with what a returned object\'s then getter throws, as the runtime reads it in the call\'s try', async () => {
    for (const wf of [chargeMachine(), plainFunctionMachine()]) {
      const run = await wf.run({}, { mocks: { Charge: () => ({ get then() { throw new RangeError('then boom'); } }) } });
      expect(run.error).toBe('RangeError');
      expect(JSON.parse(run.cause!)).toMatchObject({ errorType: 'RangeError', errorMessage: 'then boom' });
    }
  });

  it('lets a Retry on the errorType retry a Lambda function error', async () => {
    let calls = 0;
    const wf = chargeMachine({ Retry: [{ ErrorEquals: ['TypeError'], IntervalSeconds: 1 }] });
    const run = await wf.run({}, { mocks: { Charge: () => { calls++; if (calls === 1) throw new TypeError('flaky'); return 'ok'; } } });
    expect(run.status).toBe('SUCCEEDED');
    expect(calls).toBe(2);
  });

  it('gives handlers a fake Lambda context', async () => {
    let ctx: any;
    await chargeMachine().run({}, { mocks: { Charge: (_e: unknown, c) => { ctx = c; return null; } } });
    expect(ctx).toMatchObject({ functionName: 'Charge', functionVersion: '$LATEST', invokedFunctionArn: FN, memoryLimitInMB: '128' });
    expect(ctx.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(typeof ctx.awsRequestId).toBe('string');
  });
});

describe('unmocked Tasks', () => {
  it('fail the run naming the state, its resource and the mock to add', async () => {
    const run = await chargeMachine().run({});
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toContain("No mock for Task 'Charge' (arn:aws:states:::lambda:invoke). Add: mocks: { Charge: ... }");
  });

  it("echo the task input with unmocked: 'input' (inside the envelope for lambda:invoke)", async () => {
    const plain = await plainFunctionMachine().run({ a: 1 }, { unmocked: 'input' });
    expect(plain.output).toEqual({ a: 1 });
    const invoke = await chargeMachine().run({ a: 1 }, { unmocked: 'input' });
    expect((invoke.output as any).Payload).toEqual({ a: 1 });
  });

  it('are answered by an unmocked function', async () => {
    const run = await plainFunctionMachine().run({}, { unmocked: (_i, ctx) => `default for ${ctx.stateName}` });
    expect(run.output).toBe('default for Charge');
  });
});

describe('mock keys', () => {
  it('match a Task by its resource ARN', async () => {
    const run = await plainFunctionMachine().run({}, { mocks: { [FN]: 'by arn' } });
    expect(run.output).toBe('by arn');
  });

  it('match a lambda:invoke Task by its FunctionName', async () => {
    const run = await chargeMachine().run({}, { mocks: { [FN]: 'by function' } });
    expect((run.output as any).Payload).toBe('by function');
  });

  // Lambda takes `.` in a function name (Invoke's NamespacedFunctionName pattern, Lambda API Reference).
  it('match a function whose name has a dot by its name, and a version of it by the unqualified name', async () => {
    const dotted = 'arn:aws:lambda:us-east-1:123456789012:function:tasks.list_items';
    const wf = Workflow.fromDefinition({
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: dotted, Next: 'B' }, B: { Type: 'Task', Resource: `${dotted}:live`, ResultPath: '$.b', End: true } },
    } as StateMachineDefinition);
    const run = await wf.run({}, { mocks: { 'tasks.list_items': { items: [] } } });
    expect(run.output).toEqual({ items: [], b: { items: [] } });
  });

  it('prefer the state name over a resource key', async () => {
    const run = await plainFunctionMachine().run({}, { mocks: { [FN]: 'by arn', Charge: 'by name' } });
    expect(run.output).toBe('by name');
  });

  it('reject a key that matches nothing, listing the Task states and resources', async () => {
    await expect(chargeMachine().run({}, { mocks: { Chrage: 1 } })).rejects.toThrow(MockKeyError);
    await expect(chargeMachine().run({}, { mocks: { Chrage: 1 } })).rejects.toThrow(/mock key 'Chrage' matches no Task state and no resource of workflow 'StateMachine'.\nTask states: Charge/);
  });

  it('reject a key naming the compensation a Saga left out, saying why it matches nothing', async () => {
    const stack = new Stack(new App(), 'Trips');
    const book = (name: string) => new sfn.Pass(stack, `Book${name}`);
    const cancelHotel = new sfn.Pass(stack, 'CancelHotel');
    const trip = new Saga(stack, 'Trip', {
      steps: [
        { name: 'Flight', action: book('Flight'), compensation: new sfn.Pass(stack, 'CancelFlight') },
        { name: 'Hotel', action: book('Hotel'), compensation: cancelHotel },
      ],
    });
    new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(trip) });
    const error = await Workflow.fromStack(stack).run({}, { mocks: { CancelHotel: {} } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockKeyError);
    expect((error as Error).message).toContain("mock key 'CancelHotel' matches no Task state and no resource of workflow");
    expect((error as Error).message).toContain("'CancelHotel' belongs to the compensation of step 'Hotel', the last step of Saga 'Trips/Trip', "
      + 'which the Saga leaves out of the state machine because it can never run');
    expect((error as Error).message).toContain('set compensateFailedStep: true on the Saga');
  });

  it('reject a key naming a state that is not a Task', async () => {
    const wf = Workflow.fromDefinition({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } as StateMachineDefinition);
    await expect(wf.run({}, { mocks: { P: 1 } })).rejects.toThrow(/names a Pass state .* only Task states/);
  });

  describe('by construct', () => {
    let stack: Stack;
    let charge: lambda.Function;
    let ship: lambda.Function;
    beforeAll(() => {
      const app = new App();
      stack = new Stack(app, 'Orders');
      const code = lambda.Code.fromInline('exports.handler = async () => ({})');
      charge = new lambda.Function(stack, 'ChargeFn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code });
      ship = new lambda.Function(stack, 'ShipFn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code });
      const definition = new tasks.LambdaInvoke(stack, 'Charge', { lambdaFunction: charge, payloadResponseOnly: false })
        .next(new tasks.LambdaInvoke(stack, 'Ship', { lambdaFunction: ship, outputPath: '$.Payload' }));
      new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(definition), timeout: Duration.minutes(5) });
    });

    it('answers the Tasks that invoke a lambda.Function construct', async () => {
      const wf = Workflow.fromStack(stack);
      const run = await wf.run({}, { mocks: new Map<any, any>([[charge, { charged: true }], [ship, (e: unknown) => ({ shippedAfter: e })]]) });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output).toEqual({ shippedAfter: expect.objectContaining({ Payload: { charged: true } }) });
    });

    it('accepts a list of [construct, mock] pairs', async () => {
      const run = await Workflow.fromStack(stack).run({}, { mocks: [[charge, 1], ['Ship', 2]] });
      expect(run.output).toBe(2);
    });

    it('names the function construct in the unmocked error', async () => {
      const run = await Workflow.fromStack(stack).run({}, { mocks: [[ship, 1]], inlineCode: false });
      expect(run.cause).toMatch(/No mock for Task 'Charge' \(arn:aws:states:::lambda:invoke, function ChargeFn\)/);
    });

    it('rejects a construct the workflow does not use', async () => {
      const other = new lambda.Function(new Stack(new App(), 'Other'), 'Unused', {
        runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('x'),
      });
      await expect(Workflow.fromStack(stack).run({}, { mocks: new Map([[other, 1]]) })).rejects.toThrow(/construct 'Other\/Unused' matches no Task state/);
    });
  });
});

describe('MockConfigFile', () => {
  const config = {
    StateMachines: {
      Orders: {
        TestCases: {
          HappyPath: { Charge: 'ChargeOk' },
          RetryPath: { Charge: 'ChargeFlaky' },
        },
      },
    },
    MockedResponses: {
      ChargeOk: { 0: { Return: { StatusCode: 200, Payload: { id: 'ch_1' } } } },
      ChargeFlaky: {
        '0-1': { Throw: { Error: 'Lambda.ServiceException', Cause: 'busy' } },
        '2': { Return: { StatusCode: 200, Payload: { id: 'ch_2' } } },
      },
    },
  };
  const wf = chargeMachine({ Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 1, MaxAttempts: 3 }] });

  it('returns the Return value unchanged (no envelope added)', async () => {
    const run = await wf.run({}, { mockConfig: { config, testCase: 'HappyPath' } });
    expect(run.output).toEqual({ StatusCode: 200, Payload: { id: 'ch_1' } });
  });

  it('uses invocation ranges across retries', async () => {
    const run = await wf.run({}, { mockConfig: { config: JSON.stringify(config), testCase: 'RetryPath', stateMachine: 'Orders' } });
    expect(run.output).toEqual({ StatusCode: 200, Payload: { id: 'ch_2' } });
    expect(run.retries('Charge')).toBe(2);
  });

  it('loads the file format unchanged from disk', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mockcfg-')), 'MockConfigFile.json');
    fs.writeFileSync(file, JSON.stringify(config));
    const run = await wf.run({}, { mockConfig: { file, testCase: 'HappyPath' } });
    expect(run.status).toBe('SUCCEEDED');
  });

  it('lets explicit mocks win over the test case', async () => {
    const run = await wf.run({}, { mockConfig: { config, testCase: 'HappyPath' }, mocks: { Charge: rawResult({ Payload: 'explicit' }) } });
    expect(run.output).toEqual({ Payload: 'explicit' });
  });

  // Step Functions Local looks a test case's states up as its Tasks run: an entry for a state the machine lacks answers nothing.
  it('runs a test case that mocks a state the workflow lacks, telling it as advice and answering no Task with it', async () => {
    const stale = { ...config, StateMachines: { Orders: { TestCases: { T: { Charge: 'ChargeOk', Chrage: 'ChargeOk' } } } } };
    const run = await wf.run({}, { mockConfig: { config: stale, testCase: 'T' } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.advice).toEqual([{ state: 'Chrage', message: expect.stringContaining("mocks state 'Chrage', which state machine 'Orders' does not have") }]);
  });

  it('fails the run with States.Runtime when invocations outrun the configured responses', async () => {
    const loop = plainFunctionMachine({ Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 5, IntervalSeconds: 1 }] });
    const cfg = { StateMachines: { M: { TestCases: { T: { Charge: 'Boom' } } } }, MockedResponses: { Boom: { 0: { Throw: { Error: 'E', Cause: 'c' } } } } };
    const run = await loop.run({}, { mockConfig: { config: cfg, testCase: 'T' } });
    expect(run.error).toBe('States.Runtime');
    expect(run.cause).toMatch(/defines invocation 0 only/);
  });
});

describe('retries() of a Parallel or Map', () => {
  const work = { Type: 'Task', Resource: FN, End: true };
  const retry = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3 }];
  const mocks = { Work: [fail('Flaky', 'try again'), succeed({}), succeed({}), succeed({})] };

  it('counts a Parallel run again by its own Retry, not its inner Task', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Fan', States: { Fan: { Type: 'Parallel', Retry: retry, End: true, Branches: [{ StartAt: 'Work', States: { Work: work } }] } },
    } as unknown as StateMachineDefinition);
    const run = await wf.run({}, { mocks });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.retries('Fan')).toBe(1);
    expect(run.retries('Work')).toBe(0);
  });

  it('counts a Map run again by its own Retry, not its inner Task', async () => {
    const wf = Workflow.fromDefinition({
      StartAt: 'Each', States: { Each: { Type: 'Map', Retry: retry, End: true, ItemProcessor: { StartAt: 'Work', States: { Work: work } } } },
    } as unknown as StateMachineDefinition);
    const run = await wf.run([1], { mocks });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.retries('Each')).toBe(1);
    expect(run.retries('Work')).toBe(0);
  });
});
