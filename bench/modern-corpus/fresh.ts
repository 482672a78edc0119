/*
 * Machines written blind for explore round 4 (issue 77), before reading how explore works, in the
 * idioms the held machines use: a claim triaged by constants kept in `Assign` and looked up with
 * `$lookup`, a reference checked with `$match`, a policy prefix read with `$substring`; a Distributed
 * Map over an S3 listing given no folder whose later states count its results and read an item's
 * index; a CSV read by a Distributed Map whose rows carry their line number; a travel Saga whose
 * error-handling Choice reads the error output's Cause (a Lambda's JSON `errorType` through `$parse`);
 * an approval passed up a chain of approvers by timeouts, three turns to give up; a build polled with
 * a backoff computed in `Assign`, five turns to stop waiting; a loan pre-qualified from three
 * branches joined by `$merge`, with a debt-to-income ratio computed from several fields; and a
 * generated text passed through a Bedrock guardrail, then labelled by a model whose JSON answer is
 * parsed.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const INVOKE_MODEL = 'arn:aws:states:::bedrock:invokeModel';
const HTTP = 'arn:aws:states:::http:invoke';

/**
 * An insurance claim: limits per category kept as constants, the net amount (claimed less the
 * deductible) compared with the category's limit, a claim reference that must match a pattern, a
 * gold policy (its number starts with `GLD`) fast-tracked, long notes summarized.
 */
export const freshClaimTriage: ModernMachine = {
  name: 'FreshClaimTriage',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Limits',
      States: {
        'Limits': {
          Type: 'Pass',
          Assign: { limits: { auto: 5000, home: 20000, travel: 1500 }, claim: '{% $states.input %}' },
          Next: 'Classify',
        },
        'Classify': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('classify-claim'), Payload: { claim: '{% $claim %}' } },
          Assign: {
            category: '{% $states.result.Payload.category %}',
            net: '{% $states.result.Payload.amount - $states.result.Payload.deductible %}',
            notes: '{% $states.result.Payload.notes %}',
          },
          Next: 'Reference valid?',
        },
        'Reference valid?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $count($match($claim.ref, /^CLM-[0-9]{6}$/)) = 0 %}', Next: 'Bad reference' },
            { Condition: '{% $not($exists($lookup($limits, $category))) %}', Next: 'Unknown category' },
            { Condition: '{% $net > $lookup($limits, $category) %}', Next: 'Escalate' },
            { Condition: "{% $substring($claim.policy, 0, 3) = 'GLD' %}", Next: 'Fast track' },
            { Condition: '{% $length($notes) > 200 %}', Next: 'Summarize notes' },
          ],
          Default: 'Settle',
        },
        'Bad reference': { Type: 'Fail', Error: 'Claim.BadReference', Cause: "{% 'not a claim reference: ' & $claim.ref %}" },
        'Unknown category': { Type: 'Fail', Error: 'Claim.UnknownCategory' },
        'Escalate': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:claims-escalated', Message: "{% 'claim ' & $claim.ref & ' over the limit by ' & $string($net - $lookup($limits, $category)) %}" },
          End: true,
        },
        'Fast track': { Type: 'Pass', Output: { route: 'fast' }, Next: 'Settle' },
        'Summarize notes': {
          Type: 'Task',
          Resource: INVOKE_MODEL,
          Arguments: {
            ModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
            Body: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 300, messages: [{ role: 'user', content: "{% 'Summarize: ' & $notes %}" }] },
          },
          Assign: { notes: '{% $states.result.Body.content[0].text %}' },
          Next: 'Settle',
        },
        'Settle': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Arguments: { TableName: 'Claims', Item: { ref: { S: '{% $claim.ref %}' }, net: { N: '{% $string($net) %}' }, notes: { S: '{% $notes %}' } } },
          End: true,
        },
      },
    });
  },
};

/**
 * Invoices listed under a prefix of an S3 bucket and each sent to a function by a Distributed Map
 * (no folder is given, so the items are made up); a large object is skipped by a Choice inside;
 * after the Map, an empty listing, any failed invoice and a big batch each go their own way, and the
 * first result's index is logged.
 */
