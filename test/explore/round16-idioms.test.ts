import { machine, reaching, replays } from './helpers';
import { IntrinsicNames } from '../../src/asl/intrinsics/names';
import { invert } from '../../src/explore/inverse';
import { parseJsonata, readsOf, type JsonataNode } from '../../src/explore/solve/jsonata-ast';
import type { Computed, ComputedArg, Source } from '../../src/explore/sources';
import { readVisits } from '../../src/explore/visits';
import { stopExploreClock } from '../explore-clock';

/*
 * Issue 77, explore round 4, the gaps the machines of bench/modern-corpus/round16.ts showed: a
 * code States.Format builds of two values (a band a Task answers and a country of the input), a
 * Choice wants whole.
 */

const LAMBDA = 'arn:aws:states:::lambda:invoke';

describe('a text States.Format makes of several values, steered back', () => {
  const input = (field: string): Source => ({ kind: 'input', steps: [field] });
  const format = (template: string, ...fields: Array<string | number>): Computed => ({
    fn: IntrinsicNames.FORMAT,
    steps: [],
    args: [
      { kind: 'literal', value: template },
      ...fields.map((f): ComputedArg => (typeof f === 'number' ? { kind: 'literal', value: f } : { kind: 'source', source: input(f) })),
    ],
  });
  const written = (c: Computed, want: string) => {
    const w = invert(c, want);
    return 'reason' in w ? w : w.map((x) => x.value);
  };

  it('splits the text wanted at the literal parts between the placeholders', () => {
    expect(written(format('{}-{}', 'band', 'country'), 'B-DE')).toEqual(['B', 'DE']);
    expect(written(format('run/{}/{}.json', 'day', 'id'), 'run/2024-01-02/7.json')).toEqual(['2024-01-02', '7']);
  });

  it('skips a split that a literal value does not match', () => {
    // The '-' inside "x-1" is not where the literal 7 goes: the second '-' is.
    expect(written(format('{}-{}', 'code', 7), 'x-1-7')).toEqual(['x-1']);
  });

  it('gives a reason when the text wanted does not fit the template', () => {
    expect(written(format('{}-{}', 'band', 'country'), 'BDE')).toEqual({ reason: expect.stringContaining('cannot give "BDE"') });
  });
});

describe('explore on a code a Pass formats of a Task answer and the input, then a Choice', () => {
  stopExploreClock();

  const wf = machine({
    StartAt: 'Grade',
    States: {
      'Grade': {
        Type: 'Task',
        Resource: LAMBDA,
        Parameters: { 'FunctionName': 'grade', 'Payload.$': '$' },
        ResultSelector: { 'grade.$': '$.Payload.grade' },
        ResultPath: '$.graded',
        Next: 'Code',
      },
      'Code': {
        Type: 'Pass',
        Parameters: { 'code.$': "States.Format('{}/{}', $.graded.grade, $.region)" },
        Next: 'Which code?',
      },
      'Which code?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.code', StringEquals: 'gold/eu-west', Next: 'Gold in the EU' }],
        Default: 'Other',
      },
      'Gold in the EU': { Type: 'Succeed' },
      'Other': { Type: 'Succeed' },
    },
  });

  it('reaches the rule with the grade answered and the region given', async () => {
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Gold in the EU'));
  });
});

describe('explore on a Distributed Map over CSV rows whose later state needs a row at the fourth index', () => {
  stopExploreClock();

  // Rows with no amount fail the second rule (`$number` of nothing compared gives nothing: States.QueryEvaluationError), so
  // each of the first three rows of a trial upload must be given an amount, each in the iteration that failed on it.
  const wf = machine({
    QueryLanguage: 'JSONata',
    StartAt: 'Rows',
    States: {
      'Rows': {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
          Arguments: { Bucket: 'uploads', Key: "{% $states.input.upload & '.csv' %}" },
        },
        ItemSelector: { row: '{% $states.context.Map.Item.Value %}', at: '{% $states.context.Map.Item.Index %}', plan: '{% $states.input.plan %}' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt: 'Row',
          States: {
            Row: {
              Type: 'Choice',
              Choices: [
                { Condition: '{% $states.input.plan = "trial" and $states.input.at >= 3 %}', Next: 'Stop' },
                { Condition: '{% $number($states.input.row.amount) > 1000 %}', Next: 'Hold' },
              ],
              Default: 'Pay',
            },
            Stop: { Type: 'Pass', Output: { status: 'stopped' }, End: true },
            Hold: { Type: 'Pass', Output: { status: 'held' }, End: true },
            Pay: { Type: 'Pass', Output: { status: 'paid' }, End: true },
          },
        },
        Output: '{% {"stopped": $count($states.result[status = "stopped"])} %}',
        Next: 'Any stopped?',
      },
      'Any stopped?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.stopped > 0 %}', Next: 'Upgrade' }], Default: 'Done' },
      'Upgrade': { Type: 'Succeed' },
      'Done': { Type: 'Succeed' },
    },
  });

  it('gives each iteration that failed on a rule the field it lacked, and reaches the state after', async () => {
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Upgrade'));
  });
});

