import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BuildContext, CallLog, LANGUAGES, synthesizeAll } from './harness';
import { StatesError } from '../../../src/asl/states-errors';
import { CompensationExhausted, Saga, SagaEnd, SagaProps, Task, TryCatch } from '../../../src/constructs/builders';
import type { TaskHandler } from '../../../src/interpreter';
import { toHaveRetried } from '../../../src/testing/matchers';
import { Workflow } from '../../../src/testing/workflow';

expect.extend({ toHaveRetried });

const STEPS = ['Flight', 'Car', 'Hotel'] as const;
type Step = typeof STEPS[number];
const INPUT = { tripId: 't-1', traveller: 'Ada' };

/** The booking saga: Book <step> / Cancel <step> Lambda tasks for flight, car and hotel. */
function tripSaga(ctx: BuildContext, id: string, props: Partial<SagaProps> = {}, steps: readonly string[] = STEPS): Saga {
  return new Saga(ctx.scope, id, {
    queryLanguage: ctx.queryLanguage,
    steps: steps.map((name) => ({
      name,
      action: Task.lambdaInvoke(ctx.scope, `${id} book ${name}`, { lambdaFunction: ctx.fn(`${id}Book${name}`) }),
      compensation: Task.lambdaInvoke(ctx.scope, `${id} cancel ${name}`, { lambdaFunction: ctx.fn(`${id}Cancel${name}`) }),
    })),
    ...props,
  });
}

/** Handlers for a trip saga: each booking returns a confirmation, `failing` throws Booking.Unavailable. */
function tripHandlers(log: CallLog, id: string, failing?: string, overrides: Record<string, TaskHandler> = {}): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const step of STEPS) {
    handlers[`${id} book ${step}`] = log.handler(`Book ${step}`, () => {
      if (step === failing) throw new StatesError('Booking.Unavailable', `no ${step.toLowerCase()} for t-1`);
      return { confirmation: `${step}-42` };
    });
    handlers[`${id} cancel ${step}`] = log.handler(`Cancel ${step}`, () => ({ cancelled: step }));
  }
  return { ...handlers, ...overrides };
}

/**
 * A two-step saga whose second step waits for a callback for at most an hour:
 * the step fails with no cause when it times out or the callback fails without one.
 */
function approvalSaga(ctx: BuildContext): Saga {
  return new Saga(ctx.scope, 'Trip', {
    queryLanguage: ctx.queryLanguage,
    steps: [
      {
        name: 'Flight',
        action: Task.lambdaInvoke(ctx.scope, 'Trip book Flight', { lambdaFunction: ctx.fn('TripBookFlight') }),
        compensation: Task.lambdaInvoke(ctx.scope, 'Trip cancel Flight', { lambdaFunction: ctx.fn('TripCancelFlight') }),
      },
      {
        name: 'Approve',
        action: Task.lambdaCallback(ctx.scope, 'Approve', {
          queryLanguage: ctx.queryLanguage,
          lambdaFunction: ctx.fn('Approve'),
          payload: sfn.TaskInput.fromObject(ctx.jsonata ? { token: '{% $states.context.Task.Token %}' } : { token: sfn.JsonPath.taskToken }),
          taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
        }),
      },
    ],
  });
}

const cancels = (log: CallLog) => log.states.filter((s) => s.startsWith('Cancel'));
const confirmation = (step: Step) => ({ confirmation: `${step}-42` });

