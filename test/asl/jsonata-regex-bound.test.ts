/*
 * A regular expression RE2 cannot run (a backreference, lookaround) runs on JavaScript's
 * backtracking engine, in a worker thread this thread waits on for a bounded time. The hostile
 * patterns here take about 2^60 steps on the text they are given, more than any machine runs
 * in a lifetime: the answer coming back at all shows the match was ended, not finished.
 */
import type { JsonValue } from '../../src/asl/definition-types';
import { compileJsonataValue } from '../../src/asl/jsonata/compile';
import { NATIVE_REGEX_TIMEOUT_MS, setNativeRegexTimeout } from '../../src/asl/jsonata/native-regex';
import { compilePath, type PathScope } from '../../src/asl/path';
import { seededRandom } from '../../src/asl/random';

const hostile = { s: `${'a'.repeat(60)}c` };

async function evaluate(expression: string, input: JsonValue): Promise<JsonValue> {
  const bindings = { states: { input, context: {} }, variables: {}, random: seededRandom(0) };
  return compileJsonataValue(`{% ${expression} %}`, 'Output').evaluate(bindings);
}

describe('JSONata and JSONPath patterns with a backreference or lookaround, on a bounded engine', () => {
  let before: number;
  beforeAll(() => { before = setNativeRegexTimeout(300); });
  afterAll(() => { setNativeRegexTimeout(before); });

  it('fails $match of /^(a+)+\\1b$/ on 60 a and a c with States.QueryEvaluationError naming the pattern, not freezing', async () => {
    const failure = await evaluate('$match($states.input.s, /^(a+)+\\1b$/)', hostile).then(() => undefined, (e: unknown) => e);
    expect(failure).toMatchObject({ error: 'States.QueryEvaluationError' });
    expect((failure as Error).message).toContain('the regular expression /^(a+)+\\1b$/ ran past 0.3 s on a text of 61 characters');
  });

  it('fails $replace with a lookahead that backtracks catastrophically, and runs the next pattern on a fresh worker', async () => {
    await expect(evaluate('$replace($states.input.s, /^(a|a)+(?=b)/, "x")', hostile)).rejects.toMatchObject({ error: 'States.QueryEvaluationError' });
    expect(await evaluate('$match($states.input.s, /(a)\\1(?=c)/).match', { s: 'xaac' })).toBe('aa');
  });

  it('still answers every match of a global lookahead pattern, from each lastIndex, with its groups and indexes', async () => {
    // At the full bound, so that a machine under load never fails these matches of a few characters.
    setNativeRegexTimeout(NATIVE_REGEX_TIMEOUT_MS);
    try {
      expect(await evaluate('$replace($states.input.s, /(\\w)(?=\\d)/, "<$1>")', { s: 'a1 b2 cc d3' })).toBe('<a>1 <b>2 cc <d>3');
      // A group that took no part is null, as JavaScript's exec leaves it undefined.
      expect(await evaluate('$match($states.input.s, /(x)?(\\w)\\2/)', { s: 'aa bcc' })).toEqual([
        { match: 'aa', index: 0, groups: [null, 'a'] },
        { match: 'cc', index: 4, groups: [null, 'c'] },
      ]);
      expect(await evaluate('$split($states.input.s, /(?<=a),/)', { s: 'a,b,a,c' })).toEqual(['a', 'b,a', 'c']);
    } finally {
      setNativeRegexTimeout(300);
    }
  });

  it('fails a JSONPath filter =~ with a backreference that backtracks catastrophically, not freezing', () => {
    const scope: PathScope = { input: { l: [hostile] }, context: {} };
    expect(() => compilePath('$.l[?(@.s =~ /^(a+)+\\1b$/)]').read(scope)).toThrow('ran past 0.3 s on a text of 61 characters');
  });
});
