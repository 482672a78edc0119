/*
 * Machines for issue 77's "unreachability proved, or not claimed", round 17: the checks a new user
 * writes on what a service answers, each in JSONPath and in JSONata. A GetItem's Item tested for
 * null (`IsNull`, `= null`, `$type(...) = "null"`) beside `IsPresent` / `$exists`; a Query's Count
 * and Items; a Lambda function's Payload, whole, through a ResultSelector and through
 * `$states.result.Payload`; an S3 object's Body parsed; a status routed over every value of its
 * enum; SQS ReceiveMessage with no messages. AWS leaves an absent member out of a service's
 * answer, never null (holdsNull in src/contracts/shapes.ts), while a Lambda function may return
 * null, and an S3 object may hold the text `null`: some states are truly unreachable, some
 * reachable only by one answer shape. Written as raw ASL, as people paste it.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const GET_ITEM = 'arn:aws:states:::dynamodb:getItem';

/**
 * A profile read with getItem and tested the JSONPath way: absent (a new customer), null, or there.
 * GetItem leaves Item out when there is none and never answers null, so `Null profile` is proved
 * unreachable; `New customer` is reached by the absent Item only.
 */
export const profileIsNullJsonPath: ModernMachine = {
  name: 'ProfileIsNullJsonPath',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Load profile',
      States: {
        'Load profile': {
          Type: 'Task',
          Resource: GET_ITEM,
          Parameters: { TableName: 'profiles', Key: { customerId: { 'S.$': '$.customerId' } } },
          ResultPath: '$.loaded',
          Next: 'Profile?',
        },
        'Profile?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.loaded.Item', IsPresent: false, Next: 'New customer' },
            { Variable: '$.loaded.Item', IsNull: true, Next: 'Null profile' },
          ],
          Default: 'Known customer',
        },
        'New customer': { Type: 'Succeed' },
        'Null profile': { Type: 'Fail', Error: 'NullProfile' },
        'Known customer': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * The same in JSONata, the Item kept by an Output object constructor (which leaves an absent Item
 * out): `= null` is never true, `$exists` tells a known customer from a new one.
 */
export const profileIsNullJsonata: ModernMachine = {
  name: 'ProfileIsNullJsonata',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load profile',
      States: {
        'Load profile': {
          Type: 'Task',
          Resource: GET_ITEM,
          Arguments: { TableName: 'profiles', Key: { customerId: { S: '{% $states.input.customerId %}' } } },
          Output: "{% {'customerId': $states.input.customerId, 'profile': $states.result.Item} %}",
          Next: 'Profile?',
        },
        'Profile?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.profile = null %}', Next: 'Null profile' },
            { Condition: '{% $exists($states.input.profile) %}', Next: 'Known customer' },
          ],
          Default: 'New customer',
        },
        'New customer': { Type: 'Succeed' },
        'Null profile': { Type: 'Fail', Error: 'NullProfile' },
        'Known customer': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * The Item assigned to a variable, then `$type(...) = "null"`: an absent Item fails the Assign, a
 * present one is an object, so `Null profile` is proved unreachable.
 */
export const profileTypeJsonata: ModernMachine = {
  name: 'ProfileTypeJsonata',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load profile',
      States: {
        'Load profile': {
          Type: 'Task',
          Resource: GET_ITEM,
          Arguments: { TableName: 'profiles', Key: { customerId: { S: '{% $states.input.customerId %}' } } },
          Assign: { profile: '{% $states.result.Item %}' },
          Next: 'Profile?',
        },
        'Profile?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $type($profile) = 'null' %}", Next: 'Null profile' }],
          Default: 'Known customer',
        },
        'Null profile': { Type: 'Fail', Error: 'NullProfile' },
        'Known customer': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A customer's orders read with a DynamoDB Query, branched on Count = 0, the orders billed in a
 * Map: both ways are reached (Count 0, and a Count with items).
 */
export const ordersQueryJsonPath: ModernMachine = {
  name: 'OrdersQueryJsonPath',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Find orders',
      States: {
        'Find orders': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Parameters: {
            TableName: 'orders',
            KeyConditionExpression: 'customerId = :c',
            ExpressionAttributeValues: { ':c': { 'S.$': '$.customerId' } },
          },
          ResultSelector: { 'count.$': '$.Count', 'orders.$': '$.Items' },
          ResultPath: '$.found',
          Next: 'Any orders?',
        },
        'Any orders?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.found.count', NumericEquals: 0, Next: 'No orders' }],
          Default: 'Bill orders',
        },
        'No orders': { Type: 'Succeed' },
        'Bill orders': {
          Type: 'Map',
          ItemsPath: '$.found.orders',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Bill order',
            States: {
              'Bill order': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: { 'FunctionName': FN('bill-order'), 'Payload.$': '$' },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });
  },
};

