import jsonata from 'jsonata';
import { jvmNumber, MAX_JSON_DEPTH, setField } from '../json-value';
import { StatesError, StatesErrors } from '../states-errors';
import { returnedNothingCause, threwCause, unexpectedTypeCause } from './causes';
import { isJsonataExpression } from './expression';
import { compileFastPath, FALL_BACK } from './fast-path';
import { ADDED_FUNCTIONS, frameOf, InternalEvaluationError, REMOVED_FUNCTIONS, RUNTIME_BINDING, type FunctionRuntime, type Pausing } from './functions';
import { JSONATA_LIMITS, JSONATA_MEMORY_LIMIT_MESSAGE, memoryLimitError } from './limits';
import { SafeRegExp } from './safe-regex';
import { newerOperator } from './version';
import type { JsonObject, JsonValue } from '../definition-types';
import type { RandomSource } from '../random';

export { isJsonataExpression };

/**
 * What `$states` and the workflow variables are for one evaluation of a
 * JSONata-bearing field.
 */
export interface JsonataBindings {
  /** `$states`: the state's input, the Context Object, and (where AWS offers them) the task result and the error output. */
  readonly states: {
    readonly input: JsonValue;
    readonly context: JsonValue;
    readonly result?: JsonValue;
    readonly errorOutput?: JsonValue;
  };
  /** Workflow variables, each bound as `$name`. */
  readonly variables: Readonly<Record<string, JsonValue>>;
  /** The source of `$random()` and `$uuid()`; seed it for repeatable runs. */
  readonly random: RandomSource;
  /**
   * Epoch milliseconds that `$now()` and `$millis()` report: the interpreter's
   * (usually virtual) clock.
   * @default Date.now() at the start of the evaluation
   */
  readonly now?: number;
  /**
   * Asked at every step of the evaluation, for a caller that must be able to cut one short
   * (explore's budget): when it throws, the evaluation ends there and its error is the one
   * thrown, not a `States.QueryEvaluationError`. JSONata's evaluation-entry hook, which
   * counts every evaluation's steps, asks it.
   * @default never asked
   */
  readonly interrupt?: () => void;
  /**
   * Asked at every step of the evaluation, as `interrupt` is, by a caller whose other work must go
   * on while one evaluation runs (serve: the execution's clock, see Clock.pause): its `pause`
   * answers a promise when the evaluation should let the event loop turn before its next step,
   * undefined to go on at once. JSONata's evaluation is a chain of promises that never lets the
   * event loop turn by itself, so without it one expression held serve's only thread for up to
   * {@link JSONATA_LIMITS}.steps steps. JSONata's evaluation-entry hook asks it.
   * @default never pauses
   */
  readonly pausing?: Pausing;
  /**
   * Told of a value an evaluation met whose handling on AWS no recording gives (a `$parse` of text
   * that repeats a key, say): the evaluation goes on with it, and the caller may tell the user.
   * @default never told
   */
  readonly unrecorded?: (message: string) => void;
}

/** A value compiled by {@link compileJsonataValue}. */
export interface CompiledJsonata {
  /** True when the value holds no `{% %}` expression: `evaluate` returns it as written. */
  readonly isConstant: boolean;
  /** The field name given at compile time, used in error causes (`Output`, `Items`, ...). */
  readonly field: string;
  /**
   * The expression text (without `{%` and `%}`) when the whole value is one
   * expression; pass it to {@link expectType} for the cause text AWS uses.
   */
  readonly expression?: string;
  /**
   * Evaluates every expression in the value, in document order.
   * @throws StatesError `States.QueryEvaluationError` (with `inState: true`) when an
   *   expression throws, returns nothing or returns a function.
   */
  evaluate(bindings: JsonataBindings): Promise<JsonValue>;
  /**
   * {@link evaluate}, answering at once when no expression needed JSONata's own (asynchronous)
   * evaluation: a value, or a promise of one; a failure is thrown, or the promise rejects.
   * A state evaluating its fields this way stays in the interpreter's synchronous loop.
   */
  evaluateNow(bindings: JsonataBindings): JsonValue | Promise<JsonValue>;
}

