import type { JsonValue } from '../../asl';

/** How many of each field's candidates are combined with another field's. */
const PAIR_WIDTH = 6;
/** Up to how many fields are tried all at once near their first candidates, and how far (the sum of the indexes) from them. */
const NEAR_FIELDS = 6;
const NEAR_SUM = 2;

/**
 * Assignments of candidate values to fields, in the order the search tries them: none, then (for
 * more than two fields) each field's first candidate together and every field near its first, one
 * field, then two, then all.
 */
export type Assignment = Array<[number, JsonValue | undefined]>;

export function* assignments(fields: readonly string[], candidates: ReadonlyArray<ReadonlyArray<JsonValue | undefined>>): Generator<Assignment> {
  yield [];
  // Values meant to be given together (each field's share of a sum) come first in each list: tried at once, before the
  // fields one by one and two by two use up the tries.
  const together = fields.length > 2 && candidates.every((c) => c.length > 0);
  if (together) yield candidates.map((c, i): [number, JsonValue | undefined] => [i, c[0]]);
  // Then every field at once, near its first candidate: a Condition that is a conjunction over three fields
  // (`$a = 'X' and $b in [...] and $c != 'y'`) can need each field at once, one of them at its second value
  // ('yx', not 'y'), which neither one or two fields at a time nor the rows below ever give.
  if (together && fields.length <= NEAR_FIELDS) for (const row of nearRows(candidates, NEAR_SUM)) yield row;
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

/**
 * Every field given a candidate at once, the sum of the candidates' indexes from 1 to `maxSum`, smaller
 * sums first (all first candidates, sum 0, is yielded before): (1,0,0), (0,1,0), …, (2,0,0), (1,1,0), ….
 */
function* nearRows(candidates: ReadonlyArray<ReadonlyArray<JsonValue | undefined>>, maxSum: number): Generator<Assignment> {
  for (let sum = 1; sum <= maxSum; sum++) {
    const spread = (i: number, left: number, row: Assignment): Assignment[] => {
      if (i === candidates.length) return left === 0 ? [row] : [];
      const out: Assignment[] = [];
      for (let k = Math.min(left, candidates[i].length - 1); k >= 0; k--) out.push(...spread(i + 1, left - k, [...row, [i, candidates[i][k]]]));
      return out;
    };
    yield* spread(0, sum, []);
  }
}
