import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { StateMachineDefinition } from '../../src/asl/definition-types';
import { Saga, Task, TryCatch } from '../../src/constructs/builders';
import { Workflow } from '../../src/testing/workflow';

/*
 * The machines of verify's corpus, built with stepwright's own builders and synthesized as a
 * user's CDK app would: a two-step booking Saga, and a TryCatch whose handler notifies.
 */

function stackOf(build: (stack: Stack, fn: (name: string) => lambda.IFunction) => sfn.IChainable): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Verify');
  const fn = (name: string) => new lambda.Function(stack, name, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  });
  new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(build(stack, fn)) });
  return stack;
}

/**
 * The booking Saga: book a flight, then charge; a failed charge cancels the flight. Without
 * `compensate`, the flight has no compensation: a failed charge leaves it booked.
 */
export function sagaDefinition(compensate = true): StateMachineDefinition {
  const stack = stackOf((s, fn) => new Saga(s, 'Booking', {
    steps: [
      {
        name: 'Flight',
        action: Task.lambdaInvoke(s, 'BookFlight', { lambdaFunction: fn('BookFlightFn') }),
        ...(compensate ? { compensation: Task.lambdaInvoke(s, 'CancelFlight', { lambdaFunction: fn('CancelFlightFn') }) } : {}),
      },
      {
        name: 'Payment',
        action: Task.lambdaInvoke(s, 'Charge', { lambdaFunction: fn('ChargeFn') }),
        compensation: Task.lambdaInvoke(s, 'Refund', { lambdaFunction: fn('RefundFn') }),
      },
    ],
  }).next(new sfn.Succeed(s, 'Booked')));
  return Workflow.fromStack(stack).definition;
}

/** A TryCatch: send an email; a bounced address is skipped, anything else is reported. */
export function tryCatchDefinition(): StateMachineDefinition {
  const stack = stackOf((s, fn) => new TryCatch(s, 'Notify', {
    try: Task.lambdaInvoke(s, 'Send email', { lambdaFunction: fn('EmailFn') }),
    catch: [
      { errors: ['Email.Bounced'], handler: new sfn.Pass(s, 'Skip bounced address') },
      { errors: ['States.ALL'], handler: new sfn.Pass(s, 'Report failure').next(new sfn.Fail(s, 'Not sent', { error: 'Notify.Failed' })) },
    ],
  }).next(new sfn.Succeed(s, 'Done')));
  return Workflow.fromStack(stack).definition;
}
