import { ANY_RUN, wildcardMatch } from '../../src/asl/wildcard';
import { wildcardMatches } from '../../src/iam';
import { placeholderMatch } from '../../src/workbench/replay/compare';

/** The regular expression the matchers used before, the reference for what a pattern means. */
function byRegExp(pattern: string, value: string, ignoreCase: boolean): boolean {
  const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's').test(value);
}

describe('wildcard patterns match in linear time, as IAM and recordings mean them', () => {
  it('matches every pattern of a small alphabet as the regular expression of `.*` and `.` does', () => {
    // A seeded walk over patterns and values of `a`, `b`, `A`, `*`, `?` and a line break.
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (alphabet: string, most: number): string => Array.from({ length: next(most + 1) }, () => alphabet[next(alphabet.length)]).join('');
    let matched = 0;
    for (let i = 0; i < 4000; i++) {
      const pattern = word('ab*?A\n', 7);
      const value = word('abA\n', 8);
      const ignoreCase = i % 2 === 0;
      const expected = byRegExp(pattern, value, ignoreCase);
      const got = wildcardMatch([{ text: pattern, wild: true }], value, ignoreCase);
      expect([pattern, value, ignoreCase, got]).toEqual([pattern, value, ignoreCase, expected]);
      if (expected) matched++;
    }
    // Both answers occur often enough for the comparison to mean something.
    expect(matched).toBeGreaterThan(400);
    expect(matched).toBeLessThan(3600);
  });

  it('answers an IAM resource of 12 `*`s against 2,000 characters that do not match at once', () => {
    // As `.*`s on a backtracking engine this tries about 2000^12 splits (4 `*`s over 200 took 2 s).
    const pattern = `arn:aws:s3:::${'*a'.repeat(12)}b`;
    expect(wildcardMatches(pattern, `arn:aws:s3:::${'a'.repeat(2000)}`, false)).toBe(false);
    expect(wildcardMatches(pattern, `arn:aws:s3:::${'a'.repeat(2000)}b`, false)).toBe(true);
  });

  it('answers a recording of 12 placeholders against 2,000 characters that do not match at once', () => {
    const expected = `${'<id>a'.repeat(12)}b`;
    expect(placeholderMatch('a'.repeat(2000), expected)).toBe(false);
    expect(placeholderMatch(`${'a'.repeat(2000)}b`, expected)).toBe(true);
  });

  it('takes a literal piece\'s `*` and `?` as the characters they are', () => {
    expect(wildcardMatch([{ text: 'a*?', wild: false }, ANY_RUN], 'a*?xyz', false)).toBe(true);
    expect(wildcardMatch([{ text: 'a*?', wild: false }, ANY_RUN], 'abcxyz', false)).toBe(false);
    expect(placeholderMatch('price: 5 (x?)', 'price: <n> (x?)')).toBe(true);
    expect(placeholderMatch('price: 5 (xy)', 'price: <n> (x?)')).toBe(false);
  });
});
