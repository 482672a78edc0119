// Written for both runners with their globals: consumer-check runs it under jest and vitest and
// requires the two snapshot files to hold the same snapshots.
import { App } from 'aws-cdk-lib';
import { Workflow, fail } from 'stepwright/testing';
import { OrderStack } from '../lib/order-stack';

const wf = Workflow.fromStack(new OrderStack(new App(), 'Orders'));

it('snapshots a successful run', async () => {
  expect(await wf.run({ orderId: 'o-1', amount: 20 }, { mocks: { 'Charge card': { chargeId: 'ch_1' } } })).toMatchSnapshot();
});

it('snapshots a failed run and its history', async () => {
  const run = await wf.run({ orderId: 'o-2', amount: 20 }, {
    mocks: { 'Charge card': [fail('Lambda.TooManyRequestsException'), fail('CardDeclined')] },
  });
  expect(run).toMatchSnapshot();
  expect(run.history).toMatchSnapshot();
});
