import type { JsonObject, JsonValue } from './definition-types';
import { AwsLimits } from './limits';

/**
 * Deepest nesting of arrays and objects a value may have. Step Functions
 * parses JSON with Jackson, whose default limit is 1,000 levels; JavaScript's
 * own recursion (JSON.stringify included) gives out a few thousand levels
 * down, so a deeper value is refused where it enters, with a typed error,
 * instead of failing later with a RangeError.
 * @internal
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * Most values a value held in memory may have (itself, and every array member and object field
 * in it), counted as its JSON text writes them: an object reached from two places counts twice. stepwright's own
 * bound: AWS takes JSON text, in which nothing is shared, but a value a test, a handler or a mock
 * passes in memory may reach one object from many places (60 levels, each pointing twice at the
 * next, are 2^60 values as text), which a walk, or JSON.stringify, expands. Each value is a byte
 * of text at least, so a value past this bound is text 16 times the 256 KiB AWS takes as a
 * payload: it is refused where it enters, after that many values, never walked 2^60 times.
 * @internal
 */
export const MAX_JSON_VALUES = 16 * AwsLimits.PAYLOAD_BYTES;

/**
 * What is wrong with a value past {@link MAX_JSON_VALUES}, said without a path: the lean walk that
 * finds it keeps none, and a second walk to the bound to name one would double the wait.
 */
const TOO_MANY_VALUES = `more than ${MAX_JSON_VALUES} values (an object reached from two places counts twice, as its JSON text writes it twice: `
  + `${MAX_JSON_VALUES} bytes of text at least, 16 times the ${AwsLimits.PAYLOAD_BYTES} AWS takes as a payload); `
  + 'pass a value that shares fewer objects, or a smaller one';

/**
 * Why a JavaScript value is not a JSON value stepwright can carry, or
 * `undefined` when it is one: `undefined` itself, a BigInt, a function or a
 * symbol anywhere, a number that is not finite, a circular reference, or
 * nesting deeper than {@link MAX_JSON_DEPTH}. Object fields whose value is
 * `undefined` are allowed: JSON.stringify leaves them out. Once something is found that is not
 * JSON (a value's own `toJSON` method, to the lean walk), every `toJSON` met (a Date's too) is
 * called with its key and what it returns judged, as JSON.stringify writes it, bounded as the rest.
 * @internal
 * @example
 * describeNonJson({ a: 1n });   // "a BigInt at $.a"
 * describeNonJson({ a: [1] });  // undefined
 */
export function describeNonJson(value: unknown): string | undefined {
  if (value === undefined) return 'undefined';
  // A task result is checked on every Task: the common, valid case takes one lean walk.
  if (leanWalk(value) !== NOT_JSON) return undefined;
  if (valuesLeft < 0) return TOO_MANY_VALUES;
  // A value's own toJSON is a function to the lean walk; JSON.stringify writes what it returns, and so
  // is it judged, under the same bounds (what toJSON returns was never counted).
  const written = asWritten(value);
  return 'problem' in written ? describeProblem(written.problem) : undefined;
}

/**
 * A number a computation of AWS's gave, as JSON carries it: a finite one as it is, and Infinity,
 * -Infinity or NaN, which JSON has no number for, as the JVM's text for them (`"Infinity"`), which
 * AWS hands on where its own arithmetic gives one (JSONata's `1/0` is `"Infinity"`, docs/fidelity.md).
 * JSON.stringify would write `null`, a value the run never held.
 * @internal
 */
export function jvmNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/**
 * `value` as JSON text carries it, when it is a JSON value ({@link describeNonJson} says why it is
 * not one, when this gives undefined): a negative zero (which JSON.stringify writes `0`) is 0. A
 * value an API takes as JSON text (StartExecution's `input`, SendTaskSuccess's `output`: "The
 * string that contains the JSON input data", API reference) reaches Step Functions as that text,
 * so a -0 a caller passes as a value is the 0 AWS reads, and `toEqual({ x: 0 })` holds of what a
 * run gives back. The same value when it holds no -0 (the common case, which copies nothing);
 * otherwise a copy. One lean walk checks the value and finds any -0 in it: a value that enters on
 * every Task (its answer) is walked once, not once to check it and once more for -0. A value with
 * a `toJSON` method of its own is what JSON.stringify writes: a copy, each `toJSON` called once.
 * @internal
 * @example
 * Object.is((jsonTextOf({ x: -0 }) as { x: number }).x, 0); // true
 * jsonTextOf({ a: 1n }); // undefined
 */
