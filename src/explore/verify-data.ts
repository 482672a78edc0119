import { jsonataCannotFail, type JsonataNeed, type JsonataSite } from './jsonata-total';
import type { Catcher, ChoiceRule, JsonValue, QueryLanguage, StateDefinition, StateMachineDefinition, SubMachine } from '../asl';
import { INTRINSIC_FAILURE } from '../asl/intrinsics/functions';
import { isIntrinsicCall } from '../asl/intrinsics/names';
import { forEachState, processorOf } from '../asl/state-tree';
import { StatesErrors } from '../asl/states-errors';
import { taskResource } from '../asl/task-resource';

/*
 * The data errors a state can raise on some execution input or Task answer, read from the
 * definition alone. verify's graph counts them as ways a run can end (or be caught), so a HOLDS
 * does not rest on inputs the search happened not to try: an execution input that is not an
 * object (AWS accepts any JSON), a field a path reads that is absent, a JSONata expression that
 * fails. Where the definition says a value is surely an object with a field (a ResultPath that
 * wrote it, a Parameters template that built it, the Lambda invoke envelope), a path to that
 * field cannot fail, so the common safe cases keep their proofs.
 */

/** One data error a state can raise: its name, and whether the state's own Catch may take it. @internal */
export interface DataError {
  readonly error: string;
  /** Raised by the state's own processing (its Catch applies), or by its Catch's ResultPath (it does not). */
  readonly own: boolean;
  /** What raises it, for the reason a proof gives. */
  readonly where: string;
  /** Raised by an intrinsic function refusing its arguments (reported as States.Runtime: INTRINSIC_FAILURE). */
  readonly intrinsic?: true;
}

/**
 * What verify knows of a value: `undefined` when no path reaches it yet, `null` when it may be any
 * JSON, or what it surely is: whether it is an object, the paths surely in it (`a`, `a.b`,
 * `a.b[0]`), and which of them are surely objects.
 */
interface Known {
  readonly object: boolean;
  readonly paths: ReadonlySet<string>;
  readonly objects: ReadonlySet<string>;
}
type Shape = Known | null | undefined;

const ANY: Shape = null;
const known = (object: boolean, paths: Iterable<string> = [], objects: Iterable<string> = []): Known =>
  ({ object, paths: new Set(paths), objects: new Set(objects) });
const both = (a: ReadonlySet<string>, b: ReadonlySet<string>): string[] => [...a].filter((k) => b.has(k));
const meet = (a: Shape, b: Shape): Shape => {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a === null || b === null) return null;
  return known(a.object && b.object, both(a.paths, b.paths), both(a.objects, b.objects));
};
const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((k) => b.has(k));
const same = (a: Shape, b: Shape): boolean =>
  a === b || (!!a && !!b && a.object === b.object && sameSet(a.paths, b.paths) && sameSet(a.objects, b.objects));

/** A payload template's shape: an object with its fields (`x.$` ones included), nested literal objects followed. */
function objectOf(v: JsonValue | undefined): Shape {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return ANY;
  const paths: string[] = [];
  const objects: string[] = [];
  const walk = (o: { [k: string]: JsonValue }, prefix: string): void => {
    for (const [k, x] of Object.entries(o)) {
      const name = `${prefix}${k.endsWith('.$') ? k.slice(0, -2) : k}`;
      paths.push(name);
      if (!k.endsWith('.$') && x !== null && typeof x === 'object' && !Array.isArray(x)) {
        objects.push(name);
        walk(x, `${name}.`);
      }
    }
  };
  walk(v, '');
  return known(true, paths, objects);
}

/** Fields of the Lambda invoke envelope AWS always returns (arn:aws:states:::lambda:invoke without payload-only). */
const LAMBDA_ENVELOPE: Known = known(true, ['Payload']);
/** The error output a Catch passes on: `Error` always, `Cause` only when the error has one. */
const ERROR_OUTPUT: Known = known(true, ['Error']);

