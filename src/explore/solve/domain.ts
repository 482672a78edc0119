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
