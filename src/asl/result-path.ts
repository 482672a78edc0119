/*
 * ResultPath: where a state's result goes in its input, compiled once per path into a function
 * that copies only the objects along the path
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html).
 */
import type { JsonObject, JsonValue } from './definition-types';
import { setField } from './json-value';
import { remember } from './memo';
import { compileReferencePath, PathSyntaxError, type Step } from './path';

/** Why a ResultPath could not be applied. @internal */
export class ResultPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultPathError';
  }
}

/**
 * Compiles a ResultPath into a function that places `result` into `input`,
 * copying only the objects along the path (the rest is shared, never mutated).
 * @internal
 */
export function compileResultPath(path: string | null | undefined): (input: JsonValue, result: JsonValue) => JsonValue {
  if (path === null) return keepInput;
  if (path === undefined || path === '$') return takeResult;
  // Stateless, so shared by every state with the same ResultPath.
  return remember(resultPaths, path, compileResultPathOnce);
}

const keepInput = (input: JsonValue): JsonValue => input;
const takeResult = (_input: JsonValue, result: JsonValue): JsonValue => result;
const resultPaths = new Map<string, (input: JsonValue, result: JsonValue) => JsonValue>();

function compileResultPathOnce(path: string): (input: JsonValue, result: JsonValue) => JsonValue {
  const compiled = compileReferencePath(path);
  if (compiled.root.kind !== 'input') throw new PathSyntaxError(path, "a ResultPath starts with '$.'");
  const steps = compiled.steps!;
  const first = steps[0];
  if (steps.length === 1 && typeof first === 'string' && first !== '__proto__') {
    // `$.field`, the usual ResultPath: one shallow copy of the input, one field set.
    return (input, result) => {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) return setAt(input, steps, 0, result, path);
      const copy = shallowCopy(input);
      copy[first] = result;
      return copy;
    };
  }
  return (input, result) => setAt(input, steps, 0, result, path);
}

/**
 * A shallow copy to set one field on. Object.assign then a set is V8's fast
 * clone (a spread with an overriding key is slow, and a plain spread is
 * slower than Object.assign here), but Object.assign would take an own
 * `__proto__` key as the prototype; a spread copies it as data.
 */
function shallowCopy(obj: JsonObject): JsonObject {
  return Object.prototype.hasOwnProperty.call(obj, '__proto__') ? { ...obj } : Object.assign({}, obj);
}

function setAt(node: JsonValue | undefined, steps: readonly Step[], k: number, value: JsonValue, path: string): JsonValue {
  if (k === steps.length) return value;
  const step = steps[k];
  if (typeof step === 'number') {
    if (!Array.isArray(node)) {
      throw new ResultPathError(`Unable to apply ResultPath '${path}': index ${step} of a non-array`);
    }
    const copy = node.slice();
    const index = step < 0 ? copy.length + step : step;
    if (index < 0 || index >= copy.length) throw new ResultPathError(`Unable to apply ResultPath '${path}': index ${step} is out of bounds`);
    copy[index] = setAt(copy[index], steps, k + 1, value, path);
    return copy;
  }
  if (node === undefined || node === null) {
    if (k === 0) throw new ResultPathError(`Unable to apply ResultPath '${path}' to a ${node === null ? 'null' : 'missing'} input`);
    return { [step]: setAt(undefined, steps, k + 1, value, path) };
  }
  if (typeof node !== 'object' || Array.isArray(node)) {
    throw new ResultPathError(`Unable to apply ResultPath '${path}': '${steps.slice(0, k).join('.') || '$'}' is not an object`);
  }
  const obj = node as JsonObject;
  const copy = shallowCopy(obj);
  const own = Object.prototype.hasOwnProperty.call(obj, step) ? obj[step] : undefined;
  setField(copy, step, setAt(own, steps, k + 1, value, path));
  return copy;
}
