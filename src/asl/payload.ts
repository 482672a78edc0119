import type { JsonObject, JsonValue } from './definition-types';
import { compileIntrinsic, isIntrinsicCall } from './intrinsics/compile';
import { setField } from './json-value';
import { templateFieldOrder } from './key-order';
import { remember } from './memo';
import { compilePath, stepsReader, type PathScope } from './path';
import { StatesError } from './states-errors';

/** A payload template compiled once: Parameters, ResultSelector, ItemSelector, Pass Result. @internal */
export type CompiledTemplate = (scope: PathScope) => JsonValue;

/**
 * Compiled `.$` values that read nothing from their scope but `scope.input`:
 * no Context Object, no variable, no intrinsic. Marked once per distinct
 * value (they are shared); a template is judged from its fields on demand
 * (templateReadsInputOnly), as only Pass states ask, not marked as it is compiled.
 */
const inputOnly = new WeakSet<CompiledTemplate>();

function markInputOnly(template: CompiledTemplate): CompiledTemplate {
  inputOnly.add(template);
  return template;
}

/**
 * True when a payload template reads nothing but its scope's input: every
 * `.$` field in it, at any depth, is a path from `$`. A state made only of
 * such parts can run without the per-state call object the others need.
 * @internal
 */
export function templateReadsInputOnly(template: JsonValue): boolean {
  if (template === null || typeof template !== 'object') return true;
  if (Array.isArray(template)) return template.every(templateReadsInputOnly);
  for (const key in template) {
    const value = template[key];
    if (key.length > 2 && key.endsWith('.$')) {
      if (typeof value !== 'string' || !inputOnly.has(compileDynamicValue(value, key))) return false;
    } else if (!templateReadsInputOnly(value)) {
      return false;
    }
  }
  return true;
}

/**
 * Why a `.$` field could not be filled: its path names nothing in the input.
 * Raised as `States.Runtime`, with the cause text AWS uses. AWS calls the JSON the
 * path was looked up in "the input" even when it is the Context Object of a `$$` path.
 * @internal
 */
export function pathNotFound(path: string, field: string, scope: PathScope): StatesError {
  const value = path.startsWith('$$') ? scope.context : scope.input;
  return new StatesError('States.Runtime', `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(value)}'`, { inState: true });
}

/**
 * Compiles a JSONPath payload template: fields whose names end in `.$` take
 * the value of a path (`$.a`, `$$.Execution.Id`, `$var`) or of an intrinsic
 * function call; every other value is copied as written. Nested objects and
 * objects inside arrays are templates too.
 * @internal
 */
export function compilePayloadTemplate(template: JsonValue): CompiledTemplate {
  if (template === null || typeof template !== 'object') return () => template;
  // A compiled template holds no state, so states with the same template (the same
  // ResultSelector or Assign in thousands of Tasks) share one: compiling them is a lookup.
  // Only templates made of `.$` fields alone are looked up: one with a literal value mostly
  // differs from state to state (a FunctionName, a step number), and its key would cost
  // more than it saves. The key is the template's JSON, fields in their order.
  if (!allDynamic(template)) return compileTemplate(template);
  const key = JSON.stringify(template);
  if (key.length > MAX_SHARED_TEMPLATE_CHARS) return compileTemplate(template);
  return remember(sharedTemplates, key, compileSharedTemplate, template);
}

/**
 * A template built by the builder its field list shares, as the parts a closure over them holds
 * (see builderCall): for a caller that keeps them with its own parts instead, one closure and
 * its context fewer per state for as long as the machine lives (a plain Pass). Call it as
 * `build(dynamic, statics, scope)`.
 * @internal
 */
export interface BuilderParts {
  readonly build: ObjectBuilder;
  readonly dynamic: readonly CompiledTemplate[];
  readonly statics: BuilderStatics;
}

/**
 * compilePayloadTemplate, as its builder's parts when the template is one of its own (it has a
 * static value, so no other state shares it) built by a shared builder; else the compiled template.
 * @internal
 */
