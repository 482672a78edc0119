/**
 * Bounds on one JSONata evaluation, so that no expression can hang or exhaust
 * the process: JSONata's evaluation is a chain of promises that never yields
 * to the event loop, so a runaway expression would otherwise freeze every
 * timer (jest's included). Past a bound the evaluation fails with
 * `States.QueryEvaluationError` and JSONata's code: D1011 (nesting), D1012
 * (steps), D2015 (a sequence or range longer than `sequence`); `$pad`
 * refuses a width past `stringLength`.
 * @internal
 */
export const JSONATA_LIMITS = {
  /**
   * Evaluation steps (expression nodes entered) one evaluation may take: an endless
   * tail-recursive function runs in constant depth, so only a count ends it. Counted, not timed,
   * so that whether an expression passes depends on neither the machine's speed nor the
   * evaluations running beside it (a Map's iterations interleave theirs): a real-time bound
   * failed an expression of 190 ms in each of 40 iterations of one Map. A step takes about a
   * microsecond, so a runaway ends in about a second, as the real-time bound of 2 s ended it on
   * an idle machine; a function over each of 130,000 small items (a state's 256 KiB of data)
   * takes about 650,000 steps, five an item.
   */
  steps: 1_000_000,
  /**
   * Nesting of evaluation steps, AWS's own bound: as measured on AWS, `1+1+…+1` passes at 100
   * terms, 99 nested parentheses, brackets or `~>` stages pass, and a non-tail-recursive
   * function passes at 31 calls; one more of each fails. JSONata's depth count at 100 gives
   * exactly these thresholds. A non-terminating recursive function reaches it at once.
   */
  depth: 100,
  /**
   * Items one array or sequence may hold: AWS's memory bound of 6,990,256 bytes at 8 bytes an
   * item. Measured on AWS with TestState (floci-io/floci issue 2737): `[1..873782] ~> $count()`
   * gives 873782, one item more fails the state, as do `[1..900000] ~> $count()` and
   * `$sum([1..900000])`, with {@link JSONATA_MEMORY_LIMIT_MESSAGE}. A state's data is at most
   * 256 KiB, so only a value an expression builds comes near it.
   */
  sequence: 873_782,
  /**
   * Characters one string may hold: the same 6,990,256 bytes at a byte a character, the one
   * reading that fits both measurements (a string of 2^22 characters built by doubling passes
   * on AWS, one of 2^23 fails with the same message). Between the two AWS's bound is not
   * measured (docs/fidelity.md).
   */
  stringLength: 6_990_256,
  /**
   * Numbers `$range` may return. AWS refuses a `$range` sooner than a range `[a..b]` of the
   * same length: `$count($range(1, 200000, 1))` gives 200000 and one of 500,000 fails on the
   * memory bound (floci-io/floci pull 2676, measured on AWS). Only what was seen to fail fails
   * here; a length between the two passes, as docs/fidelity.md says.
   */
  rangeFunction: 499_999,
} as const;

/**
 * What AWS says of an expression that holds more than its memory bound, after "threw an error
 * during evaluation: " (no JSONata code), as TestState answered it (floci-io/floci issue 2737).
 * @internal
 */
export const JSONATA_MEMORY_LIMIT_MESSAGE = 'Expression evaluation memory limit exceeded: Check for excessive memory usage';

/**
 * The error that ends an evaluation past AWS's memory bound: an Error without a JSONata code,
 * so that the cause reads "threw an error during evaluation: " and AWS's message.
 * @internal
 */
export function memoryLimitError(): Error {
  return new Error(JSONATA_MEMORY_LIMIT_MESSAGE);
}