function machines(ql: sfn.QueryLanguage) {
  return synthesizeAll({
    basic: (ctx) => tripSaga(ctx, 'Trip'),
    undoSelf: (ctx) => tripSaga(ctx, 'Trip', { compensateFailedStep: true }),
    stopWhenExhausted: (ctx) => tripSaga(ctx, 'Trip', {
      onCompensationExhausted: CompensationExhausted.fail(),
      compensationRetry: { maxAttempts: 1, interval: Duration.seconds(5) },
    }),
    stopAtOnce: (ctx) => tripSaga(ctx, 'Trip', {
      onCompensationExhausted: CompensationExhausted.fail({ undoRemaining: false }),
      compensationRetry: { maxAttempts: 1, interval: Duration.seconds(5) },
    }),
    threeRounds: (ctx) => tripSaga(ctx, 'Trip', {
      onCompensationExhausted: CompensationExhausted.retryAfter(Duration.minutes(1), { maxAttempts: 3 }),
    }),
    guarded: (ctx) => {
      const notify = Task.lambdaInvoke(ctx.scope, 'Notify', { lambdaFunction: ctx.fn('Notify'), resultPath: ctx.jsonata ? undefined : sfn.JsonPath.DISCARD });
      const failed = ctx.jsonata
        ? sfn.Fail.jsonata(ctx.scope, 'BookingFailed', { error: '{% $states.input.error.Error %}' })
        : new sfn.Fail(ctx.scope, 'BookingFailed', { errorPath: '$.error.Error' });
      return new TryCatch(ctx.scope, 'Booking', { queryLanguage: ctx.queryLanguage, try: tripSaga(ctx, 'Trip'), catch: [{ handler: notify.next(failed) }] });
    },
    endSucceed: (ctx) => tripSaga(ctx, 'Trip', { onCompensated: SagaEnd.succeed() }),
    endChain: (ctx) => {
      const apologise = Task.lambdaInvoke(ctx.scope, 'Apologise', { lambdaFunction: ctx.fn('Apologise'), resultPath: ctx.jsonata ? undefined : sfn.JsonPath.DISCARD });
      const done = ctx.jsonata ? sfn.Pass.jsonata(ctx.scope, 'Done', { outputs: '{% $states.input %}' }) : new sfn.Pass(ctx.scope, 'Done');
      return tripSaga(ctx, 'Trip', { onCompensated: SagaEnd.chain(apologise) }).next(done);
    },
    approval: (ctx) => approvalSaga(ctx),
    twice: (ctx) => {
      // Compensates, then runs the same saga once more: the second pass starts where the first did.
      const mark = ctx.jsonata
        ? sfn.Pass.jsonata(ctx.scope, 'Mark', { outputs: '{% $merge([$states.input, {"again": true}]) %}' })
        : new sfn.Pass(ctx.scope, 'Mark', { result: sfn.Result.fromBoolean(true), resultPath: '$.again' });
      const first = ctx.jsonata
        ? sfn.Choice.jsonata(ctx.scope, 'First pass?').when(sfn.Condition.jsonata('{% $not($exists($states.input.again)) %}'), mark)
        : new sfn.Choice(ctx.scope, 'First pass?').when(sfn.Condition.isNotPresent('$.again'), mark);
      first.otherwise(new sfn.Succeed(ctx.scope, 'Done twice'));
      const saga = tripSaga(ctx, 'Trip', {
        onCompensated: SagaEnd.chain(first),
        onCompensationExhausted: CompensationExhausted.retryAfter(Duration.minutes(1), { maxAttempts: 3 }),
      });
      mark.next(saga);
      return saga;
    },
    twoSagas: (ctx) => tripSaga(ctx, 'Outbound', {}, ['Flight', 'Car'])
      .next(tripSaga(ctx, 'Return', { resultsKey: 'returnResults' }, ['Flight', 'Car'])),
  }, ql);
}