export function compilePayloadTemplateParts(template: JsonValue): BuilderParts | CompiledTemplate {
  if (template === null || typeof template !== 'object' || Array.isArray(template) || allDynamic(template) || !containsDynamic(template)) {
    return compilePayloadTemplate(template);
  }
  return compileObjectParts(template);
}

/** True for an object whose fields are all `.$` fields with string values. */
function allDynamic(template: JsonObject | JsonValue[]): boolean {
  if (Array.isArray(template)) return false;
  let fields = 0;
  for (const key in template) {
    if (key.length <= 2 || !key.endsWith('.$') || typeof template[key] !== 'string') return false;
    fields++;
  }
  return fields > 0;
}

/** Templates longer than this (as JSON) are not shared: finding one would cost more than it saves. */
const MAX_SHARED_TEMPLATE_CHARS = 2048;
const sharedTemplates = new Map<string, CompiledTemplate>();
const compileSharedTemplate = (_key: string, template: JsonValue): CompiledTemplate => compileTemplate(template);

function compileTemplate(template: JsonValue): CompiledTemplate {
  if (template === null || typeof template !== 'object') return () => template;
  if (Array.isArray(template)) {
    if (!containsDynamic(template)) return () => template;
    const items = template.map(compileTemplate);
    return (scope) => items.map((item) => item(scope));
  }
  if (!containsDynamic(template)) return () => template;
  const compiled = compileObjectParts(template);
  return typeof compiled === 'function' ? compiled : builderCall(compiled.build, compiled.dynamic, compiled.statics);
}

/** An object template with a dynamic field: its builder's parts, or the template compiled to be built field by field. */
function compileObjectParts(template: JsonObject): BuilderParts | CompiledTemplate {
  const known = knownTemplateParts(template);
  if (known !== undefined) return known;
  const keys = Object.keys(template);
  // Arrays of their exact size: a compiled machine keeps them for as long as it lives.
  const names = new Array<string>(keys.length);
  // A field is either dynamic (a compiled template) or a value copied as written.
  const dynamic = new Array<CompiledTemplate | undefined>(keys.length);
  const statics = new Array<JsonValue>(keys.length);
  const isPath = new Array<boolean>(keys.length);
  let protoField = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = template[key];
    isPath[i] = key.endsWith('.$') && key.length > 2;
    if (isPath[i]) {
      if (typeof value !== 'string') {
        throw new TypeError(`The value of the field '${key}' must be a JSONPath or an intrinsic function call, got ${JSON.stringify(value)}`);
      }
      names[i] = key.slice(0, -2);
      dynamic[i] = compileDynamicValue(value, key);
      statics[i] = null;
      if (names[i] === '__proto__') protoField = true;
    } else {
      names[i] = key;
      if (key === '__proto__') protoField = true;
      const isStatic = !containsDynamic(value);
      dynamic[i] = isStatic ? undefined : compileTemplate(value);
      statics[i] = isStatic ? value : null;
    }
  }
  return compileObjectTemplate(names, dynamic, statics, isPath, protoField);
}

/**
 * A template whose list of fields (names and kinds) has its builder already, compiled without
 * the lists compileTemplate makes for the first one: a machine of thousands of states mostly
 * repeats a few lists, and those lists were most of what compiling its Pass states allocated.
 * Fields are compiled in template order, as compileTemplate compiles them. Undefined when the
 * list has no builder yet, or a field needs compileTemplate's care (a `.$` field whose value is
 * not a string, which it refuses; a `__proto__` field, which never gets a builder).
 */
