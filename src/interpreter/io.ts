import { noteUnrecorded, type StateCall } from './runtime';
import type { JsonObject, JsonValue, MapState, StateBase, RandomSource } from '../asl';
import { remember } from '../asl/memo';
import { compilePath, stepsReader, type CompiledPath, type PathScope } from '../asl/path';
import { compilePayloadTemplate, type CompiledTemplate } from '../asl/payload';
import { compileResultPath, ResultPathError } from '../asl/result-path';
import { StatesErrors, StatesError } from '../asl/states-errors';
import type { VariableStore } from '../asl/variables';

/** The scope paths are evaluated in for one state call; the Context Object is built only if read. @internal */
export function scopeOf(input: JsonValue, call: StateCall): PathScope {
  return new CallScope(input, call);
}

/** A class, not an object literal with a getter: V8 builds it far faster. */
class CallScope implements PathScope {
  // Declared, not defined, fields (see Call in engine.ts): one is made per state entered.
  declare public readonly input: JsonValue;
  declare private readonly call: StateCall;
  constructor(input: JsonValue, call: StateCall) {
    this.input = input;
    this.call = call;
  }
  get context(): JsonValue { return this.call.context(); }
  get variables(): VariableStore { return this.call.frame.variables; }
  get random(): RandomSource { return this.call.frame.rt.random; }
  unrecorded(message: string): void {
    noteUnrecorded(this.call.frame.rt, this.call.stateName, `State '${this.call.stateName}': ${message}`);
  }
}

/**
 * The scope of a template that reads nothing but the input (see
 * templateReadsInputOnly): a state run without a call object has no Context Object,
 * variables or random source to give.
 * @internal
 */
export function inputScope(input: JsonValue): PathScope {
  return new InputScope(input);
}

class InputScope implements PathScope {
  declare public readonly input: JsonValue;
  constructor(input: JsonValue) {
    this.input = input;
  }
  get context(): JsonValue { return outsideInput('the Context Object'); }
  get variables(): VariableStore { return outsideInput('a variable'); }
  get random(): RandomSource { return outsideInput('the random source'); }
}

function outsideInput(what: string): never {
  throw new StatesError(StatesErrors.RUNTIME, `stepwright read ${what} in a state it compiled as reading its input only; please report this definition`);
}

/**
 * InputPath or OutputPath: `undefined` keeps the value, `null` gives `{}`, a
 * path that names nothing fails with `States.Runtime` as AWS does.
 * @internal
 */
export function compileFilterPath(path: string | null | undefined): ((value: JsonValue, call: StateCall) => JsonValue) | undefined {
  if (path === undefined || path === '$') return undefined;
  if (path === null) return emptyObject;
  // Stateless, so shared by every state with the same path.
  return remember(filterPaths, path, compileFilterPathOnce);
}

const emptyObject = (): JsonValue => ({});
const filterPaths = new Map<string, (value: JsonValue, call: StateCall) => JsonValue>();

function compileFilterPathOnce(path: string): (value: JsonValue, call: StateCall) => JsonValue {
  const compiled = compilePath(path);
  const steps = compiled.root.kind === 'input' ? compiled.steps : undefined;
  if (steps) return stepsFilter(path, steps);
  return (value, call) => {
    const found = compiled.read(scopeOf(value, call));
    if (found === undefined) throw noResults(path);
    return found;
  };
}

function stepsFilter(path: string, steps: NonNullable<CompiledPath['steps']>): (value: JsonValue) => JsonValue {
  const follow = stepsReader(steps);
  return (value) => {
    const found = follow(value);
    if (found === undefined) throw noResults(path, value, steps);
    return found;
  };
}

/**
 * An InputPath or OutputPath that names nothing, in the words of the JSONPath
 * library AWS evaluates them with: a field missing from an object before the
 * last step is "Missing property in path $['a']" (the path up to that field;
 * recorded: `$.no.such.result.path` on `{}`), anything else "No results for
 * path: $['a']['b']" (the whole path).
 */
