/*
 * Machines in idioms the corpus lacked (issue 77, explore round 4, sixth pass): a member lookup
 * written in JSONPath whose Assign reads under what its ResultSelector selected (the variable
 * its Choice routes on comes from GetItem's answer through both); a nightly load through Glue and
 * Athena `.sync` jobs, each followed by a Choice on the job's final state.
 */
import type { ModernMachine } from './common';
import { FN, fromAsl } from './flows';

/**
 * A support call routed by the member's tier: GetItem's Item selected as `member`, the tier
 * assigned from under it, priority for GOLD members, the standard queue for the rest.
 */
export const memberTierRouting: ModernMachine = {
  name: 'MemberTierRouting',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      StartAt: 'Find member',
      States: {
        'Find member': {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem',
          Parameters: { TableName: 'members', Key: { memberId: { 'S.$': '$.memberId' } } },
          ResultSelector: { 'member.$': '$.Item', 'read.$': '$$.State.EnteredTime' },
          Assign: { 'tier.$': '$.member.tier.S', 'memberEmail.$': '$.member.email.S' },
          ResultPath: '$.lookup',
          Next: 'Gold member?',
        },
        'Gold member?': {
          Type: 'Choice',
          Choices: [{ Variable: '$tier', StringEquals: 'GOLD', Next: 'Priority queue' }],
          Default: 'Standard queue',
        },
        'Priority queue': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('priority-queue'), Payload: { 'email.$': '$memberEmail', 'case.$': '$.caseId' } },
          End: true,
        },
        'Standard queue': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('standard-queue'), Payload: { 'case.$': '$.caseId' } },
          End: true,
        },
      },
    });
  },
};

/**
 * A nightly warehouse load: a Glue job run to its end, then an Athena query over what it wrote,
 * each followed by a Choice on the job's final state whose Default no state AWS gives a `.sync`
 * Task that succeeded reaches (every other state fails the Task, which the Catch takes).
 */
export const warehouseNightlyLoad: ModernMachine = {
  name: 'WarehouseNightlyLoad',
  shape: 'service workflow',
  build(stack) {
    fromAsl(stack, {
      QueryLanguage: 'JSONata',
      StartAt: 'Load partitions',
      States: {
        'Load partitions': {
          Type: 'Task',
          Resource: 'arn:aws:states:::glue:startJobRun.sync',
          Arguments: { JobName: 'warehouse-load', Arguments: { '--day': '{% $states.input.day %}' } },
          Assign: { day: '{% $states.input.day %}' },
          Output: { state: '{% $states.result.JobRunState %}', seconds: '{% $states.result.ExecutionTime %}' },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Output: { cause: '{% $states.errorOutput.Cause %}' }, Next: 'Alert data team' }],
          Next: 'Loaded?',
        },
        'Loaded?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $states.input.state = 'SUCCEEDED' %}", Next: 'Count rows' }],
          Default: 'Load in odd state',
        },
        'Count rows': {
          Type: 'Task',
          Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
          Arguments: {
            QueryString: "{% 'SELECT count(*) FROM sales WHERE day = ' & $day %}",
            WorkGroup: 'analytics',
          },
          Output: '{% $states.result.QueryExecution %}',
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Output: { cause: '{% $states.errorOutput.Cause %}' }, Next: 'Alert data team' }],
          Next: 'Counted?',
        },
        'Counted?': {
          Type: 'Choice',
          Choices: [{ Condition: "{% $states.input.Status.State = 'SUCCEEDED' %}", Next: 'Publish' }],
          Default: 'Load in odd state',
        },
        'Publish': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:warehouse', Message: "{% 'loaded ' & $day %}" },
          End: true,
        },
        'Load in odd state': { Type: 'Fail', Error: 'Warehouse.UnknownState', Cause: 'a job ended in a state nobody expected' },
        'Alert data team': {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Arguments: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:data-alerts', Message: '{% $states.input.cause %}' },
          End: true,
        },
      },
    });
  },
};