export function jsonTextOf(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  const walked = leanWalk(value);
  if (walked === NOT_JSON) {
    if (valuesLeft < 0) return undefined;
    // Perhaps a toJSON of the value's own: JSON text holds what it writes.
    const written = asWritten(value);
    return 'problem' in written ? undefined : written.value;
  }
  // The walk found it to be JSON: it is read as one from here on.
  const json = value as JsonValue;
  return walked === JSON_WITH_NEGATIVE_ZERO ? withoutNegativeZero(json) : json;
}

function withoutNegativeZero(value: JsonValue): JsonValue {
  if (typeof value === 'number') return value === 0 ? 0 : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  // fromEntries defines each key as its own, `__proto__` too.
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, withoutNegativeZero(item)]));
}

/**
 * `JSON.stringify(value)`, for a door that serialises a value in memory the way Lambda does (NaN as
 * null), refused once it has written more than {@link MAX_JSON_VALUES} values (its own fields,
 * every array member), so that a value sharing one object from many places is refused before it
 * expands: `tooMany` says why. One pass: JSON.stringify counts as it writes (its replacer sees each
 * value after its `toJSON`, ECMA-262 SerializeJSONProperty), so each `toJSON` is called once.
 * What JSON.stringify throws (a BigInt, a cycle, a `toJSON` that throws, nesting past the stack)
 * is thrown.
 * @internal
 * @example
 * stringifyWithin({ a: 1 }); // { text: '{"a":1}' }
 */
export function stringifyWithin(value: unknown): { readonly text: string | undefined } | { readonly tooMany: string } {
  let left = MAX_JSON_VALUES;
  const counting = (_key: string, item: unknown): unknown => {
    if (--left < 0) throw PAST_BOUND;
    return item;
  };
  try {
    return { text: JSON.stringify(value, counting) };
  } catch (e) {
    if (e === PAST_BOUND) return { tooMany: TOO_MANY_VALUES };
    throw e;
  }
}

/** Thrown by stringifyWithin's replacer past the bound, to stop JSON.stringify. */
const PAST_BOUND = Symbol('past MAX_JSON_VALUES');

/** What a toJSON threw, in place of the value it did not give. */
class Thrown {
  constructor(readonly error: unknown) {}
}

/** What JSON.stringify writes in place of `value` under `key`: what its `toJSON` gives, when it has one. */
function asStringified(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'bigint') return value;
  try {
    // Object() gives the object itself, or a BigInt's wrapper whose prototype JSON.stringify reads too.
    const toJSON: unknown = Object(value).toJSON;
    return typeof toJSON === 'function' ? toJSON.call(value, key) : value;
  } catch (e) {
    return new Thrown(e);
  }
}

/**
 * {@link describeNonJson} for a large value checked once, such as a state
 * machine definition: the same answer, from the walk that also names where
 * the problem is. The lean walk runs on every Task result and execution
 * input, and V8 tunes it to the objects it has seen; the thousands of objects
 * of a large definition (states, Parameters) would tune it to shapes no
 * result has, and every Task after would run the slower for it (5,000 Task
 * states: 8.0 -> 6.0 ms per run once the definition no longer goes through it). An object
 * reached from many places is walked each time, as its JSON text writes it each time: more
 * values than a definition's 1 MiB of text can hold is the problem, found after that many.
 * @internal
 */
export function describeNonJsonDocument(value: unknown): string | undefined {
  if (value === undefined) return 'undefined';
  return describeProblem(visit(value, 0, new Set(), definitionBudget()));
}

/**
 * {@link describeNonJson} for a value parsed from JSON text (a request, a
 * file, an endpoint's answer), said in the terms of that text. Two things
 * can be wrong with such a value: nesting deeper than {@link MAX_JSON_DEPTH},
 * and a number beyond the range of a double, which JSON.parse reads as
 * ±Infinity (`1e999`): that is a number out of range, not an "Infinity" the
 * text never held.
 * @internal
 * @example
 * describeNonJsonText(JSON.parse('{"a":1e999}'));
 * // "a number out of range at $.a: JSON numbers are read as doubles, at most ±1.7976931348623157e+308 (it reads as Infinity)"
 */
