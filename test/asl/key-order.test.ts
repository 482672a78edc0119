import type { JsonValue } from '../../src/asl/definition-types';
import { hashMapOrder, inHashMapOrder, javaStringHash, templateFieldOrder } from '../../src/asl/key-order';
import { compilePayloadTemplate } from '../../src/asl/payload';

const fill = (template: JsonValue, input: JsonValue): JsonValue => compilePayloadTemplate(template)({ input, context: {} });
const keys = (v: JsonValue): string[] => Object.keys(v as object);
const letters = (from: string, to: string): string[] =>
  Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => String.fromCharCode(from.charCodeAt(0) + i));

describe("Java's String.hashCode", () => {
  it('gives the values Java gives, wrapping at 32 bits', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
  });

  it('hashes UTF-16 code units, as Java strings hold them', () => {
    expect(javaStringHash('é')).toBe(233);
    // U+1F600 is the surrogate pair D83D DE00 in UTF-16.
    expect(javaStringHash('😀')).toBe(0xd83d * 31 + 0xde00);
  });
});

describe('HashMap iteration order', () => {
  it('lists names by bucket, names of one bucket in insertion order', () => {
    // 'BB' and 'Aa' have the same hash (2112, bucket 0); 'a' is in bucket 1, 'b' in bucket 2.
    const names = ['b', 'BB', 'a', 'Aa'];
    expect(hashMapOrder(names).map((i) => names[i])).toEqual(['BB', 'Aa', 'a', 'b']);
    const swapped = ['Aa', 'b', 'a', 'BB'];
    expect(hashMapOrder(swapped).map((i) => swapped[i])).toEqual(['Aa', 'BB', 'a', 'b']);
  });

  it('uses 16 buckets up to 12 names and 32 from the 13th, as HashMap resizes at 0.75 load', () => {
    // p..s (hashes 112..115) fall in buckets 0..3 of 16 but in 16..19 of 32, after h..o (104..111).
    const twelve = letters('h', 's');
    expect(hashMapOrder(twelve).map((i) => twelve[i]).join('')).toBe('pqrshijklmno');
    const thirteen = letters('h', 't');
    expect(hashMapOrder(thirteen).map((i) => thirteen[i]).join('')).toBe('hijklmnopqrst');
  });

  it('puts fixed fields first in their order, then path fields in HashMap order', () => {
    const names = ['z', 'q', 'y', 'a'];
    expect(templateFieldOrder(names, [true, false, false, true]).map((i) => names[i])).toEqual(['q', 'y', 'a', 'z']);
  });

  it('builds a new object in HashMap order, keeping a __proto__ field as data', () => {
    const source = JSON.parse('{"d":4,"__proto__":{"x":1},"c":3}') as Record<string, JsonValue>;
    const out = inHashMapOrder(source);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(keys(out).sort()).toEqual(['__proto__', 'c', 'd']);
    expect(keys(out).slice(-2)).toEqual(['c', 'd']);
  });
});

describe('payload templates: the key order of the object they build', () => {
  it('sends a DynamoDB UpdateItem in the order AWS recorded it (fixed field first, then paths by hash)', () => {
    const template = {
      'TableName.$': '$.TableName',
      'Key.$': '$.Key',
      'UpdateExpression.$': '$.UpdateExpression',
      'ExpressionAttributeValues.$': '$.ExpressionAttributeValues',
      'ReturnValues': 'UPDATED_NEW',
    };
    const input = {
      TableName: 'table-name',
      Key: { id: { S: 'id1' } },
      UpdateExpression: 'set S=:r',
      ExpressionAttributeValues: { ':r': { S: 'x' } },
    };
    expect(keys(fill(template, input))).toEqual(['ReturnValues', 'TableName', 'UpdateExpression', 'Key', 'ExpressionAttributeValues']);
  });

  it('keeps fixed fields in template order ahead of every path field', () => {
    const out = fill({ 'b.$': '$.v', 'zeta': 1, 'a.$': '$.v', 'alpha': 2, 'c.$': 'States.Format(\'{}\', $.v)' }, { v: 'V' });
    expect(keys(out)).toEqual(['zeta', 'alpha', 'a', 'b', 'c']);
  });

  it('orders each nested object of a template by the same rule, and objects inside arrays', () => {
    const out = fill({
      FunctionName: 'f',
      Payload: { 'd.$': '$.v', 'c': 1, 'b.$': '$.v', 'list': [{ 'y.$': '$.v', 'x': 0 }] },
    }, { v: 1 }) as { Payload: { list: JsonValue[] } };
    expect(keys(out)).toEqual(['FunctionName', 'Payload']);
    expect(keys(out.Payload)).toEqual(['c', 'list', 'b', 'd']);
    expect(keys(out.Payload.list[0])).toEqual(['x', 'y']);
  });

  it('keeps the order of a value a path selects, as it is in the input', () => {
    const out = fill({ 'item.$': '$.item' }, { item: { z: 1, a: 2 } }) as { item: JsonValue };
    expect(keys(out.item)).toEqual(['z', 'a']);
  });

  it('uses 32 buckets for a template with more than 12 path fields', () => {
    const template = (names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [`${n}.$`, '$.v']));
    expect(keys(fill(template(letters('h', 's')), { v: 0 })).join('')).toBe('pqrshijklmno');
    expect(keys(fill(template(letters('h', 't')), { v: 0 })).join('')).toBe('hijklmnopqrst');
    // Fixed fields do not count towards the resize: 12 path fields keep 16 buckets beside them.
    expect(keys(fill({ ...template(letters('h', 's')), F1: 1, F2: 2 }, { v: 0 })).join('')).toBe('F1F2pqrshijklmno');
  });

  it('evaluates path fields in template order, so the first one failing in the definition is reported', () => {
    // In AWS's order 'a' would come before 'missing'.
    expect(() => fill({ 'missing.$': '$.nope', 'a.$': '$.gone' }, {})).toThrow(/'\$\.nope' specified for the field 'missing\.\$'/);
  });
});
