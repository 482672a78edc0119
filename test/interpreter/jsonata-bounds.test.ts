import { failureOf, outputOf, run } from './helpers';
import { SafeRegExp } from '../../src/asl/jsonata/safe-regex';

/** A JSONata machine whose one Pass state outputs `expression`. */
const output = (expression: string) => ({
  QueryLanguage: 'JSONata',
  StartAt: 'P',
  States: { P: { Type: 'Pass', Output: expression, End: true } },
});

describe('JSONata: evaluation is bounded in time and memory', () => {
  it('ends an endless tail-recursive function with States.QueryEvaluationError (D1012) instead of freezing the event loop', async () => {
    let timerFired = false;
    setTimeout(() => { timerFired = true; }, 50);
    const f = await failureOf(output('{% ($f := function($x){$f($x)}; $f(1)) %}'));
    expect(f.error).toBe('States.QueryEvaluationError');
    // The evidence that the bound, and nothing else, ended it.
    expect(f.cause).toContain('D1012: Evaluation stopped after 1,000,000 steps. Check for infinite loop');
    // The evaluation yields nothing to timers while it runs; once it ends, they fire again.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(timerFired).toBe(true);
    // A million JSONata steps take about 1 s of CPU under jest (test/jest/local-builtins.js; 4 s
    // before it); the limit is a guard against a hang, set so the test passes on a machine shared
    // with many busy processes, not a measure of speed.
  }, 300_000);

  // A bound in real time failed an expression of 190 ms in each of a Map's 40 iterations, whose
  // evaluations interleave: each counted the others' time. The clock here jumps a second at each
  // reading, so a bound that read it would fail every evaluation.
  it('bounds an evaluation by its own steps, not by the clock: a Map of 40 evaluations passes however slow the machine', async () => {
    const now = jest.spyOn(Date, 'now');
    let t = Date.UTC(2024, 0, 1);
    now.mockImplementation(() => (t += 1000));
    try {
      const r = await run({
        QueryLanguage: 'JSONata',
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            Items: '{% [1..40] %}',
            ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $count($filter([1..200], function($v){ $v % 7 = 0 })) %}', End: true } } },
            End: true,
          },
        },
      });
      expect({ status: r.status, error: r.error, cause: r.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
      expect(r.output).toEqual(Array(40).fill(28));
    } finally {
      now.mockRestore();
    }
  });

  it('ends a recursion that never bottoms out with States.QueryEvaluationError, in the words AWS uses, not a crash', async () => {
    const f = await failureOf(output('{% ($f := function($x){1 + $f($x)}; $f(1)) %}'));
    expect(f.error).toBe('States.QueryEvaluationError');
    expect(f.cause).toMatch(
      /threw an error during evaluation: Stack overflow error: Check for non-terminating recursive function. {2}Consider rewriting as tail-recursive\. Depth=101 max=100$/,
    );
  }, 15_000);

  // The thresholds AWS was measured at: each passes at the first count and fails at the next.
  it.each([
    ['a sum of terms', 100, (n: number) => Array(n).fill('1').join('+')],
    ['nested parentheses', 99, (n: number) => `${'('.repeat(n)}1${')'.repeat(n)}`],
    ['nested brackets', 99, (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`],
    ['chained ~> stages', 99, (n: number) => `-1${' ~> $abs'.repeat(n)}`],
    ['a non-tail-recursive function', 31, (n: number) => `($f := function($n){ $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(${n}))`],
  ] as const)('bounds nesting where AWS does: %s passes at %d and fails at one more', async (_shape, deepest, expression) => {
    expect((await run(output(`{% ${expression(deepest)} %}`))).status).toBe('SUCCEEDED');
    expect((await failureOf(output(`{% ${expression(deepest + 1)} %}`))).cause).toContain('Stack overflow error');
  });

  // A backtracking engine takes about 2^n steps on n a and a !: for 200, more than the age of the
  // universe, so the answer coming back at all is the evidence that the engine does not backtrack.
  it('matches a catastrophic-backtracking pattern in linear time: $match(200 a and !, /(a+)+$/)', async () => {
    const out = await outputOf(output('{% [$match($states.input.s, /(a+)+$/)] %}'), { s: `${'a'.repeat(200)}!` });
    expect(out).toEqual([]);
    const hit = await outputOf(output('{% $match($states.input.s, /(a+)+$/).match %}'), { s: `${'a'.repeat(200)}` });
    expect(hit).toBe('a'.repeat(200));
  });

  it('keeps regular-expression results as JavaScript reports them: groups, indexes, flags, replace and split', async () => {
    expect(await outputOf(output('{% $match("x😀b yb", /(z)?(😀)?b/) %}'))).toEqual([
      { match: '😀b', index: 1, groups: [null, '😀'] },
      { match: 'b', index: 6, groups: [null, null] },
    ]);
    expect(await outputOf(output('{% $replace("Hello HELLO", /hello/i, "bye") %}'))).toBe('bye bye');
    expect(await outputOf(output('{% $split("a1b22c", /\\d+/) %}'))).toEqual(['a', 'b', 'c']);
    expect(await outputOf(output('{% $contains("line1\\nline2", /^line2$/m) %}'))).toBe(true);
  });

  it('still runs patterns RE2 cannot express (backreferences, lookahead) with JavaScript RegExp', async () => {
    expect(await outputOf(output('{% $match("abab", /(ab)\\1/).match %}'))).toBe('abab');
    expect(await outputOf(output('{% $match("price100", /\\d(?=0)/).match %}'))).toEqual(['1', '0']);
  });

  it('sorts 100,000 numbers with $sort in bounded memory', async () => {
    expect(await outputOf(output('{% $count($sort([1..100000])) %}'))).toBe(100_000);
    expect(await outputOf(output('{% $sort([3, 1, 2]) %}'))).toEqual([1, 2, 3]);
  });

  // AWS's memory bound, as TestState measured it (floci-io/floci issue 2737 and pull 2676): the
  // cause ends "threw an error during evaluation: " and these words, with no JSONata code.
  const MEMORY = 'threw an error during evaluation: Expression evaluation memory limit exceeded: Check for excessive memory usage';
  async function expectMemoryFailure(expressions: string[]): Promise<void> {
    for (const expression of expressions) {
      const f = await failureOf(output(expression));
      expect(f.error).toBe('States.QueryEvaluationError');
      expect(f.cause).toContain(MEMORY);
    }
  }

  it('fails a range over 873,782 items on AWS\'s memory bound, as AWS fails [1..900000] ~> $count() and $sum([1..900000])', async () => {
    expect(await outputOf(output('{% [1..873782] ~> $count() %}'))).toBe(873_782);
    await expectMemoryFailure(['{% [1..873783] ~> $count() %}', '{% [1..900000] ~> $count() %}', '{% $sum([1..900000]) %}']);
  });

  it('fails a sequence over 873,782 items however it is built: by $append, or by a path over items', async () => {
    await expectMemoryFailure([
      '{% $count($append([1..500000], [1..500000])) %}',
      '{% $count([1..1000].$range(1, 1000, 1)) %}',
    ]);
    expect(await outputOf(output('{% $count([1..800].$range(1, 1000, 1)) %}'))).toBe(800_000);
  });

  it('fails a string over 6,990,256 characters on the same bound: 2^22 doubled characters pass, 2^23 fail, as on AWS', async () => {
    const doubled = (n: number) => `{% ($p := function($s, $n) { $n = 0 ? $s : $p($s & $s, $n - 1) }; $length($p("x", ${n}))) %}`;
    expect(await outputOf(output(doubled(22)))).toBe(4_194_304);
    await expectMemoryFailure([doubled(23)]);
  });

  it('fails a value past the bound whichever function builds it: $join, $string, $split, a function passed on', async () => {
    await expectMemoryFailure([
      '{% ($p := function($s, $n) { $n = 0 ? $s : $p($join([$s, $s]), $n - 1) }; $length($p("x", 23))) %}',
      '{% $length($string({"a": $pad("", 4000000, "x"), "b": $pad("", 4000000, "y")})) %}',
      '{% $count($split($pad("", 1000000), "")) %}',
      '{% ($f := $join; ($p := function($s, $n) { $n = 0 ? $s : $p($f([$s, $s]), $n - 1) }; $length($p("x", 23)))) %}',
    ]);
  });

  it('gives $range 200,000 numbers and refuses 500,000 on the memory bound, before building them', async () => {
    expect(await outputOf(output('{% $count($range(1, 200000, 1)) %}'))).toBe(200_000);
    await expectMemoryFailure(['{% $count($range(1, 500000, 1)) %}', '{% $count($range(0, 1e15, 1)) %}']);
  });

  it('refuses $pad to 500,000,000 characters on the memory bound instead of aborting the process', async () => {
    await expectMemoryFailure(['{% $length($pad("", 500000000)) %}']);
  });

  it('pads as JSONata does: right, left, with a multi-character fill, by code points', async () => {
    expect(await outputOf(output('{% [$pad("ab", 5), $pad("ab", -5, "#"), $pad("ab", 6, "xy"), $pad("😀", 3, "é"), $pad("long", 2)] %}')))
      .toEqual(['ab   ', '###ab', 'abxyxy', '😀éé', 'long']);
  });

  it('keeps $sort stable with a comparator, and refuses mixed types without one (D3070)', async () => {
    const people = '[{"n":"a","age":3},{"n":"b","age":1},{"n":"c","age":3},{"n":"d","age":1}]';
    expect(await outputOf(output(`{% $sort(${people}, function($l, $r){ $l.age > $r.age }).n %}`))).toEqual(['b', 'd', 'a', 'c']);
    const f = await failureOf(output('{% $sort([1, "a"]) %}'));
    expect(f.cause).toContain('D3070');
  });
});

describe('SafeRegExp', () => {
  it('reports undefined for a group that did not take part, as RegExp does', () => {
    const re = new SafeRegExp(/(x)?y/g);
    const m = re.exec('ay')!;
    expect([m[0], m[1], m.index, re.lastIndex]).toEqual(['y', undefined, 1, 2]);
    expect(re.exec('ay')).toBeNull();
    expect(re.lastIndex).toBe(0);
  });
});
