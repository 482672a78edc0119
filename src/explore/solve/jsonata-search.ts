import jsonata from 'jsonata';
import type { Binding, SolveResult } from './index';
import { formatPath, parseBindingPath } from './paths';
import type { CurrentValue } from './world';
import type { ChoiceState, JsonValue } from '../../asl/definition-types';

/** What {@link searchJsonataCondition} needs from the engine. */
export interface JsonataSearchContext {
  /**
   * The concrete value now at a path, asked in the expression's spelling
   * (`$states.input.amount`, `$states.context.Execution.Input.x`, `$limit`).
   */
  readonly current: (path: string) => CurrentValue;
  /**
   * Paths the engine cannot change; the search never binds them.
   * @default nothing is fixed
   */
  readonly isFixed?: (path: string) => boolean;
  /**
   * Evaluates the Condition with the bindings applied to the current values:
   * its boolean result, or the Error it raised (a non-boolean result is an
   * Error too, as AWS fails the state with States.QueryEvaluationError).
   */
  readonly evaluate: (bindings: readonly Binding[]) => Promise<boolean | Error>;
  /**
   * How many evaluations the search may make.
   * @default 200
   */
  readonly budget?: number;
  /**
   * Asked before each evaluation: true ends the search there (explore's time
   * is up), with what it tried so far.
   * @default never
   */
  readonly stopped?: () => boolean;
}

/** What {@link searchJsonataBranch} needs from the engine. */
export interface JsonataBranchSearchContext extends Omit<JsonataSearchContext, 'evaluate'> {
  /** Evaluates the Condition of `Choices[index]` with the bindings applied, as {@link JsonataSearchContext.evaluate}. */
  readonly evaluate: (index: number, bindings: readonly Binding[]) => Promise<boolean | Error>;
}

/** The default number of evaluations of one search. */
export const DEFAULT_JSONATA_BUDGET = 200;
/** The most candidate values tried for one field. */
const CANDIDATES_PER_FIELD = 24;
/** How many of each field's candidates are combined with another field's. */
const PAIR_WIDTH = 6;

/** A Condition to bring to a value: its text (or a literal boolean) and the value wanted. */
interface Target {
  readonly index: number;
  readonly condition: string | boolean;
  readonly want: boolean;
}

/** What an expression reads, and the hints it gives about the values that matter. */
interface Reads {
  /** The fields read, in the order they appear (`$states.input.a.b`, `$v.x`). */
  readonly fields: string[];
  /** Candidate values per field, from the comparisons and functions around it. */
  readonly hints: Map<string, JsonValue[]>;
  /** Every literal in the expression. */
  readonly literals: JsonValue[];
  /** Whether it may read something that is not among `fields` (the whole `$states`, a dynamic lookup). */
  opaque: boolean;
  /** Whether it calls a function whose result changes between calls ($now, $random, ...). */
  varying: boolean;
  /** Fields compared with each other (`$count < $limit`): each is tried near the other's value. */
  readonly pairs: Array<readonly [string, string]>;
}

const VARYING = new Set(['now', 'millis', 'random', 'uuid']);
const BUILT_INS = new Set([
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase', 'uppercase',
  'length', 'trim', 'pad', 'contains', 'split', 'join', 'match', 'replace', 'now', 'millis', 'formatNumber', 'formatBase',
  'formatInteger', 'parseInteger', 'number', 'abs', 'floor', 'ceil', 'round', 'power', 'sqrt', 'random', 'boolean', 'not',
  'exists', 'append', 'sort', 'reverse', 'shuffle', 'distinct', 'zip', 'keys', 'lookup', 'spread', 'merge', 'sift', 'each',
  'error', 'assert', 'type', 'single', 'filter', 'map', 'reduce', 'base64encode', 'base64decode', 'encodeUrlComponent',
  'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis', 'fromMillis', 'clone', 'partition', 'range', 'hash',
  'uuid', 'parse',
]);
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=', 'in']);

type Node = Record<string, any>;

function isPlainStep(step: Node, type: string): boolean {
  return step.type === type && typeof step.value === 'string' && Object.keys(step).every((k) => k === 'type' || k === 'value' || k === 'position' || k === 'stages');
}

