import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Deployment, StateMachineAlias, StateMachineVersion, Task } from 'stepwright';
import { byLambdaVersion, PublishedVersions, succeed, Workflow } from 'stepwright/testing';

/** One deploy of the app: each release changes the Charge function's code and the definition. */
function release(n: 1 | 2): Stack {
  const stack = new Stack(new App(), 'Orders');
  const chargeFn = new lambda.Function(stack, 'Charge', {
    functionName: 'charge',
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(`exports.handler = async () => ({ chargedBy: 'v${n}' });`),
  });
  const notifyFn = new lambda.Function(stack, 'Notify', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  const approve = Task.lambdaCallback(stack, 'Approve', {
    lambdaFunction: notifyFn,
    payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
    taskTimeout: sfn.Timeout.duration(Duration.days(7)),
    resultPath: sfn.JsonPath.DISCARD,
  });
  // Task.lambdaInvoke and lambdaCallback call chargeFn.currentVersion (pin: 'currentVersion' is the default).
  const charge = Task.lambdaInvoke(stack, 'Charge card', { lambdaFunction: chargeFn });
  const chain = n === 1 ? approve.next(charge) : approve.next(charge).next(new sfn.Pass(stack, 'Audit'));
  const orders = new sfn.StateMachine(stack, 'Orders', { stateMachineName: 'orders', definitionBody: sfn.DefinitionBody.fromChainable(chain) });

  // A new version whenever the definition (or a pinned function) changes; old versions are retained.
  const version = new StateMachineVersion(stack, 'OrdersVersion', { stateMachine: orders, description: `release ${n}` });
  const failures = new cloudwatch.Alarm(stack, 'OrdersFailures', { metric: version.metricFailed(), threshold: 1, evaluationPeriods: 1 });
  new StateMachineAlias(stack, 'Live', {
    aliasName: 'live',
    version,
    deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(10), alarms: [failures] }),
  });
  return stack;
}

it('finishes an execution in flight on release 1 while a new one runs release 2', async () => {
  const published = new PublishedVersions();
  const charge = {
    'arn:aws:lambda:us-east-1:123456789012:function:charge': byLambdaVersion({
      1: () => ({ chargedBy: 'v1' }),
      2: () => ({ chargedBy: 'v2' }),
    }),
  };

  const before = Workflow.fromStack(release(1), { alias: 'live', publishedVersions: published });
  const inFlight = before.start({ orderId: 'o-1' }, { mocks: charge }); // waits at the callback
  const token = await inFlight.waitForTaskToken('Approve');

  const after = Workflow.fromStack(release(2), { alias: 'live', publishedVersions: published });
  const fresh = await after.run({ orderId: 'o-2' }, { mocks: { ...charge, Approve: succeed({}) } });

  inFlight.sendTaskSuccess(token, {});
  const old = await inFlight.result;
  expect(old.output).toEqual({ chargedBy: 'v1' }); // old definition, Lambda :1
  expect(old.path).toEqual(['Approve', 'Charge card']);
  expect(fresh.output).toEqual({ chargedBy: 'v2' }); // new definition, Lambda :2
  expect(fresh.path).toEqual(['Approve', 'Charge card', 'Audit']);
  expect(after.arn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:orders:live');
  expect(after.qualifier?.version.number).toBe(2);
});
