import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BuildContext, CallLog, LANGUAGES, synthesizeAll } from './harness';
import { StatesError } from '../../../src/asl/states-errors';
import { Task, TryCatch, TryCatchProps } from '../../../src/constructs/builders';
import type { TaskHandler } from '../../../src/interpreter';

const INPUT = { orderId: 'o-1', amount: 30 };
const CHARGED = { chargeId: 'ch_1' };

const lambdaTask = (ctx: BuildContext, name: string) => Task.lambdaInvoke(ctx.scope, name, { lambdaFunction: ctx.fn(name.replace(/\s/g, '')) });

/** A Pass after the TryCatch, so the tests see what the TryCatch outputs to the next state. */
const after = (ctx: BuildContext) => (ctx.jsonata ? sfn.Pass.jsonata(ctx.scope, 'After', { outputs: '{% $states.input %}' }) : new sfn.Pass(ctx.scope, 'After'));

function tryCatch(ctx: BuildContext, props: Omit<TryCatchProps, 'try' | 'queryLanguage'> & { try?: sfn.IChainable }): TryCatch {
  return new TryCatch(ctx.scope, 'Charge', { queryLanguage: ctx.queryLanguage, ...props, try: props.try ?? lambdaTask(ctx, 'Charge card') });
}

function machines(ql: sfn.QueryLanguage) {
  return synthesizeAll({
    handlers: (ctx) => tryCatch(ctx, {
      catch: [
        { errors: ['Payment.Declined'], handler: lambdaTask(ctx, 'Notify declined') },
        { handler: lambdaTask(ctx, 'Log error') },
      ],
    }).next(after(ctx)),
    customResultPath: (ctx) => tryCatch(ctx, {
      catch: [ctx.jsonata
        ? { handler: lambdaTask(ctx, 'Log error'), output: '{% {"order": $states.input.orderId, "failure": $states.errorOutput} %}' }
        : { handler: lambdaTask(ctx, 'Log error'), resultPath: '$.failure' }],
    }).next(after(ctx)),
    withFinally: (ctx) => tryCatch(ctx, {
      catch: [{ errors: ['Payment.Declined'], handler: lambdaTask(ctx, 'Notify declined') }],
      finally: lambdaTask(ctx, 'Release lock'),
    }).next(after(ctx)),
    callbackFinally: (ctx) => tryCatch(ctx, {
      // Waits at most an hour for its callback: a timeout has no cause, nor has a sendTaskFailure without one.
      try: Task.lambdaCallback(ctx.scope, 'Approve', {
        queryLanguage: ctx.queryLanguage,
        lambdaFunction: ctx.fn('Approve'),
        payload: sfn.TaskInput.fromObject(ctx.jsonata ? { token: '{% $states.context.Task.Token %}' } : { token: sfn.JsonPath.taskToken }),
        taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
      }),
      finally: lambdaTask(ctx, 'Release lock'),
    }).next(after(ctx)),
    finallyOnly: (ctx) => tryCatch(ctx, { finally: lambdaTask(ctx, 'Release lock') }).next(after(ctx)),
    rethrow: (ctx) => tryCatch(ctx, {
      catch: [{ errors: ['Payment.Declined'], handler: lambdaTask(ctx, 'Notify declined'), rethrow: true }, { handler: lambdaTask(ctx, 'Log error') }],
    }).next(after(ctx)),
    rethrowCustomInput: (ctx) => tryCatch(ctx, {
      catch: [ctx.jsonata
        ? { handler: lambdaTask(ctx, 'Log error'), output: '{% {"order": $states.input.orderId, "failure": $states.errorOutput} %}', rethrow: true }
        : { handler: lambdaTask(ctx, 'Log error'), resultPath: '$.failure', rethrow: true }],
    }).next(after(ctx)),
    rethrowNoCause: (ctx) => tryCatch(ctx, {
      try: ctx.jsonata ? sfn.Fail.jsonata(ctx.scope, 'Refuse', { error: 'Order.Refused' }) : new sfn.Fail(ctx.scope, 'Refuse', { error: 'Order.Refused' }),
      catch: [{ handler: lambdaTask(ctx, 'Log error'), rethrow: true }],
    }).next(after(ctx)),
    rethrowFinally: (ctx) => tryCatch(ctx, {
      catch: [{ handler: lambdaTask(ctx, 'Notify declined'), rethrow: true }],
      finally: lambdaTask(ctx, 'Release lock'),
    }).next(after(ctx)),
    assigned: (ctx) => tryCatch(ctx, {
      catch: [{ handler: lambdaTask(ctx, 'Log error') }],
      ...(ctx.jsonata
        ? { assign: { chargeId: '{% $states.result[0].chargeId %}', order: '{% $states.input.orderId %}' } }
        : { assign: { 'chargeId.$': '$.value.chargeId', 'order.$': '$$.Execution.Input.orderId' } }),
    }).next(readVariables(ctx)),
    assignedFinally: (ctx) => tryCatch(ctx, {
      finally: lambdaTask(ctx, 'Release lock'),
      ...(ctx.jsonata ? { assign: { chargeId: '{% $states.result[0].chargeId %}' } } : { assign: { 'chargeId.$': '$.value.chargeId' } }),
    }).next(readVariables(ctx, ['chargeId'])),
    shaped: (ctx) => tryCatch(ctx, {
      catch: [{ handler: lambdaTask(ctx, 'Log error') }],
      // JSONPath has no Output: the JSONPath machine shapes nothing, and its test is JSONata's only.
      ...(ctx.jsonata ? { outputs: { charge: '{% $states.result[0].chargeId %}', order: '{% $states.input.orderId %}' } } : {}),
    }).next(after(ctx)),
    shapedFinally: (ctx) => tryCatch(ctx, {
      finally: lambdaTask(ctx, 'Release lock'),
      ...(ctx.jsonata ? { outputs: '{% $states.result[0].chargeId %}' } : {}),
    }).next(after(ctx)),
    retried: (ctx) => tryCatch(ctx, {
      try: lambdaTask(ctx, 'Reserve stock').next(lambdaTask(ctx, 'Charge card')),
      retry: [{ errors: ['Payment.Timeout'], maxAttempts: 2, interval: Duration.seconds(3), backoffRate: 1 }],
      catch: [{ handler: lambdaTask(ctx, 'Log error') }],
    }).next(after(ctx)),
  }, ql);
}

