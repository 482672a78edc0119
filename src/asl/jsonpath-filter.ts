import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from './definition-types';

type SafeRegexModule = typeof import('./jsonata/safe-regex');
let safeRegex: SafeRegexModule | undefined;

/**
 * The RE2 engine, loaded the first time a filter has `=~`: it is large (its
 * Unicode tables took 23 ms and 0.8 MB of heap at import), and most machines
 * never use it.
 */
function regexEngine(): SafeRegexModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  safeRegex ??= require('./jsonata/safe-regex') as SafeRegexModule;
  return safeRegex;
}

/**
 * JSONPath filter expressions (`[?(@.price < 10 && @.tags anyof ['a'])]`) in
 * the dialect of the Jayway JSONPath library that Step Functions evaluates
 * them with, which differs from JavaScript's operators:
 *
 * - `@.x` alone asks whether the field is there and not null, whatever else
 *   its value (`false`, `0` and `""` are there); `!@.x` asks the opposite
 *   (measured on AWS's Step Functions Local: `[?(@.keep)]` keeps
 *   `{"keep": false}`, and `[?(!@.session)]` keeps `{"session": null}`).
 * - `@` is the item itself, an object or not: `[?(@ > 1)]` over `[1, 2, 3]`
 *   selects 2 and 3.
 * - `<`, `<=`, `>`, `>=` compare two numbers or two strings and are false for
 *   any other pair (`"5" >= 5` and `null >= 0` are false).
 * - `==` compares a number with a string that reads as the same number and a
 *   string with a number written the same way (`5 == '5'`, `'5' == 5`),
 *   objects and arrays by content, and a boolean or null only with its own
 *   kind; `===` also compares the kind.
 * - `=~ /re/flags` matches the whole string; `in`, `nin`, `subsetof`,
 *   `anyof`, `noneof`, `contains`, `size` and `empty` test lists and lengths.
 * - `$…` inside a filter reads the document the path is evaluated on; a
 *   function such as `length()` reads as a missing field; a bare word
 *   (`== es`) is no value, so the filter does not parse.
 *
 * A filter is parsed once, when its path is compiled.
 * @internal
 */
export type FilterPredicate = (item: JsonValue | undefined, root: JsonValue | undefined) => boolean;

/** Reads a path relative to the item (`@…`) or the root (`$…`) inside a filter: undefined when it does not exist. @internal */
export type FilterPathReader = (value: JsonValue | undefined) => JsonValue | undefined;

/** A filter that does not parse. @internal */
export class FilterSyntaxError extends Error {
  constructor(filter: string, reason: string) {
    super(`the filter '${filter}' does not parse: ${reason}`);
    this.name = 'FilterSyntaxError';
  }
}

/** Compiles the path of an operand (`@.a.b` is given as `$.a.b`). */
export type PathCompiler = (path: string) => FilterPathReader;

/** The value of an operand: a JSON value, or MISSING for a path that does not exist. */
const MISSING = Symbol('missing');
type Operand = JsonValue | typeof MISSING | Pattern;

/** A regular expression literal (`/re/i`), tested against a whole string. */
class Pattern {
  constructor(public readonly matches: (input: string) => boolean) {}
}
type OperandFn = (item: JsonValue | undefined, root: JsonValue | undefined) => Operand;

interface Cursor {
  readonly text: string;
  pos: number;
}

const RELATIONS = ['===', '!==', '==', '!=', '<=', '>=', '=~', '<', '>'] as const;
const WORD_RELATIONS = ['subsetof', 'anyof', 'noneof', 'contains', 'empty', 'size', 'nin', 'in'] as const;
type Relation = (typeof RELATIONS)[number] | (typeof WORD_RELATIONS)[number];

/**
 * Compiles the expression inside `[?( … )]`.
 * @internal
 */
