/*
 * Machines in idioms explore round 4 (issue 77) left last: a list ranked by `$sort` with a
 * function of two items, built of a query's items through an object constructor; the entries of
 * an object a `$sift` keeps, counted through `$keys`; and a polling loop whose last way out is a
 * deadline on the time since the execution started, behind a count of polls the input bounds; and
 * the open items of a list kept by `$filter` with a function in an `Assign`, one of them wanted.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

const LAMBDA = 'arn:aws:states:::lambda:invoke';

/**
 * An auction closed from its bids in DynamoDB: the bids ranked highest first by `$sort` with a
 * comparator, a lot with no bid or one bidder handled apart, a top bid under the reserve relisted,
 * two top bids within 5 of each other sent to a final round, the rest sold.
 */
export const auctionClose: ModernMachine = {
  name: 'AuctionClose',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Read bids',
      States: {
        'Read bids': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Arguments: {
            TableName: 'bids',
            KeyConditionExpression: 'lot = :lot',
            ExpressionAttributeValues: { ':lot': { S: '{% $states.input.lot %}' } },
          },
          Output: `{% (
            $bids := $states.result.Items.{"bidder": bidder.S, "amount": $number(amount.N)};
            {"lot": $states.input.lot, "bids": $sort($bids, function($l, $r) { $l.amount < $r.amount }), "count": $count($bids)}
          ) %}`,
          Next: 'How many bids?',
        },
        'How many bids?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.count = 0 %}', Next: 'Unsold' },
            { Condition: '{% $states.input.count = 1 %}', Next: 'Sole bidder' },
          ],
          Default: 'Reserve met?',
        },
        'Reserve met?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $states.input.bids[0].amount < 500 %}', Next: 'Relist' },
            { Condition: '{% $states.input.bids[0].amount - $states.input.bids[1].amount < 5 %}', Next: 'Final round' },
          ],
          Default: 'Sell',
        },
        'Final round': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('final-round'), Payload: { lot: '{% $states.input.lot %}', bidders: '{% $states.input.bids[[0..1]].bidder %}' } },
          End: true,
        },
        'Sell': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:sales', Message: "{% 'Sold to ' & $states.input.bids[0].bidder %}" },
          End: true,
        },
        'Sole bidder': { Type: 'Succeed' },
        'Relist': { Type: 'Succeed' },
        'Unsold': { Type: 'Fail', Error: 'Auction.Unsold', Cause: 'nobody bid' },
      },
    });
  },
};

/**
 * An audit of the roles an account grants, read from a Lambda: more than two admins stops the
 * audit, an account that grants nothing is closed, the rest are recorded.
 */
export const adminGrantAudit: ModernMachine = {
  name: 'AdminGrantAudit',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Read grants',
      States: {
        'Read grants': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('read-grants'), Payload: { account: '{% $states.input.account %}' } },
          Assign: { grants: '{% $states.result.Payload.grants %}' },
          Next: 'Who is admin?',
        },
        'Who is admin?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $count($keys($sift($grants, function($role) { $role = "admin" }))) > 2 %}', Next: 'Too many admins' },
            { Condition: '{% $count($keys($grants)) = 0 %}', Next: 'Close account' },
          ],
          Default: 'Record audit',
        },
        'Record audit': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Arguments: { TableName: 'audits', Item: { account: { S: '{% $states.input.account %}' }, grants: { N: '{% $string($count($keys($grants))) %}' } } },
          End: true,
        },
        'Close account': { Type: 'Succeed' },
        'Too many admins': { Type: 'Fail', Error: 'Audit.TooManyAdmins', Cause: 'more than two users are admins' },
      },
    });
  },
};

/**
 * A backup's restore test polled once a minute: a test that completes is recorded, one that fails
 * is reported; after the checks the input allows (thirty unless it says), or once ten minutes have
 * passed since the execution started, the restore is cancelled.
 */
export const restoreTestDeadline: ModernMachine = {
  name: 'RestoreTestDeadline',
  shape: 'polling loop',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Start restore test',
      States: {
        'Start restore test': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('start-restore-test'), Payload: { backup: '{% $states.input.backup %}' } },
          Assign: { testId: '{% $states.result.Payload.testId %}', checks: 0, limit: '{% $exists($states.input.limit) ? $states.input.limit : 30 %}' },
          Next: 'Wait a minute',
        },
        'Wait a minute': { Type: 'Wait', Seconds: 60, Next: 'Check restore' },
        'Check restore': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('check-restore-test'), Payload: { testId: '{% $testId %}' } },
          Assign: { checks: '{% $checks + 1 %}', status: '{% $states.result.Payload.status %}' },
          Next: 'Restored?',
        },
        'Restored?': {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $status = "COMPLETED" %}', Next: 'Record restore' },
            { Condition: '{% $status = "FAILED" %}', Next: 'Restore failed' },
            { Condition: '{% $checks >= $limit %}', Next: 'Cancel restore' },
            { Condition: '{% $millis() - $toMillis($states.context.Execution.StartTime) > 600000 %}', Next: 'Cancel restore' },
          ],
          Default: 'Wait a minute',
        },
        'Cancel restore': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('cancel-restore-test'), Payload: { testId: '{% $testId %}' } },
          Next: 'Restore failed',
        },
        'Record restore': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:restores', Message: "{% 'Restore test ' & $testId & ' passed after ' & $checks & ' checks' %}" },
          End: true,
        },
        'Restore failed': { Type: 'Fail', Error: 'Restore.Failed', Cause: 'the restore test did not pass in time' },
      },
    });
  },
};

/**
 * Incidents read from a Lambda, the open ones of severity 2 or more kept by `$filter`: a single
 * one is paged to its owner, several to the whole team.
 */
export const openIncidentPager: ModernMachine = {
  name: 'OpenIncidentPager',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'List incidents',
      States: {
        'List incidents': {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: FN('list-incidents'), Payload: { service: '{% $states.input.service %}' } },
          Assign: { open: '{% $filter($states.result.Payload.incidents, function($i) { $i.status = "open" and $i.severity >= 2 }) %}' },
          Next: 'How many open?',
        },
        'How many open?': {
          Type: 'Choice',
          Choices: [{ Condition: '{% $count($open) = 1 %}', Next: 'Page owner' }],
          Default: 'Page team',
        },
        'Page owner': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:owners', Message: "{% 'Incident open: ' & $string($open.id) %}" },
          End: true,
        },
        'Page team': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:team', Message: "{% $string($count($open)) & ' incidents open' %}" },
          End: true,
        },
      },
    });
  },
};
