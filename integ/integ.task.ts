import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Task } from '../src/constructs/builders';

// Synthesizes a state machine that uses Task in both query languages; integ-runner compares the snapshot.
const app = new App();
const stack = new Stack(app, 'stepwright-task');
const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => e;') });
const pay = Task.lambdaInvoke(stack, 'Pay', { lambdaFunction: fn.currentVersion, resultPath: '$.payment' });
const approve = Task.lambdaCallback(stack, 'Approve', {
  lambdaFunction: fn.currentVersion,
  payload: sfn.TaskInput.fromObject({ 'token': sfn.JsonPath.taskToken, 'order.$': '$.order' }),
  taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
  heartbeatTimeout: sfn.Timeout.duration(Duration.minutes(10)),
});
new sfn.StateMachine(stack, 'JsonPath', { definitionBody: sfn.DefinitionBody.fromChainable(pay.next(approve)) });
const payJsonata = Task.lambdaInvoke(stack, 'PayJsonata', { queryLanguage: sfn.QueryLanguage.JSONATA, lambdaFunction: fn.currentVersion, payload: sfn.TaskInput.fromObject({ order: '{% $states.input.order %}' }) });
new sfn.StateMachine(stack, 'Jsonata', { queryLanguage: sfn.QueryLanguage.JSONATA, stateMachineType: sfn.StateMachineType.EXPRESS, definitionBody: sfn.DefinitionBody.fromChainable(payJsonata) });
new IntegTest(app, 'task', { testCases: [stack] });
void Duration; void fn;
