/*
 * Machines in shapes the corpus did not have yet (issue 77, explore round 4): a price table read
 * with `$keys`, `$lookup` and `$reduce` feeding a Choice; rows cut into chunks of three with a
 * range and a `$map`, then a Map over the chunks; a Parallel whose branches each Assign, then a
 * Choice on the merged input; a Distributed Map with an ItemBatcher and a tolerated failure
 * percentage, then a Choice on the rejected count; a retry counter kept in a variable across a
 * Catch → Choice → Wait loop; Choices on a date (`$toMillis`) and on a version number cut from a
 * string (`$number($substringAfter(…))`); a Choice on what SNS answered; an approval by callback
 * whose answer picks among three decisions.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const SNS = 'arn:aws:states:::sns:publish';
const TOPIC = (name: string): string => `arn:aws:sns:us-east-1:123456789012:${name}`;

/**
 * An order priced from a table of regional prices a Lambda returns: the total is a `$reduce`
 * over the lines, each line's price read with `$lookup`; a table with no region at all
 * (`$keys`) stops the order, a large total asks for approval.
 */
export const regionalPriceTable: ModernMachine = {
  name: 'RegionalPriceTable',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Read prices',
      States: {
        'Read prices': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('read-prices'), Payload: { catalogue: '{% $states.input.catalogue %}' } },
          Assign: {
            regions: '{% $count($keys($states.result.Payload.prices)) %}',
            total: '{% $reduce($states.input.lines, function($sum, $line) { $sum + $line.qty * $lookup($states.result.Payload.prices, $line.region) }, 0) %}',
          },
          Next: 'Priced?',
        },
        'Priced?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $regions = 0 %}', Next: 'No prices' },
            { Condition: '{% $total > 1000 %}', Next: 'Ask approval' },
          ],
          Default: 'Place order',
        },
        'No prices': { Type: 'Fail', Error: 'Prices.Missing', Cause: 'the catalogue has no region' },
        'Ask approval': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('large-orders'), Message: "{% 'order total ' & $string($total) %}" },
          Next: 'Place order',
        },
        'Place order': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('place-order'), Payload: { total: '{% $total %}' } },
          End: true,
        },
      },
    });
  },
};

/**
 * Rows cut into chunks of three (a range of chunk numbers, each mapped to a slice of the rows),
 * each chunk imported by a Lambda; the accepted counts summed over the chunks decide whether
 * some rows were turned away.
 */
export const chunkedRowImport: ModernMachine = {
  name: 'ChunkedRowImport',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Cut into chunks',
      States: {
        'Cut into chunks': {
          Type: 'Pass',
          Assign: {
            rows: '{% $count($states.input.rows) %}',
            chunks: '{% $count($states.input.rows) = 0 ? [] : $map([0..$floor(($count($states.input.rows) - 1) / 3)], function($i) { [$states.input.rows[[$i * 3 .. $i * 3 + 2]]] }) %}',
          },
          Next: 'Any rows?',
        },
        'Any rows?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $rows = 0 %}', Next: 'Nothing to import' }],
          Default: 'Import chunks',
        },
        'Nothing to import': { Type: 'Succeed' },
        'Import chunks': {
          Type: 'Map',
          Items: '{% $chunks %}',
          MaxConcurrency: 2,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Import chunk',
            States: {
              'Import chunk': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('import-rows'), Payload: { rows: '{% $states.input %}' } },
                Output: '{% {"accepted": $states.result.Payload.accepted} %}',
                End: true,
              },
            },
          },
          Next: 'All accepted?',
        },
        'All accepted?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $sum($states.input.accepted) < $rows %}', Next: 'Report rejected rows' }],
          Default: 'Imported',
        },
        'Report rejected rows': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('import-rejects'), Message: "{% $string($rows - $sum($states.input.accepted)) & ' rows rejected' %}" },
          End: true,
        },
        'Imported': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A customer's tier and risk read at once in a Parallel, each branch keeping what it read in a
 * variable of its own and giving it as its output; the branches' outputs merged decide a fast
 * track, a block or a review.
 */