/**
 * An expression that does not parse, or uses syntax Step Functions' JSONata
 * (2.0.6) lacks. Raised when the definition is compiled.
 */
export class JsonataSyntaxError extends Error {
  /** Field path of the expression, for example `Output/total`. */
  public readonly field: string;
  /** The expression text, without `{%` and `%}`. */
  public readonly expression: string;
  /** JSONata's error code (`S0201`, ...), or `UNSUPPORTED_OPERATOR`. */
  public readonly code: string;

  constructor(field: string, expression: string, code: string, detail: string) {
    super(`The JSONata expression '${expression}' specified for the field '${field}' is invalid: ${code}: ${detail}`);
    this.name = 'JsonataSyntaxError';
    this.field = field;
    this.expression = expression;
    this.code = code;
  }
}

/**
 * A `States.QueryEvaluationError` raised while a state runs. AWS prefixes its
 * cause with "An error occurred while executing the state 'X' (entered at the
 * event id #N). "; only the interpreter knows X and N, so this error carries
 * the cause without it and says so with `inState`.
 */
export class JsonataEvaluationError extends StatesError {
  /** Tells the interpreter to add the state prefix to `cause`. */
  public readonly inState = true;
  /** The field whose expression failed (`Items`, `Output/error`), as the EvaluationFailed event names it. */
  public readonly location: string | undefined;

  constructor(cause: string, location?: string) {
    super(StatesErrors.QUERY_EVALUATION_ERROR, cause);
    this.location = location;
  }
}

/** The expression text of a `{% %}` string: what AWS quotes in its causes. */
function expressionText(s: string): string {
  return s.slice(2, -2).trim();
}

/** An evaluation: the value at once when no expression needed JSONata itself, else a promise of it. */
type Evaluator = (bindings: JsonataBindings) => JsonValue | Promise<JsonValue>;

/**
 * Compiles a value that may hold `{% expr %}` strings anywhere (the value
 * itself, object fields, array items, nested). Every expression is parsed
 * now, once; other values are literals, kept as written (keys ending in `.$`
 * included: they mean nothing in JSONata).
 *
 * @param value the field's value from the definition
 * @param field the field name used in error causes, for example `Output`; nested
 *   expressions are named `Output/key` and `Output/key/0`
 * @throws JsonataSyntaxError when an expression does not parse
 * @example
 * const output = compileJsonataValue({ total: '{% $sum($states.input.prices) %}' }, 'Output');
 * await output.evaluate({ states: { input: { prices: [1, 2] }, context: {} }, variables: {}, random });
 * // { total: 3 }
 */
export function compileJsonataValue(value: JsonValue, field: string): CompiledJsonata {
  const evaluator = compileNode(value, field);
  const expression = isJsonataExpression(value) ? expressionText(value) : undefined;
  if (evaluator === undefined) {
    const constant = Promise.resolve(value);
    return { isConstant: true, field, expression, evaluate: () => constant, evaluateNow: () => value };
  }
  return { isConstant: false, field, expression, evaluate: (bindings) => settled(evaluator, bindings), evaluateNow: evaluator };
}

/** An evaluation as a promise, as an async function gives it: a failure thrown at once rejects it. */
function settled(evaluator: Evaluator, bindings: JsonataBindings): Promise<JsonValue> {
  try {
    return Promise.resolve(evaluator(bindings));
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

/** Compiles one node; `undefined` when the node and all it holds are constant. */
function compileNode(value: JsonValue, field: string): Evaluator | undefined {
  if (typeof value === 'string') return isJsonataExpression(value) ? compileExpression(expressionText(value), field) : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    // AWS names an array item by its index in brackets: `Output/values[0]`, `Output/a/b[0][1]`.
    const items = value.map((item, i) => compileNode(item, `${field}[${i}]`));
    if (items.every((item) => item === undefined)) return undefined;
    // One after another, not in parallel: $random() and $uuid() draw from a
    // seeded source in document order, so runs repeat. Synchronously until an
    // item needs JSONata itself; from there on, awaiting each.
    return (bindings) => {
      const out: JsonValue[] = [];
      for (let i = 0; i < value.length; i++) {
        const item = items[i];
        const v = item === undefined ? value[i] : item(bindings);
        if (v instanceof Promise) return itemsFrom(items, value, bindings, out, i, v);
        out.push(v);
      }
      return out;
    };
  }
  const entries = Object.entries(value).map(([key, v]) => [key, v, compileNode(v, `${field}/${key}`)] as const);
  if (entries.every(([, , e]) => e === undefined)) return undefined;
  return (bindings) => {
    const out: JsonObject = {};
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const e = entry[2];
      const v = e === undefined ? entry[1] : e(bindings);
      if (v instanceof Promise) return fieldsFrom(entries, bindings, out, i, v);
      setField(out, entry[0], v);
    }
    return out;
  };
}

