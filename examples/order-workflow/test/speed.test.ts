import { App } from 'aws-cdk-lib';
import { handlers } from './handlers';
import { OrderStack } from '../lib/order-stack';
import { Workflow } from 'stepwright/testing';

// The harness's speed target: a jest file that synthesizes a stack and runs
// ten executions finishes in under 2 s (jest's own time for this file).
describe('the order stack synthesized once and run ten times', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const wf = Workflow.fromStack(new OrderStack(app, 'OrderWorkflow'));
  const mocks = handlers;

  it.each(Array.from({ length: 10 }, (_, i) => i))('execution %i ends as its card decides', async (i) => {
    const declined = i % 3 === 0;
    const run = await wf.run({
      orderId: `o-${i}`,
      card: declined ? 'tok_chargeDeclined' : 'tok_visa',
      address: { country: 'FR' },
      items: [{ sku: 'book', qty: i + 1 }, { sku: 'fax-machine', qty: 1 }],
    }, { mocks });

    if (declined) expect(run).toFail('PaymentDeclined');
    else expect(run).toHaveOutput({ orderId: `o-${i}`, total: 25 * (i + 1), chargeId: `ch_o-${i}`, trackingNumber: `1Z-o-${i}` });
  });
});
