import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Choice, Jsonata, Map, Task, ToleratedFailure, TryCatch, When } from '../src/constructs/builders';

// A JSONata machine built with stepwright: number and timing fields from JSONata expressions, a
// Lambda task inside a JSONata Map (Arguments, not Parameters), a task role from an expression,
// and a JSONata Map inside a JSONPath machine whose states say QueryLanguage JSONata.
const app = new App();
const stack = new Stack(app, 'stepwright-jsonata');
const J = sfn.QueryLanguage.JSONATA;
const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => e;') });

const charge = Task.lambdaInvoke(stack, 'Charge', {
  lambdaFunction: fn,
  payload: sfn.TaskInput.fromObject({ order: '{% $states.input %}' }),
  taskTimeout: sfn.Timeout.jsonata('{% $states.context.Execution.Input.timeoutSeconds %}'),
  credentials: { role: Jsonata.roleArn('$states.context.Execution.Input.roleArn', 'arn:aws:iam::111122223333:role/Charger') },
});
const chargeAll = Map.distributed(stack, 'Charge all', {
  queryLanguage: J,
  items: '{% $states.input.orders %}',
  maxConcurrency: Jsonata.number('$states.input.parallelism'),
  toleratedFailure: ToleratedFailure.percentage(Jsonata.number('$states.input.tolerance')),
  itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: Jsonata.number('$states.input.batchSize') }),
  itemProcessor: Map.inline(stack, 'Charge batch', { queryLanguage: J, items: '{% $states.input.Items %}', itemProcessor: charge }),
});
const pause = sfn.Wait.jsonata(stack, 'Pause', { time: sfn.WaitTime.seconds('{% $states.input.delaySeconds %}') });
const route = Choice.jsonata(stack, 'Any orders?')
  .when(When.number('$states.input.count').greaterThan(0), pause.next(chargeAll))
  .otherwise(new sfn.Succeed(stack, 'Nothing to do'));
new sfn.StateMachine(stack, 'Jsonata', { queryLanguage: J, definitionBody: sfn.DefinitionBody.fromChainable(TryCatch.jsonata(stack, 'Orders', { try: route })) });

const each = Map.inline(stack, 'Each', {
  queryLanguage: J,
  items: '{% $states.input.orders %}',
  itemProcessor: Task.lambdaInvoke(stack, 'Notify', { lambdaFunction: fn, payload: sfn.TaskInput.fromObject({ order: '{% $states.input %}' }) }),
});
new sfn.StateMachine(stack, 'Mixed', { definitionBody: sfn.DefinitionBody.fromChainable(each) });

new IntegTest(app, 'jsonata', { testCases: [stack] });
