import { App } from 'aws-cdk-lib';
import { Workflow, fail } from 'stepwright/testing';
import { OrderStack } from '../lib/order-stack';

const wf = Workflow.fromStack(new OrderStack(new App(), 'Orders'));

it('charges the card and succeeds', async () => {
  const run = await wf.run({ orderId: 'o-1', amount: 20 }, { mocks: { 'Charge card': { chargeId: 'ch_1' } } });

  expect(run).toSucceed();
  expect(run).toHaveOutput({ orderId: 'o-1', amount: 20, payment: { chargeId: 'ch_1' } });
});

it('retries a throttled charge, then fails a declined card', async () => {
  const run = await wf.run({ orderId: 'o-2', amount: 20 }, {
    mocks: { 'Charge card': [fail('Lambda.TooManyRequestsException'), fail('CardDeclined')] },
  });

  expect(run).toFail('Payment.Declined');
  expect(run).toHaveRetried('Charge card', 1);
});