export const parallelTierRisk: ModernMachine = {
  name: 'ParallelTierRisk',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Read both',
      States: {
        'Read both': {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Read tier',
              States: {
                'Read tier': {
                  Type: 'Task',
                  Resource: LAMBDA,
                  Arguments: { FunctionName: FN('read-tier'), Payload: { customer: '{% $states.input.customer %}' } },
                  Assign: { tier: '{% $lowercase($states.result.Payload.tier) %}' },
                  Next: 'Give tier',
                },
                'Give tier': { Type: 'Pass', Output: '{% {"tier": $tier} %}', End: true },
              },
            },
            {
              StartAt: 'Score risk',
              States: {
                'Score risk': {
                  Type: 'Task',
                  Resource: LAMBDA,
                  Arguments: { FunctionName: FN('score-risk'), Payload: { customer: '{% $states.input.customer %}' } },
                  Assign: { risk: '{% $states.result.Payload.score %}' },
                  Next: 'Give risk',
                },
                'Give risk': { Type: 'Pass', Output: '{% {"risk": $risk} %}', End: true },
              },
            },
          ],
          Output: '{% $merge($states.result) %}',
          Next: 'Route',
        },
        'Route': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.risk >= 80 %}', Next: 'Block' },
            { Condition: '{% $states.input.tier = "gold" and $states.input.risk < 50 %}', Next: 'Fast track' },
          ],
          Default: 'Review',
        },
        'Block': { Type: 'Fail', Error: 'Customer.Blocked', Cause: 'risk too high' },
        'Fast track': { Type: 'Succeed' },
        'Review': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('reviews'), Message: '{% $string($states.input) %}' },
          End: true,
        },
      },
    });
  },
};

/**
 * Invoices checked in batches of two by a Distributed Map (each batch told the run's date through
 * BatchInput), up to half of the batches allowed to fail; too many failed batches are reported,
 * and a run with rejected invoices sends them on.
 */
export const batchedInvoiceCheck: ModernMachine = {
  name: 'BatchedInvoiceCheck',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Check invoices',
      States: {
        'Check invoices': {
          Type: 'Map',
          Items: '{% $states.input.invoices %}',
          ItemSelector: { id: '{% $states.context.Map.Item.Value.id %}', amount: '{% $states.context.Map.Item.Value.amount %}' },
          ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { day: '{% $states.input.day %}' } },
          ToleratedFailurePercentage: 50,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Check batch',
            States: {
              'Check batch': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: {
                  FunctionName: FN('check-invoices'),
                  Payload: { day: '{% $states.input.BatchInput.day %}', ids: '{% $states.input.Items.id %}', total: '{% $sum($states.input.Items.amount) %}' },
                },
                Output: '{% {"rejected": $states.result.Payload.rejected} %}',
                End: true,
              },
            },
          },
          Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'Too many failed' }],
          Next: 'Any rejected?',
        },
        'Too many failed': { Type: 'Fail', Error: 'Invoices.CheckFailed', Cause: 'more than half of the batches failed' },
        'Any rejected?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $sum($states.input.rejected) > 0 %}', Next: 'Send rejected' }],
          Default: 'All good',
        },
        'Send rejected': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/rejected-invoices', MessageBody: '{% $string($states.input) %}' },
          End: true,
        },
        'All good': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A partner's API called with a counter of failed attempts kept in a variable: each failure is
 * caught, counted, and waited on ten seconds a failure before the next try; a third failure gives
 * up; a call that went through after a failure is logged as recovered.
 */
