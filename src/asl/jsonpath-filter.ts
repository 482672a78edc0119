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
 * them with (its FilterCompiler, ValueNodes and EvaluatorFactory), which
 * differs from JavaScript's operators:
 *
 * - `@.x` alone asks whether the field is there and not null, whatever else
 *   its value (`false`, `0` and `""` are there); `!@.x` asks the opposite
 *   (measured on AWS's Step Functions Local: `[?(@.keep)]` keeps
 *   `{"keep": false}`, and `[?(!@.session)]` keeps `{"session": null}`). A
 *   `!` before a path that is compared is dropped, as Jayway drops it.
 * - `@` is the item itself, an object or not, as Jayway reads it; but the path that runs the
 *   filter (path.ts) never selects an item that is a string, number, boolean or null, since AWS
 *   documents that `@` matches objects only, and tells the run when the filter held for one.
 * - `<`, `<=`, `>`, `>=` compare two numbers or two strings and are false for
 *   any other pair (`"5" >= 5` and `null >= 0` are false).
 * - `==` compares a number with a string that reads as the same number, a
 *   string with a number as Java's BigDecimal writes it (`'5' == 5`, and
 *   `'1E+3' == 1e3` but not `'1000' == 1e3`), objects and arrays by content,
 *   and a boolean or null only with its own kind; `===` also compares the kind.
 * - Literals: `'…'` and `"…"` with Java's escapes, `true`, `false`, `null`,
 *   numbers as BigDecimal reads them (`-1`, `.5`, `1e3`, `1E-3`), `/re/flags`,
 *   and `[…]` or `{…}` read as json-smart's permissive mode reads them (single
 *   quotes, unquoted words). A bare word (`== FAIL`) is the string it spells:
 *   Jayway 2.0's inline filters read it so, and AWS runs such filters (a
 *   ResultSelector `$.Items[?(@.attempt.S==FAIL)]` ran on AWS for more than a
 *   year), where Jayway 2.1 and later refuse the path.
 * - `=~` matches the whole string of a string, number or boolean (anything
 *   else is matched as `""`), the pattern on either side; `in`, `nin`,
 *   `subsetof`, `anyof`, `noneof`, `contains`, `size`, `empty` and the other
 *   word operators (`all`, `exists`, `type`, `matches`), in any case, test
 *   lists and lengths as Jayway's evaluators do. Where Jayway's evaluator
 *   throws (`all` on an inline list, `size` with no number), the item is not
 *   selected (docs/fidelity.md).
 * - `$…` inside a filter reads the document the path is evaluated on; a
 *   function such as `length()` reads as a missing field.
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

/** The value of an operand: a JSON value, MISSING for a path that does not exist, a pattern or a number written in the filter. */
const MISSING = Symbol('missing');
type Operand = JsonValue | typeof MISSING | Pattern | NumberLiteral;

/** A regular expression literal (`/re/i`), tested against a whole string. */
class Pattern {
  constructor(public readonly matches: (input: string) => boolean) {}
}

/**
 * A number written in the filter (`1e3`), with the text Java's BigDecimal gives it (`1E+3`):
 * Jayway compares a string with a number by that text.
 */
class NumberLiteral {
  constructor(public readonly value: number, public readonly text: string) {}
}
type OperandFn = (item: JsonValue | undefined, root: JsonValue | undefined) => Operand;

interface Cursor {
  readonly text: string;
  pos: number;
}

const RELATIONS = ['===', '!==', '==', '!=', '<=', '>=', '=~', '<', '>'] as const;
/** Jayway's word operators (RelationalOperator), which it reads in any case. */
const WORD_RELATIONS = ['subsetof', 'anyof', 'noneof', 'contains', 'matches', 'exists', 'empty', 'size', 'type', 'all', 'nin', 'in'] as const;
/** How deep a list or object literal in a filter may nest. */
const MAX_LITERAL_DEPTH = 64;
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

/**
 * One condition a filter puts on the items it selects: a path under the item (written from `$`,
 * `@.a.b` as `$.a.b`), tested alone (`present`: there and not null) or related to a literal.
 * @internal
 */
export interface FilterCondition {
  readonly path: string;
  readonly relation: Relation | 'present';
  readonly value?: JsonValue;
}

