import type { Formula } from './formula';
import type { Literal } from './literals';

/** What checking one set of literals gives. */
export type CheckAnswer<T> =
  | { readonly kind: 'sat'; readonly value: T }
  | { readonly kind: 'conflict'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** What the search over a formula's cases gives. */
export type SearchOutcome<T> =
  | { readonly kind: 'sat'; readonly value: T }
  /** Every case contradicts itself; the distinct reasons, in the order met. */
  | { readonly kind: 'unsat'; readonly reasons: readonly string[] }
  | { readonly kind: 'unknown'; readonly reason: string };

/** The formulas still to satisfy on one path of the search, first first. */
type Agenda = { readonly head: Formula; readonly tail: Agenda } | undefined;

/**
 * Walks the cases of a formula depth first, in the order the rules are
 * written: And adds its parts, Or tries its parts one after another. The
 * literals gathered so far are checked before each Or splits, so a
 * contradiction cuts off every case below it at once. `maxChecks` bounds the
 * work: past it the answer is `unknown`, never a guess.
 *
 * @param check decides a set of literals; `complete` is false while more
 *   literals may still be added (then only a conflict is acted on)
 */
export function searchCases<T>(
  formula: Formula,
  check: (lits: readonly Literal[], complete: boolean) => CheckAnswer<T>,
  maxChecks: number,
): SearchOutcome<T> {
  let checks = 0;
  let exhausted = false;
  // The answer found, held in a box: a T may itself be undefined.
  let found: { readonly value: T } | undefined;
  const reasons: string[] = [];
  const unknowns: string[] = [];
  const note = (list: string[], reason: string): void => {
    if (!list.includes(reason)) list.push(reason);
  };

  const run = (start: Agenda, inherited: readonly Literal[], checkedCount: number): boolean => {
    const lits = inherited.slice();
    let agenda = start;
    let checked = checkedCount;
    while (agenda) {
      const f = agenda.head;
      agenda = agenda.tail;
      if (f.kind === 'lit') {
        if (!lits.includes(f.lit)) lits.push(f.lit);
        continue;
      }
      if (f.kind === 'and') {
        for (let i = f.parts.length - 1; i >= 0; i--) agenda = { head: f.parts[i], tail: agenda };
        continue;
      }
      if (lits.length > checked) {
        if (++checks > maxChecks) { exhausted = true; return false; }
        const partial = check(lits, false);
        checked = lits.length;
        if (partial.kind === 'conflict') {
          note(reasons, partial.reason);
          return false;
        }
      }
      for (const part of f.parts) {
        if (run({ head: part, tail: agenda }, lits, checked)) return true;
        if (exhausted) return false;
      }
      return false;
    }
    if (++checks > maxChecks) { exhausted = true; return false; }
    const answer = check(lits, true);
    if (answer.kind === 'sat') {
      found = { value: answer.value };
      return true;
    }
    note(answer.kind === 'conflict' ? reasons : unknowns, answer.reason);
    return false;
  };

  run({ head: formula, tail: undefined }, [], 0);
  if (found !== undefined) return { kind: 'sat', value: found.value };
  if (exhausted) {
    return { kind: 'unknown', reason: `the rules split into more cases than the ${maxChecks} checks allowed${unknowns.length > 0 ? `; undecided so far: ${unknowns[0]}` : ''}` };
  }
  if (unknowns.length > 0) return { kind: 'unknown', reason: unknowns[0] };
  return { kind: 'unsat', reasons };
}
