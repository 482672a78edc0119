import type { JsonValue } from '../asl/types';

/** Largest payload AWS accepts as a state's input or output, in UTF-8 bytes. */
export const MAX_PAYLOAD_BYTES = 262_144;

const sizes = new WeakMap<object, number>();
const CACHE_FROM_BYTES = 1024;
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;

/**
 * Size in UTF-8 bytes of `JSON.stringify(value)`. Objects are immutable here,
 * so their sizes are cached: a document passed from state to state unchanged is
 * measured once, and a ResultPath merge measures only the objects it created.
 * @internal
 */
export function jsonByteLength(value: JsonValue | undefined): number {
  if (value === null || value === undefined) return 4;
  switch (typeof value) {
    case 'string': return stringSize(value);
    case 'number': return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean': return value ? 4 : 5;
    default: break;
  }
  const cached = sizes.get(value);
  if (cached !== undefined) return cached;
  let size = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) size += (i > 0 ? 1 : 0) + jsonByteLength(value[i]);
  } else {
    let first = true;
    for (const key in value) {
      const v = value[key];
      if (v === undefined) continue;
      size += (first ? 0 : 1) + stringSize(key) + 1 + jsonByteLength(v);
      first = false;
    }
  }
  // Only large objects are worth remembering: small ones are quicker to measure
  // again than to keep in a WeakMap, which costs the garbage collector.
  if (size >= CACHE_FROM_BYTES) sizes.set(value, size);
  return size;
}

function stringSize(s: string): number {
  // Fast path: ASCII without characters JSON escapes.
  if (s.length < 64 && !NEEDS_ESCAPE.test(s)) {
    let ascii = true;
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) { ascii = false; break; }
    if (ascii) return s.length + 2;
  }
  return Buffer.byteLength(JSON.stringify(s), 'utf8');
}
