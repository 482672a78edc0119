/*
 * More machines in idioms the corpus lacked (issue 77, explore round 4, ninth pass): JSONata's
 * chain operator (`~>`) with `$map`, `$distinct`, `$sort` and `$reverse`; strings split, matched
 * and cut (`$split`, `$match`, `$substring`, `$pad`, `$replace`); a child workflow run with
 * `.sync` whose output is JSON text and an Express workflow run with StartSyncExecution; a Parallel
 * enrichment merged before a saga with compensations; a job polled with a growing Wait until a
 * deadline measured from the execution's start; feature flags read with `$keys`, `$lookup` and
 * `$sift`; and Step Functions' own `$partition` and `$range`.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const LAMBDA = 'arn:aws:states:::lambda:invoke';

/**
 * Order references routed by their parts: a reference like `ACME-2024-0042-EU` is checked against
 * its pattern, its region read from its last part, its tags lower-cased and de-duplicated through a
 * chain, a SKU prefix compared, and the sequence padded back into a ticket number.
 */
export const orderReferenceParts: ModernMachine = {
  name: 'OrderReferenceParts',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Look up order',
      States: {
        'Look up order': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('lookup-order'), Payload: { ref: '{% $states.input.ref %}' } },
          Assign: {
            ref: '{% $uppercase($trim($states.result.Payload.reference)) %}',
            tags: '{% $states.result.Payload.tags ~> $map($lowercase) ~> $distinct %}',
            sku: '{% $states.result.Payload.sku %}',
            region: '{% $split($uppercase($trim($states.result.Payload.reference)), "-")[3] %}',
            seq: '{% $number($split($trim($states.result.Payload.reference), "-")[2]) %}',
          },
          Output: '{% $states.result.Payload %}',
          Next: 'Well formed?',
        },
        'Well formed?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $not($contains($ref, /^[A-Z]{3,5}-[0-9]{4}-[0-9]{4}-[A-Z]{2}$/)) %}', Next: 'Bad reference' }],
          Default: 'Route by parts',
        },
        'Route by parts': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% "priority" in $tags %}', Next: 'Priority desk' },
            { Condition: '{% $region in ["EU", "UK"] %}', Next: 'EU desk' },
            { Condition: '{% $substring($sku, 0, 3) = "EXP" and $count($tags) >= 2 %}', Next: 'Export desk' },
          ],
          Default: 'Standard desk',
        },
        'Priority desk': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Arguments: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/priority', MessageBody: { ref: '{% $ref %}', tags: '{% $tags %}' } },
          Next: 'Ticket',
        },
        'EU desk': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('eu-desk'), Payload: { ref: '{% $replace($ref, "-", "/") %}' } },
          Next: 'Ticket',
        },
        'Export desk': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('export-desk'), Payload: { sku: '{% $sku %}' } },
          Next: 'Ticket',
        },
        'Standard desk': { Type: 'Pass', Next: 'Ticket' },
        'Ticket': {
          Type: 'Pass',
          Output: "{% {\"ticket\": 'T' & $pad($string($seq), -6, '0'), \"region\": $region} %}",
          Next: 'Big sequence?',
        },
        'Big sequence?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $seq >= 9000 %}', Next: 'Roll over sequence' }],
          Default: 'Routed',
        },
        'Roll over sequence': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('roll-sequence'), Payload: { region: '{% $region %}' } },
          Next: 'Routed',
        },
        'Bad reference': { Type: 'Fail', Error: 'Order.BadReference', Cause: 'the reference does not match PREFIX-YYYY-NNNN-RR' },
        'Routed': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A risk score computed by a child workflow run with `.sync` (its Output is JSON text, parsed) and
 * a fraud check by an Express workflow run with StartSyncExecution (whose status says whether it
 * failed); a failed child is caught, a timed out check is retried once by hand.
 */
