import type { JsonObject, JsonValue } from '../../src/asl/definition-types';
import { seededRandom } from '../../src/asl/random';
import { derivedByteLength, jsonByteLength, jsonByteLengthWithin } from '../../src/interpreter/size';

const bytes = (v: JsonValue) => Buffer.byteLength(JSON.stringify(v), 'utf8');

/** Random JSON from a seeded source: strings with quotes, escapes, accents and emoji included. */
function randomJson(next: () => number, depth: number): JsonValue {
  const pick = Math.floor(next() * (depth > 0 ? 8 : 5));
  const strings = ['', 'plain', 'with "quotes"', 'back\\slash', 'line\nbreak', 'tab\t', 'é', '日本', '😀', '\u0001', '\u2028'];
  switch (pick) {
    case 0: return null;
    case 1: return next() < 0.5;
    case 2: return Math.round(next() * 1e6) / (next() < 0.5 ? 1 : 100) * (next() < 0.3 ? -1 : 1);
    case 3:
    case 4: return strings[Math.floor(next() * strings.length)] + (next() < 0.5 ? String(Math.floor(next() * 100)) : '');
    case 5: return Array.from({ length: Math.floor(next() * 4) }, () => randomJson(next, depth - 1));
    default: {
      const o: JsonObject = {};
      const n = Math.floor(next() * 5);
      for (let i = 0; i < n; i++) o[strings[Math.floor(next() * strings.length)] + i] = randomJson(next, depth - 1);
      return o;
    }
  }
}

describe('payload size', () => {
  it('measures every JSON value exactly as the UTF-8 bytes of JSON.stringify', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const v = randomJson(random.next, 4);
      expect(jsonByteLength(v)).toBe(bytes(v));
    }
  });

  it('counts the digits of integers of any size and sign as JSON.stringify writes them', () => {
    for (const n of [0, -0, 7, -7, 10, 99, 100, -1000, 999_999_999_999_999, 1e15, -1e15, 2 ** 53, 1e21, -1e21, 1.5, -0.25, 1e-7]) {
      expect([n, jsonByteLength(n)]).toEqual([n, bytes(n)]);
    }
  });

  it('measures up to a limit: the exact size at or under it, a number over it past it', () => {
    const random = seededRandom(13);
    let over = 0;
    for (let i = 0; i < 500; i++) {
      const v = randomJson(random.next, 4);
      const exact = bytes(v);
      for (const max of [0, 1, exact - 1, exact, Math.floor(random.next() * exact * 2)]) {
        const within = jsonByteLengthWithin(v, max);
        if (exact <= max) {expect(within).toBe(exact);} else { expect(within).toBeGreaterThan(max); over++; }
      }
    }
    expect(over).toBeGreaterThan(500);
  });

  it('stops reading a document once the bytes counted pass the limit', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `item-${i}` }));
    let reads = 0;
    const counted = new Proxy(items, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    // The commas and brackets of 10,000 items are 10,001 bytes; the 2,000 left hold about 70 items.
    expect(jsonByteLengthWithin(counted as JsonValue, 12_000)).toBeGreaterThan(12_000);
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThan(200);
    reads = 0;
    expect(jsonByteLengthWithin(counted as JsonValue, Infinity)).toBe(bytes(items));
    expect(reads).toBe(10_000);
  });

  it('measures large objects once and reuses the size for the same object', () => {
    const big = { doc: 'x'.repeat(5000), n: 1 };
    expect(jsonByteLength(big)).toBe(bytes(big));
    expect(jsonByteLength({ wrap: big })).toBe(bytes({ wrap: big }));
  });

  it('measures an object derived from one of known size by its changed fields, with the exact result', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 300; i++) {
      const input = randomJson(random.next, 3);
      if (input === null || typeof input !== 'object' || Array.isArray(input)) continue;
      const output: JsonObject = { ...input };
      const keys = Object.keys(output);
      if (keys.length > 0 && random.next() < 0.5) delete output[keys[0]];
      if (random.next() < 0.7) output[`k${i}`] = randomJson(random.next, 2);
      if (keys.length > 1) output[keys[1]] = randomJson(random.next, 2);
      expect(derivedByteLength(input, bytes(input), output)).toBe(bytes(output));
    }
  });

  it('falls back to a full measure when the input size is unknown or the values are not objects', () => {
    expect(derivedByteLength({ a: 1 }, undefined, { a: 2 })).toBe(7);
    expect(derivedByteLength([1], 3, [1, 2])).toBe(5);
    expect(derivedByteLength({ a: 1 }, 7, 'text')).toBe(6);
  });
});
