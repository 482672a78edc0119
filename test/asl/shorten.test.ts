import { AwsLimits } from '../../src/asl/limits';
import { cutCause, shorten, withThousands } from '../../src/asl/shorten';

describe('shorten: a message cut for printing', () => {
  it('returns text within the limit as it is', () => {
    expect(shorten('add --unmocked input', 20)).toBe('add --unmocked input');
  });

  it('cuts at the last space within the limit, so no word is cut in two', () => {
    const cut = shorten('--unmocked input on the command line', 30);
    expect(cut).toBe('--unmocked input on the…');
    expect(cut.length).toBeLessThanOrEqual(30);
  });

  it('keeps a word that ends exactly at the limit', () => {
    expect(shorten('one two three', 8)).toBe('one two…');
  });

  it('cuts at a line break too', () => {
    expect(shorten('first line\nsecond line here', 15)).toBe('first line…');
  });

  it('cuts one long word at the limit when no space falls in its second half, never inside a surrogate pair', () => {
    expect(shorten(`arn:${'a'.repeat(40)}`, 10)).toBe('arn:aaaaa…');
    const emoji = `${'x'.repeat(8)}😀😀`;
    const cut = shorten(emoji, 10);
    expect(cut).toBe(`${'x'.repeat(8)}…`);
    expect(cut.length).toBeLessThanOrEqual(10);
  });
});

describe('withThousands: a whole number as en-US writes it', () => {
  it('groups the thousands of whole numbers with commas, as toLocaleString(\'en-US\') does', () => {
    for (const n of [0, 7, 999, 1_000, 65_536, 262_144, 1_048_576, 2_147_483_647, -2_147_483_648, -1_000, Number.MAX_SAFE_INTEGER]) {
      expect({ n, text: withThousands(n) }).toEqual({ n, text: n.toLocaleString('en-US') });
    }
  });

  it('leaves a fraction or a number past the safe integers to Intl', () => {
    expect(withThousands(1234.5)).toBe('1,234.5');
    expect(withThousands(2 ** 60)).toBe((2 ** 60).toLocaleString('en-US'));
  });
});

describe('cutCause: a cause as AWS keeps it', () => {
  it('keeps a cause of 32,768 characters as it is', () => {
    const cause = 'x'.repeat(AwsLimits.CAUSE_CHARS);
    expect(cutCause(cause)).toBe(cause);
  });

  it('cuts a longer cause to 32,768 characters', () => {
    expect(cutCause('y'.repeat(AwsLimits.CAUSE_CHARS + 5))).toBe('y'.repeat(AwsLimits.CAUSE_CHARS));
  });

  it('cuts before a surrogate pair the limit would split, so that the text stays valid', () => {
    const cut = cutCause(`${'z'.repeat(AwsLimits.CAUSE_CHARS - 1)}😀 and more`);
    expect(cut).toBe('z'.repeat(AwsLimits.CAUSE_CHARS - 1));
    expect(cut).not.toMatch(/[\uD800-\uDBFF]$/);
  });
});
