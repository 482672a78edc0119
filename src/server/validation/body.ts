/*
 * A request body read as AWS's JSON reader reads it, member by member in the order sent. JSON.parse
 * keeps the last value of a member sent twice in one object and forgets the others; AWS's reader
 * (Jackson's streaming parser) reads each of them into the request, so an earlier one of the wrong
 * type fails the read with SerializationException although the last one would do. The earlier
 * values are kept here, beside the object JSON.parse would give, for the validator to read.
 */
import type { JsonObject, JsonValue } from '../../asl';
import { MAX_JSON_DEPTH } from '../../asl/json-value';

/** The encodings Jackson's byte reader detects in a JSON body (ByteSourceJsonBootstrapper). @internal */
export type BodyEncoding = 'UTF-8' | 'UTF-16BE' | 'UTF-16LE' | 'UTF-32BE' | 'UTF-32LE';

/**
 * What a request body's bytes read as: its text, its encoding, and whether a byte order mark
 * began it. @internal
 */
export interface BodyText {
  readonly text: string;
  readonly encoding: BodyEncoding;
  readonly byteOrderMark: boolean;
}

/** A body whose bytes are not UTF-8, as AWS's reader words it (Jackson's UTF8StreamJsonParser). @internal */
export class BodyEncodingError extends Error {
  constructor(readonly encoding: BodyEncoding, message: string) {
    super(message);
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The encoding of a body and the length of its byte order mark, as Jackson's bootstrapper finds
 * them: a byte order mark first, then the zero bytes an ASCII first character leaves in UTF-32
 * or UTF-16; else UTF-8.
 */
function detectEncoding(b: Uint8Array): { encoding: BodyEncoding; mark: number } {
  const at = (i: number): number => b[i] ?? -1;
  if (b.length >= 4) {
    if (at(0) === 0 && at(1) === 0 && at(2) === 0xfe && at(3) === 0xff) return { encoding: 'UTF-32BE', mark: 4 };
    if (at(0) === 0xff && at(1) === 0xfe && at(2) === 0 && at(3) === 0) return { encoding: 'UTF-32LE', mark: 4 };
  }
  if (at(0) === 0xfe && at(1) === 0xff) return { encoding: 'UTF-16BE', mark: 2 };
  if (at(0) === 0xff && at(1) === 0xfe) return { encoding: 'UTF-16LE', mark: 2 };
  if (at(0) === 0xef && at(1) === 0xbb && at(2) === 0xbf) return { encoding: 'UTF-8', mark: 3 };
  if (b.length >= 4) {
    if (at(0) === 0 && at(1) === 0 && at(2) === 0) return { encoding: 'UTF-32BE', mark: 0 };
    if (at(1) === 0 && at(2) === 0 && at(3) === 0) return { encoding: 'UTF-32LE', mark: 0 };
  }
  if (b.length >= 2) {
    if (at(0) === 0) return { encoding: 'UTF-16BE', mark: 0 };
    if (at(1) === 0) return { encoding: 'UTF-16LE', mark: 0 };
  }
  return { encoding: 'UTF-8', mark: 0 };
}

/**
 * A request body's bytes read as AWS's JSON reader reads them: Jackson's byte reader
 * (ByteSourceJsonBootstrapper, then UTF8StreamJsonParser for UTF-8). A byte order mark is skipped
 * and UTF-16 or UTF-32 is detected and read as the bootstrapper does (`byteOrderMark` and
 * `encoding` say so: AWS's answer to such a body is not recorded). In UTF-8, a byte no sequence
 * starts with, or a sequence cut short, is refused in Jackson's words ("Invalid UTF-8 start byte
 * 0xff", "Invalid UTF-8 middle byte 0x22"), never read as U+FFFD; a sequence Jackson decodes
 * without checking it (an overlong form, an encoded surrogate) is decoded as Jackson decodes it.
 * UTF-16 is read as Java's reader reads it, a unit no character has replaced by U+FFFD.
 * @throws BodyEncodingError naming the first byte refused and where it is
 * @internal
 */
export function decodeBody(bytes: Uint8Array): BodyText {
  const { encoding, mark } = detectEncoding(bytes);
  const body = bytes.subarray(mark);
  const byteOrderMark = mark > 0;
  switch (encoding) {
    case 'UTF-8':
      try {
        return { text: STRICT_UTF8.decode(body), encoding, byteOrderMark };
      } catch {
        return { text: decodeAsJackson(body, mark), encoding, byteOrderMark };
      }
    case 'UTF-16BE':
    case 'UTF-16LE':
      return { text: new TextDecoder(encoding.toLowerCase(), { ignoreBOM: true }).decode(body), encoding, byteOrderMark };
    default:
      return { text: decodeUtf32(body, encoding === 'UTF-32BE', mark), encoding, byteOrderMark };
  }
}

/** UTF-32 read as Jackson's UTF32Reader reads it: a length not a multiple of 4, or a value past U+10FFFF, refused. */
function decodeUtf32(bytes: Uint8Array, bigEndian: boolean, offset: number): string {
  if (bytes.length % 4 !== 0) throw new BodyEncodingError(bigEndian ? 'UTF-32BE' : 'UTF-32LE', `the body's UTF-32 ends inside a character, ${4 - (bytes.length % 4)} of its 4 bytes missing`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let units: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    const c = view.getUint32(i, !bigEndian);
    if (c > 0x10ffff) throw new BodyEncodingError(bigEndian ? 'UTF-32BE' : 'UTF-32LE', `Invalid UTF-32 character 0x${c.toString(16)} at byte ${offset + i}`);
    if (c > 0xffff) units.push(0xd800 + Math.floor((c - 0x10000) / 0x400), 0xdc00 + ((c - 0x10000) % 0x400));
    else units.push(c);
    if (units.length >= 8192) {
      parts.push(String.fromCharCode(...units));
      units = [];
    }
  }
  parts.push(String.fromCharCode(...units));
  return parts.join('');
}

/** The number of bytes of the UTF-8 sequence `lead` starts, as Jackson's input table gives it; 0 for no sequence. */
function sequenceLength(lead: number): number {
  /* eslint-disable no-bitwise -- a UTF-8 lead byte's bits */
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) === 0xc0) return 2;
  if ((lead & 0xf0) === 0xe0) return 3;
  if ((lead & 0xf8) === 0xf0) return 4;
  /* eslint-enable no-bitwise */
  return 0;
}

