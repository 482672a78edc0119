/*
 * Machines in the idioms explore round 4 (issue 77) names, in shapes the corpus did not have yet:
 * a limit check on a value assembled through `$merge` of a Task's answer and the input, carried by
 * `Assign` past an `Output`, then a manager's callback; its JSONPath analogue
 * (ResultSelector → ResultPath → Parameters → Choice); Distributed Maps over S3 CSV and JSON with
 * no folder given, whose later states need the count of results, a field of
 * the items or the item's index; tickets routed on `$contains`, `$match`, `$substring` and
 * `$length`; a cart priced from several fields with a reservation retried up to four times; a
 * Parallel enrichment feeding a Choice then a reviewer's callback; a training job polled on the
 * status its contract enumerates.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const LAMBDA = 'arn:aws:states:::lambda:invoke';
const SNS = 'arn:aws:states:::sns:publish';
const TOPIC = (name: string): string => `arn:aws:sns:us-east-1:123456789012:${name}`;

/**
 * A credit-limit increase: the account read from a Lambda and merged into the request, the
 * exposure summed from three of its fields and carried in a variable past an Output that keeps
 * only the customer and limit; far over the limit is declined, a gold customer just over it is
 * sent to a manager by callback, whose "approved" (in any case) approves and "ask later" waits a
 * day and asks again.
 */
export const mergedCreditLimit: ModernMachine = {
  name: 'MergedCreditLimit',
  shape: 'human approval',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Read account',
      States: {
        'Read account': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('read-account'), Payload: { customer: '{% $states.input.customer %}' } },
          Output: '{% $merge([$states.input, $states.result.Payload]) %}',
          Next: 'Work out exposure',
        },
        'Work out exposure': {
          Type: 'Pass',
          Assign: {
            exposure: '{% $states.input.balance + $states.input.pending + $states.input.requested %}',
            tier: '{% $lowercase($states.input.tier) %}',
          },
          Output: '{% {"customer": $states.input.customer, "limit": $states.input.limit} %}',
          Next: 'Within limit?',
        },
        'Within limit?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $exposure > $states.input.limit * 1.5 %}', Next: 'Decline' },
            { Condition: '{% $exposure > $states.input.limit and $tier = "gold" %}', Next: 'Ask manager' },
            { Condition: '{% $exposure > $states.input.limit %}', Next: 'Decline' },
          ],
          Default: 'Raise limit',
        },
        'Ask manager': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Arguments: {
            QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/limit-approvals',
            MessageBody: { token: '{% $states.context.Task.Token %}', customer: '{% $states.input.customer %}', exposure: '{% $exposure %}' },
          },
          TimeoutSeconds: 86400,
          Assign: { verdict: '{% $states.result.verdict %}' },
          Output: '{% $states.input %}',
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Decline' }],
          Next: 'Manager said?',
        },
        'Manager said?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $lowercase($verdict) = "approved" %}', Next: 'Raise limit' },
            { Condition: '{% $contains($verdict, "later") %}', Next: 'Wait a day' },
          ],
          Default: 'Decline',
        },
        'Wait a day': { Type: 'Wait', Seconds: 86400, Next: 'Ask manager' },
        'Raise limit': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Arguments: {
            TableName: 'accounts',
            Key: { customer: { S: '{% $states.input.customer %}' } },
            UpdateExpression: 'SET creditLimit = :l',
            ExpressionAttributeValues: { ':l': { N: '{% $string($exposure) %}' } },
          },
          End: true,
        },
        'Decline': { Type: 'Fail', Error: 'Limit.Declined', Cause: 'the exposure is over the limit' },
      },
    });
  },
};

/**
 * The JSONPath analogue: a risk assessment's answer narrowed by a ResultSelector, put under
 * `$.assessment`, reshaped by a Pass's Parameters (a code formatted from the band and the
 * country, the count of reasons), then routed on a threshold, a pattern and a pair of conditions.
 */
