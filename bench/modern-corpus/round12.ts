/*
 * Machines in idioms the corpus lacked (issue 77, explore round 4, ninth pass), written as a
 * user writes them today: dates compared as milliseconds (`$toMillis` of an item's dates against
 * the execution's start, `$fromMillis` in a message, a Wait until a timestamp), a Bedrock answer
 * whose guardrail field has a hyphen in its name (read with backquotes) and a reply checked again
 * by ApplyGuardrail, a CSV read by a Distributed Map into batches whose results an S3 manifest
 * lists, JSON Lines numbered by their index, a catalogue whose products hold their own variants
 * (a Map inside a Distributed Map), and a vendor payment approved through a callback with a
 * heartbeat, reminded a bounded number of times.
 *
 * One branch no input or answer can reach, said so in its machine's comment: `VendorPaymentCallback`'s
 * reminder loop (`Remind or give up`, `Send reminder`) catches States.HeartbeatTimeout, which a
 * callback Task never raises; a missed heartbeat fails it with States.Timeout
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html, HeartbeatSeconds).
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:claims';

/**
 * A claim swept against its due date: the claim read from DynamoDB, its due and filing dates
 * turned into milliseconds; one already past due (before the execution started) is escalated,
 * one due within a day is announced with its date written back out, one filed more than thirty
 * days before it is due is logged; the rest wait until the due date, read the claim again and
 * route on its status.
 */
export const claimDeadlineSweep: ModernMachine = {
  name: 'ClaimDeadlineSweep',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load claim',
      States: {
        'Load claim': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: { TableName: 'claims', Key: { pk: { S: '{% $states.input.claimId %}' } } },
          Assign: {
            claimId: '{% $states.input.claimId %}',
            dueAt: '{% $states.result.Item.dueAt.S %}',
            dueMs: '{% $toMillis($states.result.Item.dueAt.S) %}',
            filedMs: '{% $toMillis($states.result.Item.filedAt.S) %}',
            startedMs: '{% $toMillis($states.context.Execution.StartTime) %}',
          },
          Next: 'Where is the due date?',
        },
        'Where is the due date?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $dueMs < $startedMs %}', Next: 'Escalate overdue' },
            { Condition: '{% $dueMs - $startedMs < 86400000 %}', Next: 'Announce due soon' },
            { Condition: '{% ($dueMs - $filedMs) / 86400000 > 30 %}', Next: 'Log long horizon' },
          ],
          Default: 'Wait until due',
        },
        'Announce due soon': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: {
            TopicArn: TOPIC,
            Message: "{% 'Claim ' & $claimId & ' is due on ' & $fromMillis($dueMs, '[Y0001]-[M01]-[D01]') %}",
          },
          Next: 'Wait until due',
        },
        'Log long horizon': {
          Type: 'Pass',
          Output: '{% {"claimId": $claimId, "days": $round(($dueMs - $filedMs) / 86400000)} %}',
          Next: 'Wait until due',
        },
        'Wait until due': { Type: 'Wait', Timestamp: '{% $dueAt %}', Next: 'Read claim again' },
        'Read claim again': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: { TableName: 'claims', Key: { pk: { S: '{% $claimId %}' } } },
          Output: '{% {"status": $uppercase($states.result.Item.status.S)} %}',
          Next: 'Settled?',
        },
        'Settled?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.status = "CLOSED" %}', Next: 'Settled' },
            { Condition: '{% $states.input.status in ["OPEN", "PENDING"] %}', Next: 'Escalate overdue' },
          ],
          Default: 'Unknown status',
        },
        'Escalate overdue': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('escalate-claim'), Payload: { claimId: '{% $claimId %}', dueAt: '{% $dueAt %}' } },
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
          Next: 'Settled',
        },
        'Unknown status': { Type: 'Fail', Error: 'Claim.UnknownStatus', Cause: 'the claim has a status the sweep does not know' },
        'Settled': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A support reply drafted by a model on Bedrock behind a guardrail: the guardrail's verdict is a
 * field with a hyphen in its name; a reply cut at the token limit is continued (at most twice), a
 * reply about refunds goes to billing, an empty one fails; the rest is checked again by
 * ApplyGuardrail before it is sent.
 */
