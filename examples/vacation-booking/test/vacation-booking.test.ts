import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { handlers } from './handlers';
import { VacationStack } from '../lib/vacation-stack';
import { StateMachineValidator } from 'stepwright';
import { Workflow, fail, succeed } from 'stepwright/testing';

// Synthesize once per file: the stack is the one `cdk deploy` would deploy.
// Bundling is skipped because the tests call the handlers directly.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new VacationStack(app, 'VacationBooking');
Aspects.of(app).add(new StateMachineValidator());
const wf = Workflow.fromStack(stack);

const trip = {
  tripId: 't-1',
  traveller: 'Ada',
  flight: { from: 'LHR', to: 'Lisbon', date: '2026-06-01' },
  car: { city: 'Lisbon', days: 5 },
  hotel: { city: 'Lisbon', nights: 5 },
};
/** A trip whose hotel is sold out: the third booking fails. */
const noHotel = { ...trip, hotel: { city: 'Atlantis', nights: 5 } };

const cancels = ['CancelHotel', 'CancelCar', 'CancelFlight'] as const;
const calls = (run: Awaited<ReturnType<typeof wf.run>>, states: readonly string[]) =>
  Object.fromEntries(states.map((s) => [s, run.taskCalls(s).length]));
const down = fail('Provider.Unavailable', 'connection refused');

describe('vacation booking', () => {
  it('synthesizes the ASL recorded in the snapshot', () => {
    expect(wf.definition).toMatchSnapshot();
  });

  it('synthesizes without validator findings: the builders\' defaults need no warning', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('Step Functions definition'))).toEqual([]);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('lambda-unqualified'))).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'VacationBooking' });
  });

  it('books the flight, the car and the hotel, and outputs the three booking ids', async () => {
    const run = await wf.run(trip, { mocks: handlers });

    expect(run).toSucceed();
    expect(run).toHaveOutput({ tripId: 't-1', flight: 'FLIGHT-t-1', car: 'CAR-t-1', hotel: 'HOTEL-t-1' });
    expect(run).not.toHaveVisited('Booking: Undo Flight', 'NotifyTraveller');
    // The saga's own output, before ConfirmTrip: the input with each step's result under results.
    expect(run.outputOf('Trip')).toEqual({
      ...trip,
      results: { Flight: { bookingId: 'FLIGHT-t-1' }, Car: { bookingId: 'CAR-t-1' }, Hotel: { bookingId: 'HOTEL-t-1' } },
    });
  });

  it('cancels the hotel, the car and the flight, newest first, tells the traveller and fails with the hotel\'s error', async () => {
    const run = await wf.run(noHotel, { mocks: handlers });

    expect(run).toFail('HotelSoldOut', expect.stringContaining('no hotel in Atlantis for trip t-1'));
    const order = run.path.filter((s) => (cancels as readonly string[]).includes(s) || s === 'NotifyTraveller');
    expect(order).toEqual(['CancelHotel', 'CancelCar', 'CancelFlight', 'NotifyTraveller']);
    expect(run.taskCalls('NotifyTraveller')).toEqual([{ TopicArn: expect.stringContaining(':TravellerNotifications'), Message: { tripId: 't-1', traveller: 'Ada', error: 'HotelSoldOut' } }]);
    expect(run.path.slice(-4)).toEqual(['Trip: Handler 1', 'NotifyTraveller', 'Trip: Handler 1: Error has cause?', 'Trip: Handler 1: Rethrow']);
  });

  it('cancels only the flight when the flight itself cannot be booked', async () => {
    const run = await wf.run({ ...trip, flight: { ...trip.flight, to: 'Atlantis' } }, { mocks: handlers });

    expect(run).toFail('FlightSoldOut');
    expect(calls(run, ['BookCar', ...cancels])).toEqual({ BookCar: 0, CancelHotel: 0, CancelCar: 0, CancelFlight: 1 });
  });

  it('retries a flaky cancel, counted by its task name, and the undo state agrees', async () => {
    const run = await wf.run(noHotel, { mocks: { ...handlers, CancelCar: [down, down, succeed({ cancelled: 'CAR-t-1' })] } });

    expect(run).toFail('HotelSoldOut');
    expect(run.retries('CancelCar')).toBe(2);
    expect(run).toHaveRetried('CancelCar', 2);
    // The retry sits on the CancelCar task itself, not on the saga's undo state around it.
    expect(run.retries('Booking: Undo Car')).toBe(0);
    expect(run).toHaveRetried('Booking: Undo Car', 0);
  });

  it('retries a cancel throttled by Lambda with Lambda\'s retry only: one policy per error, not a product', async () => {
    const throttled = fail('Lambda.TooManyRequestsException', 'Rate exceeded');
    const run = await wf.run(noHotel, { mocks: { ...handlers, CancelCar: [throttled, throttled, throttled, succeed({ cancelled: 'CAR-t-1' })] } });

    expect(run).toFail('HotelSoldOut');
    expect(run).toHaveRetried('CancelCar', 3);
    expect(run).not.toHaveVisited('Booking: Wait to undo Car');
  });

  it('gives up on a cancel that fails for an hour, still cancels the flight, and fails with Saga.CompensationFailed carrying both errors', async () => {
    const run = await wf.run(noHotel, { mocks: { ...handlers, CancelCar: down } });

    expect(run).toFail('Saga.CompensationFailed');
    expect(JSON.parse(run.cause!)).toEqual({
      error: { Error: 'HotelSoldOut', Cause: expect.stringContaining('no hotel in Atlantis') },
      compensationErrors: [{ step: 'Car', Error: 'Provider.Unavailable', Cause: 'connection refused' }],
    });
    expect(run.taskCalls('CancelFlight')).toHaveLength(1);
    expect(run.taskCalls('NotifyTraveller')).toEqual([expect.objectContaining({ Message: { tripId: 't-1', traveller: 'Ada', error: 'Saga.CompensationFailed' } })]);
    // Rounds of 1 call + 3 retries (7 s), a minute apart, none starting after the hour: 54 rounds.
    expect(run.taskCalls('CancelCar')).toHaveLength(54 * 4);
    expect(run.stopDate.getTime() - run.startDate.getTime()).toBeLessThanOrEqual(3_600_000 + 67_000);
  });

  it('refuses a mock for a state the machine does not have, naming the states it has', async () => {
    await expect(wf.run(trip, { mocks: { ...handlers, CancelBoat: succeed({}) } })).rejects.toThrow(/CancelBoat/);
  });
});
