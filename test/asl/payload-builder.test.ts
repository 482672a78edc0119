import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { JsonValue } from '../../src/asl/definition-types';
import { compilePayloadTemplate } from '../../src/asl/payload';
import { StatesError } from '../../src/asl/states-errors';

const fill = (template: JsonValue, input: JsonValue) => compilePayloadTemplate(template)({ input, context: {} });

/** What assigning the fields one by one, in template order, gives: the shape a literal must match. */
function assignedInOrder(entries: Array<[string, JsonValue]>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of entries) out[k] = v;
  return out;
}

describe('payload templates: the object each one builds', () => {
  it('puts fixed fields first, in template order, then path fields in the order AWS gives them', () => {
    const out = fill({ 'n.$': '$.state.n', 'step': 3, 'meta.$': '$.meta', 'nested': { 'v.$': '$.state.n', 'k': 'x' } }, { state: { n: 7 }, meta: { m: 1 } });
    expect(out).toEqual({ n: 7, step: 3, meta: { m: 1 }, nested: { v: 7, k: 'x' } });
    expect(Object.keys(out as object)).toEqual(['step', 'nested', 'meta', 'n']);
    expect(Object.keys((out as { nested: object }).nested)).toEqual(['k', 'v']);
  });

  it('keeps field names that are not identifiers as data, never as code', () => {
    const names = ['a"b', "c'd", 'x\u2028y', '}); throw new Error("injected"); ({', 'constructor', 'toString', '$', 'with space', '\\'];
    const template: Record<string, JsonValue> = {};
    names.forEach((name, i) => { template[i % 2 ? name : `${name}.$`] = i % 2 ? i : '$.v'; });
    const out = fill(template, { v: 'V' }) as Record<string, JsonValue>;
    expect(Object.keys(out).sort()).toEqual([...names].sort());
    // The fixed fields (odd i) come first, in template order.
    expect(Object.keys(out).slice(0, 4)).toEqual(names.filter((_, i) => i % 2));
    names.forEach((name, i) => expect(out[name]).toBe(i % 2 ? i : 'V'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('orders integer-like field names as assigning them one by one would', () => {
    const out = fill({ 'b': 1, '10.$': '$.v', '2': 2, 'a': 3, '1.$': '$.v' }, { v: 0 });
    expect(Object.keys(out as object)).toEqual(Object.keys(assignedInOrder([['b', 1], ['10', 0], ['2', 2], ['a', 3], ['1', 0]])));
  });

  it('orders two templates with the same field names by the kind of each field, not by the first one compiled', () => {
    // The order is worked out once per list of names and kinds: a name that is a path in one
    // template and fixed in the other must not take the other's order.
    const pathFirst = fill({ 'a.$': '$.v', 'b': 1, 'c.$': '$.v' }, { v: 0 });
    const fixedFirst = fill({ 'a': 1, 'b.$': '$.v', 'c': 2 }, { v: 0 });
    const again = fill({ 'a.$': '$.w', 'b': 9, 'c.$': '$.w' }, { w: 5 });
    expect(Object.keys(pathFirst as object)).toEqual(['b', 'a', 'c']);
    expect(Object.keys(fixedFirst as object)).toEqual(['a', 'c', 'b']);
    expect(again).toEqual({ b: 9, a: 5, c: 5 });
    expect(Object.keys(again as object)).toEqual(['b', 'a', 'c']);
  });

  it('gives each template its own static values when templates share their field names', () => {
    const first = compilePayloadTemplate({ 'n.$': '$.n', 'step': 0 });
    const second = compilePayloadTemplate({ 'n.$': '$.n', 'step': 1 });
    expect(first({ input: { n: 5 }, context: {} })).toEqual({ n: 5, step: 0 });
    expect(second({ input: { n: 6 }, context: {} })).toEqual({ n: 6, step: 1 });
  });

  it('gives each template its own paths when templates with the same field names read different ones, alternately compiled', () => {
    // Templates of one field list share their compiled paths while they read the same ones.
    const a1 = compilePayloadTemplate({ 'n.$': '$.a', 'm.$': '$.b', 'k': 1 });
    const b = compilePayloadTemplate({ 'n.$': '$.b', 'm.$': '$.a', 'k': 2 });
    const a2 = compilePayloadTemplate({ 'n.$': '$.a', 'm.$': '$.b', 'k': 3 });
    const input = { input: { a: 'A', b: 'B' }, context: {} };
    expect([a1(input), b(input), a2(input)]).toEqual([{ k: 1, n: 'A', m: 'B' }, { k: 2, n: 'B', m: 'A' }, { k: 3, n: 'A', m: 'B' }]);
  });

  it.each([
    ['no fixed value', { 'n.$': '$.n', 'o': { 'p.$': '$.n' } }, { o: { p: 1 }, n: 1 }],
    ['one fixed value that is a list', { 'n.$': '$.n', 'list': [1, 2] }, { list: [1, 2], n: 1 }],
    ['one fixed value that is null', { 'n.$': '$.n', 'z': null }, { z: null, n: 1 }],
    ['fixed values around dynamic ones', { 'a': 'x', 'n.$': '$.n', 'b': { c: 1 }, 'o': { 'p.$': '$.n' }, 'd': 4 }, { a: 'x', b: { c: 1 }, o: { p: 1 }, d: 4, n: 1 }],
  ])('builds a template with %s, each value in its field', (_what, template, expected) => {
    const out = fill(template as JsonValue, { n: 1 });
    expect(out).toEqual(expected);
    expect(Object.keys(out as object)).toEqual(Object.keys(expected));
  });

  it('compiles a template of .$ fields once and shares it with every state that has the same one', () => {
    const first = compilePayloadTemplate({ 'n.$': '$.n', 'meta.$': '$.meta' });
    expect(compilePayloadTemplate({ 'n.$': '$.n', 'meta.$': '$.meta' })).toBe(first);
    // Field order is part of the template (the first failing path fails it), though not of its output's keys.
    const reordered = compilePayloadTemplate({ 'meta.$': '$.meta', 'n.$': '$.n' });
    expect(reordered).not.toBe(first);
    expect(Object.keys(reordered({ input: { n: 1, meta: 2 }, context: {} }) as object)).toEqual(['meta', 'n']);
    expect(Object.keys(first({ input: { n: 1, meta: 2 }, context: {} }) as object)).toEqual(['meta', 'n']);
    expect(compilePayloadTemplate({ 'n.$': '$.n', 'meta.$': '$.other' })).not.toBe(first);
  });

  it('compiles a template with literal values for each state, keeping each one its own values', () => {
    const first = compilePayloadTemplate({ 'n.$': '$.n', 'k': 1 });
    const same = compilePayloadTemplate({ 'n.$': '$.n', 'k': 1 });
    expect(same).not.toBe(first);
    expect(same({ input: { n: 2 }, context: {} })).toEqual({ n: 2, k: 1 });
  });

  it('compiles a large template on its own instead of sharing it', () => {
    const big = { 'n.$': '$.n', 'text.$': `States.Format('${'x'.repeat(3000)}')` };
    const first = compilePayloadTemplate(big);
    expect(compilePayloadTemplate({ ...big })).not.toBe(first);
    expect(first({ input: { n: 3 }, context: {} })).toEqual({ n: 3, text: 'x'.repeat(3000) });
  });

  it('keeps a __proto__ field as data', () => {
    const out = fill({ '__proto__.$': '$.v', 'a': 1 }, { v: { polluted: true } }) as Record<string, JsonValue>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['a', '__proto__']);
    expect((out as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('fails on the first field, in template order, whose path names nothing', () => {
    let thrown: unknown;
    try {
      fill({ 'a.$': '$.a', 'missing.$': '$.nope', 'also.$': '$.gone' }, { a: 1 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(StatesError);
    expect((thrown as StatesError).cause).toContain("'$.nope' specified for the field 'missing.$'");
  });

  it('names its own field in the error when fields of other templates read the same path', () => {
    const messageOf = (template: JsonValue): string | undefined => {
      try {
        fill(template, {});
      } catch (e) {
        return (e as StatesError).cause;
      }
      return undefined;
    };
    expect(messageOf({ 'first.$': '$.gone' })).toContain("for the field 'first.$'");
    expect(messageOf({ 'second.$': '$.gone' })).toContain("for the field 'second.$'");
  });

  it('builds templates with more fields than the literal builder takes, field by field', () => {
    const template: Record<string, JsonValue> = {};
    for (let i = 0; i < 100; i++) template[i % 3 ? `f${i}` : `f${i}.$`] = i % 3 ? i : '$.v';
    const out = fill(template, { v: 'V' }) as Record<string, JsonValue>;
    expect(Object.keys(out)).toHaveLength(100);
    expect(out.f0).toBe('V');
    expect(out.f1).toBe(1);
    expect(out.f99).toBe('V');
  });

  it('builds the same object where node refuses to generate code from strings', async () => {
    const fixture = path.join(__dirname, 'fixtures', 'template-without-codegen.js');
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--disallow-code-generation-from-strings', fixture], { timeout: 30_000 }, (error, out, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(out);
      });
    });
    // Integer-like names first, as in any JS object; then fixed, then path fields in AWS's order.
    expect(stdout).toBe('{"0":"zero","b":2,"a":"X","c":"Y"}');
  }, 40_000);
});
