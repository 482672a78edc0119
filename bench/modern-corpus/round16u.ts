/*
 * Machines for issue 77's "unreachability proved, or not claimed": the two new-user machines (a
 * DynamoDB getItem, then a Choice on whether the item is there; JSONPath with a ResultSelector on
 * `$.Item`, JSONata with an Assign of `$states.result.Item`), whose `Missing` branch an absent Item
 * closes by failing the read, beside the same lookup written so that an absent Item goes on (an
 * Output object constructor, which leaves the field out; a Catch that leads to the Choice), which
 * explore must reach; and states closed by data alone: a status an earlier Choice already ruled
 * out, a kind `$type` already ruled out, a tier only two Pass states set, a kind a ResultSelector
 * fixes, and a Catch on an error another service raises. Written as raw ASL, as people paste it.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const GET_ITEM = 'arn:aws:states:::dynamodb:getItem';

/** The JSONPath machine: an absent Item fails `Load` (its ResultSelector finds nothing), so `Missing` is proved unreachable. */
export const batchLookupJsonPath: ModernMachine = {
  name: 'BatchLookupJsonPath',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Load',
      States: {
        'Load': {
          Type: 'Task',
          Resource: GET_ITEM,
          Parameters: { TableName: 'batches', Key: { batchId: { 'S.$': '$.batchId' } } },
          ResultSelector: { 'item.$': '$.Item' },
          ResultPath: '$.loaded',
          Next: 'Item exists?',
        },
        'Item exists?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.loaded.item', IsPresent: true, Next: 'Found' }],
          Default: 'Missing',
        },
        'Found': {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { 'FunctionName': FN('process-batch'), 'Payload.$': '$.loaded.item' },
          End: true,
        },
        'Missing': { Type: 'Fail', Error: 'BatchNotFound', Cause: 'no batch with that id' },
      },
    });
  },
};

/** The JSONata machine: an Assign of an absent Item gives nothing and fails `Load`, so `Missing` is proved unreachable. */
export const batchLookupJsonata: ModernMachine = {
  name: 'BatchLookupJsonata',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: {
        'Load': {
          Type: 'Task',
          Resource: GET_ITEM,
          Arguments: { TableName: 'batches', Key: { batchId: { S: '{% $states.input.batchId %}' } } },
          Assign: { batch: '{% $states.result.Item %}' },
          Next: 'Batch there?',
        },
        'Batch there?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $not($exists($batch)) %}', Next: 'Missing' }],
          Default: 'Found',
        },
        'Found': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('process-batch'), Payload: '{% $batch %}' },
          End: true,
        },
        'Missing': { Type: 'Fail', Error: 'BatchNotFound', Cause: 'no batch with that id' },
      },
    });
  },
};

/**
 * The same lookup written so that an absent Item goes on: an Output object constructor leaves
 * the field out, and a missing table is caught into the same Choice; `Missing` is reached both ways.
 */
export const batchLookupOptional: ModernMachine = {
  name: 'BatchLookupOptional',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load',
      States: {
        'Load': {
          Type: 'Task',
          Resource: GET_ITEM,
          Arguments: { TableName: 'batches', Key: { batchId: { S: '{% $states.input.batchId %}' } } },
          Output: "{% {'batchId': $states.input.batchId, 'batch': $states.result.Item} %}",
          Catch: [{ ErrorEquals: ['DynamoDB.ResourceNotFoundException'], Output: '{% $states.input %}', Next: 'Batch there?' }],
          Next: 'Batch there?',
        },
        'Batch there?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $exists($states.input.batch) %}', Next: 'Found' }],
          Default: 'Missing',
        },
        'Found': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('process-batch'), Payload: '{% $states.input.batch %}' },
          End: true,
        },
        'Missing': { Type: 'Fail', Error: 'BatchNotFound', Cause: 'no batch with that id' },
      },
    });
  },
};

/** A ticket routed by status twice: the second Choice's OPEN rule sits behind the first Choice's Default, which OPEN never takes. */
export const ticketStatusRecheck: ModernMachine = {
  name: 'TicketStatusRecheck',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load ticket',
      States: {
        'Load ticket': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('load-ticket'), Payload: { ticketId: '{% $states.input.ticketId %}' } },
          Output: '{% $states.result.Payload %}',
          Next: 'Open?',
        },
        'Open?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $states.input.status = 'OPEN' %}", Next: 'Work ticket' }],
          Default: 'Closed?',
        },
        'Closed?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.status = 'CLOSED' %}", Next: 'Archive ticket' },
            { Condition: "{% $states.input.status = 'OPEN' %}", Next: 'Reopen ticket' },
          ],
          Default: 'Unknown status',
        },
        'Work ticket': { Type: 'Succeed' },
        'Archive ticket': { Type: 'Succeed' },
        'Reopen ticket': { Type: 'Succeed' },
        'Unknown status': { Type: 'Fail', Error: 'UnknownStatus' },
      },
    });
  },
};

