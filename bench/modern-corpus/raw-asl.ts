/*
 * Machines written as raw ASL, the way a team that keeps its definitions as JSON (or copies them from
 * the console's Workflow Studio) brings them into CDK: `DefinitionBody.fromString`, no builders. Each
 * mixes what these teams write today: JSONata functions Step Functions adds ($uuid, $partition,
 * $hash, $parse), lambdas given to $map, $filter and $reduce, Assign read states later, the error
 * output in a Catch's Output, a Distributed Map over JSON Lines in batches, a callback, Bedrock and
 * HTTP Tasks, and a JSONPath machine whose newer states are JSONata.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { ModernMachine } from './common';

/** A state machine of a raw ASL definition, as `fromString` takes it. */
function fromAsl(scope: Construct, asl: object): sfn.StateMachine {
  return new sfn.StateMachine(scope, 'Machine', { definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(asl)) });
}

/** A report run: a tenant checked with a regex, reports queried and mapped through a lambda, a run claimed under a condition, the renderer's JSON body parsed. */
export const rawReportPipeline: ModernMachine = {
  name: 'RawReportPipeline',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Normalize",
      "States": {
        "Normalize": {
          "Type": "Pass",
          "Assign": {
            "runId": "{% $uuid() %}",
            "tenant": "{% $lowercase($replace($states.input.tenant, /\\s+/, '-')) %}",
            "region": "{% $split($states.context.StateMachine.Id, ':')[3] %}",
            "startedAt": "{% $states.context.Execution.StartTime %}"
          },
          "Output": "{% $states.input %}",
          "Next": "Valid tenant?"
        },
        "Valid tenant?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $not($contains($tenant, /^[a-z0-9-]+$/)) %}",
              "Next": "Bad tenant"
            },
            {
              "Condition": "{% $states.input.mode = 'full' %}",
              "Next": "Query reports"
            }
          ],
          "Default": "Mode delta?"
        },
        "Mode delta?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $states.input.mode = 'delta' and $exists($states.input.since) %}",
              "Next": "Query reports"
            }
          ],
          "Default": "Bad mode"
        },
        "Bad tenant": {
          "Type": "Fail",
          "Error": "Input.BadTenant",
          "Cause": "{% 'tenant ' & $tenant & ' is not valid' %}"
        },
        "Bad mode": {
          "Type": "Fail",
          "Error": "Input.BadMode"
        },
        "Query reports": {
          "Type": "Task",
          "Resource": "arn:aws:states:::aws-sdk:dynamodb:query",
          "Arguments": {
            "TableName": "Reports",
            "KeyConditionExpression": "tenant = :t",
            "ExpressionAttributeValues": {
              ":t": {
                "S": "{% $tenant %}"
              }
            }
          },
          "Retry": [
            {
              "ErrorEquals": [
                "DynamoDb.ProvisionedThroughputExceededException"
              ],
              "IntervalSeconds": 1,
              "MaxAttempts": 4,
              "BackoffRate": 2,
              "MaxDelaySeconds": 10,
              "JitterStrategy": "FULL"
            }
          ],
          "Catch": [
            {
              "ErrorEquals": [
                "States.ALL"
              ],
              "Output": "{% {'error': $states.errorOutput.Error, 'cause': $states.errorOutput.Cause} %}",
              "Next": "Record failure"
            }
          ],
          "Assign": {
            "reports": "{% $map($states.result.Items, function($i) { {'id': $i.id.S, 'size': $number($i.size.N)} }) %}"
          },
          "Output": "{% $merge([$states.input, {'found': $count($states.result.Items)}]) %}",
          "Next": "Any reports?"
        },
        "Any reports?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $count($reports) > 0 %}",
              "Next": "Big total?"
            }
          ],
          "Default": "Nothing to do"
        },
        "Nothing to do": {
          "Type": "Succeed",
          "Output": "{% {'runId': $runId, 'reports': 0} %}"
        },
        "Big total?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $reduce($reports, function($acc, $r) { $acc + $r.size }, 0) > 1000000 %}",
              "Next": "Wait for quiet"
            }
          ],
          "Default": "Claim run"
        },
        "Wait for quiet": {
          "Type": "Wait",
          "Seconds": "{% $count($filter($reports, function($r) { $r.size > 500000 })) * 60 %}",
          "Next": "Claim run"
        },
        "Claim run": {
          "Type": "Task",
          "Resource": "arn:aws:states:::dynamodb:updateItem",
          "Arguments": {
            "TableName": "Runs",
            "Key": {
              "tenant": {
                "S": "{% $tenant %}"
              }
            },
            "UpdateExpression": "SET runId = :r, startedAt = :s",
            "ConditionExpression": "attribute_not_exists(runId)",
            "ExpressionAttributeValues": {
              ":r": {
                "S": "{% $runId %}"
              },
              ":s": {
                "S": "{% $startedAt %}"
              }
            }
          },
          "Catch": [
            {
              "ErrorEquals": [
                "DynamoDB.ConditionalCheckFailedException"
              ],
              "Next": "Already running"
            }
          ],
          "Next": "Render"
        },
        "Already running": {
          "Type": "Succeed"
        },
        "Render": {
          "Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {
            "FunctionName": "{% 'arn:' & $partition & ':lambda:' & $region & ':123456789012:function:render' %}",
            "Payload": {
              "runId": "{% $runId %}",
              "ids": "{% $reports.id %}",
              "digest": "{% $hash($string($reports), 'SHA-256') %}"
            }
          },
          "Output": "{% $parse($states.result.Payload.body) %}",
          "Next": "Rendered?"
        },
        "Rendered?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $states.input.status = 'ok' ? true : ($states.input.status = 'partial' ? $states.input.missing < 3 : false) %}",
              "Next": "Publish"
            }
          ],
          "Default": "Record failure"
        },
        "Publish": {
          "Type": "Task",
          "Resource": "arn:aws:states:::events:putEvents",
          "Arguments": {
            "Entries": [
              {
                "Source": "reports",
                "DetailType": "ReportReady",
                "Detail": {
                  "runId": "{% $runId %}",
                  "url": "{% $states.input.url %}"
                }
              }
            ]
          },
          "End": true
        },
        "Record failure": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sqs:sendMessage",
          "Arguments": {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/failures",
            "MessageBody": "{% $string($states.input) %}"
          },
          "Next": "Failed"
        },
        "Failed": {
          "Type": "Fail",
          "Error": "Report.Failed"
        }
      }
    });
  },
};

