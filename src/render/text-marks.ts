/**
 * The characters that drive a terminal or reorder a line, which a drawing's formats would hold as
 * they are: DEL, the C1 controls (U+009B is a one-character CSI), and the Unicode marks that
 * reorder or break a line (bidirectional embeddings, overrides and isolates, U+2028, U+2029). A
 * drawing is printed to a terminal (`stepwright render` writes to standard output by default) as
 * often as it is opened in a browser: each format writes these as its own escape (`&#x9b;` in
 * SVG and HTML, `#155;` in Mermaid, `\u009b` in JSON), which reads back as the same character.
 * The CLI escapes the same set in what it prints (`printable()` in workbench/common), which a
 * renderer cannot import.
 * @internal
 */
export const LINE_MARKS = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text with {@link LINE_MARKS} written as `\u` escapes: the same JSON value (JSON.stringify
 * escapes C0 controls and lone surrogates itself, and leaves these raw).
 * @internal
 */
export function jsonWithoutMarks(text: string): string {
  return text.replace(LINE_MARKS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