export const jsonPathRiskBands: ModernMachine = {
  name: 'JsonPathRiskBands',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Assess',
      States: {
        'Assess': {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { 'FunctionName': FN('assess-risk'), 'Payload.$': '$' },
          ResultSelector: { 'risk.$': '$.Payload.risk', 'band.$': '$.Payload.band', 'reasons.$': '$.Payload.reasons' },
          ResultPath: '$.assessment',
          Next: 'Shape',
        },
        'Shape': {
          Type: 'Pass',
          Parameters: {
            'applicant.$': '$.applicant',
            'risk.$': '$.assessment.risk',
            'code.$': "States.Format('{}-{}', $.assessment.band, $.country)",
            'reasonCount.$': 'States.ArrayLength($.assessment.reasons)',
          },
          Next: 'Route',
        },
        'Route': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.risk', NumericGreaterThanEquals: 80, Next: 'Reject' },
            { Variable: '$.code', StringMatches: 'A-*', Next: 'Fast track' },
            { And: [{ Variable: '$.reasonCount', NumericGreaterThan: 2 }, { Variable: '$.code', StringEquals: 'B-DE' }], Next: 'Manual check' },
          ],
          Default: 'Standard',
        },
        'Fast track': {
          Type: 'Task',
          Resource: SNS,
          Parameters: { 'TopicArn': TOPIC('fast-track'), 'Message.$': '$.applicant' },
          End: true,
        },
        'Manual check': {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { 'FunctionName': FN('open-manual-check'), 'Payload.$': '$' },
          End: true,
        },
        'Standard': { Type: 'Succeed' },
        'Reject': { Type: 'Fail', Error: 'Risk.Rejected', Cause: 'the risk is 80 or more' },
      },
    });
  },
};

/**
 * Refunds uploaded as a CSV with a header row, read by a Distributed Map with no folder given:
 * each row selected with its index; a row with no amount is skipped, one over 1000 held, the
 * fourth row on of a trial upload stopped, the rest refunded. After the Map: an empty upload
 * fails, held rows are told to finance.
 */
export const csvRefundRows: ModernMachine = {
  name: 'CsvRefundRows',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Refund rows',
      States: {
        'Refund rows': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
            Arguments: { Bucket: 'refund-uploads', Key: "{% $states.input.upload & '.csv' %}" },
          },
          ItemSelector: {
            row: '{% $states.context.Map.Item.Value %}',
            position: '{% $states.context.Map.Item.Index %}',
            plan: '{% $states.input.plan %}',
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Row kind',
            States: {
              'Row kind': {
                Type: 'Choice',
                Choices: [
                  { Condition: '{% $states.input.plan = "trial" and $states.input.position >= 3 %}', Next: 'Trial limit' },
                  { Condition: '{% $states.input.row.amount = "" %}', Next: 'Skip row' },
                  { Condition: '{% $number($states.input.row.amount) > 1000 %}', Next: 'Hold row' },
                ],
                Default: 'Refund row',
              },
              'Trial limit': { Type: 'Pass', Output: { status: 'stopped' }, End: true },
              'Skip row': { Type: 'Pass', Output: { status: 'skipped' }, End: true },
              'Hold row': { Type: 'Pass', Output: { status: 'held', order: '{% $states.input.row.order %}' }, End: true },
              'Refund row': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('refund-row'), Payload: '{% $states.input.row %}' },
                Output: { status: 'refunded' },
                End: true,
              },
            },
          },
          Output: '{% {"rows": $count($states.result), "held": $count($states.result[status = "held"]), "stopped": $count($states.result[status = "stopped"])} %}',
          Next: 'Summary',
        },
        'Summary': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.rows = 0 %}', Next: 'Empty upload' },
            { Condition: '{% $states.input.stopped > 0 %}', Next: 'Ask to upgrade' },
            { Condition: '{% $states.input.held > 0 %}', Next: 'Tell finance' },
          ],
          Default: 'Refunds done',
        },
        'Ask to upgrade': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('upgrades'), Message: "{% $string($states.input.stopped) & ' rows were not refunded on a trial plan' %}" },
          End: true,
        },
        'Tell finance': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('finance'), Message: "{% $string($states.input.held) & ' refunds held' %}" },
          End: true,
        },
        'Refunds done': { Type: 'Succeed' },
        'Empty upload': { Type: 'Fail', Error: 'Refunds.Empty', Cause: 'the upload holds no rows' },
      },
    });
  },
};

