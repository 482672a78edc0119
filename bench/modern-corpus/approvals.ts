/*
 * Human approval with callbacks: an expense approved by a manager (escalated when nobody
 * answers in time), a content release approved through an EventBridge event with a heartbeat,
 * and access granted for a while then revoked.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Choice, Task } from 'stepwright';
import { fn, JSONATA, machine, table, topic, type ModernMachine } from './common';

const S = tasks.DynamoAttributeValue.fromString;

export const expenseApproval: ModernMachine = {
  name: 'ExpenseApproval',
  shape: 'human approval',
  build(stack) {
    const approvals = topic(stack, 'Approvals');
    const expenses = table(stack, 'Expenses', 'expenseId');
    const policy = new sfn.Pass(stack, 'Apply policy', {
      assign: { limit: '{% $states.input.department = "sales" ? 500 : 250 %}', expenseId: '{% $states.input.expenseId %}' },
    });
    const ask = Task.snsPublish(stack, 'Ask manager', {
      // aws-cdk-lib renders a Task's Catch in the state's own language only: without it, the Catch's Output is dropped.
      queryLanguage: JSONATA,
      topic: approvals,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      message: sfn.TaskInput.fromObject({ token: '{% $states.context.Task.Token %}', expenseId: '{% $expenseId %}', amount: '{% $states.input.amount %}' }),
      taskTimeout: sfn.Timeout.duration(Duration.days(3)),
      outputs: '{% $merge([$states.input, {"decision": $states.result.decision, "approver": $states.result.approver}]) %}',
    });
    const escalate = Task.lambdaCallback(stack, 'Escalate to director', {
      lambdaFunction: fn(stack, 'EscalateFn'),
      payload: sfn.TaskInput.fromObject({ token: '{% $states.context.Task.Token %}', expenseId: '{% $expenseId %}' }),
      taskTimeout: sfn.Timeout.duration(Duration.days(2)),
      outputs: '{% $merge([$states.input, {"decision": $states.result.decision, "approver": "director"}]) %}',
    });
    ask.addCatch(escalate, { errors: ['States.Timeout'], outputs: '{% $states.input %}' });
    const expired = new sfn.Fail(stack, 'Approval expired', { error: 'Expense.Expired' });
    escalate.addCatch(expired, { errors: ['States.Timeout'] });
    const record = (id: string, status: string) => Task.dynamoUpdateItem(stack, id, {
      table: expenses,
      key: { expenseId: S('{% $expenseId %}') },
      updateExpression: 'SET #s = :s',
      expressionAttributeNames: { '#s': 'status' },
      expressionAttributeValues: { ':s': S(status) },
      outputs: `{% {"expenseId": $expenseId, "status": "${status}"} %}`,
    });
    const approved = record('Record approval', 'APPROVED');
    const rejected = record('Record rejection', 'REJECTED');
    const autoApproved = record('Record auto-approval', 'AUTO_APPROVED');
    const decision = Choice.jsonata(stack, 'Decision?')
      .when(sfn.Condition.jsonata('{% $lowercase($states.input.decision) = "approve" %}'), approved)
      .otherwise(rejected);
    ask.next(decision);
    escalate.next(decision);
    const route = Choice.jsonata(stack, 'Needs approval?')
      .when(sfn.Condition.jsonata('{% $states.input.amount > $limit %}'), ask)
      .otherwise(autoApproved);
    machine(stack, policy.next(route));
  },
};

export const releaseApproval: ModernMachine = {
  name: 'ReleaseApproval',
  shape: 'human approval',
  build(stack) {
    const bus = new events.EventBus(stack, 'Releases');
    const announce = Task.eventBridgePutEvents(stack, 'Request sign-off', {
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      entries: [{
        eventBus: bus,
        source: 'app.releases',
        detailType: 'SignOffRequested',
        detail: sfn.TaskInput.fromObject({ token: '{% $states.context.Task.Token %}', release: '{% $states.input.version %}' }),
      }],
      taskTimeout: sfn.Timeout.duration(Duration.hours(24)),
      heartbeatTimeout: sfn.Timeout.duration(Duration.hours(1)),
      outputs: '{% $merge([$states.input, {"signOff": $states.result}]) %}',
    });
    const stale = new sfn.Fail(stack, 'Sign-off stale', { error: 'Release.NoHeartbeat' });
    announce.addCatch(stale, { errors: ['States.HeartbeatTimeout'] });
    const timedOut = new sfn.Fail(stack, 'Sign-off timed out', { error: 'Release.TimedOut' });
    announce.addCatch(timedOut, { errors: ['States.Timeout'] });
    const deploy = Task.startExecution(stack, 'Deploy release', {
      stateMachine: new sfn.StateMachine(stack, 'Deployer', {
        queryLanguage: sfn.QueryLanguage.JSONATA,
        definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Deploy', { outputs: '{% {"deployed": true} %}' })),
      }),
      input: sfn.TaskInput.fromObject({ version: '{% $states.input.version %}', approvers: '{% $states.input.signOff.approvers %}' }),
      taskTimeout: sfn.Timeout.duration(Duration.hours(2)),
      outputs: '{% $merge([$states.input, {"deployed": $states.result.Output.deployed}]) %}',
    });
    const enough = Choice.jsonata(stack, 'Enough approvers?')
      .when(sfn.Condition.jsonata('{% $count($states.input.signOff.approvers) >= 2 and $not("security" in $states.input.signOff.objections) %}'), deploy)
      .otherwise(new sfn.Fail(stack, 'Not signed off', { error: 'Release.Rejected' }));
    const verify = Choice.jsonata(stack, 'Deployed?')
      .when(sfn.Condition.jsonata('{% $states.input.deployed = true %}'), new sfn.Succeed(stack, 'Released'))
      .otherwise(new sfn.Fail(stack, 'Deploy failed', { error: 'Release.DeployFailed' }));
    deploy.next(verify);
    machine(stack, announce.next(enough));
  },
};

export const accessRequest: ModernMachine = {
  name: 'AccessRequest',
  shape: 'human approval',
  build(stack) {
    const grants = table(stack, 'Grants', 'grantId');
    const ask = Task.lambdaCallback(stack, 'Ask owner', {
      lambdaFunction: fn(stack, 'AskOwnerFn'),
      payload: sfn.TaskInput.fromObject({ token: '{% $states.context.Task.Token %}', who: '{% $states.input.user %}', what: '{% $states.input.resource %}' }),
      taskTimeout: sfn.Timeout.duration(Duration.hours(8)),
      assign: { decision: '{% $states.result.decision %}', hours: '{% $exists($states.result.hours) ? $states.result.hours : 1 %}' },
      outputs: '{% $states.input %}',
    });
    const denied = new sfn.Fail(stack, 'Access denied', { error: 'Access.Denied' });
    ask.addCatch(denied, { errors: ['States.Timeout', 'Access.Denied'] });
    const grant = Task.dynamoPutItem(stack, 'Grant access', {
      table: grants,
      item: { grantId: S("{% $states.input.user & '#' & $states.input.resource %}"), role: S('{% $states.input.role %}') },
      outputs: '{% $states.input %}',
    });
    const wait = new sfn.Wait(stack, 'Wait until expiry', { time: sfn.WaitTime.seconds('{% $hours * 3600 %}') });
    const revoke = new tasks.DynamoDeleteItem(stack, 'Revoke access', {
      taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
      table: grants,
      key: { grantId: S("{% $states.input.user & '#' & $states.input.resource %}") },
      outputs: '{% {"user": $states.input.user, "revoked": true} %}',
    });
    const temporary = Choice.jsonata(stack, 'Temporary?')
      .when(sfn.Condition.jsonata('{% $decision = "grant-temporary" %}'), wait.next(revoke))
      .otherwise(new sfn.Succeed(stack, 'Granted'));
    const decide = Choice.jsonata(stack, 'Granted?')
      .when(sfn.Condition.jsonata('{% $decision in ["grant", "grant-temporary"] %}'), grant.next(temporary))
      .otherwise(denied);
    machine(stack, ask.next(decide));
  },
};
