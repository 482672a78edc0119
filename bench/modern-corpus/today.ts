/*
 * Idioms people write today that the corpus lacked (issue 77, round 4, hunted with explore's CLI):
 * a DynamoDB Key built in JSONata then `$exists` on the Item, a Map picking items by
 * `$states.context.Map.Item.Index`, a loop counted by `$count` of an accumulated array, a Choice
 * on an HTTP Task's StatusCode with Catches of `States.Http.StatusCode.<status>`, a Bedrock answer
 * `$parse`d and routed on, a Parallel's outputs `$merge`d and compared, and a JSONPath status check
 * after a ResultSelector.
 */
import type { ModernMachine } from './common';
import { fromAsl } from './flows';

/**
 * A profile read from DynamoDB with a Key built from the input (JSONata `Arguments`), then a Choice on
 * `$exists` of the Item the Task gave: an active one greeted, another reactivated, none created
 * under a condition that a race can fail.
 */
export const todayProfileLookup: ModernMachine = {
  name: 'TodayProfileLookup',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Get profile',
      States: {
        'Get profile': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Arguments: {
            TableName: 'Profiles',
            Key: { pk: { S: "{% 'USER#' & $states.input.userId %}" }, sk: { S: "{% 'PROFILE#' & $lowercase($states.input.region) %}" } },
            ConsistentRead: true,
          },
          Assign: { request: '{% $states.input %}' },
          Next: 'Profile found?',
        },
        'Profile found?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $exists($states.input.Item) and $states.input.Item.status.S = 'ACTIVE' %}", Next: 'Greet' },
            { Condition: '{% $exists($states.input.Item) %}', Next: 'Reactivate' },
          ],
          Default: 'Create profile',
        },
        Greet: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:greet', Payload: { name: '{% $states.input.Item.name.S %}' } },
          Output: '{% $states.result.Payload %}',
          End: true,
        },
        Reactivate: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Arguments: {
            TableName: 'Profiles',
            Key: { pk: { S: '{% $states.input.Item.pk.S %}' }, sk: { S: '{% $states.input.Item.sk.S %}' } },
            UpdateExpression: 'SET #s = :active',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':active': { S: 'ACTIVE' } },
          },
          End: true,
        },
        'Create profile': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Arguments: {
            TableName: 'Profiles',
            Item: { pk: { S: "{% 'USER#' & $request.userId %}" }, sk: { S: "{% 'PROFILE#' & $lowercase($request.region) %}" }, status: { S: 'ACTIVE' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
          Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Raced' }],
          End: true,
        },
        Raced: { Type: 'Fail', Error: 'Profile.Raced', Cause: 'another run created the profile first' },
      },
    });
  },
};

/**
 * Readings sampled by a Map whose ItemSelector gives each iteration `$states.context.Map.Item.Index`:
 * every other one stored; the count kept decides what is reported.
 */
export const todaySampledReadings: ModernMachine = {
  name: 'TodaySampledReadings',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Sample',
      States: {
        Sample: {
          Type: 'Map',
          Items: '{% $states.input.readings %}',
          MaxConcurrency: 4,
          ItemSelector: { reading: '{% $states.context.Map.Item.Value %}', position: '{% $states.context.Map.Item.Index %}' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Keep?',
            States: {
              'Keep?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.position % 2 = 0 %}', Next: 'Store' }], Default: 'Skip' },
              Store: {
                Type: 'Task',
                Resource: 'arn:aws:states:::dynamodb:putItem',
                Arguments: {
                  TableName: 'Samples',
                  Item: { sensor: { S: '{% $states.input.reading.sensor %}' }, value: { N: '{% $string($states.input.reading.value) %}' } },
                },
                Output: { kept: true },
                End: true,
              },
              Skip: { Type: 'Pass', Output: { kept: false }, End: true },
            },
          },
          Output: { kept: '{% $count($states.result[kept]) %}', seen: '{% $count($states.result) %}' },
          Next: 'Any kept?',
        },
        'Any kept?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.kept >= 3 %}', Next: 'Report' }, { Condition: '{% $states.input.kept > 0 %}', Next: 'Too few' }],
          Default: 'Nothing kept',
        },
        Report: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:samples', Message: "{% 'kept ' & $states.input.kept & ' of ' & $states.input.seen %}" },
          End: true,
        },
        'Too few': { Type: 'Pass', End: true },
        'Nothing kept': { Type: 'Fail', Error: 'Samples.Empty', Cause: 'no reading was kept' },
      },
    });
  },
};