/** Event ingest: an object's size decides between a person's approval (callback over SQS) and a Distributed Map over JSON Lines in batches, summarized with Bedrock; a webhook and a record in a Parallel with a Catch. */
export const rawEventIngest: ModernMachine = {
  name: 'RawEventIngest',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Check object",
      "States": {
        "Check object": {
          "Type": "Task",
          "Resource": "arn:aws:states:::aws-sdk:s3:headObject",
          "Arguments": {
            "Bucket": "{% $states.input.bucket %}",
            "Key": "{% $states.input.key %}"
          },
          "Assign": {
            "bucket": "{% $states.input.bucket %}",
            "key": "{% $states.input.key %}",
            "size": "{% $states.result.ContentLength %}"
          },
          "Catch": [
            {
              "ErrorEquals": [
                "S3.NoSuchKeyException",
                "S3.NotFoundException"
              ],
              "Output": "{% {'missing': $states.input.key, 'why': $states.errorOutput.Error} %}",
              "Next": "Missing"
            }
          ],
          "Next": "Too big?"
        },
        "Missing": {
          "Type": "Fail",
          "Error": "Ingest.Missing",
          "Cause": "{% $states.input.why %}"
        },
        "Too big?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $size > 100000000 %}",
              "Next": "Ask approval"
            },
            {
              "Condition": "{% $size = 0 %}",
              "Next": "Empty"
            }
          ],
          "Default": "Ingest lines"
        },
        "Empty": {
          "Type": "Succeed"
        },
        "Ask approval": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          "Arguments": {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
            "MessageBody": {
              "token": "{% $states.context.Task.Token %}",
              "key": "{% $key %}",
              "size": "{% $size %}"
            }
          },
          "TimeoutSeconds": 86400,
          "HeartbeatSeconds": 3600,
          "Catch": [
            {
              "ErrorEquals": [
                "States.Timeout"
              ],
              "Next": "Expired"
            },
            {
              "ErrorEquals": [
                "Approval.Rejected"
              ],
              "Next": "Rejected"
            }
          ],
          "Output": "{% $states.result %}",
          "Next": "Approved?"
        },
        "Approved?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $states.input.approved = true and $states.input.by != '' %}",
              "Next": "Ingest lines"
            }
          ],
          "Default": "Rejected"
        },
        "Expired": {
          "Type": "Fail",
          "Error": "Approval.Expired"
        },
        "Rejected": {
          "Type": "Fail",
          "Error": "Approval.Rejected"
        },
        "Ingest lines": {
          "Type": "Map",
          "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {
              "InputType": "JSONL",
              "MaxItems": 1000
            },
            "Arguments": {
              "Bucket": "{% $bucket %}",
              "Key": "{% $key %}"
            }
          },
          "ItemBatcher": {
            "MaxItemsPerBatch": 25,
            "BatchInput": {
              "source": "{% $key %}"
            }
          },
          "ItemProcessor": {
            "ProcessorConfig": {
              "Mode": "DISTRIBUTED",
              "ExecutionType": "EXPRESS"
            },
            "StartAt": "Keep valid",
            "States": {
              "Keep valid": {
                "Type": "Pass",
                "Output": "{% {'source': $states.input.BatchInput.source, 'events': $filter($states.input.Items, function($e) { $exists($e.id) and $e.type in ['click', 'view'] })} %}",
                "Next": "Any valid?"
              },
              "Any valid?": {
                "Type": "Choice",
                "Choices": [
                  {
                    "Condition": "{% $count($states.input.events) > 0 %}",
                    "Next": "Summarize"
                  }
                ],
                "Default": "Skip batch"
              },
              "Skip batch": {
                "Type": "Succeed"
              },
              "Summarize": {
                "Type": "Task",
                "Resource": "arn:aws:states:::bedrock:invokeModel",
                "Arguments": {
                  "ModelId": "anthropic.claude-3-haiku-20240307-v1:0",
                  "Body": {
                    "anthropic_version": "bedrock-2023-05-31",
                    "max_tokens": 200,
                    "messages": [
                      {
                        "role": "user",
                        "content": "{% 'Summarize: ' & $string($states.input.events) %}"
                      }
                    ]
                  }
                },
                "Retry": [
                  {
                    "ErrorEquals": [
                      "Bedrock.ThrottlingException"
                    ],
                    "MaxAttempts": 3,
                    "IntervalSeconds": 2,
                    "BackoffRate": 2,
                    "JitterStrategy": "FULL",
                    "MaxDelaySeconds": 20
                  }
                ],
                "Output": "{% {'summary': $states.result.Body.content[0].text, 'n': $count($states.input.events)} %}",
                "Next": "Publish summary"
              },
              "Publish summary": {
                "Type": "Task",
                "Resource": "arn:aws:states:::events:putEvents",
                "Arguments": {
                  "Entries": [
                    {
                      "Source": "ingest",
                      "DetailType": "BatchSummary",
                      "Detail": "{% $states.input %}"
                    }
                  ]
                },
                "Output": "{% $states.input %}",
                "End": true
              }
            }
          },
          "ToleratedFailurePercentage": 5,
          "Output": "{% {'batches': $count($states.result), 'events': $sum($states.result.n)} %}",
          "Next": "Notify"
        },
        "Notify": {
          "Type": "Parallel",
          "Branches": [
            {
              "StartAt": "Webhook",
              "States": {
                "Webhook": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::http:invoke",
                  "Arguments": {
                    "ApiEndpoint": "https://hooks.example.com/ingest",
                    "Method": "POST",
                    "Authentication": {
                      "ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/hooks/abc"
                    },
                    "RequestBody": "{% $states.input %}"
                  },
                  "Retry": [
                    {
                      "ErrorEquals": [
                        "States.Http.StatusCode.503"
                      ],
                      "MaxAttempts": 2
                    }
                  ],
                  "Output": "{% $states.result.StatusCode %}",
                  "End": true
                }
              }
            },
            {
              "StartAt": "Record",
              "States": {
                "Record": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::dynamodb:putItem",
                  "Arguments": {
                    "TableName": "Ingests",
                    "Item": {
                      "key": {
                        "S": "{% $key %}"
                      },
                      "events": {
                        "N": "{% $string($states.input.events) %}"
                      }
                    }
                  },
                  "End": true
                }
              }
            }
          ],
          "Catch": [
            {
              "ErrorEquals": [
                "States.ALL"
              ],
              "Output": "{% $merge([$states.input, {'notifyError': $states.errorOutput}]) %}",
              "Next": "Notified partly"
            }
          ],
          "Output": "{% {'status': $states.result[0] >= 200 and $states.result[0] < 300 ? 'sent' : 'not sent'} %}",
          "Next": "Sent?"
        },
        "Notified partly": {
          "Type": "Succeed"
        },
        "Sent?": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $states.input.status = 'sent' %}",
              "Next": "Done"
            }
          ],
          "Default": "Webhook refused"
        },
        "Webhook refused": {
          "Type": "Fail",
          "Error": "Ingest.WebhookRefused"
        },
        "Done": {
          "Type": "Succeed"
        }
      }
    });
  },
};

