import { machine, reaching, replays } from './helpers';
import { stopExploreClock } from '../explore-clock';

/*
 * What stood between explore and the last goals of four machines of the modern corpus (issue 77,
 * round 4), each as the behaviour it lacked: an item a later state needs built beside the items
 * a Choice needed, a range of indexes built at its first index, a Retry of a Task in a Parallel
 * tried from a run whose other branch ends well, and a Catch that names an error no state raises
 * proved never taken instead of tried with a mock the contract refuses.
 */
const LAMBDA = 'arn:aws:states:::lambda:invoke';

describe('explore: an item a filter selects', () => {
  stopExploreClock();

  it('is added beside the items the list holds, not written over one another filter selected', async () => {
    // Textract's expense fields: the Choice needs the TOTAL field, the Task after it reads the VENDOR_NAME one.
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Analyze',
      States: {
        'Analyze': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:textract:analyzeExpense',
          Arguments: { Document: { S3Object: { Bucket: 'invoices', Name: '{% $states.input.key %}' } } },
          Output: `{% (
            $fields := $states.result.ExpenseDocuments[0].SummaryFields;
            {
              "vendor": $fields[Type.Text = "VENDOR_NAME"].ValueDetection.Text,
              "total": $number($fields[Type.Text = "TOTAL"].ValueDetection.Text)
            }
          ) %}`,
          Next: 'Large?',
        },
        'Large?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.total > 10000 %}', Next: 'Approve' }], Default: 'Done' },
        'Approve': { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'approve', Payload: { vendor: '{% $states.input.vendor %}' } }, Next: 'Done' },
        'Done': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.transitions.notReached).toEqual([]);
    const approved = reaching(report, 'transitions', 'Approve -> Done');
    const fields = (approved.mocks.Analyze as { Return: { ExpenseDocuments: Array<{ SummaryFields: Array<{ Type: { Text: string } }> }> } })
      .Return.ExpenseDocuments[0].SummaryFields.map((f) => f.Type.Text);
    expect(fields).toEqual(expect.arrayContaining(['TOTAL', 'VENDOR_NAME']));
    await replays(wf, approved);
  });

  it('is built at the first index a range of indexes keeps, each step\'s list under its name', async () => {
    // Athena's rows: the first is the header, `Rows[[1..100]].Data[0]` the first column of the others.
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Results',
      States: {
        'Results': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:athena:getQueryResults',
          Arguments: { QueryExecutionId: 'q-1' },
          Output: '{% {"rows": $count($states.result.ResultSet.Rows) - 1, "regions": $states.result.ResultSet.Rows[[1..100]].Data[0].VarCharValue} %}',
          Next: 'Any?',
        },
        'Any?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.rows > 0 %}', Next: 'Send' }], Default: 'None' },
        'Send': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: 'send', Payload: { regions: '{% $states.input.regions %}' } },
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
          End: true,
        },
        'None': { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.retries.notReached).toEqual([]);
    const retried = reaching(report, 'retries', 'Send#0');
    const rows = (retried.mocks.Results as { Return: { ResultSet: { Rows: unknown[] } } }).Return.ResultSet.Rows;
    expect(rows[1]).toEqual({ Data: [{ VarCharValue: expect.any(String) }] });
    await replays(wf, retried);
  });
});