const hex = (b: number): string => `0x${b.toString(16)}`;

/** UTF-8 decoded as Jackson's UTF8StreamJsonParser decodes it, byte by byte (`offset`: where `bytes` starts in the body). */
function decodeAsJackson(bytes: Uint8Array, offset: number): string {
  const units: number[] = [];
  const parts: string[] = [];
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i];
    const length = sequenceLength(lead);
    if (length === 0) throw new BodyEncodingError('UTF-8', `Invalid UTF-8 start byte ${hex(lead)} at byte ${offset + i}`);
    if (i + length > bytes.length) throw new BodyEncodingError('UTF-8', `the body ends inside a UTF-8 sequence begun at byte ${offset + i}`);
    /* eslint-disable no-bitwise -- UTF-8's bits, as Jackson assembles them */
    let code = length === 1 ? lead : lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if ((next & 0xc0) !== 0x80) throw new BodyEncodingError('UTF-8', `Invalid UTF-8 middle byte ${hex(next)} at byte ${offset + i + k}`);
      code = (code << 6) | (next & 0x3f);
    }
    if (length === 4) {
      const c = code - 0x10000;
      units.push(0xd800 | (c >> 10), 0xdc00 | (c & 0x3ff));
    } else {
      units.push(code);
    }
    /* eslint-enable no-bitwise */
    i += length;
    if (units.length >= 8192) parts.push(String.fromCharCode(...units.splice(0)));
  }
  parts.push(String.fromCharCode(...units));
  return parts.join('');
}

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
 * The members and list places whose number is a whole number JavaScript cannot hold exactly (past
 * 2^53), with its digits as sent: AWS's reader reads a long member (UpdateMapRun's
 * `toleratedFailureCount`) into a Java long, exact to 2^63 - 1, where JSON.parse rounds
 * 9007199254740993 to 9007199254740992.
 */
const EXACT = new WeakMap<object, Map<string | number, string>>();

/**
 * The digits of the whole number at `key` of `container` as sent, when JavaScript's number for it
 * is not exact (past 2^53); undefined otherwise, and where {@link parseBody} did not read it.
 * @internal
 */
export function exactDigits(container: object, key: string | number): string | undefined {
  return EXACT.get(container)?.get(key);
}

/** Marks `digits` as the exact value of the whole number at `key` of `container` (a request read from the body). @internal */
export function keepExactDigits(container: object, key: string, digits: string): void {
  const exact = EXACT.get(container);
  if (exact === undefined) EXACT.set(container, new Map([[key, digits]]));
  else exact.set(key, digits);
}

/** A body whose arrays and objects nest deeper than AWS's JSON reader reads. @internal */
export class BodyNestingError extends Error {
  constructor() {
    super(`The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels, the most AWS's JSON reader reads: send a body nested less deeply`);
  }
}

/**
 * Whether `raw` nests arrays and objects deeper than {@link MAX_JSON_DEPTH}, the body's own object
 * the first level (Jackson's count, whose default limit it is); brackets inside a string are not
 * counted. One pass, before JSON.parse, which spends seconds on a body of a million brackets.
 */
function nestsTooDeep(raw: string): boolean {
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x22) {
      // A string: to its closing quote, past each escaped character.
      for (i++; i < raw.length && raw.charCodeAt(i) !== 0x22; i++) if (raw.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/**
 * The body's JSON value, as JSON.parse gives it (the last value of a member sent twice), with the
 * earlier values of a member sent twice kept for {@link earlierValues}, and the whole numbers
 * written as decimals for {@link isDecimalLiteral}.
 * @throws BodyNestingError when its arrays and objects nest deeper than AWS's JSON reader reads
 * @throws SyntaxError when the body is not JSON, as JSON.parse throws
 * @internal
 */
export function parseBody(raw: string): JsonValue {
  if (nestsTooDeep(raw)) throw new BodyNestingError();
  const value = JSON.parse(raw) as JsonValue;
  // Only an object of at least two members can repeat one, and a decimal needs a digit before its
  // point or exponent; the text is read again only then.
  if (!/"\s*:[\s\S]*"\s*:/.test(raw) && !/[0-9][.eE]/.test(raw) && !/[0-9]{16}/.test(raw)) return value;
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
  let digits: string | undefined;
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
    digits = typeof value === 'number' && !decimal && !Number.isSafeInteger(value) && /^-?[0-9]+$/.test(literal) ? literal : undefined;
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
    const exact = EXACT.get(container);
    if (digits !== undefined) {
      recorded = true;
      if (exact === undefined) EXACT.set(container, new Map([[key, digits]]));
      else exact.set(key, digits);
    } else {
      exact?.delete(key);
    }
    digits = undefined;
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