export const freshInvoiceListing: ModernMachine = {
  name: 'FreshInvoiceListing',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Invoices',
      States: {
        'Invoices': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:listObjectsV2',
            Arguments: { Bucket: 'invoices-inbox', Prefix: "{% $states.input.day & '/' %}" },
          },
          ItemSelector: {
            index: '{% $states.context.Map.Item.Index %}',
            key: '{% $states.context.Map.Item.Value.Key %}',
            size: '{% $states.context.Map.Item.Value.Size %}',
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Too big?',
            States: {
              'Too big?': {
                Type: 'Choice',
                Choices: [{ Condition: '{% $states.input.size > 5000000 %}', Next: 'Skip' }],
                Default: 'Book invoice',
              },
              'Skip': { Type: 'Pass', Output: "{% {'index': $states.input.index, 'status': 'SKIPPED'} %}", End: true },
              'Book invoice': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: FN('book-invoice'), Payload: { key: '{% $states.input.key %}' } },
                Output: "{% {'index': $states.input.index, 'status': $states.result.Payload.status} %}",
                End: true,
              },
            },
          },
          MaxConcurrency: 20,
          Output: "{% {'count': $count($states.result), 'failed': $count($states.result[status = 'FAILED']), 'first': $states.result[0].index} %}",
          Next: 'Summary',
        },
        'Summary': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.count = 0 %}', Next: 'Nothing to do' },
            { Condition: '{% $states.input.failed > 0 %}', Next: 'Report failures' },
            { Condition: '{% $states.input.count >= 3 %}', Next: 'Big batch' },
          ],
          Default: 'Done',
        },
        'Nothing to do': { Type: 'Succeed' },
        'Report failures': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:finance', Message: "{% $string($states.input.failed) & ' invoices failed' %}" },
          End: true,
        },
        'Big batch': {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Arguments: { Entries: [{ Source: 'invoices', DetailType: 'BigBatch', Detail: { count: '{% $states.input.count %}', first: '{% $states.input.first %}' } }] },
          End: true,
        },
        'Done': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * Stock counts read from a CSV by a Distributed Map (no folder given); each row carries its line
 * number (the index plus two, past the header); a row's value is the count times the unit cost,
 * a high one is recounted, the header's first data line is checked for a format marker.
 */
