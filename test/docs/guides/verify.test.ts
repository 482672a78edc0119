import 'stepwright/testing/setup'; // in your app: setupFilesAfterEnv in jest.config.js
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Saga, Task, TryCatch } from 'stepwright';
import { Property, Workflow, mocksFromJson } from 'stepwright/testing';

// A booking saga (book a flight, then charge; a failed charge cancels the flight), then a
// TryCatch that sends the confirmation: a bounced address is skipped, anything else is reported.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new Stack(app, 'Trips');
const fn = (name: string) => new lambda.Function(stack, name, {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({});'), // your functions' code
});
const booking = new Saga(stack, 'Booking', {
  steps: [
    {
      name: 'Flight',
      action: Task.lambdaInvoke(stack, 'BookFlight', { lambdaFunction: fn('BookFlightFn') }),
      compensation: Task.lambdaInvoke(stack, 'CancelFlight', { lambdaFunction: fn('CancelFlightFn') }),
    },
    { name: 'Payment', action: Task.lambdaInvoke(stack, 'Charge', { lambdaFunction: fn('ChargeFn') }) },
  ],
});
const confirm = new TryCatch(stack, 'Confirm', {
  try: Task.lambdaInvoke(stack, 'Send email', { lambdaFunction: fn('EmailFn') }),
  catch: [
    { errors: ['Email.Bounced'], handler: new sfn.Pass(stack, 'Skip bounced address') },
    { errors: ['States.ALL'], handler: new sfn.Fail(stack, 'Not confirmed', { error: 'Confirm.Failed' }) },
  ],
});
new sfn.StateMachine(stack, 'Trip', {
  definitionBody: sfn.DefinitionBody.fromChainable(booking.next(confirm).next(new sfn.Succeed(stack, 'Booked'))),
});

const wf = Workflow.fromStack(stack);

test("the builders' guarantees hold on every path", async () => {
  const result = await wf.verify({
    // The Saga's promise: once the payment step starts, it completes or the flight is cancelled.
    paymentCompletesOrCancels: Property.leadsTo('Booking: Payment', ['Booking: Payment result', 'CancelFlight']),
    // Nothing is charged before the flight is booked, and nothing twice.
    flightBeforeCharge: Property.precedes('BookFlight', 'Charge'),
    chargesOnce: Property.atMost('Charge', 1),
    // The TryCatch's promise: every email ends in the bounce handler, the failure, or on.
    emailHandled: Property.leadsTo('Send email', ['Skip bounced address', 'Not confirmed', 'Booked']),
  });
  expect(result).toHold({ proved: true });
});

test('a property some path breaks is VIOLATED, with the run that breaks it', async () => {
  const result = await wf.verify({ alwaysConfirmed: Property.never('Not confirmed') });
  const verdict = result.properties.alwaysConfirmed;
  expect(verdict.verdict).toBe('VIOLATED');
  // Run it again, as a test would: the input and the Task answers that take the path.
  const { input, mocks } = verdict.counterexample!;
  const run = await wf.run(input, { mocks: mocksFromJson(mocks, 'alwaysConfirmed') });
  expect(run).toHaveVisited('Not confirmed');
});
