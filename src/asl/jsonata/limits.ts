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
   * Items in one sequence, range or `$range`. A state's data is at most
   * 256 KiB, about 130,000 small items; a million leaves room for
   * intermediate results while one native call on it (`$string`, `$sort`)
   * still takes about a second.
   */
  sequence: 1_000_000,
  /** Characters `$pad` may produce; past it the call fails instead of a fatal allocation. */
  stringLength: 10_000_000,
} as const;
