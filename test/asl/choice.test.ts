import { ChoiceRuleError, CHOICE_OPERATORS, compileChoiceRule, compileStringMatches } from '../../src/asl/choice';
import type { ChoiceRule, JsonValue } from '../../src/asl/definition-types';
import type { PathScope } from '../../src/asl/path';
import { DefinitionError, StatesError } from '../../src/asl/states-errors';
import { parseRfc3339Timestamp } from '../../src/asl/timestamp';

const AT = '/States/Check/Choices/0';

function scopeOf(input: JsonValue, extra: Partial<PathScope> = {}): PathScope {
  return { input, context: {}, ...extra };
}

/** Evaluates `{ Variable: '$.v', [op]: operand }` with `$.v = value` (and `$.o = other` for …Path operators). */
function check(op: string, operand: JsonValue, value: JsonValue, other?: JsonValue): boolean {
  const input: Record<string, JsonValue> = { v: value };
  if (other !== undefined) input.o = other;
  return compileChoiceRule({ Variable: '$.v', [op]: operand, Next: 'X' }, AT)(scopeOf(input));
}

function compileError(rule: unknown): ChoiceRuleError {
  try {
    compileChoiceRule(rule as ChoiceRule, AT);
  } catch (e) {
    if (e instanceof ChoiceRuleError) return e;
    throw e;
  }
  throw new Error('expected a ChoiceRuleError');
}

