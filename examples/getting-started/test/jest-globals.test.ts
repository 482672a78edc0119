// The matchers type-check with `import { expect } from '@jest/globals'` as well as with the global expect.
import { expect, it } from '@jest/globals';
import { Aspects, App } from 'aws-cdk-lib';
import { StateMachineValidator } from 'stepwright';
import { Workflow } from 'stepwright/testing';
import { OrderStack } from '../lib/order-stack';

it('runs the inline Lambda code when a Task has no mock, and the validator Aspect finds nothing to report', async () => {
  const app = new App();
  Aspects.of(app).add(new StateMachineValidator());
  const wf = Workflow.fromStack(new OrderStack(app, 'Orders'));

  const run = await wf.run({ orderId: 'o-3', amount: 900 });

  expect(run).toFail('Payment.Declined');
  expect(run.attempts('Charge card')).toHaveLength(1);
});
