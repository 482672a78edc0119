import { PAUSE, SKIPS_PER_PAUSE, type Pause } from './reader-pause';
import type { JsonValue } from '../../asl';
import { describeNonJsonText, jsonTextNestsDeeper, MAX_JSON_DEPTH } from '../../asl/json-value';
import { AwsLimits } from '../../asl/limits';
import { StatesErrors, StatesError } from '../../asl/states-errors';

const failed = (cause: string): StatesError => new StatesError(StatesErrors.ITEM_READER_FAILED, cause);

/** Deeper JSON is refused, as everywhere the interpreter reads JSON (docs/limits.md). */
const MAX_DEPTH = MAX_JSON_DEPTH;

/** A JSON object nested deeper than the interpreter reads JSON. @internal */
export const deepJson = (): StatesError => failed(`The JSON object is nested deeper than ${MAX_DEPTH} levels.`);

/** A JSON Lines line nested deeper than the interpreter reads JSON. @internal */
export const deepLine = (n: number): StatesError => failed(`Line ${n} of the JSONL object is nested deeper than ${MAX_DEPTH} levels.`);

/**
 * Refuses an item holding a number past the range of a double (`1e999`, `-1e999`, 400 digits),
 * which JSON.parse reads as ±Infinity and a run would hand on as `null`: silently another item.
 * AWS reads items with Jackson, whose reading of such a number no recording shows, so the read
 * fails saying where, as a line that is not JSON fails it, rather than run on a changed item.
 * (`1e-999` reads as 0, as a double holds it on AWS too.)
 * @internal
 */
export function checkItemNumbers(item: JsonValue, where: string): void {
  const problem = describeNonJsonText(item);
  if (problem !== undefined) throw failed(`${where} holds ${problem}.`);
}

/** The tokens of @streamparser/json (its TokenType), by value: the module is loaded on first use. */
const enum Token { LeftBrace = 0, RightBrace = 1, LeftBracket = 2, RightBracket = 3, Colon = 4, Comma = 5, String = 9 }

/** One container the tokens are inside, and the key or index of the value in it now. */
interface Frame {
  readonly array: boolean;
  key: string | number | undefined;
  expectKey: boolean;
}

