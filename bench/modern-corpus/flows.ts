/*
 * Machines written as raw ASL (`DefinitionBody.fromString`) in the idioms of explore round 4
 * (issue 77): values that reach a Choice through `$merge` of a Parallel's results, `Assign` of a
 * Task's answer, an `Output` that counts a Map's results, a JSONPath `ResultSelector`; a
 * Distributed Map given no S3 folder whose ItemSelector reads `$states.context.Map.Item.Index`,
 * `.Value` and `.Source`; string and numeric conditions (`$contains` with a regex, `$substring`,
 * `$length`, `in`, sums over several fields, a service's enum, texts compared with a variable);
 * loop counters that need several turns; and branches no answer can take (a getItem whose absent
 * Item already fails the Task, then a Choice on whether the Item is there).
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { ModernMachine } from './common';

/** A state machine of a raw ASL definition, as `fromString` takes it. */
export function fromAsl(scope: Construct, asl: object): sfn.StateMachine {
  return new sfn.StateMachine(scope, 'Machine', { definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(asl)) });
}

export const FN = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/**
 * An order checked three ways at once (credit, fraud, stock) and merged; the customer read from
 * DynamoDB into a variable, with a branch for a customer that is not there (which an absent Item,
 * failing the read, closes); a total summed over the lines and two other fields; a tier compared
 * with a list.
 */
export const flowOrderEnrichment: ModernMachine = {
  name: 'FlowOrderEnrichment',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load customer',
      States: {
        'Load customer': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: { TableName: 'Customers', Key: { customerId: { S: '{% $states.input.customerId %}' } } },
          Assign: { customer: '{% $states.result.Item %}', order: '{% $states.input %}' },
          Next: 'Known customer?',
        },
        'Known customer?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $exists($customer) %}', Next: 'Enrich' }],
          Default: 'Unknown customer',
        },
        'Unknown customer': { Type: 'Fail', Error: 'Order.UnknownCustomer' },
        'Enrich': {
          Type: 'Parallel',
          Arguments: '{% $order %}',
          Branches: [
            {
              StartAt: 'Credit check',
              States: {
                'Credit check': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Arguments: { FunctionName: FN('credit'), Payload: '{% $states.input %}' },
                  Output: '{% {"credit": $states.result.Payload.score} %}',
                  End: true,
                },
              },
            },
            {
              StartAt: 'Fraud check',
              States: {
                'Fraud check': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Arguments: { FunctionName: FN('fraud'), Payload: '{% $states.input %}' },
                  Output: '{% {"fraud": $states.result.Payload.verdict, "reasons": $states.result.Payload.reasons} %}',
                  End: true,
                },
              },
            },
            {
              StartAt: 'Stock check',
              States: {
                'Stock check': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Arguments: { FunctionName: FN('stock'), Payload: { skus: '{% $states.input.lines.sku %}' } },
                  Output: '{% {"shortSkus": $states.result.Payload.short} %}',
                  End: true,
                },
              },
            },
          ],
          Output: '{% $merge($states.result) %}',
          Next: 'Decide',
        },
        'Decide': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.fraud = 'BLOCK' %}", Next: 'Reject' },
            { Condition: "{% $states.input.fraud = 'REVIEW' or $count($states.input.reasons) > 2 %}", Next: 'Manual review' },
            { Condition: '{% $count($states.input.shortSkus) > 0 %}', Next: 'Backorder' },
            { Condition: '{% $states.input.credit < 580 %}', Next: 'Prepay only' },
          ],
          Default: 'Price',
        },
        'Reject': { Type: 'Fail', Error: 'Order.Rejected' },
        'Manual review': { Type: 'Succeed' },
        'Backorder': { Type: 'Succeed' },
        'Prepay only': { Type: 'Succeed' },
        'Price': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('price'), Payload: { lines: '{% $order.lines %}', tier: '{% $customer.tier.S %}' } },
          Assign: { shipping: '{% $states.result.Payload.shipping %}', tax: '{% $states.result.Payload.tax %}' },
          Next: 'Big order?',
        },
        'Big order?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $sum($order.lines.(price * qty)) + $shipping + $tax > 5000 %}', Next: 'Approval' },
            { Condition: "{% $customer.tier.S in ['GOLD', 'PLATINUM'] %}", Next: 'Priority' },
          ],
          Default: 'Standard',
        },
        'Approval': { Type: 'Succeed' },
        'Priority': { Type: 'Succeed' },
        'Standard': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A chat answer drafted by a model and checked by a guardrail, retried at most three times: the
 * guardrail's Action is one of the two its API names, the reply is checked for length and for
 * words, and a counter the machine keeps ends the loop.
 */
