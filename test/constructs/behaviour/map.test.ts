import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BuildContext, CallLog, LANGUAGES, synthesizeAll } from './harness';
import type { JsonValue } from '../../../src/asl/definition-types';
import { StatesError } from '../../../src/asl/states-errors';
import { DistributedMapProps, InlineMapProps, Map, Task, ToleratedFailure } from '../../../src/constructs/builders';
import type { TaskHandler } from '../../../src/interpreter';

const ORDERS = [{ id: 'o-1' }, { id: 'o-2' }, { id: 'o-3' }, { id: 'o-4' }, { id: 'o-5' }, { id: 'o-6' }];
const INPUT = { batchId: 'b-7', orders: ORDERS };

type Common = Omit<InlineMapProps, 'itemProcessor' | 'queryLanguage'>;

/** Items from `$.orders`, results at `charged` next to the input: the same Map in either language. */
function io(ctx: BuildContext): Common {
  return ctx.jsonata
    ? { items: '{% $states.input.orders %}', outputs: '{% $merge([$states.input, {"charged": $states.result}]) %}' }
    : { itemsPath: '$.orders', resultPath: '$.charged' };
}

/** Each iteration waits 10 s on the (virtual) clock, then charges the order. */
function processor(ctx: BuildContext, id: string): sfn.IChainable {
  const wait = new sfn.Wait(ctx.scope, `${id} wait`, { time: sfn.WaitTime.duration(Duration.seconds(10)) });
  return wait.next(Task.lambdaInvoke(ctx.scope, `${id} charge`, { lambdaFunction: ctx.fn('Charge') }));
}

function inline(ctx: BuildContext, id: string, props: Common = {}) {
  return Map.inline(ctx.scope, id, { queryLanguage: ctx.queryLanguage, itemProcessor: processor(ctx, id), ...io(ctx), ...props });
}
function distributed(ctx: BuildContext, id: string, props: Omit<DistributedMapProps, 'itemProcessor' | 'queryLanguage'> = {}) {
  return Map.distributed(ctx.scope, id, { queryLanguage: ctx.queryLanguage, itemProcessor: processor(ctx, id), ...io(ctx), ...props });
}

function machines(ql: sfn.QueryLanguage) {
  return synthesizeAll({
    limited: (ctx) => inline(ctx, 'Limited', { maxConcurrency: 2 }),
    unlimited: (ctx) => inline(ctx, 'Unlimited'),
    distributedLimited: (ctx) => distributed(ctx, 'Distributed', { maxConcurrency: 3 }),
    toleratesOne: (ctx) => distributed(ctx, 'TolerateCount', { toleratedFailure: ToleratedFailure.count(1) }),
    toleratesHalf: (ctx) => distributed(ctx, 'TolerateHalf', { toleratedFailure: ToleratedFailure.percentage(50) }),
    assigned: (ctx) => distributed(ctx, 'Assigned', {
      assign: ctx.jsonata ? { chargedCount: '{% $count($states.result) %}' } : { 'chargedCount.$': 'States.ArrayLength($)' },
    }).next(ctx.jsonata
      ? sfn.Pass.jsonata(ctx.scope, 'Read', { outputs: '{% {"count": $chargedCount} %}' })
      : new sfn.Pass(ctx.scope, 'Read', { parameters: { 'count.$': '$chargedCount' } })),
    selector: (ctx) => inline(ctx, 'Selected', {
      itemSelector: ctx.jsonata
        ? { orderId: '{% $states.context.Map.Item.Value.id %}', index: '{% $states.context.Map.Item.Index %}', batch: '{% $states.input.batchId %}' }
        : { 'orderId.$': '$$.Map.Item.Value.id', 'index.$': '$$.Map.Item.Index', 'batch.$': '$.batchId' },
    }),
  }, ql);
}

/**
 * A charge handler that stays in flight for a few event-loop turns, counting
 * how many calls overlap; orders in `failing` fail with Payment.Declined.
 */
function charger(log: CallLog, failing: string[] = []) {
  const stats = { inFlight: 0, maxInFlight: 0 };
  const handler: TaskHandler = log.handler('Charge', async (input) => {
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    stats.inFlight--;
    const id = (input as { id?: string }).id;
    if (id !== undefined && failing.includes(id)) throw new StatesError('Payment.Declined', `order ${id}`);
    return { charged: input };
  });
  return { handler, stats };
}

