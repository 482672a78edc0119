import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BuildContext, CallLog, LANGUAGES, synthesizeAll } from './harness';
import type { JsonValue } from '../../../src/asl/definition-types';
import { StatesError } from '../../../src/asl/states-errors';
import { Task } from '../../../src/constructs/builders';
import { TaskHandler, VirtualClock } from '../../../src/interpreter';

const INPUT = { orderId: 'o-1', amount: 30 };
const RECEIPT = { chargeId: 'ch_1', status: 'captured' };

/** Puts the task result at `charge` next to the input, in either language. */
const resultAtCharge = (ctx: BuildContext) => (ctx.jsonata
  ? { outputs: '{% $merge([$states.input, {"charge": $states.result}]) %}' }
  : { resultPath: '$.charge' });

function approval(ctx: BuildContext, heartbeat?: Duration) {
  return Task.lambdaCallback(ctx.scope, 'Approve', {
    lambdaFunction: ctx.fn('Approve'),
    payload: sfn.TaskInput.fromObject(ctx.jsonata
      ? { token: '{% $states.context.Task.Token %}', order: '{% $states.input.orderId %}' }
      : { token: sfn.JsonPath.taskToken, order: sfn.JsonPath.stringAt('$.orderId') }),
    taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
    heartbeatTimeout: heartbeat ? sfn.Timeout.duration(heartbeat) : undefined,
    ...resultAtCharge(ctx),
  });
}

function machines(ql: sfn.QueryLanguage) {
  return synthesizeAll({
    charge: (ctx) => Task.lambdaInvoke(ctx.scope, 'Charge', { lambdaFunction: ctx.fn('Charge'), ...resultAtCharge(ctx) }),
    plainResult: (ctx) => Task.lambdaInvoke(ctx.scope, 'Charge', { lambdaFunction: ctx.fn('Charge') }),
    noTransientRetry: (ctx) => Task.lambdaInvoke(ctx.scope, 'Charge', { lambdaFunction: ctx.fn('Charge'), transientErrorRetry: false }),
    callback: (ctx) => approval(ctx),
    heartbeat: (ctx) => approval(ctx, Duration.minutes(5)),
  }, ql);
}

const elapsed = (run: { startDate: Date; stopDate: Date }) => run.stopDate.getTime() - run.startDate.getTime();

/** Fails with `error` for the first `times` calls, then returns the receipt. */
function failing(log: CallLog, error: string, times: number): TaskHandler {
  let calls = 0;
  return log.handler('Charge', () => {
    if (++calls <= times) throw new StatesError(error, `attempt ${calls}`);
    return RECEIPT;
  });
}

describe.each(LANGUAGES)('Task (%s)', (_name, ql) => {
  let m: ReturnType<typeof machines>;
  beforeAll(() => { m = machines(ql); });

  describe('lambdaInvoke', () => {
    it('sends the state input as the payload and places the returned payload (not the invoke envelope) as configured', async () => {
      const log = new CallLog();
      const run = await m.charge.run(INPUT, { Charge: log.handler('Charge', () => RECEIPT) });
      expect(log.inputsOf('Charge')).toEqual([INPUT]);
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { ...INPUT, charge: RECEIPT } });
    });

    it('outputs the returned payload itself by default', async () => {
      const run = await m.plainResult.run(INPUT, { Charge: () => RECEIPT });
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: RECEIPT });
    });

    it.each([
      'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException', 'Lambda.ClientExecutionTimeoutException',
    ])('retries the transient %s, after 2 s then 4 s', async (error) => {
      const log = new CallLog();
      const run = await m.charge.run(INPUT, { Charge: failing(log, error, 2) });
      expect(log.states).toEqual(['Charge', 'Charge', 'Charge']);
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { ...INPUT, charge: RECEIPT } });
      expect(elapsed(run)).toBe(6_000);
    });

    it('gives up on a transient error after 6 retries, with that error', async () => {
      const log = new CallLog();
      const run = await m.charge.run(INPUT, { Charge: failing(log, 'Lambda.ServiceException', 100) });
      expect(log.states).toHaveLength(7);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Lambda.ServiceException', cause: 'attempt 7' });
      expect(elapsed(run)).toBe((2 + 4 + 8 + 16 + 32 + 64) * 1000);
    });

    it('does not retry the function\'s own errors', async () => {
      const log = new CallLog();
      const run = await m.charge.run(INPUT, { Charge: failing(log, 'Payment.Declined', 1) });
      expect(log.states).toEqual(['Charge']);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Payment.Declined', cause: 'attempt 1' });
    });

    it('does not retry transient errors with transientErrorRetry: false', async () => {
      const log = new CallLog();
      const run = await m.noTransientRetry.run(INPUT, { Charge: failing(log, 'Lambda.ServiceException', 1) });
      expect(log.states).toEqual(['Charge']);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Lambda.ServiceException' });
    });
  });

  describe('lambdaCallback', () => {
    /** The Approve invocation: records the payload the function received. */
    const invoked = (payloads: JsonValue[]): TaskHandler => (input) => {
      payloads.push((input as { Payload: JsonValue }).Payload);
      return {};
    };

    it('sends the task token to the function and completes with what sendTaskSuccess gives', async () => {
      const payloads: JsonValue[] = [];
      const execution = m.callback.compile({ Approve: invoked(payloads) }).start(INPUT);
      const token = await execution.waitForTaskToken('Approve');
      expect(payloads).toEqual([{ token, order: 'o-1' }]);
      execution.sendTaskSuccess(token, { approved: true });
      const run = await execution.result;
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { ...INPUT, charge: { approved: true } } });
    });

    it('fails with the error given to sendTaskFailure', async () => {
      const execution = m.callback.compile({ Approve: invoked([]) }).start(INPUT);
      execution.sendTaskFailure(await execution.waitForTaskToken('Approve'), 'Approval.Rejected', 'over budget');
      expect(await execution.result).toMatchObject({ status: 'FAILED', error: 'Approval.Rejected', cause: 'over budget' });
    });

    it('times out with States.Timeout after its task timeout on the virtual clock', async () => {
      const run = await m.callback.run(INPUT, { Approve: invoked([]) });
      expect(run).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
      expect(elapsed(run)).toBe(3_600_000);
    });

    // AWS reports a callback's missed heartbeat as States.Timeout (recorded: LocalStack's test_heartbeats).
    it('fails with States.Timeout when no heartbeat arrives in time', async () => {
      const run = await m.heartbeat.run(INPUT, { Approve: invoked([]) });
      expect(run).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
      expect(elapsed(run)).toBe(300_000);
    });

    it('stays alive while heartbeats arrive within the heartbeat timeout', async () => {
      const clock = new VirtualClock();
      const start = clock.now();
      const execution = m.heartbeat.compile({ Approve: invoked([]) }, { clock }).start(INPUT);
      const token = await execution.waitForTaskToken('Approve');
      // Heartbeats every 4 minutes keep the 5-minute heartbeat timer from firing.
      for (const minute of [4, 8, 12]) {
        await clock.sleepUntil(start + minute * 60_000);
        execution.sendTaskHeartbeat(token);
      }
      await clock.sleepUntil(start + 16 * 60_000);
      execution.sendTaskSuccess(token, { approved: true });
      const run = await execution.result;
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { ...INPUT, charge: { approved: true } } });
      expect(elapsed(run)).toBe(16 * 60_000);
    });
  });
});