function noResults(path: string, value?: JsonValue, steps?: NonNullable<CompiledPath['steps']>): StatesError {
  const missing = steps ? missingProperty(value, steps) : -1;
  const detail = missing < 0 ? `No results for path: ${bracketPath(path)}` : `Missing property in path ${bracketSteps('$', steps!.slice(0, missing + 1))}`;
  return new StatesError(StatesErrors.RUNTIME, `Invalid path '${path}' : ${detail}`, { inState: true });
}

/** The index of the first step before the last that names a field its object lacks, or -1. */
function missingProperty(value: JsonValue | undefined, steps: NonNullable<CompiledPath['steps']>): number {
  let current = value;
  for (let i = 0; i < steps.length - 1; i++) {
    const step = steps[i];
    if (current === null || typeof current !== 'object') return -1;
    if (typeof step === 'string') {
      if (Array.isArray(current)) return -1;
      if (!Object.prototype.hasOwnProperty.call(current, step)) return i;
      current = current[step];
    } else {
      if (!Array.isArray(current)) return -1;
      current = current[step];
    }
  }
  return -1;
}

/**
 * InputPath or OutputPath as a function of the value alone, for a state that
 * runs without a call object (see PlainStep): `undefined` when there is no
 * path, `null` when the path reads more than the value (a context, variable or
 * filter path).
 * @internal
 */
export function compileValueFilter(path: string | null | undefined): ((value: JsonValue) => JsonValue) | undefined | null {
  if (path === undefined || path === '$') return undefined;
  if (path === null) return emptyObject;
  const compiled = compilePath(path);
  const steps = compiled.root.kind === 'input' ? compiled.steps : undefined;
  // The same function compileFilterPath shares, when it walks steps from the value.
  return steps ? compileFilterPath(path) as (value: JsonValue) => JsonValue : null;
}

/** `$.a.b[0]` written as AWS writes it in errors: `$['a']['b'][0]`. @internal */
export function bracketPath(path: string): string {
  const compiled = compilePath(path);
  if (!compiled.steps) return path;
  const root = compiled.root.kind === 'context' ? '$$' : compiled.root.kind === 'variable' ? `$${compiled.root.name}` : '$';
  return bracketSteps(root, compiled.steps);
}

function bracketSteps(root: string, steps: NonNullable<CompiledPath['steps']>): string {
  return root + steps.map((s) => (typeof s === 'number' ? `[${s}]` : `['${s}']`)).join('');
}

/** The JSONPath I/O of one state, compiled. @internal */
export interface JsonPathIO {
  readonly inputPath: ((value: JsonValue, call: StateCall) => JsonValue) | undefined;
  readonly parameters: CompiledTemplate | undefined;
  readonly resultSelector: CompiledTemplate | undefined;
  readonly resultPath: (input: JsonValue, result: JsonValue) => JsonValue;
  readonly outputPath: ((value: JsonValue, call: StateCall) => JsonValue) | undefined;
  readonly assign: CompiledTemplate | undefined;
}

/** Compiles the JSONPath I/O fields of a state. @internal */
export function compileJsonPathIO(def: StateBase & Pick<MapState, 'ItemSelector'>, parametersField: 'Parameters' | 'ItemSelector' = 'Parameters'): JsonPathIO {
  const params = def[parametersField];
  return {
    inputPath: compileFilterPath(def.InputPath),
    parameters: params !== undefined ? compilePayloadTemplate(params) : undefined,
    resultSelector: def.ResultSelector !== undefined ? compilePayloadTemplate(def.ResultSelector) : undefined,
    resultPath: compileResultPath(def.ResultPath),
    outputPath: compileFilterPath(def.OutputPath),
    assign: def.Assign !== undefined ? compilePayloadTemplate(def.Assign) : undefined,
  };
}

/** Applies ResultPath, turning a failed merge into `States.ResultPathMatchFailure`. @internal */
export function applyResultPath(
  resultPath: JsonPathIO['resultPath'], input: JsonValue, result: JsonValue, resultPathSource: string | null | undefined,
): JsonValue {
  try {
    return resultPath(input, result);
  } catch (e) {
    if (e instanceof ResultPathError) {
      throw new StatesError(StatesErrors.RESULT_PATH_MATCH_FAILURE, `Unable to apply step "${resultPathSource}" to input ${JSON.stringify(input)}`);
    }
    throw e;
  }
}