export const freshStockCount: ModernMachine = {
  name: 'FreshStockCount',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Rows',
      States: {
        'Rows': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
            Arguments: { Bucket: 'stock-counts', Key: "{% 'counts/' & $states.input.store & '.csv' %}" },
          },
          ItemSelector: {
            line: '{% $states.context.Map.Item.Index + 2 %}',
            row: '{% $states.context.Map.Item.Value %}',
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Check row',
            States: {
              'Check row': {
                Type: 'Choice',
                Choices: [
                  { Condition: "{% $states.input.line = 2 and $states.input.row.sku = 'FORMAT-V2' %}", Next: 'Format marker' },
                  { Condition: '{% $number($states.input.row.count) * $number($states.input.row.unitCost) > 10000 %}', Next: 'Recount' },
                ],
                Default: 'Record',
              },
              'Format marker': { Type: 'Pass', Output: { kind: 'marker' }, End: true },
              'Recount': {
                Type: 'Task',
                Resource: 'arn:aws:states:::sqs:sendMessage',
                Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/recounts', MessageBody: '{% $states.input %}' },
                Output: { kind: 'recount' },
                End: true,
              },
              'Record': {
                Type: 'Task',
                Resource: 'arn:aws:states:::dynamodb:putItem',
                Arguments: { TableName: 'Stock', Item: { sku: { S: '{% $states.input.row.sku %}' }, count: { N: '{% $states.input.row.count %}' } } },
                Output: { kind: 'recorded' },
                End: true,
              },
            },
          },
          ToleratedFailurePercentage: 5,
          Output: "{% {'recounts': $count($states.result[kind = 'recount'])} %}",
          Next: 'Any recounts?',
        },
        'Any recounts?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.recounts > 0 %}', Next: 'Hold the books' }],
          Default: 'Close the count',
        },
        'Hold the books': { Type: 'Fail', Error: 'Stock.RecountNeeded' },
        'Close the count': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A trip booked as a Saga: a flight, a hotel, then the card charged; each step's failure is caught
 * with the error output merged into the state's input, and a Choice reads it: a sold-out Lambda
 * error (its Cause is the function's JSON, `errorType` inside), a payment decline named in the
 * Cause, a timeout; the bookings made are undone in reverse.
 */
export const freshTripSaga: ModernMachine = {
  name: 'FreshTripSaga',
  shape: 'order saga',
  build(stack) {
    const caught = (next: string) => [{
      ErrorEquals: ['States.ALL'],
      Output: "{% $merge([$states.input, {'error': $states.errorOutput}]) %}",
      Next: next,
    }];
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Book flight',
      States: {
        'Book flight': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('book-flight'), Payload: { trip: '{% $states.input.tripId %}', from: '{% $states.input.from %}', to: '{% $states.input.to %}' } },
          Output: "{% $merge([$states.input, {'flight': $states.result.Payload.bookingRef}]) %}",
          Catch: caught('Why did it fail?'),
          Next: 'Book hotel',
        },
        'Book hotel': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('book-hotel'), Payload: { trip: '{% $states.input.tripId %}', city: '{% $states.input.to %}' } },
          Output: "{% $merge([$states.input, {'hotel': $states.result.Payload.bookingRef}]) %}",
          Catch: caught('Why did it fail?'),
          Next: 'Charge card',
        },
        'Charge card': {
          Type: 'Task',
          Resource: HTTP,
          Arguments: {
            ApiEndpoint: 'https://payments.example.com/charges',
            Method: 'POST',
            Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/payments/abc' },
            RequestBody: { trip: '{% $states.input.tripId %}', amount: '{% $states.input.total %}' },
          },
          TimeoutSeconds: 30,
          Output: '{% $states.input %}',
          Catch: caught('Why did it fail?'),
          Next: 'Booked',
        },
        'Booked': { Type: 'Succeed' },
        'Why did it fail?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.error.Error = 'States.Timeout' %}", Next: 'Try again later' },
            { Condition: "{% $contains($states.input.error.Cause, 'card_declined') %}", Next: 'Card declined' },
            {
              Condition: "{% $states.input.error.Error = 'SoldOut' or ($exists($states.input.error.Cause) and $contains($states.input.error.Cause, '\"errorType\":\"SoldOut\"')) %}",
              Next: 'Sold out',
            },
          ],
          Default: 'Undo hotel',
        },
        'Try again later': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/trip-retries', MessageBody: '{% $states.input %}' },
          Output: '{% $states.input %}',
          Next: 'Undo hotel',
        },
        'Card declined': { Type: 'Pass', Assign: { reason: 'card' }, Next: 'Undo hotel' },
        'Sold out': { Type: 'Pass', Assign: { reason: 'sold out' }, Next: 'Undo hotel' },
        'Undo hotel': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $exists($states.input.hotel) %}', Next: 'Cancel hotel' }],
          Default: 'Undo flight',
        },
        'Cancel hotel': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('cancel-hotel'), Payload: { ref: '{% $states.input.hotel %}' } },
          Output: '{% $states.input %}',
          Next: 'Undo flight',
        },
        'Undo flight': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $exists($states.input.flight) %}', Next: 'Cancel flight' }],
          Default: 'Trip failed',
        },
        'Cancel flight': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('cancel-flight'), Payload: { ref: '{% $states.input.flight %}' } },
          Output: '{% $states.input %}',
          Next: 'Trip failed',
        },
        'Trip failed': { Type: 'Fail', Error: 'Trip.Failed', Cause: '{% $states.input.error.Error %}' },
      },
    });
  },
};

/**
 * A purchase approved by a chain of approvers: each is asked through a queue with a task token and
 * given a day; a timeout passes it to the next; when the chain runs out (three timeouts) it is
 * rejected; an approval for less than nine tenths of the amount asked is a partial approval.
 */