/**
 * The Query in JSONata, its Items assigned: no orders when `$count` is 0; a rule for a null list
 * after it is proved unreachable (Items is a list when it is there, and its absence fails the
 * Assign).
 */
export const ordersQueryJsonata: ModernMachine = {
  name: 'OrdersQueryJsonata',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Find orders',
      States: {
        'Find orders': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Arguments: {
            TableName: 'orders',
            KeyConditionExpression: 'customerId = :c',
            ExpressionAttributeValues: { ':c': { S: '{% $states.input.customerId %}' } },
          },
          Assign: { orders: '{% $states.result.Items %}' },
          Next: 'Any orders?',
        },
        'Any orders?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $count($orders) = 0 %}', Next: 'No orders' },
            { Condition: '{% $orders = null %}', Next: 'Null orders' },
          ],
          Default: 'Bill orders',
        },
        'No orders': { Type: 'Succeed' },
        'Null orders': { Type: 'Fail', Error: 'NullOrders' },
        'Bill orders': {
          Type: 'Map',
          Items: '{% $orders %}',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Bill order',
            States: {
              'Bill order': {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: FN('bill-order'), Payload: '{% $states.input %}' },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });
  },
};

/**
 * A scoring function whose Payload is tested whole for null: a function may return null, so `No
 * score` is reached, by that answer only.
 */
export const scorePayloadJsonPath: ModernMachine = {
  name: 'ScorePayloadJsonPath',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Score',
      States: {
        'Score': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': FN('score'), 'Payload.$': '$' },
          ResultPath: '$.scored',
          Next: 'Scored?',
        },
        'Scored?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.scored.Payload', IsNull: true, Next: 'No score' },
            { Variable: '$.scored.Payload.score', NumericGreaterThan: 80, Next: 'High score' },
          ],
          Default: 'Low score',
        },
        'No score': { Type: 'Succeed' },
        'High score': { Type: 'Succeed' },
        'Low score': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * The score picked out of the Payload by a ResultSelector, then tested for null and a threshold:
 * every branch is reached (a payload field may be null).
 */
export const scoreSelectorJsonPath: ModernMachine = {
  name: 'ScoreSelectorJsonPath',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Score',
      States: {
        'Score': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': FN('score'), 'Payload.$': '$' },
          ResultSelector: { 'score.$': '$.Payload.score' },
          ResultPath: '$.scored',
          Next: 'Scored?',
        },
        'Scored?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.scored.score', IsNull: true, Next: 'No score' },
            { Variable: '$.scored.score', NumericGreaterThan: 80, Next: 'High score' },
          ],
          Default: 'Low score',
        },
        'No score': { Type: 'Succeed' },
        'High score': { Type: 'Succeed' },
        'Low score': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * The score assigned from `$states.result.Payload.score` and routed by its type: null, text and a
 * number are each reached.
 */
export const scorePayloadJsonata: ModernMachine = {
  name: 'ScorePayloadJsonata',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Score',
      States: {
        'Score': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('score'), Payload: '{% $states.input %}' },
          Assign: { score: '{% $states.result.Payload.score %}' },
          Next: 'Scored?',
        },
        'Scored?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $type($score) = 'null' %}", Next: 'No score' },
            { Condition: "{% $type($score) = 'string' %}", Next: 'Text score' },
            { Condition: '{% $score > 80 %}', Next: 'High score' },
          ],
          Default: 'Low score',
        },
        'No score': { Type: 'Succeed' },
        'Text score': { Type: 'Succeed' },
        'High score': { Type: 'Succeed' },
        'Low score': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A feature flag read from an S3 object and parsed with States.StringToJson: the null rule sits
 * after one that reads a field under the config, which fails the Choice on a null config, so `Empty
 * config` is proved unreachable.
 */
