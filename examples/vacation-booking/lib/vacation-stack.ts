import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { handlerCode } from './handler-code';
import { CompensationExhausted, Saga, Task, TryCatch } from 'stepwright';

/**
 * The classic vacation-booking saga, as a seed to copy:
 *
 * - book the flight, then the car, then the hotel (a {@link Saga});
 * - when a booking fails, cancel what was booked, newest first, the failed
 *   booking included (`compensateFailedStep`: a booking that timed out may
 *   have gone through, and every cancel is idempotent per trip);
 * - a cancel is retried (3 retries, backoff from 1 s), then run again every
 *   minute for at most an hour; one that still fails is reported, the other
 *   cancels still run, and the saga fails with `Saga.CompensationFailed`;
 * - around it, a {@link TryCatch} tells the traveller (SNS) and re-raises the
 *   error, so the execution fails with it.
 *
 * Input: `{ tripId, traveller, flight: { from, to, date }, car: { city, days }, hotel: { city, nights } }`.
 * Output: `{ tripId, flight, car, hotel }`, the three booking ids.
 */
export class VacationStack extends Stack {
  public readonly stateMachine: sfn.StateMachine;
  public readonly notifications: sns.Topic;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const code = handlerCode();
    const fn = (name: string, file: string): lambda.IFunction =>
      new lambda.Function(this, name, { runtime: lambda.Runtime.NODEJS_20_X, handler: `${file}.handler`, code, timeout: Duration.seconds(10) }).currentVersion;
    // Lambda tasks: the result is the function's payload, Lambda's transient errors
    // are retried, and the task times out after 20 minutes unless told otherwise.
    const task = (name: string, file: string) => Task.lambdaInvoke(this, name, { lambdaFunction: fn(`${name}Function`, file) });

    const booking = new Saga(this, 'Booking', {
      steps: [
        { name: 'Flight', action: task('BookFlight', 'book-flight'), compensation: task('CancelFlight', 'cancel-flight') },
        { name: 'Car', action: task('BookCar', 'book-car'), compensation: task('CancelCar', 'cancel-car') },
        { name: 'Hotel', action: task('BookHotel', 'book-hotel'), compensation: task('CancelHotel', 'cancel-hotel') },
      ],
      compensateFailedStep: true,
      onCompensationExhausted: CompensationExhausted.retryAfter(Duration.minutes(1), { maxDuration: Duration.hours(1) }),
    });

    this.notifications = new sns.Topic(this, 'TravellerNotifications');
    const notify = Task.snsPublish(this, 'NotifyTraveller', {
      topic: this.notifications,
      message: sfn.TaskInput.fromObject({
        'tripId.$': '$.tripId',
        'traveller.$': '$.traveller',
        'error.$': '$.error.Error',
      }),
      resultPath: sfn.JsonPath.DISCARD,
    });

    // The traveller hears about any failure; the execution still fails with the error.
    const trip = new TryCatch(this, 'Trip', {
      try: booking,
      catch: [{ handler: notify, rethrow: true }],
    });

    const confirm = new sfn.Pass(this, 'ConfirmTrip', {
      parameters: {
        'tripId.$': '$.tripId',
        'flight.$': '$.results.Flight.bookingId',
        'car.$': '$.results.Car.bookingId',
        'hotel.$': '$.results.Hotel.bookingId',
      },
    });

    this.stateMachine = new sfn.StateMachine(this, 'Vacation', {
      stateMachineName: 'VacationBooking',
      definitionBody: sfn.DefinitionBody.fromChainable(trip.next(confirm)),
      timeout: Duration.days(1),
    });
  }
}