/** The rest of an array's items, from item `i`, whose evaluation is `pending`. */
async function itemsFrom(
  items: readonly (Evaluator | undefined)[], value: readonly JsonValue[], bindings: JsonataBindings,
  out: JsonValue[], i: number, pending: Promise<JsonValue>,
): Promise<JsonValue> {
  out.push(await pending);
  for (let j = i + 1; j < value.length; j++) {
    const item = items[j];
    out.push(item === undefined ? value[j] : await item(bindings));
  }
  return out;
}

/** The rest of an object's fields, from field `i`, whose evaluation is `pending`. */
async function fieldsFrom(
  entries: readonly (readonly [string, JsonValue, Evaluator | undefined])[], bindings: JsonataBindings,
  out: JsonObject, i: number, pending: Promise<JsonValue>,
): Promise<JsonValue> {
  setField(out, entries[i][0], await pending);
  for (let j = i + 1; j < entries.length; j++) {
    const [key, v, e] = entries[j];
    setField(out, key, e === undefined ? v : await e(bindings));
  }
  return out;
}

/**
 * Parsed expressions by source text. A parsed expression holds no per-run
 * state we rely on (the clock and randomness come in through bindings), so
 * one parse serves every state and execution that uses the same text.
 */
const expressionCache = new Map<string, jsonata.Expression>();
const EXPRESSION_CACHE_LIMIT = 10_000;


function parseExpression(source: string, field: string): jsonata.Expression {
  const cached = expressionCache.get(source);
  if (cached) return cached;
  const expr = parseOnce(source, field);
  if (expressionCache.size >= EXPRESSION_CACHE_LIMIT) {
    // Oldest first: Map keeps insertion order.
    expressionCache.delete(expressionCache.keys().next().value as string);
  }
  expressionCache.set(source, expr);
  return expr;
}

/** One evaluation's runtime: what the added functions read, and the steps taken so far. */
interface EvaluationRuntime extends FunctionRuntime {
  steps: number;
}

/**
 * JSONata's hook, called at every step of an evaluation (an expression node entered), as
 * JSONata's own exerciser timeboxes an expression: it counts the evaluation's steps against
 * {@link JSONATA_LIMITS.steps}, asks the evaluation's `interrupt`, which throws to end it, and
 * its `pausing`, whose promise JSONata awaits: a pause lets the event loop turn before the next step.
 */
const EVALUATE_ENTRY = Symbol.for('jsonata.__evaluate_entry');
function onStep(_node: unknown, _input: unknown, environment: { lookup(name: string): unknown }): Promise<void> | undefined {
  const runtime = environment.lookup(RUNTIME_BINDING) as EvaluationRuntime | undefined;
  if (runtime === undefined) return undefined;
  if (++runtime.steps > JSONATA_LIMITS.steps) throw Object.assign(new Error('too many steps'), { code: STEP_LIMIT_CODE });
  runtime.interrupt?.();
  return runtime.pausing?.pause?.();
}

/**
 * JSONata's hook, called as each step of an evaluation ends, with the value it made: a string or
 * an array past AWS's memory bound ends the evaluation there, as AWS ends it. Bounding every
 * step's value covers what JSONata's own `sequence` option does not see (a string built by `&`,
 * `$join` or `$string`); the check reads only a length, never walks the value.
 */
