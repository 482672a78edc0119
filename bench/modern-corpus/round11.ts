/*
 * Machines in idioms the corpus lacked (issue 77, explore round 4, eighth pass): JSONPath
 * intrinsic functions nested in one another on the way into a Choice — a webhook's JSON body
 * counted through `States.StringToJson`, one more than that by `States.MathAdd`, a routing key's
 * third part by `States.ArrayGetItem(States.StringSplit(…))` — and a rule that needs two values
 * computed from one field at once (how many events, and which comes first).
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

/**
 * Webhook intake in JSONPath: a Lambda receives a partner's webhook, whose `body` is the JSON
 * text of a list of events; an `Assign` counts them, numbers the pages of a receipt (one more
 * than the events) and reads the region from the routing key (`partner.tier.region`). A batch
 * led by a `refund` event with three or more events goes to review, an EU one to the EU queue,
 * an empty one is acknowledged, the rest processed.
 */
export const webhookBatchIntake: ModernMachine = {
  name: 'WebhookBatchIntake',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Receive webhook',
      States: {
        'Receive webhook': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': FN('receive-webhook'), 'Payload.$': '$' },
          ResultSelector: { 'body.$': '$.Payload.body', 'routingKey.$': '$.Payload.routingKey' },
          Assign: {
            'events.$': 'States.ArrayLength(States.StringToJson($.body))',
            'pages.$': 'States.MathAdd(States.ArrayLength(States.StringToJson($.body)), 1)',
            'lead.$': 'States.ArrayGetItem(States.StringToJson($.body), 0)',
            'region.$': "States.ArrayGetItem(States.StringSplit($.routingKey, '.'), 2)",
          },
          ResultPath: '$.webhook',
          Next: 'Route batch',
        },
        'Route batch': {
          Type: 'Choice',
          Choices: [
            { Variable: '$events', NumericEquals: 0, Next: 'Acknowledge' },
            { And: [{ Variable: '$events', NumericGreaterThanEquals: 3 }, { Variable: '$lead', StringEquals: 'refund' }], Next: 'Review refunds' },
            { Variable: '$region', StringEquals: 'eu', Next: 'EU queue' },
            { Variable: '$pages', NumericGreaterThan: 10, Next: 'Long receipt' },
          ],
          Default: 'Process events',
        },
        'Acknowledge': { Type: 'Succeed' },
        'Review refunds': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('review-refunds'), Payload: { 'body.$': '$.webhook.body', 'events.$': '$events' } },
          ResultPath: null,
          End: true,
        },
        'EU queue': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { 'QueueUrl': 'https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks-eu', 'MessageBody.$': '$.webhook.body' },
          ResultPath: null,
          End: true,
        },
        'Long receipt': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('print-receipt'), Payload: { 'pages.$': '$pages' } },
          ResultPath: null,
          Next: 'Process events',
        },
        'Process events': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('process-events'), Payload: { 'body.$': '$.webhook.body', 'region.$': '$region' } },
          ResultPath: null,
          End: true,
        },
      },
    });
  },
};
