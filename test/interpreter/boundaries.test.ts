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

describe('Values that cross into an execution are JSON', () => {
  it.each([
    ['a BigInt', { a: 1n }, 'a BigInt at $.a'],
    ['a circular value', circular(), 'a circular reference at $.self'],
    ['input nested 10,000 levels deep', nested(10_000), 'nesting deeper than 1000 levels'],
    ['a function', { f: () => 1 }, 'a function at $.f'],
  ])('refuses run input holding %s with InvalidExecutionInput, naming where', (_what, input, detail) => {
    const machine = compileStateMachine(single({ Type: 'Pass' }));
    expect(() => machine.start(input as never)).toThrow(InvalidExecutionInputError);
    expect(() => machine.start(input as never)).toThrow(detail);
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
