import type { JsonObject, JsonValue } from './definition-types';
import { isJsonObject, setField } from './json-value';
import { compileFilter, delimitedEnd, FilterSyntaxError, type FilterPredicate } from './jsonpath-filter';

/** A filter's conditions, as explore meets them (jsonpath-filter.ts reads filters for this door). @internal */
export { filterConditions, type FilterCondition } from './jsonpath-filter';
import { remember } from './memo';
import { descentsIn, withinPathWork } from './path-work';
import type { RandomSource } from './random';
import { StatesError } from './states-errors';

/**
 * Read access to workflow variables (`$name` in JSONPath, `$name` in JSONata).
 * @internal
 */
export interface VariableReader {
  /** The value of a variable, or `undefined` when it was never assigned. */
  get(name: string): JsonValue | undefined;
}

/**
 * What a path is evaluated against: the state's effective input (`$`), the
 * Context Object (`$$`) and the workflow variables (`$name`).
 * @internal
 */
export interface PathScope {
  readonly input: JsonValue;
  readonly context: JsonValue;
  readonly variables?: VariableReader;
  /** Randomness for States.UUID and States.MathRandom. */
  readonly random?: RandomSource;
  /**
   * Told of a value whose handling on AWS is not recorded (an intrinsic's integer past Java's int
   * range): the evaluation goes on with it, and the run tells it as its advice.
   * @default - none: nobody is told
   */
  unrecorded?(message: string): void;
}

/** One step of a reference path: a field name or an array index. */
export type Step = string | number;

/** Where a path starts: the state's input, the Context Object or a workflow variable. */
export type PathRoot =
  | { readonly kind: 'input' }
  | { readonly kind: 'context' }
  | { readonly kind: 'variable'; readonly name: string };

/**
 * A path compiled once into an accessor. `read` returns `undefined` when a
 * definite path does not exist; an indefinite path (wildcards, filters,
 * slices, unions, `..`) always returns an array of its matches, `[]` when
 * nothing matches, as AWS does.
 * @internal
 */
export interface CompiledPath {
  readonly source: string;
  readonly root: PathRoot;
  /** True for a path that names a single node (no wildcard, filter, slice, union or `..`). */
  readonly definite: boolean;
  /** The steps of a definite path, from its root. */
  readonly steps: readonly Step[] | undefined;
  /** Why a filter in it does not parse, when one does not: then every read fails with States.Runtime. */
  readonly unparsed?: string;
  read(scope: PathScope): JsonValue | undefined;
}

/** A path that does not parse. @internal */
export class PathSyntaxError extends Error {
  constructor(public readonly path: string, reason: string) {
    super(`Invalid JSONPath '${path}': ${reason}`);
    this.name = 'PathSyntaxError';
  }
}

const VARIABLE_ROOT = /^\$([A-Za-z_][A-Za-z0-9_]*)/;

/** Splits `$`, `$$` or `$name` off a path; returns the root and the rest (starting with `.` or `[` or empty). */
function splitRoot(path: string): { root: PathRoot; rest: string } {
  if (path.startsWith('$$')) return { root: { kind: 'context' }, rest: path.slice(2) };
  const v = VARIABLE_ROOT.exec(path);
  if (v) return { root: { kind: 'variable', name: v[1] }, rest: path.slice(v[0].length) };
  if (path.startsWith('$')) return { root: { kind: 'input' }, rest: path.slice(1) };
  throw new PathSyntaxError(path, "a path starts with '$'");
}

/**
 * Parses the steps of a definite path (`.a`, `['a b']`, `[0]`). Returns
 * `undefined` when the path uses indefinite syntax and needs a full JSONPath engine.
 */
