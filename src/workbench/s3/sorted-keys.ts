/*
 * A bucket's keys kept in S3's listing order, so that a listing reads only the keys it answers
 * with: a page is found by a binary search and read while its keys start with the prefix, never
 * by filtering and sorting every key of the bucket (a listing with a Delimiter reads the store
 * once per common prefix).
 */

/** S3 lists keys in the binary order of their UTF-8 bytes. @internal */
export function compareKeys(a: string, b: string): number {
  // UTF-16 order is UTF-8 byte order but where a surrogate pair meets U+E000..U+FFFF.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** The index of the first of the sorted `keys` that is not before `key` (`after`: that is after it). */
function lowerBound(keys: readonly string[], key: string, after: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const c = compareKeys(keys[mid], key);
    if (c < 0 || (after && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The index in the sorted `keys` where a listing of `prefix` after `startAfter` begins: the keys
 * that start with a prefix come together in this order, none before the prefix itself.
 * @internal
 */
export function firstListed(keys: readonly string[], prefix: string, startAfter: string | undefined): number {
  const from = lowerBound(keys, prefix, false);
  return startAfter === undefined ? from : Math.max(from, lowerBound(keys, startAfter, true));
}

/** Puts a key in its place in the sorted `keys`, unless it is there. @internal */
export function insertSorted(keys: string[], key: string): void {
  const at = lowerBound(keys, key, false);
  if (keys[at] !== key) keys.splice(at, 0, key);
}

/** Takes a key out of the sorted `keys`, if it is there. @internal */
export function removeSorted(keys: string[], key: string): void {
  const at = lowerBound(keys, key, false);
  if (keys[at] === key) keys.splice(at, 1);
}
