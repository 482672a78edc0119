/** A state machine and MockConfigFile whose runs visit every kind of state parity sends: Pass, Choice, a Task retried and caught, Map, Parallel, JSONata, Succeed, Fail. */
export const ORDERS = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Parameters: { 'order.$': '$.order', 'source': 'web' }, Assign: { customer: 'ann' }, Next: 'Route' },
    Route: { Type: 'Choice', Choices: [{ Variable: '$.order.total', NumericGreaterThan: 100, Next: 'Review' }], Default: 'Charge' },
    Review: { Type: 'Pass', Result: { reviewed: true }, ResultPath: '$.review', Next: 'Charge' },
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'FunctionName': 'charge', 'Payload.$': '$.order' },
      ResultSelector: { 'id.$': '$.Payload.chargeId' },
      ResultPath: '$.charge',
      Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 2, MaxAttempts: 3 }],
      Catch: [{ ErrorEquals: ['Declined'], ResultPath: '$.failure', Next: 'Declined' }],
      Next: 'Items',
    },
    Items: {
      Type: 'Map',
      ItemsPath: '$.order.items',
      ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Price', States: { Price: { Type: 'Pass', Parameters: { 'cents.$': 'States.MathAdd($.value, 100)' }, End: true } } },
      ResultPath: '$.prices',
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Pass', Result: 'left', End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Pass', Parameters: { 'total.$': '$.order.total' }, End: true } } },
      ],
      ResultPath: '$.both',
      Next: 'Notify',
    },
    Notify: {
      Type: 'Task',
      QueryLanguage: 'JSONata',
      Resource: 'arn:aws:states:::sns:publish',
      Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders', Message: '{% $customer & " paid " & $string($states.input.order.total) %}' },
      Output: '{% $merge([$states.input, {"message": $states.result.MessageId}]) %}',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
    Declined: { Type: 'Fail', Error: 'OrderDeclined', Cause: 'the card was declined' },
  },
};

const charged = { Return: { StatusCode: 200, Payload: { chargeId: 'ch_1' } } };
const published = { Return: { MessageId: 'm-1' } };

export const ORDERS_MOCK_CONFIG = {
  StateMachines: {
    Orders: {
      TestCases: {
        HappyPath: { Charge: 'Charged', Notify: 'Published' },
        BusyThenCharged: { Charge: 'BusyThenCharged', Notify: 'Published' },
        Declined: { Charge: 'Declined' },
      },
    },
  },
  MockedResponses: {
    Charged: { 0: charged },
    BusyThenCharged: { 0: { Throw: { Error: 'Busy', Cause: 'try again' } }, 1: charged },
    Declined: { 0: { Throw: { Error: 'Declined', Cause: 'no funds' } } },
    Published: { 0: published },
  },
};

export const ORDERS_INPUTS = [{ order: { total: 5, items: [1, 2] } }, { order: { total: 500, items: [3] } }];