function parseDefiniteSteps(path: string, rest: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = 0;
  while (i < rest.length) {
    const c = rest[i];
    if (c === '.') {
      if (rest[i + 1] === '.') return undefined; // recursive descent
      let j = i + 1;
      while (j < rest.length && rest[j] !== '.' && rest[j] !== '[') j++;
      const name = rest.slice(i + 1, j);
      if (name === '') throw new PathSyntaxError(path, `empty field name at position ${i + 1}`);
      if (name === '*') return undefined;
      steps.push(name);
      i = j;
    } else if (c === '[') {
      const close = findClosingBracket(rest, i);
      if (close < 0) throw new PathSyntaxError(path, "missing ']'");
      const inner = rest.slice(i + 1, close).trim();
      // Inside a quoted name only the quote itself is escaped; other backslashes are literal (as AWS reads them).
      const single = /^'((?:[^'\\]|\\.)*)'$/.exec(inner);
      const double = single ? undefined : /^"((?:[^"\\]|\\.)*)"$/.exec(inner);
      if (single) steps.push(single[1].replace(/\\'/g, "'"));
      else if (double) steps.push(double[1].replace(/\\"/g, '"'));
      // A negative index counts from the end (`[-1]` is the last item), one node as `[0]` is.
      else if (/^-?\d+$/.test(inner)) steps.push(Number(inner));
      else return undefined; // *, ?(), slices, unions
      i = close + 1;
    } else {
      throw new PathSyntaxError(path, `unexpected '${c}' at position ${i + 1 + (path.length - rest.length) - 1}`);
    }
  }
  return steps;
}

function findClosingBracket(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {quote = c;} else if (c === '[' || c === '(') {depth++;} else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0 && c === ']') return i;
    }
  }
  return -1;
}

function definitePath(source: string, root: PathRoot, steps: readonly Step[]): CompiledPath {
  const follow = stepsReader(steps);
  if (root.kind === 'input') return { source, root, definite: true, steps, read: (scope) => follow(scope.input) };
  return { source, root, definite: true, steps, read: (scope) => follow(rootValue(root, scope)) };
}

function rootValue(root: PathRoot, scope: PathScope): JsonValue | undefined {
  switch (root.kind) {
    case 'input': return scope.input;
    case 'context': return scope.context;
    case 'variable': return scope.variables?.get(root.name);
  }
}

/** A walk of definite steps compiled into a function of the value: {@link followSteps}, step for step. @internal */
export type StepsReader = (value: JsonValue | undefined) => JsonValue | undefined;

/**
 * {@link followSteps} for one list of steps, as a function of its own: each
 * field is read with its name written into the code (`c["cur"]`), which V8
 * reads through an inline cache of the objects that step meets, where the
 * shared walk reads every name through one megamorphic lookup, the largest
 * cost of a state that fills a template from paths. Shared by every path with
 * the same steps. A path with more steps than {@link MAX_READER_STEPS}, one
 * through `__proto__` (an own field only, which a plain read does not tell
 * apart), past {@link MAX_READERS} readers, or where code cannot be generated
 * from strings (node's --disallow-code-generation-from-strings) walks with
 * followSteps. Names go into the code as JSON string literals, so no name can
 * be read as code.
 * @internal
 */
export function stepsReader(steps: readonly Step[]): StepsReader {
  if (steps.length === 0 || steps.length > MAX_READER_STEPS || steps.includes('__proto__') || readers.size >= MAX_READERS) {
    return (value) => followSteps(value, steps);
  }
  const key = JSON.stringify(steps);
  let reader = readers.get(key);
  if (reader === undefined) {
    reader = generatedReader(steps) ?? ((value) => followSteps(value, steps));
    readers.set(key, reader);
  }
  return reader;
}

/** Paths with more steps than this walk with followSteps. */
const MAX_READER_STEPS = 32;
/** At most this many readers are generated; past it, new step lists walk with followSteps. */
const MAX_READERS = 10_000;
const readers = new Map<string, StepsReader>();

function generatedReader(steps: readonly Step[]): StepsReader | undefined {
  const body: string[] = ['"use strict"; let c = v;'];
  for (const s of steps) {
    if (typeof s === 'number') {
      body.push('if (!Array.isArray(c)) return undefined;');
      body.push(s < 0 ? `c = c[c.length - ${-s}];` : `c = c[${s}];`);
    } else {
      // As followSteps: a function found is inherited from Object.prototype, so the field does not exist.
      body.push('if (c === null || typeof c !== "object" || Array.isArray(c)) return undefined;');
      body.push(`c = c[${JSON.stringify(s)}];`, 'if (typeof c === "function") return undefined;');
    }
  }
  body.push('return c;');
  try {
    return new Function('v', body.join(' ')) as StepsReader;
  } catch {
    return undefined;
  }
}

/** Follows definite steps from a value; `undefined` when a step is missing. @internal */
export function followSteps(value: JsonValue | undefined, steps: readonly Step[]): JsonValue | undefined {
  let cur = value;
  for (let k = 0; k < steps.length; k++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const s = steps[k];
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s < 0 ? cur.length + s : s];
    } else {
      if (Array.isArray(cur)) return undefined;
      const next = (cur as JsonObject)[s] as JsonValue | undefined | ((...args: never[]) => unknown);
      // A JSON value is never a function: a function found here is inherited from
      // Object.prototype (`constructor`, `toString`), so the field does not exist.
      // `__proto__` is the one inherited name that is not a function.
      if (typeof next === 'function' || (s === '__proto__' && !Object.prototype.hasOwnProperty.call(cur, s))) return undefined;
      cur = next;
    }
  }
  return cur;
}