export const flowGuardedReply: ModernMachine = {
  name: 'FlowGuardedReply',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        'Start': { Type: 'Pass', Assign: { attempt: 0, question: '{% $states.input.question %}' }, Next: 'Draft' },
        'Draft': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('draft'), Payload: { question: '{% $question %}', attempt: '{% $attempt %}' } },
          Assign: { attempt: '{% $attempt + 1 %}', reply: '{% $states.result.Payload.text %}' },
          Next: 'Guard',
        },
        'Guard': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:bedrockruntime:applyGuardrail',
          Arguments: {
            GuardrailIdentifier: 'support-guardrail',
            GuardrailVersion: '1',
            Source: 'OUTPUT',
            Content: [{ Text: { Text: '{% $reply %}' } }],
          },
          Assign: { action: '{% $states.result.Action %}' },
          Retry: [{ ErrorEquals: ['BedrockRuntime.ThrottlingException'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
          Next: 'Allowed?',
        },
        'Allowed?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $action = 'GUARDRAIL_INTERVENED' and $attempt >= 3 %}", Next: 'Hand to agent' },
            { Condition: "{% $action = 'GUARDRAIL_INTERVENED' %}", Next: 'Draft' },
            { Condition: '{% $length($reply) > 1200 %}', Next: 'Shorten' },
            { Condition: "{% $contains($lowercase($reply), /\\b(refund|chargeback)\\b/) %}", Next: 'Route to billing' },
          ],
          Default: 'Send',
        },
        'Shorten': {
          Type: 'Pass',
          Assign: { reply: "{% $substring($reply, 0, 1197) & '...' %}" },
          Next: 'Send',
        },
        'Route to billing': { Type: 'Succeed' },
        'Hand to agent': { Type: 'Succeed' },
        'Send': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/replies', MessageBody: '{% $reply %}' },
          End: true,
        },
      },
    });
  },
};

/**
 * Invoice lines read from a CSV by a Distributed Map (no S3 folder given: explore makes the rows
 * up), the row's number and source passed to each child by the ItemSelector: the first row of a
 * file in the archive is skipped, late rows over a threshold are held; the results counted by
 * status decide what happens next.
 */
