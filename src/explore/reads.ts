import { requestSeed } from './contract-answers';
import type { StateInfo } from './goals';
import { fieldOf, parseJsonata } from './solve/jsonata-ast';
import { readKinds, type ReadKind } from './solve/jsonata-kinds';
import type { Source, Step } from './sources';
import { variablesAt, type Visit } from './visits';
import type { ChoiceRule, JsonObject, JsonValue, StateDefinition } from '../asl';
import { INTRINSIC_FUNCTIONS } from '../asl/intrinsics/functions';
import { IntrinsicNames, isIntrinsicCall } from '../asl/intrinsics/names';
import { parseIntrinsic, type IntrinsicNode } from '../asl/intrinsics/parser';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { compilePath, followSteps } from '../asl/path';
import { compilePayloadTemplate } from '../asl/payload';
import { compileResultPath } from '../asl/result-path';
import { stateField } from '../asl/state-tree';
import { contractOf, type Shape } from '../contracts';

/** What a value read by a state must be for the state not to fail. */
export type Expect = 'any' | 'string' | 'json' | JsonOf | 'base64' | 'number' | 'integer' | 'positive' | 'boolean' | 'array' | 'object' | 'timestamp' | 'numeric';

/**
 * A text of JSON whose value a function around `States.StringToJson` takes as an argument of its
 * kind: `States.ArrayLength(States.StringToJson($.list))` needs the text of a list (`'{}'` fails).
 */
export type JsonOf = 'json-array' | 'json-object' | 'json-number' | 'json-string' | 'json-boolean';

/** The text of JSON an argument of an intrinsic function's type needs, when it is read through States.StringToJson. */
const JSON_OF: Readonly<Partial<Record<string, JsonOf>>> = {
  array: 'json-array', object: 'json-object', number: 'json-number', integer: 'json-number', string: 'json-string', boolean: 'json-boolean',
};

/**
 * Where a read starts: what the state reads as `$` (JSONPath: after
 * InputPath), its raw input, the Context Object, a variable, its Task's
 * result, its result after ResultSelector (what a JSONPath Assign reads),
 * (a Map's ItemSelector) the first item, or what it holds before its OutputPath.
 */
export type ReadScope = 'input' | 'raw' | 'context' | 'result' | 'selected' | 'item' | 'merged' | { readonly variable: string };

/** One value a state reads, and what it must be. */
export interface Read {
  readonly scope: ReadScope;
  readonly steps: readonly Step[];
  readonly expect: Expect;
  /** The field that reads it, for reasons. */
  readonly field: string;
  /**
   * The value written when it is missing, when the read says more than `expect`: a value of the
   * kind the service's request member it flows into takes (`"batchId"` for a DynamoDB `S`).
   */
  readonly seed?: JsonValue;
}

/** A value to write into a scenario: where, and what (`undefined`: remove it). */
export interface Write {
  readonly source: Source;
  readonly value: JsonValue | undefined;
  /**
   * A JSONPath filter whose selection the value (a list) is: the items there that it selects are
   * replaced by the value's, the others kept, so that writes for several filters over one array
   * add up.
   */
  readonly select?: string;
}

/**
 * The values a state reads that make it fail when they are missing or of
 * the wrong kind: InputPath, the paths of Parameters / ItemSelector /
 * ResultSelector (and the arguments of intrinsic functions, typed by the
 * function), ItemsPath, the `…Path` fields of Wait, Task, Map and Fail, and
 * the plain paths JSONata expressions read.
 */