/**
 * The conditions of a filter that is a conjunction of paths under the item, each tested alone or
 * compared with a literal (`@.type == AMOUNT_PAID && @.score > 0.5`): what an item must hold to be
 * selected, read as {@link compileFilter} reads them. Undefined for any other filter (`||`, `!`, a
 * path on either side, `$…`, a regular expression), or one that does not parse.
 * @internal
 */
export function filterConditions(filter: string): FilterCondition[] | undefined {
  const cur: Cursor = { text: filter, pos: 0 };
  const out: FilterCondition[] = [];
  try {
    do {
      skipBlanks(cur);
      if (cur.text[cur.pos] !== '@') return undefined;
      const source = readPathText(cur);
      if (source === undefined) return undefined;
      const path = `$${source.slice(1)}`;
      const relation = readRelationName(cur);
      if (relation === undefined) {
        out.push({ path, relation: 'present' });
        continue;
      }
      skipBlanks(cur);
      if ('@$/!'.includes(cur.text[cur.pos] ?? '@')) return undefined;
      const operand = readValue(cur, () => () => undefined, 'right')(undefined, undefined);
      if (operand instanceof Pattern || operand === MISSING) return undefined;
      out.push({ path, relation, value: operand instanceof NumberLiteral ? operand.value : operand });
    } while (take(cur, '&&'));
  } catch (e) {
    if (e instanceof FilterSyntaxError) return undefined;
    throw e;
  }
  skipBlanks(cur);
  return cur.pos === filter.length ? out : undefined;
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
      const read = readPathOperand(cur, compilePath);
      const relation = readRelationName(cur);
      // `!@.x`: the field is not there, or null. Compared (`!@.x == 1`), Jayway drops the `!`.
      if (relation === undefined) return (item, root) => absent(read(item, root));
      return relationOf(read, relation, readValue(cur, compilePath, 'right'));
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
  const left = readValue(cur, compilePath, 'left');
  const relation = readRelationName(cur);
  if (relation === undefined) {
    // A path alone asks whether it is there and not null.
    if (!isPathAt(cur.text, start)) throw new FilterSyntaxError(cur.text, `'${cur.text.slice(start, cur.pos).trim()}' is not a comparison`);
    return (item, root) => !absent(left(item, root));
  }
  return relationOf(left, relation, readValue(cur, compilePath, 'right'));
}

function relationOf(left: OperandFn, relation: Relation, right: OperandFn): FilterPredicate {
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
  const word = /^[A-Za-z]+/.exec(cur.text.slice(cur.pos, cur.pos + 16))?.[0].toLowerCase();
  const r = WORD_RELATIONS.find((w) => w === word);
  if (r === undefined) return undefined;
  cur.pos += r.length;
  return r;
}

/**
 * One operand. A word that is no other literal is read as Jayway 2.0 reads it: on the right of a
 * relation, the text up to the next `&&`, `||` or closing parenthesis; on the left, up to a blank
 * or an operator; each is `true`, `false`, `null`, a number, or else the string it spells.
 */
function readValue(cur: Cursor, compilePath: PathCompiler, side: 'left' | 'right'): OperandFn {
  skipBlanks(cur);
  const text = cur.text;
  let c = text[cur.pos];
  if (c === '!' && /^!\s*[@$]/.test(text.slice(cur.pos, cur.pos + 64))) {
    // Jayway reads `== !@.x` as `== @.x`.
    cur.pos++;
    skipBlanks(cur);
    c = text[cur.pos];
  }
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
  const start = cur.pos;
  const end = side === 'right' ? rightWordEnd(text, start) : leftWordEnd(text, start);
  const word = text.slice(start, end).trim();
  if (word === '') throw new FilterSyntaxError(text, c === undefined ? 'a value is missing at the end' : `unexpected '${text.slice(cur.pos)}'`);
  cur.pos = end;
  const value = literalOf(word);
  return () => value;
}

/** Where a word on the right of a relation ends: at `&&`, `||` or a parenthesis it did not open. */
function rightWordEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')' && depth-- === 0) return i;
    else if ((ch === '&' || ch === '|') && text[i + 1] === ch) return i;
  }
  return text.length;
}