/** A state's result turned into its output and successor. @internal */
export type Finish = (
  rawInput: JsonValue, result: JsonValue, call: StateCall,
) => { output: JsonValue; next: string | undefined; assign?: JsonObject };

/**
 * The tail every JSONPath state with a result shares, compiled for one state:
 * ResultSelector, ResultPath, OutputPath and Assign (Assign sees the result
 * as `$`). A state with only a ResultPath (the common case) gets a tail that
 * does nothing else.
 * @internal
 */
export function compileFinish(io: JsonPathIO, def: StateBase, next: string | undefined): Finish {
  // Shared functions bound to the state's parts, not a closure per state: see compilePayloadTemplate.
  if (!io.resultSelector && !io.outputPath && !io.assign) return finishResultPath.bind(undefined, io, def.ResultPath, next) as Finish;
  return finishAll.bind(undefined, io, def.ResultPath, next) as Finish;
}

function finishResultPath(
  io: JsonPathIO, resultPath: string | null | undefined, next: string | undefined, rawInput: JsonValue, result: JsonValue,
): { output: JsonValue; next: string | undefined } {
  return { output: applyResultPath(io.resultPath, rawInput, result, resultPath), next };
}

function finishAll(
  io: JsonPathIO, resultPath: string | null | undefined, next: string | undefined, rawInput: JsonValue, result: JsonValue, call: StateCall,
): { output: JsonValue; next: string | undefined; assign?: JsonObject } {
  const selected = io.resultSelector ? io.resultSelector(scopeOf(result, call)) : result;
  const merged = applyResultPath(io.resultPath, rawInput, selected, resultPath);
  const output = io.outputPath ? io.outputPath(merged, call) : merged;
  if (io.assign) return { output, next, assign: io.assign(scopeOf(selected, call)) as JsonObject };
  return { output, next };
}

/** What a numeric field (or its `…Path` form) must hold. @internal */
export interface NumberFieldRule {
  readonly kind: 'integer' | 'float' | 'positive integer';
  /** AWS reads a number written as a string ("1") in the Map fields. */
  readonly acceptsNumericString: boolean;
  /**
   * A path that finds nothing fails as an invalid path ("Invalid path '$.x' : No results for
   * path: $['x']"), as a Task's TimeoutSecondsPath and HeartbeatSecondsPath do on AWS, rather
   * than as the value null.
   */
  readonly missingPathIsInvalid?: boolean;
}

/**
 * A numeric field given as a number, or read from its `…Path` when the state
 * runs; a value of the wrong kind fails with `States.Runtime`, naming the field,
 * the value and the path, as AWS does.
 * @internal
 */
export function compileNumberField(
  value: number | string | undefined, pathSource: string | undefined, field: string, rule: NumberFieldRule,
): ((input: JsonValue, call: StateCall) => number) | undefined {
  if (value !== undefined) {
    const n = Number(value);
    return () => n;
  }
  if (pathSource === undefined) return undefined;
  const path = compilePath(pathSource);
  return (input, call) => {
    const found = path.read(scopeOf(input, call));
    if (found === undefined && rule.missingPathIsInvalid) throw noResults(pathSource);
    const v = rule.acceptsNumericString && typeof found === 'string' && found.trim() !== '' ? Number(found) : found;
    const ok = typeof v === 'number' && !Number.isNaN(v)
      && (rule.kind === 'float' || (Number.isInteger(v) && (rule.kind === 'integer' || v > 0)));
    if (!ok) {
      // AWS quotes the value as text: "NoNumber", "{}".
      const text = typeof found === 'string' ? found : JSON.stringify(found ?? null);
      throw new StatesError(StatesErrors.RUNTIME, `The ${field}Path field refers to value "${text}" which is not a valid ${rule.kind}: ${pathSource}`, { inState: true });
    }
    return v as number;
  };
}
