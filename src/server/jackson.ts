/*
 * How AWS's JSON parser refuses text that is not JSON, so that serve quotes the same words.
 *
 * Step Functions parses definitions and execution input with Jackson (2.12 to 2.15, reading a
 * String with the default features). Its refusals are recorded: "Unrecognized token 'not': was
 * expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at
 * [Source: (String)"not a definition"; line: 1, column: 4]" and "Unexpected character (''' (code
 * 39)): was expecting double-quote to start field name". This reader walks the text as Jackson's
 * ReaderBasedJsonParser does, token by token, and stops where it would, with its message and its
 * location (line, and column one past the last character read). It only words a refusal: the
 * value itself is read by JSON.parse, and this runs only on text JSON.parse refused.
 */

/** What Jackson makes of a text. @internal */
export type JacksonReading =
  /** One JSON value (Jackson reads the first value and ignores what follows it). */
  | { readonly kind: 'value' }
  /** Nothing but white space: Jackson reads no value at all. */
  | { readonly kind: 'empty' }
  /** Jackson refuses the text: its message, and where it stopped, as Jackson prints both. */
  | { readonly kind: 'refused'; readonly message: string; readonly location: string };

/** Jackson's longest quoted source, in UTF-16 units, and its longest quoted token. */
const MAX_SNIPPET = 500;
const MAX_TOKEN = 256;
const VALID_TOKENS = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const NO_COMMENTS = "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)";

/** Java's Character.isJavaIdentifierStart / isJavaIdentifierPart, closely enough for a message. */
const IDENTIFIER_START = /[\p{L}\p{Nl}\p{Sc}\p{Pc}]/u;
const IDENTIFIER_PART = /[\p{L}\p{Nl}\p{Sc}\p{Pc}\p{Nd}\p{Mn}\p{Mc}\p{Cf}\u0000-\u0008\u000e-\u001b\u007f-\u009f]/u;

/** A Jackson refusal, thrown inside the reader and caught at its top. */
class Refusal {
  constructor(readonly message: string, readonly pos: number) {}
}

interface Context {
  readonly type: 'Object' | 'Array';
  readonly line: number;
  readonly column: number;
  entries: number;
}

/**
 * Reads `text` as Jackson reads a JSON document and says what it makes of it.
 * Iterative, so any nesting depth is safe; linear in the length of the text.
 * @internal
 */
export function readAsJackson(text: string): JacksonReading {
  return new Reader(text).read();
}

/**
 * Jackson's message (without its location) for text that JSON.parse refused, or undefined when
 * Jackson reads no value from it (white space only), for messages that quote AWS's parser.
 * @internal
 */
export function jacksonMessage(text: string): string | undefined {
  const reading = readAsJackson(text);
  return reading.kind === 'refused' ? reading.message : undefined;
}

