import { compileJsonataValue } from '../../src/asl/jsonata/compile';
import { seededRandom } from '../../src/asl/random';

// Every expression JSONata parses, with the hooks bound on it: one parse, carrying the step hook, serves every evaluation.
const parsed: Array<{ source: string; hooks: symbol[]; evaluations: number }> = [];
jest.mock('jsonata', () => {
  const real = jest.requireActual('jsonata');
  return (source: string, options: unknown) => {
    const expr = real(source, options);
    const entry = { source, hooks: [] as symbol[], evaluations: 0 };
    parsed.push(entry);
    const assign = expr.assign.bind(expr);
    const evaluate = expr.evaluate.bind(expr);
    expr.assign = (name: unknown, value: unknown) => {
      if (typeof name === 'symbol') entry.hooks.push(name);
      return assign(name, value);
    };
    expr.evaluate = (...args: unknown[]) => {
      entry.evaluations++;
      return evaluate(...args);
    };
    return expr;
  };
});

class Cut extends Error {}

const fibonacci = '{% ($f := function($k) { $k < 2 ? $k : $f($k - 1) + $f($k - 2) }; $f(12)) %}';
const bindings = { states: { input: {}, context: {} }, variables: {}, random: seededRandom(0) };

describe('JSONata evaluations an interrupt can cut', () => {
  it('ends an evaluation at the step its interrupt throws, with the interrupt\'s own error', async () => {
    let steps = 0;
    const compiled = compileJsonataValue(fibonacci, 'Output');
    await expect(compiled.evaluate({ ...bindings, interrupt: () => { if (++steps > 50) throw new Cut('time is up'); } })).rejects.toBeInstanceOf(Cut);
    // Asked at each of the 50 steps it let pass, at the one it threw at, and once more as the evaluation ends.
    expect(steps).toBe(52);
  });

  it('evaluates with and without an interrupt on one shared parse, which carries the hook that counts steps and asks the interrupt', async () => {
    parsed.length = 0;
    const source = '{% $count($states.input.items) + 1 %}';
    let asked = 0;
    const hooked = compileJsonataValue(source, 'Output');
    expect(await hooked.evaluate({ ...bindings, states: { input: { items: [1, 2] }, context: {} }, interrupt: () => { asked++; } })).toBe(3);
    expect(asked).toBeGreaterThan(0);
    const plain = compileJsonataValue(source, 'Output');
    expect(await plain.evaluate({ ...bindings, states: { input: { items: [1] }, context: {} } })).toBe(2);
    const ofSource = parsed.filter((p) => p.source === source.slice(2, -2).trim());
    // One parse (cached) serves both evaluations; its hook counts every evaluation's steps and asks the interrupt where there is one.
    expect(ofSource.map((p) => ({ hooks: p.hooks.map(String), evaluations: p.evaluations }))).toEqual([
      { hooks: ['Symbol(jsonata.__evaluate_entry)'], evaluations: 2 },
    ]);
  });

  it('reports an expression that fails on its own as a States.QueryEvaluationError while the interrupt lets it run', async () => {
    const compiled = compileJsonataValue('{% $error("no") %}', 'Output');
    await expect(compiled.evaluate({ ...bindings, interrupt: () => undefined })).rejects.toMatchObject({ error: 'States.QueryEvaluationError' });
  });
});
