import { run, secondsOf, eventOf, clock } from './helpers';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { compileStateMachine } from '../../src/interpreter';

const wait = (field: Record<string, unknown>) => ({ StartAt: 'W', States: { W: { Type: 'Wait', ...field, End: true } } });

describe('Execution duration limits on the virtual clock', () => {
  it('times out an EXPRESS execution at 5 minutes: a 400-second Wait ends TIMED_OUT with no error or cause, its event naming States.Timeout and linked to nothing, as on AWS', async () => {
    const r = await run(wait({ Seconds: 400 }), {}, { type: 'EXPRESS', clock: clock() });
    expect([r.status, r.error, r.cause]).toEqual(['TIMED_OUT', undefined, undefined]);
    expect(secondsOf(eventOf(r.history, 'ExecutionTimedOut'))).toBe(300);
    expect(eventOf(r.history, 'ExecutionTimedOut').executionTimedOutEventDetails).toEqual({ error: 'States.Timeout' });
    expect(eventOf(r.history, 'ExecutionTimedOut').previousEventId).toBe(0);
  });

  it('lets an EXPRESS execution wait 299 seconds', async () => {
    expect((await run(wait({ Seconds: 299 }), {}, { type: 'EXPRESS' })).status).toBe('SUCCEEDED');
  });

  it('times out a STANDARD execution at one year: a Wait until 9999-12-31 ends TIMED_OUT', async () => {
    const r = await run(wait({ Timestamp: '9999-12-31T23:59:59Z' }), {}, { clock: clock() });
    expect([r.status, r.error, r.cause]).toEqual(['TIMED_OUT', undefined, undefined]);
    expect(secondsOf(eventOf(r.history, 'ExecutionTimedOut'))).toBe(365 * 24 * 3600);
  });

  it('keeps a shorter TimeoutSeconds, and records its timeout with no error or cause, as on AWS', async () => {
    const r = await run({ ...wait({ Seconds: 400 }), TimeoutSeconds: 60 }, {}, { type: 'EXPRESS', clock: clock() });
    expect([r.status, r.error, r.cause]).toEqual(['TIMED_OUT', undefined, undefined]);
    expect(secondsOf(eventOf(r.history, 'ExecutionTimedOut'))).toBe(60);
    expect(eventOf(r.history, 'ExecutionTimedOut').executionTimedOutEventDetails).toEqual({ error: 'States.Timeout' });
    expect(eventOf(r.history, 'ExecutionTimedOut').previousEventId).toBe(0);
  });

  it('ends an endless EXPRESS Pass/Choice loop TIMED_OUT, in bounded time and memory, saying it hit the bound on states', async () => {
    const endless = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'C' }], Default: 'A' },
        C: { Type: 'Succeed' },
      },
    };
    const r = await run(endless, {}, { type: 'EXPRESS', recordHistory: false });
    expect([r.status, r.error]).toEqual(['TIMED_OUT', 'States.Timeout']);
    expect(r.cause).toContain('The EXPRESS execution entered more than 1000000 states');
  }, 30_000);

  it('does not move the virtual clock to the 1-year limit while a callback waits for the test', async () => {
    const def: StateMachineDefinition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'token.$': '$$.Task.Token' }, End: true } } };
    const exec = compileStateMachine(def, { taskHandlers: { T: () => ({}) } }).start({});
    const token = await exec.waitForTaskToken();
    await new Promise((resolve) => setImmediate(resolve));
    expect(exec.status).toBe('RUNNING');
    exec.sendTaskSuccess(token, 'done');
    expect((await exec.result).status).toBe('SUCCEEDED');
  });

  it('keeps limits.maxTransitions a States.Runtime failure in an EXPRESS execution', async () => {
    const loop = {
      StartAt: 'A',
      States: { A: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'A' }, Done: { Type: 'Succeed' } },
    };
    const r = await run(loop, {}, { type: 'EXPRESS', limits: { maxTransitions: 50 } });
    expect([r.status, r.error]).toEqual(['FAILED', 'States.Runtime']);
  });
});
