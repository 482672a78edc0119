/*
 * Machines written for the explore round 4 hunt in the idioms of the held machines (issue 77):
 * a JSONata lambda:invoke with no Output before a Choice, approvals with callbacks, Bedrock
 * guardrails, polling loops, string and sum thresholds, Distributed Maps over S3 and a Saga.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

/**
 * A risk score whose Task has no Output: the Choice after it reads the invoke envelope, where
 * `Payload.risk` is the function's answer and `risk` (a rule left from before the Task moved to
 * the optimized integration) is never there, so 'Legacy review' is unreachable.
 */
export const heldEnvelopeRoute: ModernMachine = {
  name: 'HeldEnvelopeRoute',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Score risk',
      States: {
        'Score risk': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('score-risk'), Payload: { order: '{% $states.input.orderId %}' } },
          Next: 'Risk?',
        },
        'Risk?': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $states.input.risk = 'high' %}", Next: 'Legacy review' },
            { Condition: "{% $states.input.Payload.risk = 'high' %}", Next: 'Review' },
          ],
          Default: 'Approve',
        },
        'Legacy review': { Type: 'Pass', Next: 'Review' },
        Review: { Type: 'Succeed' },
        Approve: { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A guardrail on a model called through the AWS SDK integration: its Body is a string of JSON,
 * parsed for the text a Choice tests for a banned word, a refusal prefix and its length.
 */
export const heldSdkGuardrail: ModernMachine = {
  name: 'HeldSdkGuardrail',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Draft answer',
      States: {
        'Draft answer': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:bedrockruntime:invokeModel',
          Arguments: {
            ModelId: 'anthropic.claude-3-haiku-20240307-v1:0',
            ContentType: 'application/json',
            Body: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 400, messages: [{ role: 'user', content: '{% $states.input.question %}' }] },
          },
          Assign: { answer: '{% $parse($states.result.Body).content[0].text %}' },
          Next: 'Guardrail',
        },
        'Guardrail': {
          Type: 'Choice',
          Choices: [
            { Condition: "{% $contains($lowercase($answer), 'password') %}", Next: 'Blocked' },
            { Condition: '{% $exists($match($answer, /^REFUSE:/)) %}', Next: 'Refused' },
            { Condition: '{% $length($answer) > 600 %}', Next: 'Shorten' },
          ],
          Default: 'Reply',
        },
        'Blocked': { Type: 'Fail', Error: 'Guardrail.Blocked', Cause: 'the answer names a secret' },
        'Refused': { Type: 'Succeed' },
        'Shorten': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: FN('shorten'), Payload: { text: '{% $answer %}' } },
          Output: '{% $states.result.Payload %}',
          Next: 'Reply',
        },
        'Reply': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * An approval through an SQS callback answered `{approved, reason}`: a second approval over 10,000, a
 * deferral when the reason names the budget, a Fail whose Cause is the reason, and a timeout caught.
 */
export const heldCallbackApproval: ModernMachine = {
  name: 'HeldCallbackApproval',
  shape: 'human approval',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Ask manager",
      "States": {
        "Ask manager": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          "Arguments": {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
            "MessageBody": {
              "token": "{% $states.context.Task.Token %}",
              "request": "{% $states.input.requestId %}",
              "amount": "{% $states.input.amount %}"
            }
          },
          "TimeoutSeconds": 86400,
          "Assign": {
            "decision": "{% $states.result %}"
          },
          "Output": "{% $merge([$states.input, {'approval': $states.result}]) %}",
          "Catch": [
            {
              "ErrorEquals": [
                "States.Timeout"
              ],
              "Next": "Expired"
            }
          ],
          "Next": "Approved?"
        },
        "Approved?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $states.input.approval.approved = true and $states.input.amount > 10000 %}",
              "Next": "Second approval"
            },
            {
              "Condition": "{% $decision.approved %}",
              "Next": "Grant"
            },
            {
              "Condition": "{% $decision.approved = false and $contains($lowercase($decision.reason), 'budget') %}",
              "Next": "Defer to next quarter"
            }
          ],
          "Default": "Reject"
        },
        "Second approval": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:notify-director",
            "Payload": {
              "token": "{% $states.context.Task.Token %}",
              "req": "{% $states.input %}"
            }
          },
          "Output": "{% $states.result %}",
          "Next": "Director approved?"
        },
        "Director approved?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $states.input.approved = true %}",
              "Next": "Grant"
            }
          ],
          "Default": "Reject"
        },
        "Grant": {
          "Type": "Succeed"
        },
        "Defer to next quarter": {
          "Type": "Succeed"
        },
        "Reject": {
          "Type": "Fail",
          "Error": "Request.Rejected",
          "Cause": "{% $decision.reason ? $decision.reason : 'rejected' %}"
        },
        "Expired": {
          "Type": "Fail",
          "Error": "Request.Expired"
        }
      }
    });
  },
};

/**
 * A Glue job polled until its state is one of four literals, the turns counted in a variable, and a
 * Fail once five checks found it still running.
 */