/** The literal index of a step like `items[0]`, or `undefined`. */
function indexStage(step: Node): number | undefined {
  const stages = step.stages as Node[] | undefined;
  if (stages === undefined) return undefined;
  if (stages.length !== 1 || stages[0].type !== 'filter' || stages[0].expr?.type !== 'number') return Number.NaN;
  const n = stages[0].expr.value;
  return Number.isInteger(n) && n >= 0 ? n : Number.NaN;
}

/**
 * The field a path node or variable node reads, as far as it goes by plain
 * names and literal indexes, or `undefined` for a path that starts elsewhere.
 */
function fieldOf(node: Node, local: ReadonlySet<string>): { field: string; whole: boolean } | undefined {
  let steps: Node[];
  if (node.type === 'variable') steps = [node];
  else if (node.type === 'path' && Array.isArray(node.steps)) steps = node.steps;
  else return undefined;
  const first = steps[0];
  if (!first || first.type !== 'variable' || typeof first.value !== 'string' || first.value === '' || first.stages) return undefined;
  const name = first.value as string;
  // A built-in's name read as a value is a workflow variable (variables shadow the built-ins); called, it is the function (see `visit`).
  if (local.has(name)) return undefined;
  let root: { kind: 'input' } | { kind: 'context' } | { kind: 'variable'; name: string };
  let k = 1;
  if (name === 'states') {
    const second = steps[1];
    if (!second || !isPlainStep(second, 'name') || second.stages || (second.value !== 'input' && second.value !== 'context')) return { field: '$states', whole: false };
    root = { kind: second.value };
    k = 2;
  } else {
    root = { kind: 'variable', name };
  }
  const path: Array<string | number> = [];
  for (; k < steps.length; k++) {
    const step = steps[k];
    if (!isPlainStep(step, 'name')) break;
    const index = indexStage(step);
    if (Number.isNaN(index)) break;
    path.push(step.value);
    if (index !== undefined) path.push(index);
  }
  const text = formatPath(root, path);
  const field = root.kind === 'variable' ? text : text.replace(/^\$\$?/, root.kind === 'input' ? '$states.input' : '$states.context');
  return { field, whole: k === steps.length };
}

