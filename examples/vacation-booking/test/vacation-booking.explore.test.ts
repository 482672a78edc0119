// Scenarios `stepwright explore` found for VacationBooking: each runs an input with the Task answers
// that take its path, and checks what sets the run apart (how it ends, the states that decide it, its
// output). Scenarios that differ only in their Task answers share one it.each table. A starting point:
// keep the file, rename the tests, and trim or extend them.
// Written by: npx projen example:scaffold
//
// explore reached states 39/39, transitions 38/38, Choice rules 12/12, catches 7/7, retries 9/9, callback outcomes 0/0.
//
// Findings:
// - unhandled: the execution fails with SNS.AuthorizationErrorException at state 'NotifyTraveller' (as it does with SNS.EndpointDisabledException, SNS.InternalErro…
import { App } from 'aws-cdk-lib';
import { VacationStack } from '../lib/vacation-stack';
import { Workflow, fail, succeed } from 'stepwright/testing';
import type { Mock } from 'stepwright/testing';

// Bundling is skipped: the tests answer every Task with a mock.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const wf = Workflow.fromStack(new VacationStack(app, 'VacationBooking'));

describe('VacationBooking: the scenarios explore found', () => {
  it("catches States.TaskFailed in 'Booking: Hotel', retries 'CancelHotel' after States.TaskFailed, catches States.TaskFailed in 'Booking: Undo Hotel', 'Booking: Undo Hotel again?' chooses 'Booking: Wait to undo Hotel', and 4 more, then fails with Saga.CompensationFailed", async () => {
    const run = await wf.run({ tripId: 'tripId', traveller: 'traveller' }, {
      mocks: {
        BookFlight: succeed({}),
        BookCar: succeed({}),
        BookHotel: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelHotel: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelCar: succeed({}),
        CancelFlight: succeed({}),
        NotifyTraveller: succeed({}),
      },
    });

    expect(run).toFail('Saga.CompensationFailed', expect.stringContaining('{"error":{"Error":"States.TaskFailed","Cause":"a failure stepwright made up for this call"},"compens'));
    expect(run).toHaveVisited(...[
      'Trip',
      'Booking: Hotel',
      'Booking: Undo Hotel',
      'Booking: Count rounds of undo Hotel',
      'Booking: Wait to undo Hotel',
      'Booking: Gave up undoing Hotel',
      'Booking: Compensation failed',
      'Trip: Handler 1',
      'Trip: Handler 1: Rethrow',
    ]);
    expect(run).not.toHaveVisited(...[
      'Booking: Error has cause?',
      'Trip: Handler 1: Rethrow without cause',
    ]);
  });

  it("catches States.TaskFailed in 'Booking: Car', 'Booking: Any undo failed?' chooses 'Booking: Error has cause?', 'Booking: Error has cause?' chooses 'Booking: Failed', catches States.TaskFailed in 'Trip', and 1 more, then fails with States.TaskFailed", async () => {
    const run = await wf.run({ tripId: 'tripId', traveller: 'traveller' }, {
      mocks: {
        BookFlight: succeed({}),
        BookCar: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelCar: succeed({}),
        CancelFlight: succeed({}),
        NotifyTraveller: succeed({}),
      },
    });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHaveVisited(...[
      'Trip',
      'Booking: Car',
      'Booking: Undo Car',
      'Booking: Error has cause?',
      'Booking: Failed',
      'Trip: Handler 1',
      'Trip: Handler 1: Rethrow',
    ]);
    expect(run).not.toHaveVisited(...[
      'Booking: Compensation failed',
      'Booking: Failed without cause',
      'Trip: Handler 1: Rethrow without cause',
    ]);
  });

  it("catches States.TaskFailed in 'Booking: Flight', 'Booking: Any undo failed?' chooses 'Booking: Error has cause?', 'Booking: Error has cause?' chooses 'Booking: Failed', catches States.TaskFailed in 'Trip', and 1 more, then fails with States.TaskFailed", async () => {
    const run = await wf.run({ tripId: 'tripId', traveller: 'traveller' }, {
      mocks: {
        BookFlight: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelFlight: succeed({}),
        NotifyTraveller: succeed({}),
      },
    });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHaveVisited(...[
      'Trip',
      'Booking: Flight',
      'Booking: Undo Flight',
      'Booking: Error has cause?',
      'Booking: Failed',
      'Trip: Handler 1',
      'Trip: Handler 1: Rethrow',
    ]);
    expect(run).not.toHaveVisited(...[
      'Booking: Compensation failed',
      'Booking: Failed without cause',
      'Trip: Handler 1: Rethrow without cause',
    ]);
  });

  it("catches States.TaskFailed in 'Booking: Hotel', 'Booking: Any undo failed?' chooses 'Booking: Error has cause?', 'Booking: Error has cause?' chooses 'Booking: Failed without cause', catches States.TaskFailed in 'Trip', and 1 more, then fails with States.TaskFailed", async () => {
    const run = await wf.run({ tripId: 'tripId', traveller: 'traveller' }, {
      mocks: {
        BookFlight: succeed({}),
        BookCar: succeed({}),
        BookHotel: fail('States.TaskFailed'),
        CancelHotel: succeed({}),
        CancelCar: succeed({}),
        CancelFlight: succeed({}),
        NotifyTraveller: succeed({}),
      },
    });

    expect(run).toFail('States.TaskFailed');
    expect(run).toHaveVisited(...[
      'Trip',
      'Booking: Hotel',
      'Booking: Undo Hotel',
      'Booking: Error has cause?',
      'Booking: Failed without cause',
      'Trip: Handler 1',
      'Trip: Handler 1: Rethrow without cause',
    ]);
    expect(run).not.toHaveVisited(...[
      'Booking: Compensation failed',
      'Booking: Failed',
      'Trip: Handler 1: Rethrow',
    ]);
  });

  it.each<[string, Record<string, Mock>]>([
    [
      "retries 'BookFlight' after Lambda.ClientExecutionTimeoutException, then succeeds",
      {
        BookFlight: [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: ClientExecutionTimeoutException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          succeed({ bookingId: 'bookingId' }),
        ],
        BookCar: succeed({ bookingId: 'bookingId' }),
        BookHotel: succeed({ bookingId: 'bookingId' }),
      },
    ],
    [
      "retries 'BookCar' after Lambda.ClientExecutionTimeoutException, then succeeds",
      {
        BookFlight: succeed({ bookingId: 'bookingId' }),
        BookCar: [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: ClientExecutionTimeoutException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          succeed({ bookingId: 'bookingId' }),
        ],
        BookHotel: succeed({ bookingId: 'bookingId' }),
      },
    ],
    [
      "retries 'BookHotel' after Lambda.ClientExecutionTimeoutException, then succeeds",
      {
        BookFlight: succeed({ bookingId: 'bookingId' }),
        BookCar: succeed({ bookingId: 'bookingId' }),
        BookHotel: [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: ClientExecutionTimeoutException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          succeed({ bookingId: 'bookingId' }),
        ],
      },
    ],
  ])('%s', async (_name, mocks) => {
    const run = await wf.run({ tripId: 'tripId' }, { mocks });

    expect(run).toSucceed();
    expect(run).toHaveVisited('ConfirmTrip');
    expect(run).toHaveOutput({
      flight: 'bookingId',
      car: 'bookingId',
      hotel: 'bookingId',
      tripId: 'tripId',
    });
  });

  it.each<[string, Record<string, Mock>]>([
    [
      "catches States.TaskFailed in 'Booking: Hotel', retries 'CancelHotel' after Lambda.ClientExecutionTimeoutException, retries 'CancelCar' after States.TaskFailed, catches States.TaskFailed in 'Booking: Undo Car', and 5 more, then fails with Saga.CompensationFailed",
      {
        BookFlight: succeed({}),
        BookCar: succeed({}),
        BookHotel: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelHotel: [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: ClientExecutionTimeoutException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          succeed({}),
        ],
        CancelCar: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelFlight: succeed({}),
        NotifyTraveller: succeed({}),
      },
    ],
    [
      "catches States.TaskFailed in 'Booking: Hotel', retries 'CancelHotel' after States.TaskFailed, retries 'CancelCar' after States.TaskFailed, catches States.TaskFailed in 'Booking: Undo Car', and 5 more, then fails with Saga.CompensationFailed",
      {
        BookFlight: succeed({}),
        BookCar: succeed({}),
        BookHotel: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelHotel: [
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          succeed({}),
        ],
        CancelCar: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelFlight: succeed({}),
        NotifyTraveller: succeed({}),
      },
    ],
  ])('%s', async (_name, mocks) => {
    const run = await wf.run({ tripId: 'tripId', traveller: 'traveller' }, { mocks });

    expect(run).toFail('Saga.CompensationFailed', expect.stringContaining('{"error":{"Error":"States.TaskFailed","Cause":"a failure stepwright made up for this call"},"compens'));
    expect(run).toHaveVisited(...[
      'Trip',
      'Booking: Hotel',
      'Booking: Undo Hotel',
      'Booking: Undo Car',
      'Booking: Count rounds of undo Car',
      'Booking: Wait to undo Car',
      'Booking: Gave up undoing Car',
      'Booking: Compensation failed',
      'Trip: Handler 1',
      'Trip: Handler 1: Rethrow',
    ]);
    expect(run).not.toHaveVisited(...[
      'Booking: Error has cause?',
      'Trip: Handler 1: Rethrow without cause',
    ]);
  });

  it.each<[string, Record<string, Mock>]>([
    [
      "catches States.TaskFailed in 'Booking: Hotel', retries 'CancelCar' after Lambda.ClientExecutionTimeoutException, retries 'CancelFlight' after States.TaskFailed, catches States.TaskFailed in 'Booking: Undo Flight', and 5 more, then fails with States.TaskFailed",
      {
        BookFlight: succeed({}),
        BookCar: succeed({}),
        BookHotel: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelHotel: succeed({}),
        CancelCar: [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: ClientExecutionTimeoutException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          succeed({}),
        ],
        CancelFlight: [
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          succeed({}),
        ],
        NotifyTraveller: succeed({}),
      },
    ],
    [
      "catches States.TaskFailed in 'Booking: Hotel', retries 'CancelCar' after States.TaskFailed, retries 'CancelFlight' after States.TaskFailed, catches States.TaskFailed in 'Booking: Undo Flight', and 5 more, then fails with States.TaskFailed",
      {
        BookFlight: succeed({}),
        BookCar: succeed({}),
        BookHotel: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelHotel: succeed({}),
        CancelCar: [
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          succeed({}),
        ],
        CancelFlight: [
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          succeed({}),
        ],
        NotifyTraveller: succeed({}),
      },
    ],
  ])('%s', async (_name, mocks) => {
    const run = await wf.run({ tripId: 'tripId', traveller: 'traveller' }, { mocks });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHaveVisited(...[
      'Trip',
      'Booking: Hotel',
      'Booking: Undo Hotel',
      'Booking: Undo Flight',
      'Booking: Count rounds of undo Flight',
      'Booking: Wait to undo Flight',
      'Booking: Error has cause?',
      'Booking: Failed',
      'Trip: Handler 1',
      'Trip: Handler 1: Rethrow',
    ]);
    expect(run).not.toHaveVisited(...[
      'Booking: Gave up undoing Flight',
      'Booking: Compensation failed',
      'Booking: Failed without cause',
      'Trip: Handler 1: Rethrow without cause',
    ]);
  });

  it("catches States.TaskFailed in 'Booking: Hotel', retries 'CancelFlight' after Lambda.ClientExecutionTimeoutException, 'Booking: Any undo failed?' chooses 'Booking: Error has cause?', 'Booking: Error has cause?' chooses 'Booking: Failed', and 2 more, then fails with States.TaskFailed", async () => {
    const run = await wf.run({ tripId: 'tripId', traveller: 'traveller' }, {
      mocks: {
        BookFlight: succeed({}),
        BookCar: succeed({}),
        BookHotel: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelHotel: succeed({}),
        CancelCar: succeed({}),
        CancelFlight: [
          fail('Lambda.ClientExecutionTimeoutException', 'a failure stepwright made up for this call (Service: AWSLambda; Status Code: 400; Error Code: ClientExecutionTimeoutException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          fail('States.TaskFailed', 'a failure stepwright made up for this call'),
          succeed({}),
        ],
        NotifyTraveller: succeed({}),
      },
    });

    expect(run).toFail('States.TaskFailed', 'a failure stepwright made up for this call');
    expect(run).toHaveVisited(...[
      'Trip',
      'Booking: Hotel',
      'Booking: Undo Hotel',
      'Booking: Error has cause?',
      'Booking: Failed',
      'Trip: Handler 1',
      'Trip: Handler 1: Rethrow',
    ]);
    expect(run).not.toHaveVisited(...[
      'Booking: Compensation failed',
      'Booking: Failed without cause',
      'Trip: Handler 1: Rethrow without cause',
    ]);
  });

  it("catches States.TaskFailed in 'Booking: Hotel', retries 'CancelFlight' after States.TaskFailed, catches States.TaskFailed in 'Booking: Undo Flight', 'Booking: Undo Flight again?' chooses 'Booking: Wait to undo Flight', and 4 more, then fails with Saga.CompensationFailed", async () => {
    const run = await wf.run({ tripId: 'tripId', traveller: 'traveller' }, {
      mocks: {
        BookFlight: succeed({}),
        BookCar: succeed({}),
        BookHotel: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelHotel: succeed({}),
        CancelCar: succeed({}),
        CancelFlight: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        NotifyTraveller: succeed({}),
      },
    });

    expect(run).toFail('Saga.CompensationFailed', expect.stringContaining('{"error":{"Error":"States.TaskFailed","Cause":"a failure stepwright made up for this call"},"compens'));
    expect(run).toHaveVisited(...[
      'Trip',
      'Booking: Hotel',
      'Booking: Undo Hotel',
      'Booking: Undo Flight',
      'Booking: Count rounds of undo Flight',
      'Booking: Wait to undo Flight',
      'Booking: Gave up undoing Flight',
      'Booking: Compensation failed',
      'Trip: Handler 1',
      'Trip: Handler 1: Rethrow',
    ]);
    expect(run).not.toHaveVisited(...[
      'Booking: Error has cause?',
      'Trip: Handler 1: Rethrow without cause',
    ]);
  });

  it("catches States.TaskFailed in 'Booking: Hotel', 'Booking: Any undo failed?' chooses 'Booking: Error has cause?', 'Booking: Error has cause?' chooses 'Booking: Failed', catches States.TaskFailed in 'Trip', then fails with SNS.AuthorizationErrorException at 'NotifyTraveller'", async () => {
    const run = await wf.run({ tripId: 'tripId', traveller: 'traveller' }, {
      mocks: {
        BookFlight: succeed({}),
        BookCar: succeed({}),
        BookHotel: fail('States.TaskFailed', 'a failure stepwright made up for this call'),
        CancelHotel: succeed({}),
        CancelCar: succeed({}),
        CancelFlight: succeed({}),
        NotifyTraveller: fail('SNS.AuthorizationErrorException', 'a failure stepwright made up for this call (Service: AmazonSNS; Status Code: 400; Error Code: AuthorizationErrorException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)'),
      },
    });

    expect(run).toFail('SNS.AuthorizationErrorException', 'a failure stepwright made up for this call (Service: AmazonSNS; Status Code: 400; Error Code: AuthorizationErrorException; Request ID: 00000000-0000-4000-8000-000000000000; Proxy: null)');
    expect(run).toHaveVisited(...[
      'Trip',
      'Booking: Hotel',
      'Booking: Undo Hotel',
      'Booking: Error has cause?',
      'Booking: Failed',
      'Trip: Handler 1',
      'NotifyTraveller',
    ]);
    expect(run).not.toHaveVisited(...[
      'Booking: Compensation failed',
      'Booking: Failed without cause',
    ]);
  });
});