/**
 * Invoices listed page by page: each page's items appended in `Assign` (JSONata spreads `[$items]`,
 * so `$pages` holds the items), a limit on `$count($pages)`, and a digest only when the count of
 * all of them is above 0.
 */
export const todayInvoicePaging: ModernMachine = {
  name: 'TodayInvoicePaging',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Begin',
      States: {
        Begin: { Type: 'Pass', Assign: { pages: [], token: '{% $states.input.startToken %}' }, Next: 'Fetch page' },
        'Fetch page': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:list-invoices', Payload: { token: '{% $token %}' } },
          Assign: { pages: '{% $append($pages, [$states.result.Payload.items]) %}', token: '{% $states.result.Payload.next %}' },
          Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 3 }],
          Next: 'More?',
        },
        'More?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $count($pages) >= 4 %}', Next: 'Too many pages' }, { Condition: '{% $token != null %}', Next: 'Fetch page' }],
          Default: 'Summarise',
        },
        'Too many pages': { Type: 'Fail', Error: 'Paging.Limit', Cause: 'more than four pages' },
        Summarise: { Type: 'Pass', Output: { pages: '{% $count($pages) %}', invoices: '{% $count($reduce($pages, $append, [])) %}' }, Next: 'Any invoices?' },
        'Any invoices?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.invoices > 0 %}', Next: 'Send digest' }], Default: 'Nothing due' },
        'Send digest': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:digest', Message: '{% $string($states.input) %}' },
          End: true,
        },
        'Nothing due': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * An order's status read over HTTP (`http:invoke`): 404 and the other 4xx caught by their
 * `States.Http.StatusCode.<status>` names, 429 and 503 retried, and a Choice on the StatusCode the
 * Task let through (a rule on a status of 300 or more is never taken: AWS fails the Task first).
 */
export const todayOrderStatusHttp: ModernMachine = {
  name: 'TodayOrderStatusHttp',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Call API',
      States: {
        'Call API': {
          Type: 'Task',
          Resource: 'arn:aws:states:::http:invoke',
          Arguments: {
            ApiEndpoint: "{% 'https://api.example.com/orders/' & $states.input.orderId %}",
            Method: 'GET',
            Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/orders/abc' },
          },
          Retry: [{ ErrorEquals: ['States.Http.StatusCode.429', 'States.Http.StatusCode.503'], MaxAttempts: 3, IntervalSeconds: 1, BackoffRate: 2 }],
          Catch: [
            { ErrorEquals: ['States.Http.StatusCode.404'], Next: 'Not found', Output: { orderId: '{% $states.input.orderId %}' } },
            { ErrorEquals: ['States.Http.StatusCode.400', 'States.Http.StatusCode.401', 'States.Http.StatusCode.403'], Next: 'Rejected' },
          ],
          Output: { status: '{% $states.result.StatusCode %}', body: '{% $states.result.ResponseBody %}' },
          Next: 'Which status?',
        },
        'Which status?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.status = 204 %}', Next: 'No content' },
            { Condition: "{% $states.input.status = 200 and $states.input.body.state = 'SHIPPED' %}", Next: 'Shipped' },
            { Condition: '{% $states.input.status >= 300 %}', Next: 'Redirected' },
          ],
          Default: 'Pending',
        },
        'No content': { Type: 'Succeed' },
        Shipped: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/shipped', MessageBody: '{% $states.input.body %}' },
          End: true,
        },
        Redirected: { Type: 'Fail', Error: 'Api.Redirected' },
        Pending: { Type: 'Wait', Seconds: 60, Next: 'Recheck later' },
        'Recheck later': { Type: 'Pass', End: true },
        'Not found': { Type: 'Fail', Error: 'Order.NotFound', Cause: "{% 'no order ' & $states.input.orderId %}" },
        Rejected: { Type: 'Fail', Error: 'Api.Rejected' },
      },
    });
  },
};

/**
 * A ticket classified by a model: the answer's text `$parse`d in the Output (text that is not JSON
 * caught as States.QueryEvaluationError), then routed on the category and urgency it holds.
 */
