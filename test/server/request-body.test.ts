import * as fc from 'fast-check';
import type { JsonObject } from '../../src/asl';
import { BodyEncodingError, BodyNestingError, decodeBody, earlierValues, parseBody } from '../../src/server/validation/body';

/*
 * The body as AWS's reader reads it: the value JSON.parse gives, and the earlier values of a member
 * sent more than once in one object, in the order sent (AWS's reader reads each; the validator
 * checks their types).
 */
describe('parseBody', () => {
  it('gives what JSON.parse gives, and the earlier values of a member sent twice, for any JSON value after it', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (value, spaced) => {
      const text = JSON.stringify(value, null, spaced ? 2 : undefined);
      const body = parseBody(`{"k": 0, "other": [1, {"k": 2}], "k" : ${text}}`) as JsonObject;
      expect(body).toEqual(JSON.parse(`{"other":[1,{"k":2}],"k":${text}}`));
      expect(Object.keys(body)).toEqual(['k', 'other']);
      expect(earlierValues(body, 'k')).toEqual([0]);
      expect(earlierValues(body, 'other')).toBeUndefined();
    }), { numRuns: 300 });
  });

  it('reads escaped quotes and backslashes in keys and values, and keeps every earlier value in order', () => {
    const body = parseBody(String.raw`{"a\"b":"x\\","a\"b":"y\"","a\"b":"z","n":{}}`) as JsonObject;
    expect(body).toEqual({ 'a"b': 'z', 'n': {} });
    expect(earlierValues(body, 'a"b')).toEqual(['x\\', 'y"']);
  });

  it('keeps __proto__ an own member, as JSON.parse does, when it is sent twice', () => {
    const body = parseBody('{"__proto__":{"polluted":1},"__proto__":{"x":2},"a":1,"a":2}') as JsonObject;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.hasOwn(body, '__proto__')).toBe(true);
    expect(JSON.stringify(body)).toBe('{"__proto__":{"x":2},"a":2}');
    expect(earlierValues(body, '__proto__')).toEqual([{ polluted: 1 }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('finds a member sent twice in an object at the 1,000th level, the deepest AWS\'s reader reads', () => {
    // The body's object, 998 arrays and the object holding the member twice: 1,000 levels.
    const depth = 998;
    const body = parseBody(`{"a":1,"deep":${'['.repeat(depth)}{"b":1,"b":2}${']'.repeat(depth)}}`) as JsonObject;
    let inner: unknown = body.deep;
    for (let i = 0; i < depth; i++) inner = (inner as unknown[])[0];
    expect(inner).toEqual({ b: 2 });
    expect(earlierValues(inner as JsonObject, 'b')).toEqual([1]);
  });

  it('refuses a body nested past 1,000 levels with BodyNestingError, a million levels too, before JSON.parse reads it', () => {
    expect(() => parseBody(`{"a":1,"deep":${'['.repeat(999)}{"b":1,"b":2}${']'.repeat(999)}}`)).toThrow(BodyNestingError);
    expect(() => parseBody(`{"a":1,"a":${'['.repeat(1_000_000)}`)).toThrow(BodyNestingError);
    // Brackets inside a string, escaped quotes among them, are no levels.
    expect(parseBody(`{"s":"\\"${'['.repeat(2000)}","t":"${'{'.repeat(2000)}\\\\"}`)).toEqual({ s: `"${'['.repeat(2000)}`, t: `${'{'.repeat(2000)}\\` });
  });

  it('throws as JSON.parse throws on text that is not JSON', () => {
    expect(() => parseBody('{"a":1,"a":')).toThrow(SyntaxError);
  });
});

describe('decodeBody', () => {
  it('reads any text sent as UTF-8 as that text, and one that needs Jackson\'s decoding (an overlong form) past 8,192 characters whole', () => {
    // A NUL in the first two bytes is how Jackson's bootstrapper tells UTF-16 and UTF-32 (below).
    const utf8 = fc.string({ unit: 'grapheme' }).filter((t) => t[0] !== '\0' && t[1] !== '\0');
    fc.assert(fc.property(utf8, (text) => {
      expect(decodeBody(Buffer.from(text))).toEqual({ text, encoding: 'UTF-8', byteOrderMark: false });
    }), { numRuns: 300 });
    const long = 'é'.repeat(20_000);
    const read = decodeBody(Buffer.concat([Buffer.from(long), Buffer.from([0xc0, 0xaf]), Buffer.from('😀')]));
    expect(read.text).toBe(`${long}/😀`);
  });

  it('names the offset in the whole body, byte order mark counted, of a byte it refuses', () => {
    expect(() => decodeBody(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x80]))).toThrow(new BodyEncodingError('UTF-8', 'Invalid UTF-8 start byte 0x80 at byte 4'));
    expect(() => decodeBody(Buffer.from([0x7b, 0xf0, 0x9f]))).toThrow(BodyEncodingError);
  });

  it.each([
    ['UTF-16LE', 'without a byte order mark', Buffer.from('{"é":"😀"}', 'utf16le'), false],
    ['UTF-16LE', 'after its byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"é":"😀"}', 'utf16le')]), true],
    ['UTF-16BE', 'without a byte order mark', Buffer.from('{"é":"😀"}', 'utf16le').swap16(), false],
    ['UTF-16BE', 'after its byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"é":"😀"}', 'utf16le').swap16()]), true],
    ['UTF-32BE', 'without a byte order mark', utf32('{"é":"😀"}', true), false],
    ['UTF-32LE', 'without a byte order mark', utf32('{"é":"😀"}', false), false],
    ['UTF-32LE', 'after its byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32('{"é":"😀"}', false)]), true],
  ])('reads a body in %s %s, as Jackson\'s bootstrapper detects it', (encoding, _, bytes, byteOrderMark) => {
    expect(decodeBody(bytes)).toEqual({ text: '{"é":"😀"}', encoding, byteOrderMark });
  });

  it('refuses UTF-32 cut short or past U+10FFFF', () => {
    expect(() => decodeBody(Buffer.concat([utf32('{}', true), Buffer.from([0])]))).toThrow(BodyEncodingError);
    expect(() => decodeBody(Buffer.from([0, 0, 0, 0x7b, 0, 0x11, 0, 0]))).toThrow(new BodyEncodingError('UTF-32BE', 'Invalid UTF-32 character 0x110000 at byte 4'));
  });
});

/** `text` in UTF-32. */
function utf32(text: string, bigEndian: boolean): Buffer {
  const points = [...text].map((c) => c.codePointAt(0)!);
  const out = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => (bigEndian ? out.writeUInt32BE(p, i * 4) : out.writeUInt32LE(p, i * 4)));
  return out;
}