describe('the visit an EvaluationFailed belongs to, when iterations run one state at once', () => {
  it('is the one entered after the event the failure chains to, not the latest visit of that state', async () => {
    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          Items: '{% $states.input.rows %}',
          ItemSelector: { row: '{% $states.context.Map.Item.Value %}', at: '{% $states.context.Map.Item.Index %}' },
          ItemProcessor: {
            StartAt: 'Row',
            States: {
              Row: {
                Type: 'Choice',
                Choices: [{ Condition: '{% $states.input.at = 1 %}', Next: 'Done' }, { Condition: '{% $number($states.input.row.amount) > 5 %}', Next: 'Done' }],
                Default: 'Done',
              },
              Done: { Type: 'Pass', End: true },
            },
          },
          End: true,
        },
      },
    });
    // The first row has no amount: its Condition gives nothing; the second's takes the first rule, and it enters 'Row' last.
    const run = await wf.run({ rows: [{}, {}] });
    expect(run.error).toBe('States.QueryEvaluationError');
    const failed = readVisits(run.history).visits.filter((v) => v.events.some((e) => e.type === 'EvaluationFailed'));
    expect(failed.map((v) => [v.name, v.input])).toEqual([['Row', { row: {}, at: 0 }]]);
  });
});

describe('a field read under the item a filter keeps, compared with a literal', () => {
  const ast = (text: string): JsonataNode => {
    const r = parseJsonata(text);
    if ('error' in r) throw new Error(r.error);
    return r.ast;
  };

  it('hints lists whose kept item holds the value the comparison wants', () => {
    const reads = readsOf(ast('$states.input.metrics[name = "accuracy"].value >= 0.9'));
    expect(reads.hints.get('$states.input.metrics')).toContainEqual([{ name: 'accuracy', value: 0.9 }]);
  });

  describe('explore on it', () => {
    stopExploreClock();

    const wf = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'Evaluate',
      States: {
        'Evaluate': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: 'evaluate-model', Payload: {} },
          Output: '{% $states.result.Payload %}',
          Next: 'Good enough?',
        },
        'Good enough?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.metrics[name = "accuracy"].value >= 0.9 %}', Next: 'Publish' }],
          Default: 'Retrain',
        },
        'Publish': { Type: 'Succeed' },
        'Retrain': { Type: 'Succeed' },
      },
    });

    it('reaches the rule with a metric of that name and value answered', async () => {
      const report = await wf.explore();
      expect(report.states.notReached).toEqual([]);
      await replays(wf, reaching(report, 'states', 'Publish'));
    });
  });
});