/** An order follow-up: a JSONPath machine whose newer states (a Choice, a Wait, a conditional update) are JSONata. */
export const rawOrderFollowUp: ModernMachine = {
  name: 'RawOrderFollowUp',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      "StartAt": "Load order",
      "States": {
        "Load order": {
          "Type": "Task",
          "Resource": "arn:aws:states:::dynamodb:getItem",
          "Parameters": {
            "TableName": "Orders",
            "Key": {
              "orderId": {
                "S.$": "$.orderId"
              }
            }
          },
          "ResultSelector": {
            "status.$": "$.Item.status.S",
            "total.$": "$.Item.total.N",
            "email.$": "$.Item.email.S"
          },
          "ResultPath": "$.order",
          "Catch": [
            {
              "ErrorEquals": [
                "States.ALL"
              ],
              "ResultPath": "$.error",
              "Next": "Give up"
            }
          ],
          "Next": "Route"
        },
        "Route": {
          "Type": "Choice",
          "QueryLanguage": "JSONata",
          "Choices": [
            {
              "Condition": "{% $states.input.order.status = 'SHIPPED' %}",
              "Next": "Done"
            },
            {
              "Condition": "{% $states.input.order.status = 'PENDING' and $number($states.input.order.total) >= 500 %}",
              "Next": "Hold for review",
              "Assign": {
                "reviewReason": "{% 'large order ' & $states.input.order.total %}"
              }
            }
          ],
          "Default": "Pending?"
        },
        "Pending?": {
          "Type": "Choice",
          "Choices": [
            {
              "Variable": "$.order.status",
              "StringEquals": "PENDING",
              "Next": "Wait a bit"
            }
          ],
          "Default": "Unknown status"
        },
        "Wait a bit": {
          "Type": "Wait",
          "QueryLanguage": "JSONata",
          "Seconds": "{% $states.input.attempt ? $min([$states.input.attempt * 60, 3600]) : 60 %}",
          "Next": "Mark reminded"
        },
        "Mark reminded": {
          "Type": "Task",
          "QueryLanguage": "JSONata",
          "Resource": "arn:aws:states:::dynamodb:updateItem",
          "Arguments": {
            "TableName": "Orders",
            "Key": {
              "orderId": {
                "S": "{% $states.input.orderId %}"
              }
            },
            "UpdateExpression": "SET reminded = :t",
            "ConditionExpression": "#s = :pending",
            "ExpressionAttributeNames": {
              "#s": "status"
            },
            "ExpressionAttributeValues": {
              ":t": {
                "BOOL": true
              },
              ":pending": {
                "S": "PENDING"
              }
            },
            "ReturnValues": "ALL_NEW"
          },
          "Catch": [
            {
              "ErrorEquals": [
                "DynamoDB.ConditionalCheckFailedException"
              ],
              "Output": "{% $states.input %}",
              "Next": "Done"
            }
          ],
          "Output": "{% $merge([$states.input, {'reminded': $states.result.Attributes.reminded.BOOL}]) %}",
          "Next": "Remind"
        },
        "Remind": {
          "Type": "Parallel",
          "Branches": [
            {
              "StartAt": "Email",
              "States": {
                "Email": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::aws-sdk:sesv2:sendEmail",
                  "Parameters": {
                    "FromEmailAddress": "shop@example.com",
                    "Destination": {
                      "ToAddresses.$": "States.Array($.order.email)"
                    },
                    "Content": {
                      "Simple": {
                        "Subject": {
                          "Data": "Your order"
                        },
                        "Body": {
                          "Text": {
                            "Data.$": "States.Format('Order {} is waiting', $.orderId)"
                          }
                        }
                      }
                    }
                  },
                  "End": true
                }
              }
            },
            {
              "StartAt": "Queue",
              "States": {
                "Queue": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::sqs:sendMessage",
                  "Parameters": {
                    "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/reminders",
                    "MessageBody.$": "States.JsonToString($)"
                  },
                  "End": true
                }
              }
            }
          ],
          "Catch": [
            {
              "ErrorEquals": [
                "SESV2.MessageRejectedException"
              ],
              "ResultPath": "$.emailError",
              "Next": "Done"
            }
          ],
          "ResultPath": null,
          "Next": "Done"
        },
        "Hold for review": {
          "Type": "Task",
          "QueryLanguage": "JSONata",
          "Resource": "arn:aws:states:::sns:publish",
          "Arguments": {
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:reviews",
            "Message": "{% $reviewReason %}",
            "Subject": "{% 'Order ' & $states.input.orderId %}"
          },
          "Next": "Done"
        },
        "Unknown status": {
          "Type": "Fail",
          "Error": "Order.UnknownStatus",
          "CausePath": "$.order.status"
        },
        "Give up": {
          "Type": "Fail",
          "Error": "Order.LoadFailed"
        },
        "Done": {
          "Type": "Succeed"
        }
      }
    });
  },
};

