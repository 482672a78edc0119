import { createHash } from 'node:crypto';
import type { JsonValue } from '../../src/asl/definition-types';
import { compileIntrinsic, IntrinsicSyntaxError, isIntrinsicCall, literalDoubts } from '../../src/asl/intrinsics/compile';
import { MAX_CALL_DEPTH } from '../../src/asl/intrinsics/parser';
import type { PathScope } from '../../src/asl/path';
import { seededRandom } from '../../src/asl/random';
import { StatesError } from '../../src/asl/states-errors';
import { VariableStore } from '../../src/asl/variables';

function run(expression: string, input: JsonValue = {}, extra: Partial<PathScope> = {}): JsonValue {
  return compileIntrinsic(expression)({ input, context: {}, random: seededRandom(1), ...extra });
}

function failure(expression: string, input: JsonValue = {}): StatesError {
  try {
    run(expression, input);
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error(`${expression} did not fail`);
}

function syntaxError(expression: string): IntrinsicSyntaxError {
  try {
    compileIntrinsic(expression);
  } catch (e) {
    if (e instanceof IntrinsicSyntaxError) return e;
    throw e;
  }
  throw new Error(`${expression} compiled`);
}

describe('isIntrinsicCall', () => {
  it('recognises a call by its States. prefix', () => {
    expect(isIntrinsicCall("States.Format('x')")).toBe(true);
    expect(isIntrinsicCall('$.States')).toBe(false);
  });
});

describe('intrinsic call parser', () => {
  it('reads string, number, boolean and null literals', () => {
    expect(run("States.Array('a', 1, -2.5, 1e2, true, false, null)")).toEqual(['a', 1, -2.5, 100, true, false, null]);
  });

  it("unescapes \\', \\{, \\} and \\\\ in string literals", () => {
    expect(run("States.Array('it\\'s', '\\{x\\}', 'a\\\\b')")).toEqual(["it's", '{x}', 'a\\b']);
  });

  it('reads paths into the input, the context object and variables', () => {
    const variables = new VariableStore(undefined, { v: { y: 3 } });
    expect(run('States.Array($, $.a, $$.Execution.Name, $v.y)', { a: 1 }, { context: { Execution: { Name: 'e' } }, variables }))
      .toEqual([{ a: 1 }, 1, 'e', 3]);
  });

  it('reads paths with brackets, quotes and filters as one argument', () => {
    expect(run("States.Array($['a, b'], $.items[?(@.n > 1)])", { 'a, b': 1, 'items': [{ n: 1 }, { n: 2 }] })).toEqual([1, [{ n: 2 }]]);
  });

  it('evaluates nested calls', () => {
    expect(run("States.ArrayGetItem(States.StringSplit($.s, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($.s, '-')), -1))", { s: 'a-b-c' }))
      .toBe('c');
  });

  it('accepts whitespace around arguments and names', () => {
    expect(run("  States.Array( 1 ,'x' , $.a )  ", { a: 2 })).toEqual([1, 'x', 2]);
  });

  it.each([
    ['States.Nope(1)', /States\.Nope: unknown function/],
    ['States.Array(1', /missing '\)' to close States\.Array/],
    ['States.Array(1))', /unexpected '\)' after the closing/],
    ['States.Array(1,)', /argument 2 of States\.Array is empty/],
    ["States.Array('abc)", /unterminated string in argument 1 of States\.Array/],
    ["States.Array('a\\nb')", /argument 1 of States\.Array has an open escape/],
    ['States.Array(1x)', /argument 1 of States\.Array has unexpected 'x'/],
    ['States.Array(foo)', /argument 1 of States\.Array must be a 'string'/],
    ['States.Array($.a[)', /argument 1 of States\.Array is not a valid path/],
    ['$.a', /a call starts with 'States\.'/],
    ['States.Array 1', /expected '\(' after States\.Array/],
  ])('rejects %s at compile time', (expression, message) => {
    expect(syntaxError(expression).message).toMatch(message);
  });

  it('names the function and argument when a literal has the wrong type', () => {
    expect(syntaxError("States.ArrayLength('abc')").message)
      .toBe("Invalid intrinsic function call 'States.ArrayLength('abc')': States.ArrayLength: argument 1 ('array') must be an array, got a string \"abc\"");
  });

  it.each([
    ['States.UUID(1)', /States\.UUID: takes 0 argument\(s\), got 1/],
    ['States.MathAdd(1)', /States\.MathAdd: takes 2 argument\(s\), got 1/],
    ['States.MathRandom(1, 2, 3, 4)', /States\.MathRandom: takes 2 to 3 argument\(s\), got 4/],
    ['States.Format()', /States\.Format: takes at least 1 argument\(s\), got 0/],
  ])('rejects the wrong number of arguments in %s', (expression, message) => {
    expect(syntaxError(expression).message).toMatch(message);
  });

  it(`refuses calls nested more than ${MAX_CALL_DEPTH} deep as a syntax error, not by running out of stack`, () => {
    const nested = (n: number): string => `${'States.Array('.repeat(n)}1${')'.repeat(n)}`;
    expect(run(nested(MAX_CALL_DEPTH))).toEqual(JSON.parse(`${'['.repeat(MAX_CALL_DEPTH)}1${']'.repeat(MAX_CALL_DEPTH)}`));
    expect(syntaxError(nested(MAX_CALL_DEPTH + 1)).message).toMatch(`nested more than ${MAX_CALL_DEPTH} deep`);
    expect(syntaxError(nested(20_000)).message).toMatch(`nested more than ${MAX_CALL_DEPTH} deep`);
  });

  it('checks calls nested inside other calls at compile time', () => {
    expect(syntaxError('States.Array(States.MathAdd(1))').message).toMatch(/States\.MathAdd: takes 2/);
  });

  it('parses once: evaluating the closure again gives fresh results without re-parsing', () => {
    const f = compileIntrinsic("States.Format('{}-{}', $.a, $.b)");
    expect(f({ input: { a: 1, b: 2 }, context: {} })).toBe('1-2');
    expect(f({ input: { a: 'x', b: 'y' }, context: {} })).toBe('x-y');
  });
});

describe('path arguments that name nothing', () => {
  it('fail with States.Runtime in the words AWS uses: the function as written, the path and the input', () => {
    const e = failure("States.Format('{}', $.missing)", { a: 1 });
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toBe("The function 'States.Format('{}', $.missing)' had the following error: The JsonPath argument for the field '$.missing' could not be found in the input '{\"a\":1}'");
    expect(e.inState).toBe(true);
  });

  it('name the whole expression, not the inner call that took the argument', () => {
    const e = failure("States.Format('{}',States.Array($.missing))", { a: 1 });
    expect(e.cause).toMatch(/^The function 'States.Format\('\{\}',States.Array\(\$.missing\)\)' had the following error: The JsonPath argument for the field '\$.missing'/);
  });

  it('call the Context Object of a $$ path "the input", as AWS does, and show it', () => {
    expect(failure('States.Array($$.Nope)').cause).toBe("The function 'States.Array($$.Nope)' had the following error: The JsonPath argument for the field '$$.Nope' could not be found in the input '{}'");
  });
});

describe('runtime argument types', () => {
  it('fail with States.Runtime naming the function, argument and value', () => {
    const e = failure('States.ArrayLength($.a)', { a: 'abc' });
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toBe("Invalid arguments in States.ArrayLength: argument 1 ('array') must be an array, got a string \"abc\"");
  });

  it('treat a nested call result like any other value', () => {
    expect(failure("States.ArrayLength(States.Format('x'))").cause).toMatch(/must be an array, got a string "x"/);
  });
});

describe('States.Format', () => {
  it('replaces each {} with the next value', () => {
    expect(run("States.Format('Hello {}, welcome to {}!', $.n, $.p)", { n: 'John', p: 'here' })).toBe('Hello John, welcome to here!');
  });

  it('prints null, booleans and numbers as JSON does', () => {
    expect(run("States.Format('{} {} {} {}', null, true, 1, 1.1)")).toBe('null true 1 1.1');
  });

  it('prints objects and arrays as AWS does: {k=v, k2=v2} and [a, b], strings unquoted', () => {
    expect(run("States.Format('{} {}', $.o, $.a)", { o: { Arg1: 1, Arg2: [], s: 'x', n: null }, a: ['a', { b: [1, 2] }] }))
      .toBe('{Arg1=1, Arg2=[], s=x, n=null} [a, {b=[1, 2]}]');
  });

  it('keeps escaped braces in a literal template as braces, not placeholders', () => {
    expect(run("States.Format('\\{\\} {}', 'v')")).toBe('{} v');
  });

  it('takes its template from a path', () => {
    expect(run("States.Format($.t, 'Pikachu')", { t: "It's {}!" })).toBe("It's Pikachu!");
  });

  it('rejects a literal template whose placeholders do not match the values at compile time', () => {
    expect(syntaxError("States.Format('{} {}', 1)").message).toMatch(/States\.Format: the template has 2 placeholder\(s\) '\{\}' but 1 value\(s\) follow it/);
  });

  it('fails with States.Runtime when a template from a path does not match the values', () => {
    expect(failure('States.Format($.t, 1)', { t: 'none' }).cause).toMatch(/the template 'none' has 0 placeholder\(s\)/);
  });
});

describe('States.StringToJson and States.JsonToString', () => {
  // AWS-validated in LocalStack's test_string_to_json (inputs "" and " "): a blank string is null.
  it('parses an empty or whitespace-only string to null', () => {
    expect(run('States.StringToJson($.s)', { s: '' })).toBeNull();
    expect(run('States.StringToJson($.s)', { s: ' \n\t' })).toBeNull();
  });
  it('parses a JSON string', () => {
    expect(run('States.StringToJson($.s)', { s: '{"a":[1,null]}' })).toEqual({ a: [1, null] });
  });

  it('fails with States.Runtime on text that is not JSON', () => {
    expect(failure('States.StringToJson($.s)', { s: '{nope' }).cause).toMatch(/^Invalid arguments in States\.StringToJson: the value '\{nope' is not valid JSON/);
  });

  it('serialises any value compactly', () => {
    expect(run('States.JsonToString($.v)', { v: { a: [1, 'x'], b: null } })).toBe('{"a":[1,"x"],"b":null}');
    expect(run('States.JsonToString($.v)', { v: 'x' })).toBe('"x"');
  });
});

describe('array intrinsics', () => {
  it('States.Array collects its arguments, or none', () => {
    expect(run('States.Array()')).toEqual([]);
    expect(run('States.Array($.a, 2)', { a: { x: 1 } })).toEqual([{ x: 1 }, 2]);
  });

  it('States.ArrayPartition cuts an array into chunks, the last one shorter', () => {
    expect(run('States.ArrayPartition($.a, 2)', { a: [1, 2, 3] })).toEqual([[1, 2], [3]]);
  });

  it('States.ArrayPartition with a literal chunk size of 0 or less compiles and fails when run', () => {
    // AWS's answer at CreateStateMachine is not recorded: the call loads, and the validator warns.
    expect(literalDoubts('States.ArrayPartition($.a, 0)')).toEqual(["'States.ArrayPartition($.a, 0)': the chunk size must be greater than 0, got 0"]);
    expect(literalDoubts('States.ArrayPartition($.a, -2)')).toHaveLength(1);
    expect(failure('States.ArrayPartition($.a, 0)', { a: [1] })).toMatchObject({ error: 'States.Runtime', cause: 'Invalid arguments in States.ArrayPartition: the chunk size must be greater than 0, got 0' });
    expect(literalDoubts('States.ArrayPartition($.a, 1)')).toEqual([]);
  });

  it('States.ArrayPartition fails with States.Runtime on a chunk size below 1 from a path', () => {
    expect(failure('States.ArrayPartition($.a, $.n)', { a: [1], n: -1 }).cause).toMatch(/chunk size must be greater than 0, got -1/);
  });

  it('States.ArrayPartition takes a fractional chunk size read from a path by its integer part', () => {
    expect(run('States.ArrayPartition($.a, $.n)', { a: [1, 2, 3], n: 1.5 })).toEqual([[1], [2], [3]]);
    expect(failure('States.ArrayPartition($.a, $.n)', { a: [1], n: '2' }).cause).toMatch(/argument 2 \('chunkSize'\) must be a number, got a string "2"/);
  });

  it('States.ArrayContains compares values structurally', () => {
    expect(run('States.ArrayContains($.a, $.v)', { a: [{ x: 1, y: [2] }], v: { y: [2], x: 1 } })).toBe(true);
    expect(run('States.ArrayContains($.a, $.v)', { a: [[1, 2]], v: [2, 1] })).toBe(false);
  });

  it('States.ArrayRange counts from start to end inclusive by step', () => {
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayRange(0, 10, 3)')).toEqual([0, 3, 6, 9]);
    expect(run('States.ArrayRange(5, 1, -2)')).toEqual([5, 3, 1]);
    expect(run('States.ArrayRange(5, 1, 1)')).toEqual([]);
  });

  it('States.ArrayRange allows 1000 items and fails with States.Runtime on 1001', () => {
    expect((run('States.ArrayRange(1, 1000, 1)') as number[]).length).toBe(1000);
    expect(failure('States.ArrayRange(0, 1000, 1)').cause).toBe('Invalid arguments in States.ArrayRange: the range would have 1001 items; at most 1000 are allowed');
  });

  // A public catalogue run against AWS: a chunk size of 2.6 or 2.4 partitions by 2; 0.6 fails.
  it('States.ArrayPartition drops the fraction of its chunk size, as AWS does', () => {
    for (const size of ['2.6', '2.4']) expect(run(`States.ArrayPartition($.a, ${size})`, { a: [1, 2, 3, 4, 5] })).toEqual([[1, 2], [3, 4], [5]]);
    expect(failure('States.ArrayPartition($.a, 0.6)', { a: [1, 2, 3] }).cause).toBe('Invalid arguments in States.ArrayPartition: the chunk size must be greater than 0, got 0');
  });

  // A public catalogue run against AWS: (1.6, 1.4, 1) is [1], (5.4, -0.6, -2.4) is [5, 3, 1], (1, 10, 0.49) fails.
  it('States.ArrayRange drops the fraction of its arguments, as AWS does', () => {
    expect(run('States.ArrayRange(1.6, 1.4, 1)')).toEqual([1]);
    expect(run('States.ArrayRange(5.4, -0.6, -2.4)')).toEqual([5, 3, 1]);
    expect(run('States.ArrayRange(1.4, 5.6, 2.2)')).toEqual([1, 3, 5]);
    expect(failure('States.ArrayRange(1, 10, 0.49)').cause).toBe('Invalid arguments in States.ArrayRange: the step must not be 0');
  });

  it('States.ArrayRange rejects a step of 0', () => {
    expect(literalDoubts('States.ArrayRange(1, 2, 0)')).toEqual(["'States.ArrayRange(1, 2, 0)': the step must not be 0"]);
    expect(failure('States.ArrayRange(1, 2, 0)')).toMatchObject({ error: 'States.Runtime', cause: 'Invalid arguments in States.ArrayRange: the step must not be 0' });
    expect(failure('States.ArrayRange(1, 2, $.s)', { s: 0 }).cause).toMatch(/the step must not be 0/);
  });

  it('States.ArrayGetItem returns the item at an index', () => {
    expect(run('States.ArrayGetItem($.a, 1)', { a: ['x', 'y'] })).toBe('y');
  });

  it('States.ArrayGetItem fails with States.Runtime past the end', () => {
    expect(failure('States.ArrayGetItem($.a, 2)', { a: ['x', 'y'] }).cause)
      .toBe('Invalid arguments in States.ArrayGetItem: the index 2 is out of bounds for an array of 2 item(s)');
  });

  // A public catalogue run against AWS: 1.2 of [10, 20, 30] is 20; 999 of [] is null; 3 of [10, 20, 30] fails.
  it('States.ArrayGetItem drops an index\'s fraction and gives null for an empty array, as AWS does', () => {
    expect(run('States.ArrayGetItem($.a, 1.2)', { a: [10, 20, 30] })).toBe(20);
    expect(run('States.ArrayGetItem($.a, $.i)', { a: [10, 20, 30], i: 2.9 })).toBe(30);
    expect(run('States.ArrayGetItem($.a, 999)', { a: [] })).toBeNull();
    expect(failure('States.ArrayGetItem($.a, 3)', { a: [10, 20, 30] }).error).toBe('States.Runtime');
  });

  it('States.ArrayGetItem with a negative literal index compiles and fails when run', () => {
    expect(literalDoubts('States.ArrayGetItem($.a, -1)')).toEqual(["'States.ArrayGetItem($.a, -1)': the index -1 is out of bounds"]);
    expect(failure('States.ArrayGetItem($.a, -1)', { a: [1] })).toMatchObject({ error: 'States.Runtime', cause: 'Invalid arguments in States.ArrayGetItem: the index -1 is out of bounds for an array of 1 item(s)' });
    expect(failure('States.ArrayGetItem($.a, -1)', { a: [] }).error).toBe('States.Runtime');
  });

  it('States.ArrayLength counts items', () => {
    expect(run('States.ArrayLength($.a)', { a: [null, null, 1] })).toBe(3);
  });

  it('States.ArrayUnique keeps the first of structurally equal items', () => {
    expect(run('States.ArrayUnique($.a)', { a: [1, 1, null, null, { a: 1, b: 2 }, { b: 2, a: 1 }, [1], [1], '1'] }))
      .toEqual([1, null, { a: 1, b: 2 }, [1], '1']);
  });

  it('States.ArrayUnique tells a number, a string and an object of the same text apart', () => {
    expect(run('States.ArrayUnique($.a)', { a: [1, '1', [1], { 1: 1 }, { 1: '1' }, -0, 0, true, 'true', {}, [], ''] }))
      .toEqual([1, '1', [1], { 1: 1 }, { 1: '1' }, -0, true, 'true', {}, [], '']);
  });

  it('States.ArrayUnique reads each item a bounded number of times, not once per item kept before it', () => {
    // Comparing every item with every one kept held the event loop for seconds on a 256 KiB
    // payload; the count of key reads says so without timing anything.
    let keyReads = 0;
    const items = Array.from({ length: 2_000 }, (_, i) => new Proxy({ i } as Record<string, JsonValue>, {
      ownKeys: (target) => {
        keyReads++;
        return Reflect.ownKeys(target);
      },
    }));
    const unique = run('States.ArrayUnique($.a)', { a: items }) as JsonValue[];
    expect(unique).toHaveLength(2_000);
    expect(keyReads).toBeLessThanOrEqual(2 * items.length);
  });
});

describe('encoding and hashing intrinsics', () => {
  it('States.Base64Encode encodes UTF-8 text', () => {
    expect(run("States.Base64Encode('Data to encode')")).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run("States.Base64Encode('é')")).toBe('w6k=');
  });

  it('States.Base64Decode decodes to UTF-8 text', () => {
    expect(run("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).toBe('Data to encode');
  });

  // AWS decodes base64 without its padding (measured on AWS: ministackorg/ministack#1360) and gives a result for
  // 'abc', ' YWJjZA== ', 'ab==cd' and '!!!invalid!!!' (a public catalogue run against AWS; docs/fidelity.md).
  it.each([
    ['aGVsbG8', 'hello', 'padding left out'],
    ['aGk', 'hi', 'a last group of 3 characters'],
    [' YWJjZA== ', 'abcd', 'blanks around it'],
    ['aGVs\nbG8=', 'hello', 'a line break inside it'],
    ['aGk==cd', 'hi', 'padding inside it: the first = ends the data'],
    ['aGV!sbG8=', 'hello', 'a character outside the alphabet'],
    ['eyJzdWIiOiI_Pz4-IiwibiI6MX0', '{"sub":"??>>","n":1}', "a JWT's base64url segment"],
    ['a', '', 'a lone character, 6 bits'],
  ])('States.Base64Decode reads %j as a lenient decoder does (%s)', (text, decoded) => {
    expect(run('States.Base64Decode($.s)', { s: text })).toBe(decoded);
  });

  it('States.Base64Decode runs on any text, as AWS does: a result, not a failure', () => {
    for (const text of ['!!!invalid!!!', 'ab==cd', 'abc', '====', '\u00e9t\u00e9']) {
      expect(typeof run('States.Base64Decode($.s)', { s: text })).toBe('string');
    }
  });

  it('States.Base64Decode fails with States.Runtime on a value that is not text', () => {
    expect(failure('States.Base64Decode($.s)', { s: 12 }).error).toBe('States.Runtime');
  });

  it.each(['Base64Encode', 'Base64Decode'])('States.%s accepts 10,000 characters and fails on 10,001', (fn) => {
    expect(() => run(`States.${fn}($.s)`, { s: 'A'.repeat(10_000) })).not.toThrow();
    expect(failure(`States.${fn}($.s)`, { s: 'A'.repeat(10_001) }).cause).toMatch(/the input has 10001 characters; at most 10000 are allowed/);
  });

  it.each([['MD5', 'md5'], ['SHA-1', 'sha1'], ['SHA-256', 'sha256'], ['SHA-384', 'sha384'], ['SHA-512', 'sha512']])(
    'States.Hash computes %s as lower-case hex', (algorithm, node) => {
      expect(run(`States.Hash('input data', '${algorithm}')`)).toBe(createHash(node).update('input data').digest('hex'));
    });

  it('States.Hash matches the recorded MD5 of "input data"', () => {
    expect(run("States.Hash('input data', 'MD5')")).toBe('812f45842bc6d66ee14572ce20db8e86');
  });

  it('States.Hash fails on an unknown algorithm at run time, literal or from a path', () => {
    expect(literalDoubts("States.Hash('x', 'SHA-3')")).toEqual(["'States.Hash('x', 'SHA-3')': the algorithm 'SHA-3' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"]);
    expect(failure("States.Hash('x', 'SHA-3')").cause).toBe('Invalid arguments in States.Hash: the algorithm \'SHA-3\' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512');
    expect(failure("States.Hash('x', $.a)", { a: 'constructor' }).cause).toMatch(/the algorithm 'constructor' is not one of/);
  });

  // A public catalogue run against AWS: AWS "hashes numeric input by stringifying it" and gives a digest for an object.
  it('States.Hash hashes a value that is not text as its JSON text, as AWS gives a digest for a number and an object', () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(run("States.Hash(123, 'SHA-256')")).toBe(sha('123'));
    expect(run("States.Hash($.n, 'SHA-256')", { n: 3.5 })).toBe(sha('3.5'));
    expect(run("States.Hash($.o, 'SHA-256')", { o: { id: 'a', n: [1, 2] } })).toBe(sha('{"id":"a","n":[1,2]}'));
    expect(run("States.Hash($.o, 'MD5')", { o: {} })).toBe(createHash('md5').update('{}').digest('hex'));
  });

  it('States.Hash still refuses an algorithm that is not text, and States.Base64Encode a number, as AWS does', () => {
    expect(syntaxError("States.Hash('hello', 123)").message).toMatch(/argument 2 \('algorithm'\) must be a string/);
    expect(failure('States.Base64Encode($.n)', { n: 123 }).error).toBe('States.Runtime');
  });

  it('States.Hash fails with States.Runtime on more than 10,000 characters', () => {
    expect(failure("States.Hash($.s, 'MD5')", { s: 'A'.repeat(10_001) }).cause).toMatch(/at most 10000 are allowed/);
  });
});

describe('States.JsonMerge', () => {
  it('merges shallowly: the second object wins whole top-level keys', () => {
    expect(run('States.JsonMerge($.a, $.b, false)', { a: { x: { p: 1 }, y: 1 }, b: { x: { q: 2 } } })).toEqual({ x: { q: 2 }, y: 1 });
  });

  it('compiles a literal deep-merge flag and fails when run', () => {
    expect(literalDoubts('States.JsonMerge($.a, $.b, true)')).toEqual(["'States.JsonMerge($.a, $.b, true)': only shallow merges are supported: the third argument must be false"]);
    expect(failure('States.JsonMerge($.a, $.b, true)', { a: {}, b: {} })).toMatchObject({ error: 'States.Runtime', cause: 'Invalid arguments in States.JsonMerge: only shallow merges are supported: the third argument must be false' });
    expect(literalDoubts('States.JsonMerge($.a, $.b, false)')).toEqual([]);
  });

  it('fails with States.Runtime when the deep-merge flag from a path is true', () => {
    expect(failure('States.JsonMerge($.a, $.b, $.d)', { a: {}, b: {}, d: true }).cause).toMatch(/only shallow merges are supported/);
  });

  it('fails with States.Runtime when an argument is not an object', () => {
    expect(failure('States.JsonMerge($.a, $.b, false)', { a: [], b: {} }).cause).toMatch(/argument 1 \('json1'\) must be an object, got an array/);
  });
});

describe('math intrinsics', () => {
  it.each([
    [1.49, 1.5, 3], [1.5, 1.51, 4], [-1.5, 0, -1], [-1.51, 0, -2], [2.5, 0, 3], [-2.5, 0, -2], [-0.5, 0, 0], [-9, 3, -6],
  ])('rounds MathAdd operands to integers, halves up: %d + %d = %d', (a, b, sum) => {
    expect(run('States.MathAdd($.a, $.b)', { a, b })).toBe(sum);
  });

  /*
   * AWS's intrinsics are Java and take integers; what AWS does with one past a Java int's range
   * (AwsLimits.INTEGER_MIN to INTEGER_MAX) is recorded nowhere, so the call goes on with the value
   * and tells the scope, naming the field, the call and the value; within the range it tells nothing.
   */
  it.each([
    ['States.MathAdd($.a, 1)', { a: 2147483647 }, 2147483648, 'whose sum 2147483648 is past'],
    ['States.MathAdd($.a, 0)', { a: -2147483649 }, -2147483649, 'whose first value -2147483649 is past'],
    ['States.MathAdd($.a, $.b)', { a: 1, b: 3000000000.4 }, 3000000001, 'whose second value 3000000000 is past'],
    ['States.ArrayRange($.a, 2147483648, 1)', { a: 2147483647 }, [2147483647, 2147483648], 'whose end 2147483648 is past'],
    ['States.ArrayRange($.a, 0, -1)', { a: -2147483649 }, [], 'whose start -2147483649 is past'],
    ['States.ArrayGetItem($.a, 2147483648)', { a: [] }, null, 'whose index 2147483648 is past'],
  ])('%s of %j gives %j and tells the scope the value is past the int range', (expression, input, result, told) => {
    const notes: string[] = [];
    expect(compileIntrinsic(expression, 'x.$')({ input, context: {}, random: seededRandom(1), unrecorded: (m) => notes.push(m) })).toEqual(result);
    expect(notes).toEqual([expect.stringContaining(`field 'x.$' calls '${expression}', ${told} a Java int's range (-2,147,483,648 to 2,147,483,647)`)]);
    expect(notes[0]).toContain('what AWS does with it is not recorded');
  });

  it('States.MathRandom with a bound past the int range draws from it and tells the scope', () => {
    const notes: string[] = [];
    const drawn = compileIntrinsic('States.MathRandom($.a, 3000000000)', 'x.$')({ input: { a: 2147483647 }, context: {}, random: seededRandom(1), unrecorded: (m) => notes.push(m) });
    expect(drawn).toBeGreaterThanOrEqual(2147483647);
    expect(drawn).toBeLessThan(3000000000);
    expect(notes).toEqual([expect.stringContaining("calls 'States.MathRandom($.a, 3000000000)', whose end 3000000000 is past")]);
  });

  it.each([
    ['States.MathAdd($.a, 0)', { a: 2147483647 }],
    ['States.MathAdd($.a, -1)', { a: -2147483647 }],
    ['States.MathRandom(-2147483648, 2147483647)', {}],
    ['States.ArrayRange(2147483640, 2147483647, 7)', {}],
    ['States.ArrayGetItem($.a, 2147483647)', { a: [] }],
    ['States.ArrayGetItem($.a, 1)', { a: [1, 2] }],
  ])('%s of %j, within the int range, tells nothing', (expression, input) => {
    const notes: string[] = [];
    compileIntrinsic(expression, 'x.$')({ input, context: {}, random: seededRandom(1), unrecorded: (m) => notes.push(m) });
    expect(notes).toEqual([]);
  });

  it('States.MathAdd past a double\'s range gives the JVM\'s text for the infinity, never null', () => {
    expect(run('States.MathAdd($.a, $.a)', { a: 1e308 })).toBe('Infinity');
    expect(run('States.MathAdd($.a, $.a)', { a: -1e308 })).toBe('-Infinity');
  });

  it('States.MathRandom between bounds further apart than a double reaches draws a finite number between them', () => {
    for (let seed = 0; seed < 20; seed++) {
      const drawn = compileIntrinsic('States.MathRandom(-1e308, 1e308)')({ input: {}, context: {}, random: seededRandom(seed) });
      expect(typeof drawn === 'number' && Number.isFinite(drawn) && drawn >= -1e308 && drawn <= 1e308).toBe(true);
    }
  });

  it('States.ArrayGetItem past the int range on a non-empty array fails as any index past its end does', () => {
    expect(failure('States.ArrayGetItem($.a, 2147483648)', { a: [1] }).cause).toMatch(/the index 2147483648 is out of bounds/);
  });

  it('States.MathAdd fails with States.Runtime on a string operand', () => {
    expect(failure('States.MathAdd($.a, 1)', { a: '1' }).cause).toMatch(/argument 1 \('value1'\) must be a number, got a string "1"/);
  });

  it('States.MathRandom returns an integer from start up to but not including end, from the scope randomness', () => {
    for (let seed = 0; seed < 50; seed++) {
      const v = compileIntrinsic('States.MathRandom(1, 4)')({ input: {}, context: {}, random: seededRandom(seed) }) as number;
      expect(Number.isInteger(v) && v >= 1 && v < 4).toBe(true);
    }
  });

  it('States.MathRandom repeats for the same seed argument whatever the scope randomness', () => {
    const a = compileIntrinsic('States.MathRandom(0, 1000000, 42)')({ input: {}, context: {}, random: seededRandom(1) });
    const b = compileIntrinsic('States.MathRandom(0, 1000000, 42)')({ input: {}, context: {}, random: seededRandom(2) });
    expect(a).toBe(b);
  });

  // A public catalogue run against AWS: MathRandom(1.6, 5.4) can give 1, and MathRandom(1.4, 1.6) fails.
  it('States.MathRandom drops the fraction of its bounds, as AWS does, rather than rounding them', () => {
    const drawn = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      drawn.add(compileIntrinsic('States.MathRandom(1.6, 5.4)')({ input: {}, context: {}, random: seededRandom(seed) }) as number);
    }
    expect([...drawn].sort()).toEqual([1, 2, 3, 4]);
    expect(failure('States.MathRandom(1.4, 1.6)').cause).toBe('Invalid arguments in States.MathRandom: the end (1) must be greater than the start (1)');
  });

  it('States.MathRandom fails with States.Runtime when end is not above start', () => {
    expect(failure('States.MathRandom(5, 5)').cause).toBe('Invalid arguments in States.MathRandom: the end (5) must be greater than the start (5)');
  });
});

describe('States.StringSplit', () => {
  it('splits on any of the delimiter characters and drops empty strings', () => {
    expect(run("States.StringSplit($.s, ',;')", { s: 'a,b;;c,,' })).toEqual(['a', 'b', 'c']);
  });

  it('keeps whitespace and newlines that are not delimiters', () => {
    expect(run("States.StringSplit($.s, ',')", { s: 'x\n,,\ny' })).toEqual(['x\n', '\ny']);
  });
});

describe('States.UUID', () => {
  it('returns a version-4 UUID from the scope randomness, repeatable with a seed', () => {
    const uuid = run('States.UUID()');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run('States.UUID()')).toBe(uuid);
  });

  it('still returns a UUID when the scope has no randomness', () => {
    expect(compileIntrinsic('States.UUID()')({ input: {}, context: {} })).toMatch(/^[0-9a-f-]{36}$/);
  });
});