/** Where a word on the left of a relation ends: at a blank, an operator or a parenthesis. */
function leftWordEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && !/[\s<>=!~()&|]/.test(text[i])) i++;
  return i;
}

/**
 * Java's BigDecimal syntax: the numbers Jayway reads in a filter (a `+` sign taken too, where
 * Jayway's reader stops), and the strings it compares with a number as numbers.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A word of a filter: `true`, `false`, `null`, a number, or the string it spells. */
function literalOf(word: string): Operand {
  if (word === 'true') return true;
  if (word === 'false') return false;
  if (word === 'null') return null;
  if (DECIMAL.test(word)) return new NumberLiteral(Number(word), bigDecimalText(word));
  return word;
}

/**
 * How Java's BigDecimal writes the number written `word` (its toString): the digits as written
 * with their scale, in scientific notation when the scale is negative or the exponent below -6
 * (`1e3` is `1E+3`, `5.0` is `5.0`, `0.001` is `0.001`, `1e-7` is `1E-7`).
 * @internal
 */
export function bigDecimalText(word: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(word)!;
  const fraction = m[3] ?? '';
  const digits = `${m[2]}${fraction}`.replace(/^0+(?=\d)/, '');
  const scale = fraction.length - Number(m[4] ?? 0);
  const sign = m[1] === '-' && /[1-9]/.test(digits) ? '-' : '';
  const adjusted = digits.length - 1 - scale;
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) return `${sign}${digits}`;
    const padded = digits.padStart(scale + 1, '0');
    return `${sign}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/** `@.a.b`, `@['a b'][0]`, `$.x`: up to the first blank or operator outside brackets. */
function readPathOperand(cur: Cursor, compilePath: PathCompiler): OperandFn {
  const source = readPathText(cur);
  if (source === undefined) return () => MISSING;
  const relative = source[0] === '@';
  let read: FilterPathReader;
  try {
    read = compilePath(relative ? `$${source.slice(1)}` : source);
  } catch (e) {
    throw new FilterSyntaxError(cur.text, `${source} is not a path: ${(e as Error).message}`);
  }
  return (item, root) => {
    const value = read(relative ? item : root);
    return value === undefined ? MISSING : value;
  };
}

/** The text of a path operand, the cursor moved past it; undefined for a function call on a path (`@.a.length()`), which reads nothing. */
function readPathText(cur: Cursor): string | undefined {
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
      return undefined;
    }
  }
  cur.pos = i;
  return text.slice(start, i);
}

function readQuoted(cur: Cursor): string {
  const text = cur.text;
  const close = delimitedEnd(text, cur.pos);
  if (close >= text.length) throw new FilterSyntaxError(text, `unterminated string starting at position ${cur.pos + 1}`);
  const body = text.slice(cur.pos + 1, close);
  cur.pos = close + 1;
  return javaUnescape(body);
}

const ESCAPES: Readonly<Record<string, string>> = { r: '\r', f: '\f', t: '\t', n: '\n', b: '\b' };

/** A quoted string's text as Jayway's Utils.unescape reads it: `\n` and its kin, `\uXXXX`, and any other escaped character as itself. */
function javaUnescape(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])|\\$/g, (all, escaped: string | undefined) => {
    if (escaped === undefined) return all;
    if (escaped.length === 5) return String.fromCharCode(parseInt(escaped.slice(1), 16));
    return ESCAPES[escaped] ?? escaped;
  });
}

function readRegex(cur: Cursor): Pattern {
  const text = cur.text;
  const i = delimitedEnd(text, cur.pos);
  if (i >= text.length) throw new FilterSyntaxError(text, `unterminated regular expression at position ${cur.pos + 1}`);
  const body = text.slice(cur.pos + 1, i);
  // Java's flags (PatternFlag: d, i, x, m, s, u, U); RE2 takes i, m and s, and the others change nothing it matches here.
  const flags = /^[A-Za-z]*/.exec(text.slice(i + 1))![0];
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
      const literal: Cursor = { text: source, pos: 0 };
      const value = readPermissive(literal, 0, text);
      skipBlanks(literal);
      if (literal.pos < source.length) throw new FilterSyntaxError(text, `${source} is not a list or object`);
      return value;
    }
  }
  throw new FilterSyntaxError(text, `missing '${close}'`);
}

/**
 * A value of a list or object literal, as json-smart's permissive mode (which Jayway parses them
 * with) reads it: quoted with either quote, or an unquoted word up to `,`, `:`, `]` or `}`, which
 * is `true`, `false`, `null`, a number or the string it spells.
 */
function readPermissive(cur: Cursor, depth: number, filter: string): JsonValue {
  if (depth > MAX_LITERAL_DEPTH) throw new FilterSyntaxError(filter, `a list or object literal nests deeper than ${MAX_LITERAL_DEPTH} levels`);
  skipBlanks(cur);
  const c = cur.text[cur.pos];
  if (c === '[' || c === '{') {
    cur.pos++;
    const items: JsonValue[] = [];
    const object: Record<string, JsonValue> = {};
    const close = c === '[' ? ']' : '}';
    skipBlanks(cur);
    if (cur.text[cur.pos] === close) {
      cur.pos++;
      return c === '[' ? items : object;
    }
    for (;;) {
      if (c === '[') {
        items.push(readPermissive(cur, depth + 1, filter));
      } else {
        const key = readPermissive(cur, depth + 1, filter);
        if (!take(cur, ':')) throw new FilterSyntaxError(filter, `${cur.text} is not a list or object: a key has no ':'`);
        const value = readPermissive(cur, depth + 1, filter);
        Object.defineProperty(object, String(key), { value, enumerable: true, writable: true, configurable: true });
      }
      if (take(cur, ',')) continue;
      if (take(cur, close)) return c === '[' ? items : object;
      throw new FilterSyntaxError(filter, `${cur.text} is not a list or object`);
    }
  }
  if (c === "'" || c === '"') return readQuoted(cur);
  const start = cur.pos;
  while (cur.pos < cur.text.length && !',:]}[{'.includes(cur.text[cur.pos])) cur.pos++;
  const word = cur.text.slice(start, cur.pos).trim();
  if (word === '') throw new FilterSyntaxError(filter, `${cur.text} is not a list or object: a value is missing`);
  const value = literalOf(word);
  return value instanceof NumberLiteral ? value.value : value as JsonValue;
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


/** The kind of a value, as Jayway's ValueNode classes tell them apart (StringNode, NumberNode, JsonNode, …). */
function kindOf(v: Operand): 'missing' | 'pattern' | 'number' | 'string' | 'boolean' | 'null' | 'json' {
  if (v === MISSING) return 'missing';
  if (v === null) return 'null';
  if (v instanceof Pattern) return 'pattern';
  if (v instanceof NumberLiteral) return 'number';
  const t = typeof v;
  return t === 'number' ? 'number' : t === 'string' ? 'string' : t === 'boolean' ? 'boolean' : 'json';
}

function numberOf(v: Operand): number | undefined {
  return typeof v === 'number' ? v : v instanceof NumberLiteral ? v.value : undefined;
}

/** A number's text as Jayway reads it as a string: a literal's BigDecimal text, a document's number as Java prints it. */
function numberText(v: Operand): string {
  return v instanceof NumberLiteral ? v.text : String(v);
}

/**
 * Jayway's equality of the value `a` with `b` (`a.equals(b)`): a number equals a string that
 * reads as the same number, a string equals a number written the same way (`'5' == 5`, not
 * `'5.0' == 5`); any other kind only equals its own kind.
 */
function equal(a: Operand, b: Operand): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'missing' || kb === 'missing' || ka === 'pattern' || kb === 'pattern') return false;
  if (ka === 'number') {
    if (kb === 'number') return numberOf(a) === numberOf(b);
    return kb === 'string' && DECIMAL.test(b as string) && Number(b) === numberOf(a);
  }
  if (ka === 'string') return kb === 'string' ? a === b : kb === 'number' && a === numberText(b);
  if (ka !== kb) return false;
  return ka === 'json' ? isDeepStrictEqual(a, b) : a === b;
}

function ordered(a: Operand, b: Operand, test: (order: number) => boolean): boolean {
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== undefined && y !== undefined) return test(x < y ? -1 : x > y ? 1 : 0);
  if (typeof a === 'string' && typeof b === 'string') return test(a < b ? -1 : a > b ? 1 : 0);
  return false;
}

/** An array or an object: what Jayway holds as a JsonNode. */
function isJson(v: Operand): v is JsonValue[] | { [key: string]: JsonValue } {
  return kindOf(v) === 'json';
}

function list(v: Operand): JsonValue[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** Whether `values` holds `v`, each compared as `v == value`. */
function includes(values: readonly JsonValue[], v: Operand): boolean {
  return values.some((x) => equal(v, x));
}

/** What `=~` matches a value as (RegexpEvaluator.getInput): a string, a number's text, a boolean's word, else "". */
function regexInput(v: Operand): string {
  const kind = kindOf(v);
  return kind === 'string' ? v as string : kind === 'number' ? numberText(v) : kind === 'boolean' ? String(v) : '';
}

/** Jayway's SizeEvaluator: a string's length, an array's length, -1 for an object; the number truncated as Java's intValue(). */
function sized(a: Operand, b: Operand): boolean {
  const n = numberOf(b);
  if (n === undefined) return false;
  const expected = Math.trunc(n);
  if (typeof a === 'string') return a.length === expected;
  if (isJson(a)) return (Array.isArray(a) ? a.length : -1) === expected;
  return false;
}

/** Jayway's EmptyEvaluator: a string, an array or an object without anything in it. */
function empty(a: Operand, b: Operand): boolean {
  if (typeof b !== 'boolean') return false;
  if (typeof a === 'string') return (a.length === 0) === b;
  if (isJson(a)) return (Array.isArray(a) ? a.length === 0 : Object.keys(a).length === 0) === b;
  return false;
}

/** Two lists for subsetof, anyof and noneof; undefined where Jayway answers false or throws. */
function lists(a: Operand, b: Operand): [JsonValue[], JsonValue[]] | undefined {
  const l = list(a);
  const r = list(b);
  return l !== undefined && r !== undefined ? [l, r] : undefined;
}

const never = (): boolean => false;

const RELATION_TESTS: Record<Relation, (a: Operand, b: Operand) => boolean> = {
  '==': equal,
  '!=': (a, b) => !equal(a, b),
  // Jayway's type-strict equality: the same kind of node and the same value.
  '===': (a, b) => kindOf(a) === kindOf(b) && equal(a, b),
  '!==': (a, b) => !(kindOf(a) === kindOf(b) && equal(a, b)),
  '<': (a, b) => ordered(a, b, (o) => o < 0),
  '<=': (a, b) => ordered(a, b, (o) => o <= 0),
  '>': (a, b) => ordered(a, b, (o) => o > 0),
  '>=': (a, b) => ordered(a, b, (o) => o >= 0),
  '=~': (a, b) => {
    if ((a instanceof Pattern) === (b instanceof Pattern)) return false;
    return a instanceof Pattern ? a.matches(regexInput(b)) : (b as Pattern).matches(regexInput(a));
  },
  'in': (a, b) => { const l = list(b); return l !== undefined && includes(l, a); },
  // NotInEvaluator is !IN: an object on the right is no list, so nothing is in it.
  'nin': (a, b) => isJson(b) && !(Array.isArray(b) && includes(b, a)),
  'subsetof': (a, b) => { const p = lists(a, b); return p !== undefined && p[0].every((x) => includes(p[1], x)); },
  'anyof': (a, b) => { const p = lists(a, b); return p !== undefined && p[0].some((x) => includes(p[1], x)); },
  'noneof': (a, b) => { const p = lists(a, b); return p !== undefined && !p[0].some((x) => includes(p[1], x)); },
  'contains': (a, b) => (typeof a === 'string' && typeof b === 'string' ? a.includes(b) : Array.isArray(a) && includes(a, b)),
  'size': sized,
  'empty': empty,
  // ExistsEvaluator compares two booleans; with anything else it throws.
  'exists': (a, b) => typeof a === 'boolean' && typeof b === 'boolean' && a === b,
  // Inline, AllEvaluator, TypeEvaluator and PredicateMatchEvaluator throw on every right operand a filter can write.
  'all': never,
  'type': never,
  'matches': never,
};
