import { compilePath, compileResultPath, type PathScope } from '../../src/asl/path';
import type { JsonValue } from '../../src/asl/types';

const scope = (input: JsonValue): PathScope => ({ input, context: {} });
const read = (path: string, input: JsonValue) => compilePath(path).read(scope(input));
/** The items of `list` a filter selects. */
const select = (filter: string, list: unknown[]) => read(`$.l[?(${filter})]`, { l: list as JsonValue[] }) as JsonValue[];

describe('JSONPath filters, in the dialect Step Functions evaluates them with', () => {
  describe('a field alone asks whether it is there and not null', () => {
    const list = [{ keep: true }, { keep: false }, { keep: 0 }, { keep: '' }, { keep: null }, { other: 1 }];

    it('keeps items whose field is false, 0 or "" (measured on Step Functions Local)', () => {
      expect(select('@.keep', list)).toEqual([{ keep: true }, { keep: false }, { keep: 0 }, { keep: '' }]);
    });

    it('with ! keeps items whose field is null or missing (measured on Step Functions Local)', () => {
      expect(select('!@.session', [{ id: 1, session: null }, { id: 2, session: { x: 1 } }, { id: 3 }]))
        .toEqual([{ id: 1, session: null }, { id: 3 }]);
    });

    it('reads nested fields and bracketed names', () => {
      expect(select("@.a.b && @['c d']", [{ 'a': { b: 1 }, 'c d': 2 }, { a: { b: 1 } }, { 'a': {}, 'c d': 2 }])).toEqual([{ 'a': { b: 1 }, 'c d': 2 }]);
    });
  });

  describe('comparisons', () => {
    it('orders only two numbers or two strings: "5" >= 5, null >= 0 and true > 0 are false', () => {
      expect(select('@.a >= 5', [{ a: 5 }, { a: '5' }, { a: 7 }, { a: null }, { a: true }])).toEqual([{ a: 5 }, { a: 7 }]);
      expect(select('@.a >= 0', [{ a: null }, { a: false }, {}])).toEqual([]);
      expect(select("@.s < 'b'", [{ s: 'a' }, { s: 'c' }, { s: 1 }])).toEqual([{ s: 'a' }]);
    });

    it('selects the AWS documentation example $.jar[?(@.a >= 5)]', () => {
      expect(read('$.jar[?(@.a >= 5)]', { jar: [{ a: 1 }, { a: 5 }, { a: 2 }, { a: 7 }, { a: 3 }] })).toEqual([{ a: 5 }, { a: 7 }]);
    });

    it('compares a number with a string that reads as the same number, a string with a number written the same way, and nothing else across kinds', () => {
      expect(select("@.a == '5.0'", [{ a: 5 }, { a: '5' }, { a: '5.0' }, { a: ' 5' }, { a: 6 }])).toEqual([{ a: 5 }, { a: '5.0' }]);
      expect(select('@.a == 5', [{ a: 5 }, { a: '5' }, { a: '5.0' }, { a: 6 }])).toEqual([{ a: 5 }, { a: '5' }]);
      expect(select('@.a == 0', [{ a: '' }, { a: false }, { a: null }, { a: 0 }])).toEqual([{ a: 0 }]);
      expect(select('@.a == true', [{ a: true }, { a: 1 }, { a: 'true' }])).toEqual([{ a: true }]);
      expect(select('@.a == null', [{ a: null }, { a: 0 }, {}])).toEqual([{ a: null }]);
      expect(select('@.a != 1', [{ a: 1 }, { a: 2 }, {}])).toEqual([{ a: 2 }, {}]);
    });

    it('compares objects and arrays by content', () => {
      expect(select('@.a == [1, 2]', [{ a: [1, 2] }, { a: [2, 1] }])).toEqual([{ a: [1, 2] }]);
      expect(select('@.a == {"k": "v"}', [{ a: { k: 'v' } }, { a: { k: 'w' } }])).toEqual([{ a: { k: 'v' } }]);
    });

    it('has === and !== compare the kind too', () => {
      expect(select("@.a === '5'", [{ a: 5 }, { a: '5' }])).toEqual([{ a: '5' }]);
      expect(select("@.a !== '5'", [{ a: 5 }, { a: '5' }])).toEqual([{ a: 5 }]);
    });
  });

  describe('what AWS documents as unsupported fails the path, naming it', () => {
    it.each([
      ['@.n =~ /fo.*/', 'regular expressions (=~)'],
      ["@.t in ['a']", "the operator 'in'"],
      ["@.t nin ['a']", "the operator 'nin'"],
      ["@.tags subsetof ['y']", "the operator 'subsetof'"],
      ["@.tags anyof ['x']", "the operator 'anyof'"],
      ["@.tags noneof ['x']", "the operator 'noneof'"],
      ["@.tags contains 'y'", "the operator 'contains'"],
      ['@.tags size 1', "the operator 'size'"],
      ['@.tags empty true', "the operator 'empty'"],
    ])('%s: Step Functions does not support %s', (filter, what) => {
      expect(() => select(filter, [{ t: 'a', n: 'foo', tags: ['x'] }])).toThrow(`Step Functions does not support ${what} in a JSONPath filter`);
    });

    it('a filter reading another value of the document with $', () => {
      expect(() => read('$.l[?(@.id == $.wanted)]', { wanted: 2, l: [{ id: 2 }] })).toThrow('Step Functions does not support a filter that reads another value of the document ($.wanted)');
    });

    it('reads a field named like an operator as a field', () => {
      expect(select('@.size > 1 && @.in', [{ size: 2, in: true }, { size: 2 }])).toEqual([{ size: 2, in: true }]);
    });
  });

  describe('combinations', () => {
    it('binds && tighter than || and groups with parentheses', () => {
      const list = [{ a: 1, b: 1 }, { a: 1 }, { c: 1 }, { b: 1, c: 1 }];
      expect(select('@.c || @.a && @.b', list)).toEqual([{ a: 1, b: 1 }, { c: 1 }, { b: 1, c: 1 }]);
      expect(select('(@.c || @.a) && @.b', list)).toEqual([{ a: 1, b: 1 }, { b: 1, c: 1 }]);
      expect(select('!(@.a == 1)', list)).toEqual([{ c: 1 }, { b: 1, c: 1 }]);
    });

    it('compares two fields of the item', () => {
      expect(select('@.min < @.max', [{ min: 1, max: 2 }, { min: 3, max: 2 }])).toEqual([{ min: 1, max: 2 }]);
    });

    it('ends the filter at its own parenthesis, not at one inside a string', () => {
      expect(read("$.l[?(@.s == 'a)]b')].s", { l: [{ s: 'a)]b' }, { s: 'c' }] })).toEqual(['a)]b']);
    });
  });

  describe('what a filter never selects', () => {
    it('does not match scalar items: @ only matches objects (AWS documentation)', () => {
      expect(read('$.l[?(@ > 1)]', { l: [1, 2, 3] })).toEqual([]);
      expect(select('!@.x', [1, null, 'a', [1], {}])).toEqual([{}]);
    });

    it('does not evaluate functions such as length() on a path in a filter', () => {
      expect(select('@.a.length() > 1', [{ a: [1, 2, 3] }])).toEqual([]);
    });
  });
});

describe('JSONPath negative indexes', () => {
  it('count from the end and name one node, as [0] does', () => {
    expect(read('$.a[-1]', { a: [1, 2, 3] })).toBe(3);
    expect(read('$.a[-3].b', { a: [{ b: 'x' }, 2, 3] })).toBe('x');
  });

  it('name nothing past the start of the array, or on a non-array', () => {
    expect(read('$.a[-4]', { a: [1, 2, 3] })).toBeUndefined();
    expect(read('$.a[-1]', { a: { '-1': 1 } })).toBeUndefined();
  });

  it('in a ResultPath replace the item counted from the end', () => {
    expect(compileResultPath('$.a[-1]')({ a: [1, 2, 3] }, 'r')).toEqual({ a: [1, 2, 'r'] });
    expect(() => compileResultPath('$.a[-4]')({ a: [1, 2, 3] }, 'r')).toThrow(/index -4 is out of bounds/);
  });
});
