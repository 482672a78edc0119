/*
 * Machines in idioms the held modern machines use and the corpus lacked (issue 77, round 4): a
 * draft scored by a model on several fields, the score a weighted sum compared with a threshold,
 * redrafted at most three times, then published over HTTP with a check no status AWS lets through
 * can fail; and a sign-up enriched by three branches of a Parallel whose outputs `$merge` joins,
 * decided by rules over the merged fields, then an account polled until it is ready or a counter
 * runs out after four turns.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const INVOKE_MODEL = 'arn:aws:states:::bedrock:invokeModel';
const HTTP = 'arn:aws:states:::http:invoke';
const CONNECTION = 'arn:aws:events:us-east-1:123456789012:connection/cms/abc';

/**
 * A product description drafted by one model and scored by another: the score weighs relevance,
 * tone and safety, a low safety fails the draft whatever the rest, three drafts at most; the
 * accepted one goes to a CMS, whose answer is read as `ok` when its status is below 300, which
 * every status the HTTP Task lets through is (so `CMS refused` is never reached).
 */
export const genAiScoredDraft: ModernMachine = {
  name: 'GenAiScoredDraft',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Begin',
      States: {
        'Begin': { Type: 'Pass', Assign: { attempt: 0, product: '{% $states.input.product %}', feedback: '' }, Next: 'Draft' },
        'Draft': {
          Type: 'Task',
          Resource: INVOKE_MODEL,
          Arguments: {
            ModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
            Body: {
              anthropic_version: 'bedrock-2023-05-31',
              max_tokens: 600,
              messages: [{ role: 'user', content: "{% 'Describe ' & $product.name & '. ' & $feedback %}" }],
            },
          },
          Assign: { attempt: '{% $attempt + 1 %}', draft: '{% $states.result.Body.content[0].text %}' },
          Retry: [{ ErrorEquals: ['Bedrock.ThrottlingException'], IntervalSeconds: 2, MaxAttempts: 4, BackoffRate: 2, JitterStrategy: 'FULL' }],
          Next: 'Score',
        },
        'Score': {
          Type: 'Task',
          Resource: INVOKE_MODEL,
          Arguments: {
            ModelId: 'amazon.nova-micro-v1:0',
            Body: { inputText: "{% 'Score this text for relevance, tone and safety (0-10 each): ' & $draft %}" },
          },
          Assign: {
            safety: '{% $states.result.Body.safety %}',
            score: '{% $round($states.result.Body.relevance * 0.5 + $states.result.Body.tone * 0.3 + $states.result.Body.safety * 0.2, 1) %}',
          },
          Next: 'Good enough?',
        },
        'Good enough?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $safety >= 6 and $score >= 7.5 %}', Next: 'Publish' },
            {
              Condition: '{% $attempt < 3 %}',
              Assign: { feedback: "{% $safety < 6 ? 'Keep it factual and safe.' : 'Be more specific about ' & $product.category & '.' %}" },
              Next: 'Draft',
            },
          ],
          Default: 'Ask an editor',
        },
        'Ask an editor': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:editors', Message: "{% 'No draft scored well for ' & $product.name %}" },
          End: true,
        },
        'Publish': {
          Type: 'Task',
          Resource: HTTP,
          Arguments: {
            ApiEndpoint: '{% \'https://cms.example.com/products/\' & $product.id %}',
            Method: 'PUT',
            Authentication: { ConnectionArn: CONNECTION },
            RequestBody: { description: '{% $draft %}', score: '{% $score %}' },
          },
          Retry: [{ ErrorEquals: ['States.Http.StatusCode.429', 'States.Http.StatusCode.503'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
          Catch: [{ ErrorEquals: ['States.Http.StatusCode.409'], Next: 'Already published' }],
          Output: "{% {'ok': $states.result.StatusCode < 300, 'etag': $states.result.Headers.ETag} %}",
          Next: 'Published?',
        },
        'Published?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.ok %}', Next: 'Done' }],
          Default: 'CMS refused',
        },
        'Already published': { Type: 'Succeed' },
        'CMS refused': { Type: 'Fail', Error: 'Cms.Refused' },
        'Done': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A sign-up checked three ways at once (the profile in DynamoDB, a risk score from a function, the
 * country from a geolocation API), the branches' outputs joined by `$merge`; a blocked profile, a
 * high risk (or a middling one from a listed country) go their own ways; an account is created,
 * then polled every ten seconds until it is ACTIVE, a failed one ends the run, and four polls
 * without an answer give up.
 */
