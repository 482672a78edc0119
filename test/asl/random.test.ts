import type { JsonValue } from '../../src/asl';
import { drawnValue, firstSeededUuid, mathRandom, seededRandom, seededRandomAfter } from '../../src/asl/random';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('seededRandom', () => {
  it('repeats the same UUIDs for the same seed, so executions are reproducible', () => {
    const r = seededRandom(42);
    // Pinned: generated execution names and States.UUID values must not change between releases.
    expect([r.uuid(), r.uuid()]).toEqual(['99e1ef7c-72c3-4b8a-9a3b-32c0ab73b0ad', '2cc09a8a-86ce-44d3-85f2-45149fef4401']);
  });

  it('gives version-4, RFC 4122 variant UUIDs whatever the random bits', () => {
    const ones = { next: () => 0.9999999997, uuid: () => '' };
    const zeros = { next: () => 0, uuid: () => '' };
    const r = seededRandom(7);
    for (let i = 0; i < 1000; i++) expect(r.uuid()).toMatch(V4);
    expect(mathRandom.uuid()).toMatch(V4);
    // The extremes of the word range still carry the version and variant bits.
    expect(seededUuid(ones)).toMatch(V4);
    expect(seededUuid(zeros)).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('draws numbers in [0, 1)', () => {
    const r = seededRandom(3);
    for (let i = 0; i < 1000; i++) {
      const n = r.next();
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThan(1);
    }
  });
});

describe('a seeded source made after its first draws', () => {
  it('gives as first UUID of a seed the one seededRandom draws first', () => {
    for (const seed of [0, 1, 42, 2 ** 31, 2 ** 32 - 1]) expect(firstSeededUuid(seed)).toBe(seededRandom(seed).uuid());
  });

  it('goes on after n draws with the values seededRandom draws after them', () => {
    for (const seed of [0, 7, 4_000_000_000]) {
      const whole = seededRandom(seed);
      whole.uuid();
      const after = seededRandomAfter(seed, 4);
      expect([after.uuid(), after.next(), after.next()]).toEqual([whole.uuid(), whole.next(), whole.next()]);
      const fromStart = seededRandom(seed);
      const skipped = Array.from({ length: 1000 }, () => fromStart.next())[999];
      expect(skipped).toBe(seededRandomAfter(seed, 999).next());
    }
  });
});

/** A UUID built from a given source of numbers, through the same code as seededRandom's. */
function seededUuid(source: { next(): number }): string {
  const original = Math.random;
  Math.random = source.next;
  try {
    return mathRandom.uuid();
  } finally {
    Math.random = original;
  }
}

describe('drawnValue', () => {
  const source = (answer: JsonValue) => ({ next: () => 0, uuid: () => '', drawn: () => answer });

  it('gives the value the hook answers, of the kind drawn', () => {
    expect(drawnValue(source('recorded-uuid'), 'drawn-uuid', 'uuid')).toBe('recorded-uuid');
    expect(drawnValue(source(7), 3, 'millis')).toBe(7);
  });

  it('keeps the run\'s own value when the hook answers another kind (a number for a UUID, text for millis)', () => {
    expect(drawnValue(source(42), 'drawn-uuid', 'uuid')).toBe('drawn-uuid');
    expect(drawnValue(source('late'), 3, 'millis')).toBe(3);
    expect(drawnValue(source(null), 'now', 'now')).toBe('now');
  });

  it('gives the value itself when the source has no hook', () => {
    expect(drawnValue({ next: () => 0, uuid: () => '' }, 'x', 'uuid')).toBe('x');
  });
});