export function readsOf(info: StateInfo): Read[] {
  const def = info.def;
  const out: Read[] = [];
  if (info.language === 'JSONata') {
    for (const field of [
      'Arguments', 'Output', 'Assign', 'Items', 'ItemSelector', 'ItemReader', 'ItemBatcher',
      'Seconds', 'Timestamp', 'TimeoutSeconds', 'HeartbeatSeconds', 'Error', 'Cause', 'MaxConcurrency',
      'ToleratedFailureCount', 'ToleratedFailurePercentage',
    ] as const) {
      const value = stateField(def, field);
      if (value !== undefined) jsonataReads(value, field, out, field === 'Arguments' ? requestShape(def) : undefined);
    }
    // A rule's Output and Assign are evaluated when the rule is taken: a field they read that is missing fails the Choice.
    if (def.Type === 'Choice') {
      (def.Choices ?? []).forEach((rule, i) => {
        if (rule.Output !== undefined) jsonataReads(rule.Output, `Choices[${i}].Output`, out);
        if (rule.Assign !== undefined) jsonataReads(rule.Assign, `Choices[${i}].Assign`, out);
      });
    }
    // A Catch's Output and Assign are evaluated when it takes an error: a field of the input they read that is missing
    // fails the state with States.QueryEvaluationError instead (the error output they read is the error's).
    const catchers = stateField(def, 'Catch');
    (Array.isArray(catchers) ? catchers : []).forEach((c, i) => {
      if (c === null || typeof c !== 'object' || Array.isArray(c)) return;
      if (c.Output !== undefined) jsonataReads(c.Output, `Catch[${i}].Output`, out);
      if (c.Assign !== undefined) jsonataReads(c.Assign, `Catch[${i}].Assign`, out);
    });
    return out;
  }
  const ip = def.InputPath;
  if (typeof ip === 'string' && ip !== '$') pathRead(ip, 'raw', 'object', 'InputPath', out);
  const op = def.OutputPath;
  if (typeof op === 'string' && op !== '$' && def.Type !== 'Fail') pathRead(op, 'merged', 'any', 'OutputPath', out);
  switch (def.Type) {
    case 'Task':
      templateReads(def.Parameters, 'Parameters', out, 'input', requestShape(def));
      templateReads(def.Credentials, 'Credentials', out);
      templateReads(def.ResultSelector, 'ResultSelector', out, 'result');
      if (def.TimeoutSecondsPath) pathRead(def.TimeoutSecondsPath, 'input', 'positive', 'TimeoutSecondsPath', out);
      if (def.HeartbeatSecondsPath) pathRead(def.HeartbeatSecondsPath, 'input', 'positive', 'HeartbeatSecondsPath', out);
      break;
    case 'Pass':
      if (def.Result === undefined) templateReads(def.Parameters, 'Parameters', out);
      break;
    case 'Parallel':
      templateReads(def.Parameters, 'Parameters', out);
      templateReads(def.ResultSelector, 'ResultSelector', out, 'result');
      break;
    case 'Map':
      if (def.ItemReader === undefined) pathRead(def.ItemsPath ?? '$', 'input', 'array', 'ItemsPath', out);
      else templateReads(def.ItemReader.Parameters, 'ItemReader.Parameters', out);
      if (def.ItemReader?.ReaderConfig?.MaxItemsPath) pathRead(def.ItemReader.ReaderConfig.MaxItemsPath, 'input', 'integer', 'ItemReader.ReaderConfig.MaxItemsPath', out);
      templateReads(def.ItemSelector ?? def.Parameters, 'ItemSelector', out);
      if (def.ItemBatcher !== undefined) {
        templateReads(def.ItemBatcher.BatchInput, 'ItemBatcher.BatchInput', out);
        if (def.ItemBatcher.MaxItemsPerBatchPath) pathRead(def.ItemBatcher.MaxItemsPerBatchPath, 'input', 'positive', 'ItemBatcher.MaxItemsPerBatchPath', out);
        if (def.ItemBatcher.MaxInputBytesPerBatchPath) pathRead(def.ItemBatcher.MaxInputBytesPerBatchPath, 'input', 'positive', 'ItemBatcher.MaxInputBytesPerBatchPath', out);
      }
      templateReads(def.ResultSelector, 'ResultSelector', out, 'result');
      if (def.MaxConcurrencyPath) pathRead(def.MaxConcurrencyPath, 'input', 'integer', 'MaxConcurrencyPath', out);
      if (def.ToleratedFailureCountPath) pathRead(def.ToleratedFailureCountPath, 'input', 'integer', 'ToleratedFailureCountPath', out);
      if (def.ToleratedFailurePercentagePath) pathRead(def.ToleratedFailurePercentagePath, 'input', 'number', 'ToleratedFailurePercentagePath', out);
      break;
    case 'Wait':
      if (def.SecondsPath) pathRead(def.SecondsPath, 'input', 'integer', 'SecondsPath', out);
      if (def.TimestampPath) pathRead(def.TimestampPath, 'input', 'timestamp', 'TimestampPath', out);
      break;
    case 'Fail':
      if (def.ErrorPath) pathRead(def.ErrorPath, 'input', 'string', 'ErrorPath', out);
      if (def.CausePath) pathRead(def.CausePath, 'input', 'string', 'CausePath', out);
      break;
    default:
      break;
  }
  // Assign sees the result (after ResultSelector) of a Task, Map or Parallel, a Pass's result, and the others' input
  // ("Passing data between states with variables", Step Functions developer guide, workflow-variables.html).
  if (def.Assign !== undefined) {
    if (def.Type === 'Task' || def.Type === 'Map' || def.Type === 'Parallel') {
      templateReads(def.Assign, 'Assign', out, def.ResultSelector === undefined ? 'result' : 'selected');
    } else if (def.Type !== 'Pass' || (def.Result === undefined && def.Parameters === undefined)) {
      templateReads(def.Assign, 'Assign', out);
    }
  }
  return out;
}

