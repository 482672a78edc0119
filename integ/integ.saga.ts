import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Saga } from '../src/constructs/builders';

// Synthesizes a state machine that uses Saga in both query languages; integ-runner compares the snapshot.
const app = new App();
const stack = new Stack(app, 'stepwright-saga');
const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => e;') });
const step = (name: string, ql?: sfn.QueryLanguage) => ({ name, action: new sfn.Pass(stack, 'Book' + name + (ql ? 'J' : '')), compensation: new sfn.Pass(stack, 'Cancel' + name + (ql ? 'J' : '')) });
new sfn.StateMachine(stack, 'JsonPath', { definitionBody: sfn.DefinitionBody.fromChainable(new Saga(stack, 'Trip', { steps: ['Flight', 'Car', 'Hotel'].map((n) => step(n)) })) });
new sfn.StateMachine(stack, 'Jsonata', { queryLanguage: sfn.QueryLanguage.JSONATA, definitionBody: sfn.DefinitionBody.fromChainable(Saga.jsonata(stack, 'TripJ', { steps: ['Flight', 'Car', 'Hotel'].map((n) => step(n, sfn.QueryLanguage.JSONATA)) })) });
new IntegTest(app, 'saga', { testCases: [stack] });
void Duration; void fn;