/** Walks an expression's syntax tree once for what it reads and the literals around those reads. */
function readsOf(ast: Node): Reads {
  const reads: Reads = { fields: [], hints: new Map(), literals: [], opaque: false, varying: false, pairs: [] };
  const local = new Set<string>();
  // Names the expression binds itself (`$x := …`, lambda parameters) are not workflow variables.
  const collectLocal = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(collectLocal); return; }
    const n = node as Node;
    if (n.type === 'bind' && n.lhs?.type === 'variable') local.add(n.lhs.value);
    if (n.type === 'lambda' && Array.isArray(n.arguments)) for (const a of n.arguments) if (a?.type === 'variable') local.add(a.value);
    for (const key of Object.keys(n)) if (typeof n[key] === 'object') collectLocal(n[key]);
  };
  collectLocal(ast);
  const hint = (field: string, ...values: JsonValue[]): void => {
    let list = reads.hints.get(field);
    if (list === undefined) { list = []; reads.hints.set(field, list); }
    for (const v of values) if (!list.some((x) => JSON.stringify(x) === JSON.stringify(v))) list.push(v);
  };
  const literalOf = (node: Node | undefined): JsonValue | undefined => {
    if (!node) return undefined;
    if (node.type === 'number' || node.type === 'string') return node.value;
    if (node.type === 'value') return node.value;
    if (node.type === 'unary' && node.value === '[' && Array.isArray(node.expressions)) {
      const items = node.expressions.map(literalOf);
      return items.every((i: JsonValue | undefined) => i !== undefined) ? items : undefined;
    }
    if (node.type === 'unary' && node.value === '-' && node.expression?.type === 'number') return -node.expression.value;
    return undefined;
  };
  /** The field a node reads directly or through one function call (`$count(f)`), with the function's name. */
  const subject = (node: Node | undefined): { field: string; via?: string } | undefined => {
    if (!node) return undefined;
    const direct = fieldOf(node, local);
    if (direct && direct.whole && direct.field !== '$states') return { field: direct.field };
    if (node.type === 'function' && node.procedure?.type === 'variable' && Array.isArray(node.arguments) && node.arguments.length >= 1) {
      const inner = fieldOf(node.arguments[0], local);
      if (inner && inner.whole && inner.field !== '$states') return { field: inner.field, via: node.procedure.value };
    }
    return undefined;
  };
  const hintComparison = (side: { field: string; via?: string }, lit: JsonValue, op: string): void => {
    const { field, via } = side;
    if (op === 'in' && Array.isArray(lit)) { hint(field, ...lit, 'not one of them'); return; }
    if (typeof lit === 'number') {
      const near = [lit, lit + 1, lit - 1, lit + 0.5, lit - 0.5].filter((n) => Number.isFinite(n));
      if (via === 'count') for (const n of near.filter((x) => Number.isInteger(x) && x >= 0 && x <= 64)) hint(field, Array.from({ length: n }, (_, i) => i + 1));
      else if (via === 'length') for (const n of near.filter((x) => Number.isInteger(x) && x >= 0 && x <= 256)) hint(field, 'a'.repeat(n));
      else if (via === 'sum' || via === 'max' || via === 'min' || via === 'average') for (const n of near) hint(field, [n]);
      else if (via === 'string') for (const n of near) hint(field, n);
      else if (via === undefined || via === 'number' || via === 'abs' || via === 'floor' || via === 'ceil' || via === 'round') hint(field, ...near, String(lit));
      return;
    }
    if (typeof lit === 'string') {
      if (via === 'lowercase') hint(field, lit, lit.toUpperCase(), `${lit}x`);
      else if (via === 'uppercase') hint(field, lit, lit.toLowerCase(), `${lit}X`);
      else if (via === 'number' || via === 'string') hint(field, lit, Number(lit));
      else hint(field, lit, `${lit}x`, '', lit === 'x' ? 'y' : 'x');
      return;
    }
    if (typeof lit === 'boolean') hint(field, lit, !lit);
    else if (lit === null) hint(field, null, 'x');
  };
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    const n = node as Node;
    const literal = literalOf(n);
    if (literal !== undefined && !Array.isArray(literal)) reads.literals.push(literal);
    const read = fieldOf(n, local);
    if (read) {
      if (read.field === '$states') reads.opaque = true;
      else if (!reads.fields.includes(read.field)) reads.fields.push(read.field);
      // The steps after the first may hold expressions (filters); the first is the read itself.
      if (n.type === 'path') visit(n.steps.slice(1));
      return;
    }
    if (n.type === 'function' && n.procedure?.type === 'variable') {
      const name = n.procedure.value as string;
      if (VARYING.has(name)) reads.varying = true;
      if (name === 'lookup' || name === 'eval') reads.opaque = true;
      const arg = subject(n.arguments?.[0]);
      if (arg && !arg.via) {
        const second = literalOf(n.arguments?.[1]);
        if (name === 'contains' && typeof second === 'string') hint(arg.field, second, `x${second}x`, '', 'x');
        else if (name === 'exists') hint(arg.field, true);
        else if (name === 'not' || name === 'boolean') hint(arg.field, true, false, 0, '');
        else if (name === 'count' || name === 'sum') hint(arg.field, [], [1], [1, 2, 3]);
        else if (name === 'length' || name === 'uppercase' || name === 'lowercase' || name === 'trim') hint(arg.field, '', 'a', 'abc');
        else if (name === 'number') hint(arg.field, '0', '1', '-1', '1.5');
      }
    }
    if (n.type === 'binary' && COMPARISONS.has(n.value)) {
      const left = subject(n.lhs);
      const right = subject(n.rhs);
      const lhsLiteral = literalOf(n.lhs);
      const rhsLiteral = literalOf(n.rhs);
      if (left && rhsLiteral !== undefined) hintComparison(left, rhsLiteral, n.value);
      if (right && lhsLiteral !== undefined) hintComparison(right, lhsLiteral, n.value);
      if (left && right && !left.via && !right.via) reads.pairs.push([left.field, right.field]);
    }
    if (n.type === 'binary' && (n.value === 'and' || n.value === 'or')) {
      for (const side of [n.lhs, n.rhs]) {
        const s = subject(side);
        if (s && !s.via) hint(s.field, true, false);
      }
    }
    for (const key of Object.keys(n)) {
      // The function a call names is not a value it reads.
      if (key === 'procedure' && n.type === 'function' && n.procedure?.type === 'variable' && BUILT_INS.has(n.procedure.value)) continue;
      if (typeof n[key] === 'object') visit(n[key]);
    }
  };
  visit(ast);
  return reads;
}

