import type { JsonObject } from './definition-types';
import { setField } from './json-value';

/*
 * The order of the fields of an object a JSONPath payload template builds, as AWS gives it.
 * AWS keeps the template's fixed fields in the definition's order, and puts the fields filled
 * from a path or an intrinsic (`name.$`) after them, in the order a java.util.HashMap of
 * their names (without `.$`) iterates: by bucket, then by insertion. docs/fidelity.md gives
 * the evidence (test/conformance/key-order.test.ts checks every AWS recording against it).
 */

/* eslint-disable no-bitwise -- Java's String.hashCode and HashMap's buckets are defined on 32-bit integer operations */

/** Java's `String.hashCode` over UTF-16 code units, as a signed 32-bit integer. @internal */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Buckets a HashMap holding `size` entries has: 16, doubled while the entries pass 3/4 of them. */
function hashMapCapacity(size: number): number {
  let capacity = 16;
  // HashMap resizes when a put takes its size past capacity * 0.75.
  while (size > capacity * 0.75) capacity *= 2;
  return capacity;
}

/**
 * The indices of `names` in the order a java.util.HashMap built by putting them in this order
 * iterates them: by bucket (`(h ^ (h >>> 16)) & (capacity - 1)` of each name's hash), names
 * of one bucket in insertion order (a resize splits a bucket's list keeping its order). Bins
 * Java turns into trees (8 names in one bucket of a table of 64 or more) are not modelled.
 * @internal
 */
export function hashMapOrder(names: readonly string[]): number[] {
  const mask = hashMapCapacity(names.length) - 1;
  const buckets = names.map((name) => {
    const h = javaStringHash(name);
    return (h ^ (h >>> 16)) & mask;
  });
  /* eslint-enable no-bitwise */
  // Array.prototype.sort is stable: ties keep insertion order.
  return names.map((_, i) => i).sort((a, b) => buckets[a] - buckets[b]);
}

/**
 * The order AWS gives the fields of an object a JSONPath payload template builds: the indices
 * of the template's fields, fixed fields first in the definition's order, then the path fields
 * in HashMap order of their output names. `isPath[i]` says whether field i is a `.$` field;
 * `names[i]` is its output name (without `.$`).
 * @internal
 */
export function templateFieldOrder(names: readonly string[], isPath: readonly boolean[]): number[] {
  const fixed: number[] = [];
  const paths: number[] = [];
  for (let i = 0; i < names.length; i++) (isPath[i] ? paths : fixed).push(i);
  const hashed = hashMapOrder(paths.map((i) => names[i]));
  return [...fixed, ...hashed.map((j) => paths[j])];
}

/**
 * The fields of `obj` in the order a java.util.HashMap filled from it iterates them: the order
 * AWS gives the objects it builds as a map, as States.JsonMerge's result. A new object.
 * @internal
 */
export function inHashMapOrder(obj: JsonObject): JsonObject {
  const keys = Object.keys(obj);
  const out: JsonObject = {};
  for (const i of hashMapOrder(keys)) setField(out, keys[i], obj[keys[i]]);
  return out;
}