/**
 * Stock counts in a JSON array on S3 (no folder given), each line counted by a Lambda; after the
 * Map, the total counted and the number of distinct warehouses decide: nothing counted is an
 * error, a big count from a single warehouse is audited.
 */
export const jsonStockTotals: ModernMachine = {
  name: 'JsonStockTotals',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Count lines',
      States: {
        'Count lines': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'JSON' },
            Arguments: { Bucket: 'stock-counts', Key: "{% 'counts/' & $states.input.day & '.json' %}" },
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Count line',
            States: {
              'Count line': {
                Type: 'Pass',
                Output: '{% {"warehouse": $states.input.warehouse, "qty": $states.input.qty} %}',
                End: true,
              },
            },
          },
          Output: '{% {"total": $sum($states.result.qty), "warehouses": $count($distinct($states.result.warehouse))} %}',
          Next: 'Totals',
        },
        'Totals': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.total = 0 %}', Next: 'Nothing counted' },
            { Condition: '{% $states.input.total > 100 and $states.input.warehouses = 1 %}', Next: 'Audit warehouse' },
          ],
          Default: 'Store totals',
        },
        'Audit warehouse': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('audit-warehouse'), Payload: '{% $states.input %}' },
          End: true,
        },
        'Store totals': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Arguments: { TableName: 'stock-totals', Item: { total: { N: '{% $string($states.input.total) %}' } } },
          End: true,
        },
        'Nothing counted': { Type: 'Fail', Error: 'Stock.NothingCounted', Cause: 'the counts file held no quantity' },
      },
    });
  },
};

/**
 * Support tickets routed on their text: an outage in the subject pages on-call, an enterprise
 * ticket id goes to its queue, a partner's e-mail address to the partner desk, a long body is
 * summarised first, an order number in the body goes to the order desk, then the category a
 * classifier gives.
 */
export const ticketTextRouter: ModernMachine = {
  name: 'TicketTextRouter',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Classify',
      States: {
        'Classify': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('classify-ticket'), Payload: { body: '{% $states.input.body %}' } },
          Assign: { category: '{% $states.result.Payload.category %}' },
          Output: '{% $states.input %}',
          Next: 'Route ticket',
        },
        'Route ticket': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $contains($lowercase($states.input.subject), "outage") %}', Next: 'Page on-call' },
            { Condition: '{% $substring($states.input.ticketId, 0, 4) = "ENT-" %}', Next: 'Enterprise queue' },
            { Condition: '{% $contains($states.input.email, /@partner\\.example\\.com$/) %}', Next: 'Partner desk' },
            { Condition: '{% $length($states.input.body) > 2000 %}', Next: 'Summarise' },
            { Condition: '{% $count($match($states.input.body, /order #[0-9]{6}/)) > 0 %}', Next: 'Order desk' },
            { Condition: '{% $category = "billing" %}', Next: 'Billing queue' },
          ],
          Default: 'General queue',
        },
        'Page on-call': { Type: 'Task', Resource: SNS, Arguments: { TopicArn: TOPIC('on-call'), Message: '{% $states.input.subject %}' }, End: true },
        'Enterprise queue': { Type: 'Task', Resource: SNS, Arguments: { TopicArn: TOPIC('enterprise'), Message: '{% $states.input.ticketId %}' }, End: true },
        'Partner desk': { Type: 'Task', Resource: SNS, Arguments: { TopicArn: TOPIC('partners'), Message: '{% $states.input.ticketId %}' }, End: true },
        'Summarise': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('summarise-ticket'), Payload: { body: '{% $states.input.body %}' } },
          End: true,
        },
        'Order desk': { Type: 'Task', Resource: SNS, Arguments: { TopicArn: TOPIC('orders'), Message: '{% $states.input.ticketId %}' }, End: true },
        'Billing queue': { Type: 'Task', Resource: SNS, Arguments: { TopicArn: TOPIC('billing'), Message: '{% $states.input.ticketId %}' }, End: true },
        'General queue': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A cart priced by a Lambda (subtotal, shipping, tax and a discount, summed in the Choice): a
 * negative total is a pricing error, over 500 goes to fraud review; then stock is reserved, tried
 * again after 30 seconds until it is, and given up on after the fourth try.
 */
