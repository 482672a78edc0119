/*
 * Machines in the idioms of explore round 4 (issue 77) that the corpus lacked, written as raw ASL:
 * a Choice after a Map counting the iterations' answers with a `$filter` lambda (and a JSONPath
 * filter counted by States.ArrayLength); string rules the flow decides both ways (an enum answer
 * lowercased, a `$join`, `&`, `$match` and `$contains` on a model's answer two levels down); a Retry
 * and a Catch on States.DataLimitExceeded; a saga whose compensation needs a later Task to fail
 * after an earlier one succeeded; a polling loop's timeout after five turns; a callback approval
 * whose rejection reads the answer; and a branch a required answer member closes.
 */
import type { ModernMachine } from './common';
import { fromAsl } from './flows';

/** Hosts probed one by one in a Map; a Choice after it counts the probes that failed with a `$filter` lambda and the slow ones with a filter on a field the probe's Output renames (`latency` from `latencyMs`), so explore chooses each item's answer. */
export const hostHealthSweep: ModernMachine = {
  name: 'HostHealthSweep',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Check hosts",
      "States": {
        "Check hosts": {
          "Type": "Map",
          "Items": "{% $states.input.hosts %}",
          "ItemProcessor": {
            "ProcessorConfig": {
              "Mode": "INLINE"
            },
            "StartAt": "Probe",
            "States": {
              "Probe": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {
                  "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:probe",
                  "Payload": {
                    "host": "{% $states.input %}"
                  }
                },
                "Output": {
                  "host": "{% $states.input %}",
                  "status": "{% $states.result.Payload.status %}",
                  "latency": "{% $states.result.Payload.latencyMs %}"
                },
                "End": true
              }
            }
          },
          "Assign": {
            "failed": "{% $count($filter($states.result, function($r){ $r.status = 'FAILED' })) %}",
            "slow": "{% $count($states.result[latency > 500]) %}"
          },
          "Next": "Any failed?"
        },
        "Any failed?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $failed > 1 %}",
              "Next": "Page on-call"
            },
            {
              "Condition": "{% $failed = 1 %}",
              "Next": "Open ticket"
            },
            {
              "Condition": "{% $slow > 0 %}",
              "Next": "Note slowness"
            }
          ],
          "Default": "All healthy"
        },
        "Page on-call": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sns:publish",
          "Arguments": {
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:oncall",
            "Message": "{% $string($failed) & ' hosts down' %}"
          },
          "End": true
        },
        "Open ticket": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sqs:sendMessage",
          "Arguments": {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/tickets",
            "MessageBody": "one host down"
          },
          "End": true
        },
        "Note slowness": {
          "Type": "Pass",
          "End": true
        },
        "All healthy": {
          "Type": "Succeed"
        }
      }
    });
  },
};

/** Rows validated in a JSONPath Map, the bad ones selected with `$.results[?(@.ok == false)]` and counted with States.ArrayLength in a Pass before the Choice that rejects the batch. */
export const rowValidationBatch: ModernMachine = {
  name: 'RowValidationBatch',
  shape: 'document pipeline',
  build(stack) {
    fromAsl(stack, {
      "StartAt": "Validate rows",
      "States": {
        "Validate rows": {
          "Type": "Map",
          "ItemsPath": "$.rows",
          "ItemProcessor": {
            "ProcessorConfig": {
              "Mode": "INLINE"
            },
            "StartAt": "Validate",
            "States": {
              "Validate": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {
                  "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:validate-row",
                  "Payload.$": "$"
                },
                "ResultSelector": {
                  "ok.$": "$.Payload.ok",
                  "row.$": "$.Payload.row"
                },
                "End": true
              }
            }
          },
          "ResultPath": "$.results",
          "Next": "Count bad"
        },
        "Count bad": {
          "Type": "Pass",
          "Parameters": {
            "bad.$": "$.results[?(@.ok == false)]",
            "total.$": "States.ArrayLength($.results)"
          },
          "ResultPath": "$.summary",
          "Next": "Count"
        },
        "Count": {
          "Type": "Pass",
          "Parameters": {
            "badCount.$": "States.ArrayLength($.summary.bad)",
            "total.$": "$.summary.total"
          },
          "Next": "Any bad?"
        },
        "Any bad?": {
          "Type": "Choice",
          "Choices": [
            {
              "Variable": "$.badCount",
              "NumericGreaterThan": 0,
              "Next": "Reject batch"
            },
            {
              "Variable": "$.total",
              "NumericEquals": 0,
              "Next": "Empty batch"
            }
          ],
          "Default": "Load batch"
        },
        "Reject batch": {
          "Type": "Fail",
          "Error": "Batch.Invalid",
          "Cause": "rows failed validation"
        },
        "Empty batch": {
          "Type": "Succeed"
        },
        "Load batch": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:load",
            "Payload.$": "$"
          },
          "End": true
        }
      }
    });
  },
};