function knownTemplateParts(template: JsonObject): BuilderParts | undefined {
  let node: BuilderNode | undefined = builders;
  let statics = 0;
  let lastStatic: JsonValue = null;
  // for-in walks the fields without a list of them; own fields only, as Object.keys lists them.
  for (const key in template) {
    if (!Object.prototype.hasOwnProperty.call(template, key)) continue;
    const value = template[key];
    const isPath = key.length > 2 && key.endsWith('.$');
    if (key === '__proto__' || (isPath && (typeof value !== 'string' || key === '__proto__.$'))) return undefined;
    const kind = isPath ? 'p' : containsDynamic(value) ? 'd' : 's';
    node = node.next.get(kind)?.next.get(key);
    if (node === undefined) return undefined;
    if (kind === 's') {
      statics++;
      lastStatic = value;
    }
  }
  const build = node.built;
  if (build === undefined || build === null || node.order === undefined) return undefined;
  // The dynamic fields, sharing the list the node keeps until one differs from it (see sharedDynamic).
  const kept = node.dynamic;
  let own: CompiledTemplate[] | undefined = kept === undefined ? [] : undefined;
  const staticList = statics > 1 ? new Array<JsonValue>(statics) : undefined;
  let d = 0;
  let s = 0;
  for (const key in template) {
    if (!Object.prototype.hasOwnProperty.call(template, key)) continue;
    const value = template[key];
    let f: CompiledTemplate;
    if (key.length > 2 && key.endsWith('.$')) {
      f = compileDynamicValue(value as string, key);
    } else if (containsDynamic(value)) {
      f = compileTemplate(value);
    } else {
      if (staticList !== undefined) staticList[s++] = value;
      continue;
    }
    if (own === undefined && kept![d] !== f) own = kept!.slice(0, d);
    own?.push(f);
    d++;
  }
  if (own !== undefined) node.dynamic = own;
  return { build, dynamic: own ?? kept!, statics: statics === 0 ? undefined : statics === 1 ? lastStatic : staticList };
}

/**
 * Fields are evaluated in template order, so the first failing path (in the definition) fails
 * the template; the object gets them in AWS's order (templateFieldOrder), worked out here once.
 */
function compileObjectTemplate(
  names: string[], dynamic: Array<CompiledTemplate | undefined>, statics: JsonValue[], isPath: boolean[], protoField: boolean,
): BuilderParts | CompiledTemplate {
  const n = names.length;
  // `__proto__` never goes into generated code: such a field is data, defined rather than assigned (setField).
  const node = protoField ? undefined : builderNode(names, dynamic, isPath);
  // The order is the field list's, worked out once for all the templates that share it (a
  // machine of thousands of states mostly repeats a few lists): sorting per template was a
  // third of what compiling a Pass allocated.
  const order = node === undefined ? templateFieldOrder(names, isPath) : (node.order ??= templateFieldOrder(names, isPath));
  const build = node === undefined ? undefined : objectBuilder(node, names, dynamic, order);
  // Every template with this field list runs the one builder function, which V8 warms up and
  // optimizes once for all of them. The closures made here share one code and one feedback cell
  // (they come from one place in the source), so optimized code that calls one of thousands of
  // them inlines it and the builder; a bound function would be called through V8's generic
  // bound-function path at every state (a quarter of a Parallel of 1,000 Pass branches).
  if (build) return { build, dynamic: sharedDynamic(node!, dynamic), statics: builderStatics(dynamic, statics) };
  const set = protoField ? setField : assignField;
  if (order.every((field, i) => field === i)) {
    return (scope) => {
      const out: JsonObject = {};
      for (let i = 0; i < n; i++) {
        const f = dynamic[i];
        set(out, names[i], f === undefined ? statics[i] : f(scope));
      }
      return out;
    };
  }
  return (scope) => {
    const values = new Array<JsonValue>(n);
    for (let i = 0; i < n; i++) {
      const f = dynamic[i];
      values[i] = f === undefined ? statics[i] : f(scope);
    }
    const out: JsonObject = {};
    for (let k = 0; k < n; k++) set(out, names[order[k]], values[order[k]]);
    return out;
  };
}

/**
 * A template's call of its shared builder. Made here, not in compileObjectTemplate, whose
 * closures keep the field names and their order: a closure holds every variable its function's
 * other closures take, and a machine keeps one of these per template.
 */
function builderCall(build: ObjectBuilder, dynamic: readonly CompiledTemplate[], statics: BuilderStatics): CompiledTemplate {
  return (scope) => build(dynamic, statics, scope);
}

