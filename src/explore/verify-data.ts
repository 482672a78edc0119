import {
  ANY_JSON_KINDS, jsonataCannotFail, literalKinds, givenKinds, succeededKinds, UNASSIGNED, type JsonataNeed, type JsonataSite, type Kind,
} from './jsonata-total';
import {
  afterResultPath, ANY, ERROR_OUTPUT, expressionGives, known, LAMBDA_ENVELOPE, meet, objectOf, safePath, safeResultPath, same, sub,
  type Shape,
} from './verify-shapes';
import type { Catcher, ChoiceRule, JsonValue, QueryLanguage, StateDefinition, StateMachineDefinition, SubMachine } from '../asl';
import { parseJsonata, type JsonataNode } from './solve/jsonata-ast';
import { INTRINSIC_FAILURE } from '../asl/intrinsics/functions';
import { isIntrinsicCall } from '../asl/intrinsics/names';
import { queryLanguageOf } from '../asl/query-language';
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
    states.set(name, { state, language: queryLanguageOf(state, def) });
  });
  const variables = assignedNames(states.values());
  // Each reading sharpens the other: the fields an Output writes hold what the variables it reads
  // hold, and a variable holds what the fields its Assign reads hold. Each pass rests only on
  // what the pass before it proved, so a second pass of each is as sound as the first.
  let inputs = inputShapes(def, states, variables, undefined);
  let kindsAt = variableKinds(def, states, inputs, variables);
  inputs = inputShapes(def, states, variables, kindsAt);
  kindsAt = variableKinds(def, states, inputs, variables);
  const out = new Map<string, DataError[]>();
  for (const [name, { state, language }] of states) {
    const errors = errorsOf(state, language, inputs.get(name), variables, kindsAt.get(name));
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

function errorsOf(
  s: StateDefinition, language: QueryLanguage, input: Shape, variables: ReadonlySet<string>, env: VariableKinds | undefined,
): DataError[] {
  const out: DataError[] = [];
  const add = (error: string, own: boolean, where: string, intrinsic = false): void => {
    if (!out.some((e) => e.error === error && e.own === own && (e.intrinsic === true) === intrinsic)) {
      out.push({ error, own, where, ...(intrinsic ? { intrinsic: true as const } : {}) });
    }
  };
  const f = s as StateDefinition & Record<string, JsonValue | undefined>;
  if (language === 'JSONata') {
    // `$states.input` is the state's input in each of its fields and its Catches' (an object where every path in gives one).
    const site = (extra: Omit<JsonataSite, 'variables' | 'inputObject' | 'inputFields' | 'variableKinds'>): JsonataSite =>
      jsonataSite(variables, input, env, extra);
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
  if (typeof s.OutputPath === 'string' && !safePath(s.OutputPath, outputOf(s, language, input, undefined, false))) add(StatesErrors.RUNTIME, true, `OutputPath ${s.OutputPath}`);
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
  if (s.Type !== 'Map' && s.Parameters !== undefined) e = objectOf(s.Parameters, 'jsonPath');
  return e;
}

/** A JSONPath state's result before its ResultSelector. */
function resultOf(s: StateDefinition, effective: Shape): Shape {
  if (s.Type === 'Task') {
    const resource = (s as { Resource?: unknown }).Resource;
    return resource === 'arn:aws:states:::lambda:invoke' ? LAMBDA_ENVELOPE : ANY;
  }
  if (s.Type === 'Pass') return (s as { Result?: JsonValue }).Result !== undefined ? objectOf((s as { Result?: JsonValue }).Result, 'literal') : effective;
  // A Parallel's result is an array with one item per branch.
  if (s.Type === 'Parallel') return known(false, (s.Branches ?? []).map((_b, i) => `[${i}]`));
  return ANY;
}

/** What a state passes on, on success, given its input (a JSONata state's Output read where `site` says). */
function outputOf(s: StateDefinition, language: QueryLanguage, input: Shape, site: JsonataSite | undefined, outputPath = true): Shape {
  const f = s as StateDefinition & Record<string, JsonValue | undefined>;
  if (language === 'JSONata') {
    if (site === undefined) return ANY;
    if (typeof f.Output === 'string') return jsonataShape(f.Output, input, site);
    if (f.Output !== undefined) return objectOf(f.Output, site);
    return s.Type === 'Pass' || s.Type === 'Choice' || s.Type === 'Wait' || s.Type === 'Succeed' ? input : ANY;
  }
  const effective = effectiveInput(s, input);
  let o: Shape;
  if (s.Type === 'Task' || s.Type === 'Pass' || s.Type === 'Parallel' || s.Type === 'Map') {
    const result = f.ResultSelector !== undefined ? objectOf(f.ResultSelector, 'jsonPath') : resultOf(s, effective);
    o = afterResultPath(s.ResultPath, input, result);
  } else {
    o = effective;
  }
  if (!outputPath) return o;
  return s.OutputPath === null ? known(true) : typeof s.OutputPath === 'string' ? sub(o, s.OutputPath) : o;
}

/**
 * What a JSONata expression surely gives, read from its syntax tree: the state's input for
 * `$states.input`, a field of it the input surely has, an object for a `$merge` or an object
 * constructor (with the fields whose values are surely there: JSONata leaves out a field whose
 * value is nothing, docs.jsonata.org "Object constructors"), the last expression of a block;
 * anything otherwise. A field's value whose kinds jsonata-total.ts knows (read where `site` says:
 * `$states.input` is `input`) is there when it never gives nothing, and holds those kinds.
 * `site.errorOutput`: in a Catch, where `$states.errorOutput` is the error output.
 */
function jsonataShape(expression: string, input: Shape, site: JsonataSite): Shape {
  const t = expression.trim();
  if (!t.startsWith('{%') || !t.endsWith('%}')) return ANY;
  const parsed = parseJsonata(t.slice(2, -2));
  // A name the expression binds may hide `$states` or `$merge`; other names it binds are only read as values it does not know.
  if ('error' in parsed || bindsNames(parsed.ast, 0)) return ANY;
  const read: Reading = { input, errorOutput: site.errorOutput === true, given: givenKinds(parsed.ast, site) };
  return nodeShape(parsed.ast, read, 0)?.shape ?? ANY;
}

/** What {@link nodeShape} reads an expression with: the state's input, whether the error output is there, and each node's kinds. */
interface Reading {
  readonly input: Shape;
  readonly errorOutput: boolean;
  readonly given: (node: JsonataNode | undefined) => ReadonlySet<Kind> | undefined;
}

/** A node's value when it surely gives one (`defined`) and what is known of it; undefined when nothing is. */
interface NodeShape { readonly defined: boolean; readonly shape: Shape }

/** Keys a node may carry for {@link nodeShape} to read it: a filter, a sort, a grouping, a focus or an index makes it unknown. */
const PLAIN_KEYS = new Set(['type', 'value', 'position', 'steps', 'expressions', 'arguments', 'procedure', 'lhs', 'condition', 'then', 'else']);
const plain = (n: JsonataNode | undefined): n is JsonataNode =>
  n !== null && typeof n === 'object' && Object.keys(n).every((k) => n[k] === undefined || PLAIN_KEYS.has(k));

/** Whether an expression binds `$states` or `$merge` (`$merge := …`, a lambda's parameter), which {@link nodeShape} reads. */
function bindsNames(node: unknown, depth: number): boolean {
  if (node === null || typeof node !== 'object' || depth > 200) return depth > 200;
  if (Array.isArray(node)) return node.some((x) => bindsNames(x, depth + 1));
  const n = node as JsonataNode;
  const read = (v: unknown): boolean => v === 'states' || v === 'merge';
  if (n.type === 'bind' && (n.lhs?.type !== 'variable' || read(n.lhs.value))) return true;
  if (n.type === 'lambda' && (!Array.isArray(n.arguments) || n.arguments.some((a: JsonataNode | undefined) => read(a?.value)))) return true;
  return Object.values(n).some((v) => v !== null && typeof v === 'object' && bindsNames(v, depth + 1));
}

function nodeShape(node: JsonataNode | undefined, read: Reading, depth: number): NodeShape | undefined {
  if (!plain(node) || depth > 30) return undefined;
  const literal: NodeShape = { defined: true, shape: known(false) };
  switch (node.type) {
    case 'string': case 'number': return literal;
    case 'value': return node.value === null || typeof node.value === 'boolean' ? literal : undefined;
    case 'block': {
      const list = node.expressions as JsonataNode[] | undefined;
      return Array.isArray(list) && list.length > 0 ? nodeShape(list[list.length - 1], read, depth + 1) : undefined;
    }
    case 'condition': {
      if (node.else === undefined) return undefined;
      const a = nodeShape(node.then, read, depth + 1);
      const b = nodeShape(node.else, read, depth + 1);
      return a && b ? { defined: a.defined && b.defined, shape: a.shape === null || b.shape === null ? ANY : meet(a.shape, b.shape) } : undefined;
    }
    case 'path': return statesShape(node.steps, read.input, read.errorOutput);
    case 'function': {
      const args = node.arguments as JsonataNode[] | undefined;
      const list = Array.isArray(args) && args.length === 1 ? args[0] : undefined;
      if (!plain(node.procedure) || node.procedure.type !== 'variable' || node.procedure.value !== 'merge') return undefined;
      if (!plain(list) || list.type !== 'unary' || list.value !== '[' || !Array.isArray(list.expressions)) return undefined;
      // Given, a `$merge` gives an object with every key of each item surely there (the array drops an item that is
      // nothing), and the last item's fields as they are there, since no later item overwrites them.
      const keys: string[] = [];
      const items = (list.expressions as JsonataNode[]).map((item) => nodeShape(item, read, depth + 1));
      for (const k of items) if (k?.defined && k.shape) keys.push(...[...k.shape.paths].filter((p) => !/[.[]/.test(p)));
      const last = items[items.length - 1];
      // The last item's fields, and what they hold, are the merged object's: nothing after it overwrites them.
      if (last?.defined && last.shape) {
        return { defined: true, shape: known(true, [...keys, ...last.shape.paths], last.shape.objects, last.shape.kinds) };
      }
      return { defined: true, shape: known(true, keys) };
    }
    case 'unary': {
      if (node.value === '[') return Array.isArray(node.expressions) ? literal : undefined;
      if (node.value !== '{' || !Array.isArray(node.lhs)) return undefined;
      const paths: string[] = [];
      const objects: string[] = [];
      const held: Array<[string, ReadonlySet<Kind>]> = [];
      const keys = new Set<string>();
      for (const pair of node.lhs as unknown[]) {
        if (!Array.isArray(pair) || pair.length !== 2) return undefined;
        const [key, value] = pair as JsonataNode[];
        // Two equal keys throw (D1009); a key with a '.' or '[' is not told apart from a path.
        if (!plain(key) || key.type !== 'string' || typeof key.value !== 'string' || keys.has(key.value) || /[.[\]]/.test(key.value)) return undefined;
        keys.add(key.value);
        const v = nodeShape(value, read, depth + 1);
        // A value of kinds known to be neither nothing nor a function is there (the object keeps a function as it is).
        const k = read.given(value);
        const kinds = k === undefined || k.has('function') ? undefined : new Set([...k].filter((x) => x !== 'undefined'));
        if (!v?.defined && (kinds === undefined || k!.has('undefined'))) continue;
        paths.push(key.value);
        if (kinds !== undefined && kinds.size > 0) held.push([key.value, kinds]);
        if (v?.defined && v.shape) {
          if (v.shape.object) objects.push(key.value);
          const under = (p: string): string => (p.startsWith('[') ? `${key.value}${p}` : `${key.value}.${p}`);
          paths.push(...[...v.shape.paths].map(under));
          objects.push(...[...v.shape.objects].map(under));
          held.push(...[...v.shape.kinds].map(([p, x]) => [under(p), x] as [string, ReadonlySet<Kind>]));
        }
      }
      return { defined: true, shape: known(true, paths, objects, held) };
    }
    default: return undefined;
  }
}

/** `$states.input` (or a field of it the input surely has) and, in a Catch, `$states.errorOutput`; undefined for another path. */
function statesShape(steps: unknown, input: Shape, errorOutput: boolean): NodeShape | undefined {
  if (!Array.isArray(steps) || steps.length < 2 || !(steps as unknown[]).every((x) => plain(x as JsonataNode))) return undefined;
  const [root, first, ...rest] = steps as JsonataNode[];
  if (root.type !== 'variable' || root.value !== 'states' || first.type !== 'name') return undefined;
  if (!rest.every((x) => x.type === 'name' && typeof x.value === 'string' && !/[.[\]]/.test(x.value))) return undefined;
  const whole = first.value === 'input' ? input : first.value === 'errorOutput' && errorOutput ? ERROR_OUTPUT : undefined;
  if (first.value !== 'input' && whole === undefined) return undefined;
  if (rest.length === 0) return { defined: true, shape: whole ?? ANY };
  const field = rest.map((x) => x.value as string).join('.');
  return whole && whole.paths.has(field) ? { defined: true, shape: sub(whole, `$.${field}`) } : undefined;
}

/** What a Catch passes on to its Next. */
function caughtOf(c: Catcher, language: QueryLanguage, input: Shape, site: JsonataSite): Shape {
  if (language === 'JSONata') return jsonataOutput(c.Output, input, site) ?? ERROR_OUTPUT;
  return afterResultPath(c.ResultPath, input, ERROR_OUTPUT);
}

/** The shape a JSONata Output (an expression or a template) gives, read where `site` says; undefined when there is none. */
function jsonataOutput(output: JsonValue | undefined, input: Shape, site: JsonataSite): Shape {
  if (output === undefined) return undefined;
  return typeof output === 'string' ? jsonataShape(output, input, site) : objectOf(output, site);
}

/** Where a JSONata field of a state is read: its input's shape and the kinds of the variables there. */
function jsonataSite(
  variables: ReadonlySet<string>, input: Shape, env: VariableKinds | undefined,
  extra: Omit<JsonataSite, 'variables' | 'inputObject' | 'inputFields' | 'variableKinds'>,
): JsonataSite {
  return {
    variables,
    inputObject: !!input && input.object,
    ...(input ? { inputFields: { paths: input.paths, objects: input.objects, kinds: input.kinds } } : {}),
    ...(env ? { variableKinds: env } : {}),
    ...extra,
  };
}

/** What each workflow variable may hold at a state's entry. */
type VariableKinds = Map<string, ReadonlySet<Kind>>;

/** The kinds in either of two sets of variables' kinds. */
function joinKinds(a: VariableKinds | undefined, b: VariableKinds): VariableKinds {
  if (a === undefined) return new Map(b);
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, new Set([...(out.get(k) ?? []), ...v]));
  return out;
}
const sameKinds = (a: VariableKinds, b: VariableKinds): boolean =>
  a.size === b.size && [...a].every(([k, v]) => {
    const w = b.get(k);
    return w !== undefined && w.size === v.size && [...v].every((x) => w.has(x));
  });

/**
 * What an Assign leaves: each variable it names set to what its value gives, read with the
 * variables as they were at the state's entry (AWS evaluates an Assign's values together, before
 * any is set). An Assign that fails (a value that throws, gives nothing or a function) fails the
 * state and sets nothing, so where it was applied each value is JSON, and any JSON where its
 * expression may throw (succeededKinds).
 */
function assigned(assign: unknown, language: QueryLanguage, env: VariableKinds, site: JsonataSite): VariableKinds {
  if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) return env;
  const out = new Map(env);
  for (const [key, value] of Object.entries(assign)) {
    let k: ReadonlySet<Kind>;
    if (language === 'JSONPath') {
      // A path, an intrinsic or a variable read gives JSON or fails the state; a literal is what it is.
      k = key.endsWith('.$') ? ANY_JSON_KINDS : literalKinds(value);
    } else if (typeof value === 'string' && value.trim().startsWith('{%')) {
      k = succeededKinds(expressionGives(value, site));
    } else {
      k = literalKinds(value);
    }
    out.set(key.endsWith('.$') ? key.slice(0, -2) : key, k);
  }
  return out;
}

/**
 * The kinds each workflow variable may hold at each state's entry, joined over every way into it
 * (a fixpoint over finite sets of kinds). At the start, and in a Map's iteration (a DISTRIBUTED
 * one's child execution sees none of the run's variables), a variable not yet assigned reads as
 * nothing or as one of JSONata's functions. A Parallel's branch or a Map's iteration starts from
 * the variables around it, and what it assigns stays inside it (AWS's variables page, "Variable
 * scope"); only the taken Choice rule's Assign applies, the Choice's own with its Default; a
 * Catch's Assign reads the variables as at the state's entry, or after its own Assign.
 */
function variableKinds(
  def: StateMachineDefinition, states: ReadonlyMap<string, Located>, inputs: ReadonlyMap<string, Shape>, variables: ReadonlySet<string>,
): Map<string, VariableKinds> {
  const initial: VariableKinds = new Map([...variables].map((v) => [v, UNASSIGNED]));
  const at = new Map<string, VariableKinds>();
  const queue: string[] = [];
  const flow = (to: string | undefined, env: VariableKinds): void => {
    if (to === undefined || !states.has(to)) return;
    const before = at.get(to);
    const after = joinKinds(before, env);
    if (before !== undefined && sameKinds(before, after)) return;
    at.set(to, after);
    queue.push(to);
  };
  flow(def.StartAt, initial);
  for (let i = 0; i < queue.length && i < 100_000; i++) {
    const name = queue[i];
    const { state: s, language } = states.get(name)!;
    const env = at.get(name)!;
    const input = inputs.get(name);
    const gives = s.Type === 'Task' || s.Type === 'Map' || s.Type === 'Parallel';
    const site = (extra: Omit<JsonataSite, 'variables' | 'inputObject' | 'inputFields' | 'variableKinds'>): JsonataSite =>
      jsonataSite(variables, input, env, extra);
    const after = assigned((s as { Assign?: unknown }).Assign, language, env, site({ result: gives }));
    if (s.Type === 'Choice') {
      for (const r of s.Choices ?? []) flow(typeof r.Next === 'string' ? r.Next : undefined, assigned(r.Assign, language, env, site({})));
      flow(typeof s.Default === 'string' ? s.Default : undefined, after);
    } else {
      flow(typeof (s as { Next?: unknown }).Next === 'string' ? (s as { Next: string }).Next : undefined, after);
    }
    for (const c of s.Catch ?? []) {
      const caught = site({ errorOutput: true });
      flow(c.Next, joinKinds(assigned(c.Assign, language, env, caught), assigned(c.Assign, language, after, { ...caught, variableKinds: after })));
    }
    if (s.Type === 'Parallel') for (const b of s.Branches ?? []) flow(b.StartAt, env);
    if (s.Type === 'Map') {
      const processor = processorOf(s) as SubMachine | undefined;
      if (processor) flow(processor.StartAt, joinKinds(env, initial));
    }
  }
  return at;
}

/**
 * The shape of each state's input, met over every way into it (a fixpoint: loops shrink what is
 * known until it holds on every turn). The execution input may be any JSON.
 */
function inputShapes(
  def: StateMachineDefinition, states: ReadonlyMap<string, Located>, variables: ReadonlySet<string>,
  kindsAt: ReadonlyMap<string, VariableKinds> | undefined,
): Map<string, Shape> {
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
    const env = kindsAt?.get(name);
    const site = (extra: Omit<JsonataSite, 'variables' | 'inputObject' | 'inputFields' | 'variableKinds'>): JsonataSite =>
      jsonataSite(variables, input, env, extra);
    const gives = s.Type === 'Task' || s.Type === 'Map' || s.Type === 'Parallel';
    const output = outputOf(s, language, input, site({ result: gives }));
    if (s.Type === 'Choice') {
      for (const r of s.Choices ?? []) {
        // A JSONata Choice rule's own Output is what its Next gets.
        const own = (r as { Output?: JsonValue }).Output;
        flow(typeof r.Next === 'string' ? r.Next : undefined, language === 'JSONata' && own !== undefined ? jsonataOutput(own, input, site({})) : output);
      }
      flow(typeof s.Default === 'string' ? s.Default : undefined, output);
    } else {
      flow(typeof s.Next === 'string' ? s.Next : undefined, output);
    }
    // A Catch's Output reads the variables as at the state's entry or after its Assign: neither is told here.
    for (const c of s.Catch ?? []) flow(c.Next, caughtOf(c, language, input, jsonataSite(variables, input, undefined, { errorOutput: true })));
    if (s.Type === 'Parallel') {
      const args = (s as { Arguments?: JsonValue }).Arguments;
      const into = language === 'JSONata' ? (args !== undefined ? jsonataOutput(args, input, site({})) : input) : effectiveInput(s, input);
      for (const b of s.Branches ?? []) flow(b.StartAt, into);
    }
    if (s.Type === 'Map') {
      const processor = processorOf(s) as SubMachine | undefined;
      const selector = (s as { ItemSelector?: JsonValue }).ItemSelector ?? (language === 'JSONPath' ? s.Parameters : undefined);
      const into = selector === undefined ? ANY : language === 'JSONata' ? jsonataOutput(selector, input, site({ mapItem: true })) : objectOf(selector, 'jsonPath');
      if (processor) flow(processor.StartAt, into);
    }
  }
  return shapes;
}
