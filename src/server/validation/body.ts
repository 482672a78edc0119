/*
 * A request body read as AWS's JSON reader reads it, member by member in the order sent. JSON.parse
 * keeps the last value of a member sent twice in one object and forgets the others; AWS's reader
 * (Jackson's streaming parser) reads each of them into the request, so an earlier one of the wrong
 * type fails the read with SerializationException although the last one would do. The earlier
 * values are kept here, beside the object JSON.parse would give, for the validator to read.
 */
import type { JsonObject, JsonValue } from '../../asl';

const EARLIER = new WeakMap<object, Map<string, JsonValue[]>>();
const EARLIER_DECIMAL = new WeakMap<object, Map<string, boolean[]>>();

/**
 * The members and list places whose number was written as a decimal (`1.0`, `1e3`) though its
 * value is whole. AWS's reader names a number's JSON token by its spelling: `1e3` or `100.0` for
 * a string member is `DECIMAL_VALUE cannot be converted to String` (Jackson's float token), where
 * JSON.parse reads 1000 and 100 as it reads `1000` and `100`.
 */
const DECIMAL = new WeakMap<object, Set<string | number>>();

/**
 * The values sent before the last for `key` in `object`, in the order sent; undefined when it was
 * sent once (or `object` was not read by {@link parseBody}).
 * @internal
 */
export function earlierValues(object: Readonly<JsonObject>, key: string): readonly JsonValue[] | undefined {
  return EARLIER.get(object)?.get(key);
}

/** Of the values {@link earlierValues} gives, in the same order, which were whole numbers written as decimals. @internal */
export function earlierDecimals(object: Readonly<JsonObject>, key: string): readonly boolean[] {
  return EARLIER_DECIMAL.get(object)?.get(key) ?? [];
}

/**
 * Whether the number at `key` of `container` (a member's name, a list's place) was written as a
 * decimal (`1.0`, `1e3`) though it is whole; false where {@link parseBody} did not read it.
 * @internal
 */
export function isDecimalLiteral(container: object, key: string | number): boolean {
  return DECIMAL.get(container)?.has(key) ?? false;
}

/**
 * The body's JSON value, as JSON.parse gives it (the last value of a member sent twice), with the
 * earlier values of a member sent twice kept for {@link earlierValues}, and the whole numbers
 * written as decimals for {@link isDecimalLiteral}.
 * @throws SyntaxError when the body is not JSON, as JSON.parse throws
 * @internal
 */
export function parseBody(raw: string): JsonValue {
  const value = JSON.parse(raw) as JsonValue;
  // Only an object of at least two members can repeat one, and a decimal needs a digit before its
  // point or exponent; the text is read again only then.
  if (!/"\s*:[\s\S]*"\s*:/.test(raw) && !/[0-9][.eE]/.test(raw)) return value;
  const read = readRecordingRepeats(raw);
  return read.recorded ? read.value : value;
}

interface Frame { readonly container: JsonObject | JsonValue[]; key?: string }

/**
 * Reads valid JSON text (JSON.parse has read it) with an explicit stack, keeping each repeated
 * member's earlier values and marking each whole number written as a decimal.
 */
function readRecordingRepeats(raw: string): { value: JsonValue; recorded: boolean } {
  let i = 0;
  let recorded = false;
  let decimal = false;
  let result: JsonValue = null;
  const stack: Frame[] = [];
  const ws = (): void => {
    while (raw[i] === ' ' || raw[i] === '\t' || raw[i] === '\n' || raw[i] === '\r') i++;
  };
  const text = (): string => {
    const start = i;
    for (;;) {
      const quote = raw.indexOf('"', i + 1);
      let b = quote - 1;
      while (raw[b] === '\\') b--;
      i = quote;
      // A quote after an even number of backslashes ends the string.
      if ((quote - 1 - b) % 2 === 0) break;
    }
    i++;
    return JSON.parse(raw.slice(start, i)) as string;
  };
  const scalar = (): JsonValue => {
    const start = i;
    while (i < raw.length && !',}] \t\n\r'.includes(raw[i])) i++;
    const literal = raw.slice(start, i);
    const value = JSON.parse(literal) as JsonValue;
    decimal = typeof value === 'number' && Number.isInteger(value) && /[.eE]/.test(literal);
    return value;
  };
  const mark = (container: object, key: string | number): void => {
    const marked = DECIMAL.get(container);
    if (decimal) {
      recorded = true;
      if (marked === undefined) DECIMAL.set(container, new Set([key]));
      else marked.add(key);
    } else {
      marked?.delete(key);
    }
    decimal = false;
  };
  const readKey = (frame: Frame): void => {
    ws();
    frame.key = text();
    ws();
    i++; // the colon
  };
  const put = (value: JsonValue): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      result = value;
      return;
    }
    if (Array.isArray(top.container)) {
      mark(top.container, top.container.length);
      top.container.push(value);
      return;
    }
    const object = top.container;
    const key = top.key!;
    const wasDecimal = isDecimalLiteral(object, key);
    mark(object, key);
    if (Object.hasOwn(object, key)) {
      recorded = true;
      let earlier = EARLIER.get(object);
      if (earlier === undefined) EARLIER.set(object, earlier = new Map());
      earlier.set(key, [...earlier.get(key) ?? [], object[key]]);
      let decimals = EARLIER_DECIMAL.get(object);
      if (decimals === undefined) EARLIER_DECIMAL.set(object, decimals = new Map());
      decimals.set(key, [...decimals.get(key) ?? [], wasDecimal]);
    }
    // As JSON.parse does: an own member whatever its name (__proto__ too), in the place it was first sent.
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  };
  for (;;) {
    ws();
    const c = raw[i];
    if (c === '{' || c === '[') {
      i++;
      const frame: Frame = { container: c === '{' ? {} : [] };
      stack.push(frame);
      ws();
      if (raw[i] !== (c === '{' ? '}' : ']')) {
        if (c === '{') readKey(frame);
        continue;
      }
      i++;
      stack.pop();
      put(frame.container);
    } else {
      put(c === '"' ? text() : scalar());
    }
    // After a value: the next member, or the end of its container.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return { value: result, recorded };
      ws();
      if (raw[i] === ',') {
        i++;
        if (!Array.isArray(top.container)) readKey(top);
        break;
      }
      i++;
      stack.pop();
      put(top.container);
    }
  }
}
