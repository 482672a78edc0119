import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Workflow } from '../../src/testing/workflow';
import { fail, succeed } from '../../src/workbench/mocks/answers';

// The design target: a jest file that synthesizes a stack and runs ten executions finishes in under 2 s.
describe('a synthesized CDK stack run ten times', () => {
  const app = new App();
  const stack = new Stack(app, 'Speed');
  const code = lambda.Code.fromInline('exports.handler = async (e) => e');
  const charge = new lambda.Function(stack, 'ChargeFn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code });
  const ship = new lambda.Function(stack, 'ShipFn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code });
  const chargeTask = new tasks.LambdaInvoke(stack, 'Charge', { lambdaFunction: charge, payloadResponseOnly: true, retryOnServiceExceptions: false });
  chargeTask.addRetry({ errors: ['Payment.Declined'], interval: Duration.seconds(2), maxAttempts: 2 });
  const definition = chargeTask
    .next(new sfn.Wait(stack, 'Cool', { time: sfn.WaitTime.duration(Duration.hours(1)) }))
    .next(new tasks.LambdaInvoke(stack, 'Ship', { lambdaFunction: ship, outputPath: '$.Payload' }));
  new sfn.StateMachine(stack, 'Orders', { definitionBody: sfn.DefinitionBody.fromChainable(definition) });
  const wf = Workflow.fromStack(stack);

  it.each(Array.from({ length: 10 }, (_, i) => i))('execution %i succeeds after one declined charge', async (i) => {
    const run = await wf.run({ orderId: `o-${i}` }, {
      mocks: new Map<any, any>([
        [charge, [fail('Payment.Declined'), succeed({ chargeId: `ch_${i}` })]],
        [ship, (event: { chargeId: string }) => ({ shipped: event.chargeId })],
      ]),
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ shipped: `ch_${i}` });
    expect(run.retries('Charge')).toBe(1);
  });
});
