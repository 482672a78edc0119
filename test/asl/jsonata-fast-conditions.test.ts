import jsonata from 'jsonata';
import type { JsonValue } from '../../src/asl/definition-types';
import { compileJsonataValue, type JsonataBindings } from '../../src/asl/jsonata/compile';
import { seededRandom } from '../../src/asl/random';

/*
 * The Choice conditions a poll loop evaluates at every pass are read without JSONata's own
 * (asynchronous, allocating) evaluation: evaluateNow answers at once. Each answer is JSONata's.
 */

function bindings(input: JsonValue, variables: Record<string, JsonValue> = {}): JsonataBindings {
  return { states: { input, context: {} }, variables, random: seededRandom(1) };
}

/** JSONata's own answer, the frame bound as the interpreter binds it. */
async function jsonataSays(expression: string, b: JsonataBindings): Promise<unknown> {
  return jsonata(expression).evaluate(undefined, { ...b.variables, states: b.states });
}

const CASES: ReadonlyArray<readonly [string, JsonValue, Record<string, JsonValue>]> = [
  ['$status = "Completed" and $epochs < 20', {}, { status: 'Completed', epochs: 10 }],
  ['$status = "Completed" and $epochs < 20', {}, { status: 'Completed', epochs: 20 }],
  ['$status = "Completed" and $epochs < 20', {}, { status: 'InProgress', epochs: 10 }],
  ['$status = "Completed" or $epochs >= 20', {}, { status: 'InProgress', epochs: 20 }],
  ['$status = "Completed" or $epochs >= 20', {}, { status: 'InProgress', epochs: 3 }],
  ['$status in ["Failed", "Stopped"]', {}, { status: 'Stopped' }],
  ['$status in ["Failed", "Stopped"]', {}, { status: 'Completed' }],
  ['$states.input.missing in ["Failed", "Stopped"]', {}, {}],
  ['$states.input.n in [1, 2, 3]', { n: 2 }, {}],
  ['$states.input.n in 2', { n: 2 }, {}],
  ["$lowercase($states.input.decision) = 'approved'", { decision: 'APPROVED' }, {}],
  ["$lowercase($states.input.decision) = 'approved'", { decision: 'Rejected' }, {}],
  ["$lowercase($states.input.decision) = 'approved'", {}, {}],
  ['$uppercase($states.input.decision) != "OPEN"', { decision: 'open' }, {}],
  ['$states.input.approvedAmount >= $amount * 0.9', { approvedAmount: 90 }, { amount: 100 }],
  ['$states.input.approvedAmount > $amount * 0.9', { approvedAmount: 90 }, { amount: 100 }],
  ['$states.input.n <= 0 or $states.input.n > 5 and $states.input.ok = true', { n: 7, ok: true }, {}],
  ['$states.input.n <= 0 or $states.input.n > 5 and $states.input.ok = true', { n: 3, ok: true }, {}],
];

describe('conditions read without JSONata', () => {
  it.each(CASES)('answers %s at once, as JSONata does (input %j, variables %j)', async (expression, input, variables) => {
    const b = bindings(input, variables);
    const now = compileJsonataValue(`{% ${expression} %}`, 'Condition').evaluateNow(b);
    expect(now).not.toBeInstanceOf(Promise);
    expect(now).toBe(await jsonataSays(expression, b));
  });

  it('leaves to JSONata a comparison of values that are not both numbers, and gives its answer', async () => {
    const b = bindings({ a: 'x' }, { n: 3 });
    const compiled = compileJsonataValue('{% $states.input.a < $n or $n < 5 %}', 'Condition');
    await expect(Promise.resolve(compiled.evaluateNow(b))).rejects.toThrow(/T2009|T2010/);
    const strings = compileJsonataValue('{% $states.input.a < "y" %}', 'Condition');
    await expect(strings.evaluate(b)).resolves.toBe(true);
  });

  it('leaves the whole condition to JSONata when its left side reads an array', async () => {
    for (const list of [[1], [1, 2], []]) {
      const b = bindings({ list }, { n: 3 });
      const expression = '$states.input.list = 1 or $n = 3';
      await expect(compileJsonataValue(`{% ${expression} %}`, 'Condition').evaluate(b)).resolves.toBe(await jsonataSays(expression, b));
    }
  });

  it('calls a workflow variable named lowercase as JSONata would, not the function', async () => {
    const b = bindings({ d: 'A' }, { lowercase: 'not a function' });
    await expect(compileJsonataValue("{% $lowercase($states.input.d) = 'a' %}", 'Condition').evaluate(b)).rejects.toThrow(/T1006/);
  });

  it('leaves $lowercase of a number to JSONata, which refuses it', async () => {
    await expect(compileJsonataValue("{% $lowercase($states.input.d) = 'a' %}", 'Condition').evaluate(bindings({ d: 1 }))).rejects.toThrow(/T0410/);
  });
});