/**
 * The dynamic fields of a template, in its order, as its builder reads them. Compiled `.$`
 * values are shared (compileDynamicValue), so templates of one field list mostly have the same
 * ones (10,000 Pass states with the same paths and a different step number): they share the list
 * the field list's node last kept, rather than each keeping a copy as long as the machine lives.
 */
function sharedDynamic(node: BuilderNode, dynamic: ReadonlyArray<CompiledTemplate | undefined>): readonly CompiledTemplate[] {
  const kept = node.dynamic;
  if (kept !== undefined) {
    let k = 0;
    let same = true;
    for (let i = 0; i < dynamic.length && same; i++) {
      const f = dynamic[i];
      if (f !== undefined) same = f === kept[k++];
    }
    if (same) return kept;
  }
  const list: CompiledTemplate[] = [];
  for (let i = 0; i < dynamic.length; i++) {
    const f = dynamic[i];
    if (f !== undefined) list.push(f);
  }
  return (node.dynamic = list);
}

/**
 * The static values of a template as its builder reads them: none, the one value itself, or
 * the list of them in template order (see objectBuilder). Most templates have one or two, and
 * a machine keeps them per template for as long as it lives.
 * @internal
 */
export type BuilderStatics = JsonValue | undefined;
function builderStatics(dynamic: ReadonlyArray<CompiledTemplate | undefined>, statics: readonly JsonValue[]): BuilderStatics {
  const count = staticCount(dynamic);
  if (count === 0) return undefined;
  const list = new Array<JsonValue>(count);
  let k = 0;
  for (let i = 0; i < dynamic.length; i++) if (dynamic[i] === undefined) list[k++] = statics[i];
  return count === 1 ? list[0] : list;
}

function staticCount(dynamic: ReadonlyArray<CompiledTemplate | undefined>): number {
  let count = 0;
  for (let i = 0; i < dynamic.length; i++) if (dynamic[i] === undefined) count++;
  return count;
}

function assignField(out: JsonObject, key: string, value: JsonValue): void {
  out[key] = value;
}

/** Builds one template's object from its dynamic fields, its static values (see builderStatics) and the scope. @internal */
export type ObjectBuilder = (dynamic: readonly CompiledTemplate[], statics: BuilderStatics, scope: PathScope) => JsonObject;

/** Templates with more fields than this are built field by field. */
const MAX_BUILDER_FIELDS = 64;
/** At most this many builders are kept; past it, templates with new field lists are built field by field. */
const MAX_BUILDERS = 10_000;
let builderCount = 0;

/** Builders by field list: one level per field, keyed by its kind, then by its name as written. */
interface BuilderNode {
  readonly next: Map<string, BuilderNode>;
  built: ObjectBuilder | null | undefined;
  /** The field list's order (templateFieldOrder), once a template with the list has been compiled. */
  order?: readonly number[];
  /** The dynamic fields of the last template compiled with this list (see sharedDynamic). */
  dynamic?: readonly CompiledTemplate[];
}
const builders: BuilderNode = { next: new Map(), built: undefined };

/**
 * The node of a list of field names and the kind of each (a path, another dynamic value, a
 * static value) in the tree of builders; undefined for a list too long to generate code for,
 * or a new one once the tree is full. The kinds fix the order of the fields, so the node
 * keeps one order and one builder for its list. Finding a node builds no string.
 */
function builderNode(
  names: readonly string[], dynamic: ReadonlyArray<CompiledTemplate | undefined>, isPath: readonly boolean[],
): BuilderNode | undefined {
  if (names.length > MAX_BUILDER_FIELDS) return undefined;
  let node = builders;
  for (let i = 0; i < names.length; i++) {
    // The kind first: no field name can be told apart from its kind otherwise, and a name may hold any character.
    const step = isPath[i] ? 'p' : dynamic[i] !== undefined ? 'd' : 's';
    let byKind = node.next.get(step);
    // A path field by its name as written (with `.$`), which knownTemplateParts finds it by.
    const key = isPath[i] ? `${names[i]}.$` : names[i];
    let child = byKind?.next.get(key);
    if (child === undefined) {
      // A field list not seen before: past the cap, the tree stops growing.
      if (builderCount >= MAX_BUILDERS) return undefined;
      if (byKind === undefined) node.next.set(step, byKind = { next: new Map(), built: undefined });
      byKind.next.set(key, child = { next: new Map(), built: undefined });
    }
    node = child;
  }
  return node;
}