const EVALUATE_EXIT = Symbol.for('jsonata.__evaluate_exit');
function onStepEnd(_node: unknown, _input: unknown, _environment: unknown, result: unknown): undefined {
  if (typeof result === 'string') {
    if (result.length > JSONATA_LIMITS.stringLength) throw memoryLimitError();
  } else if (Array.isArray(result) && result.length > JSONATA_LIMITS.sequence) {
    throw memoryLimitError();
  }
  return undefined;
}

/**
 * The functions that can make a string, or an array JSONata's `sequence` option does not count,
 * longer than the data they are given. Without them and `&`, no value an expression makes outgrows
 * the state's data (at most 256 KiB) but a sequence, which JSONata itself bounds.
 */
const GROWING_FUNCTIONS: ReadonlySet<string> = new Set([
  'string', 'join', 'replace', 'split', 'base64encode', 'encodeUrl', 'encodeUrlComponent', 'zip',
]);

/**
 * Whether an expression can make a value past AWS's memory bound that only {@link onStepEnd}
 * sees: it concatenates (`&`) or names a growing function (called or passed on; JSONata names a
 * function only by a name written in the expression). The exit hook costs each step of an
 * evaluation a turn of JSONata's promise chain, so it is bound only where it can fire.
 */
function mayOutgrowItsData(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(mayOutgrowItsData);
  const n = node as { type?: unknown; value?: unknown };
  if (n.type === 'binary' && n.value === '&') return true;
  if (n.type === 'variable' && typeof n.value === 'string' && GROWING_FUNCTIONS.has(n.value)) return true;
  return Object.values(node).some(mayOutgrowItsData);
}

/** JSONata's code for an evaluation that ran too long (its own bound is in milliseconds; this one counts steps). */
const STEP_LIMIT_CODE = 'D1012';

/** JSONata's code for a sequence longer than its `sequence` option. */
const SEQUENCE_LIMIT_CODE = 'D2015';

function parseOnce(source: string, field: string): jsonata.Expression {
  let expr: jsonata.Expression;
  try {
    expr = jsonata(source, {
      // eslint-disable-next-line no-restricted-syntax -- JSONata's typings ask a whole RegExpConstructor; it calls only new, lastIndex and exec
      RegexEngine: SafeRegExp as unknown as RegExpConstructor,
      stack: JSONATA_LIMITS.depth,
      sequence: JSONATA_LIMITS.sequence,
    });
  } catch (e) {
    const err = e as { code?: string; message?: string; position?: number };
    const where = err.position === undefined ? '' : ` (at position ${err.position})`;
    throw new JsonataSyntaxError(field, source, err.code ?? 'S0000', `${err.message ?? String(e)}${where}`);
  }
  rejectNewerSyntax(expr.ast(), source, field);
  const hooks: [symbol, unknown][] = [[EVALUATE_ENTRY, onStep]];
  if (mayOutgrowItsData(expr.ast())) hooks.push([EVALUATE_EXIT, onStepEnd]);
  for (const [hook, fn] of hooks) {
    // eslint-disable-next-line no-restricted-syntax -- JSONata's typings name a binding by string; its hooks are bound under symbols
    expr.assign(hook as unknown as string, fn);
  }
  for (const fn of ADDED_FUNCTIONS) expr.registerFunction(fn.name, fn.implementation, fn.signature);
  for (const name of REMOVED_FUNCTIONS) expr.assign(name, undefined);
  return expr;
}

/** Refuses `??` and `?:`, which Step Functions' JSONata 2.0.6 does not have (see version.ts). */
function rejectNewerSyntax(ast: unknown, source: string, field: string): void {
  const newer = newerOperator(ast);
  if (newer) {
    throw new JsonataSyntaxError(field, source, 'UNSUPPORTED_OPERATOR',
      `the operator '${newer.operator}' is not part of JSONata 2.0.6, which Step Functions implements; write ${newer.instead}`);
  }
}