export const configBodyJsonPath: ModernMachine = {
  name: 'ConfigBodyJsonPath',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Read config',
      States: {
        'Read config': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
          Parameters: { 'Bucket': 'app-config', 'Key.$': '$.key' },
          ResultSelector: { 'config.$': 'States.StringToJson($.Body)' },
          ResultPath: '$.read',
          Next: 'Enabled?',
        },
        'Enabled?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.read.config.enabled', BooleanEquals: true, Next: 'Run feature' },
            { Variable: '$.read.config', IsNull: true, Next: 'Empty config' },
          ],
          Default: 'Skip feature',
        },
        'Run feature': { Type: 'Succeed' },
        'Empty config': { Type: 'Succeed' },
        'Skip feature': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * The same flag parsed with `$parse` in JSONata, the null rule first: an object whose Body is the
 * text `null` reaches `Empty config`, and only that answer does.
 */
export const configBodyJsonata: ModernMachine = {
  name: 'ConfigBodyJsonata',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Read config',
      States: {
        'Read config': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:s3:getObject',
          Arguments: { Bucket: 'app-config', Key: '{% $states.input.key %}' },
          Assign: { config: '{% $parse($states.result.Body) %}' },
          Next: 'Enabled?',
        },
        'Enabled?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $config = null %}', Next: 'Empty config' },
            { Condition: '{% $config.enabled = true %}', Next: 'Run feature' },
          ],
          Default: 'Skip feature',
        },
        'Run feature': { Type: 'Succeed' },
        'Empty config': { Type: 'Succeed' },
        'Skip feature': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A child execution's status read with DescribeExecution and routed by StringEquals over every
 * value of its enum: the Default is proved unreachable.
 */
export const childStatusJsonPath: ModernMachine = {
  name: 'ChildStatusJsonPath',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Check child',
      States: {
        'Check child': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sfn:describeExecution',
          Parameters: { 'ExecutionArn.$': '$.executionArn' },
          ResultSelector: { 'status.$': '$.Status' },
          ResultPath: '$.child',
          Next: 'Child status?',
        },
        'Child status?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.child.status', StringEquals: 'RUNNING', Next: 'Still running' },
            { Variable: '$.child.status', StringEquals: 'SUCCEEDED', Next: 'Child done' },
            {
              Or: [
                { Variable: '$.child.status', StringEquals: 'FAILED' },
                { Variable: '$.child.status', StringEquals: 'TIMED_OUT' },
                { Variable: '$.child.status', StringEquals: 'ABORTED' },
                { Variable: '$.child.status', StringEquals: 'PENDING_REDRIVE' },
              ],
              Next: 'Child failed',
            },
          ],
          Default: 'Unknown status',
        },
        'Still running': { Type: 'Succeed' },
        'Child done': { Type: 'Succeed' },
        'Child failed': { Type: 'Fail', Error: 'ChildFailed' },
        'Unknown status': { Type: 'Fail', Error: 'UnknownStatus' },
      },
    });
  },
};

/**
 * The same in JSONata with `in` lists: the Default is proved unreachable.
 */
export const childStatusJsonata: ModernMachine = {
  name: 'ChildStatusJsonata',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Check child',
      States: {
        'Check child': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sfn:describeExecution',
          Arguments: { ExecutionArn: '{% $states.input.executionArn %}' },
          Output: '{% $states.result %}',
          Next: 'Child status?',
        },
        'Child status?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.Status = 'RUNNING' %}", Next: 'Still running' },
            { Condition: "{% $states.input.Status in ['SUCCEEDED'] %}", Next: 'Child done' },
            {
              Condition: "{% $states.input.Status in ['FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] %}",
              Next: 'Child failed',
            },
          ],
          Default: 'Unknown status',
        },
        'Still running': { Type: 'Succeed' },
        'Child done': { Type: 'Succeed' },
        'Child failed': { Type: 'Fail', Error: 'ChildFailed' },
        'Unknown status': { Type: 'Fail', Error: 'UnknownStatus' },
      },
    });
  },
};

/**
 * SQS ReceiveMessage, its Messages kept by an Output constructor: none received (absent) is
 * reached, a null list is proved unreachable.
 */
export const queueReceiveJsonata: ModernMachine = {
  name: 'QueueReceiveJsonata',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Poll jobs',
      States: {
        'Poll jobs': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sqs:receiveMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs', MaxNumberOfMessages: 10 },
          Output: "{% {'messages': $states.result.Messages} %}",
          Next: 'Any jobs?',
        },
        'Any jobs?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $not($exists($states.input.messages)) %}', Next: 'Idle' },
            { Condition: '{% $states.input.messages = null %}', Next: 'Null messages' },
          ],
          Default: 'Handle jobs',
        },
        'Idle': { Type: 'Succeed' },
        'Null messages': { Type: 'Fail', Error: 'NullMessages' },
        'Handle jobs': { Type: 'Succeed' },
      },
    });
  },
};