/** A Pass after the TryCatch that outputs the variables it set, beside its own input. */
function readVariables(ctx: BuildContext, names: string[] = ['chargeId', 'order']): sfn.IChainable {
  if (ctx.jsonata) {
    return sfn.Pass.jsonata(ctx.scope, 'Read', { outputs: `{% {"input": $states.input, ${names.map((n) => `"${n}": $${n}`).join(', ')}} %}` });
  }
  return new sfn.Pass(ctx.scope, 'Read', { parameters: { 'input.$': '$', ...Object.fromEntries(names.map((n) => [`${n}.$`, `$${n}`])) } });
}

/** Handlers where Charge card answers with `charge`, and every other task records its call and returns `{ <state>: 'done' }`. */
function handlers(log: CallLog, charge: TaskHandler): Record<string, TaskHandler> {
  const h: Record<string, TaskHandler> = { 'Charge card': log.handler('Charge card', charge) };
  for (const name of ['Notify declined', 'Log error', 'Release lock', 'Reserve stock']) {
    h[name] = log.handler(name, () => ({ [name]: 'done' }));
  }
  return h;
}

const charges = () => CHARGED;
const throws = (error: string, cause: string): TaskHandler => () => { throw new StatesError(error, cause); };

describe('TryCatch outputs (JSONata: JSONPath has no Output)', () => {
  let m: ReturnType<typeof machines>;
  beforeAll(() => { m = machines(sfn.QueryLanguage.JSONATA); });

  it('outputs what outputs makes of the try block\'s output, and a handler\'s own output when one runs', async () => {
    const ok = await m.shaped.run(INPUT, handlers(new CallLog(), charges));
    expect(ok).toMatchObject({ status: 'SUCCEEDED', output: { charge: 'ch_1', order: 'o-1' } });
    const handled = await m.shaped.run(INPUT, handlers(new CallLog(), throws('Payment.Declined', 'card 4242')));
    expect(handled).toMatchObject({ status: 'SUCCEEDED', output: { 'Log error': 'done' } });
  });

  it('gives finally the value outputs made, and outputs it after finally', async () => {
    const log = new CallLog();
    const run = await m.shapedFinally.run(INPUT, handlers(log, charges));
    expect(log.inputsOf('Release lock')).toEqual(['ch_1']);
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: 'ch_1' });
  });
});