export const partnerRetryCounter: ModernMachine = {
  name: 'PartnerRetryCounter',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start count',
      States: {
        'Start count': { Type: 'Pass', Assign: { failures: 0, order: '{% $states.input.order %}' }, Next: 'Call partner' },
        'Call partner': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('call-partner'), Payload: { order: '{% $order %}', attempt: '{% $failures + 1 %}' } },
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { failures: '{% $failures + 1 %}', last: '{% $states.errorOutput.Error %}' }, Next: 'Try again?' }],
          Output: '{% $states.result.Payload %}',
          Next: 'Went through',
        },
        'Try again?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $failures < 3 %}', Next: 'Back off' }],
          Default: 'Give up',
        },
        'Back off': { Type: 'Wait', Seconds: '{% $failures * 10 %}', Next: 'Call partner' },
        'Give up': { Type: 'Fail', Error: 'Partner.Unavailable', Cause: "{% 'gave up after ' & $string($failures) & ' failures, the last ' & $last %}" },
        'Went through': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $failures > 0 %}', Next: 'Log recovery' }],
          Default: 'Done',
        },
        'Log recovery': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('partner-recoveries'), Message: "{% 'recovered after ' & $string($failures) %}" },
          Next: 'Done',
        },
        'Done': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A licence renewed by a flow chosen on the client's version (`"v2.3"` → 2) and on whether the
 * licence the store returned expired before the run started.
 */
export const licenceVersionGate: ModernMachine = {
  name: 'LicenceVersionGate',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Read licence',
      States: {
        'Read licence': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('read-licence'), Payload: { licence: '{% $states.input.licence %}' } },
          Output: '{% $merge([$states.input, {"expiresAt": $states.result.Payload.expiresAt}]) %}',
          Next: 'Which flow?',
        },
        'Which flow?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $toMillis($states.input.expiresAt) < $toMillis($states.context.Execution.StartTime) %}', Next: 'Expired' },
            { Condition: '{% $number($substringAfter($states.input.clientVersion, "v")) >= 2 %}', Next: 'Renew online' },
          ],
          Default: 'Renew by mail',
        },
        'Expired': { Type: 'Fail', Error: 'Licence.Expired', Cause: '{% "expired at " & $states.input.expiresAt %}' },
        'Renew online': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('renew-online'), Payload: { licence: '{% $states.input.licence %}' } },
          End: true,
        },
        'Renew by mail': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('mail-renewals'), Message: '{% $states.input.licence %}' },
          End: true,
        },
      },
    });
  },
};

/**
 * A notice published to SNS (a FIFO topic answers a sequence number, a standard one does not),
 * then a reviewer asked through a queue with a task token: the answer's decision is one of
 * "approve", "reject" and "escalate", anything else fails the run.
 */
export const noticeReviewDecision: ModernMachine = {
  name: 'NoticeReviewDecision',
  shape: 'human approval',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Publish notice',
      States: {
        'Publish notice': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('notices'), Message: '{% $states.input.text %}' },
          Assign: { messageId: '{% $states.result.MessageId %}' },
          Output: '{% $merge([$states.input, {"ordered": $exists($states.result.SequenceNumber)}]) %}',
          Next: 'Ordered topic?',
        },
        'Ordered topic?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.ordered %}', Next: 'Ask reviewer' }],
          Default: 'Note unordered',
        },
        'Note unordered': { Type: 'Pass', Assign: { unordered: true }, Next: 'Ask reviewer' },
        'Ask reviewer': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Arguments: {
            QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/notice-reviews',
            MessageBody: { notice: '{% $messageId %}', token: '{% $states.context.Task.Token %}' },
          },
          TimeoutSeconds: 172800,
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Escalate' }],
          Next: 'Decision?',
        },
        'Decision?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.decision = "approve" %}', Next: 'Approved' },
            { Condition: '{% $states.input.decision = "reject" %}', Next: 'Rejected' },
            { Condition: '{% $states.input.decision = "escalate" %}', Next: 'Escalate' },
          ],
          Default: 'Unknown decision',
        },
        'Approved': { Type: 'Succeed' },
        'Rejected': { Type: 'Fail', Error: 'Notice.Rejected' },
        'Escalate': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('notice-escalations'), Message: '{% $messageId %}' },
          End: true,
        },
        'Unknown decision': { Type: 'Fail', Error: 'Notice.UnknownDecision', Cause: '{% $string($states.input.decision) %}' },
      },
    });
  },
};
