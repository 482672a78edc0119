import { after, contextOf, evaluate, input } from './helpers';
import { ChoiceRuleError } from '../../../src/asl/choice';
import type { ChoiceRule, ChoiceState, JsonValue } from '../../../src/asl/definition-types';
import { MAX_RULES, solveChoiceBranch, solveRules, type BindingTarget, type RuleGoal, type SolveResult } from '../../../src/explore/solve';
import { nextUp } from '../../../src/explore/solve/numbers';

/** Solves one rule against documents (an empty input by default). */
function solve(rule: ChoiceRule, want: boolean, docs: BindingTarget = input({}), fixed: string[] = []): SolveResult {
  return solveRules([{ rule, want }], contextOf(docs, fixed));
}

/** Solves, expects `sat`, checks the rules on the result and returns the bindings and the documents after them. */
function satisfy(goals: readonly RuleGoal[], docs: BindingTarget = input({}), fixed: string[] = []): { bindings: SolveResult & { kind: 'sat' }; docs: BindingTarget } {
  const result = solveRules(goals, contextOf(docs, fixed));
  if (result.kind !== 'sat') throw new Error(`expected sat, got ${JSON.stringify(result)}`);
  const changed = after(docs, result.bindings);
  for (const g of goals) expect(evaluate(g.rule, changed)).toBe(g.want);
  return { bindings: result, docs: changed };
}

function valueOf(result: SolveResult, path: string): JsonValue | 'absent' | undefined {
  if (result.kind !== 'sat') throw new Error(`expected sat, got ${JSON.stringify(result)}`);
  const b = result.bindings.find((x) => x.path === path);
  if (b === undefined) return undefined;
  return 'absent' in b ? 'absent' : b.value;
}