class Reader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly stack: Context[] = [];

  constructor(private readonly text: string) {}

  read(): JacksonReading {
    try {
      if (!this.value()) return { kind: 'empty' };
      const c = this.skipWhiteSpace();
      if (c >= 0) this.trailing(c);
      return { kind: 'value' };
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      return { kind: 'refused', message: e.message, location: this.location(this.line, e.pos - this.lineStart + 1) };
    }
  }

  /**
   * Text after the first value, whose first character `c` has been read. Jackson's readTree
   * ignores it; serve refuses it, as JSON.parse does, in Jackson's words for a second value
   * there: the refusal of the value if Jackson refuses it, else Jackson's trailing-token refusal.
   */
  private trailing(c: number): never {
    if (c === 0x5b || c === 0x7b) throw new Refusal(trailingToken(c === 0x5b ? 'START_ARRAY' : 'START_OBJECT'), this.pos);
    if (c === 0x5d || c === 0x7d) this.mismatch(c, c === 0x5d ? '}' : ']', undefined);
    const start = this.pos - 1;
    this.scalar(c, true);
    const type = c === 0x22 ? 'VALUE_STRING' : c === 0x74 ? 'VALUE_TRUE' : c === 0x66 ? 'VALUE_FALSE' : c === 0x6e ? 'VALUE_NULL'
      : /[.eE]/.test(this.text.slice(start, this.pos)) ? 'VALUE_NUMBER_FLOAT' : 'VALUE_NUMBER_INT';
    throw new Refusal(trailingToken(type), this.pos);
  }

  /** `[Source: (String)"…"; line: L, column: C]`, as Jackson prints a location in a String. */
  location(line: number, column: number): string {
    const t = this.text;
    let snippet = '';
    const end = Math.min(t.length, MAX_SNIPPET);
    for (let i = 0; i < end; i++) {
      const c = t.charCodeAt(i);
      // Jackson escapes ISO control characters other than CR and LF in the quoted source.
      snippet += (c < 0x20 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f) ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}` : t[i];
    }
    const truncated = t.length > MAX_SNIPPET ? `[truncated ${t.length - MAX_SNIPPET} chars]` : '';
    return `[Source: (String)"${snippet}"${truncated}; line: ${line}, column: ${column}]`;
  }

  /**
   * Reads one whole value, its containers' entries included, with an explicit stack.
   * Returns false when the text holds only white space.
   */
  private value(): boolean {
    let first = true;
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      let c = this.skipWhiteSpace();
      if (c < 0) {
        if (top) throw new Refusal(`Unexpected end-of-input: expected close marker for ${top.type} (start marker at ${this.location(top.line, top.column)})`, this.pos);
        return !first;
      }
      if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
        if (c === 0x5d && top?.type !== 'Array') this.mismatch(c, '}', top);
        if (c === 0x7d && top?.type !== 'Object') this.mismatch(c, ']', top);
        this.stack.pop();
        if (this.stack.length === 0) return true;
        this.stack[this.stack.length - 1].entries++;
        continue;
      }
      if (top && top.entries > 0) {
        if (c !== 0x2c /* , */) this.unexpected(c, `was expecting comma to separate ${top.type} entries`);
        c = this.skipWhiteSpace();
        if (c < 0) throw new Refusal(`Unexpected end-of-input within/between ${top.type} entries`, this.pos);
      }
      if (top?.type === 'Object') {
        if (c !== 0x22 /* " */) this.unexpected(c, 'was expecting double-quote to start field name');
        this.string('name');
        c = this.skipWhiteSpace();
        if (c < 0) throw new Refusal('Unexpected end-of-input within/between Object entries', this.pos);
        if (c !== 0x3a /* : */) this.unexpected(c, 'was expecting a colon to separate field name and value');
        c = this.skipWhiteSpace();
        if (c < 0) throw new Refusal('Unexpected end-of-input within/between Object entries', this.pos);
      }
      first = false;
      if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
        this.stack.push({ type: c === 0x5b ? 'Array' : 'Object', line: this.line, column: this.pos - this.lineStart, entries: 0 });
        continue;
      }
      this.scalar(c, this.stack.length === 0);
      if (this.stack.length === 0) return true;
      this.stack[this.stack.length - 1].entries++;
    }
  }

  /** A string, number or literal whose first character `c` has been read. */
  private scalar(c: number, atRoot: boolean): void {
    switch (c) {
      case 0x22: this.string('string value'); return;
      case 0x74: this.literal('true'); return;
      case 0x66: this.literal('false'); return;
      case 0x6e: this.literal('null'); return;
      case 0x7d: this.unexpected(c, 'expected a value'); return;
      case 0x2d: this.number(true, atRoot); return;
      case 0x4e: this.nonStandard('NaN'); return;
      case 0x49: this.nonStandard('Infinity'); return;
      case 0x2b:
        this.pos++;
        throw new Refusal("Unexpected character ('+' (code 43)) in numeric value: JSON spec does not allow numbers to have plus signs: enable `JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS` to allow", this.pos - 1);
      default:
        if (c >= 0x30 && c <= 0x39) { this.number(false, atRoot); return; }
        if (IDENTIFIER_START.test(String.fromCharCode(c))) this.invalidToken(String.fromCharCode(c));
        this.unexpected(c, `expected a valid value ${VALID_TOKENS}`);
    }
  }

  /** The rest of `true`, `false` or `null` from `word[from]` on, as Jackson's _matchToken reads it. */
  private literal(word: string, from = 1): void {
    const t = this.text;
    for (let i = from; i < word.length; i++) {
      if (this.pos >= t.length || t[this.pos] !== word[i]) this.invalidToken(word.slice(0, i));
      this.pos++;
    }
    if (this.pos < t.length) {
      const next = t[this.pos];
      if (next >= '0' && next !== ']' && next !== '}' && IDENTIFIER_PART.test(next)) this.invalidToken(word);
    }
  }

  /** NaN, Infinity or -Infinity, which Jackson names as non-standard when spelt out in full. */
  private nonStandard(word: string, from = 1): never {
    this.literal(word, from);
    throw new Refusal(`Non-standard token '${word}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow`, this.pos);
  }

  /** Jackson's "Unrecognized token": what was matched, then the identifier characters after it. */
  private invalidToken(matched: string): never {
    const t = this.text;
    let token = matched;
    while (this.pos < t.length && IDENTIFIER_PART.test(t[this.pos])) {
      token += t[this.pos++];
      if (token.length >= MAX_TOKEN) { token += '...'; break; }
    }
    throw new Refusal(`Unrecognized token '${token}': was expecting ${VALID_TOKENS}`, this.pos);
  }

  /** A number whose first character (a digit, or the minus sign) has been read. */
  private number(negative: boolean, atRoot: boolean): void {
    const t = this.text;
    let c = negative ? this.next() : t.charCodeAt(this.pos - 1);
    if (negative) {
      if (c < 0) throw new Refusal('Unexpected end-of-input in a Number value', this.pos);
      if (c === 0x49 /* I */) this.nonStandard('-Infinity', 2);
      if (c < 0x30 || c > 0x39) this.unexpectedInNumber(c, 'expected digit (0-9) to follow minus sign, for valid numeric value');
    }
    if (c === 0x30 && this.pos < t.length && t.charCodeAt(this.pos) >= 0x30 && t.charCodeAt(this.pos) <= 0x39) {
      throw new Refusal('Invalid numeric value: Leading zeroes not allowed', this.pos);
    }
    this.digits();
    c = this.peek();
    if (c === 0x2e /* . */) {
      this.pos++;
      if (this.digits() === 0) this.unexpectedInNumber(this.pos < t.length ? this.next() : 0x2e, 'Decimal point not followed by a digit');
      c = this.peek();
    }
    if (c === 0x65 || c === 0x45 /* e E */) {
      this.pos++;
      const sign = this.peek();
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      if (this.digits() === 0) this.unexpectedInNumber(this.pos < t.length ? this.next() : c, 'Exponent indicator not followed by a digit');
      c = this.peek();
    }
    // At the top level a number must be followed by white space or the end (Jackson's _verifyRootSpace).
    if (atRoot && c >= 0 && c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
      this.pos++;
      this.unexpected(c, 'Expected space separating root-level values');
    }
  }

  private digits(): number {
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length && t.charCodeAt(this.pos) >= 0x30 && t.charCodeAt(this.pos) <= 0x39) this.pos++;
    return this.pos - start;
  }

  /** The rest of a string or field name whose opening quote has been read. */
  private string(what: 'string value' | 'name'): void {
    const t = this.text;
    for (;;) {
      if (this.pos >= t.length) {
        throw new Refusal(what === 'name' ? 'Unexpected end-of-input in field name' : 'Unexpected end-of-input: was expecting closing quote for a string value', this.pos);
      }
      const c = t.charCodeAt(this.pos++);
      if (c === 0x22) return;
      if (c === 0x5c /* \ */) this.escape();
      else if (c < 0x20) throw new Refusal(`Illegal unquoted character (${describe(c)}): has to be escaped using backslash to be included in ${what}`, this.pos);
    }
  }

  private escape(): void {
    const c = this.next();
    if (c < 0) throw new Refusal('Unexpected end-of-input in character escape sequence', this.pos);
    switch (c) {
      case 0x62: case 0x74: case 0x6e: case 0x66: case 0x72: case 0x22: case 0x2f: case 0x5c: return;
      case 0x75:
        for (let i = 0; i < 4; i++) {
          const h = this.next();
          if (h < 0) throw new Refusal('Unexpected end-of-input in character escape sequence', this.pos);
          const hex = (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66);
          if (!hex) this.unexpected(h, 'expected a hex-digit for character escape sequence');
        }
        return;
      default:
        throw new Refusal(`Unrecognized character escape ${describe(c)}`, this.pos);
    }
  }

  /**
   * Skips JSON white space, counting lines as Jackson does (CR, LF, or CR LF), and returns the
   * next character, consumed, or -1 at the end. A comment is refused; other control characters too.
   */
  private skipWhiteSpace(): number {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos++);
      if (c > 0x20) {
        if (c === 0x2f /* / */) this.unexpected(c, NO_COMMENTS);
        return c;
      }
      if (c === 0x0a) {
        this.line++;
        this.lineStart = this.pos;
      } else if (c === 0x0d) {
        if (this.pos < t.length && t.charCodeAt(this.pos) === 0x0a) this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c !== 0x20 && c !== 0x09) {
        throw new Refusal(`Illegal character (${describe(c)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`, this.pos);
      }
    }
    return -1;
  }

  private next(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos++) : -1;
  }

  private peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  private unexpected(c: number, comment: string): never {
    throw new Refusal(`Unexpected character (${describe(c)}): ${comment}`, this.pos);
  }

  private unexpectedInNumber(c: number, comment: string): never {
    throw new Refusal(`Unexpected character (${describe(c)}) in numeric value: ${comment}`, this.pos);
  }

  private mismatch(actual: number, expected: string, top: Context | undefined): never {
    const where = top ? `${top.type} starting at ${this.location(top.line, top.column)}` : `root starting at ${this.location(1, 0)}`;
    throw new Refusal(`Unexpected close marker '${String.fromCharCode(actual)}': expected '${expected}' (for ${where})`, this.pos);
  }
}

/** Jackson's refusal of a second value after the first (FAIL_ON_TRAILING_TOKENS). */
function trailingToken(type: string): string {
  return `Trailing token (of type ${type}) found after value (bound as \`com.fasterxml.jackson.databind.JsonNode\`): not allowed as per \`DeserializationFeature.FAIL_ON_TRAILING_TOKENS\``;
}

/** A character as Jackson names it in a message: `'x' (code 120)`, or `(CTRL-CHAR, code 10)`. */
function describe(c: number): string {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `(CTRL-CHAR, code ${c})`;
  const ch = String.fromCharCode(c);
  return c > 255 ? `'${ch}' (code ${c} / 0x${c.toString(16)})` : `'${ch}' (code ${c})`;
}
