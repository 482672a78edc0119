import { jsonSyntaxErrorAt } from '../../src/workbench/common/json-syntax';

describe('where JSON text breaks, found by JSON\'s grammar', () => {
  it.each([
    ['a word', 'hello', 0],
    ['a trailing comma in an object', '{"a":1,}', 7],
    ['a trailing comma in an array', '[1,]', 3],
    ['a literal misspelt', '{"a": tru}', 6],
    ['a number with a leading zero', '[01]', 2],
    ['a key without its colon', '{"a" 1}', 5],
    ['a bad escape', '{"a":"\\x"}', 6],
    ['a raw newline in a string', '"a\nb"', 2],
    ['text after the value', '{} x', 3],
    ['a closing bracket of the other kind', '[1}', 2],
    ['text that ends too early', '{"a":[1', 7],
    ['an unterminated string', '"abc', 4],
  ])('finds %s', (_what, text, offset) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(jsonSyntaxErrorAt(text)).toBe(offset);
  });

  it('finds nothing in JSON that JSON.parse takes', () => {
    for (const text of ['{}', ' [1, -2.5e+3, "a\\u00e9\\n", true, false, null, {"k": []}] ', '"x"', '0']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonSyntaxErrorAt(text)).toBeUndefined();
    }
  });

  it('stays bounded on brackets nested a million levels and more, giving no place', () => {
    expect(jsonSyntaxErrorAt(`${'['.repeat(1_000_001)}x`)).toBeUndefined();
    expect(jsonSyntaxErrorAt(`${'['.repeat(10_000)}x`)).toBe(10_000);
  });
});