function compileExpression(source: string, field: string): Evaluator {
  const expr = parseExpression(source, field);
  const fastPath = compileFastPath(expr.ast());
  const evaluated = evaluateWithJsonata(expr, source, field);
  if (fastPath === undefined) return evaluated;
  return (bindings) => {
    const value = fastPath(bindings);
    if (value === FALL_BACK) return evaluated(bindings);
    if (value === undefined) {
      throw new JsonataEvaluationError(returnedNothingCause(source, field), field);
    }
    return value;
  };
}

/** An expression's evaluation by JSONata, bounded and its result checked as AWS checks it. */
function evaluateWithJsonata(expr: jsonata.Expression, source: string, field: string): (bindings: JsonataBindings) => Promise<JsonValue> {
  return async (bindings) => {
    const interrupt = bindings.interrupt;
    const pausing = bindings.pausing?.pause === undefined ? undefined : bindings.pausing;
    const runtime: EvaluationRuntime = {
      random: bindings.random, now: bindings.now ?? Date.now(), interrupt, pausing, unrecorded: bindings.unrecorded, steps: 0,
    };
    const frame = frameOf(bindings.variables);
    frame.states = bindings.states;
    frame[RUNTIME_BINDING] = runtime;
    let result: unknown;
    try {
      // No context value: AWS forbids `$` and unqualified field names at the top level. JSONata
      // binds the frame's keys before its first await, so the frame is free again once it returns.
      const evaluation = expr.evaluate(undefined, frame);
      frame.states = undefined;
      frame[RUNTIME_BINDING] = undefined;
      result = await evaluation;
    } catch (e) {
      // JSONata may wrap what the hook threw; asked again, an interrupt that fired throws once more, as it is.
      interrupt?.();
      if (e instanceof InternalEvaluationError) {
        throw new JsonataEvaluationError(`The JSONata expression '${source}' specified for the field '${field}' threw an internal error during evaluation.`, field);
      }
      throw new JsonataEvaluationError(
        `${threwCause(source, field)}${describeError(e)}`,
        field,
      );
    }
    if (result === undefined) {
      throw new JsonataEvaluationError(returnedNothingCause(source, field), field);
    }
    const json = toJson(result, 0);
    if (json === TOO_DEEP) {
      throw new JsonataEvaluationError(`The JSONata expression '${source}' specified for the field '${field}' returned a value nested deeper than ${MAX_JSON_DEPTH} levels.`);
    }
    if (json === UNSUPPORTED) {
      throw new JsonataEvaluationError(`The JSONata expression '${source}' specified for the field '${field}' returned an unsupported result type.`, field);
    }
    return json;
  };
}

/**
 * The end of the "threw an error during evaluation" sentence. JSONata throws plain objects
 * `{ code, message }`, which AWS reports after a full stop as `. T1006: Attempted to invoke a
 * non-function`; an error without a code follows a colon. Nesting past the bound is worded as
 * on AWS, with the depth reached.
 */
function describeError(e: unknown): string {
  if (e !== null && typeof e === 'object') {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === 'D1011') {
      const max = JSONATA_LIMITS.depth;
      return `: Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive. Depth=${max + 1} max=${max}`;
    }
    // JSONata's own sequence bound is set at AWS's memory bound, so its refusal is worded as AWS's.
    if (code === SEQUENCE_LIMIT_CODE) return `: ${JSONATA_MEMORY_LIMIT_MESSAGE}`;
    if (code === STEP_LIMIT_CODE) return `. ${STEP_LIMIT_CODE}: Evaluation stopped after ${JSONATA_LIMITS.steps.toLocaleString('en-US')} steps. Check for infinite loop`;
    const text = typeof message === 'string' ? message : String(e);
    return typeof code === 'string' ? `. ${code}: ${text}` : `: ${text}`;
  }
  return `: ${String(e)}`;
}

const UNSUPPORTED = Symbol('unsupported');
const TOO_DEEP = Symbol('too deep');