export const flowInvoiceLines: ModernMachine = {
  name: 'FlowInvoiceLines',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Lines',
      States: {
        'Lines': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
            Arguments: { Bucket: 'invoices', Key: '{% $states.input.key %}' },
          },
          ItemSelector: {
            row: '{% $states.context.Map.Item.Index %}',
            line: '{% $states.context.Map.Item.Value %}',
            file: '{% $states.context.Map.Item.Source %}',
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Which line?',
            States: {
              'Which line?': {
                Type: 'Choice',
                Choices: [
                  { Condition: "{% $contains($states.input.file, '/archive/') %}", Next: 'Archived' },
                  { Condition: '{% $states.input.row >= 3 and $number($states.input.line.amount) > 10000 %}', Next: 'Hold' },
                  { Condition: "{% $substring($states.input.line.code, 0, 4) = 'CRD-' %}", Next: 'Credit note' },
                ],
                Default: 'Post',
              },
              'Archived': { Type: 'Pass', Output: { status: 'SKIPPED' }, End: true },
              'Hold': { Type: 'Pass', Output: { status: 'HELD' }, End: true },
              'Credit note': { Type: 'Pass', Output: { status: 'CREDIT' }, End: true },
              'Post': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: FN('post-line'), Payload: '{% $states.input %}' },
                Output: '{% {"status": $states.result.Payload.status} %}',
                End: true,
              },
            },
          },
          Output: "{% {'held': $count($states.result[status = 'HELD']), 'failed': $count($states.result[status = 'FAILED']), 'lines': $count($states.result)} %}",
          Next: 'Outcome?',
        },
        'Outcome?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.lines = 0 %}', Next: 'Empty file' },
            { Condition: '{% $states.input.failed > 0 %}', Next: 'Report failures' },
            { Condition: '{% $states.input.held >= 2 %}', Next: 'Ask finance' },
          ],
          Default: 'Done',
        },
        'Empty file': { Type: 'Fail', Error: 'Invoice.Empty' },
        'Report failures': { Type: 'Succeed' },
        'Ask finance': { Type: 'Succeed' },
        'Done': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A device registered the JSONPath way: its record read with a ResultSelector on `$.Item`, a
 * Choice on whether it is there (which a missing Item, failing the read, closes), the firmware
 * matched by a pattern, then a polling loop with a counter kept by `States.MathAdd`.
 */
export const flowDeviceRegistry: ModernMachine = {
  name: 'FlowDeviceRegistry',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Read device',
      States: {
        'Read device': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { 'TableName': 'Devices', 'Key': { deviceId: { 'S.$': '$.deviceId' } } },
          ResultSelector: { 'item.$': '$.Item' },
          ResultPath: '$.device',
          Next: 'Registered?',
        },
        'Registered?': {
          Type: 'Choice',
          Choices: [{ Not: { Variable: '$.device.item', IsPresent: true }, Next: 'Not registered' }],
          Default: 'Firmware?',
        },
        'Not registered': { Type: 'Fail', Error: 'Device.NotRegistered' },
        'Firmware?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.device.item.firmware.S', StringMatches: 'v1.*', Next: 'Upgrade' },
            { Variable: '$.device.item.firmware.S', StringMatches: 'v2.*-beta', Next: 'Beta ring' },
          ],
          Default: 'Init polls',
        },
        'Beta ring': { Type: 'Succeed' },
        'Upgrade': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': FN('start-upgrade'), 'Payload.$': '$.device.item' },
          ResultSelector: { 'jobId.$': '$.Payload.jobId' },
          ResultPath: '$.upgrade',
          Next: 'Init polls',
        },
        'Init polls': { Type: 'Pass', Assign: { polls: 0 }, Next: 'Check status' },
        'Check status': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': FN('device-status'), 'Payload': { 'deviceId.$': '$.deviceId' } },
          ResultSelector: { 'state.$': '$.Payload.state' },
          ResultPath: '$.status',
          Next: 'Online?',
        },
        'Online?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.status.state', StringEquals: 'ONLINE', Next: 'Registered' },
            { Variable: '$polls', NumericGreaterThanEquals: 5, Next: 'Gave up' },
          ],
          Default: 'Wait a bit',
        },
        'Wait a bit': { Type: 'Wait', Seconds: 30, Assign: { 'polls.$': 'States.MathAdd($polls, 1)' }, Next: 'Check status' },
        'Registered': { Type: 'Succeed' },
        'Gave up': { Type: 'Fail', Error: 'Device.Offline' },
      },
    });
  },
};

/**
 * An approval that escalates: a callback with a heartbeat, a timeout caught and counted, the
 * answer's decision one of three, a comment marked urgent by its prefix, three escalations
 * ending in an automatic refusal.
 */
