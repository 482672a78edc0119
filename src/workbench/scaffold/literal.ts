import type { JsonValue } from '../../asl';

/** Width the printed code is kept within, where a value allows it. */
export const LINE_WIDTH = 100;

/** Below this depth values are written on one line, so a pathological value cannot recurse without end. */
const MAX_PRETTY_DEPTH = 64;

// Characters that would end a line, hide text (bidirectional overrides) or be invisible in a
// source file, and lone surrogates: written as escapes, so what a reviewer sees is what the test runs.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]/gu;

function escapeCodeUnits(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * A string as a TypeScript literal: single-quoted, or double-quoted when it
 * holds single quotes and no double ones (`"retries 'Charge'"` reads better
 * than `'retries \'Charge\''`); backslashes, the quote, line breaks,
 * control and format characters and lone surrogates escaped.
 * @internal
 */
export function stringLiteral(value: string): string {
  const q = value.includes("'") && !value.includes('"') ? '"' : "'";
  const body = value
    .replace(/\\/g, '\\\\')
    .replace(q === "'" ? /'/g : /"/g, `\\${q}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(UNPRINTABLE, escapeCodeUnits);
  return `${q}${body}${q}`;
}

/**
 * Text safe inside a `//` comment: one line, with line breaks, control and
 * format characters escaped.
 * @internal
 */
export function commentText(value: string): string {
  return value.replace(/\r\n|\r|\n/g, ' ').replace(UNPRINTABLE, escapeCodeUnits);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * How an object literal writes its keys: all bare when every key is an
 * identifier, else all quoted, so one object never mixes the two (eslint's
 * `quote-props: consistent-as-needed`). `__proto__` is written computed
 * (`['__proto__']`): written bare or quoted it would set the object's
 * prototype instead of a field.
 * @internal
 */
export function propertyKeys(keys: readonly string[]): (key: string) => string {
  const bare = keys.every((k) => k === '__proto__' || IDENTIFIER.test(k));
  return (key) => {
    if (key === '__proto__') return `[${stringLiteral(key)}]`;
    return bare ? key : stringLiteral(key);
  };
}

function numberLiteral(value: number): string {
  // JSON holds no NaN or Infinity; -0 (which JSON.parse reads and jest tells from 0) keeps its sign.
  if (Object.is(value, -0)) return '-0';
  return Number.isFinite(value) ? JSON.stringify(value) : 'null';
}

/** A value on one line: `{ a: 1, 'b c': [1, 2] }`. */
export function inlineValue(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map(inlineValue).join(', ')}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const key = propertyKeys(Object.keys(value));
  return `{ ${entries.map(([k, v]) => `${key(k)}: ${inlineValue(v)}`).join(', ')} }`;
}

/**
 * A JSON value as a TypeScript expression, starting at column `column` of a
 * line indented by `indent` spaces: on one line when it fits within
 * {@link LINE_WIDTH}, else one element or field per line, with trailing commas.
 * @internal
 */
export function printValue(value: JsonValue, indent: number, column = indent, depth = 0): string {
  const flat = inlineValue(value);
  if (column + flat.length <= LINE_WIDTH || value === null || typeof value !== 'object' || depth >= MAX_PRETTY_DEPTH) return flat;
  const inner = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    const items = value.map((v) => `${inner}${printValue(v, indent + 2, indent + 2, depth + 1)},\n`);
    return `[\n${items.join('')}${' '.repeat(indent)}]`;
  }
  const keyOf = propertyKeys(Object.keys(value));
  const fields = Object.entries(value).map(([k, v]) => {
    const key = `${keyOf(k)}: `;
    return `${inner}${key}${printValue(v, indent + 2, indent + 2 + key.length, depth + 1)},\n`;
  });
  return `{\n${fields.join('')}${' '.repeat(indent)}}`;
}
