/*
 * Machines in idioms the corpus lacked (issue 77, explore round 4, third pass): checks run on
 * every item of a Map and compared, as a count of the results whose `ok` holds, with the count of
 * items a variable keeps; a charge whose one Catch takes a single error name before a Choice on
 * it (its Default unreachable, proved); a job polled until its status is one of four values; a
 * reminder waiting until the time a Task answers (`TimestampPath`), then `States.ArrayContains`
 * in a Pass and a Choice on it; a profile routed by `$exists` and `$type`; a Parallel inside each
 * iteration of a Map, caught there; a Distributed Map over a CSV file with a header row, its
 * batches given a BatchInput, its results written to S3; and the `$sum` of a Map's results
 * against a limit in the input.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const LAMBDA = 'arn:aws:states:::lambda:invoke';

/** Certificates renewed one by one; all renewed when the count of `ok` results is the count assigned before. */
export const certificateRenewals: ModernMachine = {
  name: 'CertificateRenewals',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Count certificates',
      States: {
        'Count certificates': { Type: 'Pass', Assign: { expected: '{% $count($states.input.certificates) %}' }, Next: 'Any due?' },
        'Any due?': { Type: 'Choice', Choices: [{ Condition: '{% $expected > 0 %}', Next: 'Renew each' }], Default: 'Nothing due' },
        'Nothing due': { Type: 'Succeed' },
        'Renew each': {
          Type: 'Map',
          Items: '{% $states.input.certificates %}',
          MaxConcurrency: 4,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Renew',
            States: {
              Renew: {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('renew-certificate'), Payload: { domain: '{% $states.input.domain %}' } },
                Output: '{% $states.result.Payload %}',
                Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
                End: true,
              },
            },
          },
          Output: { results: '{% $states.result %}' },
          Next: 'All renewed?',
        },
        'All renewed?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $count($states.input.results[ok]) = $expected %}', Next: 'Renewed' }],
          Default: 'Alert operators',
        },
        'Renewed': { Type: 'Succeed' },
        'Alert operators': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:certs', Message: "{% $string($count($states.input.results[$not(ok)])) & ' renewals failed' %}" },
          End: true,
        },
      },
    });
  },
};

/** A card charged, a decline caught by name and routed on it; any other name (which the Catch never delivers) to a Default. */
export const declinedChargeRouting: ModernMachine = {
  name: 'DeclinedChargeRouting',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Charge card',
      States: {
        'Charge card': {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { FunctionName: FN('charge-card'), 'Payload.$': '$' },
          ResultSelector: { 'chargeId.$': '$.Payload.chargeId' },
          ResultPath: '$.charge',
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 3, IntervalSeconds: 1 }],
          Catch: [{ ErrorEquals: ['Payment.Declined'], ResultPath: '$.failure', Next: 'Why declined?' }],
          Next: 'Charged',
        },
        'Why declined?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.failure.Error', StringEquals: 'Payment.Declined', Next: 'Ask for another card' }],
          Default: 'Unexpected failure',
        },
        'Ask for another card': { Type: 'Fail', Error: 'Checkout.CardDeclined' },
        'Unexpected failure': { Type: 'Fail', Error: 'Checkout.Unexpected' },
        'Charged': { Type: 'Succeed' },
      },
    });
  },
};

/** A transcoding job polled until its status is SUCCEEDED, FAILED or CANCELLED; RUNNING and QUEUED poll again, up to 10 times. */
export const transcodeStatusPoll: ModernMachine = {
  name: 'TranscodeStatusPoll',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start job',
      States: {
        'Start job': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('start-transcode'), Payload: '{% $states.input %}' },
          Assign: { jobId: '{% $states.result.Payload.jobId %}', polls: 0 },
          Next: 'Get status',
        },
        'Get status': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('transcode-status'), Payload: { jobId: '{% $jobId %}' } },
          Output: '{% $states.result.Payload %}',
          Assign: { polls: '{% $polls + 1 %}', status: '{% $states.result.Payload.Status %}' },
          Next: 'Done yet?',
        },
        'Done yet?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $status = 'SUCCEEDED' %}", Next: 'Finished' },
            { Condition: "{% $status = 'FAILED' %}", Next: 'Job failed' },
            { Condition: "{% $status = 'CANCELLED' %}", Next: 'Cancelled' },
            { Condition: "{% $status in ['RUNNING', 'QUEUED'] and $polls < 10 %}", Next: 'Wait' },
          ],
          Default: 'Gave up',
        },
        'Wait': { Type: 'Wait', Seconds: 30, Next: 'Get status' },
        'Finished': { Type: 'Succeed' },
        'Job failed': { Type: 'Fail', Error: 'Transcode.Failed' },
        'Cancelled': { Type: 'Fail', Error: 'Transcode.Cancelled' },
        'Gave up': { Type: 'Fail', Error: 'Transcode.Timeout' },
      },
    });
  },
};