describe('explore: a Retry of a Task inside a Parallel', () => {
  stopExploreClock();

  it('is tried from a run whose other branch ends well, not one where that branch fails first', async () => {
    // An ingest whose first runs into Notify all fail 'Record' at once (its count comes from the Map's summaries, which
    // the first runs' made-up items lack): the runs that first reached a goal past Notify have it end well.
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Check object',
      States: {
        'Check object': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:headObject',
          Arguments: {
            Bucket: '{% $states.input.bucket %}',
            Key: '{% $states.input.key %}',
          },
          Assign: {
            bucket: '{% $states.input.bucket %}',
            key: '{% $states.input.key %}',
            size: '{% $states.result.ContentLength %}',
          },
          Next: 'Too big?',
        },
        'Too big?': {
          Type: 'Choice',
          Choices: [
            {
              Condition: '{% $size = 0 %}',
              Next: 'Empty',
            },
          ],
          Default: 'Ingest lines',
        },
        'Empty': {
          Type: 'Succeed',
        },
        'Ingest lines': {
          Type: 'Map',
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: {
              InputType: 'JSONL',
              MaxItems: 1000,
            },
            Arguments: {
              Bucket: '{% $bucket %}',
              Key: '{% $key %}',
            },
          },
          ItemBatcher: {
            MaxItemsPerBatch: 25,
            BatchInput: {
              source: '{% $key %}',
            },
          },
          ItemProcessor: {
            ProcessorConfig: {
              Mode: 'DISTRIBUTED',
              ExecutionType: 'EXPRESS',
            },
            StartAt: 'Keep valid',
            States: {
              'Keep valid': {
                Type: 'Pass',
                Output: "{% {'source': $states.input.BatchInput.source, 'events': $filter($states.input.Items, function($e) { $exists($e.id) and $e.type in ['click', 'view'] })} %}",
                Next: 'Any valid?',
              },
              'Any valid?': {
                Type: 'Choice',
                Choices: [
                  {
                    Condition: '{% $count($states.input.events) > 0 %}',
                    Next: 'Summarize',
                  },
                ],
                Default: 'Skip batch',
              },
              'Skip batch': {
                Type: 'Succeed',
              },
              'Summarize': {
                Type: 'Task',
                Resource: 'arn:aws:states:::bedrock:invokeModel',
                Arguments: {
                  ModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
                  Body: {
                    anthropic_version: 'bedrock-2023-05-31',
                    max_tokens: 200,
                    messages: [
                      {
                        role: 'user',
                        content: "{% 'Summarize: ' & $string($states.input.events) %}",
                      },
                    ],
                  },
                },
                Retry: [
                  {
                    ErrorEquals: [
                      'Bedrock.ThrottlingException',
                    ],
                    MaxAttempts: 3,
                    IntervalSeconds: 2,
                    BackoffRate: 2,
                    JitterStrategy: 'FULL',
                    MaxDelaySeconds: 20,
                  },
                ],
                Output: "{% {'summary': $states.result.Body.content[0].text, 'n': $count($states.input.events)} %}",
                Next: 'Publish summary',
              },
              'Publish summary': {
                Type: 'Task',
                Resource: 'arn:aws:states:::events:putEvents',
                Arguments: {
                  Entries: [
                    {
                      Source: 'ingest',
                      DetailType: 'BatchSummary',
                      Detail: '{% $states.input %}',
                    },
                  ],
                },
                Output: '{% $states.input %}',
                End: true,
              },
            },
          },
          ToleratedFailurePercentage: 5,
          Output: "{% {'batches': $count($states.result), 'events': $sum($states.result.n)} %}",
          Next: 'Notify',
        },
        'Notify': {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Webhook',
              States: {
                Webhook: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::http:invoke',
                  Arguments: {
                    ApiEndpoint: 'https://hooks.example.com/ingest',
                    Method: 'POST',
                    Authentication: {
                      ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/hooks/abc',
                    },
                    RequestBody: '{% $states.input %}',
                  },
                  Retry: [
                    {
                      ErrorEquals: [
                        'States.Http.StatusCode.503',
                      ],
                      MaxAttempts: 2,
                    },
                  ],
                  Output: '{% $states.result.StatusCode %}',
                  End: true,
                },
              },
            },
            {
              StartAt: 'Record',
              States: {
                Record: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::dynamodb:putItem',
                  Arguments: {
                    TableName: 'Ingests',
                    Item: {
                      key: {
                        S: '{% $key %}',
                      },
                      events: {
                        N: '{% $string($states.input.events) %}',
                      },
                    },
                  },
                  End: true,
                },
              },
            },
          ],
          Catch: [
            {
              ErrorEquals: [
                'States.ALL',
              ],
              Output: "{% $merge([$states.input, {'notifyError': $states.errorOutput}]) %}",
              Next: 'Notified partly',
            },
          ],
          Output: "{% {'status': $states.result[0] >= 200 and $states.result[0] < 300 ? 'sent' : 'not sent'} %}",
          Next: 'Sent?',
        },
        'Notified partly': {
          Type: 'Succeed',
        },
        'Sent?': {
          Type: 'Choice',
          Choices: [
            {
              Condition: "{% $states.input.status = 'sent' %}",
              Next: 'Done',
            },
          ],
          Default: 'Webhook refused',
        },
        'Webhook refused': {
          Type: 'Fail',
          Error: 'Ingest.WebhookRefused',
        },
        'Done': {
          Type: 'Succeed',
        },
      },
    });
    const report = await wf.explore();
    expect(report.retries.notReached).toEqual([]);
    const retried = reaching(report, 'retries', 'Webhook#0');
    await replays(wf, retried);
  });
});

describe('explore: the reason a Retry was not reached', () => {
  stopExploreClock();

  it('says the Task failed before it called when no run made its call, not only that it made none', async () => {
    // `$states.input.a.b` reads under a string: the Payload gives nothing, and the Task fails on every entry.
    const report = await machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Shape',
      States: {
        Shape: { Type: 'Pass', Output: "{% {'a': 'x'} %}", Next: 'Send' },
        Send: {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: 'f', Payload: { b: '{% $states.input.a.b %}' } },
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
          End: true,
        },
      },
    }).explore();
    expect(report.retries.notReached).toEqual([{
      retry: 'Send#0',
      reason: expect.stringMatching(/^'Send' made no call in that run: it failed with States\.QueryEvaluationError before it called/),
    }]);
  });
});

