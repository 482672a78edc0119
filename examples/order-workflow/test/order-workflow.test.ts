import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { handlers } from './handlers';
import { handler as bookShipment } from '../lambda/book-shipment';
import { handler as chargeCard } from '../lambda/charge-card';
import { handler as quotePrice } from '../lambda/quote-price';
import { handler as reserveStock } from '../lambda/reserve-stock';
import { OrderStack } from '../lib/order-stack';
import { Workflow, delay, fail, succeed, testState, type Mock, type MockContext, type MockKey } from 'stepwright/testing';

// Synthesize once per file: the stack is the one `cdk deploy` would deploy.
// Bundling is skipped because the tests call the handlers directly.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new OrderStack(app, 'OrderWorkflow');
const wf = Workflow.fromStack(stack);


/** An order under the approval threshold: 2 books (25) and a lamp (80). */
const smallOrder = {
  orderId: 'o-1',
  card: 'tok_visa',
  address: { country: 'DE' },
  items: [{ sku: 'book', qty: 2 }, { sku: 'lamp', qty: 1 }],
};

/** Two desks (950 each): above the approval threshold. */
const largeOrder = { ...smallOrder, orderId: 'o-2', items: [{ sku: 'desk', qty: 2 }] };

/** The states every order passes before fulfilment, with one Map iteration per item. */
const pricing = (items: number): string[] => [
  'Price items',
  ...Array.from({ length: items }, () => ['Price item', 'Quote price']).flat(),
  'Total order',
  'Check total',
];

/** Lambda throttles the first attempt (the function never runs); the retry runs the real handler. */
const throttledOnce = (handler: (event: any) => Promise<unknown>) =>
  (event: any, ctx: MockContext) => (ctx.retryCount === 0 ? fail('Lambda.TooManyRequestsException', 'Rate exceeded') : handler(event));