export const childScoring: ModernMachine = {
  name: 'ChildScoring',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Score risk',
      States: {
        'Score risk': {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync',
          Arguments: {
            StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:risk-score',
            Input: { applicant: '{% $states.input.applicant %}', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: '{% $states.context.Execution.Id %}' },
          },
          Assign: { score: '{% $parse($states.result.Output).score %}', applicant: '{% $states.input.applicant %}', checks: 0 },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Scoring failed' }],
          Next: 'Check fraud',
        },
        'Check fraud': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sfn:startSyncExecution',
          Arguments: {
            StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:fraud-check',
            Input: '{% $string({"applicant": $applicant}) %}',
          },
          Assign: { checks: '{% $checks + 1 %}' },
          Output: '{% {"status": $states.result.Status, "flags": $states.result.Status = "SUCCEEDED" ? $parse($states.result.Output).flags : []} %}',
          Next: 'Fraud result?',
        },
        'Fraud result?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.status = "TIMED_OUT" and $checks < 2 %}', Next: 'Check fraud' },
            { Condition: '{% $states.input.status != "SUCCEEDED" %}', Next: 'Manual review' },
            { Condition: '{% $count($states.input.flags) > 0 %}', Next: 'Decline' },
          ],
          Default: 'Score band',
        },
        'Score band': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $score >= 700 %}', Next: 'Approve' },
            { Condition: '{% $score >= 550 %}', Next: 'Manual review' },
          ],
          Default: 'Decline',
        },
        'Approve': { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: FN('approve'), Payload: { applicant: '{% $applicant %}' } }, End: true },
        'Manual review': { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: FN('manual-review'), Payload: { applicant: '{% $applicant %}' } }, End: true },
        'Decline': { Type: 'Task', Resource: LAMBDA, Arguments: { FunctionName: FN('decline'), Payload: { applicant: '{% $applicant %}' } }, End: true },
        'Scoring failed': { Type: 'Fail', Error: 'Scoring.Failed', Cause: 'the risk score workflow failed' },
      },
    });
  },
};

/**
 * A booking enriched by a Parallel (the customer from DynamoDB, the credit from a Lambda, the
 * availability from an HTTP API), the branches' results merged into one object; a low score for a
 * customer who is not gold is refused; then a saga: hold the room, charge, confirm by email, each
 * failure undone by the compensations before it, a declined card told apart.
 */
export const enrichedBookingSaga: ModernMachine = {
  name: 'EnrichedBookingSaga',
  shape: 'order saga',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Enrich',
      States: {
        'Enrich': {
          Type: 'Parallel',
          Arguments: '{% $states.input %}',
          Branches: [
            {
              StartAt: 'Customer',
              States: {
                Customer: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::dynamodb:getItem',
                  Arguments: { TableName: 'customers', Key: { pk: { S: '{% $states.input.customerId %}' } } },
                  Output: '{% {"tier": $states.result.Item.tier.S} %}',
                  End: true,
                },
              },
            },
            {
              StartAt: 'Credit',
              States: {
                Credit: {
                  Type: 'Task',
                  Resource: LAMBDA,
                  Arguments: { FunctionName: FN('credit-score'), Payload: { customerId: '{% $states.input.customerId %}' } },
                  Output: '{% {"score": $states.result.Payload.score} %}',
                  End: true,
                },
              },
            },
            {
              StartAt: 'Availability',
              States: {
                Availability: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::http:invoke',
                  Arguments: {
                    ApiEndpoint: 'https://rooms.example.com/availability',
                    Method: 'GET',
                    Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/rooms/1' },
                    QueryParameters: { hotel: '{% $states.input.hotelId %}' },
                  },
                  Output: '{% {"rooms": $states.result.ResponseBody.free} %}',
                  End: true,
                },
              },
            },
          ],
          Output: '{% $merge([$states.input, $merge($states.result)]) %}',
          Next: 'Allowed?',
        },
        'Allowed?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.rooms < 1 %}', Next: 'Sold out' },
            { Condition: '{% $states.input.score < 600 and $states.input.tier != "gold" %}', Next: 'Refused' },
          ],
          Default: 'Hold room',
        },
        'Hold room': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('hold-room'), Payload: '{% $states.input %}' },
          Assign: { booking: '{% $states.input %}', holdId: '{% $states.result.Payload.holdId %}' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Refused' }],
          Next: 'Charge',
        },
        'Charge': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('charge'), Payload: { holdId: '{% $holdId %}', customerId: '{% $booking.customerId %}' } },
          Assign: { chargeId: '{% $states.result.Payload.chargeId %}' },
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { failure: '{% $states.errorOutput %}' }, Next: 'Release room' }],
          Next: 'Confirm',
        },
        'Confirm': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:sesv2:sendEmail',
          Arguments: {
            FromEmailAddress: 'bookings@example.com',
            Destination: { ToAddresses: ['{% $booking.email %}'] },
            Content: { Simple: { Subject: { Data: 'Booked' }, Body: { Text: { Data: "{% 'Hold ' & $holdId %}" } } } },
          },
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { failure: '{% $states.errorOutput %}' }, Next: 'Refund' }],
          Next: 'Booked',
        },
        'Refund': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('refund'), Payload: { chargeId: '{% $chargeId %}' } },
          Next: 'Release room',
        },
        'Release room': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('release-room'), Payload: { holdId: '{% $holdId %}' } },
          Next: 'Why did it fail?',
        },
        'Why did it fail?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $failure.Error = "Payment.Declined" %}', Next: 'Card declined' }],
          Default: 'Booking failed',
        },
        'Card declined': { Type: 'Fail', Error: 'Booking.CardDeclined', Cause: 'the card was declined' },
        'Booking failed': { Type: 'Fail', Error: 'Booking.Failed', Cause: 'the booking was undone' },
        'Sold out': { Type: 'Fail', Error: 'Booking.SoldOut', Cause: 'no room is free' },
        'Refused': { Type: 'Fail', Error: 'Booking.Refused', Cause: 'the customer cannot book' },
        'Booked': { Type: 'Succeed' },
      },
    });
  },
};