/** A support message routed on Comprehend's Sentiment lowercased, a queue `$join`-ed from a literal and a lowercased tier, a region `&` a channel; `angry` is no Sentiment the enum lowercases to, and the channel, set once to a constant, never sends an SMS: both proved. */
export const supportSentimentRouter: ModernMachine = {
  name: 'SupportSentimentRouter',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Init",
      "States": {
        "Init": {
          "Type": "Pass",
          "Assign": {
            "channel": "{% $lowercase($trim(' Email ')) %}",
            "region": "{% $uppercase($states.input.region) %}",
            "queue": "{% $join(['support', $lowercase($states.input.tier)], '-') %}",
            "email": "{% $states.input.email %}"
          },
          "Next": "Detect"
        },
        "Detect": {
          "Type": "Task",
          "Resource": "arn:aws:states:::aws-sdk:comprehend:detectSentiment",
          "Arguments": {
            "Text": "{% $states.input.message %}",
            "LanguageCode": "en"
          },
          "Assign": {
            "mood": "{% $lowercase($states.result.Sentiment) %}",
            "score": "{% $states.result.SentimentScore.Negative %}"
          },
          "Next": "Route"
        },
        "Route": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $mood = 'negative' and $score > 0.8 %}",
              "Next": "Escalate"
            },
            {
              "Condition": "{% $mood = 'angry' %}",
              "Next": "Calm down"
            },
            {
              "Condition": "{% $queue = 'support-gold' %}",
              "Next": "Priority"
            },
            {
              "Condition": "{% $region & '/' & $channel = 'EU/email' %}",
              "Next": "EU desk"
            }
          ],
          "Default": "Standard"
        },
        "Escalate": {
          "Type": "Pass",
          "Next": "Channel?"
        },
        "Calm down": {
          "Type": "Pass",
          "Next": "Channel?"
        },
        "Priority": {
          "Type": "Pass",
          "Next": "Channel?"
        },
        "EU desk": {
          "Type": "Pass",
          "Next": "Channel?"
        },
        "Standard": {
          "Type": "Pass",
          "Next": "Channel?"
        },
        "Channel?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $channel = 'email' %}",
              "Next": "Send email"
            }
          ],
          "Default": "Send SMS"
        },
        "Send email": {
          "Type": "Task",
          "Resource": "arn:aws:states:::aws-sdk:sesv2:sendEmail",
          "Arguments": {
            "Destination": {
              "ToAddresses": [
                "{% $email %}"
              ]
            },
            "Content": {
              "Simple": {
                "Subject": {
                  "Data": "We got your message"
                },
                "Body": {
                  "Text": {
                    "Data": "{% $mood %}"
                  }
                }
              }
            }
          },
          "End": true
        },
        "Send SMS": {
          "Type": "Fail",
          "Error": "Channel.Unsupported"
        }
      }
    });
  },
};

/** A model's answer two levels down in Bedrock's Body routed with `$match` and `$contains` (regexes, a lowercased text and its length). */
export const bedrockIntentRouter: ModernMachine = {
  name: 'BedrockIntentRouter',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Classify",
      "States": {
        "Classify": {
          "Type": "Task",
          "Resource": "arn:aws:states:::bedrock:invokeModel",
          "Arguments": {
            "ModelId": "amazon.nova-lite-v1:0",
            "Body": {
              "messages": [
                {
                  "role": "user",
                  "content": [
                    {
                      "text": "{% 'Classify this support message: ' & $states.input.message %}"
                    }
                  ]
                }
              ]
            }
          },
          "Assign": {
            "answer": "{% $states.result.Body.output.message.content[0].text %}",
            "message": "{% $states.input.message %}"
          },
          "Next": "Intent?"
        },
        "Intent?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $count($match($answer, /^\\s*ESCALATE/)) > 0 %}",
              "Next": "Page a human"
            },
            {
              "Condition": "{% $contains($answer, /refund/i) %}",
              "Next": "Start refund"
            },
            {
              "Condition": "{% $contains($lowercase($answer), 'cancel') and $length($answer) < 40 %}",
              "Next": "Cancel order"
            }
          ],
          "Default": "Reply"
        },
        "Page a human": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sns:publish",
          "Arguments": {
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:support-oncall",
            "Message": "{% $answer %}"
          },
          "End": true
        },
        "Start refund": {
          "Type": "Task",
          "Resource": "arn:aws:states:::states:startExecution",
          "Arguments": {
            "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:refunds",
            "Input": {
              "message": "{% $message %}"
            }
          },
          "End": true
        },
        "Cancel order": {
          "Type": "Pass",
          "End": true
        },
        "Reply": {
          "Type": "Pass",
          "End": true
        }
      }
    });
  },
};

