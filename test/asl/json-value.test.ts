import type { JsonValue } from '../../src/asl';
import {
  describeNonJson as describeValue, describeNonJsonDocument, describeNonJsonText, stringifyWithin,
  isJsonObject, jsonOrText, jsonTextOf, MAX_JSON_DEPTH, MAX_JSON_VALUES, withField,
} from '../../src/asl/json-value';

// The check of values on every Task and the check of a definition, done once, give the same answers.
describe.each([
  ['describeNonJson', describeValue],
  ['describeNonJsonDocument', describeNonJsonDocument],
])('%s', (_name, describeNonJson) => {
  it('accepts JSON values, and object fields that are undefined (JSON.stringify leaves them out)', () => {
    for (const value of [null, true, 'x', 0, -1.5, [], {}, [1, 'a', null, false, [{}]], { a: { b: [1, { c: null }] }, u: undefined }]) {
      expect(describeValue(value)).toBeUndefined();
    }
  });

  it.each([
    ['NaN in an array', [1, NaN], 'the number NaN at $[1]'],
    ['Infinity in an object', { a: { b: Infinity } }, 'the number Infinity at $.a.b'],
    ['-Infinity at the top', -Infinity, 'the number -Infinity at $'],
    ['undefined in an array', [1, undefined], 'undefined at $[1]'],
    ['a BigInt', { n: 1n }, 'a BigInt at $.n'],
    ['a function', { f: () => 1 }, 'a function at $.f'],
  ])('names %s and where it is', (_what, value, message) => {
    expect(describeNonJson(value)).toBe(message);
  });

  it('names a symbol', () => {
    expect(describeNonJson({ s: Symbol('x') })).toMatch(/symbol.*\$\.s/);
  });

  it('refuses a cycle and nesting past the depth limit', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(describeNonJson(cycle)).toMatch(/circular|deeper/);
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_JSON_DEPTH; i++) deep = [deep];
    expect(describeNonJson(deep)).toMatch(/deeper|nest/);
    let justDeepEnough: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) justDeepEnough = [justDeepEnough];
    expect(describeNonJson(justDeepEnough)).toBeUndefined();
  });

  it('refuses undefined itself', () => {
    expect(describeNonJson(undefined)).toBe('undefined');
  });
});

