/*
 * A test that fakes its runner's timers (jest.useFakeTimers(), vitest's vi.useFakeTimers(), or
 * fakeTimers in the config) for code of its own still runs a state machine: the virtual clock
 * takes its turns of the event loop from Node's timers module, which fake timers leave alone,
 * not from the global setImmediate they replace and only the test advances.
 */
import { setImmediate as realImmediate } from 'node:timers';
import '../../src/testing/setup';
import { Workflow, fail } from '../../src/testing';

const wf = Workflow.fromDefinition({
  StartAt: 'Charge',
  States: {
    'Charge': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 2 }],
      Next: 'Wait a day',
    },
    'Wait a day': { Type: 'Wait', Seconds: 86_400, End: true },
  },
});

/** What `work` resolves to within `maxTurns` real turns of the event loop, or an error saying it never settled. */
async function settledWithin<T>(work: Promise<T>, maxTurns = 10_000): Promise<T> {
  let outcome: { value: T } | { error: unknown } | undefined;
  work.then((value) => { outcome = { value }; }, (error: unknown) => { outcome = { error }; });
  for (let i = 0; i < maxTurns && outcome === undefined; i++) await new Promise((resolve) => realImmediate(resolve));
  if (outcome === undefined) throw new Error(`the run did not settle in ${maxTurns} turns of the event loop with the test's timers faked`);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

afterEach(() => { jest.useRealTimers(); });

it("runs retries and a Wait on the virtual clock while the test's timers are faked", async () => {
  jest.useFakeTimers();
  const run = await settledWithin(wf.run({ orderId: 'o-1' }, { mocks: { Charge: [fail('Lambda.TooManyRequestsException'), { ok: true }] } }));

  expect(run).toSucceed();
  expect(run).toHaveRetried('Charge', 1);
  expect(run.attempts('Charge').map((a) => a.waitedSeconds)).toEqual([0, 2]);
  // The history's times are the virtual clock's: a day passed there, and no faked timer was left behind.
  expect(run.history.at(-1)!.timestamp.getTime() - run.history[0].timestamp.getTime()).toBe(86_402_000);
  expect(jest.getTimerCount()).toBe(0);
});

it('completes a callback the test answers and a timeout advanceTime runs out, with every timer faked', async () => {
  jest.useFakeTimers();
  const callback = Workflow.fromDefinition({
    StartAt: 'Approve',
    States: {
      Approve: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'approve', Payload: { 'token.$': '$$.Task.Token' } },
        TimeoutSeconds: 3600,
        End: true,
      },
    },
  });
  const answered = callback.start({});
  answered.sendTaskSuccess(await settledWithin(answered.waitForTaskToken('Approve')), { approved: true });
  expect(await settledWithin(answered.result)).toHaveOutput({ approved: true });

  const unanswered = callback.start({});
  await settledWithin(unanswered.waitForTaskToken('Approve'));
  await settledWithin(unanswered.advanceTime(3600));
  expect(await settledWithin(unanswered.result)).toFail('States.Timeout');
});
