import type { Write } from './reads';
import type { JsonValue } from '../asl';
import { sameJson } from '../asl/json-value';

/*
 * Writes that meet at one place: a Choice that reads two values computed from one field
 * (`States.ArrayLength($.xs)` and `States.ArrayGetItem($.xs, 0)`, an `And` of both) gets a list
 * from each inverse. Written one after the other, the second undoes the first; merged, the list
 * holds what both want (as long as the longer, each item the one a computation asked for), and
 * the run says whether it does.
 */

/** How deep {@link merged} takes lists and objects inside lists and objects. */
const MERGE_DEPTH = 8;

/** A value an inverse gives where it asks for nothing in particular: an empty object (an item ArrayLength counts). */
function blank(v: JsonValue): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

function isObject(v: JsonValue): v is { [k: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A JSON text's list or object, else undefined. */
function jsonText(v: JsonValue): JsonValue | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    const parsed: JsonValue = JSON.parse(v);
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Two values wanted at one place as one, or undefined when they cannot both hold: lists item by
 * item (the longer's length; an item one wants over a blank the other made), objects field by
 * field, the texts of JSON lists or objects as the text of their merge.
 */
export function merged(a: JsonValue, b: JsonValue, depth = 0): JsonValue | undefined {
  if (sameJson(a, b)) return a;
  if (depth > MERGE_DEPTH) return undefined;
  if (blank(a)) return b;
  if (blank(b)) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const item = i >= a.length ? b[i] : i >= b.length ? a[i] : merged(a[i], b[i], depth + 1);
      if (item === undefined) return undefined;
      out.push(item);
    }
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const out: { [k: string]: JsonValue } = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const m = Object.hasOwn(out, k) ? merged(out[k], v, depth + 1) : v;
      if (m === undefined) return undefined;
      out[k] = m;
    }
    return out;
  }
  const [ta, tb] = [jsonText(a), jsonText(b)];
  if (ta !== undefined && tb !== undefined) {
    const m = merged(ta, tb, depth + 1);
    return m === undefined ? undefined : JSON.stringify(m);
  }
  return undefined;
}

/**
 * The writes with those that land at one place (a list or object, or the text of one, each)
 * merged into the first of them; writes that cannot merge, or that replace a filter's selection
 * (Write.select), are kept as they are, in order.
 */
export function mergedWrites(writes: readonly Write[]): Write[] {
  const out: Write[] = [];
  for (const w of writes) {
    const key = JSON.stringify(w.source);
    const at = w.select === undefined && w.value !== undefined
      ? out.findIndex((o) => o.select === undefined && o.value !== undefined && JSON.stringify(o.source) === key)
      : -1;
    const m = at >= 0 && w.value !== undefined && out[at].value !== undefined ? merged(out[at].value!, w.value) : undefined;
    if (m === undefined || (!(m !== null && typeof m === 'object') && jsonText(m) === undefined)) {
      out.push(w);
      continue;
    }
    out[at] = { ...out[at], value: m };
  }
  return out;
}