/** How deep into a Choice rule's And, Or and Not {@link choiceReads} goes: deeper rules are left unread. */
const MAX_RULE_DEPTH = 32;

/** The operators of a JSONPath Choice rule that compare its Variable with a number. */
const NUMERIC_OPERATOR = /^Numeric(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;

/**
 * The values a Choice state's rules read by a plain path: a JSONPath rule's Variable (what the
 * state reads as `$`, after InputPath) and its `…Path` operand, a number where a Numeric…
 * operator compares it; the fields a JSONata Condition reads, each with what the expression does
 * with it (as {@link readsOf} reads any JSONata field). Kept apart from {@link readsOf}: a field
 * a JSONata Condition reads may be missing without failing the state.
 */
export function choiceReads(info: StateInfo): Read[] {
  const def = info.def;
  const out: Read[] = [];
  if (def.Type !== 'Choice' || !Array.isArray(def.Choices)) return out;
  const visit = (r: ChoiceRule | undefined, field: string, depth: number): void => {
    if (depth > MAX_RULE_DEPTH || r === null || typeof r !== 'object' || Array.isArray(r)) return;
    if (info.language === 'JSONata') {
      if (typeof r.Condition === 'string') jsonataReads(r.Condition, `${field}.Condition`, out);
      return;
    }
    const numeric = Object.keys(r).some((k) => NUMERIC_OPERATOR.test(k));
    if (typeof r.Variable === 'string') pathRead(r.Variable, 'input', numeric ? 'number' : 'any', `${field}.Variable`, out);
    for (const [k, v] of Object.entries(r)) {
      if (k.endsWith('Path') && typeof v === 'string') pathRead(v, 'input', numeric ? 'number' : 'any', `${field}.${k}`, out);
    }
    for (const op of ['And', 'Or'] as const) if (Array.isArray(r[op])) r[op].forEach((sub, i) => visit(sub, `${field}.${op}[${i}]`, depth + 1));
    if (r.Not !== undefined) visit(r.Not, `${field}.Not`, depth + 1);
  };
  def.Choices.forEach((rule, i) => visit(rule, `Choices[${i}]`, 0));
  return out;
}

function pathRead(text: string, scope: 'input' | 'raw' | 'result' | 'selected' | 'merged', expect: Expect, field: string, out: Read[], seed?: JsonValue): void {
  if (isIntrinsicCall(text)) {
    intrinsicReads(text, scope, field, out);
    return;
  }
  let path;
  try {
    path = compilePath(text);
  } catch {
    return;
  }
  if (!path.definite || !path.steps) return;
  const steps = path.steps;
  if (path.root.kind === 'context' && field.startsWith('ItemSelector') && steps[0] === 'Map' && steps[1] === 'Item' && steps[2] === 'Value') {
    out.push({ scope: 'item', steps: steps.slice(3), expect, field });
    return;
  }
  const root: ReadScope = path.root.kind === 'input' ? scope : path.root.kind === 'context' ? 'context' : { variable: path.root.name };
  out.push({ scope: root, steps, expect, field, ...(seed !== undefined ? { seed } : {}) });
}

function intrinsicReads(text: string, scope: 'input' | 'raw' | 'result' | 'selected' | 'merged', field: string, out: Read[]): void {
  let tree;
  try {
    tree = parseIntrinsic(text);
  } catch {
    return;
  }
  const visit = (node: IntrinsicNode, expect: Expect): void => {
    if (node.kind === 'path') {
      pathRead(node.source, scope, expect, field, out);
      return;
    }
    if (node.kind !== 'call') return;
    const spec = INTRINSIC_FUNCTIONS.get(node.name);
    node.args.forEach((arg, i) => {
      const param = spec?.params[i] ?? spec?.rest;
      // States.StringToJson takes a string, and fails unless it holds JSON: JSON of the kind the call around it takes.
      const json = JSON_OF[expect] ?? 'json';
      visit(arg, node.name === IntrinsicNames.STRING_TO_JSON ? json : node.name === IntrinsicNames.BASE64_DECODE ? 'base64' : param?.type ?? 'any');
    });
  };
  visit(tree, 'any');
}

/**
 * The paths a JSONPath payload template reads; `shape`, the request member it builds (a Task's
 * Parameters), seeds a value missing there with one of the member's kind.
 */
function templateReads(tpl: JsonValue | undefined, field: string, out: Read[], scope: 'input' | 'result' | 'selected' = 'input', shape?: Shape): void {
  if (tpl === null || typeof tpl !== 'object') return;
  if (Array.isArray(tpl)) {
    tpl.forEach((t, i) => templateReads(t, `${field}[${i}]`, out, scope, shape?.type === 'list' ? shape.member : undefined));
    return;
  }
  for (const key of Object.keys(tpl)) {
    const value = tpl[key];
    if (key.endsWith('.$') && typeof value === 'string') {
      const member = memberOf(shape, key.slice(0, -2));
      const seed = member === undefined || isIntrinsicCall(value) ? undefined : requestSeed(member, stepsOf(value));
      pathRead(value, scope, 'any', `${field}.${key}`, out, seed);
    } else {
      templateReads(value, `${field}.${key}`, out, scope, memberOf(shape, key));
    }
  }
}

/** The steps of a plain path (`$.order.id` → order, id), none for another. */
function stepsOf(text: string): readonly Step[] {
  try {
    return compilePath(text).steps ?? [];
  } catch {
    return [];
  }
}

/**
 * What a JSONata expression read whole into a field of the state itself must give: a Map's
 * Items a list, its limits and a Wait's or Task's seconds a whole number, a Wait's Timestamp a
 * time (the Amazon States Language's fields, as JSONata writes them).
 */
const ASL_FIELD_EXPECT: ReadonlyMap<string, Expect> = new Map<string, Expect>([
  ['Items', 'array'], ['MaxConcurrency', 'integer'], ['ToleratedFailureCount', 'integer'], ['ToleratedFailurePercentage', 'number'],
  ['ItemReader/ReaderConfig/MaxItems', 'positive'], ['ItemBatcher/MaxItemsPerBatch', 'positive'], ['ItemBatcher/MaxInputBytesPerBatch', 'positive'],
  ['Seconds', 'integer'], ['TimeoutSeconds', 'positive'], ['HeartbeatSeconds', 'positive'], ['Timestamp', 'timestamp'],
]);

/** What a read expects, from what the expression does with it. */
const KIND_EXPECT: Readonly<Record<ReadKind, Expect>> = {
  any: 'any', number: 'number', string: 'string', array: 'array', object: 'object', numeric: 'numeric', json: 'json', timestamp: 'timestamp',
};

/**
 * The fields the JSONata expressions of a field read (any depth of its template), each with
 * what it must be: what the expression around it does with it (jsonata-kinds' readKinds), a
 * Map's Items the list of items, and a field read whole into a request member of the
 * service's contract a value of that member's kind (`shape`, walked with the template).
 */
function jsonataReads(value: JsonValue, field: string, out: Read[], shape?: Shape): void {
  if (typeof value === 'string') {
    if (!isJsonataExpression(value)) return;
    const parsed = parseJsonata(value.trim().slice(2, -2));
    if ('error' in parsed) return;
    const whole = fieldOf(parsed.ast, new Set());
    const wholeKey = whole && 'ref' in whole && whole.whole ? whole.ref.key : undefined;
    for (const { ref, kind } of readKinds(parsed.ast)) {
      const r = ref.root;
      if (r === 'errorOutput') continue;
      // An ItemSelector's $states.context.Map.Item.Value is the item, which comes from the Map's items.
      const item = field.startsWith('ItemSelector') && r === 'context' && ref.steps[0] === 'Map' && ref.steps[1] === 'Item' && ref.steps[2] === 'Value';
      const scope: ReadScope = item ? 'item' : r === 'input' ? 'raw' : r === 'result' ? 'result' : r === 'context' ? 'context' : { variable: r.variable };
      const steps = item ? ref.steps.slice(3) : ref.steps;
      const member = ref.key === wholeKey ? shape : undefined;
      const asl = ref.key === wholeKey ? ASL_FIELD_EXPECT.get(field) : undefined;
      const expect = asl ?? (member !== undefined ? expectOf(member) : KIND_EXPECT[kind]);
      out.push({ scope, steps, expect, field, ...(member !== undefined ? { seed: requestSeed(member, steps) } : {}) });
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) value.forEach((v) => jsonataReads(v, field, out, shape?.type === 'list' ? shape.member : undefined));
  else for (const key of Object.keys(value)) jsonataReads(value[key], `${field}/${key}`, out, memberOf(shape, key));
}

/** The shape of a member of a structure (or a map's values). */
function memberOf(shape: Shape | undefined, key: string): Shape | undefined {
  if (shape?.type === 'structure') return shape.member(key);
  if (shape?.type === 'map') return shape.value;
  return undefined;
}

/** What a value read into a request member of this shape must be. */
function expectOf(shape: Shape): Expect {
  switch (shape.type) {
    case 'string': return 'string';
    case 'integer': case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'timestamp': return 'timestamp';
    case 'list': return 'array';
    case 'structure': case 'map': return 'object';
    default: return 'any';
  }
}

/** The request of a Task's Resource, as the service's contract describes it. */
function requestShape(def: StateDefinition): Shape | undefined {
  const resource = (def as { Resource?: unknown }).Resource;
  return def.Type === 'Task' && typeof resource === 'string' ? contractOf(resource).request : undefined;
}

/** The intrinsic calls of a JSONPath state's templates, with what they read: its input (after InputPath), or its result. */
export function intrinsicCalls(info: StateInfo): Array<{ readonly text: string; readonly on: 'input' | 'result' | 'selected' }> {
  const def = info.def;
  if (info.language === 'JSONata') return [];
  const out: Array<{ text: string; on: 'input' | 'result' | 'selected' }> = [];
  const walk = (tpl: JsonValue | undefined, on: 'input' | 'result' | 'selected'): void => {
    if (tpl === null || typeof tpl !== 'object') return;
    if (Array.isArray(tpl)) {
      tpl.forEach((t) => walk(t, on));
      return;
    }
    for (const key of Object.keys(tpl)) {
      const value = tpl[key];
      if (key.endsWith('.$') && typeof value === 'string' && isIntrinsicCall(value)) out.push({ text: value, on });
      else walk(value, on);
    }
  };
  walk(def.Type === 'Map' ? def.ItemSelector ?? def.Parameters : def.Parameters, 'input');
  walk(def.ResultSelector, 'result');
  // An Assign sees what readsOf says it reads: a Task's, Map's or Parallel's result after its ResultSelector, else the input.
  const assign = readsOf(info).find((r) => r.field.startsWith('Assign.'))?.scope;
  if (assign === 'input' || assign === 'result' || assign === 'selected') walk(def.Assign, assign);
  return out;
}

/** True when a value is what a read expects. */
export function fits(value: JsonValue | undefined, expect: Expect): boolean {
  if (value === undefined) return false;
  switch (expect) {
    case 'any': return true;
    case 'string': return typeof value === 'string';
    case 'json': return typeof value === 'string' && parsesAsJson(value);
    case 'json-array': case 'json-object': case 'json-number': case 'json-string': case 'json-boolean':
      return typeof value === 'string' && parsesAsJson(value) && fits(jsonOf(value), JSON_KIND[expect]);
    // States.Base64Decode decodes any text, as AWS does (docs/fidelity.md); a placeholder is still real base64.
    case 'base64': return typeof value === 'string';
    case 'number': return typeof value === 'number';
    case 'integer': return typeof value === 'number' && Number.isInteger(value) && value >= 0;
    case 'positive': return typeof value === 'number' && Number.isInteger(value) && value > 0;
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'timestamp': return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'numeric': return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
  }
}

/** A value of the kind a read expects, named after the field where it can be. */
export function placeholder(expect: Expect, steps: readonly Step[]): JsonValue {
  switch (expect) {
    case 'number': case 'integer': case 'positive': return 1;
    case 'numeric': return '1';
    case 'boolean': return true;
    case 'array': return [];
    case 'object': case 'json': return expect === 'json' ? '{}' : {};
    case 'json-array': case 'json-object': case 'json-number': case 'json-string': case 'json-boolean':
      return JSON.stringify(placeholder(JSON_KIND[expect], steps));
    case 'base64': return Buffer.from(String([...steps].reverse().find((s) => typeof s === 'string') ?? 'value')).toString('base64');
    case 'timestamp': return '2024-01-01T00:00:00Z';
    default: {
      const last = [...steps].reverse().find((s) => typeof s === 'string');
      return typeof last === 'string' ? last : 'value';
    }
  }
}

/** The values a visit's scopes held: what its reads are checked against. */
export function scopeValue(v: Visit, info: StateInfo, scope: ReadScope, executionInput: JsonValue): JsonValue | undefined {
  if (scope === 'raw') return v.input;
  if (scope === 'item') {
    if (info.def.Type !== 'Map' || info.def.ItemReader !== undefined) return undefined;
    // A JSONata Map's Items: a list written out, or a read of the state's input (`{% $states.input.payments %}`).
    if (info.def.Items !== undefined) return firstItem(info.def.Items, v.input);
    const items = scopeValue(v, info, 'input', executionInput);
    const path = compilePath(info.def.ItemsPath ?? '$');
    const list = path.root.kind === 'input' && path.steps ? followSteps(items ?? null, path.steps) : undefined;
    return Array.isArray(list) ? list[0] : undefined;
  }
  if (scope === 'result') return v.result;
  if (scope === 'selected') return selectedOf(v, info, executionInput, v.result, true);
  if (scope === 'merged') return mergedOf(v, info, executionInput);
  if (scope === 'context') return contextOf(v, executionInput);
  if (scope === 'input') {
    const ip = info.language === 'JSONata' ? undefined : info.def.InputPath;
    if (ip === undefined || ip === '$') return v.input;
    if (ip === null) return {};
    try {
      const path = compilePath(ip);
      if (path.root.kind === 'input' && path.steps) return followSteps(v.input, path.steps);
    } catch {
      return undefined;
    }
    return undefined;
  }
  const vars = variablesAt(v) as JsonObject;
  return Object.prototype.hasOwnProperty.call(vars, scope.variable) ? vars[scope.variable] : undefined;
}

/** The kind of value the text of JSON a read expects holds. */
const JSON_KIND: Readonly<Record<JsonOf, Expect>> = {
  'json-array': 'array', 'json-object': 'object', 'json-number': 'number', 'json-string': 'string', 'json-boolean': 'boolean',
};

/** The value a text of JSON holds (one {@link parsesAsJson} passed). */
function jsonOf(text: string): JsonValue {
  const value: JsonValue = JSON.parse(text);
  return value;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** What a JSONPath state held before its OutputPath, recomputed from its input and result. */
function mergedOf(v: Visit, info: StateInfo, executionInput: JsonValue): JsonValue | undefined {
  const def = info.def;
  const effective = scopeValue(v, info, 'input', executionInput);
  if (def.Type === 'Choice' || def.Type === 'Wait' || def.Type === 'Succeed') return effective;
  if (def.Type !== 'Task' && def.Type !== 'Pass' && def.Type !== 'Map' && def.Type !== 'Parallel') return undefined;
  try {
    let result: JsonValue | undefined;
    const variables = { get: (n: string) => (variablesAt(v) as JsonObject)[n] };
    const scope = (input: JsonValue) => ({ input, context: contextOf(v, executionInput), variables });
    if (def.Type === 'Pass') {
      if (effective === undefined) return undefined;
      if (def.Result !== undefined) result = def.Result;
      else result = def.Parameters !== undefined ? compilePayloadTemplate(def.Parameters)(scope(effective)) : effective;
    } else {
      result = selectedOf(v, info, executionInput, v.result);
      if (result === undefined) return undefined;
    }
    return compileResultPath(def.ResultPath)(v.input, result);
  } catch {
    return undefined;
  }
}

/**
 * A Task's, Map's or Parallel's `result` after its JSONPath ResultSelector: what its Assign and
 * ResultPath see. With `partial`, a ResultSelector with a field that finds nothing gives the fields that did.
 */
export function selectedOf(
  v: Visit, info: StateInfo, executionInput: JsonValue, result: JsonValue | undefined, partial = false,
): JsonValue | undefined {
  const def = info.def;
  if (result === undefined || info.language === 'JSONata') return result;
  if (def.Type !== 'Task' && def.Type !== 'Map' && def.Type !== 'Parallel') return result;
  if (def.ResultSelector === undefined) return result;
  const scope = { input: result, context: contextOf(v, executionInput), variables: { get: (n: string) => (variablesAt(v) as JsonObject)[n] } };
  const select = (tpl: JsonValue): JsonValue | undefined => {
    try {
      return compilePayloadTemplate(tpl)(scope);
    } catch {
      return undefined;
    }
  };
  const whole = select(def.ResultSelector);
  if (whole !== undefined || !partial || def.ResultSelector === null || typeof def.ResultSelector !== 'object' || Array.isArray(def.ResultSelector)) return whole;
  // A field that found nothing failed the state before its Assign ran: the fields that did are what the Assign would have read.
  const out: JsonObject = {};
  for (const [key, tpl] of Object.entries(def.ResultSelector)) {
    const part = select({ [key]: tpl });
    if (part !== null && typeof part === 'object' && !Array.isArray(part)) Object.assign(out, part);
  }
  return out;
}

/** What explore knows of the Context Object a visit read: the execution's input, the state's name and when it was entered. */
function contextOf(v: Visit, executionInput: JsonValue): JsonObject {
  return { Execution: { Input: executionInput }, State: { Name: v.name, EnteredTime: v.entered.timestamp.toISOString() } };
}

/** The first item of a JSONata Map's `Items` on the state's input, when it is a list or a plain read of the input. */
function firstItem(items: unknown, input: JsonValue): JsonValue | undefined {
  if (Array.isArray(items)) return items[0] as JsonValue | undefined;
  const parsed = typeof items === 'string' && isJsonataExpression(items) ? parseJsonata(items.trim().slice(2, -2)) : undefined;
  const read = parsed === undefined || 'error' in parsed ? undefined : fieldOf(parsed.ast, new Set());
  if (read === undefined || !('ref' in read) || !read.whole || read.ref.root !== 'input') return undefined;
  const list = followSteps(input ?? null, read.ref.steps);
  return Array.isArray(list) ? list[0] : undefined;
}