/** Rows exported by a function whose answer may be over 256 KiB: a Retry and a Catch on States.DataLimitExceeded, reached by an answer that long, fall back to an export to S3. */
export const rowExportFallback: ModernMachine = {
  name: 'RowExportFallback',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Remember table",
      "States": {
        "Remember table": {
          "Type": "Pass",
          "Assign": {
            "table": "{% $states.input.table %}"
          },
          "Next": "Export rows"
        },
        "Export rows": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:export-rows",
            "Payload": {
              "table": "{% $table %}"
            }
          },
          "Output": "{% $states.result.Payload %}",
          "Retry": [
            {
              "ErrorEquals": [
                "States.DataLimitExceeded"
              ],
              "MaxAttempts": 1,
              "IntervalSeconds": 1
            },
            {
              "ErrorEquals": [
                "Lambda.TooManyRequestsException"
              ],
              "MaxAttempts": 3,
              "BackoffRate": 2
            }
          ],
          "Catch": [
            {
              "ErrorEquals": [
                "States.DataLimitExceeded"
              ],
              "Next": "Export to S3"
            },
            {
              "ErrorEquals": [
                "States.ALL"
              ],
              "Next": "Report failure"
            }
          ],
          "Next": "Publish rows"
        },
        "Export to S3": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:export-rows-s3",
            "Payload": {
              "table": "{% $table %}",
              "bucket": "exports"
            }
          },
          "Output": "{% $states.result.Payload %}",
          "Next": "Publish rows"
        },
        "Publish rows": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sns:publish",
          "Arguments": {
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:exports",
            "Message": "{% $string($states.input) %}"
          },
          "End": true
        },
        "Report failure": {
          "Type": "Fail",
          "Error": "Export.Failed",
          "Cause": "{% $states.input.Cause %}"
        }
      }
    });
  },
};

/** A seat held, a card charged, a ticket issued; the refund is reached only when the ticket fails after the charge succeeded, and a Choice after the release tells which compensation ran. */
export const seatBookingSaga: ModernMachine = {
  name: 'SeatBookingSaga',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Reserve seat",
      "States": {
        "Reserve seat": {
          "Type": "Task",
          "Resource": "arn:aws:states:::dynamodb:putItem",
          "Arguments": {
            "TableName": "Seats",
            "Item": {
              "pk": {
                "S": "{% $states.input.seatId %}"
              },
              "status": {
                "S": "HELD"
              }
            },
            "ConditionExpression": "attribute_not_exists(pk)"
          },
          "Assign": {
            "seatId": "{% $states.input.seatId %}",
            "card": "{% $states.input.card %}"
          },
          "Catch": [
            {
              "ErrorEquals": [
                "DynamoDB.ConditionalCheckFailedException"
              ],
              "Next": "Seat taken"
            }
          ],
          "Next": "Charge card"
        },
        "Charge card": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:charge",
            "Payload": {
              "card": "{% $card %}"
            }
          },
          "Output": {
            "chargeId": "{% $states.result.Payload.chargeId %}"
          },
          "Assign": {
            "chargeId": "{% $states.result.Payload.chargeId %}"
          },
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
              "Output": "{% $states.errorOutput %}",
              "Next": "Release seat"
            }
          ],
          "Next": "Issue ticket"
        },
        "Issue ticket": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:ticket",
            "Payload": {
              "seat": "{% $seatId %}",
              "charge": "{% $chargeId %}"
            }
          },
          "Catch": [
            {
              "ErrorEquals": [
                "States.ALL"
              ],
              "Next": "Refund"
            }
          ],
          "Next": "Done"
        },
        "Refund": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:refund",
            "Payload": {
              "charge": "{% $chargeId %}"
            }
          },
          "Next": "Release seat"
        },
        "Release seat": {
          "Type": "Task",
          "Resource": "arn:aws:states:::dynamodb:deleteItem",
          "Arguments": {
            "TableName": "Seats",
            "Key": {
              "pk": {
                "S": "{% $seatId %}"
              }
            }
          },
          "Next": "Charged?"
        },
        "Charged?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $exists($chargeId) %}",
              "Next": "Refunded and released"
            }
          ],
          "Default": "Released"
        },
        "Refunded and released": {
          "Type": "Fail",
          "Error": "Booking.Failed",
          "Cause": "ticket could not be issued"
        },
        "Released": {
          "Type": "Fail",
          "Error": "Booking.Failed",
          "Cause": "card was not charged"
        },
        "Seat taken": {
          "Type": "Fail",
          "Error": "Seat.Taken"
        },
        "Done": {
          "Type": "Succeed"
        }
      }
    });
  },
};

