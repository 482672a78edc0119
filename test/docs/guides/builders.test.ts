import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { Choice, Map, Saga, Task, TryCatch, When } from 'stepwright';
import { Workflow, fail, succeed } from 'stepwright/testing';

class TripStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const fn = (name: string) => new lambda.Function(this, name, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'), // your functions' code
    });

    // Each result is the function's payload; Lambda's transient errors are retried.
    const booking = new Saga(this, 'Booking', {
      steps: [
        {
          name: 'Flight',
          action: Task.lambdaInvoke(this, 'BookFlight', { lambdaFunction: fn('BookFlightFn') }),
          compensation: Task.lambdaInvoke(this, 'CancelFlight', { lambdaFunction: fn('CancelFlightFn') }),
        },
        {
          name: 'Payment',
          action: Task.lambdaInvoke(this, 'Charge', { lambdaFunction: fn('ChargeFn') }),
          compensation: Task.lambdaInvoke(this, 'Refund', { lambdaFunction: fn('RefundFn') }),
        },
      ],
    }); // a failed step undoes the completed ones in reverse order, then fails with the original error

    const approval = Task.lambdaCallback(this, 'Approve', {
      lambdaFunction: fn('NotifyFn'),
      payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken, order: sfn.JsonPath.entirePayload }),
      taskTimeout: sfn.Timeout.duration(Duration.days(1)), // required for callbacks
      resultPath: sfn.JsonPath.DISCARD,
    });

    const notify = Map.inline(this, 'Notify travellers', {
      itemsPath: '$.travellers',
      itemSelector: { 'email.$': '$$.Map.Item.Value' },
      resultPath: sfn.JsonPath.DISCARD,
      maxConcurrency: 5,
      itemProcessor: new TryCatch(this, 'Notify one', {
        try: Task.lambdaInvoke(this, 'Send email', { lambdaFunction: fn('EmailFn') }),
        catch: [{ errors: ['Email.Bounced'], handler: new sfn.Pass(this, 'Skip bounced address') }],
      }),
    });

    const route = new Choice(this, 'Big trip?')
      .when(When.number('$.total').greaterThan(1000), approval.next(booking))
      .otherwise(booking); // required unless allowNoMatch: true

    new sfn.StateMachine(this, 'Trips', { definitionBody: sfn.DefinitionBody.fromChainable(notify.next(route)) });
  }
}

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const wf = Workflow.fromStack(new TripStack(app, 'Trips'));
const trip = { total: 300, travellers: ['ada@example.com', 'bo@example.com'] };
const mocks = { 'Send email': {}, 'BookFlight': { flight: 'LH 123' }, 'Charge': { chargeId: 'ch_1' } };

it('books the flight and the payment, skipping an address that bounces', async () => {
  const run = await wf.run(trip, { mocks: { ...mocks, 'Send email': [succeed({}), fail('Email.Bounced')] } });

  expect(run).toSucceed();
  expect(run).toHaveVisited('Skip bounced address');
  expect(run).toHaveOutput({ ...trip, results: { Flight: { flight: 'LH 123' }, Payment: { chargeId: 'ch_1' } } });
});

it('cancels the flight when the payment is declined, then fails with the payment error', async () => {
  const run = await wf.run(trip, { mocks: { ...mocks, Charge: fail('Payment.Declined', 'card expired'), CancelFlight: {} } });

  expect(run).toFail('Payment.Declined', 'card expired');
  expect(run.taskCalls('CancelFlight')).toHaveLength(1);
  expect(run).not.toHaveVisited('Refund'); // the failed step has nothing to undo
});

it('asks for approval of a trip over 1000', async () => {
  const execution = wf.start({ ...trip, total: 1200 }, { mocks });
  execution.sendTaskSuccess(await execution.waitForTaskToken('Approve'), {});

  expect(await execution.result).toSucceed();
});
