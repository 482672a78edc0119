import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Map, ToleratedFailure } from '../src/constructs/builders';

// Synthesizes a state machine that uses Map, ToleratedFailure in both query languages; integ-runner compares the snapshot.
const app = new App();
const stack = new Stack(app, 'stepwright-map');
const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => e;') });
const inline = Map.inline(stack, 'Each', { itemsPath: '$.orders', maxConcurrency: 5, itemProcessor: new sfn.Pass(stack, 'Work') });
const bulk = Map.distributed(stack, 'Bulk', { itemsPath: '$.rows', toleratedFailure: ToleratedFailure.percentage(10), itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: 10 }), itemProcessor: new sfn.Pass(stack, 'Row') });
new sfn.StateMachine(stack, 'JsonPath', { definitionBody: sfn.DefinitionBody.fromChainable(inline.next(bulk)) });
const each = Map.inline(stack, 'EachJ', { queryLanguage: sfn.QueryLanguage.JSONATA, items: '{% $states.input.orders %}', itemProcessor: new sfn.Pass(stack, 'WorkJ') });
new sfn.StateMachine(stack, 'Jsonata', { queryLanguage: sfn.QueryLanguage.JSONATA, definitionBody: sfn.DefinitionBody.fromChainable(each) });
new IntegTest(app, 'map', { testCases: [stack] });
void Duration; void fn;