/** A reference path as the paths of {@link Known} name it (`$.a.b[0]` is `a.b[0]`, `$` is ''); undefined for one with a filter or a wildcard. */
function normalize(path: string): string | undefined {
  if (path === '$') return '';
  if (!path.startsWith('$')) return undefined;
  let out = '';
  const step = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['([^'\]]+)'\]|\[(\d+)\]/y;
  let at = 1;
  while (at < path.length) {
    step.lastIndex = at;
    const m = step.exec(path);
    if (!m) return undefined;
    out += m[3] !== undefined ? `[${m[3]}]` : `${out === '' ? '' : '.'}${m[1] ?? m[2]}`;
    at = step.lastIndex;
  }
  return out;
}

/** The proper prefixes of a normalized path: `a`, `a.b` for `a.b[0]`. */
function prefixes(n: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n.length; i++) if ((n[i] === '.' || n[i] === '[') && i > 0) out.push(n.slice(0, i));
  return out;
}

/** Whether a reference path cannot fail on a value of this shape: `$`, the context, or a path the value surely has. */
function safePath(path: string, shape: Shape): boolean {
  if (path === '$') return true;
  // A field of the execution input read through the context may be absent, as one of the input may; the rest of the context AWS gives.
  if (path.startsWith('$$')) return !/^\$\$\.Execution\.Input[.[]/.test(path);
  const n = normalize(path);
  return n !== undefined && !!shape && shape.paths.has(n);
}

/** The value at a path of a value of this shape. */
function sub(shape: Shape, path: string): Shape {
  const n = normalize(path);
  if (n === undefined || !shape) return ANY;
  if (n === '') return shape;
  const inside = (p: string): string | undefined =>
    p.startsWith(`${n}.`) ? p.slice(n.length + 1) : p.startsWith(`${n}[`) ? p.slice(n.length) : undefined;
  const strip = (set: ReadonlySet<string>): string[] => [...set].map(inside).filter((p): p is string => p !== undefined);
  return known(shape.objects.has(n), strip(shape.paths), strip(shape.objects));
}

/** A ResultPath that cannot fail on an input of this shape: absent, `$`, null, or a path each step before the last of which is surely an object. */
function safeResultPath(path: string | null | undefined, input: Shape): boolean {
  if (path === undefined || path === null || path === '$') return true;
  const n = normalize(path);
  if (n === undefined || !input || !input.object) return false;
  return prefixes(n).every((p) => input.objects.has(p));
}

/** What a state's ResultPath leaves on success: the result, the input, or the input with the result written into it. */
function afterResultPath(path: string | null | undefined, input: Shape, result: Shape): Shape {
  if (path === undefined || path === '$') return result;
  if (path === null) return input;
  const n = normalize(path);
  if (n === undefined || n === '') return known(true);
  const outside = (p: string): boolean => p !== n && !p.startsWith(`${n}.`) && !p.startsWith(`${n}[`);
  const paths = input ? [...input.paths].filter(outside) : [];
  const objects = input ? [...input.objects].filter(outside) : [];
  // Written, the path's steps before the last are objects (AWS makes the missing ones).
  for (const p of prefixes(n)) {
    paths.push(p);
    objects.push(p);
  }
  paths.push(n);
  if (result) {
    const under = (p: string): string => (p.startsWith('[') ? `${n}${p}` : `${n}.${p}`);
    paths.push(...[...result.paths].map(under));
    objects.push(...[...result.objects].map(under));
    if (result.object) objects.push(n);
  }
  return known(true, paths, objects);
}

/**
 * The JSONata expressions of a field's value that may fail (jsonata-total.ts): one that may
 * throw, give nothing or a function, and in a Condition one that may give anything but a
 * boolean. A field AWS types (a Wait's Seconds, a Task's TimeoutSeconds, a Map's
 * MaxConcurrency, …) must give a number or a timestamp in range: every expression there counts.
 */
function riskyJsonata(v: JsonValue | undefined, site: JsonataSite, need: JsonataNeed | 'typed' = 'value', out: string[] = []): string[] {
  if (typeof v === 'string') {
    if (v.startsWith('{%') && (need === 'typed' || !jsonataCannotFail(v, site, need))) out.push(v);
  } else if (Array.isArray(v)) {
    for (const x of v) riskyJsonata(x, site, need, out);
  } else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) riskyJsonata(x, site, need, out);
  }
  return out;
}

