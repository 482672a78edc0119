import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { delay, fail, succeed, InvalidDeliveryError, matchers, Workflow, type MockContext } from '../../src/testing';

expect.extend(matchers);

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const orders = (type: 'STANDARD' | 'EXPRESS' = 'EXPRESS') => Workflow.fromDefinition({
  StartAt: 'Reserve',
  States: {
    Reserve: { Type: 'Task', Resource: LAMBDA, Parameters: { 'FunctionName': 'reserve', 'Payload.$': '$' }, ResultPath: null, Next: 'Charge' },
    Charge: { Type: 'Task', Resource: LAMBDA, Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' }, ResultSelector: { 'id.$': '$.Payload.id' }, ResultPath: '$.charge', Next: 'Notify' },
    Notify: { Type: 'Task', Resource: LAMBDA, Parameters: { 'FunctionName': 'notify', 'Payload.$': '$' }, ResultPath: null, End: true },
  },
} as unknown as StateMachineDefinition, { type });

/** A payment service: charging twice for one order is the bug at-least-once delivery finds. */
function payments(idempotent: boolean) {
  const charges: string[] = [];
  const byOrder = new Map<string, string>();
  const charge = (event: unknown): { id: string } => {
    const order = (event as { orderId: string }).orderId;
    if (idempotent && byOrder.has(order)) return { id: byOrder.get(order)! };
    const id = `ch_${charges.length + 1}`;
    charges.push(order);
    byOrder.set(order, id);
    return { id };
  };
  return { charges, charge };
}

describe('at-least-once delivery', () => {
  it('delivers every Task invocation again by default, and the run goes on with the last delivery', async () => {
    const { charges, charge } = payments(false);
    const run = await orders('EXPRESS').run({ orderId: 'o-1' }, { mocks: { Reserve: {}, Charge: charge, Notify: {} }, delivery: { atLeastOnce: { restarts: 0 } } });
    expect(run).toSucceed();
    expect(charges).toEqual(['o-1', 'o-1']);
    expect(run.output).toEqual({ orderId: 'o-1', charge: { id: 'ch_2' } });
    expect(run.redeliveries.map((r) => [r.stateName, r.deliveries, r.outcomes])).toEqual([
      ['Reserve', 2, ['ok', 'ok']], ['Charge', 2, ['ok', 'ok']], ['Notify', 2, ['ok', 'ok']],
    ]);
    expect(run.taskCalls('Charge')).toHaveLength(2);
  });

  it('lets a test tell an idempotent handler from one that is not', async () => {
    const good = payments(true);
    await orders('EXPRESS').run({ orderId: 'o-1' }, { mocks: { Reserve: {}, Charge: good.charge, Notify: {} }, delivery: { atLeastOnce: { duplicates: 2, restarts: 0 } } });
    expect(good.charges).toEqual(['o-1']);
    const bad = payments(false);
    await orders('EXPRESS').run({ orderId: 'o-1' }, { mocks: { Reserve: {}, Charge: bad.charge, Notify: {} }, delivery: { atLeastOnce: { duplicates: 2, restarts: 0 } } });
    expect(bad.charges).toHaveLength(3);
  });

  it('gives a duplicate the same step of a sequence mock, not the next one', async () => {
    const run = await orders('EXPRESS').run({ orderId: 'o-1' }, {
      mocks: { Reserve: {}, Charge: [succeed({ id: 'first' }), succeed({ id: 'second' })], Notify: {} },
      delivery: { atLeastOnce: { restarts: 0 } },
    });
    expect(run).toSucceed();
    expect(run.output).toMatchObject({ charge: { id: 'first' } });
  });

  it('fails the run when the last delivery fails, as a handler that refuses a duplicate would', async () => {
    const seen = new Set<string>();
    const strict = (event: unknown) => {
      const order = (event as { orderId: string }).orderId;
      if (seen.has(order)) throw Object.assign(new Error(`order ${order} charged already`), { name: 'AlreadyCharged' });
      seen.add(order);
      return { id: 'ch_1' };
    };
    const run = await orders('EXPRESS').run({ orderId: 'o-1' }, { mocks: { Reserve: {}, Charge: strict, Notify: {} }, delivery: { atLeastOnce: { restarts: 0 } } });
    expect(run).toFail('AlreadyCharged');
    expect(run.redeliveries.find((r) => r.stateName === 'Charge')!.outcomes).toEqual(['ok', 'AlreadyCharged']);
  });

  it('chooses the re-delivered invocations from the seed: the same seed the same ones, another seed others', async () => {
    const chosen = async (seed: number) => (await orders('EXPRESS').run({ orderId: 'o-1' }, {
      mocks: { Reserve: {}, Charge: { id: 'c' }, Notify: {} }, delivery: { atLeastOnce: { rate: 0.5, seed, restarts: 0 } },
    })).redeliveries.map((r) => r.stateName);
    const runs = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(chosen));
    expect(await chosen(3)).toEqual(runs[2]);
    expect(new Set(runs.map((r) => r.join())).size).toBeGreaterThan(1);
  });

  it('waits for the last delivery of an asynchronous mock, on the virtual clock', async () => {
    const run = await orders('EXPRESS').run({ orderId: 'o-1' }, {
      mocks: { Reserve: {}, Charge: [delay(3, { id: 'slow' })], Notify: {} },
      delivery: { atLeastOnce: { restarts: 0 } },
    });
    expect(run).toSucceed();
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(3000);
    expect(run.redeliveries.find((r) => r.stateName === 'Charge')!.outcomes).toEqual(['ok', 'ok']);
  });

  it('starts an EXPRESS execution over before the run it returns, cutting the earlier run after a Task chosen from the seed', async () => {
    const { charges, charge } = payments(false);
    const run = await orders('EXPRESS').run({ orderId: 'o-1' }, { mocks: { Reserve: {}, Charge: charge, Notify: {} }, delivery: { atLeastOnce: { rate: 0, seed: 4 } } });
    expect(run).toSucceed();
    expect(run.restarts).toHaveLength(1);
    const lost = run.restarts[0];
    expect(lost.status).toBe('ABORTED');
    // The lost run made some calls before it was cut; the returned run made them all again.
    expect(charges.length).toBe(1 + lost.taskCalls('Charge').length);
    const again = await orders('EXPRESS').run({ orderId: 'o-1' }, { mocks: { Reserve: {}, Charge: () => ({ id: 'x' }), Notify: {} }, delivery: { atLeastOnce: { rate: 0, seed: 4 } } });
    expect(again.restarts[0].path).toEqual(lost.path);
  });

  it.each([
    ['duplicates', { duplicates: 2 }],
    ['the defaults', {}],
    ['restarts', { restarts: 1 }],
  ])('refuses at-least-once delivery (%s) for a STANDARD workflow, which AWS runs exactly once, before any mock is called', async (_what, atLeastOnce) => {
    const { charges, charge } = payments(false);
    const run = orders('STANDARD').run({ orderId: 'o-1' }, { mocks: { Reserve: {}, Charge: charge, Notify: {} }, delivery: { atLeastOnce } });
    await expect(run).rejects.toThrow(InvalidDeliveryError);
    await expect(run).rejects.toThrow('delivery.atLeastOnce is for EXPRESS workflows: AWS runs a STANDARD execution exactly once');
    expect(charges).toEqual([]);
  });

  it('refuses restarts for start()', async () => {
    expect(() => orders('EXPRESS').start({}, { delivery: { atLeastOnce: { restarts: 1 } } })).toThrow(/restarts needs Workflow.run/);
  });

  it.each([
    [{ atLeastOnce: { duplicates: 0 } }, /duplicates must be a whole number from 1 to 10, got 0/],
    [{ atLeastOnce: { rate: 2 } }, /rate must be a number from 0 to 1, got 2/],
    [{ atLeastOnce: { seed: -1 } }, /seed must be a whole number/],
    [{ atLeastOnce: { twice: true } }, /unknown option 'twice'/],
    [{ exactlyOnce: {} }, /unknown option 'exactlyOnce'/],
  ])('refuses the delivery %p, naming the option', async (delivery, message) => {
    await expect(orders('EXPRESS').run({}, { mocks: { Reserve: {}, Charge: {}, Notify: {} }, delivery: delivery as never })).rejects.toThrow(InvalidDeliveryError);
    await expect(orders('EXPRESS').run({}, { mocks: { Reserve: {}, Charge: {}, Notify: {} }, delivery: delivery as never })).rejects.toThrow(message);
  });

  it('passes the mock the same context for a duplicate delivery', async () => {
    const contexts: MockContext[] = [];
    await orders('EXPRESS').run({ orderId: 'o-1' }, {
      mocks: { Reserve: {}, Charge: (_e, c) => { contexts.push(c); return { id: 'c' }; }, Notify: {} },
      delivery: { atLeastOnce: { restarts: 0 } },
    });
    expect(contexts).toHaveLength(2);
    expect(contexts[1].invocation).toBe(contexts[0].invocation);
  });

  it('re-delivers a failing mock step as the same failure', async () => {
    const run = await orders('EXPRESS').run({ orderId: 'o-1' }, { mocks: { Reserve: {}, Charge: fail('Declined'), Notify: {} }, delivery: { atLeastOnce: { restarts: 0 } } });
    expect(run).toFail('Declined');
    expect(run.redeliveries.find((r) => r.stateName === 'Charge')!.outcomes).toEqual(['Declined', 'Declined']);
  });
});
