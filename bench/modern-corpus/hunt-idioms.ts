/*
 * Machines written for the explore round 4 hunt (issue 77), in idioms people write today that the
 * corpus lacked: a Distributed Map over CSV with a ResultWriter and its manifest, a counter with a
 * StartTime deadline, `$match` / `$contains` routes, `$type`, an SQS callback approval with a
 * timeout, and a Parallel whose Catch routes on the error output.
 */
import type { ModernMachine } from './common';
import { fromAsl } from './flows';

/**
 * A Distributed Map over a CSV file, each row given to its child with its line number
 * (`$states.context.Map.Item.Value`, `Item.Index`), its results written to S3 by a ResultWriter;
 * the manifest AWS writes there read back, and a Choice on how many result files hold failures.
 */
export const huntCsvManifest: ModernMachine = {
  name: 'HuntCsvManifest',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Process rows',
      States: {
        'Process rows': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
            Arguments: { Bucket: '{% $states.input.bucket %}', Key: '{% $states.input.key %}' },
          },
          ItemSelector: { row: '{% $states.context.Map.Item.Value %}', line: '{% $states.context.Map.Item.Index + 2 %}' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Upsert',
            States: {
              Upsert: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: {
                  FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:upsert',
                  Payload: '{% $states.input %}',
                },
                Output: '{% $states.result.Payload %}',
                End: true,
              },
            },
          },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Arguments: { Bucket: 'results-bucket', Prefix: 'runs' } },
          ToleratedFailurePercentage: 10,
          Next: 'Read manifest',
        },
        'Read manifest': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
          Arguments: {
            Bucket: '{% $states.input.ResultWriterDetails.Bucket %}',
            Key: '{% $states.input.ResultWriterDetails.Key %}',
          },
          Output: '{% $parse($states.result.Body) %}',
          Next: 'Any failed?',
        },
        'Any failed?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $count($states.input.ResultFiles.FAILED) > 0 %}', Next: 'Alert' }],
          Default: 'Done',
        },
        Alert: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: {
            TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
            Message: "{% 'Failed files: ' & $string($count($states.input.ResultFiles.FAILED)) %}",
          },
          End: true,
        },
        Done: { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A job polled until it ends, a counter in a variable and a deadline ten minutes past the
 * execution's StartTime (`$states.context.Execution.StartTime`): five polls or the deadline give up.
 */
export const huntPollDeadline: ModernMachine = {
  name: 'HuntPollDeadline',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Pass',
          Assign: { polls: 0, deadline: '{% $toMillis($states.context.Execution.StartTime) + 600000 %}' },
          Next: 'Check job',
        },
        'Check job': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:job-status',
            Payload: { jobId: '{% $states.input.jobId %}' },
          },
          Assign: { polls: '{% $polls + 1 %}', status: '{% $states.result.Payload.status %}' },
          Output: '{% $states.input %}',
          Next: 'Done yet?',
        },
        'Done yet?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $status = 'SUCCEEDED' %}", Next: 'Finished' },
            { Condition: "{% $status = 'FAILED' %}", Next: 'Job failed' },
            { Condition: '{% $polls >= 5 or $toMillis($now()) > $deadline %}', Next: 'Gave up' },
          ],
          Default: 'Wait a bit',
        },
        'Wait a bit': { Type: 'Wait', Seconds: 30, Next: 'Check job' },
        Finished: { Type: 'Succeed' },
        'Job failed': { Type: 'Fail', Error: 'Job.Failed' },
        'Gave up': { Type: 'Fail', Error: 'Job.TimedOut' },
      },
    });
  },
};

/**
 * A reference looked up, routed by what a `$match` group holds (an invoice number past a threshold),
 * a note that `$contains` a word and is short, and the prefix before a dash.
 */