/** The same double check in JSONPath, on a status a Lambda returns: `Reopen ticket` is proved unreachable. */
export const ticketStatusRecheckJsonPath: ModernMachine = {
  name: 'TicketStatusRecheckJsonPath',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Load ticket',
      States: {
        'Load ticket': {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { 'FunctionName': FN('load-ticket'), 'Payload.$': '$' },
          OutputPath: '$.Payload',
          Next: 'Open?',
        },
        'Open?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.status', StringEquals: 'OPEN', Next: 'Work ticket' }],
          Default: 'Closed?',
        },
        'Closed?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.status', StringEquals: 'CLOSED', Next: 'Archive ticket' },
            { Variable: '$.status', StringEquals: 'OPEN', Next: 'Reopen ticket' },
          ],
          Default: 'Unknown status',
        },
        'Work ticket': { Type: 'Succeed' },
        'Archive ticket': { Type: 'Succeed' },
        'Reopen ticket': { Type: 'Succeed' },
        'Unknown status': { Type: 'Fail', Error: 'UnknownStatus' },
      },
    });
  },
};

/** A sensor reading that must be a number: the later rule for a reading given as text sits behind the check that refused it. */
export const readingKindGate: ModernMachine = {
  name: 'ReadingKindGate',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Numeric reading?',
      States: {
        'Numeric reading?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $type($states.input.reading) != 'number' %}", Next: 'Reject reading' }],
          Default: 'Classify reading',
        },
        'Classify reading': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $type($states.input.reading) = 'string' %}", Next: 'Parse text reading' },
            { Condition: '{% $states.input.reading > 100 %}', Next: 'Raise alert' },
          ],
          Default: 'Store reading',
        },
        'Parse text reading': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('parse-reading'), Payload: '{% $states.input %}' },
          End: true,
        },
        'Raise alert': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts', Message: "{% 'reading ' & $string($states.input.reading) %}" },
          End: true,
        },
        'Store reading': { Type: 'Succeed' },
        'Reject reading': { Type: 'Fail', Error: 'NotANumber' },
      },
    });
  },
};

/** A member tier set by one of two Pass states: the rule for a third tier is never true. */
export const memberTierAssign: ModernMachine = {
  name: 'MemberTierAssign',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Spend tier?',
      States: {
        'Spend tier?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.spend >= 1000 %}', Next: 'Gold' }],
          Default: 'Silver',
        },
        'Gold': { Type: 'Pass', Assign: { tier: 'gold' }, Next: 'Route member' },
        'Silver': { Type: 'Pass', Assign: { tier: 'silver' }, Next: 'Route member' },
        'Route member': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $tier = 'gold' %}", Next: 'Concierge' },
            { Condition: "{% $tier = 'bronze' %}", Next: 'Starter offer' },
          ],
          Default: 'Standard welcome',
        },
        'Concierge': { Type: 'Succeed' },
        'Starter offer': { Type: 'Succeed' },
        'Standard welcome': { Type: 'Succeed' },
      },
    });
  },
};

/** An export whose ResultSelector fixes its kind to "batch": the branch for a single-row export is never taken. */
export const exportKindFixed: ModernMachine = {
  name: 'ExportKindFixed',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Export rows',
      States: {
        'Export rows': {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { 'FunctionName': FN('export-rows'), 'Payload.$': '$' },
          ResultSelector: { 'kind': 'batch', 'rows.$': '$.Payload.rows' },
          ResultPath: '$.export',
          Next: 'Export kind?',
        },
        'Export kind?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.export.kind', StringEquals: 'single', Next: 'Send one row' },
            { Variable: '$.export.rows[0]', IsPresent: true, Next: 'Send rows' },
          ],
          Default: 'Nothing to send',
        },
        'Send one row': { Type: 'Succeed' },
        'Send rows': { Type: 'Succeed' },
        'Nothing to send': { Type: 'Succeed' },
      },
    });
  },
};

/** A DynamoDB write whose Catch names a Lambda error copied from another Task: DynamoDB never raises it, so the Catch is closed. */
export const auditWriteCatchCopied: ModernMachine = {
  name: 'AuditWriteCatchCopied',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Write audit',
      States: {
        'Write audit': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Arguments: { TableName: 'audit', Item: { id: { S: '{% $states.input.id %}' } } },
          Catch: [
            { ErrorEquals: ['Lambda.TooManyRequestsException'], Next: 'Back off' },
            { ErrorEquals: ['States.ALL'], Next: 'Audit failed' },
          ],
          End: true,
        },
        'Back off': { Type: 'Wait', Seconds: 5, Next: 'Write audit' },
        'Audit failed': { Type: 'Fail', Error: 'AuditFailed' },
      },
    });
  },
};