function reasonOf(result: SolveResult, kind: 'unsat' | 'unknown'): string {
  if (result.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(result)}`);
  return result.reason;
}

const v = (rule: Record<string, JsonValue>, path = '$.x'): ChoiceRule => ({ Variable: path, ...rule });

describe('numeric rules', () => {
  it('binds the whole number nearest zero that satisfies NumericGreaterThan', () => {
    expect(solve(v({ NumericGreaterThan: 100 }), true)).toEqual({ kind: 'sat', bindings: [{ path: '$.x', value: 101 }] });
  });

  it('keeps the current value when it already takes the wanted side (no bindings)', () => {
    expect(solve(v({ NumericGreaterThan: 100 }), true, input({ x: 150 }))).toEqual({ kind: 'sat', bindings: [] });
  });

  it('moves a value off a NumericEquals that must be false', () => {
    satisfy([{ rule: v({ NumericEquals: 0 }), want: false }], input({ x: 0 }));
  });

  it('takes the bound itself for NumericLessThanEquals and NumericGreaterThanEquals', () => {
    const { docs } = satisfy([{ rule: { And: [v({ NumericGreaterThanEquals: 7 }), v({ NumericLessThanEquals: 7 })] }, want: true }]);
    expect(docs.input).toEqual({ x: 7 });
  });

  it('proves NumericGreaterThan 100 and NumericLessThan 50 contradictory, naming both rules', () => {
    const reason = reasonOf(solve({ And: [v({ NumericGreaterThan: 100 }), v({ NumericLessThan: 50 })] }, true), 'unsat');
    expect(reason).toContain('$.x');
    expect(reason).toContain('NumericGreaterThan 100');
    expect(reason).toContain('NumericLessThan 50');
    expect(reason).toContain('goals[0].And[1]');
  });

  it('proves an open interval between two adjacent doubles empty', () => {
    expect(solve({ And: [v({ NumericGreaterThan: 1 }), v({ NumericLessThan: nextUp(1) })] }, true).kind).toBe('unsat');
  });

  it('finds the one double strictly between two bounds two doubles apart', () => {
    const { docs } = satisfy([{ rule: { And: [v({ NumericGreaterThan: 1 }), v({ NumericLessThan: nextUp(nextUp(1)) })] }, want: true }]);
    expect(docs.input).toEqual({ x: nextUp(1) });
  });

  it('compares floats exactly: NumericEquals 0.30000000000000004 is met by 0.1 + 0.2 and not by 0.3', () => {
    const { docs } = satisfy([{ rule: v({ NumericEquals: 0.1 + 0.2 }), want: true }], input({ x: 0.3 }));
    expect(docs.input).toEqual({ x: 0.30000000000000004 });
  });

  it('proves a closed interval of one number empty once NumericEquals false removes it', () => {
    const rule = { And: [v({ NumericGreaterThanEquals: 1 }), v({ NumericLessThanEquals: 1 }), { Not: v({ NumericEquals: 1 }) }] };
    expect(reasonOf(solve(rule, true), 'unsat')).toContain('≠ 1');
  });

  it('finds a decimal when no whole number lies in the interval', () => {
    const { docs } = satisfy([{ rule: { And: [v({ NumericGreaterThan: 1 }), v({ NumericLessThan: 2 })] }, want: true }]);
    expect(docs.input).toEqual({ x: 1.5 });
  });

  it('lets a value of another type make a typed comparison false without an error', () => {
    expect(solve(v({ NumericEquals: 5 }), false, input({ x: '5' }))).toEqual({ kind: 'sat', bindings: [] });
  });

  it('proves nothing exceeds the largest double', () => {
    expect(solve(v({ NumericGreaterThan: Number.MAX_VALUE }), true).kind).toBe('unsat');
  });
});

describe('…Path comparisons', () => {
  it('solves NumericLessThanPath against the other side as it is now', () => {
    const { bindings } = satisfy([{ rule: v({ NumericLessThanPath: '$.y' }), want: true }], input({ x: 5, y: 1 }));
    expect(bindings.bindings.length).toBe(1);
  });

  it('binds both sides when neither exists', () => {
    const { docs } = satisfy([{ rule: v({ StringEqualsPath: '$.y' }), want: true }]);
    expect(docs.input).toEqual({ x: '', y: '' });
  });

  it('proves an equality contradictory when the two sides are held to different values', () => {
    const rule = { And: [v({ NumericEqualsPath: '$.y' }), v({ NumericEquals: 1 }), v({ NumericEquals: 2 }, '$.y')] };
    const reason = reasonOf(solve(rule, true), 'unsat');
    expect(reason).toContain('carried to $.x');
  });

  it('carries bounds across an order to prove it contradictory', () => {
    const rule = { And: [v({ NumericLessThanPath: '$.y' }), v({ NumericGreaterThan: 10 }), v({ NumericLessThan: 5 }, '$.y')] };
    expect(solve(rule, true).kind).toBe('unsat');
  });

  it('solves an order when the bounds leave room', () => {
    satisfy([{ rule: { And: [v({ NumericLessThanPath: '$.y' }), v({ NumericGreaterThan: 10 }), v({ NumericLessThan: 12 }, '$.y')] }, want: true }]);
  });

  it('compares against a fixed side without binding it', () => {
    const { bindings } = satisfy([{ rule: v({ NumericGreaterThanPath: '$$.State.RetryCount' }), want: true }], { input: {}, context: { State: { RetryCount: 2 } } }, ['$$.State.RetryCount']);
    expect(bindings.bindings).toEqual([{ path: '$.x', value: 3 }]);
  });

  it('proves a comparison with a fixed side of another type false', () => {
    const result = solve(v({ NumericEqualsPath: '$$.Execution.Name' }), true, { input: {}, context: { Execution: { Name: 'run' } } }, ['$$.Execution.Name']);
    expect(reasonOf(result, 'unsat')).toContain('not a number');
  });

  it('makes a comparison false when the other side is of another type', () => {
    satisfy([{ rule: v({ NumericEqualsPath: '$.y' }), want: false }], input({ x: 1, y: 1 }));
  });

  it('treats a path compared with itself as a type test', () => {
    satisfy([{ rule: v({ NumericEqualsPath: '$.x' }), want: true }], input({ x: 'a' }));
    expect(solve(v({ NumericLessThanPath: '$.x' }), true).kind).toBe('unsat');
  });

  it('compares timestamps across paths by instant', () => {
    satisfy([{ rule: { And: [v({ TimestampLessThanPath: '$.y' }), v({ TimestampLessThan: '2020-01-01T00:00:00Z' }, '$.y')] }, want: true }]);
  });
});

describe('string rules', () => {
  it('binds the string StringEquals names', () => {
    expect(valueOf(solve(v({ StringEquals: 'paid' }), true), '$.x')).toBe('paid');
  });

  it('proves nothing sorts below the empty string', () => {
    expect(solve(v({ StringLessThan: '' }), true).kind).toBe('unsat');
  });

  it('proves nothing sorts strictly between a string and that string followed by U+0000', () => {
    expect(solve({ And: [v({ StringGreaterThan: 'a' }), v({ StringLessThan: 'a\u0000' })] }, true).kind).toBe('unsat');
  });

  it('tries every string of a finite interval before proving it empty', () => {
    const range = [v({ StringGreaterThanEquals: 'a' }), v({ StringLessThanEquals: 'a\u0000\u0000' })];
    const { docs } = satisfy([{ rule: { And: [...range, { Not: v({ StringEquals: 'a' }) }, { Not: v({ StringEquals: 'a\u0000' }) }] }, want: true }]);
    expect(docs.input).toEqual({ x: 'a\u0000\u0000' });
    const all = { And: [...range, { Not: v({ StringEquals: 'a' }) }, { Not: v({ StringEquals: 'a\u0000' }) }, { Not: v({ StringEquals: 'a\u0000\u0000' }) }] };
    expect(solve(all, true).kind).toBe('unsat');
  });

  it('orders strings by UTF-16 code units, as AWS does', () => {
    // U+FF5E sorts above U+1F600, whose first code unit is 0xD83D.
    satisfy([{ rule: { And: [v({ StringGreaterThan: '\ud83d\ude00' }), v({ StringLessThan: '\uff5e' })] }, want: true }]);
  });

  it('finds a string between two bounds', () => {
    satisfy([{ rule: { And: [v({ StringGreaterThan: 'apple' }), v({ StringLessThan: 'banana' })] }, want: true }]);
  });
});

describe('StringMatches', () => {
  it('binds a string that matches a pattern with stars', () => {
    const { docs } = satisfy([{ rule: v({ StringMatches: 'log-*.txt' }), want: true }]);
    expect(docs.input).toEqual({ x: 'log-.txt' });
  });

  it('reads an escaped star as a star', () => {
    expect(valueOf(solve(v({ StringMatches: 'a\\*' }), true), '$.x')).toBe('a*');
  });

  it('satisfies several patterns at once', () => {
    satisfy([{ rule: { And: [v({ StringMatches: 'a*' }), v({ StringMatches: '*b' }), v({ StringMatches: '*mid*' })] }, want: true }]);
  });

  it('proves patterns that must start differently contradictory', () => {
    const reason = reasonOf(solve({ And: [v({ StringMatches: 'ab*' }), v({ StringMatches: 'ac*' })] }, true), 'unsat');
    expect(reason).toContain('"ab*"');
    expect(reason).toContain('"ac*"');
  });

  it('proves a pattern that must match and must not contradictory', () => {
    expect(solve({ And: [v({ StringMatches: 'a*' }), { Not: v({ StringMatches: 'a*' }) }] }, true).kind).toBe('unsat');
  });

  it('proves a pattern contradictory with a wider one that must not match', () => {
    expect(solve({ And: [v({ StringMatches: 'ab*yz' }), { Not: v({ StringMatches: 'a*z' }) }] }, true).kind).toBe('unsat');
  });

  it('reads stars in a row as one star', () => {
    expect(solve({ And: [v({ StringMatches: '*q*' }), { Not: v({ StringMatches: '*q**' }) }] }, true).kind).toBe('unsat');
  });

  it('proves a pattern contradictory with an order its first piece rules out', () => {
    expect(solve({ And: [v({ StringMatches: 'b*' }), v({ StringLessThan: 'b' })] }, true).kind).toBe('unsat');
  });

  it('leaves only other types when every string matches the pattern that must not match', () => {
    const { docs } = satisfy([{ rule: v({ StringMatches: '*' }), want: false }], input({ x: 'text' }));
    expect(typeof (docs.input as { x: JsonValue }).x).not.toBe('string');
  });

  it('makes StringMatches "" false with a non-empty string, since that pattern matches only the empty one', () => {
    satisfy([{ rule: { And: [v({ StringMatches: '' }, '$.x'), v({ IsString: true })] }, want: false }], input({ x: '' }));
    satisfy([{ rule: { And: [{ Not: v({ StringMatches: '' }) }, v({ IsString: true })] }, want: true }], input({ x: '' }));
  });

  it('steers a string away from patterns that must not match', () => {
    satisfy([{ rule: { And: [v({ StringMatches: 'a*' }), { Not: v({ StringMatches: 'a' }) }, { Not: v({ StringMatches: 'a*b' }) }, { Not: v({ StringMatches: '*a' }) }] }, want: true }]);
  });
});

describe('boolean rules', () => {
  it('binds the boolean BooleanEquals names, and the other one when it must be false', () => {
    expect(valueOf(solve(v({ BooleanEquals: true }), true), '$.x')).toBe(true);
    expect(valueOf(solve(v({ BooleanEquals: true }), false, input({ x: true })), '$.x')).toBe(false);
  });

  it('proves a value cannot be both true and false', () => {
    expect(solve({ And: [v({ BooleanEquals: true }), v({ BooleanEquals: false })] }, true).kind).toBe('unsat');
  });

  it('solves BooleanEqualsPath', () => {
    satisfy([{ rule: { And: [v({ BooleanEqualsPath: '$.y' }), v({ BooleanEquals: false }, '$.y')] }, want: true }]);
  });
});

describe('timestamp rules', () => {
  it('binds a canonical RFC 3339 timestamp after the operand', () => {
    expect(valueOf(solve(v({ TimestampGreaterThan: '2024-01-01T00:00:00Z' }), true), '$.x')).toBe('2024-01-01T00:00:01Z');
  });

  it('writes an equal instant in UTC whatever offset the rule uses', () => {
    expect(valueOf(solve(v({ TimestampEquals: '2016-08-18T17:33:00+01:00' }), true), '$.x')).toBe('2016-08-18T16:33:00Z');
  });

  it('keeps nanoseconds: finds the one instant strictly between two a nanosecond apart on either side', () => {
    const rule = { And: [v({ TimestampGreaterThan: '2024-01-01T00:00:00Z' }), v({ TimestampLessThan: '2024-01-01T00:00:00.000000002Z' })] };
    expect(valueOf(solve(rule, true), '$.x')).toBe('2024-01-01T00:00:00.000000001Z');
  });

  it('proves timestamp bounds contradictory', () => {
    expect(solve({ And: [v({ TimestampGreaterThan: '2024-01-01T00:00:00Z' }), v({ TimestampLessThan: '2024-01-01T00:00:00+01:00' })] }, true).kind).toBe('unsat');
  });

  it('lets a string that is not a timestamp make a timestamp comparison false without an error', () => {
    expect(solve(v({ TimestampEquals: '2024-01-01T00:00:00Z' }), false, input({ x: 'tomorrow' }))).toEqual({ kind: 'sat', bindings: [] });
  });

  it('finds a timestamp that also matches a pattern', () => {
    satisfy([{ rule: { And: [v({ IsTimestamp: true }), v({ StringMatches: '2024-*' })] }, want: true }]);
  });

  it('proves IsTimestamp false contradictory with a timestamp comparison that must hold', () => {
    expect(solve({ And: [v({ IsTimestamp: false }), v({ TimestampEquals: '2024-01-01T00:00:00Z' })] }, true).kind).toBe('unsat');
  });
});

describe('type tests and presence', () => {
  it.each([
    ['IsNull', true, null], ['IsNumeric', true, 0], ['IsString', true, ''], ['IsBoolean', true, true], ['IsTimestamp', true, '2024-01-01T00:00:00Z'],
  ])('%s %s binds %j', (op, operand, expected) => {
    expect(valueOf(solve(v({ [op]: operand }), true), '$.x')).toEqual(expected);
  });

  it.each(['IsNull', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'])('%s true made false keeps the path present with another type', (op) => {
    satisfy([{ rule: v({ [op]: true }), want: false }]);
  });

  it('binds IsPresent true with a value and IsPresent false with absence', () => {
    satisfy([{ rule: v({ IsPresent: true }), want: true }]);
    expect(solve(v({ IsPresent: false }), true, input({ x: 1 }))).toEqual({ kind: 'sat', bindings: [{ path: '$.x', absent: true }] });
  });

  it('proves a value cannot be a string and a number', () => {
    const reason = reasonOf(solve({ And: [v({ IsString: true }), v({ IsNumeric: true })] }, true), 'unsat');
    expect(reason).toBe('$.x must be a string (goals[0].And[0] ($.x IsString true) is true) and a number (goals[0].And[1] ($.x IsNumeric true) is true)');
  });

  it('never answers with a missing Variable: a rule that must be false gets a value that exists', () => {
    const { docs } = satisfy([{ rule: v({ NumericEquals: 3 }), want: false }]);
    expect((docs.input as { x?: JsonValue }).x).toBeDefined();
  });

  it('proves a path that must be absent cannot be compared (AWS fails such a rule with States.Runtime)', () => {
    const reason = reasonOf(solve({ And: [v({ IsPresent: false }), { Not: v({ NumericEquals: 3 }) }] }, true), 'unsat');
    expect(reason).toContain('absent');
  });

  it('proves the state input always exists', () => {
    expect(solve({ Variable: '$', IsPresent: false }, true).kind).toBe('unsat');
  });

  it('makes a variable unassigned for IsPresent false', () => {
    expect(solve({ Variable: '$limit', IsPresent: false }, true, { input: {}, variables: { limit: 3 } })).toEqual({ kind: 'sat', bindings: [{ path: '$limit', absent: true }] });
  });
});

describe('nested paths', () => {
  it('proves IsString($.a) and IsPresent($.a.b) contradictory', () => {
    const reason = reasonOf(solve({ And: [v({ IsString: true }, '$.a'), v({ IsPresent: true }, '$.a.b')] }, true), 'unsat');
    expect(reason).toContain('$.a must be a string');
    expect(reason).toContain('an object holding $.a.b');
  });

  it('proves a path read both as an object and as an array contradictory', () => {
    expect(solve({ And: [v({ IsPresent: true }, '$.a.b'), v({ IsPresent: true }, '$.a[0]')] }, true).kind).toBe('unsat');
  });

  it('replaces a value that is not an object when a field under it must exist, keeping the other fields', () => {
    const { docs } = satisfy([{ rule: { And: [v({ NumericEquals: 1 }, '$.a.b'), v({ StringEquals: 'k' }, '$.c')] }, want: true }], input({ a: 5, c: 'k' }));
    expect(docs.input).toEqual({ a: { b: 1 }, c: 'k' });
  });

  it('binds only the field, keeping its siblings, when the object is there', () => {
    expect(solve(v({ NumericEquals: 1 }, '$.a.b'), true, input({ a: { keep: true } }))).toEqual({ kind: 'sat', bindings: [{ path: '$.a.b', value: 1 }] });
  });

  it('proves an array cannot hold index 2 without index 1', () => {
    const reason = reasonOf(solve({ And: [v({ IsPresent: true }, '$.items[2]'), v({ IsPresent: false }, '$.items[1]')] }, true), 'unsat');
    expect(reason).toContain('$.items[2]');
    expect(reason).toContain('$.items[1]');
  });

  it('pads an array with null to reach an index, and cuts it to make one absent', () => {
    const { docs } = satisfy([{ rule: v({ NumericEquals: 4 }, '$.items[2]'), want: true }], input({ items: [1] }));
    expect(docs.input).toEqual({ items: [1, null, 4] });
    const cut = satisfy([{ rule: v({ IsPresent: false }, '$.items[1]'), want: true }], input({ items: [1, 2, 3] }));
    expect(cut.docs.input).toEqual({ items: [1] });
  });

  it('reads a negative index from the end of the array there now', () => {
    const { bindings } = satisfy([{ rule: v({ NumericEquals: 9 }, '$.items[-1]'), want: true }], input({ items: [1, 2, 3] }));
    expect(bindings.bindings).toEqual([{ path: '$.items[2]', value: 9 }]);
  });

  it('makes an array for a negative index when there is none', () => {
    satisfy([{ rule: v({ NumericEquals: 9 }, '$.items[-2]'), want: true }]);
  });

  it('never proves anything through a negative index, whose node depends on the array length', () => {
    // items[-1] = 5 and items[2] = 6 hold together in a four-item array.
    const rule = { And: [v({ NumericEquals: 5 }, '$.items[-1]'), v({ NumericEquals: 6 }, '$.items[2]')] };
    expect(solve(rule, true, input({ items: [0, 0, 0] })).kind).not.toBe('unsat');
  });

  it('solves rules on the Context Object and on variables', () => {
    satisfy([{ rule: { And: [v({ StringEquals: 'o-1' }, '$$.Execution.Input.orderId'), v({ NumericGreaterThan: 3 }, '$limit.max')] }, want: true }], { input: {}, context: {}, variables: {} });
  });

  it('writes a path with a field name that needs quotes as the rule does', () => {
    expect(solve(v({ StringEquals: 'y' }, "$['x y']"), true)).toEqual({ kind: 'sat', bindings: [{ path: "$['x y']", value: 'y' }] });
  });

  it('treats a field named __proto__ as data', () => {
    const { docs } = satisfy([{ rule: v({ NumericEquals: 1 }, "$['__proto__'].a"), want: true }]);
    expect(Object.getPrototypeOf(docs.input)).toBe(Object.prototype);
  });
});

describe('And, Or and Not', () => {
  it('solves Not Not as the rule itself', () => {
    expect(valueOf(solve({ Not: { Not: v({ NumericEquals: 4 }) } }, true), '$.x')).toBe(4);
  });

  it('makes an Or true through its first part that can be, with the parts before it false (so read, so present)', () => {
    const { docs } = satisfy([{ rule: { Or: [{ And: [v({ IsString: true }), v({ IsNumeric: true })] }, v({ BooleanEquals: true }, '$.y')] }, want: true }]);
    expect(docs.input).toEqual({ x: 0, y: true });
  });

  it('makes an Or false by making every part false', () => {
    satisfy([{ rule: { Or: [v({ NumericEquals: 1 }), v({ NumericEquals: 2 })] }, want: false }], input({ x: 1 }));
  });

  it('makes an And false through its first part, leaving the rest unread', () => {
    // With $.x absent the IsPresent guard is false and the comparison after it is never read.
    const rule = { And: [v({ IsPresent: true }), v({ NumericGreaterThan: 5 })] };
    expect(solve(rule, false)).toEqual({ kind: 'sat', bindings: [] });
  });

  it('applies De Morgan: Not(And) true needs one part false', () => {
    satisfy([{ rule: { Not: { And: [v({ NumericEquals: 1 }), v({ NumericEquals: 2 }, '$.y')] } }, want: true }], input({ x: 1, y: 2 }));
  });

  it('lists the reason of each case when every case of an Or is contradictory', () => {
    const rule = { And: [v({ NumericGreaterThan: 10 }), { Or: [v({ NumericLessThan: 5 }), v({ IsString: true })] }] };
    const reason = reasonOf(solve(rule, true), 'unsat');
    expect(reason).toMatch(/^every way the rules can go is contradictory: \(1\) .*NumericLessThan 5.*; \(2\) .*IsString true/);
  });

  it('solves several goals together', () => {
    satisfy([{ rule: v({ NumericGreaterThan: 3 }), want: true }, { rule: v({ NumericGreaterThan: 5 }), want: false }]);
  });
});

describe('fixed paths', () => {
  it('reads a fixed path that already satisfies the rule and binds nothing', () => {
    expect(solve(v({ NumericEquals: 2 }, '$$.State.RetryCount'), true, { input: {}, context: { State: { RetryCount: 2 } } }, ['$$.State.RetryCount']))
      .toEqual({ kind: 'sat', bindings: [] });
  });

  it('proves a rule on a fixed path that does not satisfy it false, saying explore cannot steer it', () => {
    const reason = reasonOf(solve(v({ NumericGreaterThan: 2 }, '$$.State.RetryCount'), true, { input: {}, context: { State: { RetryCount: 0 } } }, ['$$.State.RetryCount']), 'unsat');
    expect(reason).toContain('$$.State.RetryCount is 0 and explore cannot steer it');
  });

  it('treats what lies under a fixed path as fixed', () => {
    expect(solve(v({ StringEquals: 'b' }, '$.config.mode'), true, input({ config: { mode: 'a' } }), ['$.config']).kind).toBe('unsat');
  });

  it('does not replace the object that holds a fixed field', () => {
    const result = solve({ And: [v({ IsPresent: true }, '$.a.fixed'), v({ IsString: true }, '$.a')] }, true, input({ a: { fixed: 1 } }), ['$.a.fixed']);
    expect(result.kind).toBe('unsat');
  });
});

describe('solveChoiceBranch', () => {
  const state: ChoiceState = {
    Type: 'Choice',
    Choices: [
      { Variable: '$.total', NumericGreaterThan: 1000, Next: 'Review' },
      { Variable: '$.total', NumericGreaterThan: 100, Next: 'Check' },
      { Variable: '$.total', NumericGreaterThan: 500, Next: 'Never' },
    ],
    Default: 'Ship',
  };

  it('makes the rules before the branch false and the branch true', () => {
    const result = solveChoiceBranch(state, 1, contextOf(input({ total: 5000 })));
    expect(result).toEqual({ kind: 'sat', bindings: [{ path: '$.total', value: 101 }] });
  });

  it('makes every rule false for the Default', () => {
    expect(solveChoiceBranch(state, 'default', contextOf(input({ total: 5000 })))).toEqual({ kind: 'sat', bindings: [{ path: '$.total', value: 0 }] });
  });

  it('proves a branch that an earlier rule always takes first unreachable, naming both rules', () => {
    const reason = reasonOf(solveChoiceBranch(state, 2, contextOf(input({}))), 'unsat');
    expect(reason).toContain('Choices[1]');
    expect(reason).toContain('Choices[2]');
  });

  it('refuses a branch that is not one of the rules', () => {
    expect(() => solveChoiceBranch(state, 3, contextOf(input({})))).toThrow(RangeError);
    expect(() => solveChoiceBranch(state, -1, contextOf(input({})))).toThrow(/not a rule of this Choice state, which has 3/);
  });

  it('sends JSONata Conditions to the JSONata search', () => {
    const jsonata: ChoiceState = { Type: 'Choice', QueryLanguage: 'JSONata', Choices: [{ Condition: '{% $states.input.x > 1 %}', Next: 'A' }] };
    expect(reasonOf(solveChoiceBranch(jsonata, 0, contextOf(input({}))), 'unknown')).toContain('searchJsonataBranch');
  });

  it('rejects a malformed rule as compiling the state machine would', () => {
    expect(() => solveRules([{ rule: { Variable: '$.x', NumericEquals: 'one' }, want: true }], contextOf(input({})))).toThrow(/expected a number/);
    expect(() => solveRules([{ rule: null as unknown as ChoiceRule, want: true }], contextOf(input({})))).toThrow(ChoiceRuleError);
    expect(() => solveRules([{ rule: { Not: [] } as unknown as ChoiceRule, want: true }], contextOf(input({})))).toThrow(ChoiceRuleError);
  });
});

describe('bounds and determinism', () => {
  const battery: RuleGoal[][] = [
    [{ rule: { Or: [v({ StringMatches: 'a*b' }), v({ NumericLessThanPath: '$.y' })] }, want: true }],
    [{ rule: { And: [v({ TimestampGreaterThan: '2024-01-01T00:00:00Z' }), v({ StringMatches: '2024-*' })] }, want: true }],
    [{ rule: { Not: { And: [v({ IsPresent: true }, '$.a.b'), v({ NumericEquals: 1 }, '$.a[0]')] } }, want: false }],
    [{ rule: { And: [v({ NumericGreaterThan: 10 }), { Or: [v({ NumericLessThan: 5 }), v({ IsString: true })] }] }, want: true }],
  ];

  it('gives the same question the same answer, byte for byte', () => {
    for (const goals of battery) {
      const docs = input({ x: 'q', y: [1] });
      const first = JSON.stringify(solveRules(goals, contextOf(docs)));
      const second = JSON.stringify(solveRules(JSON.parse(JSON.stringify(goals)), contextOf(JSON.parse(JSON.stringify(docs)))));
      expect(second).toBe(first);
    }
  });

  it('answers unknown, not unsat, when the rules split into more cases than it may check', () => {
    const ors = Array.from({ length: 12 }, (_, i) => ({ Or: [v({ NumericEquals: i }, `$.a${i}`), v({ NumericEquals: -i }, `$.b${i}`)] }));
    const rule = { And: [...ors, v({ NumericGreaterThan: 1 }), v({ NumericLessThan: 0 })] };
    expect(reasonOf(solve(rule, true), 'unknown')).toMatch(/more cases than the 1000 checks allowed/);
    // With room to check every case, the same rules are proved contradictory.
    const small = { And: [...ors.slice(0, 4), v({ NumericGreaterThan: 1 }), v({ NumericLessThan: 0 })] };
    expect(solve(small, true).kind).toBe('unsat');
  });

  it('answers unknown when a question needs more work than its limit', () => {
    const rule = { And: [v({ StringMatches: 'a*' }), ...Array.from({ length: 50 }, (_, i) => ({ Not: v({ StringMatches: `a*${i}` }) }))] };
    expect(solveRules([{ rule, want: true }], contextOf(input({}))).kind).toBe('sat');
    const limited = solveRules([{ rule, want: true }], { ...contextOf(input({})), limits: { maxWork: 60 } });
    expect(reasonOf(limited, 'unknown')).toBe('the rules are too large to decide: the solver gave up after 60 steps of work');
  });

  it('answers unknown for more rules than it takes on', () => {
    const rule = { And: Array.from({ length: MAX_RULES + 1 }, (_, i) => v({ NumericGreaterThan: i })) };
    expect(reasonOf(solve(rule, true), 'unknown')).toContain(`more than ${MAX_RULES} rules`);
  });

  it('answers unknown for rules nested deeper than it takes on, without overflowing the stack', () => {
    let rule: ChoiceRule = v({ IsPresent: true });
    for (let i = 0; i < 20_000; i++) rule = { Not: rule };
    expect(reasonOf(solve(rule, true), 'unknown')).toContain('nest deeper than 64');
  });

  it('asks the engine only for the paths the rules read and their prefixes', () => {
    const ctx = contextOf(input({ a: { b: 1 } }));
    solveRules([{ rule: v({ NumericEquals: 1 }, '$.a.b'), want: true }], ctx);
    expect([...new Set(ctx.asked)]).toEqual(['$']);
  });
});
