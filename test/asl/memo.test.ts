import { MAX_REMEMBERED, remember } from '../../src/asl/memo';
import { escapePointerSegment } from '../../src/asl/pointer';

describe('remember', () => {
  it('makes a value once per key and gives the same one after', () => {
    const cache = new Map<string, { key: string }>();
    let made = 0;
    const make = (key: string) => ({ key, n: ++made });
    const first = remember(cache, 'a', make);
    expect(remember(cache, 'a', make)).toBe(first);
    expect(remember(cache, 'b', make)).not.toBe(first);
    expect(made).toBe(2);
  });

  it('hands make the argument it is given besides the key, and on a hit does not call it', () => {
    const cache = new Map<string, string>();
    const calls: Array<[string, number]> = [];
    const make = (key: string, times: number) => { calls.push([key, times]); return key.repeat(times); };
    expect(remember(cache, 'ab', make, 2)).toBe('abab');
    expect(remember(cache, 'ab', make, 3)).toBe('abab');
    expect(calls).toEqual([['ab', 2]]);
  });

  it('stops keeping values once the cache is full, and still makes them', () => {
    const cache = new Map<string, number>();
    for (let i = 0; i < MAX_REMEMBERED; i++) cache.set(`k${i}`, i);
    expect(remember(cache, 'new', () => 42)).toBe(42);
    expect(cache.has('new')).toBe(false);
    expect(cache.size).toBe(MAX_REMEMBERED);
  });

  it('keeps nothing for a key whose value could not be made', () => {
    const cache = new Map<string, number>();
    expect(() => remember(cache, 'bad', () => { throw new Error('no'); })).toThrow('no');
    expect(cache.has('bad')).toBe(false);
  });
});

describe('escapePointerSegment', () => {
  it('escapes ~ as ~0 and / as ~1, in that order (RFC 6901)', () => {
    expect(escapePointerSegment('a/b~c')).toBe('a~1b~0c');
    expect(escapePointerSegment('~1')).toBe('~01');
  });

  it('returns a name with neither character as it is', () => {
    expect(escapePointerSegment('Charge card')).toBe('Charge card');
  });
});
