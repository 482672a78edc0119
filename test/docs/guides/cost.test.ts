import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import { cost, fail, Workflow } from 'stepwright/testing';

const checkout = Workflow.fromDefinition({
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 2, IntervalSeconds: 1 }],
      ResultSelector: { 'id.$': '$.Payload.id' },
      ResultPath: '$.charge',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
});

/** A payment service that charges an order once, however often it is asked. */
const charges = new Map<string, string>();
const charge = (event: { orderId: string }) => {
  if (!charges.has(event.orderId)) charges.set(event.orderId, `ch_${charges.size + 1}`);
  return { id: charges.get(event.orderId) };
};

test('a retried charge costs 3 state transitions, and 1 s of Express duration', async () => {
  const run = await checkout.run({ orderId: 'o-1' }, { mocks: { Charge: [fail('Busy'), charge] } });

  expect(run).toSucceed();
  expect(run).toCostAtMost({ stateTransitions: 3 }); // Charge, its retry, Done
  expect(run.cost().express).toMatchObject({ requests: 1, billedDurationMs: 1000, billedMemoryMb: 64 });
});

test('Express costs less at a million orders a month, and may run this machine', async () => {
  const runs = [
    await checkout.run({ orderId: 'o-2' }, { mocks: { Charge: charge } }),
    await checkout.run({ orderId: 'o-3' }, { mocks: { Charge: [fail('Busy'), charge] } }),
  ];
  const estimate = cost(checkout, runs, { perMonth: 1_000_000 });

  expect(estimate.express.eligible).toBe(true);
  expect(estimate.cheaper).toBe('EXPRESS');
  expect(estimate.standard.usdPerMonth).toBeCloseTo(62.4, 1); // 2.5 transitions × 1M, less 4,000 free
});

test('the charge stays single when Express delivers it twice', async () => {
  // At-least-once delivery is Express's: AWS runs a Standard execution's Tasks exactly once.
  const expressCheckout = Workflow.fromDefinition(checkout.definition, { type: 'EXPRESS' });
  const run = await expressCheckout.run({ orderId: 'o-4' }, {
    mocks: { Charge: charge },
    delivery: { atLeastOnce: { duplicates: 1, seed: 7 } },
  });

  expect(run).toSucceed();
  expect(run.redeliveries.map((r) => r.stateName)).toContain('Charge');
  expect([...charges.keys()].filter((order) => order === 'o-4')).toHaveLength(1);
});