export function compileFilter(filter: string, compilePath: PathCompiler): FilterPredicate {
  const cur: Cursor = { text: filter, pos: 0 };
  const predicate = readOr(cur, compilePath);
  skipBlanks(cur);
  if (cur.pos < filter.length) throw new FilterSyntaxError(filter, `unexpected '${filter.slice(cur.pos)}'`);
  return predicate;
}

function readOr(cur: Cursor, compilePath: PathCompiler): FilterPredicate {
  const terms = [readAnd(cur, compilePath)];
  while (take(cur, '||')) terms.push(readAnd(cur, compilePath));
  if (terms.length === 1) return terms[0];
  return (item, root) => terms.some((t) => t(item, root));
}

function readAnd(cur: Cursor, compilePath: PathCompiler): FilterPredicate {
  const terms = [readOperand(cur, compilePath)];
  while (take(cur, '&&')) terms.push(readOperand(cur, compilePath));
  if (terms.length === 1) return terms[0];
  return (item, root) => terms.every((t) => t(item, root));
}

function readOperand(cur: Cursor, compilePath: PathCompiler): FilterPredicate {
  skipBlanks(cur);
  const c = cur.text[cur.pos];
  if (c === '!' && cur.text[cur.pos + 1] !== '=') {
    cur.pos++;
    skipBlanks(cur);
    const next = cur.text[cur.pos];
    if (next === '@' || next === '$') {
      // `!@.x`: the field is not there, or null.
      const read = readPathOperand(cur, compilePath);
      return (item, root) => absent(read(item, root));
    }
    const inner = readOperand(cur, compilePath);
    return (item, root) => !inner(item, root);
  }
  if (c === '(') {
    cur.pos++;
    const inner = readOr(cur, compilePath);
    if (!take(cur, ')')) throw new FilterSyntaxError(cur.text, `missing ')' at position ${cur.pos + 1}`);
    return inner;
  }
  return readRelation(cur, compilePath);
}

function readRelation(cur: Cursor, compilePath: PathCompiler): FilterPredicate {
  const start = cur.pos;
  const left = readValue(cur, compilePath);
  const relation = readRelationName(cur);
  if (relation === undefined) {
    // A path alone asks whether it is there and not null.
    if (!isPathAt(cur.text, start)) throw new FilterSyntaxError(cur.text, `'${cur.text.slice(start, cur.pos).trim()}' is not a comparison`);
    return (item, root) => !absent(left(item, root));
  }
  const right = readValue(cur, compilePath);
  const test = RELATION_TESTS[relation];
  return (item, root) => test(left(item, root), right(item, root));
}

function absent(v: Operand): boolean {
  return v === MISSING || v === null;
}

function isPathAt(text: string, pos: number): boolean {
  const c = text.slice(pos).trimStart()[0];
  return c === '@' || c === '$';
}

function readRelationName(cur: Cursor): Relation | undefined {
  skipBlanks(cur);
  for (const r of RELATIONS) if (cur.text.startsWith(r, cur.pos)) { cur.pos += r.length; return r; }
  for (const r of WORD_RELATIONS) {
    if (cur.text.startsWith(r, cur.pos) && !/[A-Za-z0-9_]/.test(cur.text[cur.pos + r.length] ?? '')) {
      cur.pos += r.length;
      return r;
    }
  }
  return undefined;
}

function readValue(cur: Cursor, compilePath: PathCompiler): OperandFn {
  skipBlanks(cur);
  const text = cur.text;
  const c = text[cur.pos];
  if (c === '@' || c === '$') return readPathOperand(cur, compilePath);
  if (c === "'" || c === '"') {
    const value = readQuoted(cur);
    return () => value;
  }
  if (c === '/') {
    const re = readRegex(cur);
    return () => re;
  }
  if (c === '[' || c === '{') {
    const value = readJsonLiteral(cur);
    return () => value;
  }
  const word = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)(?![A-Za-z0-9_])/.exec(text.slice(cur.pos));
  if (word) {
    cur.pos += word[1].length;
    const value = JSON.parse(word[1]) as JsonValue;
    return () => value;
  }
  const bare = /^[A-Za-z_][\w-]*/.exec(text.slice(cur.pos));
  if (bare) throw new FilterSyntaxError(text, `${bare[0]} is not a value: quote a string ('${bare[0]}')`);
  throw new FilterSyntaxError(text, c === undefined ? 'a value is missing at the end' : `unexpected '${text.slice(cur.pos)}'`);
}