/** The values tried for one field, best first. */
function candidatesFor(field: string, reads: Reads, now: CurrentValue): Array<JsonValue | undefined> {
  const out: Array<JsonValue | undefined> = [];
  const seen = new Set<string>();
  // The input and the Context Object always exist.
  const root = field === '$states.input' || field === '$states.context';
  const add = (v: JsonValue | undefined): void => {
    if (v === undefined && root) return;
    const key = v === undefined ? 'absent' : JSON.stringify(v);
    if (out.length >= CANDIDATES_PER_FIELD || seen.has(key)) return;
    if (now.found ? key === JSON.stringify(now.value) : v === undefined) return; // that is what it is now
    seen.add(key);
    out.push(v);
  };
  for (const v of reads.hints.get(field) ?? []) add(v);
  for (const lit of reads.literals) {
    add(lit);
    if (typeof lit === 'number') { add(lit + 1); add(lit - 1); }
    if (typeof lit === 'string') add(`${lit}x`);
  }
  for (const v of [true, false, 0, 1, -1, '', 'x', null, [], {}, [1], undefined] as Array<JsonValue | undefined>) add(v);
  return out;
}

/** Assignments of candidate values to fields, in the order the search tries them: one field, then two, then all. */
type Assignment = Array<[number, JsonValue | undefined]>;

function* assignments(fields: readonly string[], candidates: ReadonlyArray<ReadonlyArray<JsonValue | undefined>>): Generator<Assignment> {
  yield [];
  for (let i = 0; i < fields.length; i++) for (const v of candidates[i]) yield [[i, v]];
  for (let i = 0; i < fields.length; i++) {
    for (let j = i + 1; j < fields.length; j++) {
      for (const a of candidates[i].slice(0, PAIR_WIDTH)) for (const b of candidates[j].slice(0, PAIR_WIDTH)) yield [[i, a], [j, b]];
    }
  }
  if (fields.length > 2) {
    const longest = Math.max(...candidates.map((c) => c.length));
    for (let k = 0; k < longest; k++) {
      const row: Assignment = [];
      for (let i = 0; i < fields.length; i++) if (candidates[i].length > 0) row.push([i, candidates[i][k % candidates[i].length]]);
      yield row;
    }
  }
}

function parse(expression: string): { ast: Node } | { error: string } {
  try {
    return { ast: jsonata(expression).ast() as Node };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { error: `${err.code ?? 'S0000'}: ${err.message ?? String(e)}` };
  }
}

function stripDelimiters(condition: string): string {
  const t = condition.trim();
  return t.startsWith('{%') && t.endsWith('%}') ? t.slice(2, -2).trim() : t;
}

/**
 * Brings several Conditions to wanted values at once, by guided search: the
 * fields they read are given values drawn from the expressions (the
 * literals they compare against, one either side of each number, strings
 * that contain or extend the literal, arrays of the counted length, other
 * types, absence), one field at a time, then in pairs, then all together,
 * each try confirmed by `evaluate`.
 */
