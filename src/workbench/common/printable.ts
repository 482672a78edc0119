/**
 * What stepwright prints to a terminal that someone else wrote (state names,
 * error names and causes, file names, messages that quote them) goes through here,
 * so that no such text can drive the terminal: clear the screen, set the
 * window title, hide what follows, or reorder a line.
 *
 * Escaped, as `\n`, `\r`, `\t` or `\uXXXX`: every C0 control character
 * (ESC, which starts every escape sequence, among them), DEL, every C1
 * control character (U+0080–U+009F; U+009B is a one-character CSI), and the
 * Unicode marks that reorder or break a line (bidirectional embeddings,
 * overrides and isolates, U+2028, U+2029). So is a lone surrogate (half
 * of a pair, without the other half), which UTF-8 cannot encode: written
 * out it would show as U+FFFD and hide what the text held.
 * @internal
 */

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** What JSON.stringify leaves as it is among those (it escapes C0 and lone surrogates itself). */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One piece of text on one line: every control character escaped, line breaks too. @internal */
export function printable(text: string): string {
  return text.replace(CONTROL, escape);
}

/** A message made of lines that quotes others' text: every control character escaped but the line breaks. @internal */
export function printableLines(text: string): string {
  return text.replace(CONTROL_BUT_NEWLINE, escape);
}

/**
 * JSON text as printed: the same JSON value, with the characters JSON leaves
 * raw (DEL, C1, the marks above) written as `\u` escapes.
 * @internal
 */
export function printableJson(text: string): string {
  return text.replace(RAW_IN_JSON, escape);
}