/** The paths of a template that may name nothing, and whether it calls an intrinsic function. */
interface TemplateRisks { runtime: string[]; intrinsic: boolean }

/** The paths of a JSONPath template (`"x.$": "$.a"`, intrinsics' arguments) that `safe` does not vouch for. */
function riskyTemplate(
  v: JsonValue | undefined, safe: (path: string) => boolean, out: TemplateRisks = { runtime: [], intrinsic: false },
): TemplateRisks {
  if (v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    for (const x of v) riskyTemplate(x, safe, out);
    return out;
  }
  for (const [k, x] of Object.entries(v)) {
    if (k.endsWith('.$') && typeof x === 'string') {
      if (isIntrinsicCall(x)) {
        out.intrinsic = true;
        // A context path (`$$.Execution.Name`) is taken whole, never as the input's path after its first `$`.
        for (const p of x.match(/\$\$?[.[][^,)\s]*|\$\$?(?=[,)\s])/g) ?? []) if (!safe(p)) out.runtime.push(p);
      } else if (!safe(x)) {
        out.runtime.push(x);
      }
    } else {
      riskyTemplate(x, safe, out);
    }
  }
  return out;
}

/** The Variable and `…Path` operands of a JSONPath Choice rule that may name nothing, IsPresent guards counted. */
function riskyChoicePaths(rule: ChoiceRule, shape: Shape, guarded: ReadonlySet<string>, out: string[]): void {
  // A definition from a file may hold anything where a rule belongs.
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return;
  if (Array.isArray(rule.And)) {
    const g = new Set(guarded);
    for (const operand of rule.And) {
      riskyChoicePaths(operand, shape, g, out);
      if (operand !== null && typeof operand === 'object' && typeof operand.Variable === 'string' && operand.IsPresent === true) g.add(operand.Variable);
    }
    return;
  }
  if (Array.isArray(rule.Or)) {
    for (const operand of rule.Or) riskyChoicePaths(operand, shape, guarded, out);
    return;
  }
  if (rule.Not !== undefined) {
    riskyChoicePaths(rule.Not, shape, guarded, out);
    return;
  }
  if (typeof rule.Variable === 'string' && rule.IsPresent === undefined && !guarded.has(rule.Variable) && !safePath(rule.Variable, shape)) out.push(rule.Variable);
  for (const [k, x] of Object.entries(rule)) if (k.endsWith('Path') && typeof x === 'string' && !safePath(x, shape)) out.push(x);
}

interface Located {
  readonly state: StateDefinition;
  readonly language: QueryLanguage;
}

/**
 * The data errors each state can raise, on some execution input (any JSON) and some Task answer.
 * @internal
 */
export function dataErrorsOf(def: StateMachineDefinition): Map<string, DataError[]> {
  const states = new Map<string, Located>();
  forEachState(def, (name, state) => {
    states.set(name, { state, language: state.QueryLanguage ?? def.QueryLanguage ?? 'JSONPath' });
  });
  const inputs = inputShapes(def, states);
  const variables = assignedNames(states.values());
  const out = new Map<string, DataError[]>();
  for (const [name, { state, language }] of states) {
    const errors = errorsOf(state, language, inputs.get(name), variables);
    if (errors.length > 0) out.set(name, errors);
  }
  return out;
}

/** Every variable name an Assign of the machine binds (a state's, a Choice rule's, a Catch's), `.$` cut off. */
function assignedNames(states: Iterable<Located>): Set<string> {
  const out = new Set<string>();
  const add = (assign: unknown): void => {
    if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) return;
    for (const k of Object.keys(assign)) out.add(k.endsWith('.$') ? k.slice(0, -2) : k);
  };
  for (const { state } of states) {
    const s = state as StateDefinition & { Assign?: unknown; Choices?: unknown };
    add(s.Assign);
    if (Array.isArray(s.Choices)) for (const r of s.Choices) add((r as { Assign?: unknown } | null)?.Assign);
    for (const c of s.Catch ?? []) add((c as { Assign?: unknown }).Assign);
  }
  return out;
}