export const todayTicketClassifier: ModernMachine = {
  name: 'TodayTicketClassifier',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Classify',
      States: {
        Classify: {
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
                  content: '{% \'Answer with JSON {"category": "billing|bug|outage|other", "urgency": 1-5} for this ticket: \' & $states.input.text %}',
                },
              ],
            },
          },
          Assign: { ticket: '{% $states.input %}' },
          Output: '{% $parse($states.result.Body.content[0].text) %}',
          Retry: [{ ErrorEquals: ['Bedrock.ThrottlingException'], MaxAttempts: 4, BackoffRate: 2 }],
          Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Unparseable' }],
          Next: 'Route',
        },
        Route: {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.category = 'billing' and $states.input.urgency >= 4 %}", Next: 'Page billing' },
            { Condition: "{% $states.input.category in ['bug', 'outage'] %}", Next: 'Open incident' },
          ],
          Default: 'Queue ticket',
        },
        'Page billing': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:billing-pager', Message: '{% $ticket.text %}' },
          End: true,
        },
        'Open incident': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: {
            FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:open-incident',
            Payload: { severity: '{% $states.input.urgency %}', kind: '{% $states.input.category %}' },
          },
          End: true,
        },
        'Queue ticket': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/tickets', MessageBody: '{% $ticket %}' },
          End: true,
        },
        Unparseable: { Type: 'Fail', Error: 'Classify.BadAnswer', Cause: 'the model did not answer with JSON' },
      },
    });
  },
};

/**
 * Stock on hand, stock reserved and the quantity wanted gathered by a Parallel whose outputs
 * `$merge` joins, then compared: enough, some, or none to reserve.
 */
export const todayStockCheck: ModernMachine = {
  name: 'TodayStockCheck',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Gather',
      States: {
        Gather: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Stock',
              States: {
                Stock: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::dynamodb:getItem',
                  Arguments: { TableName: 'Stock', Key: { sku: { S: '{% $states.input.sku %}' } } },
                  Output: { onHand: '{% $number($states.result.Item.qty.N) %}' },
                  End: true,
                },
              },
            },
            {
              StartAt: 'Reserved',
              States: {
                Reserved: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Arguments: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:reserved', Payload: { sku: '{% $states.input.sku %}' } },
                  Output: { reserved: '{% $states.result.Payload.reserved %}' },
                  End: true,
                },
              },
            },
            {
              StartAt: 'Wanted',
              States: { Wanted: { Type: 'Pass', Output: { wanted: '{% $states.input.quantity %}', sku: '{% $states.input.sku %}' }, End: true } },
            },
          ],
          Output: '{% $merge($states.result) %}',
          Next: 'Enough?',
        },
        'Enough?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.onHand - $states.input.reserved >= $states.input.wanted %}', Next: 'Reserve' },
            { Condition: '{% $states.input.onHand > $states.input.reserved %}', Next: 'Partial' },
          ],
          Default: 'Backorder',
        },
        Reserve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Arguments: {
            TableName: 'Stock',
            Key: { sku: { S: '{% $states.input.sku %}' } },
            UpdateExpression: 'SET reserved = reserved + :q',
            ExpressionAttributeValues: { ':q': { N: '{% $string($states.input.wanted) %}' } },
          },
          End: true,
        },
        Partial: { Type: 'Pass', Output: { short: '{% $states.input.wanted - ($states.input.onHand - $states.input.reserved) %}' }, End: true },
        Backorder: { Type: 'Succeed' },
      },
    });
  },
};

/**
 * JSONPath: an API Gateway call whose StatusCode a ResultSelector keeps under `$.api`, then a Choice
 * on it: 200, another 2xx, or a 4xx (never taken: API Gateway fails the Task on a status outside
 * 2xx, as connect-api-gateway.html says).
 */
export const todayApiStatusJsonPath: ModernMachine = {
  name: 'TodayApiStatusJsonPath',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Call API',
      States: {
        'Call API': {
          Type: 'Task',
          Resource: 'arn:aws:states:::apigateway:invoke',
          Parameters: { ApiEndpoint: 'abc.execute-api.us-east-1.amazonaws.com', Method: 'GET', Path: '/orders', AuthType: 'IAM_ROLE' },
          ResultSelector: { 'code.$': '$.StatusCode', 'body.$': '$.ResponseBody' },
          ResultPath: '$.api',
          Next: 'Status?',
        },
        'Status?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.api.code', NumericEquals: 200, Next: 'OK' },
            { Variable: '$.api.code', NumericGreaterThanEquals: 400, Next: 'Client error' },
          ],
          Default: 'Other 2xx',
        },
        OK: { Type: 'Succeed' },
        'Client error': { Type: 'Fail', Error: 'Api.ClientError' },
        'Other 2xx': { Type: 'Pass', End: true },
      },
    });
  },
};