export const enrichedSignUp: ModernMachine = {
  name: 'EnrichedSignUp',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Enrich',
      States: {
        'Enrich': {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Profile',
              States: {
                'Profile': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::dynamodb:getItem',
                  Arguments: { TableName: 'Profiles', Key: { email: { S: '{% $states.input.email %}' } } },
                  Output: "{% {'status': $states.result.Item.status.S, 'since': $states.result.Item.since.S} %}",
                  End: true,
                },
              },
            },
            {
              StartAt: 'Risk',
              States: {
                'Risk': {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Arguments: { FunctionName: FN('risk'), Payload: { email: '{% $states.input.email %}', ip: '{% $states.input.ip %}' } },
                  Output: "{% {'risk': $states.result.Payload.score} %}",
                  End: true,
                },
              },
            },
            {
              StartAt: 'Geo',
              States: {
                'Geo': {
                  Type: 'Task',
                  Resource: HTTP,
                  Arguments: {
                    ApiEndpoint: '{% \'https://geo.example.com/ip/\' & $states.input.ip %}',
                    Method: 'GET',
                    Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/geo/abc' },
                  },
                  Output: "{% {'country': $uppercase($states.result.ResponseBody.countryCode)} %}",
                  End: true,
                },
              },
            },
          ],
          Output: "{% $merge([$states.input, $merge($states.result)]) %}",
          Next: 'Decide',
        },
        'Decide': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.status = 'BLOCKED' %}", Next: 'Refuse' },
            {
              Condition: "{% $states.input.risk >= 80 or ($states.input.risk >= 50 and $states.input.country in ['KP', 'IR', 'SY']) %}",
              Next: 'Manual review',
            },
          ],
          Default: 'Create account',
        },
        'Refuse': { Type: 'Fail', Error: 'SignUp.Blocked', Cause: "{% 'profile blocked since ' & $states.input.since %}" },
        'Manual review': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Arguments: {
            QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/reviews',
            MessageBody: { email: '{% $states.input.email %}', risk: '{% $states.input.risk %}', token: '{% $states.context.Task.Token %}' },
          },
          TimeoutSeconds: 86400,
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Refuse quietly' }],
          Output: '{% $merge([$states.input, $states.result]) %}',
          Next: 'Approved?',
        },
        'Approved?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $states.input.decision = 'approve' %}", Next: 'Create account' }],
          Default: 'Refuse quietly',
        },
        'Refuse quietly': { Type: 'Succeed' },
        'Create account': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('create-account'), Payload: { email: '{% $states.input.email %}' } },
          Assign: { accountId: '{% $states.result.Payload.accountId %}', polls: 0 },
          Next: 'Wait for account',
        },
        'Wait for account': { Type: 'Wait', Seconds: 10, Next: 'Check account' },
        'Check account': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('account-status'), Payload: { accountId: '{% $accountId %}' } },
          Assign: { polls: '{% $polls + 1 %}', status: '{% $states.result.Payload.status %}' },
          Next: 'Ready?',
        },
        'Ready?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $status = 'ACTIVE' %}", Next: 'Welcome' },
            { Condition: "{% $status = 'FAILED' %}", Next: 'Creation failed' },
            { Condition: '{% $polls >= 4 %}', Next: 'Gave up' },
          ],
          Default: 'Wait for account',
        },
        'Welcome': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sesv2:sendEmail',
          Arguments: {
            FromEmailAddress: 'hello@example.com',
            Destination: { ToAddresses: ['{% $states.input.email %}'] },
            Content: { Simple: { Subject: { Data: 'Welcome' }, Body: { Text: { Data: '{% \'Your account \' & $accountId & \' is ready.\' %}' } } } },
          },
          End: true,
        },
        'Creation failed': { Type: 'Fail', Error: 'Account.CreationFailed' },
        'Gave up': { Type: 'Fail', Error: 'Account.NotReady', Cause: "{% 'account ' & $accountId & ' not ready after ' & $string($polls) & ' polls' %}" },
      },
    });
  },
};

/**
 * A shipment batch the JSONPath way: the batch read from DynamoDB into `$batch` by a JSONPath
 * `Assign` on the `ResultSelector`'s path, the parcels counted with `States.ArrayLength` (the
 * sheets one more, by `States.MathAdd`) and labelled with `States.Format`, then routed: an
 * unknown batch (which an absent Item, failing the read, closes) and a manifest of fewer than one
 * sheet (which the count plus one never is) are never reached; an empty batch, a batch split
 * when it has more than two parcels, and the labels printed are.
 */
export const jsonPathShipmentBatch: ModernMachine = {
  name: 'JsonPathShipmentBatch',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Read batch',
      States: {
        'Read batch': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: 'ShipmentBatches', Key: { batchId: { 'S.$': '$.batchId' } } },
          ResultSelector: { 'batch.$': '$.Item' },
          ResultPath: null,
          Assign: { 'batch.$': '$.batch', 'carrier': 'UPS' },
          Next: 'Summarise',
        },
        'Summarise': {
          Type: 'Pass',
          InputPath: '$.parcels',
          Parameters: {
            'parcels.$': 'States.ArrayLength($)',
            'sheets.$': 'States.MathAdd(States.ArrayLength($), 1)',
            'label.$': "States.Format('batch-{}-{}', $carrier, States.ArrayLength($))",
          },
          ResultPath: '$.summary',
          Next: 'Route',
        },
        'Route': {
          Type: 'Choice',
          Choices: [
            { Not: { Variable: '$batch', IsPresent: true }, Next: 'Unknown batch' },
            { Variable: '$.summary.parcels', NumericEquals: 0, Next: 'Nothing to ship' },
            { Variable: '$.summary.sheets', NumericLessThan: 1, Next: 'Broken manifest' },
            { And: [{ Variable: '$.summary.parcels', NumericGreaterThan: 2 }, { Variable: '$carrier', StringEquals: 'UPS' }], Next: 'Split batch' },
          ],
          Default: 'Print labels',
        },
        'Unknown batch': { Type: 'Fail', Error: 'Batch.Unknown' },
        'Broken manifest': { Type: 'Fail', Error: 'Manifest.Broken' },
        'Nothing to ship': { Type: 'Succeed' },
        'Split batch': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': FN('split-batch'), 'Payload': { 'batchId.$': '$.batchId', 'parcels.$': '$.summary.parcels' } },
          ResultPath: null,
          Next: 'Print labels',
        },
        'Print labels': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'FunctionName': FN('print-labels'), 'Payload': { 'label.$': '$.summary.label', 'sheets.$': '$.summary.sheets' } },
          ResultSelector: { 'printed.$': '$.Payload.printed' },
          OutputPath: '$.printed',
          End: true,
        },
      },
    });
  },
};
