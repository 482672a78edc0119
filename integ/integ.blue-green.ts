import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Aspects, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Deployment, PinLambdaVersions, StateMachineAlias, StateMachineVersion, Task } from '../src/constructs';

// Blue-green for a Lambda-backed state machine: a version per definition, an alias that
// moves to it as a canary with a rollback alarm, and a parent machine that starts the
// child through the alias. integ-runner compares the snapshot (no deploy).
const app = new App();
const stack = new Stack(app, 'stepwright-blue-green');
const charge = new lambda.Function(stack, 'Charge', {
  runtime: lambda.Runtime.NODEJS_20_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async (order) => ({ charged: order.total });'),
});

// Task.lambdaInvoke calls charge.currentVersion: executions keep the code they started with.
const fulfil = new sfn.StateMachine(stack, 'Fulfil', {
  definitionBody: sfn.DefinitionBody.fromChainable(Task.lambdaInvoke(stack, 'Charge card', { lambdaFunction: charge, resultPath: '$.charge' })),
});
const version = new StateMachineVersion(stack, 'FulfilVersion', { stateMachine: fulfil, description: 'charge, then done' });
const failures = new cloudwatch.Alarm(stack, 'FulfilFailures', {
  metric: version.metricFailed({ period: Duration.minutes(1) }),
  threshold: 1,
  evaluationPeriods: 1,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});
const live = new StateMachineAlias(stack, 'FulfilLive', {
  aliasName: 'live',
  description: 'what callers start',
  version,
  deployment: Deployment.canary({ percentage: 10, interval: Duration.minutes(10), alarms: [failures] }),
});

// The parent starts the child through its alias, with StartExecution scoped to the alias.
new sfn.StateMachine(stack, 'Checkout', {
  definitionBody: sfn.DefinitionBody.fromChainable(Task.startExecution(stack, 'Fulfil order', { stateMachine: live, outputPath: '$.Output', taskTimeout: sfn.Timeout.duration(Duration.hours(1)) })),
});

// Nothing in this stack may call a Lambda function without a version.
Aspects.of(stack).add(new PinLambdaVersions({ mode: 'error' }));
new IntegTest(app, 'blue-green', { testCases: [stack] });