export const guardedSupportReply: ModernMachine = {
  name: 'GuardedSupportReply',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        'Start': {
          Type: 'Pass',
          Assign: { prompt: '{% $states.input.message %}', ticket: '{% $states.input.ticketId %}', turns: 0, draft: '' },
          Next: 'Draft reply',
        },
        'Draft reply': {
          Type: 'Task',
          Resource: 'arn:aws:states:::bedrock:invokeModel',
          Arguments: {
            ModelId: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
            GuardrailIdentifier: 'support-guardrail',
            GuardrailVersion: '3',
            Body: {
              anthropic_version: 'bedrock-2023-05-31',
              max_tokens: 400,
              messages: [{ role: 'user', content: '{% $prompt & $draft %}' }],
            },
          },
          Assign: {
            verdict: '{% $states.result.Body.`amazon-bedrock-guardrailAction` %}',
            draft: '{% $draft & $states.result.Body.content[0].text %}',
            stop: '{% $states.result.Body.stop_reason %}',
            turns: '{% $turns + 1 %}',
          },
          Retry: [{ ErrorEquals: ['Bedrock.ThrottlingException'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { failure: '{% $states.errorOutput.Error %}' }, Next: 'Hand to agent' }],
          Next: 'Read verdict',
        },
        'Read verdict': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $verdict = "INTERVENED" %}', Next: 'Blocked' },
            { Condition: '{% $stop = "max_tokens" and $turns < 3 %}', Next: 'Draft reply' },
            { Condition: '{% $length($trim($draft)) = 0 %}', Next: 'Empty reply' },
            { Condition: '{% $contains($lowercase($draft), "refund") %}', Next: 'Route to billing' },
          ],
          Default: 'Check reply',
        },
        'Check reply': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:bedrockruntime:applyGuardrail',
          Arguments: {
            GuardrailIdentifier: 'support-guardrail',
            GuardrailVersion: '3',
            Source: 'OUTPUT',
            Content: [{ Text: { Text: '{% $draft %}' } }],
          },
          Output: '{% {"action": $states.result.Action, "masked": $count($states.result.Outputs)} %}',
          Next: 'Reply allowed?',
        },
        'Reply allowed?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.action = "GUARDRAIL_INTERVENED" %}', Next: 'Blocked' }],
          Default: 'Send reply',
        },
        'Send reply': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/replies', MessageBody: { ticket: '{% $ticket %}', text: '{% $draft %}' } },
          End: true,
        },
        'Route to billing': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('billing-queue'), Payload: { ticket: '{% $ticket %}', draft: '{% $draft %}' } },
          End: true,
        },
        'Blocked': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:blocked-replies', Message: "{% 'Blocked reply for ' & $ticket %}" },
          Next: 'Hand to agent',
        },
        'Hand to agent': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('assign-agent'), Payload: { ticket: '{% $ticket %}' } },
          End: true,
        },
        'Empty reply': { Type: 'Fail', Error: 'Reply.Empty', Cause: 'the model wrote nothing' },
      },
    });
  },
};

/**
 * Receipts imported from a CSV with its header row, given no folder: each row numbered and its
 * amount made a number, the rows sent in batches of fifty with the file they came from; a batch
 * holding a receipt over 1,000 is flagged. The results go to S3; the manifest the run wrote is
 * read back, and a run with failed results is reported.
 */
export const receiptBatchCsv: ModernMachine = {
  name: 'ReceiptBatchCsv',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Import receipts',
      States: {
        'Import receipts': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
            Arguments: { Bucket: '{% $states.input.bucket %}', Key: '{% $states.input.key %}' },
          },
          ItemSelector: {
            row: '{% $states.context.Map.Item.Index + 2 %}',
            vendor: '{% $states.context.Map.Item.Value.vendor %}',
            amount: '{% $number($states.context.Map.Item.Value.amount) %}',
          },
          ItemBatcher: { MaxItemsPerBatch: 50, BatchInput: { file: '{% $states.input.key %}' } },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Large receipt in batch?',
            States: {
              'Large receipt in batch?': {
                Type: 'Choice',
                Choices: [{ Condition: '{% $count($states.input.Items[amount > 1000]) > 0 %}', Next: 'Flag batch' }],
                Default: 'Store batch',
              },
              'Flag batch': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('flag-receipts'), Payload: { file: '{% $states.input.BatchInput.file %}', rows: '{% $states.input.Items[amount > 1000].row %}' } },
                Next: 'Store batch',
              },
              'Store batch': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('store-receipts'), Payload: '{% $states.input %}' },
                End: true,
              },
            },
          },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Arguments: { Bucket: 'receipt-runs', Prefix: 'imports' } },
          ToleratedFailurePercentage: 10,
          Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'Import failed' }],
          Next: 'Read manifest',
        },
        'Read manifest': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
          Arguments: { Bucket: '{% $states.input.ResultWriterDetails.Bucket %}', Key: '{% $states.input.ResultWriterDetails.Key %}' },
          Output: '{% $parse($states.result.Body) %}',
          Next: 'Any failed results?',
        },
        'Any failed results?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $count($states.input.ResultFiles.FAILED) > 0 %}', Next: 'Report failures' }],
          Default: 'Imported',
        },
        'Report failures': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('report-receipt-failures'), Payload: { files: '{% $states.input.ResultFiles.FAILED.Key %}' } },
          Next: 'Imported',
        },
        'Import failed': { Type: 'Fail', Error: 'Receipts.TooManyFailures', Cause: 'more than a tenth of the batches failed' },
        'Imported': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * Clickstream events replayed from JSON Lines in S3, given no folder: each event with its line
 * number; the first line is a header event that only sets the session, bot users are dropped,
 * clicks and views are counted, anything else is archived. After the Map: a replay where most
 * events were dropped is reported, one with no events at all fails.
 */
