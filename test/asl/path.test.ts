import type { JsonValue } from '../../src/asl/definition-types';
import { compilePath, compileReferencePath, followSteps, PathSyntaxError, stepsReader, type PathScope, type Step } from '../../src/asl/path';
import { compileResultPath, ResultPathError } from '../../src/asl/result-path';
import { VariableStore } from '../../src/asl/variables';

const scope = (input: JsonValue, extra: Partial<PathScope> = {}): PathScope => ({ input, context: {}, ...extra });
const read = (path: string, input: JsonValue, extra: Partial<PathScope> = {}) => compilePath(path).read(scope(input, extra));

describe('JSONPath paths', () => {
  it('reads definite paths with dots, brackets, quoted names and indexes', () => {
    const doc = { 'a': { 'b c': [10, { d: 'x' }] }, "it's": 1, 'q"d': 2 };
    expect(read('$', doc)).toBe(doc);
    expect(read('$.a.b c', doc)).toEqual([10, { d: 'x' }]);
    expect(read("$.a['b c'][1].d", doc)).toBe('x');
    expect(read('$["a"]["b c"][0]', doc)).toBe(10);
    expect(read("$['it\\'s']", doc)).toBe(1);
    expect(read('$["q\\"d"]', doc)).toBe(2);
  });

  it('keeps other backslashes in a quoted name literal, as AWS reads them', () => {
    expect(read("$['a\\\\b']", { 'a\\\\b': 1, 'a\\b': 2 })).toBe(1);
  });

  it('returns undefined for a definite path that names nothing', () => {
    expect(read('$.a.b', { a: {} })).toBeUndefined();
    expect(read('$.a[3]', { a: [1] })).toBeUndefined();
    expect(read('$.a.b', { a: 'text' })).toBeUndefined();
    expect(read('$.toString', {})).toBeUndefined();
  });

  it('never reads what an object inherits: constructor and __proto__ name nothing unless the document has them', () => {
    expect(read('$.constructor', {})).toBeUndefined();
    expect(read('$.a.hasOwnProperty', { a: {} })).toBeUndefined();
    expect(read('$.__proto__', {})).toBeUndefined();
    const own = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}') as JsonValue;
    expect(read('$.__proto__.x', own)).toBe(1);
    expect(read('$.constructor', own)).toBe(2);
  });

  it('reads a dot before a bracket as the bracket alone ($.[0], $.a.[1]), as AWS does', () => {
    expect(read('$.[0]', [7])).toBe(7);
    expect(read('$.a.[1]', { a: [1, 2] })).toBe(2);
    expect(read("$.['x']", { x: 3 })).toBe(3);
  });

  it('keeps a recursive descent before a bracket ($..[0])', () => {
    expect(read('$..[0]', { a: [1, 2], b: [3] })).toEqual([1, 3]);
  });

  it('runs filters with the safe evaluator, no script evaluation', () => {
    expect(read('$.items[?(@.n > 1)].n', { items: [{ n: 1 }, { n: 2 }, { n: 3 }] })).toEqual([2, 3]);
    expect(read("$.items[?(@.kind == 'a')]", { items: [{ kind: 'a' }, { kind: 'b' }] })).toEqual([{ kind: 'a' }]);
  });

  it('gives [] for a wildcard or slice that matches nothing, as AWS does', () => {
    expect(read('$.items[*].id', { items: [] })).toEqual([]);
    expect(read('$.items[5:9]', { items: [1] })).toEqual([]);
    expect(read('$.items[?(@.n > 9)]', { items: [{ n: 1 }] })).toEqual([]);
  });

  it('selects no characters of a string in an indefinite path, as AWS selects only from objects and arrays', () => {
    expect(read('$.a[0,1]', { a: 'xyz' })).toEqual([]);
    expect(read('$.items[*][0,1]', { items: ['ab', [1, 2]] })).toEqual([1, 2]);
    expect(read('$.*', { a: 'xyz' })).toEqual(['xyz']);
  });

  describe("unions of names, as Jayway's PropertyPathToken reads them", () => {
    const doc: JsonValue = { a: { 'b': 1, 'x.y': 5, "q'u": 7, 'arr': [1] }, items: [{ n: 1, x: 'a' }, { n: 2 }, 'text'], s: 'str' };

    it('merges the names at the end of a path into one object of those present (multiPropertyMergeCase)', () => {
      expect(read("$.a['b','x.y']", doc)).toEqual({ 'b': 1, 'x.y': 5 });
      expect(read("$.a[ 'b' , \"q'u\", 'none' ]", doc)).toEqual({ 'b': 1, "q'u": 7 });
      expect(read("$.a['none','other']", doc)).toEqual({});
    });

    it('names nothing when the node before a merge is not an object, so the path is not found', () => {
      expect(read("$.s['a','b']", doc)).toBeUndefined();
      expect(read("$.missing['a','b']", doc)).toBeUndefined();
    });

    it('merges under each node of an indefinite path, leaving out what is not an object', () => {
      expect(read("$.items[*]['n','x']", doc)).toEqual([{ n: 1, x: 'a' }, { n: 2 }]);
      expect(read("$.items[?(@.n > 1)]['n','x']", doc)).toEqual([{ n: 2 }]);
    });

    it('takes the names one after the other inside a path, the rest read under each (multiPropertyIterationCase)', () => {
      expect(read("$['a','items'][0]", doc)).toEqual([{ n: 1, x: 'a' }]);
      expect(read("$['items','a','none'].arr", doc)).toEqual([[1]]);
    });

    it('keeps a union out of reference paths', () => {
      expect(() => compileReferencePath("$.a['b','c']")).toThrow(/a reference path names a single node/);
    });
  });

  it('reads blanks in an index list as Jayway does ([0, 2] is [0,2])', () => {
    expect(read('$.a[0, 2]', { a: [10, 20, 30] })).toEqual([10, 30]);
  });

  it('gives an array no fields: length is not one (Jayway reads a property of an array as nothing)', () => {
    expect(read('$.m[*].length', { m: [[1, 2], [3]] })).toEqual([]);
    expect(read('$..length', { m: [[1, 2]], o: { length: 4 } })).toEqual([4]);
    expect(read('$.m.length', { m: [1] })).toBeUndefined();
  });

  it('reads the Context Object with $$ and variables with $name', () => {
    const variables = new VariableStore(undefined, { order: { id: 'o-1' } });
    expect(read('$$.Execution.Name', {}, { context: { Execution: { Name: 'run-1' } } })).toBe('run-1');
    expect(read('$order.id', {}, { variables })).toBe('o-1');
    expect(read('$missing', {}, { variables })).toBeUndefined();
  });

  it('refuses malformed paths with a PathSyntaxError naming the path', () => {
    expect(() => compilePath('a.b')).toThrow(new PathSyntaxError('a.b', "a path starts with '$'"));
    expect(() => compilePath('$.a[')).toThrow(/Invalid JSONPath '\$\.a\[': missing '\]'/);
    expect(() => compilePath('$.a.')).toThrow(/empty field name/);
  });

  it('compiles a reference path only when it names a single node', () => {
    expect(compileReferencePath('$.a[0]').steps).toEqual(['a', 0]);
    expect(() => compileReferencePath('$.a[*]')).toThrow(/a reference path names a single node/);
  });
});

