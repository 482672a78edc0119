import type { Literal } from './literals';

/**
 * What a domain solver (numbers, strings, timestamps) answers for one node:
 * values that satisfy all its literals (best first), a contradiction among
 * some of them (proved: no value of the domain satisfies them), or that it
 * could not decide.
 */
export type DomainAnswer<T> =
  | { readonly kind: 'values'; readonly values: readonly T[] }
  /** `words[i]` says what `lits[i]` asks of a value of the domain (`> 100`, `matches "a*"`). */
  | { readonly kind: 'conflict'; readonly lits: readonly Literal[]; readonly words: readonly string[] }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Raised when a question has used up its {@link WorkBudget}; the solver answers `unknown`. */
export class WorkExhausted extends Error {
  constructor(readonly limit: number) {
    super(`gave up after ${limit} steps of work`);
    this.name = 'WorkExhausted';
  }
}

/**
 * The work one question may do, counted in literal checks (a literal
 * checked against a value, a literal gathered into a case), so that a large
 * or hostile definition ends in `unknown` instead of running on.
 */
export class WorkBudget {
  private spent = 0;
  constructor(readonly limit: number) {}

  /** Counts `n` steps; throws {@link WorkExhausted} past the limit. */
  spend(n: number): void {
    this.spent += n;
    if (this.spent > this.limit) throw new WorkExhausted(this.limit);
  }
}
