// Scenarios `stepwright explore` found for OrderWorkflow: each runs an input with the Task answers
// that take its path, and checks what sets the run apart (how it ends, the states that decide it, its
// output). Scenarios that differ only in their Task answers share one it.each table. A starting point:
// keep the file, rename the tests, and trim or extend them.
// Written by: npx projen example:scaffold
//
// explore reached states 38/38, transitions 36/36, Choice rules 11/11, catches 8/8, retries 8/8, callback outcomes 3/3.
//
// Findings:
// - unhandled: the execution fails with States.TaskFailed at state 'Quote price' (as it does with States.Timeout, Lambda.ClientExecutionTimeoutException, Lambda.Se…
// - unhandled: the execution fails with States.TaskFailed at state 'Wait for approval' (as it does with Lambda.ClientExecutionTimeoutException, Lambda.ServiceExcep…
import { App } from 'aws-cdk-lib';
import { OrderStack } from '../lib/order-stack';
import { Workflow, delay, fail, succeed } from 'stepwright/testing';
import type { Mock } from 'stepwright/testing';

// Bundling is skipped: the tests answer every Task with a mock.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const wf = Workflow.fromStack(new OrderStack(app, 'OrderWorkflow'));

describe('OrderWorkflow: the scenarios explore found', () => {
  it("'Check total' chooses 'Fulfil: Reserve', then succeeds", async () => {
    const run = await wf.run({ items: [{}], orderId: 'orderId', card: 'card', address: 'address' }, {
      mocks: {
        'Quote price': succeed({ lineTotal: 1 }),
        'Reserve stock': succeed({ skus: 'skus' }),
        'Charge card': succeed({ chargeId: 'chargeId' }),
        'Book shipment': succeed({ trackingNumber: 'trackingNumber' }),
      },
    });

    expect(run).toSucceed();
    expect(run).toHaveVisited(...['Fulfil: Reserve', 'Confirm order']);
    expect(run).not.toHaveVisited(...['Nothing to sell', 'Approval']);
    expect(run).toHaveOutput({
      total: 1,
      orderId: 'orderId',
      chargeId: 'chargeId',
      trackingNumber: 'trackingNumber',
    });
  });

  it("'Check total' chooses 'Approval', catches States.TaskFailed in 'Fulfil: Ship', retries 'Refund card' after States.TaskFailed, catches States.TaskFailed in 'Fulfil: Undo Charge', and 3 more, then fails with States.TaskFailed", async () => {
    const run = await wf.run({ items: [{}], orderId: 'orderId', card: 'card', address: 'address' }, {
      mocks: {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': succeed({ skus: 'skus', reservationId: 'reservationId' }),
        'Charge card': succeed({ chargeId: 'chargeId', amount: 'amount' }),
        'Book shipment': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        'Refund card': [
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          succeed({}),
        ],
        'Release stock': succeed({}),
      },
    });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHaveVisited(...[
      'Approval',
      'Wait for approval',
      'Fulfil: Ship',
      'Fulfil: Undo Charge',
      'Fulfil: Count rounds of undo Charge',
      'Fulfil: Wait to undo Charge',
      'Fulfil: Error has cause?',
      'Fulfil: Failed',
    ]);
    expect(run).not.toHaveVisited(...[
      'Nothing to sell',
      'Fulfil: Gave up undoing Charge',
      'Fulfil: Compensation failed',
      'Fulfil: Failed without cause',
    ]);
  });

  it("'Check total' chooses 'Approval', catches States.TaskFailed in 'Fulfil: Ship', retries 'Refund card' after States.TaskFailed, catches States.TaskFailed in 'Fulfil: Undo Charge', and 3 more, then fails with Saga.CompensationFailed", async () => {
    const run = await wf.run({ items: [{}], orderId: 'orderId', card: 'card', address: 'address' }, {
      mocks: {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': succeed({ skus: 'skus', reservationId: 'reservationId' }),
        'Charge card': succeed({ chargeId: 'chargeId', amount: 'amount' }),
        'Book shipment': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        'Refund card': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        'Release stock': succeed({}),
      },
    });

    expect(run).toFail('Saga.CompensationFailed', expect.stringContaining('{"error":{"Error":"States.TaskFailed","Cause":"a failure stepwright made up for this call"},"compens'));
    expect(run).toHaveVisited(...[
      'Approval',
      'Wait for approval',
      'Fulfil: Ship',
      'Fulfil: Undo Charge',
      'Fulfil: Count rounds of undo Charge',
      'Fulfil: Wait to undo Charge',
      'Fulfil: Gave up undoing Charge',
      'Fulfil: Compensation failed',
    ]);
    expect(run).not.toHaveVisited(...['Nothing to sell', 'Fulfil: Error has cause?']);
  });

  it("'Check total' chooses 'Approval', catches States.TaskFailed in 'Fulfil: Charge', 'Fulfil: Any undo failed?' chooses 'Fulfil: Error has cause?', 'Fulfil: Error has cause?' chooses 'Fulfil: Failed', then fails with States.TaskFailed", async () => {
    const run = await wf.run({ items: [{}], orderId: 'orderId', card: 'card' }, {
      mocks: {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': succeed({ reservationId: 'reservationId' }),
        'Charge card': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        'Release stock': succeed({}),
      },
    });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHaveVisited(...[
      'Approval',
      'Wait for approval',
      'Fulfil: Charge',
      'Fulfil: Undo Reserve',
      'Fulfil: Error has cause?',
      'Fulfil: Failed',
    ]);
    expect(run).not.toHaveVisited(...[
      'Nothing to sell',
      'Fulfil: Compensation failed',
      'Fulfil: Failed without cause',
    ]);
  });

  it("'Check total' chooses 'Approval', catches States.TaskFailed in 'Fulfil: Ship', retries 'Release stock' after States.TaskFailed, catches States.TaskFailed in 'Fulfil: Undo Reserve', and 3 more, then fails with Saga.CompensationFailed", async () => {
    const run = await wf.run({ items: [{}], orderId: 'orderId', card: 'card', address: 'address' }, {
      mocks: {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': succeed({ skus: 'skus', reservationId: 'reservationId' }),
        'Charge card': succeed({ chargeId: 'chargeId', amount: 'amount' }),
        'Book shipment': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        'Refund card': succeed({}),
        'Release stock': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
      },
    });

    expect(run).toFail('Saga.CompensationFailed', expect.stringContaining('{"error":{"Error":"States.TaskFailed","Cause":"a failure stepwright made up for this call"},"compens'));
    expect(run).toHaveVisited(...[
      'Approval',
      'Wait for approval',
      'Fulfil: Ship',
      'Fulfil: Undo Charge',
      'Fulfil: Undo Reserve',
      'Fulfil: Count rounds of undo Reserve',
      'Fulfil: Wait to undo Reserve',
      'Fulfil: Gave up undoing Reserve',
      'Fulfil: Compensation failed',
    ]);
    expect(run).not.toHaveVisited(...['Nothing to sell', 'Fulfil: Error has cause?']);
  });

  it("'Check total' chooses 'Approval', catches States.TaskFailed in 'Fulfil: Ship', 'Fulfil: Any undo failed?' chooses 'Fulfil: Error has cause?', 'Fulfil: Error has cause?' chooses 'Fulfil: Failed without cause', then fails with States.TaskFailed", async () => {
    const run = await wf.run({ items: [{}], orderId: 'orderId', card: 'card', address: 'address' }, {
      mocks: {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': succeed({ skus: 'skus', reservationId: 'reservationId' }),
        'Charge card': succeed({ chargeId: 'chargeId', amount: 'amount' }),
        'Book shipment': fail('States.TaskFailed'),
        'Refund card': succeed({}),
        'Release stock': succeed({}),
      },
    });

    expect(run).toFail('States.TaskFailed');
    expect(run).toHaveVisited(...[
      'Approval',
      'Wait for approval',
      'Fulfil: Ship',
      'Fulfil: Undo Charge',
      'Fulfil: Error has cause?',
      'Fulfil: Failed without cause',
    ]);
    expect(run).not.toHaveVisited(...[
      'Nothing to sell',
      'Fulfil: Compensation failed',
      'Fulfil: Failed',
    ]);
  });

  it("catches ItemDiscontinued in 'Price item', 'Check total' chooses 'Nothing to sell', then fails with Order.NothingToSell", async () => {
    const run = await wf.run({ items: [{ sku: 'sku', qty: 'qty' }] }, {
      mocks: {
        'Quote price': fail('ItemDiscontinued', '{"errorType":"ItemDiscontinued","errorMessage":"a failure stepwright made up for this call","trace":[]}'),
      },
    });

    expect(run).toFail('Order.NothingToSell', 'every item of the order is discontinued');
    expect(run).toHaveVisited(...['Price item', 'Drop discontinued item', 'Nothing to sell']);
    expect(run).not.toHaveVisited(...['Approval', 'Fulfil: Reserve']);
  });

  it("'Check total' chooses 'Approval', 'Fulfil: Any undo failed?' chooses 'Fulfil: Error has cause?', catches States.TaskFailed in 'Fulfil: Reserve', 'Fulfil: Error has cause?' chooses 'Fulfil: Failed', then fails with States.TaskFailed", async () => {
    const run = await wf.run({ items: [{}], orderId: 'orderId' }, {
      mocks: {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
      },
    });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHaveVisited(...[
      'Approval',
      'Wait for approval',
      'Fulfil: Reserve',
      'Fulfil: Any undo failed?',
      'Fulfil: Error has cause?',
      'Fulfil: Failed',
    ]);
    expect(run).not.toHaveVisited(...[
      'Nothing to sell',
      'Fulfil: Compensation failed',
      'Fulfil: Failed without cause',
    ]);
  });

  it("'Check total' chooses 'Approval', 'Wait for approval' gets a failed callback (Approval.Rejected), catches Approval.Rejected in 'Approval', then fails with Order.Rejected", async () => {
    const run = await wf.run({ items: [{}], orderId: 'orderId' }, {
      mocks: {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': fail('Approval.Rejected', 'a failure stepwright made up for this call'),
      },
    });

    expect(run).toFail('Order.Rejected', 'a failure stepwright made up for this call');
    expect(run).toHaveVisited(...['Approval', 'Wait for approval', 'Order rejected']);
    expect(run).not.toHaveVisited(...['Nothing to sell', 'Fulfil: Reserve']);
  });

  it("'Check total' chooses 'Approval', 'Wait for approval' times out waiting for its callback, catches States.Timeout in 'Approval', then fails with Order.ApprovalExpired", async () => {
    const run = await wf.run({ items: [{}], orderId: 'orderId' }, {
      mocks: {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': delay(86401),
      },
    });

    expect(run).toFail('Order.ApprovalExpired', 'nobody approved the order within 24 hours');
    expect(run).toHaveVisited(...['Approval', 'Wait for approval', 'Approval expired']);
    expect(run).not.toHaveVisited(...['Nothing to sell', 'Fulfil: Reserve']);
  });

  it("retries 'Quote price' after Lambda.ClientExecutionTimeoutException, 'Check total' chooses 'Nothing to sell', then fails with Order.NothingToSell", async () => {
    const run = await wf.run({ items: [{}] }, {
      mocks: {
        'Quote price': [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: ClientExecutionTimeoutException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          succeed({}),
        ],
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

  it.each<[string, Record<string, Mock>]>([
    [
      "'Check total' chooses 'Approval', retries 'Reserve stock' after Lambda.ClientExecutionTimeoutException, then succeeds",
      {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: ClientExecutionTimeoutException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          succeed({ skus: 'skus' }),
        ],
        'Charge card': succeed({ chargeId: 'chargeId' }),
        'Book shipment': succeed({ trackingNumber: 'trackingNumber' }),
      },
    ],
    [
      "'Check total' chooses 'Approval', retries 'Wait for approval' after Lambda.ClientExecutionTimeoutException, 'Wait for approval' gets a failed callback (Lambda.ClientExecutionTimeoutException), then succeeds",
      {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call'),
          succeed({}),
        ],
        'Reserve stock': succeed({ skus: 'skus' }),
        'Charge card': succeed({ chargeId: 'chargeId' }),
        'Book shipment': succeed({ trackingNumber: 'trackingNumber' }),
      },
    ],
    [
      "'Check total' chooses 'Approval', retries 'Charge card' after Lambda.ClientExecutionTimeoutException, then succeeds",
      {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': succeed({ skus: 'skus' }),
        'Charge card': [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: ClientExecutionTimeoutException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          succeed({ chargeId: 'chargeId' }),
        ],
        'Book shipment': succeed({ trackingNumber: 'trackingNumber' }),
      },
    ],
    [
      "'Check total' chooses 'Approval', retries 'Book shipment' after Lambda.ClientExecutionTimeoutException, then succeeds",
      {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': succeed({ skus: 'skus' }),
        'Charge card': succeed({ chargeId: 'chargeId' }),
        'Book shipment': [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: ClientExecutionTimeoutException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          succeed({ trackingNumber: 'trackingNumber' }),
        ],
      },
    ],
    [
      "'Check total' chooses 'Approval', retries 'Book shipment' after States.Timeout, then succeeds",
      {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': succeed({ skus: 'skus' }),
        'Charge card': succeed({ chargeId: 'chargeId' }),
        'Book shipment': [delay(301), succeed({ trackingNumber: 'trackingNumber' })],
      },
    ],
  ])('%s', async (_name, mocks) => {
    const run = await wf.run({ items: [{}], orderId: 'orderId', card: 'card', address: 'address' }, { mocks });

    expect(run).toSucceed();
    expect(run).toHaveVisited(...['Approval', 'Wait for approval', 'Confirm order']);
    expect(run).not.toHaveVisited('Nothing to sell');
    expect(run).toHaveOutput({
      total: 1001,
      orderId: 'orderId',
      chargeId: 'chargeId',
      trackingNumber: 'trackingNumber',
    });
  });

  it.each<[string, Record<string, Mock>]>([
    [
      "'Check total' chooses 'Approval', catches States.TaskFailed in 'Fulfil: Ship', retries 'Refund card' after States.TaskFailed, 'Fulfil: Any undo failed?' chooses 'Fulfil: Error has cause?', and 1 more, then fails with States.TaskFailed",
      {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': succeed({ skus: 'skus', reservationId: 'reservationId' }),
        'Charge card': succeed({ chargeId: 'chargeId', amount: 'amount' }),
        'Book shipment': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        'Refund card': [
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          succeed({}),
        ],
        'Release stock': succeed({}),
      },
    ],
    [
      "'Check total' chooses 'Approval', catches States.TaskFailed in 'Fulfil: Ship', retries 'Release stock' after States.TaskFailed, 'Fulfil: Any undo failed?' chooses 'Fulfil: Error has cause?', and 1 more, then fails with States.TaskFailed",
      {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': succeed({}),
        'Reserve stock': succeed({ skus: 'skus', reservationId: 'reservationId' }),
        'Charge card': succeed({ chargeId: 'chargeId', amount: 'amount' }),
        'Book shipment': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        'Refund card': succeed({}),
        'Release stock': [
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          succeed({}),
        ],
      },
    ],
  ])('%s', async (_name, mocks) => {
    const run = await wf.run({ items: [{}], orderId: 'orderId', card: 'card', address: 'address' }, { mocks });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHaveVisited(...[
      'Approval',
      'Wait for approval',
      'Fulfil: Ship',
      'Fulfil: Undo Charge',
      'Fulfil: Error has cause?',
      'Fulfil: Failed',
    ]);
    expect(run).not.toHaveVisited(...[
      'Nothing to sell',
      'Fulfil: Compensation failed',
      'Fulfil: Failed without cause',
    ]);
  });

  it("fails with States.TaskFailed at 'Quote price'", async () => {
    const run = await wf.run({ items: [{}] }, {
      mocks: {
        'Quote price': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
      },
    });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHavePath(['Price items', 'Price item', 'Quote price']);
  });

  it("'Check total' chooses 'Approval', 'Wait for approval' gets a failed callback (States.TaskFailed), then fails with States.TaskFailed at 'Wait for approval'", async () => {
    const run = await wf.run({ items: [{}], orderId: 'orderId', card: 'card', address: 'address' }, {
      mocks: {
        'Quote price': succeed({ lineTotal: 1001 }),
        'Wait for approval': fail('States.TaskFailed', 'a failure stepwright made up for this call'),
      },
    });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHaveVisited(...['Approval', 'Wait for approval']);
    expect(run).not.toHaveVisited(...['Nothing to sell', 'Fulfil: Reserve']);
  });
});
