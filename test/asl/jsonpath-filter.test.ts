import fc from 'fast-check';
import type { JsonValue } from '../../src/asl/definition-types';
import { compileFilter, FilterSyntaxError } from '../../src/asl/jsonpath-filter';
import { compilePath, type PathScope } from '../../src/asl/path';
import { compileResultPath } from '../../src/asl/result-path';
import { validateDefinition } from '../../src/asl/validate';

const scope = (input: JsonValue): PathScope => ({ input, context: {} });
const read = (path: string, input: JsonValue) => compilePath(path).read(scope(input));
/** The items of `list` a filter selects. */
const select = (filter: string, list: unknown[]) => read(`$.l[?(${filter})]`, { l: list as JsonValue[] }) as JsonValue[];
/** The `t` of each item of `list` a filter selects. */
const namesOf = (filter: string, list: unknown[]) => (select(filter, list) as Array<{ t: string }>).map((i) => i.t);

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

    it('reads the document root with $ inside a filter', () => {
      expect(read('$.l[?(@.id == $.wanted)]', { wanted: 2, l: [{ id: 1 }, { id: 2 }] })).toEqual([{ id: 2 }]);
    });

    it('has === and !== compare the kind too', () => {
      expect(select("@.a === '5'", [{ a: 5 }, { a: '5' }])).toEqual([{ a: '5' }]);
      expect(select("@.a !== '5'", [{ a: 5 }, { a: '5' }])).toEqual([{ a: 5 }]);
    });
  });

  describe('regular expressions', () => {
    it('match the whole string, as Java does, with the i flag for case', () => {
      const list = [{ n: 'foo1' }, { n: 'xfoo' }, { n: 'FOO2' }, { n: 7 }];
      expect(select('@.n =~ /fo.*/', list)).toEqual([{ n: 'foo1' }]);
      expect(select('@.n =~ /fo/', list)).toEqual([]);
      expect(select('@.n =~ /foo.*/i', list)).toEqual([{ n: 'foo1' }, { n: 'FOO2' }]);
    });

    it('keep an @ inside the expression as a character', () => {
      expect(select('@.e =~ /.+@example\\.com/', [{ e: 'a@example.com' }, { e: 'a@example.org' }])).toEqual([{ e: 'a@example.com' }]);
    });
  });

  describe('list and size operators', () => {
    const list = [{ t: 'a', tags: ['x', 'y'] }, { t: 'b', tags: ['y'] }, { t: 'c', tags: [] }];

    it('in and nin test membership in a list', () => {
      expect(namesOf("@.t in ['a', 'c']", list)).toEqual(['a', 'c']);
      expect(namesOf("@.t nin ['a', 'c']", list)).toEqual(['b']);
    });

    it('subsetof, anyof and noneof compare two lists', () => {
      expect(namesOf("@.tags subsetof ['y']", list)).toEqual(['b', 'c']);
      expect(namesOf("@.tags anyof ['x']", list)).toEqual(['a']);
      expect(namesOf("@.tags noneof ['x']", list)).toEqual(['b', 'c']);
    });

    it('contains, size and empty test strings and lists', () => {
      expect(namesOf("@.tags contains 'y'", list)).toEqual(['a', 'b']);
      expect(namesOf('@.tags size 1', list)).toEqual(['b']);
      expect(namesOf('@.tags empty true', list)).toEqual(['c']);
      expect(namesOf("@.t contains 'a'", list)).toEqual(['a']);
    });
  });

  describe('combinations', () => {
    it('binds && tighter than || and groups with parentheses', () => {
      const list = [{ a: 1, b: 1 }, { a: 1 }, { c: 1 }, { b: 1, c: 1 }];
      expect(select('@.c || @.a && @.b', list)).toEqual([{ a: 1, b: 1 }, { c: 1 }, { b: 1, c: 1 }]);
      expect(select('(@.c || @.a) && @.b', list)).toEqual([{ a: 1, b: 1 }, { b: 1, c: 1 }]);
      expect(select('!(@.a == 1)', list)).toEqual([{ c: 1 }, { b: 1, c: 1 }]);
    });

    it('ends the filter at its own parenthesis, not at one inside a string', () => {
      expect(read("$.l[?(@.s == 'a)]b')].s", { l: [{ s: 'a)]b' }, { s: 'c' }] })).toEqual(['a)]b']);
    });
  });

  describe('items that are not objects', () => {
    // AWS's page on paths: "The @ operator ... does not match scalar values. It only matches objects."
    it('are never selected when scalars, as AWS documents: [?(@ > 1)] over [1, 2, 3] selects nothing', () => {
      expect(read('$.l[?(@ > 1)]', { l: [1, 2, 3] })).toEqual([]);
      expect(read("$.l[?(@ == 'a')]", { l: ['a', 'b'] })).toEqual([]);
    });

    it('have no fields: !@.x selects the objects without it and no scalar, @.x selects those with it', () => {
      expect(select('!@.x', [1, null, 'a', {}, { x: 1 }])).toEqual([{}]);
      expect(select('@.x', [1, null, 'a', { x: 1 }])).toEqual([{ x: 1 }]);
    });
  });

  describe('what a filter does not read', () => {
    it('does not evaluate functions such as length() on a path in a filter', () => {
      expect(select('@.a.length() > 1', [{ a: [1, 2, 3] }])).toEqual([]);
    });
  });

  // Each form as Jayway JsonPath's FilterCompiler reads it (readLiteral: ', ", t, f, n, -, {, [, /,
  // else readNumberLiteral) and its EvaluatorFactory evaluates it.
  describe("literals, as Jayway's filter parser reads them", () => {
    it('reads a bare word as the string it spells (Jayway 2.0 inline filters; AWS runs $.Items[?(@.attempt.S==FAIL)])', () => {
      const items: JsonValue[] = [{ id: 1 }, { attempt: { S: 'FAIL' } }, { attempt: { S: 'OK' } }];
      expect(read('$.Items[?(@.attempt.S==FAIL)]', { Items: items })).toEqual([{ attempt: { S: 'FAIL' } }]);
      expect(read('$.Items[?(@.attempt.S==FAIL)]', { Items: [{ id: 1 }, { id: 2 }] })).toEqual([]);
      expect(select('@.lang == es', [{ lang: 'es' }, { lang: 'fr' }])).toEqual([{ lang: 'es' }]);
    });

    it('ends a bare word at &&, || or the closing parenthesis, blanks inside it kept', () => {
      const list = [{ n: 'hello world', t: 1 }, { n: 'x', t: 2 }, { n: 'y', t: 1 }];
      expect(select('@.n == hello world || @.n == x', list)).toEqual([{ n: 'hello world', t: 1 }, { n: 'x', t: 2 }]);
      expect(select('(@.n == y) && @.t == 1', list)).toEqual([{ n: 'y', t: 1 }]);
      expect(select('@.n != x', list)).toEqual([{ n: 'hello world', t: 1 }, { n: 'y', t: 1 }]);
    });

    it('reads true, false and null as themselves, each equal only to its own kind (BooleanNode, NullNode)', () => {
      expect(select('@.a == false', [{ a: false }, { a: 'false' }, { a: 0 }])).toEqual([{ a: false }]);
      expect(select('@.a != null', [{ a: null }, { a: 0 }])).toEqual([{ a: 0 }]);
      expect(select('@.a == trueish', [{ a: true }, { a: 'trueish' }])).toEqual([{ a: 'trueish' }]);
    });

    it('reads numbers as BigDecimal does (-1, .5, 5., 1e3, 1E-3) and compares a string with one by BigDecimal\'s text (NumberNode.asStringNode)', () => {
      expect(select('@.a == 1e3', [{ a: 1000 }, { a: '1000' }, { a: '1E+3' }])).toEqual([{ a: 1000 }, { a: '1E+3' }]);
      expect(select('@.a == 1E-3', [{ a: 0.001 }, { a: '0.001' }])).toEqual([{ a: 0.001 }, { a: '0.001' }]);
      expect(select('@.a > -1 && @.a < .5', [{ a: -1 }, { a: 0 }, { a: 0.5 }])).toEqual([{ a: 0 }]);
      expect(select('@.a == 5.', [{ a: 5 }, { a: '5' }])).toEqual([{ a: 5 }, { a: '5' }]);
      expect(select('@.a == 5.0', [{ a: 5 }, { a: '5' }, { a: '5.0' }])).toEqual([{ a: 5 }, { a: '5.0' }]);
    });

    it("unescapes a quoted string as Jayway's Utils.unescape does (\\n, \\', \\u0041, any other character as itself)", () => {
      const list = [{ s: 'a\nb' }, { s: "it's" }, { s: 'A' }, { s: 'q' }];
      expect(select("@.s == 'a\\nb'", list)).toEqual([{ s: 'a\nb' }]);
      expect(select("@.s == 'it\\'s'", list)).toEqual([{ s: "it's" }]);
      expect(select("@.s == '\\u0041'", list)).toEqual([{ s: 'A' }]);
      expect(select("@.s == '\\q'", list)).toEqual([{ s: 'q' }]);
    });

    it("reads a list as json-smart's permissive mode does: either quote, unquoted words", () => {
      const list = [{ t: 'a' }, { t: 'b' }, { t: 3 }, { t: 'c' }, { t: true }];
      expect(select("@.t in [a, 'b', 3, true]", list)).toEqual([{ t: 'a' }, { t: 'b' }, { t: 3 }, { t: true }]);
      expect(select('@.o == {k: v}', [{ o: { k: 'v' } }, { o: { k: 'w' } }])).toEqual([{ o: { k: 'v' } }]);
    });
  });

  describe("operators, as Jayway's EvaluatorFactory evaluates them", () => {
    it('matches =~ against a string, a number\'s text or a boolean\'s word, anything else as "" (RegexpEvaluator.getInput)', () => {
      expect(select('@.v =~ /tr.e/', [{ v: true }, { v: 'true' }, { v: 1 }])).toEqual([{ v: true }, { v: 'true' }]);
      expect(select('@.v =~ /1.5/', [{ v: 1.5 }, { v: '1x5' }])).toEqual([{ v: 1.5 }, { v: '1x5' }]);
      expect(select('@.v =~ /x*/', [{ v: null }, {}, { v: { a: 1 } }, { v: 'y' }])).toEqual([{ v: null }, {}, { v: { a: 1 } }]);
    });

    it('takes the pattern of =~ on either side', () => {
      expect(select('/fo.*/ =~ @.n', [{ n: 'foo' }, { n: 'bar' }])).toEqual([{ n: 'foo' }]);
    });

    it('reads word operators in any case, as RelationalOperator.fromString upper-cases them', () => {
      const list = [{ t: 'a', tags: ['x'] }, { t: 'b', tags: [] }];
      expect(select("@.t IN ['a']", list)).toEqual([list[0]]);
      expect(select("@.tags AnyOf ['x']", list)).toEqual([list[0]]);
      expect(select('@.tags EMPTY true', list)).toEqual([list[1]]);
    });

    it('truncates size\'s number as intValue() does, and gives an object the length -1 (JsonNode.length)', () => {
      expect(select('@.s size 2.9', [{ s: 'ab' }, { s: 'abc' }])).toEqual([{ s: 'ab' }]);
      expect(select('@.s size -1', [{ s: { a: 1 } }, { s: [] }])).toEqual([{ s: { a: 1 } }]);
    });

    it('counts an object with nothing in it as empty (JsonNode.isEmpty)', () => {
      expect(select('@.o empty true', [{ o: {} }, { o: { a: 1 } }, { o: '' }, { o: 0 }])).toEqual([{ o: {} }, { o: '' }]);
    });

    it('has nin keep an item when the right side is an object, which holds no list (!IN)', () => {
      expect(select('@.t nin {"a": 1}', [{ t: 'a' }])).toEqual([{ t: 'a' }]);
      expect(select("@.t nin 'a'", [{ t: 'a' }])).toEqual([]);
    });

    it('has exists compare two booleans (ExistsEvaluator), and selects nothing where Jayway\'s evaluator throws (exists, all, type, matches)', () => {
      expect(select('@.f exists false', [{ f: false }, { f: true }, { f: 0 }])).toEqual([{ f: false }]);
      expect(select("@.tags all ['x']", [{ tags: ['x'] }])).toEqual([]);
      expect(select('@.a type string', [{ a: 'x' }])).toEqual([]);
      expect(select('@.a matches x', [{ a: 'x' }])).toEqual([]);
    });

    it('drops a ! before a compared path, as Jayway does (readValueNode): !@.a == 1 is @.a == 1', () => {
      expect(select('!@.a == 1', [{ a: 1 }, { a: 2 }])).toEqual([{ a: 1 }]);
      expect(select('@.a == !@.b', [{ a: 1, b: 1 }, { a: 1, b: 2 }])).toEqual([{ a: 1, b: 1 }]);
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

describe('JSONPath filter parsing, on any text', () => {
  const tokens = ['@', '$', '.a', '.b', "['a']", '[0]', ' ', '==', '!=', '<', '>=', '=~', '&&', '||', '!', '(', ')', "'x'", '"y"',
    '1', '-2.5', 'true', 'null', '/a.*/i', 'in', 'size', 'empty', "['x', 1]", '{"k": 1}', '.length()', 'es', ']', '[', '\\'];
  const filterText = fc.array(fc.constantFrom(...tokens), { maxLength: 12 }).map((parts) => parts.join(''));
  const item = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 3 }),
    fc.record({ a: fc.oneof(fc.integer(), fc.constantFrom('x', '1', null, true)), b: fc.array(fc.constantFrom('x', 1), { maxLength: 2 }) }));

  it('compiles to a predicate that answers true or false, or fails with FilterSyntaxError, and never hangs', () => {
    fc.assert(fc.property(filterText, fc.array(item, { maxLength: 4 }), (text, items) => {
      let predicate;
      try {
        predicate = compileFilter(text, (path) => { const p = compilePath(path); return (v) => p.read(scope(v as JsonValue)); });
      } catch (e) {
        expect(e).toBeInstanceOf(FilterSyntaxError);
        return;
      }
      for (const i of items) expect(typeof predicate(i, { root: true })).toBe('boolean');
    }), { numRuns: 2000 });
  });
});

describe('JSONPath filter regular expressions on hostile patterns', () => {
  // Backtracking takes about 2^n steps on n a and a !: for 200, more than the age of the universe,
  // so the answer coming back at all is the evidence that RE2 (linear time) ran the pattern.
  it('test /(a+)+$/ against 200 a and a ! in linear time, without freezing the process', () => {
    expect(read('$.l[?(@.s =~ /(a+)+$/)]', { l: [{ s: `${'a'.repeat(200)}!` }, { s: 'aaa' }] })).toEqual([{ s: 'aaa' }]);
  });

  it('still match a pattern RE2 cannot run (a backreference), on JavaScript\'s engine', () => {
    expect(read('$.l[?(@.s =~ /(a)\\1/)]', { l: [{ s: 'aa' }, { s: 'ab' }] })).toEqual([{ s: 'aa' }]);
  });
});

describe('a bare word in a filter, at validate', () => {
  it('is no finding: the ResultSelector $[0].Items[?(@.attempt.S==FAIL)] that AWS accepts and runs validates clean', () => {
    const definition = {
      StartAt: 'Tally',
      States: {
        Tally: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
          ResultSelector: { 'FailureItems.$': '$[0].Items[?(@.attempt.S==FAIL)]' },
          End: true,
        },
      },
    };
    expect(validateDefinition(definition as never).filter((f) => f.severity === 'error')).toEqual([]);
    expect(compilePath('$[0].Items[?(@.attempt.S==FAIL)]').unparsed).toBeUndefined();
  });
});

describe('an @ outside a filter or a script', () => {
  // Jayway reads `@` only in a filter or a script; jsonpath-plus reads a step starting with it as a
  // type selector (`..@string()`), and `@` alone failed the run with "Unknown value type" (found by the
  // property above: the filter `@[@]` on the item -1).
  it('is a path syntax error, in a path and in a filter\'s path', () => {
    for (const path of ['$[@]', '$.a[@]', '$..@string()', '$[ @]']) expect(() => compilePath(path)).toThrow(/'@' names the current item only inside a filter/);
    expect(() => compileFilter('@[@]', (path) => { const p = compilePath(path); return (v) => p.read(scope(v as JsonValue)); })).toThrow(FilterSyntaxError);
    expect(read('$.l[?(@.a)]', { l: [{ a: 1 }, { b: 2 }] })).toEqual([{ a: 1 }]);
    expect(read('$.l[(@.length-1)]', { l: [1, 2, 3] })).toEqual([3]);
    expect(read("$['@'].x", { '@': { x: 1 } })).toBe(1);
  });
});