export function describeNonJsonText(value: unknown): string | undefined {
  if (value === undefined) return 'undefined';
  // JSON.parse makes a tree, no larger than its text: only a value in memory can share objects.
  if (leanWalk(value, Infinity) !== NOT_JSON) return undefined;
  const found = visit(value, 0, new Set());
  if (found?.number !== undefined && !Number.isNaN(found.number)) return outOfRange(found);
  const problem = describeProblem(found);
  return found?.depth ? `${problem}; Step Functions reads JSON at most ${MAX_JSON_DEPTH} levels deep` : problem;
}

function outOfRange(found: Problem): string {
  return `${describeProblem({ what: 'a number out of range', path: found.path })}: JSON numbers are read as doubles, `
    + `at most ±${Number.MAX_VALUE} (it reads as ${found.number})`;
}

/**
 * Why a definition is not JSON Step Functions accepts, and whether that is its nesting (past
 * {@link MAX_JSON_DEPTH}, or a reference to itself, which no flattening of JSON text can give) or
 * a value JSON has none of. A number past a double's range is said as such: a definition read from
 * text holding `1e999` holds no "Infinity", and no flattening of states mends it. Bounded as
 * {@link describeNonJsonDocument} is.
 * @internal
 */
export function definitionNotJson(value: unknown): { readonly problem: string; readonly nesting: boolean } | undefined {
  if (value === undefined) return { problem: 'undefined', nesting: false };
  const found = visit(value, 0, new Set(), definitionBudget());
  if (found === undefined) return undefined;
  if (found.number !== undefined && !Number.isNaN(found.number)) return { problem: outOfRange(found), nesting: false };
  return { problem: describeProblem(found)!, nesting: found.depth === true || found.what === 'a circular reference' };
}

/**
 * `value` as JSON.stringify writes it (each `toJSON` called once, with its key; fields whose value,
 * or whose toJSON's, is undefined left out, and an array item whose toJSON gives undefined null), or the problem with it as {@link describeNonJson} says it: a walk for a
 * value the lean walk refused, bounded by {@link MAX_JSON_VALUES} and {@link MAX_JSON_DEPTH} again,
 * as what a toJSON returns was never counted. A -0 is written 0.
 */
function asWritten(value: unknown): { readonly value: JsonValue } | { readonly problem: Problem } {
  let left = MAX_JSON_VALUES;
  let failure: Problem | undefined;
  // The objects on the path from the root, which alone can close a cycle: a set, so that a value 1,000 levels
  // deep with millions of objects at the bottom is not a billion comparisons.
  const ancestors = new Set<object>();
  const fail = (problem: Problem): typeof FAILED => {
    failure = problem;
    return FAILED;
  };
  const walk = (found: unknown, key: string, depth: number): JsonValue | typeof FAILED | typeof OMITTED => {
    if (--left < 0) return fail({ what: TOO_MANY_VALUES_HERE, path: [] });
    const item = asStringified(found, key);
    if (item instanceof Thrown) {
      const error = item.error;
      return fail({ what: `a toJSON that threw (${error instanceof Error ? error.message : String(error)})`, path: [] });
    }
    // A toJSON that returns undefined under a field or an array item: JSON.stringify leaves the field out and
    // writes the item null (ECMA-262 SerializeJSONProperty gives undefined; SerializeJSONArray writes "null").
    if (item === undefined && found !== undefined && depth > 0) return OMITTED;
    if (typeof item !== 'object' || item === null) {
      const problem = visit(item, depth, ancestors);
      // JSON text writes a -0 as 0.
      return problem !== undefined ? fail(problem) : item === 0 ? 0 : item as JsonValue;
    }
    if (depth >= MAX_JSON_DEPTH) return fail({ what: `nesting deeper than ${MAX_JSON_DEPTH} levels`, path: [], depth: true });
    if (ancestors.has(item)) return fail({ what: 'a circular reference', path: [] });
    ancestors.add(item);
    let out: JsonValue[] | Record<string, JsonValue>;
    if (Array.isArray(item)) {
      out = [];
      for (let i = 0; i < item.length; i++) {
        const member = walk(item[i], String(i), depth + 1);
        if (member === FAILED) { failure!.path.push(i); return FAILED; }
        out.push(member === OMITTED ? null : member);
      }
    } else {
      out = {};
      for (const [field, member] of Object.entries(item)) {
        if (member === undefined) continue;
        const written = walk(member, field, depth + 1);
        if (written === FAILED) { failure!.path.push(field); return FAILED; }
        if (written !== OMITTED) setField(out, field, written);
      }
    }
    ancestors.delete(item);
    return out;
  };
  const written = walk(value, '', 0);
  // The root is never OMITTED: a toJSON there that returns undefined is judged as undefined.
  return written === FAILED ? { problem: failure! } : { value: written as JsonValue };
}