export const cartReserveRetries: ModernMachine = {
  name: 'CartReserveRetries',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Price cart',
      States: {
        'Price cart': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('price-cart'), Payload: { cart: '{% $states.input.cart %}' } },
          Assign: {
            subtotal: '{% $states.result.Payload.subtotal %}',
            shipping: '{% $states.result.Payload.shipping %}',
            tax: '{% $states.result.Payload.tax %}',
            discount: '{% $states.result.Payload.discount %}',
            tries: 0,
          },
          Output: '{% $states.input %}',
          Next: 'Check total',
        },
        'Check total': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $subtotal + $shipping + $tax - $discount < 0 %}', Next: 'Pricing error' },
            { Condition: '{% $subtotal + $shipping + $tax - $discount > 500 %}', Next: 'Fraud review' },
          ],
          Default: 'Reserve stock',
        },
        'Fraud review': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('fraud-review'), Payload: { total: '{% $subtotal + $shipping + $tax - $discount %}' } },
          Output: '{% $states.input %}',
          Next: 'Reserve stock',
        },
        'Reserve stock': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('reserve-stock'), Payload: { cart: '{% $states.input.cart %}' } },
          Assign: { tries: '{% $tries + 1 %}', reserved: '{% $states.result.Payload.reserved %}' },
          Output: '{% $states.input %}',
          Next: 'Reserved?',
        },
        'Reserved?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $reserved = true %}', Next: 'Confirm order' },
            { Condition: '{% $tries >= 4 %}', Next: 'Out of stock' },
          ],
          Default: 'Wait to retry',
        },
        'Wait to retry': { Type: 'Wait', Seconds: 30, Next: 'Reserve stock' },
        'Confirm order': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('orders'), Message: "{% 'reserved after ' & $string($tries) & ' tries' %}" },
          End: true,
        },
        'Out of stock': { Type: 'Fail', Error: 'Cart.OutOfStock', Cause: 'stock was not reserved after four tries' },
        'Pricing error': { Type: 'Fail', Error: 'Cart.PricingError', Cause: 'the cart priced below zero' },
      },
    });
  },
};

/**
 * An account opening checked three ways at once (identity, order history from DynamoDB,
 * sanctions), the branches' answers merged: a sanctions hit rejects, a weak identity score with
 * little history goes to a reviewer by callback (with a heartbeat), whose decision opens,
 * escalates or rejects.
 */