/** `$.[0]` → `$[0]`, outside quoted names only. */
function dropDotBeforeBracket(path: string): string {
  if (!path.includes('.[')) return path;
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (quote) {
      if (c === '\\') { out += c + (path[i + 1] ?? ''); i++; continue; }
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {quote = c;} else if (c === '.' && path[i + 1] === '[' && path[i - 1] !== '.') {
      continue; // `$..[0]` keeps its recursive descent
    }
    out += c;
  }
  return out;
}

const cache = new Map<string, CompiledPath>();

/**
 * Compiles a JSONPath (`$.a.b`, `$$.Execution.Id`, `$var.x`, `$.items[?(@.n > 1)]`).
 * Definite paths become plain property walks; the rest run through jsonpath-plus
 * with script evaluation replaced by its safe evaluator.
 * @internal
 */
export function compilePath(path: string): CompiledPath {
  if (typeof path !== 'string') throw new PathSyntaxError(String(path), 'a path is a string');
  return remember(cache, path, compilePathOnce);
}

function compilePathOnce(path: string): CompiledPath {
  // AWS accepts a dot before a bracket (`$.[0]`, `$.items.[?(@.n > 1)]`) and reads it as the bracket alone.
  const trimmed = dropDotBeforeBracket(path.trim());
  const { root, rest } = splitRoot(trimmed);
  const union = splitAtNameUnion(rest);
  if (union) return nameUnionPath(path, root, trimmed.slice(0, trimmed.length - rest.length), union);
  const steps = parseDefiniteSteps(trimmed, rest);
  let compiled: CompiledPath;
  if (steps) {
    compiled = steps.length === 0
      ? { source: path, root, definite: true, steps, read: (scope) => rootValue(root, scope) }
      : definitePath(path, root, steps);
  } else {
    // jsonpath-plus walks the path; the filters in it are ours (see FilterScript), so only
    // the rest is checked here: a filter's strings and expressions may hold any bracket.
    const walked = `$${withoutIndexBlanks(withFilterPlaceholders(rest))}`;
    validateIndefinite(trimmed, walked);
    const descents = descentsIn(walked);
    // Jayway compiles a path's filters with the path, so one that does not parse fails the path on any document, an empty one too.
    const broken = [...walked.matchAll(PLACEHOLDER_PATTERN)].map((m) => brokenFilters.get(m[0])).find((reason) => reason !== undefined);
    compiled = {
      source: path,
      root,
      definite: false,
      steps: undefined,
      ...(broken !== undefined ? { unparsed: broken } : {}),
      read: (scope) => {
        if (broken !== undefined) throw new StatesError('States.Runtime', `The JSONPath '${path}' could not be evaluated: ${broken}`);
        const json = rootValue(root, scope);
        if (json === undefined) return undefined;
        let found: PathMatch[] | undefined;
        const outer = scalarsHeld;
        const held: JsonValue[] = [];
        scalarsHeld = held;
        try {
          found = withinPathWork(descents, json, () =>
            jsonPathPlus().JSONPath({ path: walked, json: json as object, wrap: true, eval: FilterScript, resultType: 'all' }) as PathMatch[] | undefined);
        } catch (e) {
          throw new StatesError('States.Runtime', `The JSONPath '${path}' could not be evaluated: ${evaluationFailure(e)}`);
        } finally {
          scalarsHeld = outer;
        }
        // A path inside a filter (filterOperandPath) has no run to tell: the path holding the filter tells it.
        if (held.length > 0 && outer) for (const item of held) outer.push(item);
        else if (held.length > 0) scope.unrecorded?.(scalarsAdvice(path, held));
        return found ? valuesFromContainers(found) : [];
      },
    };
  }
  return compiled;
}

/** A path's steps split at its first union of quoted names (`['a','b']`): the steps before it, the names, the steps after it. */
interface NameUnion {
  readonly before: string;
  readonly names: readonly string[];
  readonly after: string;
}

const QUOTED_NAME = String.raw`\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*`;
const NAME_UNION = new RegExp(`^${QUOTED_NAME}(?:,${QUOTED_NAME})+$`);