export const huntReferenceRouter: ModernMachine = {
  name: 'HuntReferenceRouter',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Lookup',
      States: {
        Lookup: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:lookup',
            Payload: { id: '{% $states.input.id %}' },
          },
          Output: { ref: '{% $states.result.Payload.reference %}', note: '{% $states.result.Payload.note %}' },
          Next: 'Route',
        },
        Route: {
          Type: 'Choice',
          Choices: [
            {
              Condition: '{% $exists($match($states.input.ref, /^INV-(\\d+)$/)) and $number($match($states.input.ref, /^INV-(\\d+)$/).groups[0]) > 500000 %}',
              Next: 'Big invoice',
            },
            {
              Condition: "{% $contains($states.input.note, 'timeout') and $length($states.input.note) < 40 %}",
              Next: 'Short timeout note',
            },
            { Condition: "{% $substringBefore($states.input.ref, '-') in ['CRN', 'RFD'] %}", Next: 'Credit note' },
          ],
          Default: 'Other',
        },
        'Big invoice': { Type: 'Succeed' },
        'Short timeout note': { Type: 'Succeed' },
        'Credit note': { Type: 'Succeed' },
        Other: { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A value fetched and routed by its JSONata `$type`: a negative number, a boolean, null, a list of more
 * than two.
 */
export const huntValueKinds: ModernMachine = {
  name: 'HuntValueKinds',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Fetch',
      States: {
        Fetch: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:fetch', Payload: '{% $states.input %}' },
          Assign: { v: '{% $states.result.Payload.value %}' },
          Next: 'Kind',
        },
        Kind: {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $type($v) = 'number' and $v < 0 %}", Next: 'Negative' },
            { Condition: "{% $type($v) = 'boolean' %}", Next: 'Flag' },
            { Condition: "{% $type($v) = 'null' %}", Next: 'Null' },
            { Condition: "{% $type($v) = 'array' and $count($v) > 2 %}", Next: 'Long list' },
          ],
          Default: 'Else',
        },
        Negative: { Type: 'Succeed' },
        Flag: { Type: 'Succeed' },
        Null: { Type: 'Succeed' },
        'Long list': { Type: 'Succeed' },
        Else: { Type: 'Succeed' },
      },
    });
  },
};

/**
 * An approval asked through SQS with a task token (`.waitForTaskToken`), an hour to answer: a
 * timeout (States.Timeout) escalates, a worker's `Rejected` error rejects, the answer decides.
 */
export const huntQueueApproval: ModernMachine = {
  name: 'HuntQueueApproval',
  shape: 'human approval',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Ask approval',
      States: {
        'Ask approval': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          TimeoutSeconds: 3600,
          Arguments: {
            QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/approvals',
            MessageBody: { token: '{% $states.context.Task.Token %}', request: '{% $states.input %}' },
          },
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Escalate' }, { ErrorEquals: ['Rejected'], Next: 'Rejected' }],
          Output: '{% $states.result %}',
          Next: 'Approved?',
        },
        'Approved?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.approved = true %}', Next: 'Proceed' }],
          Default: 'Rejected',
        },
        Escalate: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:escalations', Message: 'approval timed out' },
          End: true,
        },
        Proceed: { Type: 'Succeed' },
        Rejected: { Type: 'Fail', Error: 'Request.Rejected' },
      },
    });
  },
};

/**
 * Two branches in parallel (a Lambda with a Retry, a DynamoDB read whose absent Item fails the
 * Output); the Catch hands the error output on, routed by its Cause and Error.
 */
export const huntEnrichFailures: ModernMachine = {
  name: 'HuntEnrichFailures',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Fan out',
      States: {
        'Fan out': {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'A',
              States: {
                A: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Arguments: {
                    FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:a',
                    Payload: '{% $states.input %}',
                  },
                  Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
                  End: true,
                },
              },
            },
            {
              StartAt: 'B',
              States: {
                B: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::dynamodb:getItem',
                  Arguments: { TableName: 't', Key: { pk: { S: '{% $states.input.id %}' } } },
                  Output: '{% $states.result.Item %}',
                  End: true,
                },
              },
            },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $states.errorOutput %}', Next: 'Classify error' }],
          Next: 'Ok',
        },
        'Classify error': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $contains($states.input.Cause, 'timed out') %}", Next: 'Timed out' },
            { Condition: "{% $states.input.Error = 'States.QueryEvaluationError' %}", Next: 'Missing item' },
            { Condition: "{% $substringBefore($states.input.Error, '.') = 'DynamoDB' %}", Next: 'Dynamo trouble' },
          ],
          Default: 'Other error',
        },
        'Timed out': { Type: 'Succeed' },
        'Missing item': { Type: 'Succeed' },
        'Dynamo trouble': { Type: 'Succeed' },
        'Other error': { Type: 'Fail', Error: 'Unknown' },
        Ok: { Type: 'Succeed' },
      },
    });
  },
};