function errorsOf(s: StateDefinition, language: QueryLanguage, input: Shape, variables: ReadonlySet<string>): DataError[] {
  const out: DataError[] = [];
  const add = (error: string, own: boolean, where: string, intrinsic = false): void => {
    if (!out.some((e) => e.error === error && e.own === own && (e.intrinsic === true) === intrinsic)) {
      out.push({ error, own, where, ...(intrinsic ? { intrinsic: true as const } : {}) });
    }
  };
  const f = s as StateDefinition & Record<string, JsonValue | undefined>;
  if (language === 'JSONata') {
    // `$states.input` is the state's input in each of its fields and its Catches' (an object where every path in gives one).
    const inputObject = !!input && input.object;
    const site = (extra: Omit<JsonataSite, 'variables' | 'inputObject'>): JsonataSite => ({ variables, inputObject, ...extra });
    const gives = s.Type === 'Task' || s.Type === 'Map' || s.Type === 'Parallel';
    for (const field of ['Arguments', 'Output', 'Assign', 'Items', 'ItemSelector', 'Error', 'Cause']) {
      // A Map's Items given as an expression must give an array, below.
      if (field === 'Items' && typeof f.Items === 'string') continue;
      const here = site({
        mapItem: s.Type === 'Map' && field === 'ItemSelector',
        taskToken: s.Type === 'Task' && field === 'Arguments' && typeof s.Resource === 'string' && taskResource(s.Resource).pattern === 'waitForTaskToken',
        result: gives && (field === 'Output' || field === 'Assign'),
      });
      const risky = riskyJsonata(f[field], here);
      if (risky.length > 0) add(StatesErrors.QUERY_EVALUATION_ERROR, true, `${field} ${risky[0]}`);
    }
    for (const field of ['Seconds', 'Timestamp', 'TimeoutSeconds', 'HeartbeatSeconds', 'MaxConcurrency', 'ToleratedFailurePercentage', 'ToleratedFailureCount']) {
      const risky = riskyJsonata(f[field], site({}), 'typed');
      if (risky.length > 0) add(StatesErrors.QUERY_EVALUATION_ERROR, true, `${field} ${risky[0]}`);
    }
    for (const rule of (f.Choices as JsonValue[] | undefined) ?? []) {
      const r = rule as Record<string, JsonValue>;
      const condition = riskyJsonata(r.Condition, site({}), 'boolean');
      const risky = [...riskyJsonata(r.Output, site({})), ...riskyJsonata(r.Assign, site({}))];
      if (condition.length > 0) add(StatesErrors.QUERY_EVALUATION_ERROR, true, `Condition ${condition[0]}`);
      else if (risky.length > 0) add(StatesErrors.QUERY_EVALUATION_ERROR, true, `a Choice rule's ${risky[0]}`);
    }
    for (const c of s.Catch ?? []) {
      const risky = riskyJsonata(c.Output, site({ errorOutput: true })).concat(riskyJsonata(c.Assign, site({ errorOutput: true })));
      if (risky.length > 0) add(StatesErrors.QUERY_EVALUATION_ERROR, false, `a Catch's ${risky[0]}`);
    }
    // A Map's items (its Items, its input by default) must be an array: an expression, even a plain read, may give anything.
    if (s.Type === 'Map' && f.ItemReader === undefined) {
      if (f.Items === undefined) add(StatesErrors.QUERY_EVALUATION_ERROR, true, 'its input, which must be an array');
      else if (typeof f.Items === 'string') add(StatesErrors.QUERY_EVALUATION_ERROR, true, `Items ${f.Items}, which must give an array`);
    }
    return out;
  }
  const effective = effectiveInput(s, input);
  if (typeof s.InputPath === 'string' && !safePath(s.InputPath, input)) add(StatesErrors.RUNTIME, true, `InputPath ${s.InputPath}`);
  const template = s.Type === 'Map' ? (f.ItemSelector ?? f.Parameters) : f.Parameters;
  // A Map's ItemSelector reads each item (and the context); its paths are checked against the item, which may be anything.
  const templateShape = s.Type === 'Map' ? ANY : s.InputPath === null ? known(true) : typeof s.InputPath === 'string' ? sub(input, s.InputPath) : input;
  const params = riskyTemplate(template, (p) => safePath(p, templateShape));
  if (params.runtime.length > 0) add(StatesErrors.RUNTIME, true, `Parameters ${params.runtime[0]}`);
  if (params.intrinsic) add(INTRINSIC_FAILURE, true, 'an intrinsic function of its Parameters', true);
  const result = resultOf(s, effective);
  const selector = riskyTemplate(f.ResultSelector, (p) => safePath(p, result));
  if (selector.runtime.length > 0) add(StatesErrors.RUNTIME, true, `ResultSelector ${selector.runtime[0]}`);
  if (selector.intrinsic) add(INTRINSIC_FAILURE, true, 'an intrinsic function of its ResultSelector', true);
  const assign = riskyTemplate(f.Assign, (p) => safePath(p, ANY));
  if (assign.runtime.length > 0) add(StatesErrors.RUNTIME, true, `Assign ${assign.runtime[0]}`);
  if (assign.intrinsic) add(INTRINSIC_FAILURE, true, 'an intrinsic function of its Assign', true);
  if ((s.Type === 'Task' || s.Type === 'Pass' || s.Type === 'Parallel' || s.Type === 'Map') && !safeResultPath(s.ResultPath, input)) {
    add(StatesErrors.RESULT_PATH_MATCH_FAILURE, true, `ResultPath ${s.ResultPath}`);
  }
  if (typeof s.OutputPath === 'string' && !safePath(s.OutputPath, outputOf(s, language, input, false))) add(StatesErrors.RUNTIME, true, `OutputPath ${s.OutputPath}`);
  for (const field of ['ItemsPath', 'SecondsPath', 'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'MaxConcurrencyPath', 'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath', 'ErrorPath', 'CausePath']) {
    const p = f[field];
    // A value read by path may be absent or of the wrong kind (ItemsPath must name an array, SecondsPath a number).
    if (typeof p === 'string') add(StatesErrors.RUNTIME, true, `${field} ${p}`);
  }
  // A Map's items (its ItemsPath, `$` by default) must be an array: what verify knows of values says nothing of arrays.
  if (s.Type === 'Map' && f.ItemsPath === undefined && f.ItemReader === undefined) add(StatesErrors.RUNTIME, true, 'its input, which must be an array');
  if (s.Type === 'Choice') {
    const risky: string[] = [];
    for (const rule of s.Choices ?? []) riskyChoicePaths(rule, effective, new Set(), risky);
    if (risky.length > 0) add(StatesErrors.RUNTIME, true, `Choice rule on ${risky[0]}`);
  }
  for (const c of s.Catch ?? []) {
    if (!safeResultPath(c.ResultPath, input)) add(StatesErrors.RESULT_PATH_MATCH_FAILURE, false, `a Catch's ResultPath ${c.ResultPath}`);
  }
  return out;
}

/** A JSONPath state's effective input: after InputPath and Parameters. */
function effectiveInput(s: StateDefinition, input: Shape): Shape {
  let e: Shape = input;
  if (s.InputPath === null) e = known(true);
  else if (typeof s.InputPath === 'string') e = sub(input, s.InputPath);
  if (s.Type !== 'Map' && s.Parameters !== undefined) e = objectOf(s.Parameters);
  return e;
}

/** A JSONPath state's result before its ResultSelector. */
function resultOf(s: StateDefinition, effective: Shape): Shape {
  if (s.Type === 'Task') {
    const resource = (s as { Resource?: unknown }).Resource;
    return resource === 'arn:aws:states:::lambda:invoke' ? LAMBDA_ENVELOPE : ANY;
  }
  if (s.Type === 'Pass') return (s as { Result?: JsonValue }).Result !== undefined ? objectOf((s as { Result?: JsonValue }).Result) : effective;
  // A Parallel's result is an array with one item per branch.
  if (s.Type === 'Parallel') return known(false, (s.Branches ?? []).map((_b, i) => `[${i}]`));
  return ANY;
}

/** What a state passes on, on success, given its input. */
function outputOf(s: StateDefinition, language: QueryLanguage, input: Shape, outputPath = true): Shape {
  const f = s as StateDefinition & Record<string, JsonValue | undefined>;
  if (language === 'JSONata') {
    if (typeof f.Output === 'string') return jsonataShape(f.Output, input);
    if (f.Output !== undefined) return objectOf(f.Output);
    return s.Type === 'Pass' || s.Type === 'Choice' || s.Type === 'Wait' || s.Type === 'Succeed' ? input : ANY;
  }
  const effective = effectiveInput(s, input);
  let o: Shape;
  if (s.Type === 'Task' || s.Type === 'Pass' || s.Type === 'Parallel' || s.Type === 'Map') {
    const result = f.ResultSelector !== undefined ? objectOf(f.ResultSelector) : resultOf(s, effective);
    o = afterResultPath(s.ResultPath, input, result);
  } else {
    o = effective;
  }
  if (!outputPath) return o;
  return s.OutputPath === null ? known(true) : typeof s.OutputPath === 'string' ? sub(o, s.OutputPath) : o;
}

/**
 * What a JSONata expression surely gives: the state's input for `$states.input`, an object for a
 * `$merge` (the last expression of a block included), anything otherwise.
 */
function jsonataShape(expression: string, input: Shape): Shape {
  const body = /^\{%([\s\S]*)%\}$/.exec(expression.trim())?.[1]?.trim();
  if (body === undefined) return ANY;
  if (body === '$states.input') return input;
  const last = body.startsWith('(') && closing(body, 0) === body.length - 1 ? body.slice(1, -1).split(';').pop()!.trim() : body;
  return last.startsWith('$merge(') && closing(last, '$merge'.length) === last.length - 1 ? known(true) : ANY;
}

/** The index of the parenthesis closing the one at `open`, strings skipped; -1 when there is none. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return i;
    }
  }
  return -1;
}

/** What a Catch passes on to its Next. */
function caughtOf(c: Catcher, language: QueryLanguage, input: Shape): Shape {
  if (language === 'JSONata') return c.Output !== undefined ? objectOf(c.Output) : ERROR_OUTPUT;
  return afterResultPath(c.ResultPath, input, ERROR_OUTPUT);
}

/**
 * The shape of each state's input, met over every way into it (a fixpoint: loops shrink what is
 * known until it holds on every turn). The execution input may be any JSON.
 */
function inputShapes(def: StateMachineDefinition, states: ReadonlyMap<string, Located>): Map<string, Shape> {
  const shapes = new Map<string, Shape>();
  const queue: string[] = [];
  const flow = (to: string | undefined, shape: Shape): void => {
    if (to === undefined || !states.has(to)) return;
    const before = shapes.get(to);
    const after = meet(before, shape);
    if (before !== undefined && same(before, after)) return;
    shapes.set(to, after);
    queue.push(to);
  };
  flow(def.StartAt, ANY);
  for (let i = 0; i < queue.length && i < 100_000; i++) {
    const name = queue[i];
    const { state: s, language } = states.get(name)!;
    const input = shapes.get(name);
    const output = outputOf(s, language, input);
    if (s.Type === 'Choice') {
      for (const r of s.Choices ?? []) flow(typeof r.Next === 'string' ? r.Next : undefined, output);
      flow(typeof s.Default === 'string' ? s.Default : undefined, output);
    } else {
      flow(typeof s.Next === 'string' ? s.Next : undefined, output);
    }
    for (const c of s.Catch ?? []) flow(c.Next, caughtOf(c, language, input));
    if (s.Type === 'Parallel') {
      const into = language === 'JSONata' ? (s.Arguments !== undefined ? objectOf(s.Arguments) : input) : effectiveInput(s, input);
      for (const b of s.Branches ?? []) flow(b.StartAt, into);
    }
    if (s.Type === 'Map') {
      const processor = processorOf(s) as SubMachine | undefined;
      const selector = (s as { ItemSelector?: JsonValue }).ItemSelector ?? (language === 'JSONPath' ? s.Parameters : undefined);
      if (processor) flow(processor.StartAt, selector !== undefined ? objectOf(selector) : ANY);
    }
  }
  return shapes;
}
