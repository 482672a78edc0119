import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { handlerCode } from './handler-code';
import { Choice, Map, Saga, Task, TryCatch, When } from 'stepwright';

/** Orders whose total is above this need a human's approval. */
export const APPROVAL_THRESHOLD = 1000;

/** The Lambda functions of the workflow, by handler. */
export interface OrderFunctions {
  readonly quotePrice: lambda.Function;
  readonly requestApproval: lambda.Function;
  readonly reserveStock: lambda.Function;
  readonly releaseStock: lambda.Function;
  readonly chargeCard: lambda.Function;
  readonly refundCard: lambda.Function;
  readonly bookShipment: lambda.Function;
}

/**
 * An order workflow:
 *
 * 1. price every item (a Map); discontinued items are dropped (a TryCatch per item);
 * 2. sum the total; nothing left to sell fails the order;
 * 3. orders above {@link APPROVAL_THRESHOLD} wait up to a day for a human's
 *    approval (a `.waitForTaskToken` callback);
 * 4. reserve stock → charge the card → book the shipment as a Saga: when a
 *    step fails, the completed steps are undone in reverse order.
 *
 * Input: `{ orderId, card, address: { country }, items: [{ sku, qty }] }`.
 */
export class OrderStack extends Stack {
  public readonly functions: OrderFunctions;
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const code = handlerCode();
    const fn = (name: string, file: string, timeout = Duration.seconds(10)): lambda.Function =>
      new lambda.Function(this, name, { runtime: lambda.Runtime.NODEJS_20_X, handler: `${file}.handler`, code, timeout });
    this.functions = {
      quotePrice: fn('QuotePrice', 'quote-price'),
      requestApproval: fn('RequestApproval', 'request-approval'),
      reserveStock: fn('ReserveStock', 'reserve-stock'),
      releaseStock: fn('ReleaseStock', 'release-stock'),
      chargeCard: fn('ChargeCard', 'charge-card', Duration.seconds(30)),
      refundCard: fn('RefundCard', 'refund-card', Duration.seconds(30)),
      bookShipment: fn('BookShipment', 'book-shipment'),
    };
    const f = this.functions;

    // 1. Price each item; a discontinued item becomes a line marked discontinued.
    const priceItem = new TryCatch(this, 'Price item', {
      try: Task.lambdaInvoke(this, 'Quote price', { lambdaFunction: f.quotePrice.currentVersion }),
      catch: [{
        errors: ['ItemDiscontinued'],
        handler: new sfn.Pass(this, 'Drop discontinued item', {
          parameters: { 'sku.$': '$.sku', 'qty.$': '$.qty', 'discontinued': true },
        }),
      }],
    });
    const priceItems = Map.inline(this, 'Price items', {
      itemsPath: '$.items',
      itemProcessor: priceItem,
      maxConcurrency: 10,
      resultPath: '$.lines',
    });

    // 2. JSONata sums what JSONPath cannot; discontinued lines have no lineTotal.
    const total = sfn.Pass.jsonata(this, 'Total order', {
      outputs: '{% $merge([$states.input, {"total": $sum([0, $states.input.lines.lineTotal])}]) %}',
    });

    // 3. Human approval: the approver answers SendTaskSuccess or SendTaskFailure('Approval.Rejected').
    const approval = new TryCatch(this, 'Approval', {
      try: Task.lambdaCallback(this, 'Wait for approval', {
        lambdaFunction: f.requestApproval.currentVersion,
        payload: sfn.TaskInput.fromObject({
          taskToken: sfn.JsonPath.taskToken,
          orderId: sfn.JsonPath.stringAt('$.orderId'),
          total: sfn.JsonPath.numberAt('$.total'),
        }),
        taskTimeout: sfn.Timeout.duration(Duration.hours(24)),
        resultPath: '$.approval',
      }),
      catch: [
        {
          errors: ['Approval.Rejected'],
          // The approver's reason is optional, and a CausePath to a missing field would fail with States.Runtime.
          handler: sfn.Fail.jsonata(this, 'Order rejected', {
            error: 'Order.Rejected',
            cause: "{% $exists($states.input.error.Cause) ? $states.input.error.Cause : 'rejected without a reason' %}",
          }),
        },
        {
          errors: ['States.Timeout'],
          handler: new sfn.Fail(this, 'Approval expired', { error: 'Order.ApprovalExpired', cause: 'nobody approved the order within 24 hours' }),
        },
      ],
    });

