/*
 * What an execution makes only when it is used (its token lists, its Context Object, its seeded
 * random source) and what a state machine works out once for all its executions (ARNs, limits):
 * each gives what it gave when made for every execution at its start.
 */
import { at, clock, single, T0 } from './helpers';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { compileStateMachine, seededRandom, VirtualClock, type CompileOptions } from '../../src/interpreter';
import type { CancelSignal } from '../../src/interpreter/cancel';

const CALLBACK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const R = 'arn:aws:lambda:us-east-1:123456789012:function:fn';

describe('an execution, made lean at its start', () => {
  it('hands out a token issued before anyone waits for it, and answers sendTaskSuccess with it', async () => {
    const exec = compileStateMachine(single({ Type: 'Task', Resource: CALLBACK }), { taskHandlers: { S: () => ({}) } }).start({});
    // The token is issued before waitForTaskToken is asked: it is kept for the first who asks.
    await new Promise((resolve) => setImmediate(resolve));
    const token = await exec.waitForTaskToken('S');
    exec.sendTaskSuccess(token, { ok: 1 });
    expect((await exec.result).output).toEqual({ ok: 1 });
  });

  it('gives a token to the callers waiting for it in turn, each for its own state', async () => {
    const def: StateMachineDefinition = {
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: CALLBACK, Next: 'B' }, B: { Type: 'Task', Resource: CALLBACK, End: true } },
    };
    const exec = compileStateMachine(def, { defaultTaskHandler: () => ({}) }).start({});
    const forB = exec.waitForTaskToken('B');
    const forA = exec.waitForTaskToken('A');
    exec.sendTaskSuccess(await forA, { a: 1 });
    exec.sendTaskSuccess(await forB, { b: 2 });
    const r = await exec.result;
    expect(r.output).toEqual({ b: 2 });
    await expect(exec.waitForTaskToken()).rejects.toThrow(/ended SUCCEEDED before any state issued a task token/);
  });

  it('rejects a caller waiting for a token once the execution ends without issuing one', async () => {
    const exec = compileStateMachine(single({ Type: 'Wait', Seconds: 5 }), { clock: clock() }).start({});
    const waiting = exec.waitForTaskToken();
    await exec.result;
    await expect(waiting).rejects.toThrow(/ended SUCCEEDED before any state issued a task token/);
  });

  it('gives $$.Execution.StartTime as the time of the start when the Context Object is first read after the clock moved', async () => {
    const def: StateMachineDefinition = {
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 90, Next: 'P' }, P: { Type: 'Pass', Parameters: { 'start.$': '$$.Execution.StartTime', 'entered.$': '$$.State.EnteredTime' }, End: true } },
    };
    const r = await compileStateMachine(def, { clock: clock() }).start({}).result;
    expect(r.output).toEqual({ start: at(0), entered: at(90) });
    expect(r.startDate.getTime()).toBe(T0);
  });

  it('draws from its default seed (the execution\'s ordinal) the values seededRandom of that ordinal draws', async () => {
    const def = single({ Type: 'Pass', Parameters: { 'u.$': 'States.UUID()', 'n.$': 'States.MathRandom(0, 1000000)', 'name.$': '$$.Execution.Name' } });
    const machine = compileStateMachine(def);
    const first = await machine.start({}).result;
    const second = await machine.start({}).result;
    const given = compileStateMachine(def);
    expect(first.output).toEqual((await given.start({}, { random: seededRandom(1) }).result).output);
    expect(second.output).toEqual((await given.start({}, { random: seededRandom(2) }).result).output);
    // A named execution draws nothing for its name: its first UUID is the seed's first.
    const named = await compileStateMachine(def).start({}, { name: 'mine' }).result;
    expect((named.output as { u: string }).u).toBe(seededRandom(1).uuid());
  });

  it('draws the retry jitter of its default seed after its name', async () => {
    const def = single({ Type: 'Task', Resource: R, Retry: [{ ErrorEquals: ['Oops'], IntervalSeconds: 100, MaxAttempts: 2, JitterStrategy: 'FULL' }] });
    const delays = async (options: { random?: ReturnType<typeof seededRandom> }) => {
      const c = clock();
      const times: number[] = [];
      const handler = () => {
        times.push(c.now());
        if (times.length < 3) throw Object.assign(new Error('no'), { name: 'Oops' });
        return {};
      };
      await compileStateMachine(def, { clock: c, taskHandlers: { S: handler } }).start({}, options).result;
      return times;
    };
    expect(await delays({})).toEqual(await delays({ random: seededRandom(1) }));
  });

  it('names an EXPRESS execution and the id ending its ARN from its default seed', async () => {
    const exec = compileStateMachine(single({ Type: 'Pass' }), { type: 'EXPRESS' }).start({});
    const seed = seededRandom(1);
    const name = seed.uuid();
    expect(exec.name).toBe(name);
    expect(exec.executionArn).toBe(`arn:aws:states:us-east-1:123456789012:express:StateMachine:${name}:${seed.uuid()}`);
    await exec.result;
  });

  it('uses the options as they are at each start, when the caller changes them between starts', async () => {
    const def = single({ Type: 'Pass', Parameters: { 'sm.$': '$$.StateMachine', 'role.$': '$$.Execution.RoleArn' } });
    const options: { -readonly [K in keyof CompileOptions]: CompileOptions[K] } = {};
    const machine = compileStateMachine(def, options);
    const before = machine.start({}, { name: 'a' });
    expect(before.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:StateMachine:a');
    await before.result;
    options.region = 'eu-west-1';
    options.accountId = '111122223333';
    options.stateMachineName = 'Orders';
    options.roleArn = 'arn:aws:iam::111122223333:role/Mine';
    const after = machine.start({}, { name: 'b' });
    expect(after.executionArn).toBe('arn:aws:states:eu-west-1:111122223333:execution:Orders:b');
    expect(machine.arn).toBe('arn:aws:states:eu-west-1:111122223333:stateMachine:Orders');
    expect((await after.result).output).toEqual({
      sm: { Id: 'arn:aws:states:eu-west-1:111122223333:stateMachine:Orders', Name: 'Orders' },
      role: 'arn:aws:iam::111122223333:role/Mine',
    });
    options.limits = { maxTransitions: 1 };
    const twoStates: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } };
    const limited = compileStateMachine(twoStates, options);
    expect((await limited.start({}).result).status).toBe('FAILED');
    options.limits = { maxTransitions: 2 };
    expect((await limited.start({}).result).status).toBe('SUCCEEDED');
  });

  it('gives each execution a $$.StateMachine object of its own', async () => {
    const machine = compileStateMachine(single({ Type: 'Pass', Parameters: { 'sm.$': '$$.StateMachine' } }));
    const a = (await machine.start({}).result).output as { sm: { Name: string } };
    a.sm.Name = 'changed by the caller';
    const b = (await machine.start({}).result).output as { sm: { Name: string } };
    expect(b.sm.Name).toBe('StateMachine');
  });

  it('times out on a VirtualClock whose sleeps a subclass overrides, through its own sleepUntil', async () => {
    const deadlines: number[] = [];
    class CountingClock extends VirtualClock {
      override sleepUntil(deadline: number, signal?: CancelSignal): Promise<void> {
        deadlines.push(deadline);
        return super.sleepUntil(deadline, signal);
      }
    }
    const def: StateMachineDefinition = { StartAt: 'W', TimeoutSeconds: 10, States: { W: { Type: 'Wait', Seconds: 60, End: true } } };
    const r = await compileStateMachine(def, { clock: new CountingClock({ start: T0 }) }).start({}).result;
    expect(r.status).toBe('TIMED_OUT');
    expect(r.stopDate.getTime()).toBe(T0 + 10_000);
    // The Wait's sleep and the execution's time limit both went through the override.
    expect(deadlines).toEqual([T0 + 60_000, T0 + 10_000]);
  });

  it('keeps the outcome of a Wait ending at the moment of TimeoutSeconds: the states after it run, and the time limit ends the execution', async () => {
    // Pinned so that the execution's time limit (a timer made after the Wait's, told to the
    // execution without a promise) keeps its place in the clock's order and in the race of the run.
    const def: StateMachineDefinition = { StartAt: 'W', TimeoutSeconds: 10, States: { W: { Type: 'Wait', Seconds: 10, Next: 'P' }, P: { Type: 'Pass', End: true } } };
    const r = await compileStateMachine(def, { clock: clock() }).start({}).result;
    expect(r.status).toBe('TIMED_OUT');
    expect(r.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionTimedOut']);
    const early = await compileStateMachine({ ...def, States: { ...def.States, W: { Type: 'Wait', Seconds: 9, Next: 'P' } } }, { clock: clock() }).start({}).result;
    expect(early.status).toBe('SUCCEEDED');
  });

  it('stops a waiting execution: it ends ABORTED at the time of the stop, with the error given', async () => {
    const exec = compileStateMachine(single({ Type: 'Wait', Seconds: 60 }), { clock: clock() }).start({});
    await new Promise((resolve) => setImmediate(resolve));
    exec.stop('Stopped.ByTest', 'why');
    const r = await exec.result;
    expect([r.status, r.error, r.cause]).toEqual(['ABORTED', 'Stopped.ByTest', 'why']);
    expect(r.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
  });

  it('stops an execution stopped before its first state ran: ABORTED with the error given, not FAILED with an internal error', async () => {
    // StopExecution at once after StartExecution: AWS's execution ends ABORTED whatever it had done (API Reference, StopExecution).
    const exec = compileStateMachine(single({ Type: 'Wait', Seconds: 60 }), { clock: clock() }).start({});
    exec.stop('Stopped.ByTest', 'at once');
    const r = await exec.result;
    expect([r.status, r.error, r.cause]).toEqual(['ABORTED', 'Stopped.ByTest', 'at once']);
    expect(r.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionAborted']);
  });
});