export const freshApprovalChain: ModernMachine = {
  name: 'FreshApprovalChain',
  shape: 'human approval',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        'Start': {
          Type: 'Pass',
          Assign: { round: 0, approvers: ['team-lead', 'director', 'vice-president'], amount: '{% $states.input.amount %}' },
          Next: 'Ask approver',
        },
        'Ask approver': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Arguments: {
            QueueUrl: "{% 'https://sqs.us-east-1.amazonaws.com/123456789012/approvals-' & $approvers[$round] %}",
            MessageBody: { amount: '{% $amount %}', token: '{% $states.context.Task.Token %}' },
          },
          TimeoutSeconds: 86400,
          Catch: [{ ErrorEquals: ['States.Timeout'], Assign: { round: '{% $round + 1 %}' }, Next: 'Anyone left?' }],
          Next: 'Decision',
        },
        'Anyone left?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $round < $count($approvers) %}', Next: 'Ask approver' }],
          Default: 'Nobody answered',
        },
        'Nobody answered': { Type: 'Fail', Error: 'Approval.NoAnswer' },
        'Decision': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $lowercase($states.input.decision) = 'rejected' %}", Next: 'Rejected' },
            { Condition: "{% $lowercase($states.input.decision) = 'approved' and $states.input.approvedAmount >= $amount * 0.9 %}", Next: 'Approved' },
            { Condition: "{% $lowercase($states.input.decision) = 'approved' and $length($states.input.comment) > 0 %}", Next: 'Partly approved' },
          ],
          Default: 'Ask approver',
        },
        'Rejected': { Type: 'Fail', Error: 'Approval.Rejected', Cause: "{% 'rejected by ' & $approvers[$round] %}" },
        'Approved': { Type: 'Succeed' },
        'Partly approved': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:purchases', Message: '{% $states.input.comment %}' },
          End: true,
        },
      },
    });
  },
};

/**
 * A build started in CodeBuild and polled with a backoff doubling from five seconds to a minute;
 * the build's status (CodeBuild's enum) decides; five polls of a build still in progress stop the
 * wait.
 */
export const freshBuildPoller: ModernMachine = {
  name: 'FreshBuildPoller',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start build',
      States: {
        'Start build': {
          Type: 'Task',
          Resource: 'arn:aws:states:::codebuild:startBuild',
          Arguments: { ProjectName: 'web-app', SourceVersion: '{% $states.input.commit %}' },
          Assign: { buildId: '{% $states.result.Build.Id %}', delay: 5, polls: 0 },
          Next: 'Wait',
        },
        'Wait': { Type: 'Wait', Seconds: '{% $delay %}', Next: 'Get build' },
        'Get build': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:codebuild:batchGetBuilds',
          Arguments: { Ids: ['{% $buildId %}'] },
          Assign: {
            status: '{% $states.result.Builds[0].BuildStatus %}',
            polls: '{% $polls + 1 %}',
            delay: '{% $min([$delay * 2, 60]) %}',
          },
          Next: 'Build done?',
        },
        'Build done?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $status = 'SUCCEEDED' %}", Next: 'Deploy' },
            { Condition: "{% $status in ['FAILED', 'FAULT'] %}", Next: 'Build failed' },
            { Condition: "{% $status = 'IN_PROGRESS' and $polls >= 5 %}", Next: 'Too slow' },
            { Condition: "{% $status = 'IN_PROGRESS' %}", Next: 'Wait' },
          ],
          Default: 'Build stopped',
        },
        'Deploy': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('deploy'), Payload: { build: '{% $buildId %}' } },
          End: true,
        },
        'Build failed': { Type: 'Fail', Error: 'Build.Failed', Cause: '{% $buildId %}' },
        'Too slow': { Type: 'Fail', Error: 'Build.TooSlow' },
        'Build stopped': { Type: 'Fail', Error: 'Build.Stopped', Cause: '{% $status %}' },
      },
    });
  },
};

/**
 * A loan pre-qualified from three sources at once (a credit bureau over HTTP, income from a
 * function, existing accounts from a DynamoDB query), merged; the debt-to-income ratio is the
 * monthly debts' sum over a twelfth of the income; a low score or a high ratio declines, a high
 * score with a low ratio and an existing account approves at once.
 */