/** `@.a.b`, `@['a b'][0]`, `$.x`: up to the first blank or operator outside brackets. */
function readPathOperand(cur: Cursor, compilePath: PathCompiler): OperandFn {
  const text = cur.text;
  const start = cur.pos;
  let i = start + 1;
  let depth = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = delimitedEnd(text, i);
    } else if (ch === '[') {
      depth++;
    } else if (ch === ']') {
      depth--;
    } else if (depth === 0 && (/\s/.test(ch) || '=!<>&|)~'.includes(ch))) {
      break;
    } else if (depth === 0 && ch === '(') {
      // A function such as `.length()` on a path is not a value Step Functions reads: the path does not exist.
      const close = text.indexOf(')', i);
      if (close < 0) throw new FilterSyntaxError(text, `missing ')' at position ${i + 1}`);
      cur.pos = close + 1;
      return () => MISSING;
    }
  }
  const source = text.slice(start, i);
  cur.pos = i;
  const relative = source[0] === '@';
  let read: FilterPathReader;
  try {
    read = compilePath(relative ? `$${source.slice(1)}` : source);
  } catch (e) {
    throw new FilterSyntaxError(text, `${source} is not a path: ${(e as Error).message}`);
  }
  return (item, root) => {
    const value = read(relative ? item : root);
    return value === undefined ? MISSING : value;
  };
}

function readQuoted(cur: Cursor): string {
  const text = cur.text;
  const quote = text[cur.pos];
  let out = '';
  for (let i = cur.pos + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      out += text[++i];
    } else if (ch === quote) {
      cur.pos = i + 1;
      return out;
    } else {
      out += ch;
    }
  }
  throw new FilterSyntaxError(text, `unterminated string starting at position ${cur.pos + 1}`);
}

function readRegex(cur: Cursor): Pattern {
  const text = cur.text;
  const i = delimitedEnd(text, cur.pos);
  if (i >= text.length) throw new FilterSyntaxError(text, `unterminated regular expression at position ${cur.pos + 1}`);
  const body = text.slice(cur.pos + 1, i);
  const flags = /^[a-z]*/.exec(text.slice(i + 1))![0];
  cur.pos = i + 1 + flags.length;
  try {
    // The data it is tested on comes from the execution: RE2 keeps a pattern such as /(a+)+$/ from freezing the process.
    return new Pattern(regexEngine().wholeStringMatcher(body, flags.replace(/[^ims]/g, '')));
  } catch (e) {
    throw new FilterSyntaxError(text, `the regular expression /${body}/ is not valid: ${(e as Error).message}`);
  }
}