/** The first bracket of `rest` (outside filters and quotes) that holds two or more quoted names, split around; undefined when none does. */
function splitAtNameUnion(rest: string): NameUnion | undefined {
  if (!rest.includes(',')) return undefined;
  let quote: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '[') {
      const close = findClosingBracket(rest, i);
      if (close < 0) return undefined;
      const inner = rest.slice(i + 1, close);
      // After `..` the union is a scan's (jsonpath-plus walks it).
      if (NAME_UNION.test(inner) && !rest.slice(0, i).endsWith('..')) return { before: rest.slice(0, i), names: quotedNames(inner), after: rest.slice(close + 1) };
      i = close;
    }
  }
  return undefined;
}

/** The names of a union's brackets, each unquoted as a bracket name is (only the quote itself is escaped). */
function quotedNames(inner: string): string[] {
  return [...inner.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\'/g, "'") : m[2].replace(/\\"/g, '"')));
}

/**
 * A path through a union of names, as Jayway's PropertyPathToken reads one. At the end of the
 * path the names are merged: each object the steps before reach gives one object holding those of
 * the names it has (`$.a['b','c']` of `{"a":{"b":1,"d":2}}` is `{"b":1}`), a single value when the
 * steps before name one node (nothing, and so a path that is not found, when that node is not an
 * object), a list of them otherwise. Inside the path the names are taken one after the other, and
 * the steps after read under each: a list.
 */
function nameUnionPath(source: string, root: PathRoot, rootText: string, union: NameUnion): CompiledPath {
  const before = compilePath(`${rootText}${union.before}`);
  const after = union.after.trim() === '' ? undefined : compilePath(`$${union.after}`);
  const unparsed = before.unparsed ?? after?.unparsed;
  const nodes = (scope: PathScope): readonly JsonValue[] | undefined => {
    const found = before.read(scope);
    if (before.definite) return found === undefined ? undefined : [found];
    return found as JsonValue[] | undefined;
  };
  const merged = (o: JsonObject): JsonObject => {
    const out: JsonObject = {};
    for (const name of union.names) if (Object.hasOwn(o, name)) setField(out, name, o[name]);
    return out;
  };
  const read = (scope: PathScope): JsonValue | undefined => {
    const from = nodes(scope);
    if (from === undefined) return before.definite ? undefined : [];
    if (after === undefined) {
      if (before.definite) return isJsonObject(from[0]) ? merged(from[0]) : undefined;
      return from.filter(isJsonObject).map(merged);
    }
    const out: JsonValue[] = [];
    for (const node of from) {
      if (!isJsonObject(node)) continue;
      for (const name of union.names) {
        if (!Object.hasOwn(node, name)) continue;
        const value = after.read({ ...scope, input: node[name] });
        if (value === undefined) continue;
        if (after.definite) out.push(value);
        else out.push(...(value as JsonValue[]));
      }
    }
    return out;
  };
  return { source, root, definite: false, steps: undefined, ...(unparsed !== undefined ? { unparsed } : {}), read };
}

/** `[0, 2]` → `[0,2]`: the blanks of an index list, which jsonpath-plus would read as part of a name, outside filters. */
function withoutIndexBlanks(rest: string): string {
  return rest.includes(' ') ? rest.replace(/\[([\d\s,-]+)\]/g, (whole, inner: string) => (inner.includes(',') ? `[${inner.replace(/\s+/g, '')}]` : whole)) : rest;
}

/** Why jsonpath-plus could not evaluate a path, without the wrapping that names a filter's placeholder. */
function evaluationFailure(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const placeholder = new RegExp(`^jsonPath: (.*): ${PLACEHOLDER_PREFIX}\\d+$`, 's').exec(message);
  return placeholder ? placeholder[1] : message;
}

interface Script {
  runInNewContext(context: object): unknown;
}

type JsonPathPlus = typeof import('jsonpath-plus');
let jsonPathModule: JsonPathPlus | undefined;
let SafeScript: (new (code: string) => Script) | undefined;

/**
 * jsonpath-plus, loaded the first time a path needs it (wildcards, filters,
 * slices): definite paths, most of them, are plain property walks and never load it.
 */
function jsonPathPlus(): JsonPathPlus {
  if (jsonPathModule === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
    jsonPathModule = require('jsonpath-plus') as JsonPathPlus;
    // eslint-disable-next-line no-restricted-syntax -- jsonpath-plus's typings leave out its safe VM, read here as it runs its own filters
    SafeScript = (jsonPathModule.JSONPath.prototype as unknown as { safeVm: { Script: new (code: string) => Script } }).safeVm.Script;
  }
  return jsonPathModule;
}