/** A JSON Pointer's tokens (RFC 6901): `/a/0/b`, with `~1` for `/` and `~0` for `~`. @internal */
export function pointerTokens(pointer: string | undefined): string[] {
  if (pointer === undefined || pointer === '') return [];
  if (!pointer.startsWith('/')) throw failed(`ItemsPointer '${pointer}' is not a JSON Pointer: it must be empty or start with '/'.`);
  return pointer.slice(1).split('/').map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The items of a JSON file, an element at a time as the bytes come: the array at its root, or
 * the one its ItemsPointer points to. Nothing but the element being read is held, so a file
 * larger than memory is read, and MaxItems stops the reading early. An element over 8 MB
 * (AWS's bound on an item read from a file) or a value nested over 1,000 levels fails the read.
 * @internal
 */
export function* jsonArrayItems(chunks: Iterable<Uint8Array>, pointer: string | undefined): Iterable<JsonValue | Pause> {
  const target = pointerTokens(pointer);
  const depth = target.length;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  const { JSONParser } = require('@streamparser/json') as typeof import('@streamparser/json');
  const parser = new JSONParser({ paths: [`$${'.*'.repeat(depth + 1)}`], keepStack: false });
  const frames: Frame[] = [];
  const found: JsonValue[] = [];
  let items = 0;
  let kind: 'array' | 'other' | undefined;
  let elementStart = -1;
  let lastToken = 0;
  const onPath = (): boolean => {
    for (let i = 0; i < depth; i++) {
      const key = frames[i].key;
      if (key === undefined || String(key) !== target[i]) return false;
    }
    return true;
  };
  parser.onToken = ({ token, value, offset }) => {
    lastToken = offset;
    if (elementStart >= 0 && offset - elementStart > AwsLimits.ITEM_BYTES) throw tooLarge();
    const top = frames[frames.length - 1] as Frame | undefined;
    switch (token as number) {
      case Token.Colon:
        return;
      case Token.Comma:
        if (top?.array) (top.key as number)++;
        else if (top) top.expectKey = true;
        return;
      case Token.RightBrace:
      case Token.RightBracket:
        frames.pop();
        if (frames.length === depth) elementStart = -1;
        return;
      default:
    }
    if (token === (Token.String as number) && top && !top.array && top.expectKey) {
      top.key = value as string;
      top.expectKey = false;
      return;
    }
    // A value starts here.
    if (frames.length === depth && kind === undefined && onPath()) kind = token === (Token.LeftBracket as number) ? 'array' : 'other';
    if (frames.length === depth + 1 && kind === 'array' && onPath()) elementStart = offset;
    if (token === (Token.LeftBrace as number) || token === (Token.LeftBracket as number)) {
      if (frames.length >= MAX_DEPTH) throw deepJson();
      const array = token === (Token.LeftBracket as number);
      frames.push({ array, key: array ? 0 : undefined, expectKey: !array });
    }
  };
  parser.onValue = ({ value, stack, parent }) => {
    if (stack.length !== depth + 1 || !Array.isArray(parent)) return;
    for (let i = 0; i < depth; i++) {
      if (String(stack[i + 1].key) !== target[i]) return;
    }
    elementStart = -1;
    checkItemNumbers(value as JsonValue, `The item at index ${items} of the JSON object`);
    items++;
    found.push(value as JsonValue);
  };
  let fed = 0;
  const write = (bytes: Uint8Array | undefined): void => {
    try {
      if (bytes) parser.write(bytes);
      else if (!parser.isEnded) parser.end();
    } catch (e) {
      if (e instanceof StatesError) throw e;
      throw failed('The S3 object could not be parsed as JSON.');
    }
  };
  for (const chunk of chunks) {
    fed += chunk.length;
    write(chunk);
    // A token longer than an item (a string without end) is refused before it is held whole.
    if (fed - Math.max(lastToken, elementStart) > AwsLimits.ITEM_BYTES + chunk.length) throw tooLarge();
    // A chunk that gave no item (outside the array read, or inside a large one): the event loop may take a turn.
    if (found.length === 0) yield PAUSE;
    else yield* found.splice(0);
  }
  write(undefined);
  yield* found.splice(0);
  if (kind !== 'array') {
    throw failed(pointer === undefined || pointer === '' ? 'Attempting to map over non-iterable node.' : `ItemsPointer '${pointer}' does not point to an array.`);
  }
}

const tooLarge = (): StatesError => failed(`An item of the JSON object is longer than ${AwsLimits.ITEM_BYTES} bytes: Step Functions reads items of up to 8 MB from a file.`);

/**
 * Lines of streamed text, CRLF or LF, without their ends. Each chunk is searched once, from
 * where the last search ended: the work is linear in the text. A line longer than an item
 * (8 MB) fails the read.
 * @internal
 */
export function* textLines(chunks: Iterable<string>, maxLineChars = AwsLimits.ITEM_BYTES): Iterable<string> {
  let parts: string[] = [];
  let partChars = 0;
  let n = 0;
  const line = (tail: string): string => {
    const whole = parts.length > 0 ? parts.join('') + tail : tail;
    parts = [];
    partChars = 0;
    n++;
    return whole.charCodeAt(whole.length - 1) === 13 ? whole.slice(0, -1) : whole;
  };
  for (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      if (partChars + nl - start > maxLineChars) throw lineTooLong(n + 1, maxLineChars);
      yield line(chunk.slice(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      partChars += chunk.length - start;
      if (partChars > maxLineChars) throw lineTooLong(n + 1, maxLineChars);
      parts.push(chunk.slice(start));
    }
  }
  if (partChars > 0) yield line('');
}

const lineTooLong = (n: number, max: number): StatesError => failed(`Line ${n} of the object is longer than ${max} characters: Step Functions reads items of up to 8 MB from a file.`);

/** Line feeds passed over by the last {@link blankEnd}. */
let blankLines = 0;

/** One whitespace character beyond ASCII, as `trim()` takes it. */
const WIDE_SPACE = /^\s$/;

/**
 * Where the whitespace from `start` ends (what `trim()` removes: WhiteSpace and LineTerminator),
 * counting its line feeds into {@link blankLines}: a run of blank lines passed over in one loop.
 */
function blankEnd(text: string, start: number): number {
  let lines = 0;
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) lines++;
    else if (c !== 32 && c !== 13 && c !== 9 && c !== 11 && c !== 12 && (c < 128 || !WIDE_SPACE.test(text[i]))) break;
  }
  blankLines = lines;
  return i;
}

/**
 * Where the ASCII whitespace at the start of `bytes` ends, counting its line feeds into
 * {@link blankLines}: blank lines passed over before they are decoded.
 */
function blankBytesEnd(bytes: Uint8Array): number {
  let lines = 0;
  let i = 0;
  for (; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 10) lines++;
    else if (c !== 32 && c !== 13 && c !== 9 && c !== 11 && c !== 12) break;
  }
  blankLines = lines;
  return i;
}