describe('compiled step readers', () => {
  const own = JSON.parse('{"__proto__": {"x": 1}}') as JsonValue;
  const values: JsonValue[] = [
    null, 1, 'text', true, [], {}, [10, [20, 30], { a: 1 }], own,
    { a: { 'b c': [10, { d: 'x' }], 'q"d': 2, '\u2028': 3 }, n: null, arr: [1, 2, 3], 0: 'zero', length: 4 },
  ];
  const stepLists: Step[][] = [
    ['a'], ['a', 'b c', 1, 'd'], ['a', 'q"d'], ['a', '\u2028'], ['arr', -1], ['arr', -4], ['arr', 5], [2, 'a'], [1, -1], ['0'], [0],
    ['n', 'x'], ['constructor'], ['a', 'toString'], ['length'], ['arr', 'length'], ['__proto__'], ['__proto__', 'x'], ['a', '__proto__'],
    ['"]; return 1; //'], ['a', '${x}'],
  ];

  it('reads what followSteps reads, for every kind of step and value, inherited names and odd characters included', () => {
    for (const steps of stepLists) {
      const reader = stepsReader(steps);
      for (const value of values) expect([steps, value, reader(value)]).toEqual([steps, value, followSteps(value, steps)]);
    }
    // Spot checks that the comparison above compares something.
    expect(stepsReader(['a', 'b c', 1, 'd'])(values[8])).toBe('x');
    expect(stepsReader(['arr', -1])(values[8])).toBe(3);
    expect(stepsReader(['constructor'])({})).toBeUndefined();
    expect(stepsReader(['__proto__', 'x'])(own)).toBe(1);
    expect(stepsReader(['__proto__'])({})).toBeUndefined();
  });

  it('shares one reader between paths with the same steps', () => {
    expect(stepsReader(['shared', 'steps', 0])).toBe(stepsReader(['shared', 'steps', 0]));
    expect(stepsReader(['shared', 'steps', 0])).not.toBe(stepsReader(['shared', 'steps', 1]));
  });
});