    // 4. Fulfilment as a saga. The saga puts its compensation retry on each
    // compensation task (and runs it again a minute later, for up to an hour),
    // so their Lambda tasks need no transient-error retry of their own.
    const fulfil = new Saga(this, 'Fulfil', {
      steps: [
        {
          name: 'Reserve',
          resultKey: 'reservation',
          action: Task.lambdaInvoke(this, 'Reserve stock', {
            lambdaFunction: f.reserveStock.currentVersion,
            payload: sfn.TaskInput.fromObject({ 'orderId.$': '$.orderId', 'lines.$': '$.lines' }),
          }),
          compensation: Task.lambdaInvoke(this, 'Release stock', {
            lambdaFunction: f.releaseStock.currentVersion,
            payload: sfn.TaskInput.fromObject({ 'reservationId.$': '$.results.reservation.reservationId' }),
            transientErrorRetry: false,
          }),
        },
        {
          name: 'Charge',
          resultKey: 'charge',
          action: Task.lambdaInvoke(this, 'Charge card', {
            lambdaFunction: f.chargeCard.currentVersion,
            payload: sfn.TaskInput.fromObject({ 'orderId.$': '$.orderId', 'card.$': '$.card', 'amount.$': '$.total' }),
          }),
          compensation: Task.lambdaInvoke(this, 'Refund card', {
            lambdaFunction: f.refundCard.currentVersion,
            payload: sfn.TaskInput.fromObject({ 'chargeId.$': '$.results.charge.chargeId', 'amount.$': '$.results.charge.amount' }),
            transientErrorRetry: false,
          }),
        },
        {
          name: 'Ship',
          resultKey: 'shipment',
          // The carrier's API sometimes hangs: five minutes is far beyond a normal
          // booking, and one more try is safe because bookings are idempotent per order.
          action: Task.lambdaInvoke(this, 'Book shipment', {
            lambdaFunction: f.bookShipment.currentVersion,
            payload: sfn.TaskInput.fromObject({
              'orderId.$': '$.orderId',
              'address.$': '$.address',
              'skus.$': '$.results.reservation.skus',
            }),
            taskTimeout: sfn.Timeout.duration(Duration.minutes(5)),
          }).addRetry({ errors: [sfn.Errors.TIMEOUT], maxAttempts: 1, interval: Duration.seconds(30) }),
        },
      ],
    });

    const confirm = new sfn.Pass(this, 'Confirm order', {
      parameters: {
        'orderId.$': '$.orderId',
        'total.$': '$.total',
        'chargeId.$': '$.results.charge.chargeId',
        'trackingNumber.$': '$.results.shipment.trackingNumber',
      },
    });
    fulfil.next(confirm);

    const route = new Choice(this, 'Check total')
      .when(When.number('total').equals(0), new sfn.Fail(this, 'Nothing to sell', {
        error: 'Order.NothingToSell', cause: 'every item of the order is discontinued',
      }))
      .when(When.number('total').greaterThan(APPROVAL_THRESHOLD), approval.next(fulfil))
      .otherwise(fulfil);

    this.stateMachine = new sfn.StateMachine(this, 'Orders', {
      stateMachineName: 'OrderWorkflow',
      definitionBody: sfn.DefinitionBody.fromChainable(priceItems.next(total).next(route)),
      timeout: Duration.days(7),
    });
  }
}