/**
 * A function that builds the template's object as one object literal, made
 * once for each list of field names and kinds (the node of builderNode) and
 * shared by every template with that list. Setting fields one by one on `{}`
 * sends each store through a property-adding transition, which V8 cannot keep
 * fast once thousands of templates share the loop; a literal gets its final
 * shape in one allocation. The names are written into the code as JSON string
 * literals, so no name can be read as code; `__proto__` never gets here. Where
 * code cannot be generated from strings (node's
 * --disallow-code-generation-from-strings), the caller builds field by field.
 */
function objectBuilder(
  node: BuilderNode, names: readonly string[], dynamic: ReadonlyArray<CompiledTemplate | undefined>, order: readonly number[],
): ObjectBuilder | undefined {
  if (node.built !== undefined) return node.built ?? undefined;
  if (builderCount >= MAX_BUILDERS) return undefined;
  // Dynamic fields are evaluated in template order, as the loop would, so the first failing path
  // fails the template; the literal lists the fields in AWS's order.
  const reordered = order.some((field, i) => field !== i);
  // Where field i is in the builder's lists: the dynamic fields and the static values, each in template order.
  const at: number[] = [];
  let dynamicCount = 0;
  let statics = 0;
  for (let i = 0; i < names.length; i++) at.push(dynamic[i] === undefined ? statics++ : dynamicCount++);
  const staticValue = (i: number): string => (statics === 1 ? 'c' : `c[${at[i]}]`);
  const value = (i: number): string => (dynamic[i] === undefined ? staticValue(i) : reordered ? `v${i}` : `d[${at[i]}](s)`);
  const locals = reordered ? names.flatMap((_, i) => (dynamic[i] === undefined ? [] : [`const v${i} = d[${at[i]}](s);`])).join(' ') : '';
  const fields = order.map((i) => `${JSON.stringify(names[i])}: ${value(i)}`);
  try {
    node.built = new Function('d', 'c', 's', `"use strict"; ${locals} return { ${fields.join(', ')} };`) as ObjectBuilder;
  } catch {
    node.built = null;
  }
  builderCount++;
  return node.built ?? undefined;
}

const dynamicValues = new Map<string, Map<string, CompiledTemplate>>();

/**
 * Compiles the string value of a `.$` field: an intrinsic call or a path.
 * The compiled value holds no state, so one is shared by every field with the
 * same name and value (the same `"id.$": "$.id"` in thousands of states).
 * @internal
 */
export function compileDynamicValue(value: string, field: string): CompiledTemplate {
  // By field, then by value: no key string is built to find one.
  return remember(remember(dynamicValues, field, newValueCache), value, compileDynamicValueOnce, field);
}

const newValueCache = (): Map<string, CompiledTemplate> => new Map();

function compileDynamicValueOnce(value: string, field: string): CompiledTemplate {
  const source = value.trim();
  if (isIntrinsicCall(source)) return compileIntrinsic(source, field);
  const path = compilePath(source);
  const steps = path.root.kind === 'input' ? path.steps : undefined;
  if (steps) {
    // The common case, `$.a.b`: a walk from the input with no detour through the scope's root lookup.
    const follow = stepsReader(steps);
    return markInputOnly((scope) => {
      const v = follow(scope.input);
      if (v === undefined) throw pathNotFound(value, field, scope);
      return v;
    });
  }
  return (scope) => {
    const v = path.read(scope);
    if (v === undefined) throw pathNotFound(value, field, scope);
    return v;
  };
}

function containsDynamic(value: JsonValue): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(containsDynamic);
  for (const key in value) {
    if (key.endsWith('.$') || containsDynamic(value[key])) return true;
  }
  return false;
}
