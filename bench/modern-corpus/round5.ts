/*
 * Machines in idioms the corpus lacked (issue 77, explore round 4, second pass): a Map whose
 * iterations pass a Task's answer on whole and a Choice counting the results filtered on a field
 * only that answer holds; a child execution started with `startExecution.sync`, whose Output text
 * the parent `$parse`s into a field of its input, with a Catch assigning the error output a Choice
 * reads the Cause of; a partner API called with a Retry of FULL jitter and MaxDelaySeconds, caught
 * after, the error name assigned in the Catch and routed on; and a total folded with `$reduce`
 * over the lines a pricing function answers with, compared with a threshold.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const LAMBDA = 'arn:aws:states:::lambda:invoke';

/**
 * Insurance claims assessed one by one, each iteration's output the assessor's answer as it is;
 * then a Choice counting the rejected results: all of them fail the batch, some page an adjuster
 * with their ids, none pay out.
 */
export const claimsRejectedCount: ModernMachine = {
  name: 'ClaimsRejectedCount',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Assess claims',
      States: {
        'Assess claims': {
          Type: 'Map',
          Items: '{% $states.input.claims %}',
          MaxConcurrency: 5,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Assess claim',
            States: {
              'Assess claim': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('assess-claim'), Payload: { claimId: '{% $states.input.id %}', amount: '{% $states.input.amount %}' } },
                Output: '{% $states.result.Payload %}',
                Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 3 }],
                End: true,
              },
            },
          },
          Next: 'Any rejected?',
        },
        'Any rejected?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $count($states.input) > 0 and $count($states.input[status = 'REJECTED']) = $count($states.input) %}", Next: 'All rejected' },
            { Condition: "{% $count($states.input[status = 'REJECTED']) > 0 %}", Next: 'Page adjuster' },
          ],
          Default: 'Pay claims',
        },
        'All rejected': { Type: 'Fail', Error: 'Claims.AllRejected', Cause: "{% 'all ' & $string($count($states.input)) & ' claims rejected' %}" },
        'Page adjuster': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: {
            TopicArn: 'arn:aws:sns:us-east-1:123456789012:adjusters',
            Message: "{% $string($states.input[status = 'REJECTED'].claimId) %}",
          },
          End: true,
        },
        'Pay claims': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A cart priced by a child state machine run to completion (`startExecution.sync`): its Output,
 * a JSON text, parsed into `pricing` beside the input; a large total or a currency other than USD
 * take their own branch. A child that failed is caught, its error output assigned, and an
 * out-of-stock Cause sends the cart to back-order.
 */
export const childPricingRun: ModernMachine = {
  name: 'ChildPricingRun',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Run pricing',
      States: {
        'Run pricing': {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync',
          Arguments: {
            StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:pricing',
            Input: { cart: '{% $states.input.cart %}', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID': '{% $states.context.Execution.Id %}' },
          },
          Output: '{% $merge([$states.input, {"pricing": $parse($states.result.Output)}]) %}',
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Assign: { failure: '{% $states.errorOutput %}' }, Next: 'Out of stock?' }],
          Next: 'Large order?',
        },
        'Large order?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.pricing.total > 1000 %}', Next: 'Approve large order' },
            { Condition: "{% $states.input.pricing.currency != 'USD' %}", Next: 'Convert currency' },
          ],
          Default: 'Place order',
        },
        'Approve large order': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/large-orders', MessageBody: '{% $states.input %}' },
          End: true,
        },
        'Convert currency': { Type: 'Pass', Output: { total: '{% $states.input.pricing.total %}', from: '{% $states.input.pricing.currency %}' }, End: true },
        'Out of stock?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $contains($failure.Cause, 'OutOfStock') %}", Next: 'Back-order' }],
          Default: 'Pricing failed',
        },
        'Back-order': { Type: 'Pass', Output: { status: 'BACK_ORDERED' }, End: true },
        'Pricing failed': { Type: 'Fail', Error: 'Pricing.Failed', Cause: '{% $failure.Cause %}' },
        'Place order': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * An order posted to a partner's API: throttling and unavailability retried with FULL jitter
 * capped by MaxDelaySeconds, then caught, the error's name assigned; a throttled order waits and
 * fails with that name, an unavailable partner queues the order for later, anything else gives up
 * with the Cause. An answer the partner accepts confirms.
 */
export const partnerJitterCatch: ModernMachine = {
  name: 'PartnerJitterCatch',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Post order',
      States: {
        'Post order': {
          Type: 'Task',
          Resource: 'arn:aws:states:::http:invoke',
          Arguments: {
            ApiEndpoint: 'https://partner.example.com/orders',
            Method: 'POST',
            Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/partner/abc' },
            RequestBody: '{% $states.input %}',
          },
          Retry: [{
            ErrorEquals: ['States.Http.StatusCode.429', 'States.Http.StatusCode.503'],
            IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 3, MaxDelaySeconds: 30, JitterStrategy: 'FULL',
          }],
          Catch: [
            { ErrorEquals: ['States.Http.StatusCode.429'], Assign: { lastError: '{% $states.errorOutput.Error %}' }, Next: 'Throttled' },
            {
              ErrorEquals: ['States.ALL'],
              Assign: { lastError: '{% $states.errorOutput.Error %}', detail: '{% $states.errorOutput.Cause %}' },
              Next: 'Partner down?',
            },
          ],
          Output: '{% $states.result.ResponseBody %}',
          Next: 'Accepted?',
        },
        'Accepted?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.accepted = true %}', Next: 'Confirmed' }], Default: 'Refused' },
        'Confirmed': { Type: 'Succeed' },
        'Refused': { Type: 'Fail', Error: 'Partner.Refused' },
        'Throttled': { Type: 'Wait', Seconds: 60, Next: 'Try later' },
        'Try later': { Type: 'Fail', Error: '{% $lastError %}' },
        'Partner down?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $lastError = 'States.Http.StatusCode.503' %}", Next: 'Queue for later' }],
          Default: 'Give up',
        },
        'Queue for later': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/later', MessageBody: '{% $states.input %}' },
          End: true,
        },
        'Give up': { Type: 'Fail', Error: 'Partner.Down', Cause: '{% $detail %}' },
      },
    });
  },
};

/**
 * Order lines priced by a function, the total folded with `$reduce` (quantity times unit price)
 * into a variable: over 5,000 needs an approval, nothing at all is an empty order.
 */
export const reducedOrderTotal: ModernMachine = {
  name: 'ReducedOrderTotal',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Price lines',
      States: {
        'Price lines': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('price-lines'), Payload: { lines: '{% $states.input.lines %}' } },
          Assign: { total: '{% $reduce($states.result.Payload.lines, function($acc, $l) { $acc + $l.qty * $l.unitPrice }, 0) %}' },
          Next: 'Over limit?',
        },
        'Over limit?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $total > 5000 %}', Next: 'Needs approval' },
            { Condition: '{% $total = 0 %}', Next: 'Empty order' },
          ],
          Default: 'Place order',
        },
        'Needs approval': { Type: 'Pass', Output: { total: '{% $total %}', approval: 'REQUIRED' }, End: true },
        'Empty order': { Type: 'Fail', Error: 'Order.Empty' },
        'Place order': { Type: 'Succeed' },
      },
    });
  },
};