export const jsonlEventReplay: ModernMachine = {
  name: 'JsonlEventReplay',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Replay events',
      States: {
        'Replay events': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'JSONL' },
            Arguments: { Bucket: 'clickstream', Key: "{% 'sessions/' & $states.input.sessionId & '.jsonl' %}" },
          },
          ItemSelector: { line: '{% $states.context.Map.Item.Index %}', event: '{% $states.context.Map.Item.Value %}' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Which event?',
            States: {
              'Which event?': {
                Type: 'Choice',
                Choices: [
                  { Condition: '{% $states.input.line = 0 %}', Next: 'Session header' },
                  { Condition: '{% $contains($states.input.event.userId, /^bot-/) %}', Next: 'Drop bot' },
                  { Condition: '{% $states.input.event.type in ["click", "view"] %}', Next: 'Count event' },
                ],
                Default: 'Archive event',
              },
              'Session header': { Type: 'Pass', Output: '{% {"line": 0, "header": true} %}', End: true },
              'Drop bot': { Type: 'Pass', Output: '{% {"line": $states.input.line, "dropped": true} %}', End: true },
              'Count event': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('count-event'), Payload: '{% $states.input.event %}' },
                Output: '{% {"line": $states.input.line, "counted": $states.result.Payload.counted} %}',
                End: true,
              },
              'Archive event': {
                Type: 'Task',
                Resource: 'arn:aws:states:::aws-sdk:firehose:putRecord',
                Arguments: { DeliveryStreamName: 'odd-events', Record: { Data: '{% $string($states.input.event) %}' } },
                Output: '{% {"line": $states.input.line, "archived": true} %}',
                End: true,
              },
            },
          },
          MaxConcurrency: 100,
          Output: '{% {"total": $count($states.result), "dropped": $count($states.result[dropped = true])} %}',
          Next: 'How did it go?',
        },
        'How did it go?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.total = 0 %}', Next: 'Nothing to replay' },
            { Condition: '{% $states.input.dropped * 2 > $states.input.total %}', Next: 'Report bots' },
          ],
          Default: 'Replayed',
        },
        'Report bots': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:bot-traffic', Message: "{% 'Dropped ' & $states.input.dropped & ' of ' & $states.input.total %}" },
          Next: 'Replayed',
        },
        'Nothing to replay': { Type: 'Fail', Error: 'Replay.Empty', Cause: 'the session file holds no events' },
        'Replayed': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A product catalogue published from a JSON array in S3: each product holds its variants, which an
 * inline Map inside the Distributed Map's child walks with the product's position beside each; a
 * variant priced at zero or less fails and is caught into a list of bad variants, a clearance SKU
 * (its prefix before the dash) is marked down, the rest priced as they are. A product with no
 * variants is skipped.
 */