/** A reminder booked, waited for until the time the booking answers, then VIP guests (a tag) called, others emailed. */
export const reminderAtDueTime: ModernMachine = {
  name: 'ReminderAtDueTime',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Book reminder',
      States: {
        'Book reminder': {
          Type: 'Task',
          Resource: LAMBDA,
          Parameters: { FunctionName: FN('book-reminder'), 'Payload.$': '$' },
          ResultSelector: { 'dueAt.$': '$.Payload.dueAt', 'bookingId.$': '$.Payload.bookingId' },
          ResultPath: '$.booking',
          Next: 'Wait until due',
        },
        'Wait until due': { Type: 'Wait', TimestampPath: '$.booking.dueAt', Next: 'Read tags' },
        'Read tags': {
          Type: 'Pass',
          Parameters: { 'vip.$': "States.ArrayContains($.tags, 'vip')", 'bookingId.$': '$.booking.bookingId' },
          Next: 'VIP?',
        },
        'VIP?': { Type: 'Choice', Choices: [{ Variable: '$.vip', BooleanEquals: true, Next: 'Call guest' }], Default: 'Email guest' },
        'Call guest': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/calls', 'MessageBody.$': '$' },
          End: true,
        },
        'Email guest': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sesv2:sendEmail',
          Parameters: { FromEmailAddress: 'desk@example.com', Destination: { ToAddresses: ['guest@example.com'] }, Content: { Simple: { Subject: { Data: 'Reminder' }, Body: { Text: { 'Data.$': '$.bookingId' } } } } },
          End: true,
        },
      },
    });
  },
};

/** A profile looked up and routed by what it holds: no email, a beta tag, a numeric score over 50, a score given as text. */
export const profileKindsRoute: ModernMachine = {
  name: 'ProfileKindsRoute',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Look up profile',
      States: {
        'Look up profile': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('lookup-profile'), Payload: '{% $states.input %}' },
          Output: "{% $merge([$states.input, {'profile': $states.result.Payload}]) %}",
          Next: 'Route',
        },
        'Route': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $not($exists($states.input.profile.email)) %}', Next: 'Ask for email' },
            { Condition: "{% $type($states.input.profile.tags) = 'array' and 'beta' in $states.input.profile.tags %}", Next: 'Beta welcome' },
            { Condition: "{% $type($states.input.profile.score) = 'number' and $states.input.profile.score > 50 %}", Next: 'Priority welcome' },
            { Condition: "{% $type($states.input.profile.score) = 'string' %}", Next: 'Fix score' },
          ],
          Default: 'Plain welcome',
        },
        'Ask for email': { Type: 'Succeed' },
        'Beta welcome': { Type: 'Succeed' },
        'Priority welcome': { Type: 'Succeed' },
        'Fix score': { Type: 'Fail', Error: 'Profile.ScoreIsText' },
        'Plain welcome': { Type: 'Succeed' },
      },
    });
  },
};

