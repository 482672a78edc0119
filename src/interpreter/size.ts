import type { JsonObject, JsonValue } from '../asl';

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
    case 'number': return numberSize(value);
    case 'boolean': return value ? 4 : 5;
    default: break;
  }
  // One walk measures both: with no bound it goes to the end.
  return within(value, Infinity);
}

/**
 * {@link jsonByteLength} when it is at most `max`; otherwise some number over
 * `max`, found by a walk that stops as soon as the bytes counted pass it. A
 * limit check need not measure the rest of a document already over it: a
 * 2 MiB input held to AWS's 256 KiB is walked for its first 256 KiB only.
 * @internal
 */
export function jsonByteLengthWithin(value: JsonValue | undefined, max: number): number {
  return within(value, max);
}

/**
 * The size of a state's effective input (the value its Parameters or Arguments built) when it is
 * over `max`, measured in full only then; undefined within it. AWS fails such a state with
 * `States.DataLimitExceeded` ("Error names", Step Functions developer guide: "When, after
 * Parameters processing, the input of a state is larger than the payload size quota"), whatever
 * its ResultPath or OutputPath keeps of it.
 * @internal
 */
export function effectiveInputOverLimit(value: JsonValue, max: number): number | undefined {
  if (max === Infinity || jsonByteLengthWithin(value, max) <= max) return undefined;
  return jsonByteLength(value);
}

function within(value: JsonValue | undefined, room: number): number {
  if (value === null || typeof value !== 'object') {
    // No string is written in fewer bytes than its UTF-16 length (and its quotes).
    if (typeof value === 'string' && value.length + 2 > room) return value.length + 2;
    return jsonByteLength(value);
  }
  const cached = sizes.get(value);
  if (cached !== undefined) return cached;
  let size: number;
  if (Array.isArray(value)) {
    const n = value.length;
    size = n === 0 ? 2 : n + 1;
    for (let i = 0; i < n && size <= room; i++) size += within(value[i], room - size);
  } else {
    size = 1;
    let fields = 0;
    for (const key in value) {
      const v = value[key];
      if (v === undefined) continue;
      size += stringSize(key) + 2;
      if (size > room) return size;
      size += within(v, room - size);
      if (size > room) return size;
      fields++;
    }
    if (fields === 0) size = 2;
  }
  // Only a walk that went to the end knows the size to remember, and only large objects are worth
  // remembering: small ones are quicker to measure again than to keep in a WeakMap, which costs the
  // garbage collector.
  if (size <= room && size >= CACHE_FROM_BYTES) sizes.set(value, size);
  return size;
}

/** Characters of a number in JSON: an integer's digits are counted without writing it out. */
function numberSize(value: number): number {
  if (!Number.isFinite(value)) return 4;
  if (!Number.isInteger(value) || value <= -1e15 || value >= 1e15) return String(value).length;
  // -0 is written as 0.
  let n = value < 0 ? 2 : 1;
  const a = value < 0 ? -value : value;
  for (let p = 10; a >= p; p *= 10) n++;
  return n;
}

function stringSize(s: string): number {
  // Printable ASCII without quotes or backslashes is written as is.
  if (!NOT_PLAIN.test(s)) return s.length + 2;
  return Buffer.byteLength(JSON.stringify(s), 'utf8');
}

function isPlainObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Size of `output` when it was derived from `input`, whose size is known:
 * only the top-level fields that differ are measured. A state usually changes
 * one field of its input (a ResultPath merge), so this costs what the change
 * costs, not what the whole document costs.
 * @internal
 */
export function derivedByteLength(input: JsonValue, inputSize: number | undefined, output: JsonValue): number {
  if (inputSize === undefined || !isPlainObject(input) || !isPlainObject(output)) return jsonByteLength(output);
  const cached = sizes.get(output);
  if (cached !== undefined) return cached;
  // An object's size is 1 + the sum of its entries (key, colon, value, and a comma or the
  // closing brace), or 2 when it has none.
  let entries = 0;
  let inputEntries = 0;
  let sum = 0;
  for (const key in input) {
    const before = input[key];
    if (before === undefined) continue;
    inputEntries++;
    const after = output[key];
    if (after !== before) sum -= stringSize(key) + 2 + jsonByteLength(before);
  }
  sum += inputEntries === 0 ? 0 : inputSize - 1;
  for (const key in output) {
    const after = output[key];
    if (after === undefined) continue;
    entries++;
    if (input[key] !== after) sum += stringSize(key) + 2 + jsonByteLength(after);
  }
  const size = entries === 0 ? 2 : 1 + sum;
  if (size >= CACHE_FROM_BYTES) sizes.set(output, size);
  return size;
}
