import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { render } from './render';
import { TryCatch } from '../../src/constructs/builders';

const J = sfn.QueryLanguage.JSONATA;
const pass = (s: any, id: string) => new sfn.Pass(s, id);
const branch = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });

describe('TryCatch', () => {
  it('unwraps the try output with ResultSelector $[0] and OutputPath $.value (JSONPath)', () => {
    const asl = render((s) => new TryCatch(s, 'Charge', { try: pass(s, 'Work') }));
    expect(asl.States.Charge).toEqual({
      Type: 'Parallel',
      End: true,
      Branches: [branch('Work')],
      ResultSelector: { 'value.$': '$[0]' },
      OutputPath: '$.value',
    });
  });

  it('unwraps the try output with Output $states.result[0] (JSONata)', () => {
    const asl = render((s) => TryCatch.jsonata(s, 'Charge', { try: pass(s, 'Work') }), { queryLanguage: J });
    expect(asl.States.Charge).toEqual({
      Type: 'Parallel', End: true, Branches: [branch('Work')], Output: '{% $states.result[0] %}',
    });
  });

  it('renders assign and outputs on the try block\'s Parallel, outputs inside the envelope when finally follows (JSONata)', () => {
    const assign = { chargeId: '{% $states.result[0].chargeId %}' };
    const plain = render((s) => TryCatch.jsonata(s, 'Charge', { try: pass(s, 'Work'), outputs: { id: '{% $states.result[0].chargeId %}' }, assign }), { queryLanguage: J });
    expect(plain.States.Charge).toEqual({
      Type: 'Parallel', End: true, Branches: [branch('Work')], Output: { id: '{% $states.result[0].chargeId %}' }, Assign: assign,
    });
    const withFinally = render((s) => TryCatch.jsonata(s, 'Charge', { try: pass(s, 'Work'), finally: pass(s, 'Cleanup'), outputs: '{% $states.result[0].chargeId %}', assign }),
      { queryLanguage: J });
    expect(withFinally.States.Charge).toMatchObject({ Output: { value: '{% $states.result[0].chargeId %}' }, Assign: assign });
  });

  it('renders assign on a JSONPath TryCatch beside its ResultSelector, and refuses outputs there, naming the field', () => {
    const asl = render((s) => new TryCatch(s, 'Charge', { try: pass(s, 'Work'), assign: { 'chargeId.$': '$.value.chargeId' } }));
    expect(asl.States.Charge).toMatchObject({ ResultSelector: { 'value.$': '$[0]' }, OutputPath: '$.value', Assign: { 'chargeId.$': '$.value.chargeId' } });
    expect(() => render((s) => new TryCatch(s, 'Charge', { try: pass(s, 'Work'), outputs: '{% $states.result[0] %}' })))
      .toThrow(/Charge: outputs: is a JSONata field but this TryCatch uses JSONPath; use TryCatch.jsonata/);
  });

  it('with rethrow, runs the handler in a Parallel that keeps the error, then fails with it, with or without a cause (JSONPath)', () => {
    const asl = render((s) => new TryCatch(s, 'Charge', {
      try: pass(s, 'Work'),
      catch: [{ handler: pass(s, 'Notify'), resultPath: '$.failure', rethrow: true }],
    }));
    expect(asl.States.Charge.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Charge: Handler 1' }]);
    expect(asl.States['Charge: Handler 1']).toEqual({
      Type: 'Parallel', ResultPath: null, Next: 'Charge: Handler 1: Error has cause?', Branches: [branch('Notify')],
    });
    expect(asl.States['Charge: Handler 1: Error has cause?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.failure.Cause', IsPresent: true, Next: 'Charge: Handler 1: Rethrow' }],
      Default: 'Charge: Handler 1: Rethrow without cause',
    });
    expect(asl.States['Charge: Handler 1: Rethrow']).toEqual({ Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' });
    expect(asl.States['Charge: Handler 1: Rethrow without cause']).toEqual({ Type: 'Fail', ErrorPath: '$.failure.Error' });
  });

  it('with rethrow, passes the handler its output as Arguments and keeps the error beside it (JSONata)', () => {
    const asl = render((s) => TryCatch.jsonata(s, 'Charge', {
      try: pass(s, 'Work'),
      catch: [{ handler: pass(s, 'Notify'), output: '{% $states.input.orderId %}', rethrow: true }],
    }), { queryLanguage: J });
    expect(asl.States.Charge.Catch).toEqual([{
      ErrorEquals: ['States.ALL'], Output: '{% {"input": ($states.input.orderId), "error": $states.errorOutput} %}', Next: 'Charge: Handler 1',
    }]);
    expect(asl.States['Charge: Handler 1']).toMatchObject({ Type: 'Parallel', Arguments: '{% $states.input.input %}', Output: '{% $states.input %}' });
    expect(asl.States['Charge: Handler 1: Rethrow']).toEqual({ Type: 'Fail', Error: '{% $states.input.error.Error %}', Cause: '{% $states.input.error.Cause %}' });
  });

  it('with rethrow, keeps a plain-text JSONata output as a string', () => {
    const asl = render((s) => TryCatch.jsonata(s, 'Charge', {
      try: pass(s, 'Work'),
      catch: [{ handler: pass(s, 'Notify'), output: 'payment failed', rethrow: true }],
    }), { queryLanguage: J });
    expect(asl.States.Charge.Catch[0].Output).toBe('{% {"input": "payment failed", "error": $states.errorOutput} %}');
  });

  it('rejects rethrow with a resultPath that discards the error', () => {
    expect(() => render((s) => new TryCatch(s, 'Charge', {
      try: pass(s, 'Work'),
      catch: [{ handler: pass(s, 'Notify'), resultPath: sfn.JsonPath.DISCARD, rethrow: true }],
    }))).toThrow(/catch\[0\]\.resultPath: discards the error, but rethrow needs it/);
  });

  it('routes errors to handlers by name with the error at $.error and retries the whole block', () => {
    const asl = render((s) => new TryCatch(s, 'Charge', {
      try: pass(s, 'Work'),
      catch: [{ errors: ['Declined'], handler: pass(s, 'Declined') }, { handler: pass(s, 'Other'), resultPath: '$.err' }],
      retry: [{ errors: ['States.Timeout'], maxAttempts: 2 }],
    }).next(pass(s, 'After')));
    expect(asl.States.Charge.Retry).toEqual([{ ErrorEquals: ['States.Timeout'], MaxAttempts: 2 }]);
    expect(asl.States.Charge.Catch).toEqual([
      { ErrorEquals: ['Declined'], ResultPath: '$.error', Next: 'Declined' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Other' },
    ]);
    expect(asl.States.Charge.Next).toBe('After');
    expect(asl.States.Declined.Next).toBe('After');
    expect(asl.States.Other.Next).toBe('After');
  });

  it('gives JSONata handlers the input merged with the error object', () => {
    const asl = render((s) => TryCatch.jsonata(s, 'Charge', { try: pass(s, 'Work'), catch: [{ errors: ['Declined'], handler: pass(s, 'H') }] }), { queryLanguage: J });
    expect(asl.States.Charge.Catch).toEqual([
      { ErrorEquals: ['Declined'], Output: '{% $merge([$states.input, {"error": $states.errorOutput}]) %}', Next: 'H' },
    ]);
  });

  it('runs finally on success, handled and unhandled paths and after a failed handler, and rethrows unhandled errors, with their cause or without one when they have none (JSONPath)', () => {
    const asl = render((s) => new TryCatch(s, 'Charge', {
      try: pass(s, 'Work'), catch: [{ errors: ['Declined'], handler: pass(s, 'Handle') }], finally: pass(s, 'Cleanup'),
    }));
    expect(asl).toEqual({
      StartAt: 'Charge',
      States: {
        'Charge': {
          Type: 'Parallel',
          Next: 'Charge: Finally',
          Branches: [branch('Work')],
          ResultSelector: { 'value.$': '$[0]' },
          Catch: [
            { ErrorEquals: ['Declined'], ResultPath: '$.error', Next: 'Charge: Handler 1' },
            { ErrorEquals: ['States.ALL'], ResultPath: '$', Next: 'Charge: Unhandled' },
          ],
        },
        'Charge: Handler 1': {
          Type: 'Parallel',
          Next: 'Charge: Finally',
          Branches: [branch('Handle')],
          ResultSelector: { 'value.$': '$[0]' },
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$', Next: 'Charge: Unhandled' }],
        },
        'Charge: Unhandled': { Type: 'Pass', Parameters: { 'value.$': '$', 'error.$': '$' }, Next: 'Charge: Finally' },
        'Charge: Finally': { Type: 'Parallel', InputPath: '$.value', ResultPath: null, Branches: [branch('Cleanup')], Next: 'Charge: Rethrow?' },
        'Charge: Rethrow?': {
          Type: 'Choice',
          Choices: [
            { Variable: '$.error.Cause', IsPresent: true, Next: 'Charge: Rethrow' },
            { Variable: '$.error', IsPresent: true, Next: 'Charge: Rethrow without cause' },
          ],
          Default: 'Charge: Done',
        },
        'Charge: Rethrow': { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
        'Charge: Rethrow without cause': { Type: 'Fail', ErrorPath: '$.error.Error' },
        'Charge: Done': { Type: 'Pass', OutputPath: '$.value', End: true },
      },
    });
  });

  it('runs finally on all paths and rethrows unhandled errors, with their cause or without one when they have none (JSONata)', () => {
    const asl = render((s) => TryCatch.jsonata(s, 'Charge', { try: pass(s, 'Work'), finally: pass(s, 'Cleanup') }), { queryLanguage: J });
    expect(asl.States).toEqual({
      'Charge': {
        Type: 'Parallel',
        Next: 'Charge: Finally',
        Branches: [branch('Work')],
        Output: '{% {"value": $states.result[0]} %}',
        Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% {"value": $states.errorOutput, "error": $states.errorOutput} %}', Next: 'Charge: Finally' }],
      },
      'Charge: Finally': {
        Type: 'Parallel', Arguments: '{% $states.input.value %}', Output: '{% $states.input %}', Branches: [branch('Cleanup')], Next: 'Charge: Rethrow?',
      },
      'Charge: Rethrow?': {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $exists($states.input.error.Cause) %}', Next: 'Charge: Rethrow' },
          { Condition: '{% $exists($states.input.error) %}', Next: 'Charge: Rethrow without cause' },
        ],
        Default: 'Charge: Done',
      },
      'Charge: Rethrow': { Type: 'Fail', Error: '{% $states.input.error.Error %}', Cause: '{% $states.input.error.Cause %}' },
      'Charge: Rethrow without cause': { Type: 'Fail', Error: '{% $states.input.error.Error %}' },
      'Charge: Done': { Type: 'Pass', Output: '{% $states.input.value %}', End: true },
    });
  });

  it('adds no catch-all to the try block when a handler already catches States.ALL', () => {
    const asl = render((s) => new TryCatch(s, 'T', { try: pass(s, 'Work'), catch: [{ handler: pass(s, 'H') }], finally: pass(s, 'F') }));
    expect(asl.States.T.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'T: Handler 1' }]);
    // Only a failing handler reaches the unhandled path.
    expect(asl.States['T: Handler 1'].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$', Next: 'T: Unhandled' }]);
  });

  it('runs JSONata handlers in a Parallel whose failure goes through finally', () => {
    const asl = render((s) => TryCatch.jsonata(s, 'T', { try: pass(s, 'Work'), catch: [{ errors: ['Declined'], handler: pass(s, 'H') }], finally: pass(s, 'F') }), { queryLanguage: J });
    expect(asl.States['T: Handler 1']).toEqual({
      Type: 'Parallel',
      Next: 'T: Finally',
      Branches: [branch('H')],
      Output: '{% {"value": $states.result[0]} %}',
      Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% {"value": $states.errorOutput, "error": $states.errorOutput} %}', Next: 'T: Finally' }],
    });
  });

  it.each([
    [{ resultPath: '$.e' }, J, /catch\[0\]\.resultPath: '\$\.e' is a JSONPath field/],
    [{ output: '{% 1 %}' }, undefined, /catch\[0\]\.output: is a JSONata field/],
    [{ errors: [] }, undefined, /catch\[0\]\.errors: is empty/],
    [{ errors: ['States.ALL', 'X'] }, undefined, /'States.ALL' must stand alone \(got States.ALL, X\)/],
  ])('rejects catch clause %j at construction', (clause, ql, message) => {
    expect(() => render((s) => new TryCatch(s, 'T', { queryLanguage: ql, try: pass(s, 'W'), catch: [{ handler: pass(s, 'H'), ...clause }] })))
      .toThrow(message);
  });
});