/** asWritten's walk met a problem, kept aside. */
const FAILED = Symbol('not JSON');

/** asWritten's walk met a toJSON that returned undefined under a field or item: JSON.stringify writes nothing there. */
const OMITTED = Symbol('left out');

/** {@link TOO_MANY_VALUES}, where a path follows it. */
const TOO_MANY_VALUES_HERE = `more than ${MAX_JSON_VALUES} values, an object reached from two places counted twice as its JSON text writes it twice`;

function describeProblem(found: Problem | undefined): string | undefined {
  if (found === undefined) return undefined;
  const steps: string[] = [];
  for (let i = found.path.length - 1; i >= 0; i--) {
    const step = found.path[i];
    steps.push(typeof step === 'number' ? `[${step}]` : `.${step}`);
  }
  // A path 1,000 levels deep would fill a screen: its head and tail say where.
  const at = steps.length <= 16 ? steps.join('') : `${steps.slice(0, 8).join('')}…(${steps.length - 12} more)…${steps.slice(-4).join('')}`;
  return `${found.what} at $${at}`;
}

/**
 * Whether JSON text opens more than `limit` arrays or objects inside one another (brackets
 * outside strings), found in one pass without parsing it: a file, or an item read from one, too deep
 * is refused before JSON.parse or a walk over its value can exhaust the stack.
 * @internal
 */
export function jsonTextNestsDeeper(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** What {@link jsonWalk} found: not JSON, JSON, or JSON holding a -0. */
const NOT_JSON = 0;
const JSON_PLAIN = 1;
const JSON_WITH_NEGATIVE_ZERO = 2;

/**
 * Values the running {@link leanWalk} may still visit. One counter for the module, not one passed
 * down: the walk is synchronous, and a number in a closure or an argument costs the hot path more.
 */
let valuesLeft = 0;

/**
 * {@link jsonWalk} from the top, bounded by `most` values ({@link MAX_JSON_VALUES}): past them the
 * value is not JSON, and {@link valuesLeft} is below 0 after it only then. visit, which walks the
 * same values in the same order to the first problem the lean walk met, need not count.
 */
function leanWalk(value: unknown, most = MAX_JSON_VALUES): number {
  valuesLeft = most - 1;
  return jsonWalk(value, 0);
}

/** Whether a value is JSON, and holds a -0; a cycle fails as nesting past MAX_JSON_DEPTH. */
function jsonWalk(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON_PLAIN;
    case 'number':
      // finite: NaN and ±Infinity give NaN
      return value - value !== 0 ? NOT_JSON : value === 0 && 1 / value < 0 ? JSON_WITH_NEGATIVE_ZERO : JSON_PLAIN;
    case 'object':
      return value === null ? JSON_PLAIN : jsonContainer(value, depth);
    default:
      return NOT_JSON;
  }
}

/**
 * {@link jsonWalk} of an array or object. Strings, booleans, numbers and nulls are judged in the
 * loop, without a call each: most members of a task result are, and this runs on every Task's
 * result. A number is looked at twice only when it is 0 (a -0 is written 0).
 */
function jsonContainer(value: object, depth: number): number {
  if (depth >= MAX_JSON_DEPTH) return NOT_JSON;
  let found = JSON_PLAIN;
  if (Array.isArray(value)) {
    // Every member is counted at once; one that is an array or object counts its own.
    if ((valuesLeft -= value.length) < 0) return NOT_JSON;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const t = typeof item;
      if (t === 'string' || t === 'boolean' || item === null) continue;
      if (t === 'number') {
        if ((item as number) - (item as number) !== 0) return NOT_JSON;
        if (item === 0 && 1 / (item as number) < 0) found = JSON_WITH_NEGATIVE_ZERO;
        continue;
      }
      if (t !== 'object') return NOT_JSON;
      const inner = jsonContainer(item as object, depth + 1);
      if (inner === NOT_JSON) return NOT_JSON;
      if (inner === JSON_WITH_NEGATIVE_ZERO) found = inner;
    }
    return found;
  }
  // Every field is counted once the loop is done, in a local until then (the loop runs per Task
  // result): a value shared below is still bounded, as the first of its walks to end past the
  // bound fails every walk above it.
  let fields = 0;
  for (const key in value) {
    fields++;
    const item = (value as Record<string, unknown>)[key];
    const t = typeof item;
    if (t === 'string' || t === 'boolean' || item === null || item === undefined) continue;
    if (t === 'number') {
      if ((item as number) - (item as number) !== 0) return NOT_JSON;
      if (item === 0 && 1 / (item as number) < 0) found = JSON_WITH_NEGATIVE_ZERO;
      continue;
    }
    if (t !== 'object') return NOT_JSON;
    const inner = jsonContainer(item as object, depth + 1);
    if (inner === NOT_JSON) return NOT_JSON;
    if (inner === JSON_WITH_NEGATIVE_ZERO) found = inner;
  }
  return (valuesLeft -= fields) < 0 ? NOT_JSON : found;
}