/** A DynamoDB export polled until its status says it ended or five checks have passed; CANCELLED is no ExportStatus the model names, so its branch is proved unreachable. */
export const tableExportPoller: ModernMachine = {
  name: 'TableExportPoller',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Start export",
      "States": {
        "Start export": {
          "Type": "Task",
          "Resource": "arn:aws:states:::aws-sdk:dynamodb:exportTableToPointInTime",
          "Arguments": {
            "TableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/Orders",
            "S3Bucket": "exports"
          },
          "Assign": {
            "exportArn": "{% $states.result.ExportDescription.ExportArn %}",
            "turns": 0
          },
          "Next": "Wait a minute"
        },
        "Wait a minute": {
          "Type": "Wait",
          "Seconds": 60,
          "Next": "Describe export"
        },
        "Describe export": {
          "Type": "Task",
          "Resource": "arn:aws:states:::aws-sdk:dynamodb:describeExport",
          "Arguments": {
            "ExportArn": "{% $exportArn %}"
          },
          "Assign": {
            "status": "{% $states.result.ExportDescription.ExportStatus %}",
            "turns": "{% $turns + 1 %}"
          },
          "Next": "Export done?"
        },
        "Export done?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $status = 'COMPLETED' %}",
              "Next": "Notify"
            },
            {
              "Condition": "{% $status = 'FAILED' %}",
              "Next": "Export failed"
            },
            {
              "Condition": "{% $status = 'CANCELLED' %}",
              "Next": "Export cancelled"
            },
            {
              "Condition": "{% $turns >= 5 %}",
              "Next": "Timed out"
            }
          ],
          "Default": "Wait a minute"
        },
        "Notify": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sns:publish",
          "Arguments": {
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:exports",
            "Message": "{% $exportArn %}"
          },
          "End": true
        },
        "Export failed": {
          "Type": "Fail",
          "Error": "Export.Failed"
        },
        "Export cancelled": {
          "Type": "Fail",
          "Error": "Export.Cancelled"
        },
        "Timed out": {
          "Type": "Fail",
          "Error": "Export.TimedOut",
          "Cause": "{% 'still ' & $status & ' after ' & $string($turns) & ' checks' %}"
        }
      }
    });
  },
};

/** A manager's decision through a task token: approve, reject with the comment the answer carries, or ask again; a rejection raised as an error reads its cause, a timeout escalates. */
export const expenseCallbackApproval: ModernMachine = {
  name: 'ExpenseCallbackApproval',
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
              "amount": "{% $states.input.amount %}"
            }
          },
          "TimeoutSeconds": 86400,
          "Assign": {
            "decision": "{% $states.result.decision %}",
            "comment": "{% $states.result.comment %}"
          },
          "Catch": [
            {
              "ErrorEquals": [
                "States.Timeout"
              ],
              "Next": "Escalate"
            },
            {
              "ErrorEquals": [
                "Approval.Rejected"
              ],
              "Assign": {
                "reason": "{% $states.errorOutput.Cause %}"
              },
              "Next": "Tell requester"
            }
          ],
          "Next": "Approved?"
        },
        "Approved?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $decision = 'approve' %}",
              "Next": "Pay"
            },
            {
              "Condition": "{% $decision = 'reject' and $exists($comment) %}",
              "Assign": {
                "reason": "{% $comment %}"
              },
              "Next": "Tell requester"
            }
          ],
          "Default": "Ask again"
        },
        "Ask again": {
          "Type": "Pass",
          "Next": "Ask manager"
        },
        "Pay": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:pay",
            "Payload": "{% $states.input %}"
          },
          "End": true
        },
        "Escalate": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sns:publish",
          "Arguments": {
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:finance",
            "Message": "approval timed out"
          },
          "End": true
        },
        "Tell requester": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sns:publish",
          "Arguments": {
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:requests",
            "Message": "{% 'Rejected: ' & $reason %}"
          },
          "End": true
        }
      }
    });
  },
};

