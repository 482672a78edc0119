import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Task } from 'stepwright';
import { Workflow, fail } from 'stepwright/testing';

// A stack as your app defines it: charge the card, then wait for a human to approve.
const stack = new Stack(new App(), 'Payments');
const chargeFn = new lambda.Function(stack, 'ChargeFn', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async (e) => ({ chargeId: "ch_" + e.orderId });'),
});
const notifyFn = new lambda.Function(stack, 'NotifyFn', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async (e) => { /* e-mails an approver with e.token */ };'),
});
const charge = Task.lambdaInvoke(stack, 'Charge card', { lambdaFunction: chargeFn, resultPath: '$.payment' });
const approve = Task.lambdaCallback(stack, 'Approve', {
  lambdaFunction: notifyFn,
  payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken, orderId: sfn.JsonPath.stringAt('$.orderId') }),
  taskTimeout: sfn.Timeout.duration(Duration.hours(24)),
  resultPath: '$.approval',
});
new sfn.StateMachine(stack, 'Payments', { definitionBody: sfn.DefinitionBody.fromChainable(charge.next(approve)) });

const wf = Workflow.fromStack(stack);

it('charges with the inline handler and waits for the approval callback', async () => {
  const execution = wf.start({ orderId: 'o-1' });
  const token = await execution.waitForTaskToken('Approve');
  execution.sendTaskSuccess(token, { approvedBy: 'alice' });
  const run = await execution.result;

  expect(run).toSucceed();
  expect(run).toHaveOutput({ orderId: 'o-1', payment: { chargeId: 'ch_o-1' }, approval: { approvedBy: 'alice' } });
});

it('retries a throttled charge on the virtual clock, then fails on a declined card', async () => {
  const run = await wf.run({ orderId: 'o-2' }, {
    mocks: { 'Charge card': [fail('Lambda.TooManyRequestsException'), fail('CardDeclined', 'insufficient funds')] },
  });

  expect(run).toFail('CardDeclined', 'insufficient funds');
  expect(run).toHavePath(['Charge card']);
  expect(run.attempts('Charge card').map((a) => a.waitedSeconds)).toEqual([0, 2]);
});
