import type { JsonValue } from '../asl/types';

/** Largest payload AWS accepts as a state's input or output, in UTF-8 bytes. */
export const MAX_PAYLOAD_BYTES = 262_144;

const sizes = new WeakMap<object, number>();
const CACHE_FROM_BYTES = 1024;
/** Characters outside printable ASCII, or that JSON escapes (`"` and `\\`). */
const NOT_PLAIN = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

/**
 * Size in UTF-8 bytes of `JSON.stringify(value)`. Objects are immutable here,
 * so the sizes of large ones are cached: a document passed from state to state
 * unchanged is measured once, and a ResultPath merge measures only what it created.
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
  let size: number;
  if (Array.isArray(value)) {
    const n = value.length;
    size = n === 0 ? 2 : n + 1;
    for (let i = 0; i < n; i++) size += jsonByteLength(value[i]);
  } else {
    size = 1;
    let fields = 0;
    for (const key in value) {
      const v = value[key];
      if (v === undefined) continue;
      size += stringSize(key) + 2 + jsonByteLength(v);
      fields++;
    }
    if (fields === 0) size = 2;
  }
  // Only large objects are worth remembering: small ones are quicker to measure
  // again than to keep in a WeakMap, which costs the garbage collector.
  if (size >= CACHE_FROM_BYTES) sizes.set(value, size);
  return size;
}

function stringSize(s: string): number {
  // Printable ASCII without quotes or backslashes is written as is.
  if (!NOT_PLAIN.test(s)) return s.length + 2;
  return Buffer.byteLength(JSON.stringify(s), 'utf8');
}