describe('describeNonJsonText: a value parsed from JSON text, in the terms of that text', () => {
  it('accepts what JSON.parse gives for text within the limits', () => {
    expect(describeNonJsonText(JSON.parse('{"a":[1.5e308,-2,"x",null]}'))).toBeUndefined();
  });

  it.each([
    ['1e999', '{"a":{"b":1e999}}', 'a number out of range at $.a.b: JSON numbers are read as doubles, at most ±1.7976931348623157e+308 (it reads as Infinity)'],
    ['-1e999', '[0,-1e999]', 'a number out of range at $[1]: JSON numbers are read as doubles, at most ±1.7976931348623157e+308 (it reads as -Infinity)'],
  ])('says %s is a number out of range, not "the number Infinity"', (_what, text, message) => {
    expect(describeNonJsonText(JSON.parse(text))).toBe(message);
  });

  it('says how deep Step Functions reads JSON when the text nests deeper', () => {
    const deep = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`) as unknown;
    expect(describeNonJsonText(deep)).toMatch(/^nesting deeper than 1000 levels at \$\[0\].*; Step Functions reads JSON at most 1000 levels deep$/);
  });
});

describe('jsonOrText: a payload kept as text, read back', () => {
  it('gives the value JSON text holds', () => {
    expect(jsonOrText('{"a":[1,null]}')).toEqual({ a: [1, null] });
    expect(jsonOrText('"quoted"')).toBe('quoted');
    expect(jsonOrText('0')).toBe(0);
  });

  it('keeps text that is not JSON as the text itself', () => {
    expect(jsonOrText('not json')).toBe('not json');
    expect(jsonOrText('')).toBe('');
    expect(jsonOrText('{"a":')).toBe('{"a":');
  });
});

describe('withField: an object copied with one field set or removed', () => {
  it('sets a field in place, keeps the others in their order and leaves the original as it was', () => {
    const original = { a: 1, b: 2, c: 3 };
    const copy = withField(original, 'b', 9);
    expect(Object.entries(copy)).toEqual([['a', 1], ['b', 9], ['c', 3]]);
    expect(original).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('adds a new field last, and removes one when the value is undefined', () => {
    expect(Object.keys(withField({ a: 1 }, 'z', 2))).toEqual(['a', 'z']);
    expect(withField({ a: 1, b: 2 }, 'a', undefined)).toEqual({ b: 2 });
    expect(withField(undefined, 'a', 1)).toEqual({ a: 1 });
  });

  it('sets __proto__ as a field of the copy, not its prototype', () => {
    const copy = withField<unknown>({}, '__proto__', { polluted: true });
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });
});

describe('jsonTextOf', () => {
  it('gives back the same value when it holds no -0, copying nothing', () => {
    const value = { a: [1, 0, { b: 'x' }], c: null, d: undefined };
    expect(jsonTextOf(value)).toBe(value);
  });

  it('turns each -0 into 0, at any depth, and keeps every key its own (__proto__ too)', () => {
    const value = JSON.parse('{"a":[-0,{"b":-0}],"__proto__":{"z":-0},"n":-0.0}');
    const got = jsonTextOf(value);
    expect(got).toEqual(JSON.parse('{"a":[0,{"b":0}],"__proto__":{"z":0},"n":0}'));
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.is(jsonTextOf(-0), 0)).toBe(true);
    expect(Object.is(value.n, -0)).toBe(true); // the caller's value is left as it was
  });

  it.each([
    ['a -0 in an array in an object in an array', [{ a: [1, -0] }], [{ a: [1, 0] }]],
    ['a -0 after a nested object that holds none', { a: { b: 1 }, c: -0 }, { a: { b: 1 }, c: 0 }],
    ['a -0 in the last of many members', { ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])), z: -0 }, undefined],
  ])('finds %s', (_what, value, want) => {
    const got = jsonTextOf(value);
    expect(got).not.toBe(value);
    expect(JSON.stringify(got)).toBe(JSON.stringify(want ?? value));
    expect(JSON.stringify(got, (_k, v: unknown) => (Object.is(v, -0) ? 'negative zero' : v))).not.toContain('negative zero');
  });

  it.each([
    ['undefined', undefined],
    ['a BigInt next to a -0', { a: -0, b: 1n }],
    ['NaN', [Number.NaN]],
    ['a function', { f: () => 1 }],
  ])('is undefined for %s, which is not JSON, as describeNonJson says', (_what, value) => {
    expect(jsonTextOf(value)).toBeUndefined();
    expect(describeValue(value)).toEqual(expect.any(String));
  });
});

/** 60 levels, each pointing twice at the next: 2^61 values as JSON text writes them, 61 objects in memory. */
/** stringifyWithin's refusal, or undefined when it wrote the value. */
function describeTooManyValues(value: unknown): string | undefined {
  const written = stringifyWithin(value);
  return 'tooMany' in written ? written.tooMany : undefined;
}

function sharedTwice(levels = 60): unknown {
  let value: unknown = { leaf: 1 };
  for (let i = 0; i < levels; i++) value = { a: value, b: value };
  return value;
}

describe('a value in memory that shares one object from many places', () => {
  it('describeNonJson refuses 2^61 values as text after MAX_JSON_VALUES of them, naming the bound and the fix', () => {
    expect(describeValue(sharedTwice())).toBe(`more than ${MAX_JSON_VALUES} values (an object reached from two places counts twice, as its JSON text writes it twice: `
      + `${MAX_JSON_VALUES} bytes of text at least, 16 times the 262144 AWS takes as a payload); pass a value that shares fewer objects, or a smaller one`);
  });

  it('jsonTextOf gives undefined for it, as for any value that is not JSON', () => {
    expect(jsonTextOf(sharedTwice())).toBeUndefined();
    expect(jsonTextOf([sharedTwice(), -0])).toBeUndefined();
  });

  it('refuses one object of many fields shared from many places, counting its fields each time', () => {
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const value = { a: Array.from({ length: 100 }, () => ({ w: wide })) };
    expect(jsonTextOf(value)).toBeUndefined();
    expect(describeTooManyValues(value)).toBeDefined();
  });

  it('accepts a value shared from a few places, walked as many times as its text writes it', () => {
    const shared = { n: [1, 2, 3] };
    const value = { a: shared, b: shared, c: [shared, shared] };
    expect(describeValue(value)).toBeUndefined();
    expect(jsonTextOf(value)).toBe(value);
  });

  it('counts every value as JSON text writes it: MAX_JSON_VALUES of them pass, one more does not', () => {
    // The root, its field and MAX_JSON_VALUES - 2 members; then one member more.
    const within = { list: new Array<number>(MAX_JSON_VALUES - 2).fill(0) };
    expect(describeValue(within)).toBeUndefined();
    within.list.push(0);
    expect(jsonTextOf(within)).toBeUndefined();
  });

  it('stringifyWithin counts as JSON.stringify writes, judging nothing else: NaN and undefined members pass, 2^61 values do not', () => {
    expect(describeTooManyValues([Number.NaN, undefined, { a: undefined, f: () => 1 }])).toBeUndefined();
    expect(describeTooManyValues({ nan: Number.NaN, shared: sharedTwice() })).toBe(describeValue(sharedTwice()));
  });

  it('stringifyWithin counts what toJSON returns, called with its key, as JSON.stringify writes it', () => {
    expect(describeTooManyValues({ toJSON: () => sharedTwice() })).toBe(describeValue(sharedTwice()));
    expect(describeTooManyValues([{ toJSON: (key: string) => (key === '0' ? sharedTwice() : 1) }])).toBeDefined();
    expect(describeTooManyValues({ x: { toJSON: (key: string) => (key === 'x' ? sharedTwice() : 1) } })).toBeDefined();
    expect(describeTooManyValues({ x: { toJSON: (key: string) => (key === 'y' ? sharedTwice() : 1) } })).toBeUndefined();
    expect(describeTooManyValues({ when: new Date(0), small: { toJSON: () => [1, 2] } })).toBeUndefined();
  });

  it('stringifyWithin throws what a toJSON throws, as JSON.stringify does', () => {
    const value = { bad: { toJSON: (): never => { throw new Error('no'); } } };
    expect(() => stringifyWithin(value)).toThrow('no');
    expect(() => JSON.stringify(value)).toThrow('no');
  });

  it('stringifyWithin calls each toJSON once, and gives the text JSON.stringify writes', () => {
    let calls = 0;
    const value = { a: { toJSON: (key: string) => ({ called: ++calls, key }) }, when: new Date(0) };
    expect(stringifyWithin(value)).toEqual({ text: '{"a":{"called":1,"key":"a"},"when":"1970-01-01T00:00:00.000Z"}' });
    expect(calls).toBe(1);
  });
});

describe('describeNonJson of a value with toJSON methods, judged as JSON.stringify writes it', () => {
  it('judges an own toJSON by what it returns, called with its key, not as a function at $.toJSON', () => {
    expect(describeValue({ a: { toJSON: (key: string) => [key, 1] } })).toBeUndefined();
    expect(describeValue({ toJSON: () => ({ n: 1 }) })).toBeUndefined();
    expect(describeValue({ a: { toJSON: () => 10n } })).toBe('a BigInt at $.a');
    expect(describeValue({ a: { toJSON: () => ({ b: [Number.NaN] }) } })).toBe('the number NaN at $.a.b[0]');
    expect(describeValue({ a: { toJSON: () => ({ f: () => 1 }) } })).toBe('a function at $.a.f');
  });

  it('leaves out a field whose toJSON returns undefined and writes such an array item null, as JSON.stringify does', () => {
    const gone = { toJSON: (): undefined => undefined };
    expect(describeValue({ a: 1, gone, list: [gone] })).toBeUndefined();
    expect(jsonTextOf({ a: 1, gone, list: [gone] })).toEqual(JSON.parse(JSON.stringify({ a: 1, gone, list: [gone] })));
    expect(describeValue(gone)).toBe('undefined at $');
  });

  it('follows every toJSON met once one is, a Date\'s too, and names one that throws', () => {
    expect(describeValue({ own: { toJSON: () => 1 }, when: new Date(0) })).toBeUndefined();
    expect(describeValue({ own: { toJSON: () => 1 }, when: new Date(Number.NaN) })).toBeUndefined();
    expect(describeValue({ a: { toJSON: (): never => { throw new Error('no'); } } })).toBe('a toJSON that threw (no) at $.a');
  });

  it('bounds what toJSON returns: nesting past MAX_JSON_DEPTH, and values past MAX_JSON_VALUES', () => {
    const endless = (): unknown => ({ toJSON: () => ({ next: endless() }) });
    expect(describeValue(endless())).toMatch(new RegExp(`^nesting deeper than ${MAX_JSON_DEPTH} levels at \\$\\.next`));
    expect(describeValue({ toJSON: () => sharedTwice() })).toMatch(new RegExp(`^more than ${MAX_JSON_VALUES} values`));
  });
});

describe('the walk that finds a circular reference', () => {
  // A value 990 levels deep with its objects at the bottom: looked up along the whole path from the root,
  // each object cost 990 comparisons (4 M objects, the bound: 4 G, half a minute); in the set of the path's objects, one.
  function deepWithLeaves(leaves: number): { v: unknown; when: { toJSON: () => string } } {
    let v: unknown = Array.from({ length: leaves }, () => ({}));
    for (let i = 0; i < 990; i++) v = [v];
    return { v, when: { toJSON: () => '2024-01-01' } };
  }

  it('looks each object up among its ancestors at once, not along the path from the root', () => {
    const value = deepWithLeaves(200);
    const includes = jest.spyOn(Array.prototype, 'includes');
    try {
      expect(describeValue(value)).toBeUndefined();
      expect(jsonTextOf(value)).toEqual({ v: expect.any(Array), when: '2024-01-01' });
      expect(includes.mock.calls.filter(([item]) => item !== null && typeof item === 'object')).toEqual([]);
    } finally {
      includes.mockRestore();
    }
  });

  it('still finds a cycle, and takes an object shared by two siblings', () => {
    const shared = { a: 1 };
    expect(describeValue({ x: shared, y: shared, when: { toJSON: () => 1 } })).toBeUndefined();
    const cyclic: { self?: unknown; when: unknown } = { when: { toJSON: () => 1 } };
    cyclic.self = { back: cyclic };
    expect(describeValue(cyclic)).toBe('a circular reference at $.self.back');
  });
});

describe('isJsonObject, the one test of a JSON object', () => {
  it('is true of an object, an empty one too, and false of null, a list, a scalar and nothing', () => {
    const objects: JsonValue[] = [{ a: 1 }, {}];
    expect(objects.map((v) => isJsonObject(v))).toEqual([true, true]);
    expect([null, [], [{}], 'x', 0, false, undefined].map((v) => isJsonObject(v))).toEqual([false, false, false, false, false, false, false]);
  });
});