/** Each order enriched by a Parallel inside the Map's iteration (customer, stock), caught there; a Choice on the statuses after. */
export const orderEnrichmentFanOut: ModernMachine = {
  name: 'OrderEnrichmentFanOut',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Each order',
      States: {
        'Each order': {
          Type: 'Map',
          Items: '{% $states.input.orders %}',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Enrich',
            States: {
              'Enrich': {
                Type: 'Parallel',
                Branches: [
                  {
                    StartAt: 'Customer',
                    States: {
                      Customer: {
                        Type: 'Task',
                        Resource: 'arn:aws:states:::dynamodb:getItem',
                        Arguments: { TableName: 'Customers', Key: { id: { S: '{% $states.input.customerId %}' } } },
                        Output: '{% $states.result.Item %}',
                        End: true,
                      },
                    },
                  },
                  {
                    StartAt: 'Stock',
                    States: {
                      Stock: {
                        Type: 'Task',
                        Resource: LAMBDA,
                        Arguments: { FunctionName: FN('stock-level'), Payload: '{% $states.input %}' },
                        Output: '{% $states.result.Payload %}',
                        End: true,
                      },
                    },
                  },
                ],
                Output: { customer: '{% $states.result[0] %}', inStock: '{% $states.result[1].available > 0 %}' },
                Catch: [{ ErrorEquals: ['States.ALL'], Output: { error: '{% $states.errorOutput.Error %}' }, Next: 'Mark failed' }],
                Next: 'In stock?',
              },
              'In stock?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.inStock %}', Next: 'Ready' }], Default: 'Backorder' },
              'Ready': { Type: 'Pass', Output: { status: 'READY' }, End: true },
              'Backorder': { Type: 'Pass', Output: { status: 'BACKORDER' }, End: true },
              'Mark failed': { Type: 'Pass', Output: { status: 'FAILED', error: '{% $states.input.error %}' }, End: true },
            },
          },
          Next: 'Any failed?',
        },
        'Any failed?': { Type: 'Choice', Choices: [{ Condition: "{% 'FAILED' in $states.input.status %}", Next: 'Report failures' }], Default: 'All enriched' },
        'Report failures': { Type: 'Succeed' },
        'All enriched': { Type: 'Succeed' },
      },
    });
  },
};

/** Rows of a CSV file with a header row loaded in batches by a Distributed Map, each batch given the import id; results written to S3. */
export const csvBatchImport: ModernMachine = {
  name: 'CsvBatchImport',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Import rows',
      States: {
        'Import rows': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
            Arguments: { Bucket: 'imports', Key: '{% $states.input.key %}' },
          },
          ItemBatcher: { MaxItemsPerBatch: 50, BatchInput: { importId: '{% $states.input.importId %}' } },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Load batch',
            States: {
              'Load batch': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('load-rows'), Payload: { importId: '{% $states.input.BatchInput.importId %}', rows: '{% $states.input.Items %}' } },
                Output: '{% $states.result.Payload %}',
                Next: 'Rejected?',
              },
              'Rejected?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.rejected > 0 %}', Next: 'Reject batch' }], Default: 'Batch loaded' },
              'Reject batch': { Type: 'Fail', Error: 'Batch.Rejected' },
              'Batch loaded': { Type: 'Succeed' },
            },
          },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Arguments: { Bucket: 'imports', Prefix: 'results' } },
          ToleratedFailurePercentage: 10,
          Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Output: { cause: '{% $states.errorOutput.Cause %}' }, Next: 'Too many rejected' }],
          Output: { written: '{% $states.result.ResultWriterDetails.Key %}', importId: '{% $states.input.importId %}' },
          Next: 'Imported',
        },
        'Too many rejected': { Type: 'Fail', Error: 'Import.TooManyRejected' },
        'Imported': { Type: 'Succeed' },
      },
    });
  },
};

/** Lines priced one by one; the sum of the amounts over the credit limit the input gives needs approval. */
export const creditLimitTotal: ModernMachine = {
  name: 'CreditLimitTotal',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Price lines',
      States: {
        'Price lines': {
          Type: 'Map',
          Items: '{% $states.input.lines %}',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Price line',
            States: {
              'Price line': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('price-line'), Payload: '{% $states.input %}' },
                Output: '{% $states.result.Payload %}',
                End: true,
              },
            },
          },
          Assign: { total: '{% $sum($states.result.amount) %}', limit: '{% $states.input.creditLimit %}' },
          Next: 'Over limit?',
        },
        'Over limit?': { Type: 'Choice', Choices: [{ Condition: '{% $total > $limit %}', Next: 'Needs approval' }], Default: 'Approved' },
        'Needs approval': { Type: 'Succeed' },
        'Approved': { Type: 'Succeed' },
      },
    });
  },
};
