import { failureOf, outputOf, single } from './helpers';
import { compileStateMachine, InvalidExecutionInputError, InvalidOptionError } from '../../src/interpreter';

/** `{ a: { a: ... } }`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) v = { a: v };
  return v;
}

const circular = (): Record<string, unknown> => {
  const o: Record<string, unknown> = { x: 1 };
  o.self = o;
  return o;
};

/** 60 levels, each pointing twice at the next: 61 objects in memory, 2^61 values as JSON text. */
function sharedTwice(): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < 60; i++) v = { a: v, b: v };
  return v;
}

const TOO_MANY = 'more than 4194304 values (an object reached from two places counts twice';

describe('Values that cross into an execution are JSON', () => {
  it.each([
    ['a BigInt', { a: 1n }, 'a BigInt at $.a'],
    ['a circular value', circular(), 'a circular reference at $.self'],
    ['input nested 10,000 levels deep', nested(10_000), 'nesting deeper than 1000 levels'],
    ['a function', { f: () => 1 }, 'a function at $.f'],
    ['one object shared until it is 2^61 values as text', sharedTwice(), TOO_MANY],
  ])('refuses run input holding %s with InvalidExecutionInput, naming where', (_what, input, detail) => {
    const machine = compileStateMachine(single({ Type: 'Pass' }));
    let refused: unknown;
    try {
      machine.start(input as never);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(InvalidExecutionInputError);
    expect((refused as Error).message).toContain(detail);
  });

  it('runs input nested 1,000 levels deep', async () => {
    expect(await outputOf(single({ Type: 'Pass', ResultPath: '$.done', Result: true }), nested(1000) as never)).toMatchObject({ done: true });
  });

  it.each([
    ['a BigInt', () => ({ n: 1n })],
    ['a circular value', circular],
    ['nesting 5,000 levels deep', () => nested(5000)],
  ])('fails the run with States.Runtime when a task handler returns %s', async (_what, result) => {
    const f = await failureOf(single({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f' }), {}, { taskHandlers: { S: result as never } });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain("The task handler for state 'S' returned a value that is not JSON");
  });

  it('fails the run with States.Runtime, naming the bound, when a task handler returns one object shared until it is 2^61 values', async () => {
    const f = await failureOf(single({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f' }), {}, { taskHandlers: { S: sharedTwice as never } });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain(`The task handler for state 'S' returned a value that is not JSON: ${TOO_MANY}`);
  });

  it('fails $parse of text nested 5,000 levels deep with States.QueryEvaluationError', async () => {
    const def = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $parse($states.input.s) %}', End: true } } };
    const f = await failureOf(def, { s: `${'['.repeat(5000)}${']'.repeat(5000)}` });
    expect(f.error).toBe('States.QueryEvaluationError');
    expect(f.cause).toContain('returned a value nested deeper than 1000 levels');
  });

  it('fails States.StringToJson of text nested 5,000 levels deep with States.Runtime', async () => {
    const def = single({ Type: 'Pass', Parameters: { 'v.$': 'States.StringToJson($.s)' } });
    const f = await failureOf(def, { s: `${'['.repeat(5000)}${']'.repeat(5000)}` });
    expect(f.error).toBe('States.Runtime');
    expect(f.cause).toContain('nesting deeper than 1000 levels');
  });
});

describe('Limits options', () => {
  it.each([
    ['maxPayloadBytes', NaN],
    ['maxHistoryEvents', NaN],
    ['maxTransitions', -1],
    ['maxPayloadBytes', 1.5],
    ['maxHistoryEvents', 0],
    ['maxTransitions', '10'],
  ])('refuses limits.%s = %p with InvalidOptionError naming the option', (key, value) => {
    const compile = () => compileStateMachine(single({ Type: 'Pass' }), { limits: { [key]: value } as never });
    expect(compile).toThrow(InvalidOptionError);
    expect(compile).toThrow(`limits.${key} must be a positive integer (or Infinity for no limit), got ${String(value)}`);
  });

  it('accepts Infinity to turn a limit off', () => {
    expect(() => compileStateMachine(single({ Type: 'Pass' }), { limits: { maxPayloadBytes: Infinity, maxTransitions: Infinity } })).not.toThrow();
  });
});