function runtimeError(rule: ChoiceRule, scope: PathScope): StatesError {
  const predicate = compileChoiceRule(rule, AT);
  try {
    predicate(scope);
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError');
}

describe('String comparisons', () => {
  it.each([
    ['StringEquals', 'abc', 'abc', true],
    ['StringEquals', 'abc', 'abd', false],
    ['StringEquals', 'Hello', 'hello', false],
    ['StringLessThan', 'A', 'AB', true],
    ['StringLessThan', 'AB', 'A', false],
    ['StringLessThan', '', '', false],
    ['StringGreaterThan', 'b', 'a', true],
    ['StringGreaterThan', 'A', 'A ', false],
    ['StringLessThanEquals', '', '', true],
    ['StringLessThanEquals', 'AB', 'A', false],
    ['StringGreaterThanEquals', 'AB', 'A', true],
    ['StringGreaterThanEquals', 'A', 'AB', false],
  ])('%s: %j against %j is %s', (op, value, operand, expected) => {
    expect(check(op, operand, value)).toBe(expected);
    expect(check(`${op}Path`, '$.o', value, operand)).toBe(expected);
  });

  it('compares UTF-16 code units, like the Java String.compareTo that AWS documents', () => {
    // U+10000 is stored as the surrogates D800 DC00, which sort before U+FFFF.
    expect(check('StringLessThan', '\uFFFF', '\u{10000}')).toBe(true);
    expect(check('StringGreaterThan', 'B', 'a')).toBe(true);
  });

  it('does not trim or normalise whitespace', () => {
    expect(check('StringEquals', '\t\r\n', '\t\n')).toBe(false);
    expect(check('StringEquals', '     ', ' ')).toBe(false);
  });

  it.each<JsonValue>([null, 0, 1.5, true, [], ['abc'], {}, { a: 'abc' }])('is false, not an error, for a Variable holding %j', (value) => {
    expect(check('StringEquals', 'abc', value)).toBe(false);
    expect(check('StringLessThanEquals', 'abc', value)).toBe(false);
  });

  it('is false when the …Path operand holds a non-string', () => {
    expect(check('StringEqualsPath', '$.o', '1', 1)).toBe(false);
  });

  it('matches a timestamp-looking string with StringEquals as plain text', () => {
    expect(check('StringEquals', '2016-08-18T17:33:00Z', '2016-08-18T17:33:00Z')).toBe(true);
    expect(check('StringEquals', '2016-08-18T17:33:00Z', '2016-08-18T18:33:00+01:00')).toBe(false);
  });
});

describe('StringMatches', () => {
  it.each([
    ['log-*.txt', 'log-2024.txt', true],
    ['log-*.txt', 'log-.txt', true],
    ['log-*.txt', 'log-2024.txt.bak', false],
    ['*', '', true],
    ['**', 'anything', true],
    ['*.log', 'zebra.log', true],
    ['foo*.*', 'foobar.zebra', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['ab*ba', 'aba', false],
    ['*a*a*a*a*a*b', 'a'.repeat(5000), false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['a?c', 'abc', false],
    ['a?c', 'a?c', true],
    ['x*y', 'x\nline\ny', true],
    ['Hello*', 'hello world', false],
  ])('pattern %j against %j is %s', (pattern, value, expected) => {
    expect(check('StringMatches', pattern, value)).toBe(expected);
  });

  it('treats \\* as a literal star', () => {
    expect(check('StringMatches', 'a\\*b', 'a*b')).toBe(true);
    expect(check('StringMatches', 'a\\*b', 'aXb')).toBe(false);
    expect(check('StringMatches', '\\**', '*tail')).toBe(true);
  });

  it('treats \\\\ as a literal backslash, so \\\\* is a backslash then a wildcard', () => {
    expect(check('StringMatches', 'C:\\\\*', 'C:\\Windows')).toBe(true);
    expect(check('StringMatches', 'C:\\\\*', 'C:Windows')).toBe(false);
  });

  it('rejects a backslash that escapes neither * nor \\, naming the position', () => {
    const e = compileError({ Variable: '$.v', StringMatches: 'a\\b*', Next: 'X' });
    expect(e.code).toBe('CHOICE_INVALID_OPERAND');
    expect(e.location).toBe(`${AT}/StringMatches`);
    expect(e.message).toContain('position 1');
    expect(typeof compileStringMatches('trailing\\')).toBe('object');
  });

  it('is false for a non-string Variable', () => {
    expect(check('StringMatches', '*', 1)).toBe(false);
    expect(check('StringMatches', '*', null)).toBe(false);
  });

  it('has no …Path variant', () => {
    expect(CHOICE_OPERATORS).not.toContain('StringMatchesPath');
    expect(compileError({ Variable: '$.v', StringMatchesPath: '$.p', Next: 'X' }).code).toBe('CHOICE_UNKNOWN_FIELD');
  });
});

describe('Numeric comparisons', () => {
  it.each([
    ['NumericEquals', 1, 1, true],
    ['NumericEquals', 1, 1.0, true],
    ['NumericEquals', 2.22, 2.22, true],
    ['NumericEquals', 1.1, 1, false],
    ['NumericEquals', 0, -0, true],
    ['NumericLessThan', 0, 1, true],
    ['NumericLessThan', 1, 1, false],
    ['NumericGreaterThan', 1, 0, true],
    ['NumericGreaterThan', 0, 0, false],
    ['NumericLessThanEquals', 1, 1, true],
    ['NumericLessThanEquals', 1, 0, false],
    ['NumericGreaterThanEquals', 0, 0, true],
    ['NumericGreaterThanEquals', 0, 1, false],
    ['NumericGreaterThan', -1.5, -2, true],
    ['NumericLessThan', 1e21, 1e22, true],
  ])('%s: %j against %j is %s', (op, value, operand, expected) => {
    expect(check(op, operand, value)).toBe(expected);
    expect(check(`${op}Path`, '$.o', value, operand)).toBe(expected);
  });

  it('compares 1 and 1.0 from parsed JSON text as equal', () => {
    const input = JSON.parse('{"v": 1.0, "o": 1}') as JsonValue;
    expect(compileChoiceRule({ Variable: '$.v', NumericEqualsPath: '$.o' }, AT)(scopeOf(input))).toBe(true);
  });

  it.each<JsonValue>([null, '42', '', true, false, [], [1], {}, { A: 0 }])('is false, not an error, for a Variable holding %j', (value) => {
    expect(check('NumericEquals', 42, value)).toBe(false);
    expect(check('NumericGreaterThanEqualsPath', '$.o', value, 0)).toBe(false);
  });

  it('does not read the string "42" as the number 42 (AWS recording: assign_in_choice_state)', () => {
    expect(check('NumericEquals', 42, '42')).toBe(false);
  });

  it('is false when the …Path operand holds a non-number', () => {
    expect(check('NumericEqualsPath', '$.o', 1, '1')).toBe(false);
  });
});

describe('BooleanEquals', () => {
  it.each([
    [true, true, true],
    [false, false, true],
    [true, false, false],
    [false, true, false],
  ])('%j against %j is %s', (value, operand, expected) => {
    expect(check('BooleanEquals', operand, value)).toBe(expected);
    expect(check('BooleanEqualsPath', '$.o', value, operand)).toBe(expected);
  });

  it.each([null, 0, 1, 'true', '', [], {}])('is false for a Variable holding %j', (value) => {
    expect(check('BooleanEquals', true, value)).toBe(false);
    expect(check('BooleanEquals', false, value)).toBe(false);
    expect(check('BooleanEqualsPath', '$.o', value, false)).toBe(false);
  });

  it('is false when the …Path operand holds a non-boolean', () => {
    expect(check('BooleanEqualsPath', '$.o', true, 'true')).toBe(false);
  });
});

describe('Timestamp comparisons', () => {
  it.each([
    ['TimestampEquals', '2012-10-09T19:00:55Z', '2012-10-09T19:00:55Z', true],
    ['TimestampEquals', '2012-10-09T19:00:55Z', '2012-10-09T20:00:55+01:00', true],
    ['TimestampEquals', '2012-10-09T19:00:55Z', '2012-10-09T18:30:55-00:30', true],
    ['TimestampEquals', '2012-10-09T19:00:55Z', '2012-10-09T19:00:55.000Z', true],
    ['TimestampEquals', '2012-10-09T19:00:55.1Z', '2012-10-09T19:00:55.100000000Z', true],
    ['TimestampEquals', '2012-10-09T19:00:55.000000001Z', '2012-10-09T19:00:55Z', false],
    ['TimestampLessThan', '2012-10-09T19:00:55Z', '2012-10-09T19:00:56Z', true],
    ['TimestampLessThan', '2012-10-09T19:00:55Z', '2012-10-09T19:00:55.000000001Z', true],
    ['TimestampLessThan', '2012-10-09T19:00:55Z', '2012-10-09T19:00:55Z', false],
    ['TimestampGreaterThan', '2012-10-09T19:00:56Z', '2012-10-09T19:00:55Z', true],
    ['TimestampGreaterThan', '2012-10-09T19:00:55+01:00', '2012-10-09T18:30:00Z', false],
    ['TimestampLessThanEquals', '2012-10-09T19:00:55Z', '2012-10-09T19:00:55Z', true],
    ['TimestampLessThanEquals', '2012-10-09T19:00:56Z', '2012-10-09T19:00:55Z', false],
    ['TimestampGreaterThanEquals', '2012-10-09T19:00:55Z', '2012-10-09T19:00:55Z', true],
    ['TimestampGreaterThanEquals', '2012-10-09T19:00:55Z', '2012-10-09T19:00:56Z', false],
    ['TimestampLessThan', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', true],
    ['TimestampLessThan', '2399-12-31T23:59:59Z', '2400-02-29T00:00:00Z', true],
  ])('%s: %j against %j is %s', (op, value, operand, expected) => {
    expect(check(op, operand, value)).toBe(expected);
    expect(check(`${op}Path`, '$.o', value, operand)).toBe(expected);
  });

  it.each([
    ['no time zone', '2012-10-09T19:00:55'],
    ['a date only', '2023-02-24'],
    ['a lowercase t', '2012-10-09t19:00:55Z'],
    ['a lowercase z', '2012-10-09T19:00:55z'],
    ['a space for T', '2012-10-09 19:00:55Z'],
    ['no seconds', '2012-10-09T19:00Z'],
    ['February 30', '2023-02-30T00:00:00Z'],
    ['February 29 of a non-leap year', '1900-02-29T00:00:00Z'],
    ['hour 24', '2012-10-09T24:00:00Z'],
    ['second 60', '2012-10-09T23:59:60Z'],
    ['an offset beyond ±18:00', '2012-10-09T19:00:55+18:01'],
    ['an offset without a colon', '2012-10-09T19:00:55+0100'],
    ['ten fraction digits', '2012-10-09T19:00:55.0000000001Z'],
    ['an empty fraction', '2012-10-09T19:00:55.Z'],
    ['surrounding spaces', ' 2012-10-09T19:00:55Z'],
    ['a fraction without a zone', '2012-10-09T19:00:55.123'],
    ['text after the Z', '2012-10-09T19:00:55Zx'],
    ['text after the offset', '2012-10-09T19:00:55+01:00:00'],
    ['a letter in the year', '2O12-10-09T19:00:55Z'],
  ])('does not accept %s (%j) as a timestamp', (_what, text) => {
    expect(parseRfc3339Timestamp(text)).toBeUndefined();
    expect(check('TimestampEqualsPath', '$.o', text, text)).toBe(false);
    expect(check('IsTimestamp', true, text)).toBe(false);
    expect(compileError({ Variable: '$.v', TimestampEquals: text }).code).toBe('CHOICE_INVALID_OPERAND');
  });

  it('accepts February 29 of a leap year and the ±18:00 offset bounds', () => {
    expect(parseRfc3339Timestamp('2024-02-29T00:00:00Z')).toBeDefined();
    expect(parseRfc3339Timestamp('2000-02-29T00:00:00Z')).toBeDefined();
    expect(parseRfc3339Timestamp('2012-10-09T19:00:55-18:00')).toBeDefined();
  });

  it('parses to epoch seconds and nanoseconds', () => {
    expect(parseRfc3339Timestamp('1970-01-01T00:00:01.5Z')).toEqual({ seconds: 1, nanos: 500_000_000 });
    expect(parseRfc3339Timestamp('2016-08-18T17:33:00Z')).toEqual({ seconds: Date.UTC(2016, 7, 18, 17, 33) / 1000, nanos: 0 });
    expect(parseRfc3339Timestamp('0001-01-01T00:00:00Z')!.seconds).toBe(-62135596800);
  });

  it.each([null, 1349809255, true, [], {}])('is false for a Variable holding %j', (value) => {
    expect(check('TimestampEquals', '2012-10-09T19:00:55Z', value)).toBe(false);
    expect(check('TimestampLessThanPath', '$.o', value, '2012-10-09T19:00:55Z')).toBe(false);
  });

  it('is false when the …Path operand is not a timestamp', () => {
    expect(check('TimestampEqualsPath', '$.o', '2012-10-09T19:00:55Z', '2012-10-09T19:00:55')).toBe(false);
  });
});

describe('Is* operators', () => {
  const values: Array<[string, JsonValue]> = [
    ['null', null], ['a number', 1.5], ['zero', 0], ['a string', 'x'], ['an empty string', ''],
    ['true', true], ['false', false], ['an array', []], ['an object', { A: 0 }],
    ['a timestamp', '2012-10-09T19:00:55Z'], ['a zoneless date-time', '2012-10-09T19:00:55'],
  ];
  const is: Record<string, (v: JsonValue) => boolean> = {
    IsNull: (v) => v === null,
    IsNumeric: (v) => typeof v === 'number',
    IsString: (v) => typeof v === 'string',
    IsBoolean: (v) => typeof v === 'boolean',
    IsTimestamp: (v) => v === '2012-10-09T19:00:55Z',
    IsPresent: () => true,
  };
  for (const [op, truth] of Object.entries(is)) {
    it.each(values)(`${op}: true/false on %s agree with the value's type`, (_what, value) => {
      expect(check(op, true, value)).toBe(truth(value));
      expect(check(op, false, value)).toBe(!truth(value));
    });
  }

  it('IsPresent tells a missing field from a null one without failing', () => {
    const present = compileChoiceRule({ Variable: '$.a.b', IsPresent: true }, AT);
    const absent = compileChoiceRule({ Variable: '$.a.b', IsPresent: false }, AT);
    expect(present(scopeOf({ a: { b: null } }))).toBe(true);
    expect(present(scopeOf({ a: {} }))).toBe(false);
    expect(present(scopeOf({}))).toBe(false);
    expect(absent(scopeOf({ a: 1 }))).toBe(true);
  });

  it('IsNull on a missing field fails like every operator but IsPresent', () => {
    expect(runtimeError({ Variable: '$.gone', IsNull: true }, scopeOf({})).error).toBe('States.Runtime');
  });

  it.each(['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'])('%s requires a boolean operand', (op) => {
    const e = compileError({ Variable: '$.v', [op]: 'true' });
    expect(e.code).toBe('CHOICE_INVALID_OPERAND');
    expect(e.message).toContain('expected true or false, got "true"');
  });
});

describe('Variable roots', () => {
  it('reads the Context Object with $$', () => {
    const rule = compileChoiceRule({ Variable: '$$.Execution.Name', StringEquals: 'run-1' }, AT);
    expect(rule({ input: {}, context: { Execution: { Name: 'run-1' } } })).toBe(true);
  });

  it('reads workflow variables with $name, including fields inside them', () => {
    const variables = { get: (name: string) => ({ order: { total: 12 } } as Record<string, JsonValue>)[name] };
    expect(compileChoiceRule({ Variable: '$order.total', NumericGreaterThan: 10 }, AT)(scopeOf({}, { variables }))).toBe(true);
    expect(compileChoiceRule({ Variable: '$order', IsPresent: true }, AT)(scopeOf({}, { variables }))).toBe(true);
    expect(compileChoiceRule({ Variable: '$other', IsPresent: true }, AT)(scopeOf({}, { variables }))).toBe(false);
  });

  it('compares a variable against a …Path operand in the input (and the other way round)', () => {
    const variables = { get: (name: string) => (name === 'guess' ? 'blue' : undefined) };
    const scope = scopeOf({ answer: 'blue' }, { variables });
    expect(compileChoiceRule({ Variable: '$guess', StringEqualsPath: '$.answer' }, AT)(scope)).toBe(true);
    expect(compileChoiceRule({ Variable: '$.answer', StringEqualsPath: '$guess' }, AT)(scope)).toBe(true);
  });

  it('reads the whole input with $ and array elements with [n]', () => {
    expect(compileChoiceRule({ Variable: '$', NumericEquals: 3 }, AT)(scopeOf(3))).toBe(true);
    expect(compileChoiceRule({ Variable: "$.items[1]['the name']", StringEquals: 'b' }, AT)(scopeOf({ items: [{}, { 'the name': 'b' }] }))).toBe(true);
  });
});

describe('runtime errors', () => {
  const CAUSE = "Invalid path '$.x': The choice state's condition path references an invalid value.";

  it('fails with States.Runtime and AWS\'s cause when the Variable names nothing', () => {
    const e = runtimeError({ Variable: '$.x', StringEquals: 'a', Next: 'X' }, scopeOf({ y: 1 }));
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toBe(CAUSE);
  });

  it('names the …Path operand when that is what is missing', () => {
    const e = runtimeError({ Variable: '$.v', NumericEqualsPath: '$.x' }, scopeOf({ v: 1 }));
    expect(e.cause).toBe(CAUSE);
  });

  it('reports the path as written in the definition', () => {
    const e = runtimeError({ Variable: '$$.Execution.Input.x', StringEquals: 'a' }, { input: {}, context: { Execution: { Input: {} } } });
    expect(e.cause).toBe("Invalid path '$$.Execution.Input.x': The choice state's condition path references an invalid value.");
  });

  it('fails for an unassigned variable', () => {
    expect(runtimeError({ Variable: '$nope', BooleanEquals: true }, scopeOf({})).cause).toContain("Invalid path '$nope'");
  });

  it('fails when a path steps through a value of the wrong kind', () => {
    expect(runtimeError({ Variable: '$.a.b', IsNull: false }, scopeOf({ a: 'text' })).error).toBe('States.Runtime');
    expect(runtimeError({ Variable: '$.a[3]', IsNull: false }, scopeOf({ a: [1] })).error).toBe('States.Runtime');
  });

  it('fails inside Not, And and Or when the failing rule is reached', () => {
    expect(runtimeError({ Not: { Variable: '$.x', StringEquals: 'a' } }, scopeOf({})).cause).toBe(CAUSE);
    expect(runtimeError({ And: [{ Variable: '$.v', IsNull: true }, { Variable: '$.x', IsNull: true }] }, scopeOf({ v: null })).cause).toBe(CAUSE);
    expect(runtimeError({ Or: [{ Variable: '$.v', IsNull: false }, { Variable: '$.x', IsNull: true }] }, scopeOf({ v: null })).cause).toBe(CAUSE);
  });

  it('stops And at the first false rule, so an IsPresent guard protects the rules after it', () => {
    const rule = compileChoiceRule({
      And: [{ Variable: '$.x', IsPresent: true }, { Variable: '$.x', NumericGreaterThan: 1 }],
    }, AT);
    expect(rule(scopeOf({}))).toBe(false);
    expect(rule(scopeOf({ x: 2 }))).toBe(true);
  });

  it('stops Or at the first true rule', () => {
    const rule = compileChoiceRule({ Or: [{ Variable: '$.x', IsPresent: false }, { Variable: '$.x', StringEquals: 'a' }] }, AT);
    expect(rule(scopeOf({}))).toBe(true);
  });
});

describe('And, Or, Not', () => {
  const inTwenties = compileChoiceRule({
    And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }],
    Next: 'ValueInTwenties',
  }, AT);

  it.each([[19, false], [20, true], [29.9, true], [30, false]])('And is true only when every rule is (value %j → %s)', (value, expected) => {
    expect(inTwenties(scopeOf({ value }))).toBe(expected);
  });

  it('Or is true when any rule is', () => {
    const rule = compileChoiceRule({ Or: [{ Variable: '$.a', BooleanEquals: true }, { Variable: '$.b', BooleanEquals: true }] }, AT);
    expect(rule(scopeOf({ a: false, b: true }))).toBe(true);
    expect(rule(scopeOf({ a: false, b: false }))).toBe(false);
  });

  it('Not negates its rule', () => {
    const rule = compileChoiceRule({ Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' }, AT);
    expect(rule(scopeOf({ type: 'Private' }))).toBe(false);
    expect(rule(scopeOf({ type: 'Public' }))).toBe(true);
  });

  it('nests to any depth', () => {
    const rule = compileChoiceRule({
      Or: [
        { Not: { And: [{ Variable: '$.a', IsNumeric: true }, { Variable: '$.a', NumericGreaterThan: 0 }] } },
        { Variable: '$.force', BooleanEquals: true },
      ],
    }, AT);
    expect(rule(scopeOf({ a: 5, force: false }))).toBe(false);
    expect(rule(scopeOf({ a: -5, force: false }))).toBe(true);
    expect(rule(scopeOf({ a: 'x', force: false }))).toBe(true);
    expect(rule(scopeOf({ a: 5, force: true }))).toBe(true);
  });

  it('allows a single-rule And', () => {
    expect(compileChoiceRule({ And: [{ Variable: '$.a', IsNull: true }] }, AT)(scopeOf({ a: null }))).toBe(true);
  });

  it('allows Comment in nested rules and Next, Assign, Comment at the top level', () => {
    expect(() => compileChoiceRule({
      Not: { Variable: '$.a', IsNull: true, Comment: 'why' },
      Next: 'X',
      Assign: { seen: true },
      Comment: 'top',
    }, AT)).not.toThrow();
  });
});

describe('compile errors', () => {
  it('is a DefinitionError with a code, the JSON pointer and a message naming both', () => {
    const e = compileError({ Variable: '$.v', NumericEquals: '1', Next: 'X' });
    expect(e).toBeInstanceOf(DefinitionError);
    expect(e).toBeInstanceOf(ChoiceRuleError);
    expect(e.name).toBe('ChoiceRuleError');
    expect(e.code).toBe('CHOICE_INVALID_OPERAND');
    expect(e.location).toBe(`${AT}/NumericEquals`);
    expect(e.message).toBe(`${AT}/NumericEquals: expected a number, got "1"`);
  });

  it('rejects an unknown operator and suggests the right spelling', () => {
    const e = compileError({ Variable: '$.v', stringequals: 'a', Next: 'X' });
    expect(e.code).toBe('CHOICE_UNKNOWN_FIELD');
    expect(e.location).toBe(`${AT}/stringequals`);
    expect(e.message).toContain("did you mean 'StringEquals'?");
  });

  it('rejects JSONata fields in a JSONPath rule with a hint', () => {
    const e = compileError({ Condition: '{% true %}', Next: 'X' });
    expect(e.code).toBe('CHOICE_UNKNOWN_FIELD');
    expect(e.message).toContain('belongs to JSONata Choice rules');
  });

  it('rejects two operators in one rule', () => {
    const e = compileError({ Variable: '$.v', StringEquals: 'a', StringMatches: 'a*', Next: 'X' });
    expect(e.code).toBe('CHOICE_MULTIPLE_OPERATORS');
    expect(e.message).toContain('StringEquals, StringMatches');
  });

  it('rejects a comparison and And in one rule', () => {
    expect(compileError({ Variable: '$.v', IsNull: true, And: [{ Variable: '$.v', IsNull: true }] }).code).toBe('CHOICE_MULTIPLE_OPERATORS');
  });

  it('rejects a rule with no operator', () => {
    const e = compileError({ Variable: '$.v', Next: 'X' });
    expect(e.code).toBe('CHOICE_NO_OPERATOR');
    expect(e.location).toBe(AT);
  });

  it('rejects a comparison without Variable', () => {
    const e = compileError({ StringEquals: 'a', Next: 'X' });
    expect(e.code).toBe('CHOICE_MISSING_VARIABLE');
    expect(e.location).toBe(`${AT}/Variable`);
  });

  it('rejects Variable beside And, Or or Not', () => {
    expect(compileError({ Variable: '$.v', Not: { Variable: '$.v', IsNull: true } }).code).toBe('CHOICE_UNEXPECTED_VARIABLE');
  });

  it.each([
    ['StringEquals', 1, 'expected a string'],
    ['StringLessThan', null, 'expected a string'],
    ['NumericEquals', '1', 'expected a number'],
    ['NumericGreaterThan', true, 'expected a number'],
    ['BooleanEquals', 'true', 'expected true or false'],
    ['TimestampEquals', 1349809255, 'expected an RFC 3339 timestamp'],
    ['TimestampLessThan', '2012-10-09', 'expected an RFC 3339 timestamp'],
    ['StringMatches', 5, 'expected a string pattern'],
  ])('rejects %s with operand %j', (op, operand, message) => {
    const e = compileError({ Variable: '$.v', [op]: operand });
    expect(e.code).toBe('CHOICE_INVALID_OPERAND');
    expect(e.location).toBe(`${AT}/${op}`);
    expect(e.message).toContain(message);
  });

  it.each([
    ['Variable', { Variable: 'v', StringEquals: 'a' }],
    ['Variable', { Variable: 7, StringEquals: 'a' }],
    ['Variable', { Variable: '$.a[*]', StringEquals: 'a' }],
    ['Variable', { Variable: '$.a..b', StringEquals: 'a' }],
    ['Variable', { Variable: '$.a[?(@.b)]', StringEquals: 'a' }],
    ['Variable', { Variable: '$.a.', StringEquals: 'a' }],
    ['StringEqualsPath', { Variable: '$.a', StringEqualsPath: 'b' }],
    ['NumericLessThanPath', { Variable: '$.a', NumericLessThanPath: 3 }],
    ['TimestampEqualsPath', { Variable: '$.a', TimestampEqualsPath: '$.b[1:2]' }],
  ])('rejects a bad %s path (%j)', (field, rule) => {
    const e = compileError(rule);
    expect(e.code).toBe('CHOICE_INVALID_PATH');
    expect(e.location).toBe(`${AT}/${field}`);
  });

  it.each([
    ['And', []],
    ['And', {}],
    ['Or', 'rule'],
    ['Not', []],
    ['Not', null],
  ])('rejects %s with operand %j', (op, operand) => {
    const e = compileError({ [op]: operand, Next: 'X' });
    expect(e.code).toBe('CHOICE_INVALID_OPERAND');
    expect(e.location).toBe(`${AT}/${op}`);
  });

  it('rejects a rule that is not an object', () => {
    expect(compileError('StringEquals').code).toBe('CHOICE_RULE_NOT_OBJECT');
    expect(compileError({ And: [null] }).location).toBe(`${AT}/And/0`);
  });

  it.each(['Next', 'Assign'])('rejects %s inside a nested rule, pointing at it', (field) => {
    const e = compileError({ And: [{ Variable: '$.a', IsNull: true }, { Variable: '$.b', IsNull: true, [field]: field === 'Next' ? 'X' : {} }], Next: 'X' });
    expect(e.code).toBe('CHOICE_NESTED_FIELD');
    expect(e.location).toBe(`${AT}/And/1/${field}`);
  });

  it('points into Not and nested arrays', () => {
    expect(compileError({ Not: { Or: [{ Variable: '$.a', NumericEquals: 'x' }] } }).location).toBe(`${AT}/Not/Or/0/NumericEquals`);
  });
});

describe('operator table', () => {
  it('holds every AWS comparison operator and its …Path variant', () => {
    const families = ['String', 'Numeric', 'Timestamp'];
    const relations = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];
    const expected = [
      ...families.flatMap((f) => relations.flatMap((r) => [`${f}${r}`, `${f}${r}Path`])),
      'BooleanEquals', 'BooleanEqualsPath', 'StringMatches',
      'IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp',
    ];
    expect([...CHOICE_OPERATORS].sort()).toEqual(expected.sort());
  });

  it('parses literal timestamps when compiling, not when evaluating', () => {
    // An invalid literal is reported before any input exists.
    expect(() => compileChoiceRule({ Variable: '$.v', TimestampEquals: 'yesterday' }, AT)).toThrow(ChoiceRuleError);
  });
});
