import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { render, synth } from './render';
import { CompensationExhausted, Saga, SagaEnd, Task, TryCatch } from '../../src/constructs/builders';

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
    // Each step's Catch starts the bookkeeping afresh, in variables no execution input can set.
    const restart = { compensationErrors_Trip: [], compensationFailingSince_Trip: false };
    expect(catchOf('Flight')).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Assign: restart, Next: 'Trip: Any undo failed?' }]);
    expect(catchOf('Car')).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Assign: restart, Next: 'Trip: Undo Flight' }]);
    expect(catchOf('Hotel')[0].Next).toBe('Trip: Undo Car');
    expect(asl.States['Trip: Undo Car'].Next).toBe('Trip: Undo Flight');
    expect(asl.States['Trip: Undo Flight'].Next).toBe('Trip: Any undo failed?');
    expect(asl.States['Trip: Undo Hotel']).toBeUndefined();
    expect(asl.States['Trip: Any undo failed?']).toEqual({
      Type: 'Choice',
      QueryLanguage: 'JSONata',
      Choices: [{ Condition: '{% $count($compensationErrors_Trip) > 0 %}', Next: 'Trip: Compensation failed' }],
      Default: 'Trip: Error has cause?',
    });
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

  it('retries each compensation with backoff, then runs it again a minute later, for at most an hour (the default)', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s) }));
    expect(asl.States['Trip: Undo Flight']).toEqual({
      Type: 'Parallel',
      ResultPath: null,
      // The next undo counts its own rounds.
      Assign: { compensationFailingSince_Trip: false },
      Next: 'Trip: Any undo failed?',
      Retry: RETRY,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.compensationError', Next: 'Trip: Count rounds of undo Flight' }],
      Branches: [{ StartAt: 'CancelFlight', States: { CancelFlight: { Type: 'Pass', End: true } } }],
    });
    // The rounds live in a variable, which no execution input can set; the output is the input.
    expect(asl.States['Trip: Count rounds of undo Flight']).toEqual({
      Type: 'Pass',
      QueryLanguage: 'JSONata',
      Assign: {
        compensationFailingSince_Trip: '{% $type($compensationFailingSince_Trip) = "string" ? $compensationFailingSince_Trip : $states.context.State.EnteredTime %}',
      },
      Next: 'Trip: Undo Flight again?',
    });
    expect(asl.States['Trip: Undo Flight again?']).toEqual({
      Type: 'Choice',
      QueryLanguage: 'JSONata',
      Choices: [{
        Condition: '{% $toMillis($states.context.State.EnteredTime) + 60000 <= $toMillis($compensationFailingSince_Trip) + 3600000 %}',
        Next: 'Trip: Wait to undo Flight',
      }],
      Default: 'Trip: Gave up undoing Flight',
    });
    expect(asl.States['Trip: Wait to undo Flight']).toEqual({ Type: 'Wait', Seconds: 60, Next: 'Trip: Undo Flight' });
    expect(asl.States['Trip: Gave up undoing Flight']).toMatchObject({ Type: 'Pass', QueryLanguage: 'JSONata', Next: 'Trip: Any undo failed?' });
  });

  it('bounds the rounds by maxAttempts and maxDuration together', () => {
    const asl = render((s) => new Saga(s, 'Trip', {
      steps: steps(s),
      onCompensationExhausted: CompensationExhausted.retryAfter(Duration.seconds(30), { maxAttempts: 4, maxDuration: Duration.minutes(10) }),
    }));
    expect(asl.States['Trip: Undo Flight again?'].Choices[0].Condition).toBe(
      '{% $compensationAttempts_Trip < 4 and $toMillis($states.context.State.EnteredTime) + 30000 <= $toMillis($compensationFailingSince_Trip) + 600000 %}');
    expect(asl.States['Trip: Count rounds of undo Flight'].Assign).toEqual({
      compensationAttempts_Trip: '{% $compensationAttempts_Trip + 1 %}',
      compensationFailingSince_Trip: '{% $type($compensationFailingSince_Trip) = "string" ? $compensationFailingSince_Trip : $states.context.State.EnteredTime %}',
    });
    // Set afresh where each undo starts: the step's Catch, the Undo before it, the give-up before it.
    const restart = { compensationAttempts_Trip: 0, compensationFailingSince_Trip: false };
    expect(asl.States['Trip: Car'].Catch[0].Assign).toEqual({ compensationErrors_Trip: [], ...restart });
    expect(asl.States['Trip: Undo Car'].Assign).toEqual(restart);
    expect(asl.States['Trip: Gave up undoing Car'].Assign).toMatchObject(restart);
  });

  it('names its rounds variables after its state prefix, so a saga nested in another\'s step keeps its own', () => {
    const asl = render((s) => new Saga(s, 'Trip', {
      steps: [
        { name: 'Flight', action: new Saga(s, 'Inner', { steps: steps(s).slice(0, 2), resultsKey: 'inner' }), compensation: pass(s, 'CancelTrip') },
        { name: 'Stay', action: pass(s, 'BookStay'), compensation: pass(s, 'CancelStay') },
      ],
    }));
    const inner = asl.States['Trip: Flight'].Branches[0].States;
    expect(Object.keys(inner['Inner: Count rounds of undo Flight'].Assign)).toEqual(['compensationFailingSince_Inner']);
    expect(Object.keys(asl.States['Trip: Count rounds of undo Flight'].Assign)).toEqual(['compensationFailingSince_Trip']);
    expect(render((s) => new Saga(s, 'Trip', { steps: steps(s), statePrefix: '' })).States['Count rounds of undo Flight'].Assign).toHaveProperty(['compensationFailingSince']);
  });

  it('loops without bookkeeping when the loop is explicitly unbounded', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s), onCompensationExhausted: CompensationExhausted.retryAfter(Duration.minutes(1)) }));
    expect(asl.States['Trip: Undo Flight'].Catch[0].Next).toBe('Trip: Wait to undo Flight');
    expect(asl.States['Trip: Undo Flight'].Next).toBe('Trip: Error has cause?');
    expect(Object.keys(asl.States).filter((n) => /Count rounds|again\?|Gave up|Any undo failed|Compensation failed/.test(n))).toEqual([]);
  });

  it('with CompensationExhausted.fail(), records the failed undo and goes on undoing, then fails with Saga.CompensationFailed', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s), onCompensationExhausted: CompensationExhausted.fail() }));
    expect(asl.States['Trip: Undo Car'].Catch[0].Next).toBe('Trip: Gave up undoing Car');
    expect(asl.States['Trip: Gave up undoing Car'].Next).toBe('Trip: Undo Flight');
    expect(asl.States['Trip: Compensation failed']).toEqual({
      Type: 'Fail',
      QueryLanguage: 'JSONata',
      Error: 'Saga.CompensationFailed',
      Cause: '{% $string({"error": $states.input.error, "compensationErrors": $compensationErrors_Trip}) %}',
    });
    const gaveUp = '$append($compensationErrors_Trip, [$merge([{"step": "Car"}, $states.input.compensationError])])';
    expect(asl.States['Trip: Gave up undoing Car']).toEqual({
      Type: 'Pass',
      QueryLanguage: 'JSONata',
      Output: `{% $merge([$states.input, {"compensationErrors": ${gaveUp}}]) %}`,
      Assign: { compensationErrors_Trip: `{% ${gaveUp} %}` },
      Next: 'Trip: Undo Flight',
    });
  });

  it('with CompensationExhausted.fail({ undoRemaining: false }), stops compensating at the first undo that gives up', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s), onCompensationExhausted: CompensationExhausted.fail({ undoRemaining: false }) }));
    expect(asl.States['Trip: Gave up undoing Car'].Next).toBe('Trip: Compensation failed');
    expect(asl.States['Trip: Undo Flight'].Next).toBe('Trip: Error has cause?');
    expect(asl.States['Trip: Any undo failed?']).toBeUndefined();
  });

  it('puts the compensation retry on a single-Task compensation, after its Lambda transient-error retry, so the two do not multiply', () => {
    const asl = render((s) => {
      const fn = lambda.Function.fromFunctionArn(s, 'Fn', 'arn:aws:lambda:us-east-1:123456789012:function:f:1');
      return new Saga(s, 'Trip', {
        steps: [
          { name: 'Flight', action: pass(s, 'BookFlight'), compensation: Task.lambdaInvoke(s, 'CancelFlight', { lambdaFunction: fn }) },
          { name: 'Car', action: pass(s, 'BookCar') },
        ],
      });
    });
    const undo = asl.States['Trip: Undo Flight'];
    expect(undo.Retry).toBeUndefined();
    expect(undo.Branches[0].States.CancelFlight.Retry.map((r: any) => [r.ErrorEquals[0], r.MaxAttempts])).toEqual([
      ['Lambda.ClientExecutionTimeoutException', 6],
      ['States.ALL', 3],
    ]);
  });

  it('keeps a single-state compensation\'s own States.ALL retry instead of adding one it could never reach', () => {
    const asl = render((s) => {
      const cancel = new sfn.Parallel(s, 'CancelFlight').branch(pass(s, 'Inner'));
      cancel.addRetry({ maxAttempts: 9 });
      return new Saga(s, 'Trip', { steps: [{ name: 'Flight', action: pass(s, 'BookFlight'), compensation: cancel }, { name: 'Car', action: pass(s, 'BookCar') }] });
    });
    expect(asl.States['Trip: Undo Flight'].Branches[0].States.CancelFlight.Retry).toEqual([{ ErrorEquals: ['States.ALL'], MaxAttempts: 9 }]);
  });

  it('rejects a compensationRetry that a compensation\'s own States.ALL retry would shadow', () => {
    expect(() => render((s) => {
      const cancel = new sfn.Parallel(s, 'CancelFlight').branch(pass(s, 'Inner'));
      cancel.addRetry({ maxAttempts: 9 });
      return new Saga(s, 'Trip', {
        compensationRetry: { maxAttempts: 2 },
        steps: [{ name: 'Flight', action: pass(s, 'BookFlight'), compensation: cancel }, { name: 'Car', action: pass(s, 'BookCar') }],
      });
    })).toThrow(/steps\[0\]\.compensation: 'CancelFlight' already retries States.ALL/);
  });

  it.each([
    ['maxAttempts 0', { maxAttempts: 0 }, /maxAttempts: 0 is not a whole number of rounds >= 1/],
    ['maxAttempts 1.5', { maxAttempts: 1.5 }, /maxAttempts: 1.5 is not a whole number/],
    ['maxDuration 0 s', { maxDuration: Duration.seconds(0) }, /maxDuration: 0 seconds must be longer than zero/],
  ])('rejects a loop bound that cannot work (%s)', (_label, bound, message) => {
    expect(() => render((s) => new Saga(s, 'Trip', { steps: steps(s), onCompensationExhausted: CompensationExhausted.retryAfter(Duration.seconds(1), bound) }))).toThrow(message);
  });

  it('also undoes the failed step when compensateFailedStep is set', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s), compensateFailedStep: true }));
    expect(asl.States['Trip: Flight'].Catch[0].Next).toBe('Trip: Undo Flight');
    expect(asl.States['Trip: Hotel'].Catch[0].Next).toBe('Trip: Undo Hotel');
    expect(asl.States['Trip: Undo Hotel'].Next).toBe('Trip: Undo Car');
  });

  it('warns at synth that the last step\'s compensation can never run, naming the step, its states and the fix', () => {
    const { stack } = synth((s) => new Saga(s, 'Trip', { steps: steps(s) }));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('stepwright:saga-unreachable-compensation'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/Test/Trip');
    expect(warnings[0].entry.data).toContain("Saga 'Trip': the compensation of its last step 'Hotel' (state 'CancelHotel') can never run, so it is left out of the state machine");
    expect(warnings[0].entry.data).toContain('set compensateFailedStep: true');
  });

  it('does not warn when the last step undoes itself (compensateFailedStep) or has no compensation', () => {
    const undoes = synth((s) => new Saga(s, 'Trip', { steps: steps(s), compensateFailedStep: true })).stack;
    const none = synth((s) => new Saga(s, 'Trip', { steps: [...steps(s).slice(0, 2), { name: 'Hotel', action: pass(s, 'StayHome') }] })).stack;
    for (const stack of [undoes, none]) {
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('stepwright:saga-unreachable-compensation'))).toEqual([]);
    }
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
    expect(asl.States['Trip: Undo Flight'].Next).toBe('Trip: Any undo failed?');
    expect(asl.States['Trip: Any undo failed?'].Default).toBe('Trip: Compensated');
    expect(asl.States['Trip: Compensated']).toEqual(state);
  });

  it('continues with a user chain after compensating', () => {
    const asl = render((s) => new Saga(s, 'Trip', { steps: steps(s), onCompensated: SagaEnd.chain(pass(s, 'Apologise')) }).next(pass(s, 'Done')));
    expect(asl.States['Trip: Any undo failed?'].Default).toBe('Apologise');
    expect(asl.States.Apologise.Next).toBe('Done');
    expect(asl.States['Trip: Hotel result'].Next).toBe('Done');
  });

  it('keeps two sagas in one machine apart by prefixing state names', () => {
    const asl = render((s) => new Saga(s, 'A', { steps: [{ name: 'X', action: pass(s, 'a1'), compensation: pass(s, 'a2') }, { name: 'Y', action: pass(s, 'a3') }] })
      .next(new Saga(s, 'B', { resultsKey: 'bResults', steps: [{ name: 'X', action: pass(s, 'b1'), compensation: pass(s, 'b2') }, { name: 'Y', action: pass(s, 'b3') }] })));
    expect(Object.keys(asl.States)).toEqual(expect.arrayContaining(['A: X', 'B: X', 'A: Undo X', 'B: Undo X', 'A: Failed', 'B: Failed', 'A: Error has cause?', 'B: Error has cause?', 'A: Failed without cause', 'B: Failed without cause']));
  });

  it('fails at synth, saying to set resultsKey, when two sagas in one machine would store the same step results', () => {
    expect(() => render((s) => new Saga(s, 'Outbound', { steps: [{ name: 'Flight', action: pass(s, 'a1'), compensation: pass(s, 'a2') }, { name: 'Car', action: pass(s, 'a3') }] })
      .next(new Saga(s, 'Return', { steps: [{ name: 'Flight', action: pass(s, 'b1') }, { name: 'Hotel', action: pass(s, 'b3') }] }))))
      .toThrow(/Sagas 'Test\/Outbound' and 'Test\/Return' run one after the other in one state machine and both store step result\(s\) '\$\.results\.Flight'.*resultsKey: 'returnResults'/);
  });

  it('fails at synth when a saga follows a TryCatch around another one with the same step results', () => {
    expect(() => render((s) => new TryCatch(s, 'Guard', { try: new Saga(s, 'Outbound', { steps: [{ name: 'Flight', action: pass(s, 'a1') }] }) })
      .next(new Saga(s, 'Return', { steps: [{ name: 'Flight', action: pass(s, 'b1') }] }))))
      .toThrow(/Sagas 'Test\/Outbound' and 'Test\/Return' run one after the other/);
  });

  it('lets sagas with the same step results sit in two Choice branches or two Parallel branches, where neither overwrites the other', () => {
    const saga = (s: Stack, id: string) => new Saga(s, id, { steps: [{ name: 'Flight', action: pass(s, `${id}1`), compensation: pass(s, `${id}2`) }, { name: 'Hotel', action: pass(s, `${id}3`) }] });
    const choice = render((s) => new sfn.Choice(s, 'Where').when(sfn.Condition.isPresent('$.abroad'), saga(s, 'Abroad')).otherwise(saga(s, 'Home')));
    expect(Object.keys(choice.States)).toEqual(expect.arrayContaining(['Abroad: Flight', 'Home: Flight']));
    const parallel = render((s) => new sfn.Parallel(s, 'Both').branch(saga(s, 'Outbound')).branch(saga(s, 'Return')));
    expect(parallel.States.Both.Branches.map((b: any) => b.StartAt)).toEqual(['Outbound: Flight', 'Return: Flight']);
  });

  it('lets two sagas share resultsKey when their step results do not overlap, and sagas in different machines share anything', () => {
    const app = new App();
    const stack = new Stack(app, 'Two');
    const saga = (id: string, name: string) => new Saga(stack, id, { steps: [{ name, action: pass(stack, `${id}a`), compensation: pass(stack, `${id}b`) }, { name: `${name}2`, action: pass(stack, `${id}c`) }] });
    new sfn.StateMachine(stack, 'M1', { definitionBody: sfn.DefinitionBody.fromChainable(saga('A', 'Flight').next(saga('B', 'Car'))) });
    new sfn.StateMachine(stack, 'M2', { definitionBody: sfn.DefinitionBody.fromChainable(saga('C', 'Flight')) });
    // Template.fromStack runs the validations; it throws if the saga check reports anything.
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 2);
  });

  it('fails at synth, naming the field, the state and resultsKey, when a JSONata state before the saga already sets results', () => {
    const search = (s: Stack) => sfn.Pass.jsonata(s, 'Search', { outputs: '{% $merge([$states.input, {"results": [1, 2]}]) %}' });
    expect(() => render((s) => search(s).next(sfn.Choice.jsonata(s, 'Found?').when(sfn.Condition.jsonata('{% true %}'), Saga.jsonata(s, 'Booking', { steps: steps(s).slice(0, 2) }))), { queryLanguage: J }))
      .toThrow(/Saga 'Test\/Booking' keeps its step results in '\$\.results', which state 'Search' before it already sets, .*resultsKey: 'bookingResults'\), or rename the field 'Search' sets/);
  });

  it('fails at synth when a JSONPath state before the saga writes its result to $.results', () => {
    expect(() => render((s) => new sfn.Pass(s, 'Seed', { result: sfn.Result.fromArray([1]), resultPath: '$.results' }).next(new Saga(s, 'Trip', { steps: steps(s).slice(0, 2) }))))
      .toThrow(/Saga 'Test\/Trip' keeps its step results in '\$\.results', which state 'Seed' before it already sets/);
  });

  it('lets a state before the saga set results when a state between them replaces its output, and a saga with its own resultsKey follow it', () => {
    const replaced = render((s) => sfn.Pass.jsonata(s, 'Search', { outputs: '{% {"results": [1]} %}' })
      .next(sfn.Pass.jsonata(s, 'Fresh', { outputs: '{% {"order": 1} %}' }))
      .next(Saga.jsonata(s, 'Booking', { steps: steps(s).slice(0, 2) })), { queryLanguage: J });
    expect(Object.keys(replaced.States)).toContain('Booking: Flight');
    const renamed = render((s) => sfn.Pass.jsonata(s, 'Search', { outputs: '{% {"results": [1]} %}' })
      .next(Saga.jsonata(s, 'Booking', { resultsKey: 'bookingResults', steps: steps(s).slice(0, 2) })), { queryLanguage: J });
    expect(Object.keys(renamed.States)).toContain('Booking: Flight');
  });

  it('merges results and the error with JSONata expressions', () => {
    const asl = render((s) => Saga.jsonata(s, 'Trip', { steps: steps(s).slice(0, 2), compensationRetry: { maxAttempts: 5 }, onCompensationExhausted: CompensationExhausted.retryAfter(Duration.seconds(10)) }), { queryLanguage: J });
    expect(asl.States['Trip: Flight']).toMatchObject({
      Type: 'Parallel',
      Next: 'Trip: Car',
      Output: '{% $merge([$states.input, {"results": $merge([($exists($states.input.results) ? ($type($states.input.results) = "object" ? $states.input.results : '
        + '$error("the saga\'s input field \'results\' is not an object of step results, so its steps\' results cannot be merged into it; '
        + 'give Saga \'Trip\' its own resultsKey, or rename the input\'s field")) : {}), {"Flight": $states.result[0]}])}]) %}',
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