describe('ResultPath', () => {
  it('replaces the input with $ (or no ResultPath) and keeps the input with null', () => {
    expect(compileResultPath('$')({ a: 1 }, { r: 1 })).toEqual({ r: 1 });
    expect(compileResultPath(undefined)({ a: 1 }, 5)).toBe(5);
    const input = { a: 1 };
    expect(compileResultPath(null)(input, 5)).toBe(input);
  });

  it('places the result at a path, creating missing objects, without mutating the input', () => {
    const input = { a: { keep: [1] }, other: { x: 1 } };
    const out = compileResultPath('$.a.b.c')(input, 'r') as { a: { keep: number[]; b: { c: string } }; other: object };
    expect(out).toEqual({ a: { keep: [1], b: { c: 'r' } }, other: { x: 1 } });
    expect(input).toEqual({ a: { keep: [1] }, other: { x: 1 } });
    expect(out.other).toBe(input.other); // untouched branches are shared, not copied
    expect(out.a.keep).toBe(input.a.keep);
  });

  it('sets a one-field ResultPath on a shallow copy, sharing the other fields and leaving the input as it was', () => {
    const input = { a: 1, keep: { deep: true } };
    const out = compileResultPath('$.r')(input, 'x') as Record<string, unknown>;
    expect(out).toEqual({ a: 1, keep: { deep: true }, r: 'x' });
    expect(out.keep).toBe(input.keep);
    expect(input).toEqual({ a: 1, keep: { deep: true } });
    expect(compileResultPath('$.a')({ a: 1 }, null)).toEqual({ a: null });
  });

  it('fails with a ResultPathError when the path runs into a value that is not an object', () => {
    expect(() => compileResultPath('$.a.b')({ a: 'text' }, 1)).toThrow(ResultPathError);
    expect(() => compileResultPath('$.a')('text', 1)).toThrow(ResultPathError);
    expect(() => compileResultPath('$.a')(null, 1)).toThrow(ResultPathError);
    expect(() => compileResultPath('$.a')([1], 1)).toThrow(ResultPathError);
  });

  it('refuses a ResultPath rooted in a variable or the Context Object', () => {
    expect(() => compileResultPath('$$.State')).toThrow(/a ResultPath starts with '\$\.'/);
  });
});