export const flowEscalatingApproval: ModernMachine = {
  name: 'FlowEscalatingApproval',
  shape: 'human approval',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Setup',
      States: {
        'Setup': { Type: 'Pass', Assign: { escalations: 0, request: '{% $states.input %}', terminal: ['REJECT', 'WITHDRAWN'] }, Next: 'Ask approver' },
        'Ask approver': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Arguments: {
            QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/approvals',
            MessageBody: { token: '{% $states.context.Task.Token %}', request: '{% $request %}', level: '{% $escalations %}' },
          },
          TimeoutSeconds: 86400,
          HeartbeatSeconds: 3600,
          Assign: { decision: '{% $states.result.decision %}', comment: '{% $states.result.comment %}' },
          Catch: [{ ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'], Assign: { escalations: '{% $escalations + 1 %}' }, Next: 'Too many?' }],
          Next: 'Decision?',
        },
        'Too many?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $escalations >= 3 %}', Next: 'Auto reject' }],
          Default: 'Ask approver',
        },
        'Auto reject': { Type: 'Fail', Error: 'Approval.Expired' },
        'Decision?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $decision = 'APPROVE' and $substring($comment, 0, 4) = 'URG:' %}", Next: 'Fast track' },
            { Condition: "{% $decision = 'APPROVE' %}", Next: 'Approved' },
            { Condition: '{% $decision in $terminal %}', Next: 'Closed' },
            { Condition: "{% $decision = 'MORE_INFO' and $length($comment) > 0 %}", Next: 'Ask requester' },
          ],
          Default: 'Invalid answer',
        },
        'Fast track': { Type: 'Succeed' },
        'Approved': { Type: 'Succeed' },
        'Closed': { Type: 'Succeed' },
        'Ask requester': { Type: 'Pass', Next: 'Ask approver' },
        'Invalid answer': { Type: 'Fail', Error: 'Approval.InvalidAnswer' },
      },
    });
  },
};

/**
 * A return handled as a saga: the refund is computed from several fields, its failure caught and
 * read back from the error output, the compensation chosen by what the Cause says.
 */
export const flowReturnsSaga: ModernMachine = {
  name: 'FlowReturnsSaga',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Inspect',
      States: {
        'Inspect': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('inspect'), Payload: '{% $states.input %}' },
          Output: '{% $merge([$states.input, {"grade": $states.result.Payload.grade, "restocking": $states.result.Payload.restockingFee}]) %}',
          Next: 'Refund amount',
        },
        'Refund amount': {
          Type: 'Pass',
          Assign: { refund: "{% $states.input.paid - $states.input.restocking - ($states.input.grade = 'C' ? 10 : 0) %}" },
          Next: 'Refund?',
        },
        'Refund?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $refund <= 0 %}', Next: 'Nothing to refund' },
            { Condition: '{% $refund > $states.input.paid * 0.9 and $states.input.grade = "A" %}', Next: 'Full refund' },
          ],
          Default: 'Partial refund',
        },
        'Nothing to refund': { Type: 'Succeed' },
        'Full refund': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('refund'), Payload: { amount: '{% $refund %}', full: true } },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Output: '{% {"cause": $states.errorOutput.Cause} %}', Next: 'Why failed?' }],
          End: true,
        },
        'Partial refund': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('refund'), Payload: { amount: '{% $refund %}', full: false } },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Output: '{% {"cause": $states.errorOutput.Cause} %}', Next: 'Why failed?' }],
          End: true,
        },
        'Why failed?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $contains($states.input.cause, 'InsufficientFunds') %}", Next: 'Retry tomorrow' },
            { Condition: "{% $contains($states.input.cause, /card (expired|closed)/) %}", Next: 'Issue store credit' },
          ],
          Default: 'Escalate',
        },
        'Retry tomorrow': { Type: 'Succeed' },
        'Issue store credit': { Type: 'Succeed' },
        'Escalate': { Type: 'Fail', Error: 'Refund.Failed' },
      },
    });
  },
};