/** Whether `bytes` end inside a UTF-8 character, whose rest the next chunk starts with. */
function endsInsideCharacter(bytes: Uint8Array): boolean {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if (b < 0x80) return false;
    if (b >= 0xc0) return back < (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2);
  }
  return false;
}

/**
 * JSON Lines: one item per non-blank line; a line that is not JSON fails the read, naming its
 * number. Blank lines are skipped, as AWS skips them: a run of them (and the whitespace that
 * starts a line) is passed over at once, before it is decoded where a chunk starts with it, each
 * line counted, with a pause every {@link SKIPS_PER_PAUSE}; a line longer than an item (8 MB)
 * fails the read.
 * @internal
 */
export function* jsonLines(byteChunks: Iterable<Uint8Array>): Iterable<JsonValue | Pause> {
  const max = AwsLimits.ITEM_BYTES;
  const decoder = new TextDecoder();
  let n = 0;
  let parts: string[] = [];
  let partChars = 0;
  let blank = 0;
  let inCharacter = false;
  const parse = (line: string): JsonValue => {
    let value: JsonValue;
    try {
      value = JSON.parse(line) as JsonValue;
    } catch {
      throw failed(`Line ${n} of the JSONL object could not be parsed as JSON: '${line.length > 80 ? `${line.slice(0, 80)}…` : line}'.`);
    }
    // JSON.parse reads any depth; the run that carries the item cannot (a JSON file's items are refused alike).
    if (jsonTextNestsDeeper(line, MAX_DEPTH)) throw deepLine(n);
    checkItemNumbers(value, `Line ${n} of the JSONL object`);
    return value;
  };
  const lines = function* (chunk: string): Iterable<JsonValue | Pause> {
    let start = 0;
    while (start < chunk.length) {
      if (partChars === 0) {
        start = blankEnd(chunk, start);
        n += blankLines;
        blank += blankLines;
        if (blank >= SKIPS_PER_PAUSE) {
          blank = 0;
          yield PAUSE;
        }
        if (start >= chunk.length) break;
      }
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) {
        partChars += chunk.length - start;
        if (partChars > max) throw lineTooLong(n + 1, max);
        parts.push(chunk.slice(start));
        break;
      }
      if (partChars + nl - start > max) throw lineTooLong(n + 1, max);
      const line = parts.length > 0 ? parts.join('') + chunk.slice(start, nl) : chunk.slice(start, nl);
      parts = [];
      partChars = 0;
      n++;
      start = nl + 1;
      if (line.trim() === '') continue;
      yield parse(line);
    }
  };
  for (const bytes of byteChunks) {
    let from = 0;
    // At a line's start, with no character half read: blank lines are skipped as bytes, never decoded.
    if (partChars === 0 && !inCharacter) {
      from = blankBytesEnd(bytes);
      n += blankLines;
      blank += blankLines;
      if (blank >= SKIPS_PER_PAUSE) {
        blank = 0;
        yield PAUSE;
      }
    }
    inCharacter = endsInsideCharacter(bytes);
    if (from < bytes.length) yield* lines(decoder.decode(from === 0 ? bytes : bytes.subarray(from), { stream: true }));
  }
  yield* lines(decoder.decode());
  if (partChars > 0) {
    const line = parts.join('');
    n++;
    if (line.trim() !== '') yield parse(line);
  }
}