async function searchConditions(targets: readonly Target[], ctx: JsonataBranchSearchContext, describe: string): Promise<SolveResult> {
  const budget = ctx.budget ?? DEFAULT_JSONATA_BUDGET;
  const fields: string[] = [];
  let opaque = false;
  let varying = false;
  const allReads: Reads = { fields, hints: new Map(), literals: [], opaque: false, varying: false, pairs: [] };
  for (const target of targets) {
    if (typeof target.condition === 'boolean') continue;
    const parsed = parse(stripDelimiters(target.condition));
    if ('error' in parsed) return { kind: 'unknown', reason: `the JSONata Condition '${stripDelimiters(target.condition)}' does not parse (${parsed.error})` };
    const reads = readsOf(parsed.ast);
    opaque ||= reads.opaque;
    varying ||= reads.varying;
    for (const f of reads.fields) if (!fields.includes(f)) fields.push(f);
    for (const [f, hs] of reads.hints) allReads.hints.set(f, [...(allReads.hints.get(f) ?? []), ...hs]);
    allReads.literals.push(...reads.literals);
    allReads.pairs.push(...reads.pairs);
  }
  // A literal boolean Condition is what it is.
  for (const target of targets) {
    if (typeof target.condition === 'boolean' && target.condition !== target.want) {
      return { kind: 'unsat', reason: `Choices[${target.index}] has the Condition ${target.condition}, which is never ${target.want}` };
    }
  }
  const bindable = fields.filter((f) => {
    const parsed = parseBindingPath(f);
    return !('error' in parsed) && !ctx.isFixed?.(f);
  });
  // A field compared with another is tried at the other's value now, and either side of it.
  for (const [a, b] of allReads.pairs) {
    for (const [field, other] of [[a, b], [b, a]]) {
      const now = ctx.current(other);
      if (!now.found) continue;
      const v = now.value;
      const near: JsonValue[] = typeof v === 'number' ? [v, v + 1, v - 1] : typeof v === 'string' ? [v, `${v}x`] : [v];
      allReads.hints.set(field, [...(allReads.hints.get(field) ?? []), ...near]);
    }
  }
  const nows = bindable.map((f) => ctx.current(f));
  const candidates = bindable.map((f, i) => candidatesFor(f, allReads, nows[i]));
  let tries = 0;
  let errors = 0;
  let lastError: string | undefined;
  let cut = false;
  for (const assignment of assignments(bindable, candidates)) {
    if (tries >= budget) break;
    // One evaluation of a recursive Condition can take seconds: the clock is read before each.
    if (ctx.stopped?.()) {
      cut = true;
      break;
    }
    tries++;
    const bindings: Binding[] = assignment.map(([i, v]) => (v === undefined ? { path: bindable[i], absent: true } : { path: bindable[i], value: v }));
    let ok = true;
    for (const target of targets) {
      if (typeof target.condition === 'boolean') continue;
      const result = await ctx.evaluate(target.index, bindings);
      if (result instanceof Error) {
        errors++;
        lastError = result.message;
        ok = false;
        break;
      }
      if (result !== target.want) { ok = false; break; }
    }
    if (ok) return { kind: 'sat', bindings };
  }
  if (cut) return { kind: 'unknown', reason: `the time ran out after ${tries} tries to bring ${describe} to the wanted value` };
  // Nothing could be changed and nothing varies: the one evaluation made is the only possible one.
  const unparsed = fields.filter((f) => 'error' in parseBindingPath(f));
  if (bindable.length === 0 && unparsed.length === 0 && !opaque && !varying && tries > 0) {
    const outcome = errors > 0 ? `raises an error (${lastError})` : 'does not come out as wanted';
    const reads = fields.length === 0 ? 'reads no field of the input, the Context Object or a variable' : `reads only values that cannot be changed (${fields.join(', ')})`;
    return { kind: 'unsat', reason: `${describe} ${reads}, and ${outcome}` };
  }
  const what = fields.length === 0 ? 'it reads no field of the input or a variable' : `over ${bindable.length === 0 ? 'no field it may change' : bindable.join(', ')}`;
  const why = [
    opaque ? 'it reads $states as a whole or looks fields up by name, which the search cannot follow' : undefined,
    varying ? 'it calls a function whose result varies ($now, $millis, $random or $uuid)' : undefined,
    errors > 0 ? `${errors} tries raised an error (last: ${lastError})` : undefined,
  ].filter((s) => s !== undefined);
  return { kind: 'unknown', reason: `${describe} was not brought to the wanted value in ${tries} tries ${what}${why.length > 0 ? `; ${why.join('; ')}` : ''}` };
}

/**
 * The fields a JSONata expression (without its `{% %}`) reads, in the
 * spelling of bindings (`$states.input.a.b`, `$var.x`), or `undefined` when it
 * does not parse or reads what the search cannot follow (all of `$states`, a
 * field looked up by name).
 */
export function jsonataFields(expression: string): string[] | undefined {
  const parsed = parse(expression);
  if ('error' in parsed) return undefined;
  const reads = readsOf(parsed.ast);
  return reads.opaque ? undefined : reads.fields;
}

/**
 * What a JSONata expression builds, as far as explore follows values through
 * it: a path it reads, an object whose fields are built by expressions, a
 * `$merge` of such (later parts win), or a computation of the fields it reads.
 */
export type JsonataShape =
  | { readonly kind: 'path'; readonly field: string }
  | { readonly kind: 'object'; readonly entries: ReadonlyMap<string, JsonataShape> }
  | { readonly kind: 'merge'; readonly parts: readonly JsonataShape[] }
  | { readonly kind: 'computed'; readonly fields: readonly string[] };