/**
 * A JSONata result as plain JSON: sequences become ordinary arrays, `-0`
 * becomes `0`; functions (lambdas, native functions, regexes) anywhere in it
 * make it unsupported. Copies only what needs changing, so a value taken
 * unchanged from the input is returned as is.
 */
function toJson(value: unknown, depth: number): JsonValue | typeof UNSUPPORTED | typeof TOO_DEEP {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Object.is(value, -0) ? 0 : jvmNumber(value);
    case 'object':
      break;
    default:
      return UNSUPPORTED;
  }
  if (value === null) return null;
  if (depth >= MAX_JSON_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    let copy: JsonValue[] | undefined = isSequence(value) ? [] : undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      // As in JSON text: an undefined array item is written as null.
      const json = item === undefined ? null : toJson(item, depth + 1);
      if (json === UNSUPPORTED || json === TOO_DEEP) return json;
      if (copy === undefined && json !== item) copy = value.slice(0, i) as JsonValue[];
      if (copy !== undefined) copy.push(json);
    }
    return copy ?? (value as JsonValue[]);
  }
  const proto = Object.getPrototypeOf(value);
  // JSONata lambdas are objects marked `_jsonata_lambda`; anything not a plain object is not JSON.
  if ((proto !== Object.prototype && proto !== null) || (value as { _jsonata_lambda?: unknown })._jsonata_lambda) return UNSUPPORTED;
  let copy: JsonObject | undefined;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const item = (value as Record<string, unknown>)[keys[i]];
    if (item === undefined) {
      // As in JSON text: an undefined field is left out.
      copy ??= copyFields(value as JsonObject, keys, i);
      continue;
    }
    const json = toJson(item, depth + 1);
    if (json === UNSUPPORTED || json === TOO_DEEP) return json;
    if (copy === undefined && json !== item) copy = copyFields(value as JsonObject, keys, i);
    if (copy !== undefined) setField(copy, keys[i], json);
  }
  return copy ?? (value as JsonObject);
}

function copyFields(value: JsonObject, keys: string[], count: number): JsonObject {
  const out: JsonObject = {};
  for (let i = 0; i < count; i++) setField(out, keys[i], value[keys[i]]);
  return out;
}

function isSequence(value: unknown[]): boolean {
  const v = value as { sequence?: unknown; keepSingleton?: unknown; outerWrapper?: unknown };
  return v.sequence === true || v.keepSingleton !== undefined || v.outerWrapper !== undefined;
}

/** The result types AWS checks some fields for. */
export type JsonataExpectedType = 'array' | 'number' | 'integer' | 'string' | 'boolean' | 'object';

/** The JSONata type name AWS reports for a JSON value. */
function typeName(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Checks the result of a field AWS types (Map `Items` must be an array, Wait
 * `Seconds` an integer, `TimeoutSeconds`, `MaxConcurrency`,
 * `ToleratedFailure*`...) and returns it typed.
 *
 * @param expression the expression text (`CompiledJsonata.expression`)
 * @throws JsonataEvaluationError with AWS's cause, as asl/jsonata/causes.ts words it
 * @example
 * const items = expectType(await compiled.evaluate(b), 'array', compiled.expression!, 'Items');
 */
export function expectType(value: JsonValue, expected: 'array', expression: string, field: string): JsonValue[];
export function expectType(value: JsonValue, expected: 'number' | 'integer', expression: string, field: string): number;
export function expectType(value: JsonValue, expected: 'string', expression: string, field: string): string;
export function expectType(value: JsonValue, expected: 'boolean', expression: string, field: string): boolean;
export function expectType(value: JsonValue, expected: 'object', expression: string, field: string): JsonObject;
export function expectType(value: JsonValue, expected: JsonataExpectedType, expression: string, field: string): JsonValue;
export function expectType(value: JsonValue, expected: JsonataExpectedType, expression: string, field: string): JsonValue {
  const actual = typeName(value);
  const ok = expected === 'integer' ? typeof value === 'number' && Number.isInteger(value) : actual === expected;
  if (ok) return value;
  throw new JsonataEvaluationError(unexpectedTypeCause(expression, field, expected, actual, JSON.stringify(value)), field);
}
