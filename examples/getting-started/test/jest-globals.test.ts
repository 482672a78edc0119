// The matchers type-check with `import { expect } from '@jest/globals'` as well as with the global expect.
import { expect, it } from '@jest/globals';
import { Aspects, App } from 'aws-cdk-lib';
import { StateMachineValidator } from 'stepwright';
import { Workflow } from 'stepwright/testing';
import { OrderStack } from '../lib/order-stack';

// Synthesized as the file loads, like order-stack.test.ts: a synth inside a test counts against
// jest's 5 s limit, which a busy machine can use up. A finding of the Aspect fails the file.
const app = new App();
Aspects.of(app).add(new StateMachineValidator());
const wf = Workflow.fromStack(new OrderStack(app, 'Orders'));

it('runs the inline Lambda code when a Task has no mock, and the validator Aspect finds nothing to report', async () => {
  const run = await wf.run({ orderId: 'o-3', amount: 900 });

  expect(run).toFail('Payment.Declined');
  expect(run.attempts('Charge card')).toHaveLength(1);
});