/**
 * A Glue job polled with a Wait that doubles (capped at two minutes): a job that ends well is
 * reported, one that fails is retried from the start once; after the polls the input allows (ten
 * unless it says), or once five minutes have passed since the execution started, the job is stopped.
 */
export const gluePollingDeadline: ModernMachine = {
  name: 'GluePollingDeadline',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start job',
      States: {
        'Start job': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:glue:startJobRun',
          Arguments: { JobName: 'nightly-etl', Arguments: { '--day': '{% $states.input.day %}' } },
          Assign: {
            runId: '{% $states.result.JobRunId %}',
            polls: 0,
            maxPolls: '{% $exists($states.input.maxPolls) ? $states.input.maxPolls : 10 %}',
            restarts: '{% $exists($restarts) ? $restarts : 0 %}',
          },
          Next: 'Wait a while',
        },
        'Wait a while': { Type: 'Wait', Seconds: '{% $min([$power(2, $polls), 120]) %}', Next: 'Get run' },
        'Get run': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:glue:getJobRun',
          Arguments: { JobName: 'nightly-etl', RunId: '{% $runId %}' },
          Assign: { polls: '{% $polls + 1 %}', state: '{% $states.result.JobRun.JobRunState %}' },
          Next: 'Job state?',
        },
        'Job state?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $state = "SUCCEEDED" %}', Next: 'Report done' },
            { Condition: '{% $state in ["FAILED", "ERROR", "TIMEOUT"] and $restarts < 1 %}', Next: 'Count restart' },
            { Condition: '{% $state in ["FAILED", "ERROR", "TIMEOUT", "STOPPED"] %}', Next: 'Job failed' },
            { Condition: '{% $polls >= $maxPolls %}', Next: 'Stop job' },
            { Condition: '{% $millis() - $toMillis($states.context.Execution.StartTime) > 300000 %}', Next: 'Stop job' },
          ],
          Default: 'Wait a while',
        },
        'Count restart': { Type: 'Pass', Assign: { restarts: '{% $restarts + 1 %}' }, Next: 'Start job' },
        'Stop job': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:glue:batchStopJobRun',
          Arguments: { JobName: 'nightly-etl', JobRunIds: ['{% $runId %}'] },
          Next: 'Job failed',
        },
        'Report done': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:etl', Message: "{% 'Run ' & $runId & ' done after ' & $polls & ' polls' %}" },
          End: true,
        },
        'Job failed': { Type: 'Fail', Error: 'Etl.Failed', Cause: 'the nightly job did not finish' },
      },
    });
  },
};

/**
 * A rollout gated by feature flags read from a Lambda: the flag named in the input looked up by
 * name, the flags turned on counted after `$sift`, a kill switch checked, the rollout's cohorts cut
 * into groups of 25 with `$partition` and numbered with `$range`, each group enabled by an inline
 * Map.
 */
