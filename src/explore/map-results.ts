import type { FieldRef } from './solve/jsonata-ast';
import type { Computed } from './sources';
import type { JsonValue } from '../asl';
import { sameJson } from '../asl/json-value';

/*
 * The lists of results a Map's iterations could give, for a search over what a state after the
 * Map computes from them (`$count($states.result[held])`, `$sum($states.result.stars)`, the
 * Conditions of a Choice on those). A Map's result is its array of iteration outputs, one per
 * item, unless a ResultWriter writes them to S3 (provenance.ts does not make results up then);
 * with an ItemBatcher no iteration's item is known (run-values.ts), and no list is made here. Each list is made of results iterations of explore's runs gave,
 * each for an item it knows: as many of one result as the Conditions ask for, or one result with
 * a field changed to a value the Conditions compare with. The inverse (`Map.results`,
 * inverse.ts) then gives each result's item, and the run shows what the iterations made of them.
 */

/** The most items a list made here holds (each is a child execution of every run that tries it). */
const MAX_ITEMS = 256;
/** The most distinct results lists are made of, and values tried for a field of one. */
const MAX_BASES = 6;
const MAX_VALUES = 12;
/** The most lists one search is given. */
const MAX_LISTS = 150;

/** One iteration's result, an object (a result that is not one is not made a list of). */
type Result = { [k: string]: JsonValue };

function isResult(v: JsonValue | undefined): v is Result {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Lists of results for a `Map.results` computation, best first: the empty list, lists of `n`
 * copies of a result an iteration gave (after the results the run had, `now`, then alone), then
 * of such a result with one number field (or a field in `read`, one the expressions read of each
 * result, whatever it holds now) set to a value from `numbers` (the literals of the
 * expressions and Conditions that read them). The
 * counts are the small ones, the whole numbers among `numbers` (and one more), and for a sum
 * (`$sum(...) >= 50000`) the copies of a field's value that reach each number.
 */
export function resultLists(c: Computed, numbers: readonly JsonValue[], now?: JsonValue, read: readonly string[] = []): JsonValue[][] {
  if (c.fn !== 'Map.results') return [];
  const bases: Result[] = [];
  // The first index at which an iteration gave each result.
  const firstAt = new Map<Result, number>();
  for (const o of c.params?.outcomes ?? []) {
    const known = bases.find((b) => sameJson(b, o.result));
    if (known !== undefined) firstAt.set(known, Math.min(firstAt.get(known)!, o.index));
    if (bases.length >= MAX_BASES || known !== undefined || !isResult(o.result)) continue;
    bases.push(o.result);
    firstAt.set(o.result, o.index);
  }
  if (bases.length === 0) return [];
  const nums = [...new Set(numbers.filter((n): n is number => typeof n === 'number' && Number.isFinite(n)))];
  // A field compared with 4.5 or more takes 4.5, or 5 and up: the number, the whole one above it, and one more.
  const values = [...new Set(nums.flatMap((n) => [n, Math.ceil(n), Math.floor(n) + 1]))].slice(0, MAX_VALUES);
  const counts = new Set<number>([1, 2, 3]);
  for (const n of nums) if (Number.isInteger(n) && n > 0) { counts.add(n); counts.add(n + 1); }
  for (const b of bases) {
    for (const v of Object.values(b)) {
      if (typeof v !== 'number' || v <= 0) continue;
      for (const n of nums) if (n > v) { counts.add(Math.ceil(n / v)); counts.add(Math.ceil(n / v) + 1); }
    }
  }
  const sizes = [...counts].filter((n) => n >= 1 && n <= MAX_ITEMS).sort((a, b) => a - b);
  const out: JsonValue[][] = [[]];
  // The copies after the results the run had, then alone: a result an iteration gives only past an index (a rule on
  // `$states.context.Map.Item.Index`) is given again after the items that came before it.
  const had = Array.isArray(now) && now.length > 0 && now.length + 1 <= MAX_ITEMS ? now : undefined;
  // Where the iterations read their index, a result one gave at index i is given at i or after, after the results the run
  // had before i (the first line of a file a header, whatever it holds): at index 0 its item may give another result. Where
  // the run had fewer, it is given only after those it had.
  const indexed = c.params?.indexed === true;
  const add = (r: Result, n: number, at: number): void => {
    const copies = Array.from({ length: n }, () => r);
    if (had && had.length + n <= MAX_ITEMS && out.length < MAX_LISTS) out.push([...had, ...copies]);
    const before = !indexed || at === 0 ? [] : Array.isArray(now) && now.length >= at ? now.slice(0, at) : undefined;
    if (before === undefined || (before.length > 0 && had !== undefined && before.length === had.length)) return;
    if (before.length + n <= MAX_ITEMS && out.length < MAX_LISTS) out.push([...before, ...copies]);
  };
  // The results iterations gave, as they gave them: their items are known.
  for (const n of sizes) for (const b of bases) add(b, n, firstAt.get(b) ?? 0);
  // Then one number field of a result changed, in as many copies: a field another result holds is one the processor's
  // output may hold too (a result without it had an item without it).
  const fields = [...new Set([...read, ...bases.flatMap((b) => Object.keys(b).filter((k) => typeof b[k] === 'number'))])];
  for (const b of bases) {
    for (const k of [...fields].sort((p, q) => Number(!Object.hasOwn(b, p)) - Number(!Object.hasOwn(b, q)))) {
      if (Object.hasOwn(b, k) && typeof b[k] !== 'number' && !read.includes(k)) continue;
      for (const value of values) if (value !== b[k]) for (const n of sizes) add({ ...b, [k]: value }, n, firstAt.get(b) ?? 0);
    }
  }
  return out;
}

/** The fields expressions read of each item of a list read whole at `whole` (`$sum($states.result.rows)`: rows). */
export function fieldsOfEach(refs: readonly FieldRef[], whole: FieldRef): string[] {
  const n = whole.steps.length;
  return [...new Set(refs
    .filter((f) => sameJson(f.root, whole.root) && sameJson(f.steps.slice(0, n), whole.steps) && typeof f.steps[n] === 'string')
    .map((f) => f.steps[n] as string))];
}