/** A child execution started with the SDK integration and its answer kept whole; the branch for an answer without ExecutionArn or StartDate is proved unreachable, the model requiring both. */
export const childRunRecorder: ModernMachine = {
  name: 'ChildRunRecorder',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Start child",
      "States": {
        "Start child": {
          "Type": "Task",
          "Resource": "arn:aws:states:::aws-sdk:sfn:startExecution",
          "Arguments": {
            "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child",
            "Input": "{% $string($states.input) %}"
          },
          "Assign": {
            "started": "{% $states.result %}"
          },
          "Next": "Started?"
        },
        "Started?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $exists($started.ExecutionArn) and $exists($started.StartDate) %}",
              "Next": "Record"
            }
          ],
          "Default": "Not started"
        },
        "Record": {
          "Type": "Task",
          "Resource": "arn:aws:states:::dynamodb:putItem",
          "Arguments": {
            "TableName": "Runs",
            "Item": {
              "pk": {
                "S": "{% $started.ExecutionArn %}"
              }
            }
          },
          "End": true
        },
        "Not started": {
          "Type": "Fail",
          "Error": "Child.NotStarted"
        }
      }
    });
  },
};

/** A prompt checked by a Bedrock guardrail (BLOCKED is no Action the model names: proved), then chunks scored in a Map whose weak answers a `$filter` lambda counts, rescored at most three times by a counter a Choice rule's Assign turns. */
export const guardedChunkScoring: ModernMachine = {
  name: 'GuardedChunkScoring',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Init",
      "States": {
        "Init": {
          "Type": "Pass",
          "Assign": {
            "attempt": 0,
            "prompt": "{% $states.input.prompt %}",
            "chunks": "{% $states.input.chunks %}"
          },
          "Next": "Guard input"
        },
        "Guard input": {
          "Type": "Task",
          "Resource": "arn:aws:states:::aws-sdk:bedrockruntime:applyGuardrail",
          "Arguments": {
            "GuardrailIdentifier": "gr-1",
            "GuardrailVersion": "1",
            "Source": "INPUT",
            "Content": [
              {
                "Text": {
                  "Text": "{% $prompt %}"
                }
              }
            ]
          },
          "Assign": {
            "verdict": "{% $states.result.Action %}"
          },
          "Next": "Blocked?"
        },
        "Blocked?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $verdict = 'GUARDRAIL_INTERVENED' %}",
              "Next": "Refuse"
            },
            {
              "Condition": "{% $verdict = 'BLOCKED' %}",
              "Next": "Never"
            }
          ],
          "Default": "Score chunks"
        },
        "Score chunks": {
          "Type": "Map",
          "Items": "{% $chunks %}",
          "ItemProcessor": {
            "ProcessorConfig": {
              "Mode": "INLINE"
            },
            "StartAt": "Score",
            "States": {
              "Score": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {
                  "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:score",
                  "Payload": "{% $states.input %}"
                },
                "End": true
              }
            }
          },
          "Assign": {
            "weak": "{% $count($filter($states.result, function($v) { $v.Payload.score < 0.5 })) %}"
          },
          "Next": "Weak?"
        },
        "Weak?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $weak > 2 and $attempt < 3 %}",
              "Assign": {
                "attempt": "{% $attempt + 1 %}"
              },
              "Next": "Score chunks"
            },
            {
              "Condition": "{% $weak > 2 %}",
              "Next": "Give up"
            }
          ],
          "Default": "Answer"
        },
        "Refuse": {
          "Type": "Fail",
          "Error": "Prompt.Refused"
        },
        "Never": {
          "Type": "Fail",
          "Error": "Never"
        },
        "Give up": {
          "Type": "Fail",
          "Error": "Too.Weak"
        },
        "Answer": {
          "Type": "Succeed"
        }
      }
    });
  },
};
