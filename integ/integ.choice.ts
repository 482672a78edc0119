import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Choice, When } from '../src/constructs/builders';

// Synthesizes a state machine that uses Choice, When in both query languages; integ-runner compares the snapshot.
const app = new App();
const stack = new Stack(app, 'stepwright-choice');
const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => e;') });
const rule = When.and(When.string('status').equals('paid'), When.number('total').greaterThan(100));
new sfn.StateMachine(stack, 'JsonPath', { definitionBody: sfn.DefinitionBody.fromChainable(new Choice(stack, 'Route').when(rule, new sfn.Pass(stack, 'Review')).otherwise(new sfn.Pass(stack, 'Ship'))) });
new sfn.StateMachine(stack, 'Jsonata', { queryLanguage: sfn.QueryLanguage.JSONATA, definitionBody: sfn.DefinitionBody.fromChainable(Choice.jsonata(stack, 'RouteJ').when(rule, new sfn.Pass(stack, 'ReviewJ')).otherwise(new sfn.Pass(stack, 'ShipJ'))) });
new IntegTest(app, 'choice', { testCases: [stack] });
void Duration; void fn;
