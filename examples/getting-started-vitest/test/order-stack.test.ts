import { App } from 'aws-cdk-lib';
import { Workflow, fail } from 'stepwright/testing';
import { describe, expect, it } from 'vitest';
import { OrderStack } from '../lib/order-stack';

const wf = Workflow.fromStack(new OrderStack(new App(), 'Orders'));

describe('the order workflow under vitest', () => {
  it('charges the card and succeeds', async () => {
    const run = await wf.run({ orderId: 'o-1', amount: 20 }, { mocks: { 'Charge card': { chargeId: 'ch_1' } } });

    expect(run).toSucceed();
    expect(run).toHaveOutput({ orderId: 'o-1', amount: 20, payment: expect.objectContaining({ chargeId: 'ch_1' }) });
    expect(run).toHavePath(expect.arrayContaining(['Charge card']));
  });

  it('retries a throttled charge, then fails a declined card', async () => {
    const run = await wf.run({ orderId: 'o-2', amount: 20 }, {
      mocks: { 'Charge card': [fail('Lambda.TooManyRequestsException'), fail('CardDeclined')] },
    });

    expect(run).toFail('Payment.Declined');
    expect(run).toHaveRetried('Charge card', 1);
    expect(run).not.toSucceed();
  });

  it("fails with jest's message when a matcher does not hold", async () => {
    const run = await wf.run({ orderId: 'o-3', amount: 20 }, { mocks: { 'Charge card': fail('CardDeclined') } });

    expect(() => expect(run).toSucceed()).toThrow(/FAILED/);
  });
});