/**
 * Filters (`[?( … )]`) by the placeholder that stands for each in the path
 * jsonpath-plus walks: jsonpath-plus hands a filter's text to FilterScript,
 * and a placeholder lets FilterScript find the filter compiled from the
 * original text (jsonpath-plus would rewrite every `@` in it, inside regular
 * expressions too). One placeholder per distinct filter text.
 */
const filterPlaceholders = new Map<string, string>();
const compiledFilters = new Map<string, FilterPredicate>();
const PLACEHOLDER_PREFIX = '__stepwrightFilter';
const PLACEHOLDER_PATTERN = new RegExp(`${PLACEHOLDER_PREFIX}\\d+`, 'g');
/** Why each filter that does not parse does not, by placeholder. */
const brokenFilters = new Map<string, string>();

/** The rest of a path with each filter's expression replaced by its placeholder. */
function withFilterPlaceholders(rest: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const open = rest.indexOf('[?(', i);
    if (open < 0) return out + rest.slice(i);
    const close = filterEnd(rest, open + 3);
    if (close < 0) return out + rest.slice(i);
    const text = rest.slice(open + 3, close);
    let placeholder = filterPlaceholders.get(text);
    if (placeholder === undefined) {
      placeholder = `${PLACEHOLDER_PREFIX}${filterPlaceholders.size}`;
      filterPlaceholders.set(text, placeholder);
      compiledFilters.set(placeholder, compileFilterText(text, placeholder));
    }
    out += `${rest.slice(i, open)}[?(${placeholder}`;
    i = close;
  }
}

/**
 * A path with one filter between definite paths (`$.rows[?(@.kind == 'a')].value`): the path
 * before the filter, the filter's text, and the path read under each item it selects (`$` when
 * none); undefined for any other path.
 * @internal
 */
export function splitAtFilter(path: string): { readonly base: string; readonly filter: string; readonly rest: string } | undefined {
  const text = path.trim();
  const open = text.indexOf('[?(');
  if (open <= 0) return undefined;
  const close = filterEnd(text, open + 3);
  if (close < 0 || text[close + 1] !== ']' || text.includes('[?(', close)) return undefined;
  return { base: text.slice(0, open), filter: text.slice(open + 3, close), rest: `$${text.slice(close + 2)}` };
}

/** The index of the `)` that closes a filter opened before `start`, skipping quoted strings and regular expressions; -1 when there is none. */
function filterEnd(s: string, start: number): number {
  let depth = 1;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === "'" || c === '"' || (c === '/' && /[~(,|&!]\s*$/.test(s.slice(start, i)))) {
      i = delimitedEnd(s, i);
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return i;
    }
  }
  return -1;
}

/** A filter compiled from its text; one that does not parse is kept in brokenFilters, and fails every path that holds it when the path is read. */
function compileFilterText(text: string, placeholder: string): FilterPredicate {
  try {
    return compileFilter(text, filterOperandPath);
  } catch (e) {
    const reason = (e as Error).message;
    brokenFilters.set(placeholder, new FilterSyntaxError(text, reason.replace(/^the filter '.*' does not parse: /s, '')).message);
    return () => { throw new FilterSyntaxError(text, reason.replace(/^the filter '.*' does not parse: /s, '')); };
  }
}

/** A path inside a filter (`@.a` is compiled as `$.a`), read from the item or the root. */
function filterOperandPath(source: string): (value: JsonValue | undefined) => JsonValue | undefined {
  const compiled = compilePath(source);
  return (value) => compiled.read({ input: value as JsonValue, context: null });
}

/**
 * What jsonpath-plus evaluates a filter or script expression with. A filter
 * runs the predicate compiled from its text (see jsonpath-filter.ts). Any
 * other expression (`[(@.length-1)]`) goes to jsonpath-plus's safe evaluator
 * (no code runs), with one difference: an expression that fails on one item
 * because of that item's data (a TypeError) does not match it, instead of
 * failing the whole path. One that cannot be evaluated at all still throws,
 * and the path fails with States.Runtime.
 */
class FilterScript implements Script {
  private readonly filter: FilterPredicate | undefined;
  private readonly inner: Script | undefined;
  constructor(code: string) {
    jsonPathPlus();
    this.filter = code.startsWith(PLACEHOLDER_PREFIX) ? compiledFilters.get(code) : undefined;
    this.inner = this.filter ? undefined : new SafeScript!(code);
  }

