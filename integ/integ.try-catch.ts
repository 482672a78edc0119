import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { TryCatch } from '../src/constructs/builders';

// Synthesizes a state machine that uses TryCatch in both query languages; integ-runner compares the snapshot.
const app = new App();
const stack = new Stack(app, 'stepwright-try-catch');
const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => e;') });
const jp = new TryCatch(stack, 'Charge', { try: new sfn.Pass(stack, 'Work'), catch: [{ errors: ['Declined'], handler: new sfn.Pass(stack, 'Declined') }], finally: new sfn.Pass(stack, 'Cleanup'), retry: [{ errors: ['States.Timeout'], maxAttempts: 2 }] });
new sfn.StateMachine(stack, 'JsonPath', { definitionBody: sfn.DefinitionBody.fromChainable(jp) });
const jn = TryCatch.jsonata(stack, 'ChargeJ', { try: new sfn.Pass(stack, 'WorkJ'), catch: [{ errors: ['Declined'], handler: new sfn.Pass(stack, 'DeclinedJ') }], finally: new sfn.Pass(stack, 'CleanupJ') });
new sfn.StateMachine(stack, 'Jsonata', { queryLanguage: sfn.QueryLanguage.JSONATA, definitionBody: sfn.DefinitionBody.fromChainable(jn) });
const rethrow = new TryCatch(stack, 'Alert', { try: new sfn.Pass(stack, 'Risky'), catch: [{ handler: new sfn.Pass(stack, 'Page'), rethrow: true }] });
new sfn.StateMachine(stack, 'Rethrow', { definitionBody: sfn.DefinitionBody.fromChainable(rethrow) });
const rethrowJ = TryCatch.jsonata(stack, 'AlertJ', { try: new sfn.Pass(stack, 'RiskyJ'), catch: [{ handler: new sfn.Pass(stack, 'PageJ'), rethrow: true }] });
new sfn.StateMachine(stack, 'RethrowJsonata', { queryLanguage: sfn.QueryLanguage.JSONATA, definitionBody: sfn.DefinitionBody.fromChainable(rethrowJ) });
new IntegTest(app, 'try-catch', { testCases: [stack] });
void Duration; void fn;
