import type { JsonObject, JsonValue } from '../../asl';
import { setField, withField } from '../../asl/json-value';
import { compileReferencePath, followSteps, PathSyntaxError, type PathRoot, type Step } from '../../asl/path';

export type { PathRoot, Step } from '../../asl/path';

/** A definite path taken apart: its root and its steps. */
export interface ParsedPath {
  readonly root: PathRoot;
  readonly steps: readonly Step[];
}

/**
 * Takes a binding path apart. Accepts the JSONPath forms Choice rules write
 * (`$.a.b[0]`, `$['x y']`, `$$.Execution.Input.x`, `$var.field`) and the
 * JSONata forms (`$states.input.a.b`, `$states.context.x`, `$var.x`):
 * `$states.input` and `$states.context` always name the state's input and
 * the Context Object, never a variable called `states`.
 *
 * @returns the parsed path, or `{ error }` naming what is wrong with it
 * @example
 * parseBindingPath('$states.input.order.total'); // { root: { kind: 'input' }, steps: ['order', 'total'] }
 */
export function parseBindingPath(path: string): ParsedPath | { readonly error: string } {
  let compiled;
  try {
    compiled = compileReferencePath(path);
  } catch (e) {
    if (e instanceof PathSyntaxError) return { error: e.message };
    throw e;
  }
  const steps = compiled.steps!;
  const root = compiled.root;
  if (root.kind === 'variable' && root.name === 'states' && (steps[0] === 'input' || steps[0] === 'context')) {
    return { root: { kind: steps[0] }, steps: steps.slice(1) };
  }
  return { root, steps };
}

/** A key naming the node a parsed path reaches: equal keys, same node (`$.a` and `$['a']` included). */
export function nodeKey(root: PathRoot, steps: readonly Step[]): string {
  return JSON.stringify([rootKey(root), ...steps]);
}