/** What is wrong and where: the path is collected innermost first, only on failure, so a valid value costs no strings. */
interface Problem {
  readonly what: string;
  readonly path: Array<string | number>;
  /** The number that is not finite, when that is the problem. */
  readonly number?: number;
  /** True when the problem is nesting past MAX_JSON_DEPTH. */
  readonly depth?: true;
}

/** How many more values a walk may visit: a definition's are bounded; a value's, by the lean walk before it. */
interface Budget {
  left: number;
  /** What is wrong with a value past the bound. */
  readonly tooMany: string;
}

/**
 * A definition in memory may share one object from many places (a DAG of 60 levels, each pointing
 * twice at the next), which a walk, as JSON text, expands: more values than its 1 MiB of text can
 * hold (each is a byte at least) is refused when met, never walked 2^60 times.
 */
function definitionBudget(): Budget {
  return {
    left: AwsLimits.DEFINITION_BYTES,
    tooMany: `more than ${AwsLimits.DEFINITION_BYTES} values, an object reached from two places counted twice as its JSON text writes it twice, `
      + `so more than the ${AwsLimits.DEFINITION_BYTES} bytes AWS accepts in a definition`,
  };
}

/** No bound: the lean walk before the visit counted the values already. */
const UNBOUNDED: Budget = { left: Infinity, tooMany: '' };

function visit(value: unknown, depth: number, ancestors: Set<object>, budget: Budget = UNBOUNDED): Problem | undefined {
  if (--budget.left < 0) return { what: budget.tooMany, path: [] };
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { what: `the number ${String(value)}`, path: [], number: value };
    case 'bigint':
      return { what: 'a BigInt', path: [] };
    case 'undefined':
      return { what: 'undefined', path: [] };
    case 'object':
      break;
    default:
      return { what: `a ${typeof value}`, path: [] };
  }
  if (value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) return { what: `nesting deeper than ${MAX_JSON_DEPTH} levels`, path: [], depth: true };
  // Only the objects on the path from the root can close a cycle (a set: one look however deep the path).
  if (ancestors.has(value)) return { what: 'a circular reference', path: [] };
  ancestors.add(value);
  let problem: Problem | undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      problem = visit(value[i], depth + 1, ancestors, budget);
      if (problem !== undefined) { problem.path.push(i); break; }
    }
  } else {
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      problem = visit(item, depth + 1, ancestors, budget);
      if (problem !== undefined) { problem.path.push(key); break; }
    }
  }
  ancestors.delete(value);
  return problem;
}

/**
 * Sets a field as data. An assignment `obj['__proto__'] = v` would replace
 * the object's prototype instead of adding a key; JSON keys are data, so that
 * one name is defined, not assigned.
 * @internal
 */
export function setField(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/**
 * A copy of `obj` (none: an empty object) with field `key` set to `value` as data
 * ({@link setField}), or left out when `value` is undefined; the other fields keep
 * their order. Only this object is copied, not the values in it.
 * @internal
 */
export function withField<T>(obj: Readonly<Record<string, T>> | undefined, key: string, value: T | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  if (obj) for (const k of Object.keys(obj)) setField(out, k, obj[k]);
  if (value === undefined) delete out[key];
  else setField(out, key, value);
  return out;
}

/**
 * Equal JSON values, by their JSON text: field order counts, as it does
 * where the values come from (parsed documents, a recorded history, a
 * request). Cheap next to the runs and requests it compares.
 * @internal
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The value JSON text holds, or the text itself when it is not JSON: how a
 * payload a service or a recording keeps as text is shown and compared.
 * @internal
 */
export function jsonOrText(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/**
 * Whether a JSON value is an object (not null, not a list): the one test of it, so that a field
 * read from a value is read only where the value can hold fields.
 * @internal
 */
export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