describe.each(LANGUAGES)('TryCatch (%s)', (_name, ql) => {
  let m: ReturnType<typeof machines>;
  beforeAll(() => { m = machines(ql); });

  it('outputs the try block\'s result itself, not the Parallel\'s one-element array', async () => {
    const log = new CallLog();
    const run = await m.handlers.run(INPUT, handlers(log, charges));
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: CHARGED });
    expect(log.states).toEqual(['Charge card']);
  });

  it.each([
    ['Payment.Declined', 'Notify declined'],
    ['Payment.Fraud', 'Log error'],
  ])('runs only the handler matching %s (%s), whose output becomes the TryCatch output', async (error, handler) => {
    const log = new CallLog();
    const run = await m.handlers.run(INPUT, handlers(log, throws(error, 'card 4242')));
    expect(log.states).toEqual(['Charge card', handler]);
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { [handler]: 'done' } });
    expect(run.path.slice(-1)).toEqual(['After']);
  });

  it('gives the handler the TryCatch input with the error object at $.error by default', async () => {
    const log = new CallLog();
    await m.handlers.run(INPUT, handlers(log, throws('Payment.Declined', 'card 4242')));
    expect(log.inputsOf('Notify declined')).toEqual([{ ...INPUT, error: { Error: 'Payment.Declined', Cause: 'card 4242' } }]);
  });

  it('gives the handler the error object where its resultPath (JSONPath) or output (JSONata) puts it', async () => {
    const log = new CallLog();
    await m.customResultPath.run(INPUT, handlers(log, throws('Payment.Declined', 'card 4242')));
    const error = { Error: 'Payment.Declined', Cause: 'card 4242' };
    expect(log.inputsOf('Log error')).toEqual([ql === sfn.QueryLanguage.JSONATA ? { order: 'o-1', failure: error } : { ...INPUT, failure: error }]);
  });

  describe('assign', () => {
    it('sets the variables of assign from the try block\'s output when it succeeds, for the states after the TryCatch', async () => {
      const run = await m.assigned.run(INPUT, handlers(new CallLog(), charges));
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { input: CHARGED, chargeId: 'ch_1', order: 'o-1' } });
    });

    it('sets them before finally runs, and the states after the TryCatch still see them', async () => {
      const log = new CallLog();
      const run = await m.assignedFinally.run(INPUT, handlers(log, charges));
      expect(log.states).toEqual(['Charge card', 'Release lock']);
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { input: CHARGED, chargeId: 'ch_1' } });
    });
  });

  describe('rethrow', () => {
    it('runs the handler, then fails with the original error and cause', async () => {
      const log = new CallLog();
      const run = await m.rethrow.run(INPUT, handlers(log, throws('Payment.Declined', 'card 4242')));
      expect(log.states).toEqual(['Charge card', 'Notify declined']);
      expect(log.inputsOf('Notify declined')).toEqual([{ ...INPUT, error: { Error: 'Payment.Declined', Cause: 'card 4242' } }]);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Payment.Declined', cause: 'card 4242' });
      expect(run.path).not.toContain('After');
    });

    it('leaves the other clauses and the success path as they were', async () => {
      const handled = await m.rethrow.run(INPUT, handlers(new CallLog(), throws('Payment.Fraud', 'card 4242')));
      expect(handled).toMatchObject({ status: 'SUCCEEDED', output: { 'Log error': 'done' } });
      const succeeded = await m.rethrow.run(INPUT, handlers(new CallLog(), charges));
      expect(succeeded).toMatchObject({ status: 'SUCCEEDED', output: CHARGED });
    });

    it('re-raises an error that has no cause without one (the handler sees { Error } only)', async () => {
      const log = new CallLog();
      const run = await m.rethrowNoCause.run(INPUT, handlers(log, charges));
      expect(log.inputsOf('Log error')).toEqual([{ ...INPUT, error: { Error: 'Order.Refused' } }]);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Order.Refused' });
      expect(run.cause).toBeUndefined();
      expect(run.path[run.path.length - 1]).toBe('Charge: Handler 1: Rethrow without cause');
    });

    it('gives the handler its resultPath (JSONPath) or output (JSONata) input and still re-raises', async () => {
      const log = new CallLog();
      const run = await m.rethrowCustomInput.run(INPUT, handlers(log, throws('Payment.Declined', 'card 4242')));
      const error = { Error: 'Payment.Declined', Cause: 'card 4242' };
      expect(log.inputsOf('Log error')).toEqual([ql === sfn.QueryLanguage.JSONATA ? { order: 'o-1', failure: error } : { ...INPUT, failure: error }]);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Payment.Declined', cause: 'card 4242' });
    });

    it('raises the handler\'s own error when the handler fails', async () => {
      const run = await m.rethrow.run(INPUT, {
        ...handlers(new CallLog(), throws('Payment.Declined', 'card 4242')),
        'Notify declined': throws('Mail.Bounced', 'no such mailbox'),
      });
      expect(run).toMatchObject({ status: 'FAILED', error: 'Mail.Bounced', cause: 'no such mailbox' });
    });

    it('with finally, runs the handler, then finally with the handler\'s input, then re-raises', async () => {
      const log = new CallLog();
      const run = await m.rethrowFinally.run(INPUT, handlers(log, throws('Payment.Declined', 'card 4242')));
      expect(log.states).toEqual(['Charge card', 'Notify declined', 'Release lock']);
      expect(log.inputsOf('Release lock')).toEqual([{ ...INPUT, error: { Error: 'Payment.Declined', Cause: 'card 4242' } }]);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Payment.Declined', cause: 'card 4242' });
    });
  });

  describe('finally', () => {
    it('runs after success with the try block\'s output, and the output is unchanged', async () => {
      const log = new CallLog();
      const run = await m.withFinally.run(INPUT, handlers(log, charges));
      expect(log.states).toEqual(['Charge card', 'Release lock']);
      expect(log.inputsOf('Release lock')).toEqual([CHARGED]);
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: CHARGED });
    });

    it('runs after a handled error with the handler\'s output, which stays the output', async () => {
      const log = new CallLog();
      const run = await m.withFinally.run(INPUT, handlers(log, throws('Payment.Declined', 'card 4242')));
      expect(log.states).toEqual(['Charge card', 'Notify declined', 'Release lock']);
      expect(log.inputsOf('Release lock')).toEqual([{ 'Notify declined': 'done' }]);
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { 'Notify declined': 'done' } });
    });

    it('runs after an unhandled error, then fails with the original error and cause', async () => {
      const log = new CallLog();
      const run = await m.withFinally.run(INPUT, handlers(log, throws('Payment.Fraud', 'card 4242 is stolen')));
      expect(log.states).toEqual(['Charge card', 'Release lock']);
      expect(log.inputsOf('Release lock')).toEqual([{ Error: 'Payment.Fraud', Cause: 'card 4242 is stolen' }]);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Payment.Fraud', cause: 'card 4242 is stolen' });
      expect(run.path).not.toContain('After');
    });

    it('runs when the handler itself fails, then fails with the handler\'s error', async () => {
      const log = new CallLog();
      const run = await m.withFinally.run(INPUT, {
        ...handlers(log, throws('Payment.Declined', 'card 4242')),
        'Notify declined': log.handler('Notify declined', throws('Mail.Bounced', 'no such mailbox')),
      });
      expect(log.states).toEqual(['Charge card', 'Notify declined', 'Release lock']);
      expect(log.inputsOf('Release lock')).toEqual([{ Error: 'Mail.Bounced', Cause: 'no such mailbox' }]);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Mail.Bounced', cause: 'no such mailbox' });
    });

    it('without handlers, runs after an error and raises it again', async () => {
      const log = new CallLog();
      const run = await m.finallyOnly.run(INPUT, handlers(log, throws('Payment.Declined', 'card 4242')));
      expect(log.states).toEqual(['Charge card', 'Release lock']);
      expect(run).toMatchObject({ status: 'FAILED', error: 'Payment.Declined', cause: 'card 4242' });
    });

    it('without handlers, runs after success and passes the output on', async () => {
      const log = new CallLog();
      const run = await m.finallyOnly.run(INPUT, handlers(log, charges));
      expect(log.states).toEqual(['Charge card', 'Release lock']);
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: CHARGED });
    });

    describe('an error without a cause', () => {
      const approvalHandlers = (log: CallLog): Record<string, TaskHandler> => ({
        ...handlers(log, charges),
        Approve: log.handler('Approve', () => ({})),
      });

      // AWS hands a Catch of a timeout {"Error": "States.Timeout", "Cause": ""} (recorded), so the rethrow keeps that empty cause.
      it('runs after a timeout, then fails with States.Timeout and the empty cause AWS gives a caught timeout', async () => {
        const log = new CallLog();
        const run = await m.callbackFinally.run(INPUT, approvalHandlers(log));
        expect(log.states).toEqual(['Approve', 'Release lock']);
        expect(run.status).toBe('FAILED');
        expect(run.error).toBe('States.Timeout');
        expect(run.cause).toBe('');
        expect(run.path[run.path.length - 1]).toBe('Charge: Rethrow');
      });

      it('runs after a sendTaskFailure without a cause, then raises that error', async () => {
        const log = new CallLog();
        const execution = m.callbackFinally.compile(approvalHandlers(log)).start(INPUT);
        execution.sendTaskFailure(await execution.waitForTaskToken('Approve'), 'Approval.Rejected');
        const run = await execution.result;
        expect(log.states).toEqual(['Approve', 'Release lock']);
        expect(run).toMatchObject({ status: 'FAILED', error: 'Approval.Rejected' });
        expect(run.cause).toBeUndefined();
      });

      it('raises a handler\'s error that has no cause', async () => {
        const log = new CallLog();
        const run = await m.withFinally.run(INPUT, {
          ...handlers(log, throws('Payment.Declined', 'card 4242')),
          'Notify declined': log.handler('Notify declined', () => { throw new StatesError('Mail.Bounced'); }),
        });
        expect(log.inputsOf('Release lock')).toEqual([{ Error: 'Mail.Bounced' }]);
        expect(run).toMatchObject({ status: 'FAILED', error: 'Mail.Bounced' });
        expect(run.cause).toBeUndefined();
      });
    });

    it('a failure inside finally fails the execution with that error', async () => {
      const log = new CallLog();
      const run = await m.withFinally.run(INPUT, {
        ...handlers(log, charges),
        'Release lock': throws('Lock.Lost', 'lock l-1 expired'),
      });
      expect(run).toMatchObject({ status: 'FAILED', error: 'Lock.Lost', cause: 'lock l-1 expired' });
    });
  });

  describe('retry', () => {
    it('re-runs the whole block, from its first state, on a listed error', async () => {
      const log = new CallLog();
      let attempt = 0;
      const run = await m.retried.run(INPUT, handlers(log, () => {
        if (++attempt === 1) throw new StatesError('Payment.Timeout', 'gateway slow');
        return CHARGED;
      }));
      expect(log.states).toEqual(['Reserve stock', 'Charge card', 'Reserve stock', 'Charge card']);
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: CHARGED });
      expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(3_000);
    });

    it('hands the error to the handler once the block\'s retries are exhausted', async () => {
      const log = new CallLog();
      const run = await m.retried.run(INPUT, handlers(log, throws('Payment.Timeout', 'gateway down')));
      expect(log.states.filter((s) => s === 'Reserve stock')).toHaveLength(3);
      expect(log.states[log.states.length - 1]).toBe('Log error');
      expect(log.inputsOf('Log error')).toEqual([{ ...INPUT, error: { Error: 'Payment.Timeout', Cause: 'gateway down' } }]);
      expect(run).toMatchObject({ status: 'SUCCEEDED', output: { 'Log error': 'done' } });
    });

    it('does not retry errors it does not list', async () => {
      const log = new CallLog();
      await m.retried.run(INPUT, handlers(log, throws('Payment.Declined', 'card 4242')));
      expect(log.states).toEqual(['Reserve stock', 'Charge card', 'Log error']);
    });
  });
});
