/*
 * Orders: a saga that reserves stock, charges and ships, undoing what was done when a step
 * fails; payment routed by a provider table looked up by country; a checkout that prices a cart
 * and writes the order once; a fulfilment that fans out and merges what its branches say.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Choice, Saga, Task, TryCatch } from 'stepwright';
import { fn, JSONATA, machine, queue, table, topic, type ModernMachine } from './common';

const S = tasks.DynamoAttributeValue.fromString;

export const orderSaga: ModernMachine = {
  name: 'OrderSaga',
  shape: 'order saga',
  build(stack) {
    const stock = table(stack, 'Stock', 'sku');
    const customers = topic(stack, 'Customers');
    const validate = Task.lambdaInvoke(stack, 'Validate order', {
      lambdaFunction: fn(stack, 'ValidateFn'),
      outputs: '{% $merge([$states.input, {"valid": $states.result.valid, "reasons": $states.result.reasons}]) %}',
    });
    const invalid = new sfn.Fail(stack, 'Order invalid', { error: 'Order.Invalid' });
    const empty = new sfn.Fail(stack, 'Order empty', { error: 'Order.Empty', cause: 'an order needs at least one line' });
    const reserve = Task.dynamoUpdateItem(stack, 'Reserve stock', {
      table: stock,
      key: { sku: S('{% $states.input.lines[0].sku %}') },
      updateExpression: 'SET available = available - :q',
      conditionExpression: 'available >= :q',
      expressionAttributeValues: { ':q': tasks.DynamoAttributeValue.numberFromString('{% $string($states.input.lines[0].quantity) %}') },
      returnValues: tasks.DynamoReturnValues.UPDATED_NEW,
      outputs: '{% {"reserved": $states.input.lines[0].quantity, "left": $number($states.result.Attributes.available.N)} %}',
    });
    const release = Task.dynamoUpdateItem(stack, 'Release stock', {
      table: stock,
      key: { sku: S('{% $states.input.lines[0].sku %}') },
      updateExpression: 'SET available = available + :q',
      expressionAttributeValues: { ':q': tasks.DynamoAttributeValue.numberFromString('{% $string($states.input.lines[0].quantity) %}') },
    });
    const charge = Task.lambdaInvoke(stack, 'Charge card', {
      lambdaFunction: fn(stack, 'ChargeFn'),
      payload: sfn.TaskInput.fromObject({ orderId: '{% $states.input.orderId %}', amount: '{% $sum($states.input.lines.(price * quantity)) %}' }),
    });
    const refund = Task.lambdaInvoke(stack, 'Refund card', {
      lambdaFunction: fn(stack, 'RefundFn'),
      payload: sfn.TaskInput.fromObject({ chargeId: '{% $states.input.results.Payment.chargeId %}' }),
    });
    const ship = Task.lambdaInvoke(stack, 'Create shipment', {
      lambdaFunction: fn(stack, 'ShipFn'),
      payload: sfn.TaskInput.fromObject({ orderId: '{% $states.input.orderId %}', address: '{% $states.input.address %}' }),
    });
    const saga = Saga.jsonata(stack, 'Fulfil', {
      steps: [
        { name: 'Stock', action: reserve, compensation: release },
        { name: 'Payment', action: charge, compensation: refund },
        { name: 'Shipment', action: ship },
      ],
    });
    const confirm = Task.snsPublish(stack, 'Confirm order', {
      topic: customers,
      message: sfn.TaskInput.fromObject({ orderId: '{% $states.input.orderId %}', tracking: '{% $states.input.results.Shipment.trackingId %}' }),
      outputs: '{% {"orderId": $states.input.orderId, "status": "CONFIRMED"} %}',
    });
    const apologise = Task.snsPublish(stack, 'Tell customer', {
      topic: customers,
      message: sfn.TaskInput.fromObject({ orderId: '{% $states.input.orderId %}', error: '{% $states.input.error.Error %}' }),
    });
    const safely = TryCatch.jsonata(stack, 'Fulfil order', {
      try: saga.next(confirm),
      catch: [
        { errors: ['DynamoDB.ConditionalCheckFailedException'], handler: new sfn.Pass(stack, 'Out of stock', { outputs: '{% {"orderId": $states.input.orderId, "status": "OUT_OF_STOCK"} %}' }) },
        { handler: apologise, rethrow: true },
      ],
    });
    const route = Choice.jsonata(stack, 'Order valid?')
      .when(sfn.Condition.jsonata('{% $count($states.input.lines) = 0 %}'), empty)
      .when(sfn.Condition.jsonata('{% $states.input.valid = false %}'), invalid)
      .otherwise(safely);
    machine(stack, validate.next(route));
  },
};

export const paymentRouting: ModernMachine = {
  name: 'PaymentRouting',
  shape: 'order saga',
  build(stack) {
    const providers = new sfn.Pass(stack, 'Load providers', {
      assign: {
        providers: { US: 'stripe', CA: 'stripe', DE: 'adyen', FR: 'adyen', BR: 'pagseguro' },
        amount: '{% $round($states.input.amount * 100) %}',
      },
    });
    const pick = new sfn.Pass(stack, 'Pick provider', {
      outputs: '{% $merge([$states.input, {"provider": $lookup($providers, $uppercase($states.input.country))}]) %}',
    });
    const stripe = Task.lambdaInvoke(stack, 'Charge with Stripe', {
      lambdaFunction: fn(stack, 'StripeFn'),
      payload: sfn.TaskInput.fromObject({ amount: '{% $amount %}', currency: '{% $states.input.currency %}' }),
      outputs: '{% {"provider": "stripe", "reference": $states.result.id, "status": $states.result.status} %}',
    });
    const adyen = Task.lambdaInvoke(stack, 'Charge with Adyen', {
      lambdaFunction: fn(stack, 'AdyenFn'),
      payload: sfn.TaskInput.fromObject({ value: '{% $amount %}', currency: '{% $states.input.currency %}' }),
      outputs: '{% {"provider": "adyen", "reference": $states.result.pspReference, "status": $states.result.resultCode = "Authorised" ? "succeeded" : "failed"} %}',
    });
    const other = new sfn.Fail(stack, 'No provider', { error: 'Payment.NoProvider', cause: 'no payment provider serves this country' });
    const declined = new sfn.Fail(stack, 'Payment declined', { error: 'Payment.Declined' });
    stripe.addCatch(declined, { errors: ['Stripe.CardError'] });
    adyen.addCatch(declined, { errors: ['Adyen.Refused'] });
    const succeeded = Choice.jsonata(stack, 'Charged?')
      .when(sfn.Condition.jsonata('{% $states.input.status = "succeeded" %}'), new sfn.Succeed(stack, 'Paid'))
      .otherwise(declined);
    stripe.next(succeeded);
    adyen.next(succeeded);
    const route = Choice.jsonata(stack, 'Which provider?')
      .when(sfn.Condition.jsonata('{% $states.input.provider = "stripe" %}'), stripe)
      .when(sfn.Condition.jsonata('{% $states.input.provider = "adyen" %}'), adyen)
      .otherwise(other);
    machine(stack, providers.next(pick).next(route));
  },
};

export const checkout: ModernMachine = {
  name: 'Checkout',
  shape: 'order saga',
  build(stack) {
    const orders = table(stack, 'Orders', 'orderId');
    const price = new sfn.Pass(stack, 'Price cart', {
      outputs: `{% (
        $subtotal := $sum($states.input.cart.(price * quantity));
        $merge([$states.input, {
          "subtotal": $subtotal,
          "shipping": $subtotal >= 50 ? 0 : 4.99,
          "express": $states.input.delivery = "express"
        }])
      ) %}`,
    });
    const empty = new sfn.Fail(stack, 'Empty cart', { error: 'Cart.Empty' });
    const coupon = Task.lambdaInvoke(stack, 'Apply coupon', {
      // aws-cdk-lib renders a Task's Catch in the state's own language only: without it, the Catch's Output is dropped.
      queryLanguage: JSONATA,
      lambdaFunction: fn(stack, 'CouponFn'),
      payload: sfn.TaskInput.fromObject({ code: '{% $states.input.coupon %}', subtotal: '{% $states.input.subtotal %}' }),
      outputs: '{% $merge([$states.input, {"discount": $states.result.discount ? $states.result.discount : 0}]) %}',
    });
    const invalidCoupon = new sfn.Pass(stack, 'Ignore coupon', { outputs: '{% $merge([$states.input, {"discount": 0}]) %}' });
    coupon.addCatch(invalidCoupon, { errors: ['Coupon.Invalid'], outputs: '{% $states.input %}' });
    const write = Task.dynamoPutItem(stack, 'Write order', {
      table: orders,
      item: {
        orderId: S('{% $states.input.orderId %}'),
        total: tasks.DynamoAttributeValue.numberFromString('{% $string($states.input.subtotal + $states.input.shipping - $states.input.discount) %}'),
      },
      conditionExpression: 'attribute_not_exists(orderId)',
      outputs: '{% {"orderId": $states.input.orderId, "total": $states.input.subtotal + $states.input.shipping - $states.input.discount} %}',
    });
    const duplicate = new sfn.Pass(stack, 'Order exists', { outputs: '{% {"orderId": $states.input.orderId, "duplicate": true} %}' });
    write.addCatch(duplicate, { errors: ['DynamoDB.ConditionalCheckFailedException'] });
    const expressFee = new sfn.Pass(stack, 'Add express fee', { outputs: '{% $merge([$states.input, {"shipping": $states.input.shipping + 15}]) %}' });
    const hasCoupon = Choice.jsonata(stack, 'Coupon given?')
      .when(sfn.Condition.jsonata('{% $exists($states.input.coupon) and $length($states.input.coupon) > 0 %}'), coupon.next(write))
      .otherwise(new sfn.Pass(stack, 'No discount', { outputs: '{% $merge([$states.input, {"discount": 0}]) %}' }).next(write));
    invalidCoupon.next(write);
    const delivery = Choice.jsonata(stack, 'Express?')
      .when(sfn.Condition.jsonata('{% $states.input.express %}'), expressFee.next(hasCoupon))
      .otherwise(hasCoupon);
    const nonEmpty = Choice.jsonata(stack, 'Cart empty?')
      .when(sfn.Condition.jsonata('{% $states.input.subtotal = 0 %}'), empty)
      .otherwise(delivery);
    machine(stack, price.next(nonEmpty));
  },
};

export const fulfilmentFanOut: ModernMachine = {
  name: 'FulfilmentFanOut',
  shape: 'order saga',
  build(stack) {
    const warehouse = queue(stack, 'Warehouse');
    const invoices = table(stack, 'Invoices', 'orderId');
    const fanOut = new sfn.Parallel(stack, 'Fan out', {
      outputs: '{% $merge([$states.input, $states.result[0], $states.result[1], {"loyalty": $states.result[2]}]) %}',
    });
    // aws-cdk-lib renders a Parallel's branches in JSONPath unless each state says its language.
    fanOut.branch(new tasks.SqsSendMessage(stack, 'Send to warehouse', {
      taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
      queryLanguage: JSONATA,
      queue: warehouse,
      messageBody: sfn.TaskInput.fromObject({ orderId: '{% $states.input.orderId %}', lines: '{% $states.input.lines %}' }),
      outputs: '{% {"messageId": $states.result.MessageId} %}',
    }));
    fanOut.branch(Task.dynamoPutItem(stack, 'Write invoice', {
      queryLanguage: JSONATA,
      table: invoices,
      item: { orderId: S('{% $states.input.orderId %}') },
      outputs: '{% {"invoiced": true} %}',
    }));
    fanOut.branch(Task.lambdaInvoke(stack, 'Award points', {
      queryLanguage: JSONATA,
      lambdaFunction: fn(stack, 'LoyaltyFn'),
      payload: sfn.TaskInput.fromObject({ customerId: '{% $states.input.customerId %}', points: '{% $floor($states.input.total) %}' }),
      outputs: '{% {"points": $states.result.points, "tier": $states.result.tier} %}',
    }));
    fanOut.addRetry({ errors: ['SQS.SdkClientException'], maxAttempts: 2 });
    const gold = new sfn.Pass(stack, 'Send gold welcome', { outputs: '{% $merge([$states.input, {"welcome": "gold"}]) %}' });
    const tier = Choice.jsonata(stack, 'New gold member?')
      .when(sfn.Condition.jsonata('{% $states.input.loyalty.tier = "gold" and $states.input.loyalty.points >= 1000 %}'), gold)
      .otherwise(new sfn.Pass(stack, 'Done', { outputs: '{% $states.input %}' }));
    machine(stack, fanOut.next(tier));
  },
};