describe('explore on a Condition that gives nothing for want of one field, on a value another branch needs', () => {
  stopExploreClock();

  // bench/modern-corpus/raw-asl.ts RawOrderFollowUp: a pending order with no total fails 'Route' (`$number` of nothing
  // compared gives nothing). The repair gives it a total, never another status, which would leave 'Pending?' unreachable.
  const wf = machine({
    StartAt: 'Load order',
    States: {
      'Load order': {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:getItem',
        Parameters: {
          TableName: 'Orders',
          Key: {
            orderId: {
              'S.$': '$.orderId',
            },
          },
        },
        ResultSelector: {
          'status.$': '$.Item.status.S',
          'total.$': '$.Item.total.N',
          'email.$': '$.Item.email.S',
        },
        ResultPath: '$.order',
        Catch: [
          {
            ErrorEquals: [
              'States.ALL',
            ],
            ResultPath: '$.error',
            Next: 'Give up',
          },
        ],
        Next: 'Route',
      },
      'Route': {
        Type: 'Choice',
        QueryLanguage: 'JSONata',
        Choices: [
          {
            Condition: "{% $states.input.order.status = 'SHIPPED' %}",
            Next: 'Done',
          },
          {
            Condition: "{% $states.input.order.status = 'PENDING' and $number($states.input.order.total) >= 500 %}",
            Next: 'Hold for review',
            Assign: {
              reviewReason: "{% 'large order ' & $states.input.order.total %}",
            },
          },
        ],
        Default: 'Pending?',
      },
      'Pending?': {
        Type: 'Choice',
        Choices: [
          {
            Variable: '$.order.status',
            StringEquals: 'PENDING',
            Next: 'Wait a bit',
          },
        ],
        Default: 'Unknown status',
      },
      'Wait a bit': {
        Type: 'Wait',
        QueryLanguage: 'JSONata',
        Seconds: '{% $states.input.attempt ? $min([$states.input.attempt * 60, 3600]) : 60 %}',
        Next: 'Mark reminded',
      },
      'Mark reminded': {
        Type: 'Task',
        QueryLanguage: 'JSONata',
        Resource: 'arn:aws:states:::dynamodb:updateItem',
        Arguments: {
          TableName: 'Orders',
          Key: {
            orderId: {
              S: '{% $states.input.orderId %}',
            },
          },
          UpdateExpression: 'SET reminded = :t',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: {
            '#s': 'status',
          },
          ExpressionAttributeValues: {
            ':t': {
              BOOL: true,
            },
            ':pending': {
              S: 'PENDING',
            },
          },
          ReturnValues: 'ALL_NEW',
        },
        Catch: [
          {
            ErrorEquals: [
              'DynamoDB.ConditionalCheckFailedException',
            ],
            Output: '{% $states.input %}',
            Next: 'Done',
          },
        ],
        Output: "{% $merge([$states.input, {'reminded': $states.result.Attributes.reminded.BOOL}]) %}",
        Next: 'Remind',
      },
      'Remind': {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'Email',
            States: {
              Email: {
                Type: 'Task',
                Resource: 'arn:aws:states:::aws-sdk:sesv2:sendEmail',
                Parameters: {
                  FromEmailAddress: 'shop@example.com',
                  Destination: {
                    'ToAddresses.$': 'States.Array($.order.email)',
                  },
                  Content: {
                    Simple: {
                      Subject: {
                        Data: 'Your order',
                      },
                      Body: {
                        Text: {
                          'Data.$': "States.Format('Order {} is waiting', $.orderId)",
                        },
                      },
                    },
                  },
                },
                End: true,
              },
            },
          },
          {
            StartAt: 'Queue',
            States: {
              Queue: {
                Type: 'Task',
                Resource: 'arn:aws:states:::sqs:sendMessage',
                Parameters: {
                  'QueueUrl': 'https://sqs.us-east-1.amazonaws.com/123456789012/reminders',
                  'MessageBody.$': 'States.JsonToString($)',
                },
                End: true,
              },
            },
          },
        ],
        Catch: [
          {
            ErrorEquals: [
              'SESV2.MessageRejectedException',
            ],
            ResultPath: '$.emailError',
            Next: 'Done',
          },
        ],
        ResultPath: null,
        Next: 'Done',
      },
      'Hold for review': {
        Type: 'Task',
        QueryLanguage: 'JSONata',
        Resource: 'arn:aws:states:::sns:publish',
        Arguments: {
          TopicArn: 'arn:aws:sns:us-east-1:123456789012:reviews',
          Message: '{% $reviewReason %}',
          Subject: "{% 'Order ' & $states.input.orderId %}",
        },
        Next: 'Done',
      },
      'Unknown status': {
        Type: 'Fail',
        Error: 'Order.UnknownStatus',
        CausePath: '$.order.status',
      },
      'Give up': {
        Type: 'Fail',
        Error: 'Order.LoadFailed',
      },
      'Done': {
        Type: 'Succeed',
      },
    },
  });

  it('reaches the pending branch after it', async () => {
    const report = await wf.explore();
    expect(report.states.notReached).toEqual([]);
    await replays(wf, reaching(report, 'states', 'Wait a bit'));
  });
});