export const heldJobPolling: ModernMachine = {
  name: 'HeldJobPolling',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Start job",
      "States": {
        "Start job": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:start-job",
            "Payload": "{% $states.input %}"
          },
          "Assign": {
            "jobId": "{% $states.result.Payload.jobId %}",
            "turns": 0
          },
          "Next": "Wait a bit"
        },
        "Wait a bit": {
          "Type": "Wait",
          "Seconds": 30,
          "Next": "Check job"
        },
        "Check job": {
          "Type": "Task",
          "Resource": "arn:aws:states:::aws-sdk:glue:getJobRun",
          "Arguments": {
            "JobName": "nightly",
            "RunId": "{% $jobId %}"
          },
          "Assign": {
            "turns": "{% $turns + 1 %}",
            "status": "{% $states.result.JobRun.JobRunState %}"
          },
          "Next": "Done yet?"
        },
        "Done yet?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $status = 'SUCCEEDED' %}",
              "Next": "Succeeded"
            },
            {
              "Condition": "{% $status in ['FAILED', 'ERROR', 'TIMEOUT'] %}",
              "Next": "Job failed"
            },
            {
              "Condition": "{% $turns >= 5 %}",
              "Next": "Gave up"
            }
          ],
          "Default": "Wait a bit"
        },
        "Succeeded": {
          "Type": "Succeed"
        },
        "Job failed": {
          "Type": "Fail",
          "Error": "Job.Failed",
          "Cause": "{% 'job ended ' & $status %}"
        },
        "Gave up": {
          "Type": "Fail",
          "Error": "Job.TooSlow",
          "Cause": "{% 'still ' & $status & ' after ' & $string($turns) & ' checks' %}"
        }
      }
    });
  },
};

/**
 * A trip booked in three steps, each undone in reverse order by a Catch on States.ALL, and a
 * charge not captured undone the same way.
 */
export const heldTripSaga: ModernMachine = {
  name: 'HeldTripSaga',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Reserve flight",
      "States": {
        "Reserve flight": {
          "Type": "Task",
          "Resource": "arn:aws:states:::dynamodb:putItem",
          "Arguments": {
            "TableName": "bookings",
            "Item": {
              "pk": {
                "S": "{% 'FLIGHT#' & $states.input.tripId %}"
              }
            }
          },
          "Output": "{% $states.input %}",
          "Catch": [
            {
              "ErrorEquals": [
                "States.ALL"
              ],
              "Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}",
              "Next": "Trip failed"
            }
          ],
          "Next": "Reserve hotel"
        },
        "Reserve hotel": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:hotel",
            "Payload": "{% $states.input %}"
          },
          "Output": "{% $merge([$states.input, {'hotel': $states.result.Payload}]) %}",
          "Catch": [
            {
              "ErrorEquals": [
                "States.ALL"
              ],
              "Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}",
              "Next": "Cancel flight"
            }
          ],
          "Next": "Charge card"
        },
        "Charge card": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:charge",
            "Payload": "{% $states.input %}"
          },
          "Output": "{% $merge([$states.input, {'charge': $states.result.Payload}]) %}",
          "Retry": [
            {
              "ErrorEquals": [
                "Lambda.TooManyRequestsException"
              ],
              "MaxAttempts": 2
            }
          ],
          "Catch": [
            {
              "ErrorEquals": [
                "States.ALL"
              ],
              "Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}",
              "Next": "Cancel hotel"
            }
          ],
          "Next": "Paid?"
        },
        "Paid?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $states.input.charge.status = 'captured' %}",
              "Next": "Booked"
            }
          ],
          "Default": "Cancel hotel"
        },
        "Cancel hotel": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:cancel-hotel",
            "Payload": "{% $states.input %}"
          },
          "Output": "{% $states.input %}",
          "Retry": [
            {
              "ErrorEquals": [
                "States.ALL"
              ],
              "MaxAttempts": 3
            }
          ],
          "Next": "Cancel flight"
        },
        "Cancel flight": {
          "Type": "Task",
          "Resource": "arn:aws:states:::dynamodb:deleteItem",
          "Arguments": {
            "TableName": "bookings",
            "Key": {
              "pk": {
                "S": "{% 'FLIGHT#' & $states.input.tripId %}"
              }
            }
          },
          "Output": "{% $states.input %}",
          "Retry": [
            {
              "ErrorEquals": [
                "States.ALL"
              ],
              "MaxAttempts": 3
            }
          ],
          "Next": "Trip failed"
        },
        "Trip failed": {
          "Type": "Fail",
          "Error": "Trip.Failed",
          "Cause": "{% $exists($states.input.error) ? $states.input.error.Error : 'not paid' %}"
        },
        "Booked": {
          "Type": "Succeed"
        }
      }
    });
  },
};

/**
 * A cart priced as JSONata's documentation sums lines (`$sum(lines.(qty * price))`), its lines
 * counted, and a country prefix lowercased.
 */
export const heldCartLines: ModernMachine = {
  name: 'HeldCartLines',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Price cart",
      "States": {
        "Price cart": {
          "Type": "Pass",
          "Assign": {
            "total": "{% $sum($states.input.lines.(qty * price)) %}",
            "items": "{% $count($states.input.lines) %}"
          },
          "Next": "Route order"
        },
        "Route order": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $total >= 1000 and $lowercase($substring($states.input.country, 0, 2)) = 'de' %}",
              "Next": "Freight DE"
            },
            {
              "Condition": "{% $items > 20 %}",
              "Next": "Freight"
            },
            {
              "Condition": "{% $sum($states.input.lines.(qty * price)) > 200 %}",
              "Next": "Free shipping"
            }
          ],
          "Default": "Parcel"
        },
        "Freight DE": {
          "Type": "Succeed"
        },
        "Freight": {
          "Type": "Succeed"
        },
        "Free shipping": {
          "Type": "Succeed"
        },
        "Parcel": {
          "Type": "Succeed"
        }
      }
    });
  },
};
