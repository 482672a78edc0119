import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { render } from './render';
import { CompensationExhausted, Saga, SagaEnd } from '../../src/constructs/builders';

const J = sfn.QueryLanguage.JSONATA;
const pass = (s: any, id: string) => new sfn.Pass(s, id);
const steps = (s: any) => [
  { name: 'Flight', action: pass(s, 'BookFlight'), compensation: pass(s, 'CancelFlight') },
  { name: 'Car', action: pass(s, 'BookCar'), compensation: pass(s, 'CancelCar') },
  { name: 'Hotel', action: pass(s, 'BookHotel'), compensation: pass(s, 'CancelHotel') },
];
const RETRY = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }];

describe('Saga', () => {
  it('runs steps in order, storing each unwrapped result under $.results (JSONPath)', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s) }));
    expect(asl.StartAt).toBe('Trip: Flight');
    expect(asl.States['Trip: Flight']).toMatchObject({ Type: 'Parallel', ResultPath: '$.results.Flight', Next: 'Trip: Flight result' });
    expect(asl.States['Trip: Flight result']).toEqual({
      Type: 'Pass', InputPath: '$.results.Flight[0]', ResultPath: '$.results.Flight', Next: 'Trip: Car',
    });
    expect(asl.States['Trip: Hotel result'].End).toBe(true);
  });

  it('compensates exactly the completed steps in reverse order, then fails with the original error', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s) }));
    const catchOf = (n: string) => asl.States[`Trip: ${n}`].Catch;
    expect(catchOf('Flight')).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Trip: Error has cause?' }]);
    expect(catchOf('Car')[0].Next).toBe('Trip: Undo Flight');
    expect(catchOf('Hotel')[0].Next).toBe('Trip: Undo Car');
    expect(asl.States['Trip: Undo Car'].Next).toBe('Trip: Undo Flight');
    expect(asl.States['Trip: Undo Flight'].Next).toBe('Trip: Error has cause?');
    expect(asl.States['Trip: Undo Hotel']).toBeUndefined();
  });

  it('re-raises the original error with its cause when it has one, and without a cause otherwise (a CausePath to nothing would fail)', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s) }));
    expect(asl.States['Trip: Error has cause?']).toEqual({
      Type: 'Choice', Choices: [{ Variable: '$.error.Cause', IsPresent: true, Next: 'Trip: Failed' }], Default: 'Trip: Failed without cause',
    });
    expect(asl.States['Trip: Failed']).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(asl.States['Trip: Failed without cause']).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error' });
  });

  it('reads the error to re-raise from errorKey', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s), errorKey: 'failure' }));
    expect(asl.States['Trip: Error has cause?'].Choices).toEqual([{ Variable: '$.failure.Cause', IsPresent: true, Next: 'Trip: Failed' }]);
    expect(asl.States['Trip: Failed without cause']).toEqual({ Type: 'Fail', ErrorPath: '$.failure.Error' });
  });

  it('retries each compensation with backoff and loops back after a wait so no undo is lost', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s) }));
    expect(asl.States['Trip: Undo Flight']).toEqual({
      Type: 'Parallel',
      ResultPath: null,
      Next: 'Trip: Error has cause?',
      Retry: RETRY,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.compensationError', Next: 'Trip: Wait to undo Flight' }],
      Branches: [{ StartAt: 'CancelFlight', States: { CancelFlight: { Type: 'Pass', End: true } } }],
    });
    expect(asl.States['Trip: Wait to undo Flight']).toEqual({ Type: 'Wait', Seconds: 60, Next: 'Trip: Undo Flight' });
  });

  it('fails with Saga.CompensationFailed when configured to stop after the retries', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s), onCompensationExhausted: CompensationExhausted.fail() }));
    expect(asl.States['Trip: Undo Flight'].Catch[0].Next).toBe('Trip: Compensation failed');
    expect(asl.States['Trip: Compensation failed']).toEqual({
      Type: 'Fail', Error: 'Saga.CompensationFailed', CausePath: 'States.JsonToString($.compensationError)',
    });
  });

  it('also undoes the failed step when compensateFailedStep is set', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s), compensateFailedStep: true }));
    expect(asl.States['Trip: Flight'].Catch[0].Next).toBe('Trip: Undo Flight');
    expect(asl.States['Trip: Hotel'].Catch[0].Next).toBe('Trip: Undo Hotel');
    expect(asl.States['Trip: Undo Hotel'].Next).toBe('Trip: Undo Car');
  });

  it('skips steps without a compensation', () => {
    const asl = render((s) => {
      const [flight, , hotel] = steps(s);
      return new Saga(s, 'Trip', { steps: [flight, { name: 'Notify', action: pass(s, 'Notify') }, hotel] });
    });
    expect(asl.States['Trip: Hotel'].Catch[0].Next).toBe('Trip: Undo Flight');
  });

  it.each([
    ['succeed', () => SagaEnd.succeed(), { Type: 'Succeed' }],
  ])('ends with %s after compensating when configured', (_n, end, state) => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s), onCompensated: end() }));
    expect(asl.States['Trip: Undo Flight'].Next).toBe('Trip: Compensated');
    expect(asl.States['Trip: Compensated']).toEqual(state);
  });

  it('continues with a user chain after compensating', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s), onCompensated: SagaEnd.chain(pass(s, 'Apologise')) }).next(pass(s, 'Done')));
    expect(asl.States['Trip: Undo Flight'].Next).toBe('Apologise');
    expect(asl.States.Apologise.Next).toBe('Done');
    expect(asl.States['Trip: Hotel result'].Next).toBe('Done');
  });

  it('keeps two sagas in one machine apart by prefixing state names', () => {
    const asl = render((s) => new Saga(s, 'A', { steps: [{ name: 'X', action: pass(s, 'a1'), compensation: pass(s, 'a2') }, { name: 'Y', action: pass(s, 'a3') }] })
      .next(new Saga(s, 'B', { steps: [{ name: 'X', action: pass(s, 'b1'), compensation: pass(s, 'b2') }, { name: 'Y', action: pass(s, 'b3') }] })));
    expect(Object.keys(asl.States)).toEqual(expect.arrayContaining(['A: X', 'B: X', 'A: Undo X', 'B: Undo X', 'A: Failed', 'B: Failed', 'A: Error has cause?', 'B: Error has cause?', 'A: Failed without cause', 'B: Failed without cause']));
  });

  it('merges results and the error with JSONata expressions', () => {
    const asl = render((s) => Saga.jsonata(s, 'Trip', { steps: steps(s).slice(0, 2), compensationRetry: { maxAttempts: 5 }, onCompensationExhausted: CompensationExhausted.retryAfter(Duration.seconds(10)) }), { queryLanguage: J });
    expect(asl.States['Trip: Flight']).toMatchObject({
      Type: 'Parallel',
      Next: 'Trip: Car',
      Output: '{% $merge([$states.input, {"results": $merge([$exists($states.input.results) ? $states.input.results : {}, {"Flight": $states.result[0]}])}]) %}',
      Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}', Next: 'Trip: Error has cause?' }],
    });
    expect(asl.States['Trip: Undo Flight']).toMatchObject({
      Output: '{% $states.input %}',
      Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 5 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $merge([$states.input, {"compensationError": $states.errorOutput}]) %}', Next: 'Trip: Wait to undo Flight' }],
    });
    expect(asl.States['Trip: Wait to undo Flight']).toEqual({ Type: 'Wait', Seconds: 10, Next: 'Trip: Undo Flight' });
    expect(asl.States['Trip: Error has cause?']).toEqual({
      Type: 'Choice', Choices: [{ Condition: '{% $exists($states.input.error.Cause) %}', Next: 'Trip: Failed' }], Default: 'Trip: Failed without cause',
    });
    expect(asl.States['Trip: Failed']).toEqual({ Type: 'Fail', Error: '{% $states.input.error.Error %}', Cause: '{% $states.input.error.Cause %}' });
    expect(asl.States['Trip: Failed without cause']).toEqual({ Type: 'Fail', Error: '{% $states.input.error.Error %}' });
  });

  it.each([
    [(_s: any) => ({ steps: [] }), /steps: is empty/],
    [(s: any) => ({ steps: [{ name: 'A', action: pass(s, 'x') }, { name: 'A', action: pass(s, 'y') }] }), /steps\[1\]\.name: 'A' is used twice/],
    [(s: any) => ({ steps: [{ name: 'Book flight', action: pass(s, 'x') }] }), /steps\[0\]\.resultKey: 'Book flight' is not a plain identifier; set resultKey/],
    [(s: any) => ({ resultsKey: 'a.b', steps: [{ name: 'A', action: pass(s, 'x') }] }), /resultsKey: 'a.b' is not a plain identifier/],
  ])('rejects bad props (%#)', (props, message) => {
    expect(() => render((s) => new Saga(s, 'Trip', props(s) as any))).toThrow(message);
  });
});