/** The shape of what a JSONata expression (without its `{% %}`) builds, or `undefined` when it does not parse. */
export function jsonataShape(expression: string): JsonataShape | undefined {
  const parsed = parse(expression);
  return 'error' in parsed ? undefined : shapeOf(parsed.ast);
}

function shapeOf(node: Node): JsonataShape {
  const read = fieldOf(node, new Set());
  if (read && read.whole && read.field !== '$states') return { kind: 'path', field: read.field };
  if (node.type === 'unary' && node.value === '{' && Array.isArray(node.lhs)) {
    const entries = new Map<string, JsonataShape>();
    for (const pair of node.lhs as Node[][]) {
      if (pair[0]?.type !== 'string' || entries.has(pair[0].value)) return computedShape(node);
      entries.set(pair[0].value, shapeOf(pair[1]));
    }
    return { kind: 'object', entries };
  }
  const list = node.arguments?.[0] as Node | undefined;
  if (node.type === 'function' && node.procedure?.type === 'variable' && node.procedure.value === 'merge'
    && node.arguments.length === 1 && list?.type === 'unary' && list.value === '[' && Array.isArray(list.expressions)) {
    return { kind: 'merge', parts: (list.expressions as Node[]).map(shapeOf) };
  }
  return computedShape(node);
}

function computedShape(node: Node): JsonataShape {
  const reads = readsOf(node);
  return { kind: 'computed', fields: reads.opaque ? [] : reads.fields };
}

/**
 * JSONata Condition: guided search over the fields the expression reads.
 * The expression is parsed with the jsonata library; the paths it reads
 * under `$states.input`, `$states.context` and variables are collected with
 * the literals it compares them against, and candidates derived from those
 * (equal, ±1, ±0.5, strings holding the literal, arrays of the counted
 * length, other types, absent) are tried, each confirmed with `evaluate`.
 *
 * `unsat` only when the Condition reads nothing that can be changed (no field
 * at all, or only fixed ones), calls nothing that varies, and evaluates to
 * the other value; otherwise a search that finds nothing answers `unknown`,
 * naming the expression and the fields it tried.
 *
 * @param expression the Condition, with or without its `{% %}`
 * @example
 * await searchJsonataCondition('$states.input.amount > 100', true, { current, evaluate });
 * // { kind: 'sat', bindings: [{ path: '$states.input.amount', value: 101 }] }
 */
export async function searchJsonataCondition(expression: string, want: boolean, ctx: JsonataSearchContext): Promise<SolveResult> {
  const text = stripDelimiters(expression);
  return searchConditions([{ index: 0, condition: expression, want }], { ...ctx, evaluate: (_i, b) => ctx.evaluate(b) }, `the JSONata Condition '${text}'`);
}

/**
 * Takes branch `branch` of a JSONata Choice state (or its Default) by guided
 * search: the Conditions before it must be false and its own true (Default:
 * all false). Each try evaluates the Conditions in order, as the state does.
 *
 * @throws RangeError when `branch` is not an index of `state.Choices`
 * @example
 * await searchJsonataBranch(state, 'default', {
 *   current,
 *   evaluate: (index, bindings) => evaluateCondition(state.Choices[index].Condition, bindings),
 * });
 */
export async function searchJsonataBranch(state: ChoiceState, branch: number | 'default', ctx: JsonataBranchSearchContext): Promise<SolveResult> {
  const choices = state.Choices ?? [];
  if (branch !== 'default' && !(Number.isInteger(branch) && branch >= 0 && branch < choices.length)) {
    throw new RangeError(`branch ${String(branch)} is not a rule of this Choice state, which has ${choices.length} (0 to ${choices.length - 1}) besides 'default'`);
  }
  const last = branch === 'default' ? choices.length : branch + 1;
  const targets: Target[] = [];
  for (let i = 0; i < last; i++) {
    const condition = choices[i].Condition;
    if (typeof condition !== 'string' && typeof condition !== 'boolean') {
      return { kind: 'unknown', reason: `Choices[${i}] has no JSONata Condition; solve JSONPath rules with solveChoiceBranch` };
    }
    targets.push({ index: i, condition, want: i === branch });
  }
  const describe = branch === 'default' ? 'the Default (every Condition false)' : `Choices[${branch}] (the Conditions before it false, it true)`;
  return searchConditions(targets, ctx, describe);
}
