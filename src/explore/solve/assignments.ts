import type { JsonValue } from '../../asl';

/** How many of each field's candidates are combined with another field's. */
const PAIR_WIDTH = 6;

/**
 * Assignments of candidate values to fields, in the order the search tries them: none, then (for
 * more than two fields) each field's first candidate together, one field, then two, then all.
 */
export type Assignment = Array<[number, JsonValue | undefined]>;

export function* assignments(fields: readonly string[], candidates: ReadonlyArray<ReadonlyArray<JsonValue | undefined>>): Generator<Assignment> {
  yield [];
  // Values meant to be given together (each field's share of a sum) come first in each list: tried at once, before the
  // fields one by one and two by two use up the tries.
  if (fields.length > 2 && candidates.every((c) => c.length > 0)) yield candidates.map((c, i): [number, JsonValue | undefined] => [i, c[0]]);
  for (let i = 0; i < fields.length; i++) for (const v of candidates[i]) yield [[i, v]];
  for (let i = 0; i < fields.length; i++) {
    for (let j = i + 1; j < fields.length; j++) {
      for (const a of candidates[i].slice(0, PAIR_WIDTH)) for (const b of candidates[j].slice(0, PAIR_WIDTH)) yield [[i, a], [j, b]];
    }
  }
  if (fields.length > 2) {
    const longest = Math.max(...candidates.map((c) => c.length));
    for (let k = 0; k < longest; k++) {
      const row: Assignment = [];
      for (let i = 0; i < fields.length; i++) if (candidates[i].length > 0) row.push([i, candidates[i][k % candidates[i].length]]);
      yield row;
    }
  }
}