export const nestedCatalogue: ModernMachine = {
  name: 'NestedCatalogue',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Each product',
      States: {
        'Each product': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'JSON' },
            Arguments: { Bucket: 'catalogue', Key: '{% $states.input.catalogueKey %}' },
          },
          ItemSelector: { product: '{% $states.context.Map.Item.Value %}', position: '{% $states.context.Map.Item.Index %}' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Has variants?',
            States: {
              'Has variants?': {
                Type: 'Choice',
                Choices: [{ Condition: '{% $count($states.input.product.variants) = 0 %}', Next: 'Skip product' }],
                Default: 'Each variant',
              },
              'Skip product': { Type: 'Pass', Output: '{% {"position": $states.input.position, "skipped": true} %}', End: true },
              'Each variant': {
                Type: 'Map',
                Items: '{% $states.input.product.variants %}',
                ItemSelector: {
                  sku: '{% $states.context.Map.Item.Value.sku %}',
                  price: '{% $states.context.Map.Item.Value.price %}',
                  product: '{% $states.input.position %}',
                },
                ItemProcessor: {
                  ProcessorConfig: { Mode: 'INLINE' },
                  StartAt: 'Price variant',
                  States: {
                    'Price variant': {
                      Type: 'Choice',
                      Choices: [
                        { Condition: '{% $states.input.price <= 0 %}', Next: 'Bad price' },
                        { Condition: '{% $substringBefore($states.input.sku, "-") = "CLR" %}', Next: 'Mark down' },
                      ],
                      Default: 'Keep price',
                    },
                    'Bad price': { Type: 'Fail', Error: 'Catalogue.BadPrice', Cause: 'a variant has no positive price' },
                    'Mark down': { Type: 'Pass', Output: '{% {"sku": $states.input.sku, "price": $round($states.input.price * 0.7, 2)} %}', End: true },
                    'Keep price': { Type: 'Pass', Output: '{% {"sku": $states.input.sku, "price": $states.input.price} %}', End: true },
                  },
                },
                Catch: [{ ErrorEquals: ['Catalogue.BadPrice'], Output: '{% {"position": $states.input.position, "bad": true} %}', Next: 'Record bad product' }],
                Next: 'Publish product',
              },
              'Record bad product': {
                Type: 'Task',
                Resource: 'arn:aws:states:::dynamodb:putItem',
                Arguments: { TableName: 'bad-products', Item: { pk: { S: '{% $string($states.input.position) %}' } } },
                Output: '{% {"bad": true} %}',
                End: true,
              },
              'Publish product': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('publish-product'), Payload: { variants: '{% $states.input %}' } },
                End: true,
              },
            },
          },
          ToleratedFailureCount: 5,
          Next: 'Published',
        },
        'Published': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A vendor payment approved by people through callbacks: the approver gets a task token by SQS
 * and must beat a heartbeat every hour; a missed heartbeat sends a reminder (at most twice, then
 * the payment is rejected), a day without an answer rejects it. The decision is read trimmed and
 * in lower case; a payment over the approver's limit needs a second approval from finance, and an
 * approver who is the requester is refused. The reminder loop, written as people write it, is
 * unreachable: a callback whose heartbeats stop fails with States.Timeout, not States.HeartbeatTimeout.
 */
export const vendorPaymentCallback: ModernMachine = {
  name: 'VendorPaymentCallback',
  shape: 'human approval',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Prepare',
      States: {
        'Prepare': {
          Type: 'Pass',
          Assign: { payment: '{% $states.input %}', reminders: 0 },
          Next: 'Ask approver',
        },
        'Ask approver': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Arguments: {
            QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/approvals',
            MessageBody: { token: '{% $states.context.Task.Token %}', payment: '{% $payment %}', reminder: '{% $reminders %}' },
          },
          HeartbeatSeconds: 3600,
          TimeoutSeconds: 86400,
          Assign: { decision: '{% $lowercase($trim($states.result.decision)) %}', approver: '{% $states.result.approver %}', limit: '{% $states.result.limit %}' },
          Catch: [
            { ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Remind or give up' },
            { ErrorEquals: ['States.Timeout'], Next: 'Reject payment' },
          ],
          Next: 'Decision?',
        },
        'Remind or give up': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $reminders >= 2 %}', Next: 'Reject payment' }],
          Default: 'Send reminder',
        },
        'Send reminder': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:approval-reminders', Message: "{% 'Payment ' & $payment.id & ' waits for you' %}" },
          Assign: { reminders: '{% $reminders + 1 %}' },
          Next: 'Ask approver',
        },
        'Decision?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $approver = $payment.requester %}', Next: 'Self approval' },
            { Condition: '{% $decision = "reject" %}', Next: 'Reject payment' },
            { Condition: '{% $decision = "approve" and $payment.amount > $limit %}', Next: 'Ask finance' },
            { Condition: '{% $decision = "approve" %}', Next: 'Pay vendor' },
          ],
          Default: 'Unclear decision',
        },
        'Ask finance': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: FN('finance-approval'), Payload: { token: '{% $states.context.Task.Token %}', payment: '{% $payment %}' } },
          TimeoutSeconds: 172800,
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Reject payment' }],
          Next: 'Finance agrees?',
        },
        'Finance agrees?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.approved = true %}', Next: 'Pay vendor' }],
          Default: 'Reject payment',
        },
        'Pay vendor': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('pay-vendor'), Payload: '{% $payment %}' },
          Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2 }],
          End: true,
        },
        'Reject payment': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:payments', Message: "{% 'Payment ' & $payment.id & ' rejected' %}" },
          End: true,
        },
        'Self approval': { Type: 'Fail', Error: 'Approval.SelfApproval', Cause: 'the approver asked for the payment' },
        'Unclear decision': { Type: 'Fail', Error: 'Approval.Unclear', Cause: 'the decision is neither approve nor reject' },
      },
    });
  },
};
