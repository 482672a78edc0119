import { run, single } from './helpers';
import type { StateMachineDefinition } from '../../src/asl';
import { AwsLimits } from '../../src/asl/limits';
import type { StatesError } from '../../src/asl/states-errors';
import { compileMachine } from '../../src/interpreter/compile';
import { compileJsonPathIO } from '../../src/interpreter/io';
import type { StateCall } from '../../src/interpreter/runtime';

// The common path's I/O compiler, counted: a plain Pass is to compile it only when its attempt is first called.
jest.mock('../../src/interpreter/io', () => {
  const actual = jest.requireActual<typeof import('../../src/interpreter/io')>('../../src/interpreter/io');
  return { ...actual, compileJsonPathIO: jest.fn(actual.compileJsonPathIO) };
});

/** The compiled state `S` of a one-state machine. */
function compiledS(state: Record<string, unknown>) {
  return compileMachine(single(state), '', 'JSONPath').states.get('S')!;
}

/** The same Pass with a Parameters field that reads the Context Object: it then runs the common way. */
function commonTwin(state: Record<string, unknown>): Record<string, unknown> {
  return { ...state, Parameters: { ...(state.Parameters as Record<string, unknown>), 'viaContext.$': '$$.State.Name' } };
}

describe('a plain Pass compiles its common-path attempt on first use', () => {
  const state = { Type: 'Pass', Parameters: { 'a.$': '$.x', 'n': 1 }, ResultPath: '$.r', Next: 'T' };
  const machineWith = (s: Record<string, unknown>) => ({ StartAt: 'S', States: { S: s, T: { Type: 'Succeed' } } }) as unknown as StateMachineDefinition;
  /** The Pass's parts read only the input, so the attempt needs nothing of its call. */
  const noCall = {} as unknown as StateCall;

  it('compiles no common-path parts for a machine of plain Passes, and compiles them once when the attempt is first called', () => {
    const compileIO = jest.mocked(compileJsonPathIO);
    compileIO.mockClear();
    const compiled = compileMachine(machineWith(state), '', 'JSONPath').states.get('S')!;
    expect(compiled.plain).toBeDefined();
    expect(compileIO).not.toHaveBeenCalled();
    const first = compiled.attempt({ x: 1 }, noCall);
    void compiled.attempt({ x: 2 }, noCall);
    expect(compileIO).toHaveBeenCalledTimes(1);
    expect(first).toEqual({ output: { x: 1, r: { a: 1, n: 1 } }, next: 'T' });
    expect(first).toEqual({ output: compiled.plain!({ x: 1 }, AwsLimits.PAYLOAD_BYTES), next: 'T' });
  });

  it('gives the attempt the plain step\'s failure: States.ResultPathMatchFailure with the same message', () => {
    const compiled = compileMachine(machineWith({ ...state, ResultPath: '$.x.inside' }), '', 'JSONPath').states.get('S')!;
    const failure = (f: () => unknown) => {
      try { f(); } catch (e) { return [(e as StatesError).error, (e as StatesError).cause]; }
      throw new Error('expected a failure');
    };
    const viaStep = failure(() => compiled.plain!({ x: 1 }, AwsLimits.PAYLOAD_BYTES));
    expect(viaStep).toEqual(['States.ResultPathMatchFailure', 'Unable to apply step "$.x.inside" to input {"x":1}']);
    expect(failure(() => compiled.attempt({ x: 1 }, noCall))).toEqual(viaStep);
  });

  it('fails on its fast path a plain Pass whose Parameters build past the payload limit a null ResultPath drops', () => {
    const compiled = compileMachine(machineWith({ Type: 'Pass', Parameters: { 'a.$': '$.x' }, ResultPath: null, Next: 'T' }), '', 'JSONPath').states.get('S')!;
    expect(compiled.plain).toBeDefined();
    const failure = (f: () => unknown) => {
      try { f(); } catch (e) { return [(e as StatesError).error, (e as StatesError).cause]; }
      throw new Error('expected a failure');
    };
    const input = { x: 'y'.repeat(300) };
    const viaStep = failure(() => compiled.plain!(input, 256));
    expect(viaStep).toEqual(['States.DataLimitExceeded', 'The input of state \'S\' after Parameters is 308 bytes, over the maximum of 256 bytes.']);
    expect(compiled.plain!(input, 1024)).toBe(input);
  });

  it('fails a plain Pass whose ResultPath cannot be applied with the message and recorded history of the common way', async () => {
    const failing = { Type: 'Pass', Parameters: { 'a.$': '$.x' }, ResultPath: '$.x.inside' };
    const plainRun = await run(single(failing), { x: 1 }, { recordHistory: true });
    const commonRun = await run(single(commonTwin(failing)), { x: 1 }, { recordHistory: true });
    expect(compiledS(failing).plain).toBeDefined();
    expect([plainRun.error, plainRun.cause]).toEqual(['States.ResultPathMatchFailure', 'Unable to apply step "$.x.inside" to input {"x":1}']);
    expect([plainRun.error, plainRun.cause]).toEqual([commonRun.error, commonRun.cause]);
    const events = (r: typeof plainRun) => r.history.map(({ timestamp: _t, ...e }) => e);
    expect(events(plainRun)).toEqual(events(commonRun));
  });

  it('records the same events for a chain of plain Passes as for the common way, with history recorded', async () => {
    const step = { Type: 'Pass', Parameters: { 'a.$': '$.x' }, ResultPath: '$.r' };
    const chainOf = (s: Record<string, unknown>) => ({ StartAt: 'A', States: { A: { ...s, Next: 'B' }, B: { ...s, End: true } } });
    const plainRun = await run(chainOf(step), { x: 1 }, { recordHistory: true });
    const commonRun = await run(chainOf(commonTwin(step)), { x: 1 }, { recordHistory: true });
    const events = (r: typeof plainRun) => r.history.map(({ timestamp: _t, ...e }) => JSON.stringify(e).replace(/,?\\?"viaContext\\?":\\?"[AB]\\?"/g, ''));
    expect(plainRun.history.length).toBe(6);
    expect(events(plainRun)).toEqual(events(commonRun));
  });
});