function readJsonLiteral(cur: Cursor): JsonValue {
  const text = cur.text;
  const open = text[cur.pos];
  const close = open === '[' ? ']' : '}';
  let depth = 0;
  for (let i = cur.pos; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = delimitedEnd(text, i);
    } else if (ch === open) {
      depth++;
    } else if (ch === close && --depth === 0) {
      const source = text.slice(cur.pos, i + 1);
      cur.pos = i + 1;
      try {
        // Jayway's lists take single-quoted strings: JSON with its quotes swapped.
        return JSON.parse(source.replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s.replace(/\\'/g, "'")))) as JsonValue;
      } catch {
        throw new FilterSyntaxError(text, `${source} is not a JSON list or object`);
      }
    }
  }
  throw new FilterSyntaxError(text, `missing '${close}'`);
}

/**
 * The index of the character that closes what opens at `open` (a quote or a
 * regular expression's `/`), the same character again with a backslash
 * escaping any one character; `text.length` when it is never closed.
 * @internal
 */
export function delimitedEnd(text: string, open: number): number {
  const delimiter = text[open];
  let i = open + 1;
  for (; i < text.length && text[i] !== delimiter; i++) if (text[i] === '\\') i++;
  return Math.min(i, text.length);
}

function skipBlanks(cur: Cursor): void {
  while (cur.pos < cur.text.length && /\s/.test(cur.text[cur.pos])) cur.pos++;
}

function take(cur: Cursor, token: string): boolean {
  skipBlanks(cur);
  if (!cur.text.startsWith(token, cur.pos)) return false;
  cur.pos += token.length;
  return true;
}

/** A string Jayway reads as a number when it compares one with a number (Java's BigDecimal syntax). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Jayway's equality of the value `a` with `b`: a number equals a string that
 * reads as the same number, a string equals a number written the same way
 * (`'5' == 5`, not `'5.0' == 5`); any other kind only equals its own kind.
 */
function equal(a: Operand, b: Operand): boolean {
  if (a === MISSING || b === MISSING || a instanceof Pattern || b instanceof Pattern) return false;
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'string') && (tb === 'number' || tb === 'string')) {
    if (ta === tb) return a === b;
    return ta === 'number' ? DECIMAL.test(b as string) && Number(b) === a : a === String(b);
  }
  if (a === null || b === null) return a === b;
  if (ta === 'boolean' || tb === 'boolean') return a === b;
  return isDeepStrictEqual(a, b);
}

function ordered(a: Operand, b: Operand, test: (order: number) => boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') return test(a < b ? -1 : a > b ? 1 : 0);
  if (typeof a === 'string' && typeof b === 'string') return test(a < b ? -1 : a > b ? 1 : 0);
  return false;
}

function list(v: Operand): JsonValue[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** Whether `values` holds `v`, each compared as `v == value`. */
function includes(values: readonly JsonValue[], v: Operand): boolean {
  return values.some((x) => equal(v, x));
}

function lengthOf(v: Operand): number | undefined {
  return typeof v === 'string' || Array.isArray(v) ? v.length : undefined;
}

const RELATION_TESTS: Record<Relation, (a: Operand, b: Operand) => boolean> = {
  '==': equal,
  '!=': (a, b) => !equal(a, b),
  // Jayway's type-strict equality: the same kind and value.
  '===': (a, b) => typeof a === typeof b && equal(a, b),
  '!==': (a, b) => !(typeof a === typeof b && equal(a, b)),
  '<': (a, b) => ordered(a, b, (o) => o < 0),
  '<=': (a, b) => ordered(a, b, (o) => o <= 0),
  '>': (a, b) => ordered(a, b, (o) => o > 0),
  '>=': (a, b) => ordered(a, b, (o) => o >= 0),
  '=~': (a, b) => b instanceof Pattern && (typeof a === 'string' || typeof a === 'number') && b.matches(String(a)),
  'in': (a, b) => { const l = list(b); return l !== undefined && includes(l, a); },
  'nin': (a, b) => { const l = list(b); return l !== undefined && !includes(l, a); },
  'subsetof': (a, b) => { const l = list(a); const r = list(b); return l !== undefined && r !== undefined && l.every((x) => includes(r, x)); },
  'anyof': (a, b) => { const l = list(a); const r = list(b); return l !== undefined && r !== undefined && l.some((x) => includes(r, x)); },
  'noneof': (a, b) => { const l = list(a); const r = list(b); return l !== undefined && r !== undefined && !l.some((x) => includes(r, x)); },
  'contains': (a, b) => (typeof a === 'string' && typeof b === 'string' ? a.includes(b) : Array.isArray(a) && includes(a, b)),
  'size': (a, b) => typeof b === 'number' && lengthOf(a) === b,
  'empty': (a, b) => typeof b === 'boolean' && lengthOf(a) !== undefined && (lengthOf(a) === 0) === b,
};