export const parallelKycReview: ModernMachine = {
  name: 'ParallelKycReview',
  shape: 'human approval',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Enrich',
      States: {
        'Enrich': {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Check identity',
              States: {
                'Check identity': {
                  Type: 'Task',
                  Resource: LAMBDA,
                  Arguments: { FunctionName: FN('check-identity'), Payload: { person: '{% $states.input.person %}' } },
                  Output: '{% {"identityScore": $states.result.Payload.score} %}',
                  End: true,
                },
              },
            },
            {
              StartAt: 'Load history',
              States: {
                'Load history': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::dynamodb:getItem',
                  Arguments: { TableName: 'customers', Key: { email: { S: '{% $states.input.person.email %}' } } },
                  Output: '{% {"orders": $exists($states.result.Item) ? $number($states.result.Item.orders.N) : 0} %}',
                  End: true,
                },
              },
            },
            {
              StartAt: 'Screen sanctions',
              States: {
                'Screen sanctions': {
                  Type: 'Task',
                  Resource: LAMBDA,
                  Arguments: { FunctionName: FN('screen-sanctions'), Payload: { person: '{% $states.input.person %}' } },
                  Output: '{% {"hit": $states.result.Payload.matches > 0} %}',
                  End: true,
                },
              },
            },
          ],
          Output: '{% $merge($append($states.result, {"person": $states.input.person})) %}',
          Next: 'Assess',
        },
        'Assess': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.hit %}', Next: 'Reject' },
            { Condition: '{% $states.input.identityScore + $states.input.orders * 2 < 60 %}', Next: 'Ask reviewer' },
          ],
          Default: 'Open account',
        },
        'Ask reviewer': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: FN('kyc-review'), Payload: { token: '{% $states.context.Task.Token %}', person: '{% $states.input.person %}' } },
          HeartbeatSeconds: 3600,
          TimeoutSeconds: 172800,
          Output: '{% $merge([$states.input, {"decision": $states.result.decision}]) %}',
          Catch: [{ ErrorEquals: ['States.HeartbeatTimeout', 'States.Timeout'], Next: 'Escalate' }],
          Next: 'Reviewer said?',
        },
        'Reviewer said?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $uppercase($states.input.decision) = "OPEN" %}', Next: 'Open account' },
            { Condition: '{% $states.input.decision = "escalate" %}', Next: 'Escalate' },
          ],
          Default: 'Reject',
        },
        'Open account': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Arguments: { TableName: 'accounts', Item: { email: { S: '{% $states.input.person.email %}' } } },
          End: true,
        },
        'Escalate': {
          Type: 'Task',
          Resource: SNS,
          Arguments: { TopicArn: TOPIC('kyc-escalations'), Message: '{% $states.input.person.email %}' },
          End: true,
        },
        'Reject': { Type: 'Fail', Error: 'Kyc.Rejected', Cause: 'the account was not opened' },
      },
    });
  },
};

/**
 * A SageMaker training job started then polled every five minutes on the status its contract
 * enumerates (InProgress, Completed, Failed, Stopping, Stopped): a completed job whose accuracy
 * metric reaches 0.9 is registered, a lower one retrained once with more epochs, a stopped or
 * failed job reported.
 */
export const trainingJobGate: ModernMachine = {
  name: 'TrainingJobGate',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'First run',
      States: {
        'First run': { Type: 'Pass', Assign: { epochs: 10, dataset: '{% $states.input.dataset %}' }, Next: 'Start training' },
        'Start training': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('start-training'), Payload: { dataset: '{% $dataset %}', epochs: '{% $epochs %}' } },
          Assign: { job: '{% $states.result.Payload.jobName %}' },
          Next: 'Wait for training',
        },
        'Wait for training': { Type: 'Wait', Seconds: 300, Next: 'Describe job' },
        'Describe job': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sagemaker:describeTrainingJob',
          Arguments: { TrainingJobName: '{% $job %}' },
          Assign: { status: '{% $states.result.TrainingJobStatus %}' },
          Next: 'Job status?',
        },
        'Job status?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $status = "Completed" and $states.input.FinalMetricDataList[MetricName = "validation:accuracy"].Value >= 0.9 %}', Next: 'Register model' },
            { Condition: '{% $status = "Completed" and $epochs < 20 %}', Next: 'More epochs' },
            { Condition: '{% $status in ["Failed", "Stopped"] %}', Next: 'Training failed' },
            { Condition: '{% $status = "Completed" %}', Next: 'Training failed' },
          ],
          Default: 'Wait for training',
        },
        'More epochs': { Type: 'Pass', Assign: { epochs: '{% $epochs * 2 %}' }, Next: 'Start training' },
        'Register model': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('register-model'), Payload: { job: '{% $job %}', metrics: '{% $states.input.FinalMetricDataList %}' } },
          End: true,
        },
        'Training failed': { Type: 'Fail', Error: 'Training.Failed', Cause: "{% 'training ended ' & $status %}" },
      },
    });
  },
};