describe('order workflow', () => {
  it('synthesizes the ASL recorded in the snapshot', () => {
    expect(wf.definition).toMatchSnapshot();
  });

  describe('happy path', () => {
    it('prices, reserves, charges and ships an order under the threshold without asking for approval', async () => {
      const run = await wf.run(smallOrder, { mocks: handlers });

      expect(run).toSucceed();
      expect(run).toHavePath([
        ...pricing(2),
        'Fulfil: Reserve', 'Reserve stock', 'Fulfil: Reserve result',
        'Fulfil: Charge', 'Charge card', 'Fulfil: Charge result',
        'Fulfil: Ship', 'Book shipment', 'Fulfil: Ship result',
        'Confirm order',
      ]);
      expect(run).not.toHaveVisited('Approval');
      expect(run).toHaveOutput({ orderId: 'o-1', total: 130, chargeId: 'ch_o-1', trackingNumber: '1Z-o-1' });
      expect(run.taskCalls('Charge card')).toEqual([{ orderId: 'o-1', card: 'tok_visa', amount: 130 }]);
    });

    it('answers Lambda tasks keyed by the CDK function construct', async () => {
      const f = stack.functions;
      const run = await wf.run(smallOrder, {
        mocks: new Map<MockKey, Mock>([
          [f.quotePrice, quotePrice], [f.reserveStock, reserveStock], [f.chargeCard, chargeCard], [f.bookShipment, bookShipment],
        ]),
      });

      expect(run).toHaveOutput(expect.objectContaining({ chargeId: 'ch_o-1', trackingNumber: '1Z-o-1' }));
    });
  });

  describe('the Map over the items', () => {
    it('drops a discontinued item and sells the rest', async () => {
      const order = { ...smallOrder, items: [{ sku: 'book', qty: 2 }, { sku: 'fax-machine', qty: 1 }] };
      const run = await wf.run(order, { mocks: handlers });

      expect(run).toSucceed();
      expect(run).toHaveVisited('Drop discontinued item');
      expect(run.outputOf('Price items')).toMatchObject({
        lines: [
          { sku: 'book', qty: 2, unitPrice: 25, lineTotal: 50 },
          { sku: 'fax-machine', qty: 1, discontinued: true },
        ],
      });
      expect(run.taskCalls('Book shipment')).toEqual([{ orderId: 'o-1', address: { country: 'DE' }, skus: ['book'] }]);
      expect(run).toHaveOutput(expect.objectContaining({ total: 50 }));
    });

    it('fails with Order.NothingToSell when every item is discontinued', async () => {
      const order = { ...smallOrder, items: [{ sku: 'fax-machine', qty: 3 }] };
      const run = await wf.run(order, { mocks: handlers });

      expect(run).toFail('Order.NothingToSell', 'every item of the order is discontinued');
      expect(run).toHavePath(['Price items', 'Price item', 'Quote price', 'Drop discontinued item', 'Total order', 'Check total', 'Nothing to sell']);
    });

    it('fails the order when an item is unknown: only discontinued items are tolerated', async () => {
      const order = { ...smallOrder, items: [{ sku: 'book', qty: 1 }, { sku: 'teapot', qty: 1 }] };
      const run = await wf.run(order, { mocks: handlers });

      expect(run).toFail('UnknownSku', expect.stringContaining("SKU 'teapot' is not in the catalogue"));
      expect(run).not.toHaveVisited('Total order');
    });
  });

  describe('the saga', () => {
    it('releases the stock and fails with PaymentDeclined when the card is declined', async () => {
      const run = await wf.run({ ...smallOrder, card: 'tok_chargeDeclined' }, { mocks: handlers });

      // AWS reports a Node.js function error as its errorType, with the JSON error payload as cause.
      expect(run).toFail('PaymentDeclined', expect.stringContaining('"errorMessage":"card tok_chargeDeclined was declined for 130.00"'));
      expect(run).toHavePath([
        ...pricing(2),
        'Fulfil: Reserve', 'Reserve stock', 'Fulfil: Reserve result',
        'Fulfil: Charge', 'Charge card',
        'Fulfil: Undo Reserve', 'Release stock',
        'Fulfil: Any undo failed?', 'Fulfil: Error has cause?', 'Fulfil: Failed',
      ]);
      expect(run.taskCalls('Release stock')).toEqual([{ reservationId: 'res-o-1' }]);
    });

    it('refunds the card, then releases the stock, when the carrier does not serve the address', async () => {
      const run = await wf.run({ ...smallOrder, address: { country: 'AQ' } }, { mocks: handlers });

      expect(run).toFail('AddressNotServed');
      // Compensations run in reverse order of the steps they undo.
      expect(run.path.slice(-9)).toEqual([
        'Fulfil: Ship', 'Book shipment',
        'Fulfil: Undo Charge', 'Refund card',
        'Fulfil: Undo Reserve', 'Release stock',
        'Fulfil: Any undo failed?', 'Fulfil: Error has cause?', 'Fulfil: Failed',
      ]);
      expect(run.taskCalls('Refund card')).toEqual([{ chargeId: 'ch_o-1', amount: 130 }]);
    });

    it('has nothing to undo when the stock cannot be reserved', async () => {
      const run = await wf.run({ ...smallOrder, items: [{ sku: 'lamp', qty: 11 }] }, { mocks: handlers });

      expect(run).toFail('OutOfStock', expect.stringContaining("11 x 'lamp' wanted, 10 on hand"));
      expect(run.path.slice(-5)).toEqual(['Fulfil: Reserve', 'Reserve stock', 'Fulfil: Any undo failed?', 'Fulfil: Error has cause?', 'Fulfil: Failed']);
      expect(run).not.toHaveVisited('Release stock', 'Charge card');
    });

    it('times out a hanging shipment booking after 5 minutes of virtual time and books again', async () => {
      const run = await wf.run(smallOrder, {
        mocks: { ...handlers, 'Book shipment': [delay(600, succeed({ trackingNumber: 'too-late' })), succeed({ trackingNumber: '1Z-retry' })] },
      });

      expect(run).toSucceed();
      expect(run).toHaveRetried('Book shipment', 1);
      expect(run).toHaveOutput(expect.objectContaining({ trackingNumber: '1Z-retry' }));
      // 300 s until the timeout, then the 30 s retry interval: no real time passed.
      expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(330_000);
    });

    it('undoes the charge and the reservation, then fails with States.Timeout, when the shipment booking hangs twice', async () => {
      const hang = delay(600, succeed({ trackingNumber: 'too-late' }));
      const run = await wf.run(smallOrder, { mocks: { ...handlers, 'Book shipment': [hang, hang] } });

      // AWS hands a Catch of a timeout the cause "": the saga raises it again with that cause.
      expect(run).toFail('States.Timeout');
      expect(run.cause).toBe('');
      expect(run.path.slice(-7)).toEqual([
        'Fulfil: Undo Charge', 'Refund card',
        'Fulfil: Undo Reserve', 'Release stock',
        'Fulfil: Any undo failed?', 'Fulfil: Error has cause?', 'Fulfil: Failed',
      ]);
      // Two 300 s timeouts and the 30 s retry interval, on the virtual clock.
      expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(630_000);
    });

    it('undoes the charge and the reservation, then raises a shipment error that has no cause without one', async () => {
      const run = await wf.run(smallOrder, { mocks: { ...handlers, 'Book shipment': fail('Carrier.Rejected') } });

      expect(run).toFail('Carrier.Rejected');
      expect(run.cause).toBeUndefined();
      expect(run.path.slice(-3)).toEqual(['Fulfil: Any undo failed?', 'Fulfil: Error has cause?', 'Fulfil: Failed without cause']);
    });

    it('retries a failing refund, and after its retries runs it again a minute later until it succeeds', async () => {
      const down = fail('RefundService.Unavailable', 'connection refused');
      const run = await wf.run({ ...smallOrder, address: { country: 'AQ' } }, {
        mocks: {
          ...handlers,
          // 1 attempt + 3 retries fail, then the saga waits a minute and tries again.
          'Refund card': [down, down, down, down, succeed({ refundId: 're_1' })],
          'Release stock': [down, down, down, down, down, succeed({ released: 'res-o-1' })],
        },
      });

      expect(run).toFail('AddressNotServed');
      expect(run).toHaveVisited('Fulfil: Wait to undo Charge', 'Fulfil: Wait to undo Reserve');
      expect(run.taskCalls('Refund card')).toHaveLength(5);
      expect(run.taskCalls('Release stock')).toHaveLength(6);
      // The saga puts its retry on each compensation task: 3 retries before the wait, then the refund
      // succeeds at once, while the release fails once more and succeeds on its fourth retry.
      expect(run).toHaveRetried('Refund card', 3);
      expect(run.retries('Refund card')).toBe(3);
      expect(run).toHaveRetried('Release stock', 4);
      expect(run.retries('Release stock')).toBe(4);
    });

    it('gives up on a refund and a release that fail for an hour and fails with Saga.CompensationFailed listing both', async () => {
      const down = fail('RefundService.Unavailable', 'connection refused');
      const run = await wf.run({ ...smallOrder, address: { country: 'AQ' } }, {
        mocks: { ...handlers, 'Refund card': down, 'Release stock': fail('Warehouse.Unavailable', 'maintenance') },
      });

      expect(run).toFail('Saga.CompensationFailed');
      const cause = JSON.parse(run.cause!);
      expect(cause.error.Error).toBe('AddressNotServed');
      expect(cause.compensationErrors).toEqual([
        { step: 'Charge', Error: 'RefundService.Unavailable', Cause: 'connection refused' },
        { step: 'Reserve', Error: 'Warehouse.Unavailable', Cause: 'maintenance' },
      ]);
      // The release still ran after the refund gave up; each gave up within its hour of rounds.
      expect(run.path).toContain('Fulfil: Gave up undoing Charge');
      expect(run.path.indexOf('Fulfil: Undo Reserve')).toBeGreaterThan(run.path.indexOf('Fulfil: Gave up undoing Charge'));
      expect(run.stopDate.getTime() - run.startDate.getTime()).toBeLessThan(2 * (3_600_000 + 67_000));
    });
  });

  describe('retries', () => {
    it('retries a throttled charge after 2 s and then succeeds', async () => {
      const run = await wf.run(smallOrder, {
        mocks: { ...handlers, 'Charge card': [fail('Lambda.TooManyRequestsException', 'Rate exceeded'), succeed({ chargeId: 'ch_2', amount: 130 })] },
      });

      expect(run).toSucceed();
      expect(run).toHaveRetried('Charge card', 1);
      expect(run).toHaveOutput(expect.objectContaining({ chargeId: 'ch_2' }));
    });

    it.each(['Quote price', 'Reserve stock', 'Book shipment'] as const)('retries a throttled %s and goes on with the real handler', async (state) => {
      const run = await wf.run(smallOrder, { mocks: { ...handlers, [state]: throttledOnce(handlers[state]) } });

      expect(run).toSucceed();
      // Quote price runs once per item, and each item is throttled once.
      expect(run).toHaveRetried(state, state === 'Quote price' ? 2 : 1);
    });

    it('retries a throttled approval request', async () => {
      const run = await wf.run(largeOrder, {
        mocks: { ...handlers, 'Wait for approval': [fail('Lambda.TooManyRequestsException'), succeed({ approvedBy: 'alice' })] },
      });

      expect(run).toSucceed();
      expect(run).toHaveRetried('Wait for approval', 1);
    });
  });

  describe('human approval', () => {
    it('waits for the approver on an order above the threshold and ships once approved', async () => {
      const execution = wf.start(largeOrder, { mocks: handlers });

      const token = await execution.waitForTaskToken('Wait for approval');
      execution.sendTaskSuccess(token, { approvedBy: 'alice' });
      const run = await execution.result;

      expect(run).toSucceed();
      expect(run.taskCalls('Wait for approval')).toEqual([{ taskToken: token, orderId: 'o-2', total: 1900 }]);
      expect(run.outputOf('Approval')).toMatchObject({ approval: { approvedBy: 'alice' } });
      expect(run).toHaveVisited('Charge card', 'Book shipment');
    });

    it('fails with Order.Rejected, charging nothing, when the approver rejects the order', async () => {
      const execution = wf.start(largeOrder, { mocks: handlers });

      const token = await execution.waitForTaskToken('Wait for approval');
      execution.sendTaskFailure(token, 'Approval.Rejected', 'too large for a first order');
      const run = await execution.result;

      expect(run).toFail('Order.Rejected', 'too large for a first order');
      expect(run).toHavePath([...pricing(1), 'Approval', 'Wait for approval', 'Order rejected']);
      expect(run).not.toHaveVisited('Reserve stock');
    });

    it('fails with Order.Rejected when the approver gives no reason', async () => {
      const execution = wf.start(largeOrder, { mocks: handlers });

      execution.sendTaskFailure(await execution.waitForTaskToken('Wait for approval'), 'Approval.Rejected');

      expect(await execution.result).toFail('Order.Rejected', 'rejected without a reason');
    });

    it('expires the order when nobody answers within 24 hours of virtual time', async () => {
      const execution = wf.start(largeOrder, { mocks: handlers });

      await execution.waitForTaskToken('Wait for approval');
      await execution.advanceTime(24 * 60 * 60);
      const run = await execution.result;

      expect(run).toFail('Order.ApprovalExpired');
      expect(run).toHavePath([...pricing(1), 'Approval', 'Wait for approval', 'Approval expired']);
      expect(run.stopDate.getTime() - run.startDate.getTime()).toBe(86_400_000);
    });
  });

  describe('MockConfigFile', () => {
    const file = path.join(__dirname, 'MockConfigFile.json');

    it('runs the HappyPath test case: a throttled charge is retried, then the lamp ships', async () => {
      const run = await wf.run({ ...smallOrder, items: [{ sku: 'lamp', qty: 1 }] }, { mockConfig: { file, testCase: 'HappyPath' } });

      expect(run).toSucceed();
      expect(run).toHaveRetried('Charge card', 1);
      expect(run).toHaveOutput({ orderId: 'o-1', total: 80, chargeId: 'ch_42', trackingNumber: '1Z-999' });
    });

    it('runs the DeclinedCard test case: the reservation is released', async () => {
      const run = await wf.run({ ...smallOrder, items: [{ sku: 'lamp', qty: 1 }] }, { mockConfig: { file, testCase: 'DeclinedCard' } });

      expect(run).toFail('PaymentDeclined', 'Your card was declined.');
      expect(run.path.slice(-6)).toEqual(['Charge card', 'Fulfil: Undo Reserve', 'Release stock', 'Fulfil: Any undo failed?', 'Fulfil: Error has cause?', 'Fulfil: Failed']);
    });
  });

  describe('testState (one state, as the TestState API runs it)', () => {
    const sagaState = { orderId: 'o-1', card: 'tok_visa', total: 130, results: { reservation: { reservationId: 'res-o-1', skus: ['book'] } } };

    it('shows how Charge card builds the Lambda event from the saga state (DEBUG inspection data)', async () => {
      const result = await testState(wf.definition, 'Charge card', sagaState, {
        mock: { chargeId: 'ch_1', amount: 130 },
        inspectionLevel: 'DEBUG',
      });

      expect(result.status).toBe('SUCCEEDED');
      expect(result.inspectionData?.afterParameters).toEqual({ orderId: 'o-1', card: 'tok_visa', amount: 130 });
      expect(result.output).toEqual({ chargeId: 'ch_1', amount: 130 });
    });

    it('reports a throttled charge as RETRIABLE after 2 s', async () => {
      const result = await testState(wf.definition, 'Charge card', sagaState, {
        mock: { error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded' },
        inspectionLevel: 'DEBUG',
      });

      expect(result.status).toBe('RETRIABLE');
      expect(result.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: 2 });
    });

    it.each([[0, 'Nothing to sell'], [1000, 'Fulfil: Reserve'], [1000.01, 'Approval']])('routes a total of %d to %s', async (total, next) => {
      const result = await testState(wf.definition, 'Check total', { total });

      expect(result.nextState).toBe(next);
    });
  });
});
