/*
 * Machines in the shape of issue 77's "new user" machines, each with a state that is truly
 * unreachable and that explore must prove so (never claim wrongly, never leave "not reached"):
 * a Choice on a field an SNS Publish answer never holds (JSONPath), an SQS receipt handle a
 * SendMessage answer never holds read in a Map whose items may be empty (JSONata), a Choice on a
 * Glue job state only a failing run gives (a .sync Task that answers FAILED fails), and a Catch
 * on an error SQS never raises. Written as raw ASL, as people paste it from the console.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders';

/** Checks an order, notifies by SNS and branches on the publish answer's `Status`, which SNS Publish never returns: the branches after it are proved unreachable, the invalid-order one reached. */
export const publishStatusCheck: ModernMachine = {
  name: 'PublishStatusCheck',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Valid order?',
      States: {
        'Valid order?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.order.total', NumericGreaterThan: 0, Next: 'Price order' }],
          Default: 'Reject order',
        },
        'Reject order': { Type: 'Fail', Error: 'InvalidOrder', Cause: 'the order has no positive total' },
        'Price order': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': FN('price-order'), 'Payload.$': '$.order' },
          ResultSelector: { 'amount.$': '$.Payload.amount' },
          ResultPath: '$.priced',
          Next: 'Notify customer',
        },
        'Notify customer': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Parameters: { 'TopicArn': 'arn:aws:sns:us-east-1:123456789012:order-updates', 'Message.$': "States.Format('Your order costs {}', $.priced.amount)" },
          ResultPath: '$.sent',
          Next: 'Delivered?',
        },
        'Delivered?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.sent.Status', StringEquals: 'DELIVERED', Next: 'Order confirmed' }],
          Default: 'Notify again later',
        },
        'Order confirmed': { Type: 'Succeed' },
        'Notify again later': { Type: 'Fail', Error: 'NotDelivered' },
      },
    });
  },
};

/** Queues each order of a list that may be empty, keeping the SQS receipt handle a SendMessage answer never holds: the item's last state is proved unreachable, the report reached with no orders. */
export const queuedReceiptFanOut: ModernMachine = {
  name: 'QueuedReceiptFanOut',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Queue each order',
      States: {
        'Queue each order': {
          Type: 'Map',
          Items: '{% $states.input.orders %}',
          MaxConcurrency: 5,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Enqueue order',
            States: {
              'Enqueue order': {
                Type: 'Task',
                Resource: 'arn:aws:states:::sqs:sendMessage',
                Arguments: { QueueUrl: QUEUE, MessageBody: '{% $string($states.input) %}' },
                Assign: { receipt: '{% $states.result.ReceiptHandle %}' },
                Next: 'Keep receipt',
              },
              'Keep receipt': { Type: 'Pass', Output: { orderId: '{% $states.input.id %}', receipt: '{% $receipt %}' }, End: true },
            },
          },
          Next: 'Report queued',
        },
        'Report queued': { Type: 'Pass', Output: { queued: '{% $count($states.input) %}' }, End: true },
      },
    });
  },
};

/** Runs a nightly Glue job and branches on its state being FAILED, which only a run whose Task failed holds: the alert is proved unreachable. */
export const nightlyGlueAlert: ModernMachine = {
  name: 'NightlyGlueAlert',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Run nightly job',
      States: {
        'Run nightly job': {
          Type: 'Task',
          Resource: 'arn:aws:states:::glue:startJobRun.sync',
          Parameters: { JobName: 'nightly-orders', Arguments: { '--day.$': '$.day' } },
          ResultPath: '$.run',
          Next: 'Job failed?',
        },
        'Job failed?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.run.JobRunState', StringEquals: 'FAILED', Next: 'Alert on-call' }],
          Default: 'Record run',
        },
        'Alert on-call': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Parameters: { 'TopicArn': 'arn:aws:sns:us-east-1:123456789012:on-call', 'Message.$': '$.run.ErrorMessage' },
          End: true,
        },
        'Record run': { Type: 'Pass', Parameters: { 'day.$': '$.day', 'seconds.$': '$.run.ExecutionTime' }, End: true },
      },
    });
  },
};

/** Sends a message with a Catch for a DynamoDB error SQS never raises beside one for its own: the first handler is proved unreachable, the second reached. */
export const queueCatchMisnamed: ModernMachine = {
  name: 'QueueCatchMisnamed',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Send event',
      States: {
        'Send event': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: QUEUE, MessageBody: '{% $string($states.input.event) %}' },
          Catch: [
            { ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Already sent' },
            { ErrorEquals: ['SQS.InvalidMessageContentsException'], Output: { bad: '{% $states.errorOutput.Cause %}' }, Next: 'Quarantine event' },
          ],
          Output: { messageId: '{% $states.result.MessageId %}' },
          Next: 'Sent',
        },
        'Already sent': { Type: 'Pass', End: true },
        'Quarantine event': { Type: 'Fail', Error: 'EventRejected' },
        'Sent': { Type: 'Succeed' },
      },
    });
  },
};

/** The same publish check in JSONata: the Output keeps the answer's `Status`, which SNS Publish never returns, so the state after the publish is proved unreachable. */
export const publishStatusJsonata: ModernMachine = {
  name: 'PublishStatusJsonata',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Notify customer',
      States: {
        'Notify customer': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:order-updates', Message: '{% "Order " & $states.input.orderId & " shipped" %}' },
          Output: { status: '{% $states.result.Status %}' },
          Next: 'Delivered?',
        },
        'Delivered?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $states.input.status = 'DELIVERED' %}", Next: 'Order confirmed' }],
          Default: 'Notify again later',
        },
        'Order confirmed': { Type: 'Succeed' },
        'Notify again later': { Type: 'Fail', Error: 'NotDelivered' },
      },
    });
  },
};