  runInNewContext(context: { _$_v?: JsonValue; _$_root?: JsonValue }): unknown {
    if (this.filter) {
      const item = context._$_v;
      if (typeof item === 'object' && item !== null) return this.filter(item, context._$_root);
      // AWS documents that `@` matches objects only; Jayway would select a scalar the filter holds for.
      if (this.filter(item, context._$_root)) scalarsHeld?.push(item as JsonValue);
      return false;
    }
    try {
      return this.inner!.runInNewContext(context);
    } catch (e) {
      if (e instanceof TypeError) return false;
      throw e;
    }
  }
}

/**
 * The scalar items (string, number, boolean, null) a filter held for and did not select, in the
 * path being read: AWS's page on paths says that "the @ operator, matching the current node being
 * processed in a filter, does not match scalar values. It only matches objects"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html), where
 * Jayway, the library AWS evaluates JSONPath with, selects them (`[?(@ > 2)]` over `[1, 3, 5]`
 * gives `[3, 5]`). The page lists the sentence under reference paths, which hold no filter (its
 * own example there is a filter selecting two nodes), so it is read for every path that may hold
 * one; its source tried filters in the console's data flow simulator, not in an execution
 * (docs/fidelity.md). No recording shows AWS's answer, so a read that skipped one says so.
 */
let scalarsHeld: JsonValue[] | undefined;

/** The advice of a read whose filter held for scalar items it did not select. */
function scalarsAdvice(path: string, held: readonly JsonValue[]): string {
  const shown = held.slice(0, 3).map((v) => JSON.stringify(v)).join(', ') + (held.length > 3 ? ', …' : '');
  return `the JSONPath '${path}' has a filter that holds for ${held.length} item${held.length === 1 ? '' : 's'} that ${held.length === 1 ? 'is not an object' : 'are not objects'} (${shown}), `
    + 'and selects none of them, as AWS documents that @ in a filter matches objects only (Jayway, the library AWS evaluates JSONPath with, '
    + 'would select them; no recording shows AWS\'s answer). To select scalars, filter objects that hold them, or use JSONata.';
}

/** One match of jsonpath-plus with `resultType: 'all'`. */
interface PathMatch {
  readonly value: JsonValue;
  readonly parent: unknown;
  readonly parentProperty: unknown;
}

/**
 * The matched values, leaving out characters of strings: jsonpath-plus indexes
 * into a string (`$.s[0,1]` of "ab" is ["a","b"]), while AWS selects only
 * members of objects and arrays, so there a string has no matches.
 */
function valuesFromContainers(matches: readonly PathMatch[]): JsonValue[] {
  const values: JsonValue[] = [];
  for (const m of matches) {
    // jsonpath-plus reads `length` of an array as a field (`$.*.length`); to Jayway an array has no fields.
    if (typeof m.parent !== 'string' && !(Array.isArray(m.parent) && m.parentProperty === 'length')) values.push(m.value);
  }
  return values;
}

/** An `@` that starts a step outside a filter or a script (the walked text holds placeholders for filters). */
const BARE_AT = /[.[]\s*@/;

function validateIndefinite(path: string, jsonPath: string): void {
  let depth = 0;
  for (const c of jsonPath) {
    if (c === '[') depth++;
    else if (c === ']') depth--;
    if (depth < 0) throw new PathSyntaxError(path, "unbalanced ']'");
  }
  if (depth !== 0) throw new PathSyntaxError(path, "missing ']'");
  // `@` names the current item only inside a filter or a script (Jayway); jsonpath-plus reads a
  // step starting with it (`$[@]`, `$.a.@number()`) as a type selector, which fails on evaluation.
  if (BARE_AT.test(jsonPath)) throw new PathSyntaxError(path, "'@' names the current item only inside a filter ([?(...)]) or a script ([(...)])");
  try {
    jsonPathPlus().JSONPath.toPathArray(jsonPath);
  } catch (e) {
    throw new PathSyntaxError(path, (e as Error).message);
  }
}

/**
 * Compiles a reference path: a definite path into the input, as ResultPath and
 * the `…Path` fields of Choice, Wait and Map require.
 * @internal
 */
export function compileReferencePath(path: string): CompiledPath {
  const compiled = compilePath(path);
  if (!compiled.definite) throw new PathSyntaxError(path, 'a reference path names a single node; wildcards, filters and slices are not allowed');
  return compiled;
}
