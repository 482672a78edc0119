import { indentChars, pretty, PRETTY_ADDED_CHARS } from '../../../console/app/dom';

/** `count` arrays, each `depth` deep, in one array: the text AWS takes (1,000 levels at most). */
function deepArrays(count: number, depth: number): string {
  const one = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  return `[${Array(count).fill(one).join(',')}]`;
}

describe('the console\'s pretty-printing of a payload', () => {
  it('counts exactly the characters JSON.stringify adds with an indent of 2', () => {
    const values = [
      { a: [1, { b: [], c: {} }, 'x'], d: { e: { f: null } } },
      [[[[1]]], [], {}, [{ g: [2, 3] }]],
      'text', 7, null, [], {},
      JSON.parse('{"__proto__": {"h": [1]}, "i": 2}'),
    ];
    for (const value of values) {
      expect(indentChars(value, Infinity)).toBe(JSON.stringify(value, null, 2).length - JSON.stringify(value).length);
    }
  });

  it('pretty-prints a payload whose indents stay under the bound', () => {
    const text = JSON.stringify({ order: { items: [{ id: 1 }, { id: 2 }] } });
    expect(pretty(text)).toBe(JSON.stringify(JSON.parse(text), null, 2));
  });

  it('shows 250 KB of arrays 998 deep as written, not as 250 M characters of indents', () => {
    const text = deepArrays(125, 998);
    expect(text.length).toBeLessThan(256 * 1024);
    const shown = pretty(text);
    expect(shown.length).toBeLessThanOrEqual(text.length + PRETTY_ADDED_CHARS);
    expect(shown).toBe(text);
  });

  it('stops counting once past the bound, a walk of a few of the values', () => {
    expect(indentChars(JSON.parse(deepArrays(125, 998)), 1000)).toBe(Infinity);
  });

  it('shows a text that is not JSON as it is', () => {
    expect(pretty('{not json')).toBe('{not json');
    expect(pretty(undefined)).toBe('');
  });
});