describe('explore: a Catch or Retry that names an error no state raises', () => {
  stopExploreClock();

  const SEND_EMAIL = {
    Type: 'Task',
    Resource: 'arn:aws:states:::aws-sdk:sesv2:sendEmail',
    Arguments: { FromEmailAddress: 'shop@example.com', Destination: { ToAddresses: ['a@example.com'] }, Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hi' } } } } },
  };
  /** A Parallel around an email and the states of `other` (starting at Other), its Catch naming SES v2's MessageRejected as `name`. */
  const remind = (name: string, other: object) => machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Remind',
    States: {
      Remind: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Email', States: { Email: { ...SEND_EMAIL, End: true } } },
          { StartAt: 'Other', States: other },
        ],
        Catch: [{ ErrorEquals: [name], Next: 'Rejected' }],
        Next: 'Done',
      },
      Rejected: { Type: 'Succeed' },
      Done: { Type: 'Succeed' },
    },
  });
  const QUEUE = { Other: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: 'x' }, End: true } };

  it('proves a Parallel\'s Catch never taken when no Task inside raises the name, naming the one it meant', async () => {
    // The SDK integration's prefix is SesV2 (the guide's table), and error names match case and all.
    const report = await remind('SESV2.MessageRejectedException', QUEUE).explore();
    expect(report.catches.notReached).toEqual([]);
    expect(report.catches.unreachable).toEqual([{
      catch: 'Remind#0',
      reason: expect.stringMatching(/^no state inside 'Remind' raises SESV2\.MessageRejectedException: 'Email' \(arn:aws:states:::aws-sdk:sesv2:sendEmail\) never raises it \(did you mean SesV2\.MessageRejectedException\?\).*; Retry and Catch match an error by its exact name, case included$/),
    }]);
    expect(report.states.unreachable.map((u) => u.state)).toEqual(['Rejected']);
  });

  it('reaches the Catch when it names the error as the integration raises it', async () => {
    const wf = remind('SesV2.MessageRejectedException', QUEUE);
    const report = await wf.explore();
    expect(report.catches.unreachable).toEqual([]);
    const rejected = reaching(report, 'catches', 'Remind#0');
    expect(rejected.mocks.Email).toMatchObject({ Throw: { Error: 'SesV2.MessageRejectedException' } });
    await replays(wf, rejected);
  });

  it('claims nothing when a state inside may raise the name: a Lambda function, or a Fail state that names it', async () => {
    for (const other of [
      { Other: { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: 'f' }, End: true } },
      {
        Other: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.reject = true %}', Next: 'Reject' }], Default: 'Sent' },
        Reject: { Type: 'Fail', Error: 'SESV2.MessageRejectedException' },
        Sent: { Type: 'Succeed' },
      },
    ]) {
      const report = await remind('SESV2.MessageRejectedException', other).explore();
      expect(report.catches.unreachable).toEqual([]);
      expect(report.states.unreachable).toEqual([]);
    }
  });

  it('claims nothing for a name the service\'s model gives another operation: its client maps any answer\'s code', async () => {
    // GetObject's model lists NoSuchKey and InvalidObjectState, yet a missing bucket answers NoSuchBucket, which the
    // SDK reports as S3.NoSuchBucketException (S3's model names it for other operations).
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Read',
      States: {
        Read: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
          Arguments: { Bucket: 'b', Key: 'k' },
          Catch: [{ ErrorEquals: ['S3.NoSuchBucketException'], Next: 'NoBucket' }],
          End: true,
        },
        NoBucket: { Type: 'Succeed' },
      },
    });
    const report = await wf.explore();
    expect(report.catches.unreachable).toEqual([]);
    const caught = reaching(report, 'catches', 'Read#0');
    expect(caught.mocks.Read).toMatchObject({ Throw: { Error: 'S3.NoSuchBucketException' } });
    await replays(wf, caught);
  });

  it('proves a Task\'s own Retry never taken when its integration never raises the name', async () => {
    const report = await machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Email',
      States: { Email: { ...SEND_EMAIL, Retry: [{ ErrorEquals: ['SESV2.TooManyRequestsException'] }], End: true } },
    }).explore();
    expect(report.retries.unreachable).toEqual([{
      retry: 'Email#0',
      reason: "'Email' (arn:aws:states:::aws-sdk:sesv2:sendEmail) never raises SESV2.TooManyRequestsException (did you mean SesV2.TooManyRequestsException?); "
        + 'Retry and Catch match an error by its exact name, case included',
    }]);
  });
});