/** A price list: a Distributed Map over a CSV with headers, each row's SKU looked up in DynamoDB, counts of the results assigned and compared (and a Task that reads a field the Map's result does not have). */
export const rawPriceList: ModernMachine = {
  name: 'RawPriceList',
  shape: 'ETL over S3',
  build(stack) {
    fromAsl(stack, {
      "QueryLanguage": "JSONata",
      "StartAt": "Read price list",
      "States": {
        "Read price list": {
          "Type": "Map",
          "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {
              "InputType": "CSV",
              "CSVHeaderLocation": "FIRST_ROW"
            },
            "Arguments": {
              "Bucket": "prices",
              "Key": "{% 'lists/' & $states.input.list & '.csv' %}"
            }
          },
          "ItemSelector": {
            "sku": "{% $states.context.Map.Item.Value.sku %}",
            "price": "{% $number($states.context.Map.Item.Value.price) %}",
            "row": "{% $states.context.Map.Item.Index %}"
          },
          "ItemProcessor": {
            "ProcessorConfig": {
              "Mode": "DISTRIBUTED",
              "ExecutionType": "STANDARD"
            },
            "StartAt": "Known sku?",
            "States": {
              "Known sku?": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Arguments": {
                  "TableName": "Products",
                  "Key": {
                    "sku": {
                      "S": "{% $states.input.sku %}"
                    }
                  },
                  "ProjectionExpression": "sku, category"
                },
                "Output": "{% $merge([$states.input, {'known': $exists($states.result.Item), 'category': $states.result.Item.category.S}]) %}",
                "Next": "Route price"
              },
              "Route price": {
                "Type": "Choice",
                "Choices": [
                  {
                    "Condition": "{% $not($states.input.known) %}",
                    "Next": "Unknown sku"
                  },
                  {
                    "Condition": "{% $states.input.price <= 0 %}",
                    "Next": "Bad price"
                  },
                  {
                    "Condition": "{% $contains($states.input.category, /^(food|drink)$/) %}",
                    "Next": "Tax reduced"
                  }
                ],
                "Default": "Tax standard"
              },
              "Unknown sku": {
                "Type": "Pass",
                "Output": "{% {'sku': $states.input.sku, 'status': 'unknown'} %}",
                "End": true
              },
              "Bad price": {
                "Type": "Fail",
                "Error": "Price.Invalid",
                "Cause": "{% 'row ' & $string($states.input.row) & ': ' & $string($states.input.price) %}"
              },
              "Tax reduced": {
                "Type": "Pass",
                "Output": "{% {'sku': $states.input.sku, 'gross': $round($states.input.price * 1.07, 2), 'status': 'ok'} %}",
                "End": true
              },
              "Tax standard": {
                "Type": "Pass",
                "Output": "{% {'sku': $states.input.sku, 'gross': $round($states.input.price * 1.19, 2), 'status': 'ok'} %}",
                "End": true
              }
            }
          },
          "ToleratedFailureCount": 0,
          "Catch": [
            {
              "ErrorEquals": [
                "States.ExceedToleratedFailureThreshold"
              ],
              "Output": "{% {'error': $states.errorOutput.Error} %}",
              "Next": "Report bad list"
            }
          ],
          "Assign": {
            "unknown": "{% $count($states.result[status = 'unknown']) %}",
            "ok": "{% $count($states.result[status = 'ok']) %}"
          },
          "Next": "Summary"
        },
        "Report bad list": {
          "Type": "Fail",
          "Error": "PriceList.Invalid"
        },
        "Summary": {
          "Type": "Choice",
          "Choices": [
            {
              "Condition": "{% $unknown > 0 and $ok = 0 %}",
              "Next": "All unknown"
            },
            {
              "Condition": "{% $unknown > 0 %}",
              "Next": "Some unknown"
            }
          ],
          "Default": "Publish"
        },
        "All unknown": {
          "Type": "Fail",
          "Error": "PriceList.AllUnknown"
        },
        "Some unknown": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sns:publish",
          "Arguments": {
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:prices",
            "Message": "{% $string($unknown) & ' unknown skus in ' & $states.input.list %}"
          },
          "Next": "Publish"
        },
        "Publish": {
          "Type": "Task",
          "Resource": "arn:aws:states:::events:putEvents",
          "Arguments": {
            "Entries": [
              {
                "Source": "prices",
                "DetailType": "PriceListLoaded",
                "Detail": {
                  "ok": "{% $ok %}",
                  "list": "{% $states.input.list %}"
                }
              }
            ]
          },
          "End": true
        }
      }
    });
  },
};