export const flagRollout: ModernMachine = {
  name: 'FlagRollout',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Read flags',
      States: {
        'Read flags': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('read-flags'), Payload: { env: '{% $states.input.env %}' } },
          Assign: {
            flags: '{% $states.result.Payload.flags %}',
            feature: '{% $states.input.feature %}',
            cohorts: '{% $states.result.Payload.cohorts %}',
          },
          Next: 'May roll out?',
        },
        'May roll out?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $exists($flags.killSwitch) and $flags.killSwitch = true %}', Next: 'Halted' },
            { Condition: '{% $lookup($flags, $feature) = true %}', Next: 'Already on' },
            { Condition: '{% $count($keys($sift($flags, function($v) { $v = true }))) >= 3 %}', Next: 'Too many flags' },
          ],
          Default: 'Group cohorts',
        },
        'Group cohorts': {
          Type: 'Pass',
          Output: '{% ( $groups := $partition($cohorts, 25); {"groups": $groups, "numbers": $range(1, $count($groups), 1)} ) %}',
          Next: 'Any groups?',
        },
        'Any groups?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $count($states.input.groups) = 0 %}', Next: 'Nothing to do' },
            { Condition: '{% $count($states.input.groups) > 4 %}', Next: 'Ask for big rollout' },
          ],
          Default: 'Enable groups',
        },
        'Ask for big rollout': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
          Arguments: {
            TopicArn: 'arn:aws:sns:us-east-1:123456789012:rollouts',
            Message: { token: '{% $states.context.Task.Token %}', groups: '{% $count($states.input.groups) %}' },
          },
          TimeoutSeconds: 3600,
          Output: '{% $states.input %}',
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Halted' }],
          Next: 'Enable groups',
        },
        'Enable groups': {
          Type: 'Map',
          Items: '{% $states.input.groups %}',
          ItemSelector: { group: '{% $states.context.Map.Item.Value %}', number: '{% $states.context.Map.Item.Index + 1 %}' },
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Enable group',
            States: {
              'Enable group': {
                Type: 'Task',
                Resource: LAMBDA,
                Arguments: { FunctionName: FN('enable-flag'), Payload: { feature: '{% $feature %}', cohorts: '{% $states.input.group %}' } },
                End: true,
              },
            },
          },
          Next: 'Rolled out',
        },
        'Already on': { Type: 'Succeed' },
        'Nothing to do': { Type: 'Succeed' },
        'Rolled out': { Type: 'Succeed' },
        'Too many flags': { Type: 'Fail', Error: 'Rollout.TooManyFlags', Cause: 'three or more flags are on' },
        'Halted': { Type: 'Fail', Error: 'Rollout.Halted', Cause: 'the kill switch is on or nobody answered' },
      },
    });
  },
};

/**
 * A leaderboard closed at the end of a season: the scores read from DynamoDB are sorted through a
 * chain (`$sort` with a comparator, `$reverse`), the top player's margin over the second decides
 * between a tie-break and a prize, and a season with fewer than three players is void.
 */
export const seasonLeaderboard: ModernMachine = {
  name: 'SeasonLeaderboard',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Query scores',
      States: {
        'Query scores': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Arguments: {
            TableName: 'scores',
            KeyConditionExpression: 'season = :s',
            ExpressionAttributeValues: { ':s': { S: '{% $states.input.season %}' } },
          },
          Output: `{% (
            $players := $states.result.Items.{"name": player.S, "points": $number(points.N)};
            $ranked := $players ~> $sort(function($a, $b) { $a.points > $b.points }) ~> $reverse;
            {"ranked": $ranked, "players": $count($players)}
          ) %}`,
          Next: 'Enough players?',
        },
        'Enough players?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.players < 3 %}', Next: 'Void season' }],
          Default: 'Margin',
        },
        'Margin': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.ranked[0].points = $states.input.ranked[1].points %}', Next: 'Tie break' },
            { Condition: '{% $states.input.ranked[0].points - $states.input.ranked[1].points >= 100 %}', Next: 'Runaway prize' },
          ],
          Default: 'Prize',
        },
        'Tie break': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('tie-break'), Payload: { players: '{% $states.input.ranked[[0..1]].name %}' } },
          Output: '{% $states.input %}',
          Next: 'Prize',
        },
        'Runaway prize': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('bonus'), Payload: { winner: '{% $states.input.ranked[0].name %}' } },
          Output: '{% $states.input %}',
          Next: 'Prize',
        },
        'Prize': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:season', Message: "{% 'Winner: ' & $states.input.ranked[0].name %}" },
          End: true,
        },
        'Void season': { Type: 'Succeed' },
      },
    });
  },
};