export const freshLoanPrequal: ModernMachine = {
  name: 'FreshLoanPrequal',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Gather',
      States: {
        'Gather': {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Bureau',
              States: {
                'Bureau': {
                  Type: 'Task',
                  Resource: HTTP,
                  Arguments: {
                    ApiEndpoint: 'https://bureau.example.com/scores',
                    Method: 'POST',
                    Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/bureau/abc' },
                    RequestBody: { ssn: '{% $states.input.ssn %}' },
                  },
                  Output: "{% {'score': $states.result.ResponseBody.score} %}",
                  End: true,
                },
              },
            },
            {
              StartAt: 'Income',
              States: {
                'Income': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Arguments: { FunctionName: FN('income'), Payload: { applicant: '{% $states.input.applicantId %}' } },
                  Output: "{% {'income': $states.result.Payload.annualIncome, 'debts': $states.result.Payload.debts} %}",
                  End: true,
                },
              },
            },
            {
              StartAt: 'Accounts',
              States: {
                'Accounts': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
                  Arguments: {
                    TableName: 'Accounts',
                    KeyConditionExpression: 'applicant = :a',
                    ExpressionAttributeValues: { ':a': { S: '{% $states.input.applicantId %}' } },
                  },
                  Output: "{% {'accounts': $states.result.Count} %}",
                  End: true,
                },
              },
            },
          ],
          Output: '{% $merge($states.result) %}',
          Assign: { dti: '{% $sum($states.result[1].debts.monthly) / ($states.result[1].income / 12) %}' },
          Next: 'Qualify',
        },
        'Qualify': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.score < 580 %}', Next: 'Decline' },
            { Condition: '{% $dti > 0.43 %}', Next: 'Decline' },
            { Condition: '{% $states.input.score >= 740 and $dti < 0.3 and $states.input.accounts > 0 %}', Next: 'Instant approval' },
          ],
          Default: 'Underwriter',
        },
        'Decline': { Type: 'Fail', Error: 'Loan.Declined' },
        'Instant approval': { Type: 'Succeed' },
        'Underwriter': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/underwriting', MessageBody: "{% $merge([$states.input, {'dti': $dti}]) %}" },
          End: true,
        },
      },
    });
  },
};

/**
 * A reply drafted by a model, passed through a Bedrock guardrail (its Action is the service's
 * enum), then labelled by a second model whose text answer is JSON, parsed: spam or a scam
 * (matched case-blind) is quarantined, a low confidence goes to a person through a callback.
 */
export const freshGuardedLabel: ModernMachine = {
  name: 'FreshGuardedLabel',
  shape: 'document pipeline',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Draft',
      States: {
        'Draft': {
          Type: 'Task',
          Resource: INVOKE_MODEL,
          Arguments: {
            ModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
            Body: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 400, messages: [{ role: 'user', content: '{% $states.input.question %}' }] },
          },
          Assign: { text: '{% $states.result.Body.content[0].text %}' },
          Next: 'Guardrail',
        },
        'Guardrail': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:bedrockruntime:applyGuardrail',
          Arguments: { GuardrailIdentifier: 'replies', GuardrailVersion: '1', Source: 'OUTPUT', Content: [{ Text: { Text: '{% $text %}' } }] },
          Next: 'Blocked?',
        },
        'Blocked?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $states.input.Action = 'GUARDRAIL_INTERVENED' %}", Next: 'Blocked' }],
          Default: 'Label',
        },
        'Blocked': { Type: 'Fail', Error: 'Reply.Blocked' },
        'Label': {
          Type: 'Task',
          Resource: INVOKE_MODEL,
          Arguments: {
            ModelId: 'amazon.nova-micro-v1:0',
            Body: { inputText: "{% 'Label as JSON {label, confidence}: ' & $text %}" },
          },
          Output: '{% $parse($states.result.Body.results[0].outputText) %}',
          Next: 'Which label?',
        },
        'Which label?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $contains($states.input.label, /^(spam|scam)/i) %}', Next: 'Quarantine' },
            { Condition: '{% $states.input.confidence < 0.6 %}', Next: 'Ask a person' },
          ],
          Default: 'Send',
        },
        'Quarantine': { Type: 'Pass', End: true },
        'Ask a person': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: FN('review-queue'), Payload: { text: '{% $text %}', token: '{% $states.context.Task.Token %}' } },
          Next: 'Send',
        },
        'Send': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:replies', Message: '{% $text %}' },
          End: true,
        },
      },
    });
  },
};