const elapsed = (run: { startDate: Date; stopDate: Date }) => run.stopDate.getTime() - run.startDate.getTime();

describe.each(LANGUAGES)('Map (%s)', (_name, ql) => {
  let m: ReturnType<typeof machines>;
  beforeAll(() => { m = machines(ql); });

  describe('maxConcurrency', () => {
    it('runs at most maxConcurrency iterations at once (inline)', async () => {
      const { handler, stats } = charger(new CallLog());
      const run = await m.limited.run(INPUT, { 'Limited charge': handler });
      expect(run.status).toBe('SUCCEEDED');
      expect(stats.maxInFlight).toBe(2);
      // Six 10-second iterations, two at a time.
      expect(elapsed(run)).toBe(30_000);
    });

    it('runs every iteration at once without a limit', async () => {
      const { handler, stats } = charger(new CallLog());
      const run = await m.unlimited.run(INPUT, { 'Unlimited charge': handler });
      expect(stats.maxInFlight).toBe(6);
      expect(elapsed(run)).toBe(10_000);
    });

    it('runs at most maxConcurrency child executions at once (distributed)', async () => {
      const { handler, stats } = charger(new CallLog());
      const run = await m.distributedLimited.run(INPUT, { 'Distributed charge': handler });
      expect(run.status).toBe('SUCCEEDED');
      expect(stats.maxInFlight).toBe(3);
      expect(elapsed(run)).toBe(20_000);
    });

    it('keeps results in item order and places them as configured', async () => {
      const { handler } = charger(new CallLog());
      const run = await m.limited.run(INPUT, { 'Limited charge': handler });
      expect(run.output).toEqual({ ...INPUT, charged: ORDERS.map((o) => ({ charged: o })) });
    });
  });

  describe('tolerated failure', () => {
    it('fails with the item\'s own error when no failure is tolerated', async () => {
      const run = await m.limited.run(INPUT, { 'Limited charge': charger(new CallLog(), ['o-3']).handler });
      expect(run).toMatchObject({ status: 'FAILED', error: 'Payment.Declined', cause: 'order o-3' });
    });

    it.each([
      ['count(1)', 1, 'SUCCEEDED', 'toleratesOne', ['o-2']],
      ['count(1)', 2, 'FAILED', 'toleratesOne', ['o-2', 'o-5']],
      ['percentage(50)', 3, 'SUCCEEDED', 'toleratesHalf', ['o-1', 'o-2', 'o-3']],
      ['percentage(50)', 4, 'FAILED', 'toleratesHalf', ['o-1', 'o-2', 'o-3', 'o-4']],
    ] as const)('with ToleratedFailure.%s, %i of 6 items failing ends %s', async (_t, _n, status, machine, failing) => {
      const log = new CallLog();
      const run = await m[machine].run(INPUT, { [`${machine === 'toleratesOne' ? 'TolerateCount' : 'TolerateHalf'} charge`]: charger(log, [...failing]).handler });
      expect(run.status).toBe(status);
      if (status === 'FAILED') {
        expect(run.error).toBe('States.ExceedToleratedFailureThreshold');
      } else {
        // The items that succeeded are all in the results.
        const charged = (run.output as { charged: JsonValue[] }).charged;
        for (const o of ORDERS.filter((x) => !(failing as readonly string[]).includes(x.id))) expect(charged).toContainEqual({ charged: o });
      }
    });
  });

  it('sets the variables of a distributed Map\'s assign from its results, for the states after it', async () => {
    const run = await m.assigned.run(INPUT, { 'Assigned charge': charger(new CallLog()).handler });
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: { count: 6 } });
  });

  it('gives each iteration the itemSelector\'s object, built from the item, its index and the state input', async () => {
    const log = new CallLog();
    const run = await m.selector.run(INPUT, { 'Selected charge': log.handler('Charge', () => 'ok') });
    expect(run.status).toBe('SUCCEEDED');
    expect(log.inputsOf('Charge')).toEqual(ORDERS.map((o, index) => ({ orderId: o.id, index, batch: 'b-7' })));
  });
});
