/*
 * Where JSON text breaks, found without quoting it. Node's JSON.parse names a
 * position for most syntax errors, but for an unexpected character it quotes
 * the text around it instead ("Unexpected token 'h', "hello…" is not valid
 * JSON"): read through a symlink, that prints the start of a file that may be
 * a secret. This scanner finds the offset of the first character that cannot
 * stand where it is, by JSON's grammar (RFC 8259), so that a refusal can name
 * the line and column alone.
 */

/** Nesting past this depth is not followed: the place is then unknown (the scan stays bounded in memory). */
const MAX_SCAN_DEPTH = 1_000_000;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const HEX4 = /[0-9a-fA-F]{4}/y;
const ESCAPED = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** What the scanner expects next. */
type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'after';

/**
 * The offset (in UTF-16 units) of the first character of `text` that JSON's grammar does not
 * allow where it stands, `text.length` when the text ends too early, or undefined when the text
 * is JSON (or nests past the depth the scan follows).
 * @internal
 */
export function jsonSyntaxErrorAt(text: string): number | undefined {
  /** The open containers: true for an object, false for an array. */
  const open: boolean[] = [];
  let expect: Expect = 'value';
  let i = 0;
  for (;;) {
    i = skipSpace(text, i);
    if (i >= text.length) return expect === 'after' && open.length === 0 ? undefined : i;
    const ch = text[i];
    if (expect === 'after') {
      if (open.length === 0) return i;
      const inObject = open[open.length - 1];
      if (ch === ',') {
        expect = inObject ? 'key' : 'value';
        i++;
      } else if (ch === (inObject ? '}' : ']')) {
        open.pop();
        i++;
      } else {
        return i;
      }
    } else if (expect === 'key' || expect === 'key-or-close') {
      if (ch === '}' && expect === 'key-or-close') {
        open.pop();
        expect = 'after';
        i++;
        continue;
      }
      if (ch !== '"') return i;
      const end = stringEnd(text, i);
      if (typeof end !== 'number') return end.at;
      i = skipSpace(text, end);
      if (i >= text.length || text[i] !== ':') return i;
      expect = 'value';
      i++;
    } else {
      if (ch === ']' && expect === 'value-or-close') {
        open.pop();
        expect = 'after';
        i++;
        continue;
      }
      if (ch === '{' || ch === '[') {
        if (open.length >= MAX_SCAN_DEPTH) return undefined;
        open.push(ch === '{');
        expect = ch === '{' ? 'key-or-close' : 'value-or-close';
        i++;
        continue;
      }
      const end = ch === '"' ? stringEnd(text, i) : tokenEnd(text, i, ch === '-' || (ch >= '0' && ch <= '9') ? NUMBER : LITERAL);
      if (typeof end !== 'number') return end.at;
      i = end;
      expect = 'after';
    }
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

/** The offset after the token `pattern` matches at `from`, or where it fails. */
function tokenEnd(text: string, from: number, pattern: RegExp): number | { readonly at: number } {
  pattern.lastIndex = from;
  return pattern.test(text) ? pattern.lastIndex : { at: from };
}

/** The offset after the string that starts (with its quote) at `from`, or where it breaks. */
function stringEnd(text: string, from: number): number | { readonly at: number } {
  let i = from + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return { at: i };
    if (c === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        HEX4.lastIndex = i + 2;
        if (!HEX4.test(text)) return { at: i };
        i += 6;
      } else if (next !== undefined && ESCAPED.has(next)) {
        i += 2;
      } else {
        return { at: i };
      }
    } else {
      i++;
    }
  }
  return { at: text.length };
}