/** A key naming a root: `$`, `$$` or `$name`. */
export function rootKey(root: PathRoot): string {
  return root.kind === 'input' ? '$' : root.kind === 'context' ? '$$' : `$${root.name}`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The JSONPath text of a node, written the plainest way: `.name` for names
 * that are identifiers, `['x y']` for the others, `[0]` for indexes.
 * @example
 * formatPath({ kind: 'input' }, ['order', 'x y', 0]); // "$.order['x y'][0]"
 */
export function formatPath(root: PathRoot, steps: readonly Step[]): string {
  let out = rootKey(root);
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (IDENTIFIER.test(step)) out += `.${step}`;
    else out += `['${step.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/**
 * The values a binding changes: the state's input (`$`, `$states.input`),
 * the Context Object (`$$`, `$states.context`) and the workflow variables
 * (`$name`).
 */
export interface BindingTarget {
  /** The state's input. */
  readonly input?: JsonValue;
  /** The Context Object. */
  readonly context?: JsonValue;
  /** Workflow variables by name; a variable missing here is unassigned. */
  readonly variables?: Readonly<Record<string, JsonValue>>;
}

/** Applies a binding that sets a value; see {@link applyBindings}. */
interface SetBinding { readonly path: string; readonly value: JsonValue }
/** Applies a binding that removes a value; see {@link applyBindings}. */
interface AbsentBinding { readonly path: string; readonly absent: true }

/** Why a binding could not be applied. */
export class BindingError extends Error {
  /** The binding's path. */
  public readonly path: string;
  constructor(path: string, reason: string) {
    super(`Cannot apply the binding at '${path}': ${reason}`);
    this.name = 'BindingError';
    this.path = path;
  }
}

/**
 * Applies bindings in order and returns the changed values; nothing given is
 * modified (only the objects and arrays along each path are copied).
 *
 * A value binding sets the node at its path. Anything missing on the way is
 * created, and anything on the way that is not the container the next step
 * needs (an object for a name, an array for an index) is replaced by one; an
 * array too short for an index is padded with `null`. An absent binding
 * removes the node: a field is deleted, an array is cut before the index (the
 * items after it go too), and a variable becomes unassigned. A negative index
 * counts from the end of the array that is there, as in JSONPath.
 *
 * @throws BindingError when a path does not parse, or names the input or the
 *   Context Object itself as absent, or a negative index lies before the
 *   start of the array it needs
 * @example
 * applyBindings({ input: { a: 1 } }, [{ path: '$.b.c', value: 2 }]).input; // { a: 1, b: { c: 2 } }
 */
export function applyBindings(target: BindingTarget, bindings: ReadonlyArray<SetBinding | AbsentBinding>): BindingTarget {
  let input = target.input;
  let context = target.context;
  let variables: Record<string, JsonValue> | undefined;
  for (const binding of bindings) {
    const parsed = parseBindingPath(binding.path);
    if ('error' in parsed) throw new BindingError(binding.path, parsed.error);
    const absent = 'absent' in binding && binding.absent === true;
    const value = absent ? undefined : (binding as SetBinding).value;
    const { root, steps } = parsed;
    if (root.kind === 'variable') {
      variables ??= copyVariables(target.variables);
      const before = Object.prototype.hasOwnProperty.call(variables, root.name) ? variables[root.name] : undefined;
      const after = setIn(before, steps, 0, value, binding.path);
      if (after === undefined) delete variables[root.name];
      else setField(variables, root.name, after);
      continue;
    }
    if (absent && steps.length === 0) throw new BindingError(binding.path, `the ${root.kind === 'input' ? 'state input' : 'Context Object'} always exists`);
    if (root.kind === 'input') input = setIn(input, steps, 0, value, binding.path);
    else context = setIn(context, steps, 0, value, binding.path);
  }
  return { input, context, variables: variables ?? target.variables };
}

/**
 * {@link applyBindings} for one parsed path (`value` undefined: remove), for
 * paths that may not survive a trip through text.
 * @internal
 */
export function applyAt(target: BindingTarget, root: PathRoot, steps: readonly Step[], value: JsonValue | undefined): BindingTarget {
  const path = formatPath(root, steps);
  if (root.kind === 'variable') {
    const variables = copyVariables(target.variables);
    const before = Object.prototype.hasOwnProperty.call(variables, root.name) ? variables[root.name] : undefined;
    const after = setIn(before, steps, 0, value, path);
    if (after === undefined) delete variables[root.name];
    else setField(variables, root.name, after);
    return { ...target, variables };
  }
  if (root.kind === 'input') return { ...target, input: setIn(target.input, steps, 0, value, path) };
  return { ...target, context: setIn(target.context, steps, 0, value, path) };
}

function copyVariables(variables: Readonly<Record<string, JsonValue>> | undefined): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  if (variables) for (const key of Object.keys(variables)) setField(out, key, variables[key]);
  return out;
}

/** `node` with the value at steps[k..] set to `value` (`undefined`: removed). */
function setIn(node: JsonValue | undefined, steps: readonly Step[], k: number, value: JsonValue | undefined, path: string): JsonValue | undefined {
  if (k === steps.length) return value;
  const step = steps[k];
  const last = k === steps.length - 1;
  if (typeof step === 'number') {
    if (value === undefined && !Array.isArray(node)) return node; // nothing there to remove
    const array = Array.isArray(node) ? node.slice() : [];
    const index = step < 0 ? array.length + step : step;
    if (index < 0) throw new BindingError(path, `index ${step} lies before the start of an array of ${array.length}`);
    if (value === undefined && last) {
      if (index < array.length) array.length = index;
      return array;
    }
    if (value === undefined && index >= array.length) return node;
    while (array.length < index) array.push(null);
    const child = setIn(index < array.length ? array[index] : undefined, steps, k + 1, value, path);
    array[index] = child === undefined ? null : child;
    return array;
  }
  const isObject = node !== null && typeof node === 'object' && !Array.isArray(node);
  if (value === undefined && !isObject) return node;
  const own = isObject && Object.prototype.hasOwnProperty.call(node, step) ? (node as JsonObject)[step] : undefined;
  if (value === undefined && own === undefined) return node;
  return withField(isObject ? node as JsonObject : undefined, step, setIn(own, steps, k + 1, value, path));
}

/** The value at a parsed path in a target, `undefined` when there is none. */
export function readTarget(target: BindingTarget, root: PathRoot, steps: readonly Step[]): JsonValue | undefined {
  let start: JsonValue | undefined;
  if (root.kind === 'input') start = target.input;
  else if (root.kind === 'context') start = target.context;
  else start = target.variables && Object.prototype.hasOwnProperty.call(target.variables, root.name) ? target.variables[root.name] : undefined;
  return start === undefined ? undefined : followSteps(start, steps);
}
