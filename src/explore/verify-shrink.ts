import type { JsonValue } from '../asl';

/*
 * Shrinking a counterexample's input: the smaller values verify tries, as long as the property
 * stays broken with no more Task calls (verify.ts's shrink).
 */

/** Inputs smaller than `v` as JSON, the boldest first: emptied, a field or item dropped, a part shrunk. @internal */
export function* smallerValues(v: JsonValue, depth: number): Generator<JsonValue> {
  if (depth <= 0) return;
  if (Array.isArray(v)) {
    if (v.length === 0) return;
    yield [];
    if (v.length > 2) yield v.slice(0, Math.floor(v.length / 2));
    for (let i = 0; i < v.length; i++) yield [...v.slice(0, i), ...v.slice(i + 1)];
    for (let i = 0; i < v.length; i++) {
      for (const s of smallerValues(v[i], depth - 1)) yield [...v.slice(0, i), s, ...v.slice(i + 1)];
    }
  } else if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) return;
    yield {};
    for (const k of keys) {
      const { [k]: _dropped, ...rest } = v;
      yield rest;
    }
    for (const k of keys) for (const s of smallerValues(v[k], depth - 1)) yield { ...v, [k]: s };
  } else if (typeof v === 'string') {
    if (v.length > 0) yield '';
    if (v.length > 1) yield v.slice(0, Math.ceil(v.length / 2));
  } else if (typeof v === 'number') {
    const shorter = Math.trunc(v / 10);
    if (v !== 0 && String(v).length > 1) yield 0;
    if (shorter !== 0 && String(shorter).length < String(v).length) yield shorter;
  }
}
