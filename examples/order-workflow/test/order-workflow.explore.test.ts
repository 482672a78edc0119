// Scenarios `stepwright explore` found for OrderWorkflow, one test each: the input and the
// Task answers that take its path, and what the run does. A starting point: keep the file, rename
// the tests, and trim or extend them.
// Written by: npx projen example:scaffold
//
// explore reached states 7/38, transitions 4/36, Choice rules 1/11, catches 1/8, retries 1/8, callback outcomes 0/3.
//
// Not reached, and not proved unreachable (90 goals; the states):
// - no scenario reached 'Fulfil: Reserve': Check total#default: $.total is 0 and cannot be changed (it does not come from the execution input or a Task result), bu…
// - no scenario reached 'Reserve stock': Check total#default: $.total is 0 and cannot be changed (it does not come from the execution input or a Task result), but …
// - no scenario reached 'Approval': Check total#1: $.total is 0 and cannot be changed (it does not come from the execution input or a Task result), but must be pre…
// - no scenario reached 'Wait for approval': Check total#1: $.total is 0 and cannot be changed (it does not come from the execution input or a Task result), but mu…
// - no scenario reached 'Order rejected': Check total#1: $.total is 0 and cannot be changed (it does not come from the execution input or a Task result), but must …
// - no scenario reached 'Approval expired': Check total#1: $.total is 0 and cannot be changed (it does not come from the execution input or a Task result), but mus…
// - no scenario reached 'Fulfil: Reserve result': Check total#default: $.total is 0 and cannot be changed (it does not come from the execution input or a Task resu…
// - no scenario reached 'Fulfil: Charge': Check total#default: $.total is 0 and cannot be changed (it does not come from the execution input or a Task result), but…
// - no scenario reached 'Charge card': Check total#default: $.total is 0 and cannot be changed (it does not come from the execution input or a Task result), but mu…
// - no scenario reached 'Fulfil: Charge result': Check total#default: $.total is 0 and cannot be changed (it does not come from the execution input or a Task resul…
// - no scenario reached 'Fulfil: Ship': Check total#default: $.total is 0 and cannot be changed (it does not come from the execution input or a Task result), but m…
// - no scenario reached 'Book shipment': Check total#default: $.total is 0 and cannot be changed (it does not come from the execution input or a Task result), but …
// - and 19 more (stepwright explore --json lists them all)
//
// Findings:
// - unhandled: the execution fails with States.TaskFailed at state 'Quote price' (as it does with States.Timeout, Lambda.ClientExecutionTimeoutException, Lambda.Se…
import { App } from 'aws-cdk-lib';
import { OrderStack } from '../lib/order-stack';
import { Workflow, fail, succeed } from 'stepwright/testing';

// Bundling is skipped: the tests answer every Task with a mock.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const wf = Workflow.fromStack(new OrderStack(app, 'OrderWorkflow'));

describe('OrderWorkflow: the scenarios explore found', () => {
  it("catches ItemDiscontinued in 'Price item', 'Check total' chooses 'Nothing to sell', then fails with Order.NothingToSell", async () => {
    const run = await wf.run({ items: [{ sku: 'sku', qty: 'qty' }] }, {
      mocks: {
        'Quote price': fail('ItemDiscontinued'),
      },
    });

    expect(run).toFail('Order.NothingToSell', 'every item of the order is discontinued');
    expect(run).toHavePath([
      'Price items',
      'Price item',
      'Quote price',
      'Drop discontinued item',
      'Total order',
      'Check total',
      'Nothing to sell',
    ]);
  });

  it("retries 'Quote price' after Lambda.ClientExecutionTimeoutException, 'Check total' chooses 'Nothing to sell', then fails with Order.NothingToSell", async () => {
    const run = await wf.run({ items: [{}] }, {
      mocks: {
        'Quote price': [fail('Lambda.ClientExecutionTimeoutException'), succeed({})],
      },
    });

    expect(run).toFail('Order.NothingToSell', 'every item of the order is discontinued');
    expect(run).toHavePath([
      'Price items',
      'Price item',
      'Quote price',
      'Total order',
      'Check total',
      'Nothing to sell',
    ]);
  });

  it("fails with States.TaskFailed at 'Quote price'", async () => {
    const run = await wf.run({ items: [{}] }, {
      mocks: {
        'Quote price': fail('States.TaskFailed'),
      },
    });

    expect(run).toFail('States.TaskFailed');
    expect(run).toHavePath(['Price items', 'Price item', 'Quote price']);
  });
});
