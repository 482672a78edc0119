/*
 * Machines whose Catches only the state's own data reaches (issue 77, round 4): JSONPath steps
 * that parse or add what a service answered in a ResultSelector, and write a result under a part
 * of the input an earlier Task gave, each with a Catch on the error AWS raises when the value does
 * not fit (States.IntrinsicFailure, States.ResultPathMatchFailure), which no service raises.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const GET_ITEM = 'arn:aws:states:::dynamodb:getItem';
const INVOKE = 'arn:aws:states:::lambda:invoke';
const SEND = 'arn:aws:states:::sqs:sendMessage';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/quarantine';

/**
 * An order stored as a JSON text in a DynamoDB attribute, parsed as it is read: a text that does
 * not parse sends the order to a quarantine queue. Its price is the sum of two fields a Lambda
 * function returns, and a function answering them as text fails the sum. The customer is read by
 * another function and tagged under what it returned: a customer that came back as a bare id, not
 * an object, cannot take the tags. A read of a missing table raises the service's own error.
 */
export const shapedOrderImport: ModernMachine = {
  name: 'ShapedOrderImport',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Load order',
      States: {
        'Load order': {
          Type: 'Task',
          Resource: GET_ITEM,
          Parameters: { TableName: 'orders', Key: { orderId: { 'S.$': '$.orderId' } } },
          ResultSelector: { 'order.$': 'States.StringToJson($.Item.payload.S)' },
          ResultPath: '$.loaded',
          Catch: [
            { ErrorEquals: ['States.IntrinsicFailure'], ResultPath: '$.error', Next: 'Quarantine' },
            { ErrorEquals: ['DynamoDB.ResourceNotFoundException'], ResultPath: '$.error', Next: 'No table' },
          ],
          Next: 'Price',
        },
        'Quarantine': {
          Type: 'Task',
          Resource: SEND,
          Parameters: { 'QueueUrl': QUEUE, 'MessageBody.$': 'States.JsonToString($.error)' },
          Next: 'Unreadable order',
        },
        'Unreadable order': { Type: 'Fail', Error: 'Order.Unreadable', Cause: 'the stored order is not JSON' },
        'No table': { Type: 'Fail', Error: 'Order.NoTable' },
        'Price': {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { 'FunctionName': FN('price-order'), 'Payload.$': '$.loaded.order' },
          ResultSelector: { 'total.$': 'States.MathAdd($.Payload.subtotal, $.Payload.shipping)' },
          ResultPath: '$.pricing',
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['States.IntrinsicFailure'], ResultPath: '$.error', Next: 'Price not numeric' }],
          Next: 'Find customer',
        },
        'Price not numeric': { Type: 'Fail', Error: 'Order.PriceNotNumeric' },
        'Find customer': {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: FN('find-customer'), Payload: { 'orderId.$': '$.orderId' } },
          ResultSelector: { 'customer.$': '$.Payload.customer' },
          ResultPath: '$.who',
          Next: 'Tag customer',
        },
        'Tag customer': {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: FN('tag-customer'), Payload: { 'total.$': '$.pricing.total' } },
          ResultPath: '$.who.customer.tags',
          Catch: [{ ErrorEquals: ['States.ResultPathMatchFailure'], ResultPath: '$.error', Next: 'Customer is an id' }],
          Next: 'Imported',
        },
        'Customer is an id': { Type: 'Pass', Result: { tagged: false }, ResultPath: '$.tagging', Next: 'Imported' },
        'Imported': { Type: 'Succeed' },
      },
    });
  },
};