describe.each(LANGUAGES)('Saga (%s)', (_name, ql) => {
  let m: ReturnType<typeof machines>;
  beforeAll(() => { m = machines(ql); });

  it('runs every step in order and compensates nothing when all succeed', async () => {
    const log = new CallLog();
    const run = await m.basic.run(INPUT, tripHandlers(log, 'Trip'));
    expect(run.status).toBe('SUCCEEDED');
    expect(log.states).toEqual(['Book Flight', 'Book Car', 'Book Hotel']);
    expect(run.output).toEqual({
      ...INPUT,
      results: { Flight: confirmation('Flight'), Car: confirmation('Car'), Hotel: confirmation('Hotel') },
    });
  });

  it.each([
    ['Flight', []],
    ['Car', ['Cancel Flight']],
    ['Hotel', ['Cancel Car', 'Cancel Flight']],
  ] as Array<[Step, string[]]>)('compensates exactly the steps completed before %s failed, in reverse order', async (failing, expected) => {
    const log = new CallLog();
    await m.basic.run(INPUT, tripHandlers(log, 'Trip', failing));
    expect(cancels(log)).toEqual(expected);
    expect(log.states.filter((s) => s.startsWith('Book'))).toEqual(STEPS.slice(0, STEPS.indexOf(failing) + 1).map((s) => `Book ${s}`));
  });

  it.each(STEPS)('fails with the original error and cause after %s failed and was compensated', async (failing) => {
    const run = await m.basic.run(INPUT, tripHandlers(new CallLog(), 'Trip', failing));
    expect(run).toMatchObject({ status: 'FAILED', error: 'Booking.Unavailable', cause: `no ${failing.toLowerCase()} for t-1` });
    expect(run.path[run.path.length - 1]).toBe('Trip: Failed');
  });

  it('gives each compensation the original input, the completed steps\' results and the error', async () => {
    const log = new CallLog();
    await m.basic.run(INPUT, tripHandlers(log, 'Trip', 'Hotel'));
    const expected = {
      ...INPUT,
      results: { Flight: confirmation('Flight'), Car: confirmation('Car') },
      error: { Error: 'Booking.Unavailable', Cause: 'no hotel for t-1' },
    };
    expect(log.inputsOf('Cancel Car')).toEqual([expected]);
    expect(log.inputsOf('Cancel Flight')).toEqual([expected]);
  });

  it('retries a flaky compensation until it succeeds, then still fails with the original error', async () => {
    const log = new CallLog();
    let attempts = 0;
    const run = await m.basic.run(INPUT, tripHandlers(log, 'Trip', 'Car', {
      'Trip cancel Flight': log.handler('Cancel Flight', () => {
        if (++attempts < 3) throw new StatesError('Cancel.Unavailable', `attempt ${attempts}`);
        return {};
      }),
    }));
    expect(cancels(log)).toEqual(['Cancel Flight', 'Cancel Flight', 'Cancel Flight']);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Booking.Unavailable', cause: 'no car for t-1' });
    expect(run.path).not.toContain('Trip: Wait to undo Flight');
    // Default compensation retry: 1 s, then 2 s (backoff 2).
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(3_000);
  });

  it('loops back after a minute when a compensation exhausts its retries, so the undo is not lost', async () => {
    const log = new CallLog();
    let attempts = 0;
    const run = await m.basic.run(INPUT, tripHandlers(log, 'Trip', 'Car', {
      'Trip cancel Flight': log.handler('Cancel Flight', () => {
        if (++attempts < 6) throw new StatesError('Cancel.Unavailable', `attempt ${attempts}`);
        return {};
      }),
    }));
    // 1 call + 3 retries, the wait, then 1 failure + 1 retry that succeeds.
    expect(cancels(log)).toHaveLength(6);
    expect(run.path.filter((s) => s === 'Trip: Wait to undo Flight')).toHaveLength(1);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Booking.Unavailable', cause: 'no car for t-1' });
    // Backoff 1 + 2 + 4 s, the 60 s wait, then 1 s: all on the virtual clock.
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(68_000);
  });

  it.each([
    ['Flight', ['Cancel Flight']],
    ['Car', ['Cancel Car', 'Cancel Flight']],
    ['Hotel', ['Cancel Hotel', 'Cancel Car', 'Cancel Flight']],
  ] as Array<[Step, string[]]>)('with compensateFailedStep, also undoes %s itself, first', async (failing, expected) => {
    const log = new CallLog();
    const run = await m.undoSelf.run(INPUT, tripHandlers(log, 'Trip', failing));
    expect(cancels(log)).toEqual(expected);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Booking.Unavailable' });
  });

  const failsForever = (log: CallLog, state: string, error = 'Cancel.Unavailable') =>
    log.handler(state, () => { throw new StatesError(error, 'still down'); });
  const causeOf = (run: { cause?: string }) => JSON.parse(run.cause!) as unknown;

  it('with CompensationExhausted.fail(), fails with Saga.CompensationFailed carrying the original error and the compensation error', async () => {
    const log = new CallLog();
    const run = await m.stopWhenExhausted.run(INPUT, tripHandlers(log, 'Trip', 'Car', { 'Trip cancel Flight': failsForever(log, 'Cancel Flight') }));
    expect(cancels(log)).toEqual(['Cancel Flight', 'Cancel Flight']);
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('Saga.CompensationFailed');
    expect(causeOf(run)).toEqual({
      error: { Error: 'Booking.Unavailable', Cause: 'no car for t-1' },
      compensationErrors: [{ step: 'Flight', Error: 'Cancel.Unavailable', Cause: 'still down' }],
    });
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(5_000);
  });

  // Like the rounds, the list of undos that gave up is the saga's own: an input that
  // brings a compensationErrors field must neither fail a saga whose undos all
  // succeeded nor add to the errors its cause reports.
  const FORGED_ERRORS = { ...INPUT, compensationErrors: [{ step: 'Hotel', Error: 'Forged', Cause: 'by the input' }] };

  it.each(['Flight', 'Car'])('ends with the original error when %s fails and every undo succeeds, whatever compensationErrors the input brings', async (failing) => {
    const log = new CallLog();
    const run = await m.stopWhenExhausted.run(FORGED_ERRORS, tripHandlers(log, 'Trip', failing));
    expect(run).toMatchObject({ status: 'FAILED', error: 'Booking.Unavailable' });
  });

  it('reports only the undos that gave up in this run, whatever compensationErrors the input brings', async () => {
    const log = new CallLog();
    const run = await m.stopWhenExhausted.run(FORGED_ERRORS, tripHandlers(log, 'Trip', 'Hotel', { 'Trip cancel Car': failsForever(log, 'Cancel Car') }));
    expect(run).toMatchObject({ status: 'FAILED', error: 'Saga.CompensationFailed' });
    expect(causeOf(run)).toEqual({
      error: { Error: 'Booking.Unavailable', Cause: 'no hotel for t-1' },
      compensationErrors: [{ step: 'Car', Error: 'Cancel.Unavailable', Cause: 'still down' }],
    });
  });

  it('undoes every completed step even when one undo fails, and reports each failed undo', async () => {
    const log = new CallLog();
    const run = await m.stopWhenExhausted.run(INPUT, tripHandlers(log, 'Trip', 'Hotel', { 'Trip cancel Car': failsForever(log, 'Cancel Car') }));
    expect(cancels(log)).toEqual(['Cancel Car', 'Cancel Car', 'Cancel Flight']);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Saga.CompensationFailed' });
    expect(causeOf(run)).toEqual({
      error: { Error: 'Booking.Unavailable', Cause: 'no hotel for t-1' },
      compensationErrors: [{ step: 'Car', Error: 'Cancel.Unavailable', Cause: 'still down' }],
    });
  });

  it('reports every undo that gave up, in the order they ran', async () => {
    const log = new CallLog();
    const run = await m.stopWhenExhausted.run(INPUT, tripHandlers(log, 'Trip', 'Hotel', {
      'Trip cancel Car': failsForever(log, 'Cancel Car', 'Car.Down'),
      'Trip cancel Flight': failsForever(log, 'Cancel Flight', 'Flight.Down'),
    }));
    expect((causeOf(run) as { compensationErrors: Array<{ step: string; Error: string }> }).compensationErrors.map((e) => [e.step, e.Error]))
      .toEqual([['Car', 'Car.Down'], ['Flight', 'Flight.Down']]);
  });

  it('with CompensationExhausted.fail({ undoRemaining: false }), stops at the first undo that gives up', async () => {
    const log = new CallLog();
    const run = await m.stopAtOnce.run(INPUT, tripHandlers(log, 'Trip', 'Hotel', { 'Trip cancel Car': failsForever(log, 'Cancel Car') }));
    expect(cancels(log)).toEqual(['Cancel Car', 'Cancel Car']);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Saga.CompensationFailed' });
    expect(causeOf(run)).toEqual({
      error: { Error: 'Booking.Unavailable', Cause: 'no hotel for t-1' },
      compensationErrors: [{ step: 'Car', Error: 'Cancel.Unavailable', Cause: 'still down' }],
    });
  });

  it('gives up after maxAttempts rounds of a compensation that fails forever', async () => {
    const log = new CallLog();
    const run = await m.threeRounds.run(INPUT, tripHandlers(log, 'Trip', 'Car', { 'Trip cancel Flight': failsForever(log, 'Cancel Flight') }));
    // 3 rounds of 1 call + 3 retries each.
    expect(cancels(log)).toHaveLength(12);
    expect(run.path.filter((st) => st === 'Trip: Wait to undo Flight')).toHaveLength(2);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Saga.CompensationFailed' });
    // Each round: retries after 1 + 2 + 4 s; a minute between rounds.
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe((7 + 60 + 7 + 60 + 7) * 1000);
  });

  it('by default, gives up on a compensation that fails forever within its hour, in a catchable error the TryCatch handler receives with both errors', async () => {
    const log = new CallLog();
    const run = await m.guarded.run(INPUT, {
      ...tripHandlers(log, 'Trip', 'Car', { 'Trip cancel Flight': failsForever(log, 'Cancel Flight') }),
      Notify: log.handler('Notify'),
    });
    // A round fails 7 s after it starts and the next starts 60 s later; the
    // first failure is at 7 s, and no round starts after 3,607 s: rounds at
    // 0, 67, ..., 53 * 67 = 3,551 s, so 54 rounds, the last failing at 3,558 s.
    expect(cancels(log)).toHaveLength(54 * 4);
    expect(log.inputsOf('Notify')).toHaveLength(1);
    const error = (log.inputsOf('Notify')[0] as { error: { Error: string; Cause: string } }).error;
    expect(error.Error).toBe('Saga.CompensationFailed');
    expect(JSON.parse(error.Cause)).toEqual({
      error: { Error: 'Booking.Unavailable', Cause: 'no car for t-1' },
      compensationErrors: [{ step: 'Flight', Error: 'Cancel.Unavailable', Cause: 'still down' }],
    });
    expect(run).toMatchObject({ status: 'FAILED', error: 'Saga.CompensationFailed' });
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(3_558_000);
    expect(run.history.length).toBeLessThan(25_000);
  });

  // The rounds are the saga's own bookkeeping: an execution input that brings a
  // compensationRounds field (a year-2999 first failure, a negative count) must not
  // stretch them. Before, the Count step read them from the state, and such an input
  // ran the default hour's loop on to the history limit (States.Runtime).
  const FORGED_ROUNDS = {
    ...INPUT,
    compensationRounds: { undo: 'Trip: Undo Flight', attempts: -1000, firstFailedAt: '2999-01-01T00:00:00.000Z' },
  };

  it('keeps to maxDuration when the input brings a compensationRounds field of its own', async () => {
    const log = new CallLog();
    const run = await m.guarded.run(FORGED_ROUNDS, {
      ...tripHandlers(log, 'Trip', 'Car', { 'Trip cancel Flight': failsForever(log, 'Cancel Flight') }),
      Notify: log.handler('Notify'),
    });
    expect(cancels(log)).toHaveLength(54 * 4);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Saga.CompensationFailed' });
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(3_558_000);
    expect(log.inputsOf('Notify')).toHaveLength(1);
  });

  it('keeps to maxAttempts when the input brings a compensationRounds field of its own', async () => {
    const log = new CallLog();
    const run = await m.threeRounds.run(FORGED_ROUNDS, tripHandlers(log, 'Trip', 'Car', { 'Trip cancel Flight': failsForever(log, 'Cancel Flight') }));
    expect(cancels(log)).toHaveLength(12);
    expect(run.path.filter((st) => st === 'Trip: Wait to undo Flight')).toHaveLength(2);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Saga.CompensationFailed' });
  });

  it('gives the rounds of a saga run again in one execution a fresh count', async () => {
    const log = new CallLog();
    let calls = 0;
    const run = await m.twice.run(INPUT, tripHandlers(log, 'Trip', 'Car', {
      // First pass: round 1 (a call and 3 retries) fails, round 2 succeeds; then it fails for good.
      'Trip cancel Flight': log.handler('Cancel Flight', () => {
        if (++calls !== 5) throw new StatesError('Cancel.Unavailable', 'down');
        return {};
      }),
    }));
    // 5 calls, then all 3 rounds of the second pass (1 call + 3 retries each), not what the first pass left.
    expect(cancels(log)).toHaveLength(5 + 12);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Saga.CompensationFailed' });
  });

  it('retries a Lambda compensation\'s transient errors with the Lambda retry only, not multiplied by the saga\'s', async () => {
    const log = new CallLog();
    const run = await m.stopWhenExhausted.run(INPUT, tripHandlers(log, 'Trip', 'Car', { 'Trip cancel Flight': failsForever(log, 'Cancel Flight', 'Lambda.ServiceException') }));
    // LAMBDA_TRANSIENT_RETRY: 1 call + 6 retries, and no saga-level round on top.
    expect(cancels(log)).toHaveLength(7);
    expect(run.error).toBe('Saga.CompensationFailed');
  });

  it('counts a compensation\'s retries by its task name, and its undo state agrees with toHaveRetried', async () => {
    const wf = Workflow.fromDefinition(m.basic.definition);
    let attempts = 0;
    const run = await wf.run(INPUT, {
      mocks: {
        'Trip book Flight': () => ({ confirmation: 'Flight-42' }),
        'Trip book Car': () => { throw new StatesError('Booking.Unavailable', 'no car'); },
        'Trip cancel Flight': () => {
          if (++attempts < 3) throw new StatesError('Cancel.Unavailable', `attempt ${attempts}`);
          return {};
        },
      },
    });
    expect(run.retries('Trip cancel Flight')).toBe(2);
    expect(run).toHaveRetried('Trip cancel Flight', 2);
    // The undo Parallel has no retrier of its own: the retry sits on the task.
    expect(run.retries('Trip: Undo Flight')).toBe(0);
    expect(run).toHaveRetried('Trip: Undo Flight', 0);
  });

  it('with SagaEnd.succeed(), succeeds after compensating with the saga state and the error as output', async () => {
    const log = new CallLog();
    const run = await m.endSucceed.run(INPUT, tripHandlers(log, 'Trip', 'Car'));
    expect(cancels(log)).toEqual(['Cancel Flight']);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({
      ...INPUT,
      results: { Flight: confirmation('Flight') },
      error: { Error: 'Booking.Unavailable', Cause: 'no car for t-1' },
    });
  });

  it('with SagaEnd.chain(), continues with the chain after compensating, and both paths reach what follows the saga', async () => {
    const log = new CallLog();
    const apologise = log.handler('Apologise', (input) => input);
    const failed = await m.endChain.run(INPUT, tripHandlers(log, 'Trip', 'Hotel', { Apologise: apologise }));
    expect(log.states.slice(-3)).toEqual(['Cancel Car', 'Cancel Flight', 'Apologise']);
    expect(failed.status).toBe('SUCCEEDED');
    expect(failed.path.slice(-2)).toEqual(['Apologise', 'Done']);
    expect(log.inputsOf('Apologise')).toEqual([{
      ...INPUT,
      results: { Flight: confirmation('Flight'), Car: confirmation('Car') },
      error: { Error: 'Booking.Unavailable', Cause: 'no hotel for t-1' },
    }]);

    const succeeded = await m.endChain.run(INPUT, tripHandlers(new CallLog(), 'Trip', undefined, { Apologise: apologise }));
    expect(succeeded.status).toBe('SUCCEEDED');
    expect(succeeded.path).not.toContain('Apologise');
    expect(succeeded.path[succeeded.path.length - 1]).toBe('Done');
  });

  describe('a step that fails without a cause', () => {
    /** Books the flight; Approve only records its invocation and then waits for its callback. */
    const approvalHandlers = (log: CallLog): Record<string, TaskHandler> => ({
      ...tripHandlers(log, 'Trip'),
      Approve: log.handler('Approve', () => ({})),
    });

    // AWS hands a Catch of a timeout {"Error": "States.Timeout", "Cause": ""} (recorded), so the saga rethrows that empty cause.
    it('fails with States.Timeout and the empty cause AWS gives a caught timeout, after compensating, when the step times out', async () => {
      const log = new CallLog();
      const run = await m.approval.run(INPUT, approvalHandlers(log));
      expect(cancels(log)).toEqual(['Cancel Flight']);
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('States.Timeout');
      expect(run.cause).toBe('');
      expect(run.path[run.path.length - 1]).toBe('Trip: Failed');
      expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(3_600_000);
    });

    it('raises the error given to sendTaskFailure without a cause, after compensating', async () => {
      const log = new CallLog();
      const execution = m.approval.compile(approvalHandlers(log)).start(INPUT);
      execution.sendTaskFailure(await execution.waitForTaskToken('Approve'), 'Approval.Rejected');
      const run = await execution.result;
      expect(cancels(log)).toEqual(['Cancel Flight']);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Approval.Rejected' });
      expect(run.cause).toBeUndefined();
    });

    it('keeps the cause when the callback fails with one', async () => {
      const execution = m.approval.compile(approvalHandlers(new CallLog())).start(INPUT);
      execution.sendTaskFailure(await execution.waitForTaskToken('Approve'), 'Approval.Rejected', 'over budget');
      const run = await execution.result;
      expect(run).toMatchObject({ status: 'FAILED', error: 'Approval.Rejected', cause: 'over budget' });
      expect(run.path[run.path.length - 1]).toBe('Trip: Failed');
    });
  });

  // A JSONPath saga's ResultPath $.results.<step> cannot reach into a list (States.ResultPathMatchFailure, as AWS);
  // a JSONata one fails the step too, saying why, rather than spreading the list's objects into its results.
  it.each([[[{ page: 1 }]], ['all of them']])('fails its first step, keeping the input, when the input already has a results field %j that is not an object', async (results) => {
    const log = new CallLog();
    const run = await m.basic.run({ ...INPUT, results }, tripHandlers(log, 'Trip'));
    expect(run.status).toBe('FAILED');
    expect(log.states).toEqual(['Book Flight']);
    if (ql === sfn.QueryLanguage.JSONATA) {
      expect(run.error).toBe('States.QueryEvaluationError');
      expect(run.cause).toContain("the saga's input field 'results' is not an object of step results, so its steps' results cannot be merged into it; give Saga 'Trip' its own resultsKey");
    } else {
      expect(run.error).toBe('States.ResultPathMatchFailure');
    }
  });

  it('merges its step results into an input\'s results object, as a saga before it with the same resultsKey leaves it', async () => {
    const run = await m.basic.run({ ...INPUT, results: { Train: 'earlier' } }, tripHandlers(new CallLog(), 'Trip'));
    expect(run.output).toEqual({ ...INPUT, results: { Train: 'earlier', Flight: confirmation('Flight'), Car: confirmation('Car'), Hotel: confirmation('Hotel') } });
  });

  describe('two sagas in one machine', () => {
    const handlers = (log: CallLog, failing: string): Record<string, TaskHandler> => {
      const h: Record<string, TaskHandler> = {};
      for (const id of ['Outbound', 'Return']) {
        for (const step of ['Flight', 'Car']) {
          h[`${id} book ${step}`] = log.handler(`${id} book ${step}`, () => {
            if (`${id} ${step}` === failing) throw new StatesError('Booking.Unavailable', failing);
            return { confirmation: `${id}-${step}` };
          });
          h[`${id} cancel ${step}`] = log.handler(`${id} cancel ${step}`, () => ({}));
        }
      }
      return h;
    };

    it('compensates only the failing saga\'s own completed steps', async () => {
      const log = new CallLog();
      const run = await m.twoSagas.run(INPUT, handlers(log, 'Return Car'));
      expect(log.states.filter((s) => s.includes('cancel'))).toEqual(['Return cancel Flight']);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Booking.Unavailable', cause: 'Return Car' });
      expect(run.path[run.path.length - 1]).toBe('Return: Failed');
    });

    it('stops at the first saga\'s failure without starting the second', async () => {
      const log = new CallLog();
      const run = await m.twoSagas.run(INPUT, handlers(log, 'Outbound Car'));
      expect(log.states).toEqual(['Outbound book Flight', 'Outbound book Car', 'Outbound cancel Flight']);
      expect(run.path[run.path.length - 1]).toBe('Outbound: Failed');
    });

    it('keeps both sagas\' results apart under their own resultsKey', async () => {
      const run = await m.twoSagas.run(INPUT, handlers(new CallLog(), 'none'));
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output).toEqual({
        ...INPUT,
        results: { Flight: { confirmation: 'Outbound-Flight' }, Car: { confirmation: 'Outbound-Car' } },
        returnResults: { Flight: { confirmation: 'Return-Flight' }, Car: { confirmation: 'Return-Car' } },
      });
    });
  });
});

