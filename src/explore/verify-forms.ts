import { isPlainStep, parseJsonata, stripDelimiters, type JsonataNode } from './solve/jsonata-ast';
import type { MachineGraph } from './verify-graph';
import type { ChoiceRule } from '../asl';

/*
 * The forms of Assign values and Choice conditions the loop bounds of verify-counters.ts read: a
 * counter set to a number or moved by one, a time read off the execution's clock and kept, a
 * comparison of counters with numbers, of now with such a time; and what a condition can be with
 * the values the unrolled graph holds. Anything else is no form: may be true or false.
 */

/** The slot name of a clock variable's wait since its time was read: kept apart from the counters' names. */
export const sinceSlot = (variable: string): string => `\u0002since:${variable}`;

/**
 * The clock variable that stands for `$states.context.Execution.StartTime` read in a condition: a
 * time read when the execution started, never assigned, so the run has waited since at least every
 * Wait it has left at the top level (a name no Assign key can be: it holds dots).
 * @internal
 */
export const START_TIME = '$states.context.Execution.StartTime';

/** Calls `visit` on every node of a parsed JSONata expression. */
export function eachNode(node: unknown, visit: (node: JsonataNode) => void): void {
  if (node === null || typeof node !== 'object') return;
  visit(node as JsonataNode);
  for (const child of Object.values(node)) eachNode(child, visit);
}

/** A counter's value at a node: a number, not assigned yet, or unknown. */
export type Value = number | 'unset' | 'unknown';

/** How an Assign sets a counter: to a number, or to a counter plus a number. */
export type Update = { readonly kind: 'const'; readonly value: number } | { readonly kind: 'add'; readonly from: string; readonly delta: number };

/** The variable an Assign key sets (`n`, or `n.$` in JSONPath) and whether the value is an expression. */
export function keyOf(key: string, jsonata: boolean): { name: string; expression: boolean } {
  if (!jsonata && key.endsWith('.$')) return { name: key.slice(0, -2), expression: true };
  return { name: key, expression: false };
}

/** How one Assign value sets a variable, when it is a form the counters follow. */
export function updateOf(value: unknown, jsonata: boolean, expression: boolean): Update | undefined {
  if (typeof value === 'number' && !expression) return { kind: 'const', value };
  if (typeof value !== 'string') return undefined;
  if (!jsonata) {
    if (!expression) return undefined;
    const m = /^\s*States\.MathAdd\(\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)\s*$/.exec(value);
    if (m) return { kind: 'add', from: m[1], delta: Number(m[2]) };
    const copy = /^\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(value);
    return copy ? { kind: 'add', from: copy[1], delta: 0 } : undefined;
  }
  const t = value.trim();
  if (!t.startsWith('{%') || !t.endsWith('%}')) return undefined;
  const parsed = parseJsonata(stripDelimiters(t));
  if ('error' in parsed) return undefined;
  return updateOfNode(parsed.ast);
}

function updateOfNode(node: JsonataNode): Update | undefined {
  if (node.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1) return updateOfNode(node.expressions[0]);
  const lit = numberOf(node);
  if (lit !== undefined) return { kind: 'const', value: lit };
  const v = variableOf(node);
  if (v !== undefined) return { kind: 'add', from: v, delta: 0 };
  if (node.type === 'binary' && (node.value === '+' || node.value === '-')) {
    const l = variableOf(node.lhs);
    const r = numberOf(node.rhs);
    if (l !== undefined && r !== undefined) return { kind: 'add', from: l, delta: node.value === '+' ? r : -r };
    if (node.value === '+' && numberOf(node.lhs) !== undefined && variableOf(node.rhs) !== undefined) {
      return { kind: 'add', from: variableOf(node.rhs)!, delta: numberOf(node.lhs)! };
    }
  }
  return undefined;
}

function numberOf(node: JsonataNode | undefined): number | undefined {
  if (!node) return undefined;
  if (node.type === 'number' && typeof node.value === 'number') return node.value;
  if (node.type === 'unary' && node.value === '-' && node.expression?.type === 'number') return -node.expression.value;
  if (node.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1) return numberOf(node.expressions[0]);
  return undefined;
}

/** The name of a plain variable read (`$n`), not `$states` and not a path into it. */
export function variableOf(node: JsonataNode | undefined): string | undefined {
  if (!node || !isPlainStep(node, 'variable') || node.stages !== undefined) return undefined;
  return node.value === 'states' || node.value === '' ? undefined : node.value;
}

/** Every Assign of the machine: the scope it sets, its language, and the object (or what stands in its place). */
export function assignsOf(graph: MachineGraph, language: 'JSONPath' | 'JSONata'): Array<{ assign: unknown; jsonata: boolean; scope: string }> {
  const out: Array<{ assign: unknown; jsonata: boolean; scope: string }> = [];
  for (const [name, state] of graph.states()) {
    const scope = graph.scopeOf(name)?.pointer ?? '';
    const jsonata = (state.QueryLanguage ?? language) === 'JSONata';
    const add = (assign: unknown): void => { if (assign !== undefined) out.push({ assign, jsonata, scope }); };
    add(state.Assign);
    for (const c of state.Catch ?? []) add(c.Assign);
    if (state.Type === 'Choice') for (const r of state.Choices ?? []) add(r.Assign);
  }
  return out;
}

/** The variables of `names` a Choice rule of the machine reads, or that such a variable is copied from. */
export function conditionVariables(graph: MachineGraph): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown): void => eachNode(node, (n) => {
    const v = variableOf(n);
    if (v !== undefined) out.add(v);
  });
  for (const [, state] of graph.states()) {
    if (state.Type !== 'Choice') continue;
    for (const r of state.Choices ?? []) {
      if (typeof r.Condition === 'string') {
        const parsed = parseJsonata(stripDelimiters(r.Condition));
        if (!('error' in parsed)) walk(parsed.ast);
      }
      jsonPathVariables(r, out);
    }
  }
  return out;
}

function jsonPathVariables(r: ChoiceRule, out: Set<string>): void {
  const v = typeof r.Variable === 'string' ? /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(r.Variable) : null;
  if (v) out.add(v[1]);
  for (const sub of [...(r.And ?? []), ...(r.Or ?? []), ...(r.Not ? [r.Not] : [])]) jsonPathVariables(sub, out);
}

/** Whether the scope at pointer `outer` holds the one at `inner` (and is not it). */
export const holds = (outer: string, inner: string): boolean => outer !== inner && (outer === '' || inner.startsWith(`${outer}/`));

/** How an Assign sets a clock variable: to a clock read, kept, kept when it holds a time and else read, or to no time. */
type ClockUpdate = 'read' | 'keep' | 'keepOrRead' | 'clear';

/** A path of plain names from `$states` (`$states.context.State.EnteredTime`), or undefined. */
function statesPath(node: JsonataNode | undefined): string | undefined {
  if (!node || node.type !== 'path' || !Array.isArray(node.steps)) return undefined;
  const [first, ...rest] = node.steps as JsonataNode[];
  if (!first || !isPlainStep(first, 'variable') || first.stages !== undefined || first.value !== 'states') return undefined;
  if (!rest.every((st) => isPlainStep(st, 'name') && st.stages === undefined)) return undefined;
  return ['$states', ...rest.map((st) => st.value as string)].join('.');
}

/** Whether an expression reads the time now: the state's EnteredTime, or `$now()`. */
function readsNow(node: JsonataNode | undefined): boolean {
  if (!node) return false;
  if (node.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1) return readsNow(node.expressions[0]);
  if (statesPath(node) === '$states.context.State.EnteredTime') return true;
  return node.type === 'function' && isPlainStep(node.procedure, 'variable') && node.procedure.value === 'now' && (node.arguments?.length ?? 0) === 0;
}

/** Whether an expression reads the clock: now, or the execution's StartTime (a time before now). */
function readsClock(node: JsonataNode | undefined): boolean {
  return readsNow(node) || statesPath(node) === START_TIME;
}

/** How one Assign value sets clock variable `name`, when it is a form the clock bound follows. */
export function clockUpdateOf(name: string, value: unknown, jsonata: boolean, expression: boolean): ClockUpdate | undefined {
  if (typeof value !== 'string') return value === undefined || expression ? undefined : 'clear';
  if (!jsonata) {
    if (!expression) return undefined;
    const t = value.trim();
    if (t === '$$.State.EnteredTime' || t === '$$.Execution.StartTime') return 'read';
    return t === `$${name}` ? 'keep' : undefined;
  }
  const t = value.trim();
  if (!t.startsWith('{%') || !t.endsWith('%}')) return undefined;
  const parsed = parseJsonata(stripDelimiters(t));
  if ('error' in parsed) return undefined;
  let node: JsonataNode = parsed.ast;
  while (node.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1) node = node.expressions[0];
  if (readsClock(node)) return 'read';
  if (variableOf(node) === name) return 'keep';
  if (node.type === 'condition' && variableOf(node.then) === name && readsClock(node.else)) {
    const c = node.condition;
    const typeOf = (n: JsonataNode | undefined): boolean => n?.type === 'function' && isPlainStep(n.procedure, 'variable') && n.procedure.value === 'type'
      && n.arguments?.length === 1 && variableOf(n.arguments[0]) === name;
    const isString = (n: JsonataNode | undefined): boolean => n?.type === 'string' && n.value === 'string';
    if (c?.type === 'binary' && c.value === '=' && ((typeOf(c.lhs) && isString(c.rhs)) || (typeOf(c.rhs) && isString(c.lhs)))) return 'keepOrRead';
  }
  return undefined;
}

/** Whether a node is `$millis()`: now, in milliseconds already. */
const isMillis = (node: JsonataNode): boolean => node.type === 'function' && isPlainStep(node.procedure, 'variable') && node.procedure.value === 'millis' && (node.arguments?.length ?? 0) === 0;

/** `$toMillis(<now>)`, `$millis()`, `$toMillis($t)` or the execution's start, plus or minus a number: which, and the number. */
function clockTerm(node: JsonataNode | undefined): { readonly now: boolean; readonly variable?: string; readonly offset: number } | undefined {
  if (!node) return undefined;
  if (isMillis(node)) return { now: true, offset: 0 };
  if (node.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1) return clockTerm(node.expressions[0]);
  if (node.type === 'binary' && (node.value === '+' || node.value === '-')) {
    const r = numberOf(node.rhs);
    const l = clockTerm(node.lhs);
    if (l !== undefined && r !== undefined) return { ...l, offset: l.offset + (node.value === '+' ? r : -r) };
    const lnum = numberOf(node.lhs);
    const rt = node.value === '+' ? clockTerm(node.rhs) : undefined;
    if (lnum !== undefined && rt !== undefined) return { ...rt, offset: rt.offset + lnum };
    return undefined;
  }
  if (node.type !== 'function' || !isPlainStep(node.procedure, 'variable') || node.procedure.value !== 'toMillis' || node.arguments?.length !== 1) return undefined;
  const arg = node.arguments[0];
  if (readsNow(arg)) return { now: true, offset: 0 };
  if (statesPath(arg) === START_TIME) return { now: false, variable: START_TIME, offset: 0 };
  const v = variableOf(arg);
  return v === undefined ? undefined : { now: false, variable: v, offset: 0 };
}

const FLIPPED: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** `now - $variable <op> limit`, in milliseconds. */
export interface ClockComparison { readonly variable: string; readonly op: string; readonly limit: number }

/**
 * A comparison of now with a clock variable, as `now - $t <op> limit` (milliseconds), or undefined:
 * `$toMillis(<now>) + a <= $toMillis($t) + b` is `now - $t <= b - a`.
 */
export function clockComparison(node: JsonataNode | undefined): ClockComparison | undefined {
  if (!node || node.type !== 'binary' || FLIPPED[node.value] === undefined) return undefined;
  // `<now> - <time> <op> c` (or `c <op> <now> - <time>`): `now - $t <op> c - a + b`.
  const elapsed = elapsedOf(node.lhs);
  const after = numberOf(node.rhs);
  if (elapsed !== undefined && after !== undefined) return { variable: elapsed.variable, op: node.value, limit: after - elapsed.offset };
  const elapsedR = elapsedOf(node.rhs);
  const before = numberOf(node.lhs);
  if (elapsedR !== undefined && before !== undefined) {
    return { variable: elapsedR.variable, op: FLIPPED[node.value], limit: before - elapsedR.offset };
  }
  const l = clockTerm(node.lhs);
  const r = clockTerm(node.rhs);
  if (l?.now && r && !r.now) return { variable: r.variable!, op: node.value, limit: r.offset - l.offset };
  if (r?.now && l && !l.now) return { variable: l.variable!, op: FLIPPED[node.value], limit: l.offset - r.offset };
  return undefined;
}

/** `<now> + a - (<time> + b)`, as the time it reads and `a - b`, or undefined. */
function elapsedOf(node: JsonataNode | undefined): { readonly variable: string; readonly offset: number } | undefined {
  while (node?.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1) node = node.expressions[0];
  if (!node || node.type !== 'binary' || node.value !== '-') return undefined;
  const l = clockTerm(node.lhs);
  const r = clockTerm(node.rhs);
  if (!l?.now || r === undefined || r.now) return undefined;
  return { variable: r.variable!, offset: l.offset - r.offset };
}

/** What a comparison of now with a clock variable can be, when the run has waited at least `waited` ms since its time was read. */
function clockTruth(op: string, limit: number, waited: Value): Truth {
  if (typeof waited !== 'number') return EITHER;
  switch (op) {
    case '<=': return waited > limit ? { t: false, f: true } : EITHER;
    case '<': return waited >= limit ? { t: false, f: true } : EITHER;
    case '>=': return waited >= limit ? { t: true, f: false } : EITHER;
    case '>': return waited > limit ? { t: true, f: false } : EITHER;
    default: return EITHER;
  }
}

/** Whether a condition can be true, and can be false, with these counter values (an error takes no edge). */
export interface Truth { readonly t: boolean; readonly f: boolean }
export const EITHER: Truth = { t: true, f: true };

function numericValue(node: JsonataNode | undefined, at: ReadonlyMap<string, Value>): Value {
  if (!node) return 'unknown';
  const lit = numberOf(node);
  if (lit !== undefined) return lit;
  const v = variableOf(node);
  if (v !== undefined) return at.get(v) ?? 'unknown';
  if (node.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1) return numericValue(node.expressions[0], at);
  if (node.type === 'binary' && (node.value === '+' || node.value === '-' || node.value === '*')) {
    const l = numericValue(node.lhs, at);
    const r = numericValue(node.rhs, at);
    if (typeof l !== 'number' || typeof r !== 'number') return 'unknown';
    return node.value === '+' ? l + r : node.value === '-' ? l - r : l * r;
  }
  return 'unknown';
}

function compare(op: string, l: number, r: number): boolean | undefined {
  switch (op) {
    case '<': return l < r;
    case '<=': return l <= r;
    case '>': return l > r;
    case '>=': return l >= r;
    case '=': return l === r;
    case '!=': return l !== r;
    default: return undefined;
  }
}

/**
 * The truth each shared condition of one Choice is taken to have (see {@link sharedAtoms}), by its
 * key; a condition not in it may be true or false.
 */
export type Fixed = ReadonlyMap<string, boolean>;
const NONE_FIXED: Fixed = new Map();

/** A condition's truth where the counters do not decide it: the one `fixed` gives it, else either. */
const opaque = (key: string, fixed: Fixed): Truth => {
  const got = fixed.get(key);
  return got === undefined ? EITHER : { t: got, f: !got };
};

function truthOf(node: JsonataNode | undefined, at: ReadonlyMap<string, Value>, fixed: Fixed): Truth {
  if (!node) return EITHER;
  if (node.type === 'value' && typeof node.value === 'boolean') return { t: node.value, f: !node.value };
  if (node.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1) return truthOf(node.expressions[0], at, fixed);
  if (node.type === 'binary') {
    if (node.value === 'and' || node.value === 'or') {
      const l = truthOf(node.lhs, at, fixed);
      const r = truthOf(node.rhs, at, fixed);
      return node.value === 'and' ? { t: l.t && r.t, f: l.f || r.f } : { t: l.t || r.t, f: l.f && r.f };
    }
    const clock = clockComparison(node);
    if (clock !== undefined) return clockTruth(clock.op, clock.limit, at.get(sinceSlot(clock.variable)) ?? 'unknown');
    const l = numericValue(node.lhs, at);
    const r = numericValue(node.rhs, at);
    if (typeof l === 'number' && typeof r === 'number') {
      const got = compare(node.value, l, r);
      if (got !== undefined) return { t: got, f: !got };
    }
    return fixed.size === 0 ? EITHER : opaque(nodeKey(node), fixed);
  }
  if (node.type === 'function' && node.procedure?.type === 'variable' && node.procedure.value === 'not' && node.arguments?.length === 1) {
    const inner = truthOf(node.arguments[0], at, fixed);
    return { t: inner.f, f: inner.t };
  }
  return fixed.size === 0 ? EITHER : opaque(nodeKey(node), fixed);
}

/** Functions whose value is not the same each time a Choice's rules call them: a condition calling one is never shared. */
const UNSTEADY = new Set(['now', 'millis', 'random', 'uuid']);

/** A parsed expression written as text, its positions left out: two conditions written alike have one key. */
function nodeKey(node: JsonataNode): string {
  return JSON.stringify(node, (k, v: unknown) => (k === 'position' ? undefined : v));
}

/** Whether an expression calls a function whose value changes between calls. */
function unsteady(node: JsonataNode): boolean {
  let found = false;
  eachNode(node, (n) => {
    if (n.type === 'function' && isPlainStep(n.procedure, 'variable') && UNSTEADY.has(n.procedure.value as string)) found = true;
  });
  return found;
}

/** The conditions of a JSONata rule the counters cannot decide, each with its key. */
function jsonataAtoms(node: JsonataNode | undefined, out: string[]): void {
  if (!node) return;
  if (node.type === 'value' && typeof node.value === 'boolean') return;
  if (node.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1) return jsonataAtoms(node.expressions[0], out);
  if (node.type === 'binary' && (node.value === 'and' || node.value === 'or')) {
    jsonataAtoms(node.lhs, out);
    jsonataAtoms(node.rhs, out);
    return;
  }
  if (node.type === 'function' && node.procedure?.type === 'variable' && node.procedure.value === 'not' && node.arguments?.length === 1) return jsonataAtoms(node.arguments[0], out);
  if (node.type === 'binary' && clockComparison(node) !== undefined) return;
  if (!unsteady(node)) out.push(nodeKey(node));
}

/** A JSONPath rule's comparison as text, its `Next` and `Assign` left out: two comparisons written alike have one key. */
function leafKey(rule: ChoiceRule): string {
  const { Next: _next, Assign: _assign, Comment: _comment, ...leaf } = rule as ChoiceRule & { Comment?: unknown };
  return JSON.stringify(Object.entries(leaf).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function ruleAtoms(rule: ChoiceRule, out: string[]): void {
  if (typeof rule.Condition === 'boolean') return;
  if (typeof rule.Condition === 'string') {
    const parsed = parseJsonata(stripDelimiters(rule.Condition));
    if (!('error' in parsed)) jsonataAtoms(parsed.ast, out);
    return;
  }
  if (rule.And || rule.Or || rule.Not) {
    for (const sub of [...(rule.And ?? []), ...(rule.Or ?? []), ...(rule.Not ? [rule.Not] : [])]) ruleAtoms(sub, out);
    return;
  }
  out.push(leafKey(rule));
}

/** The most shared conditions whose truths are tried together: 2^this assignments per step. */
const MOST_SHARED = 6;
const sharedCache = new WeakMap<readonly ChoiceRule[], readonly string[]>();

/**
 * The conditions written more than once among a Choice's rules (in one rule or in several) that
 * no counter decides: `$status = 'IN_PROGRESS'` in `$status = 'IN_PROGRESS' and $polls >= 5` and
 * again alone in the next rule. A Choice evaluates its rules one after another on the same input
 * and variables, so such a condition has one value in all of them (a function whose value changes
 * between calls, `$now()`, `$millis()`, `$random()`, `$uuid()`, aside, and a comparison with the
 * clock, which the clock's slot decides): taking each one true, then false, instead of either in
 * each place, keeps the ways no run takes out of the graph. At most MOST_SHARED of them; none past it.
 * @internal
 */
export function sharedAtoms(rules: readonly ChoiceRule[]): readonly string[] {
  let got = sharedCache.get(rules);
  if (got) return got;
  const count = new Map<string, number>();
  for (const r of rules) {
    const atoms: string[] = [];
    ruleAtoms(r, atoms);
    for (const a of atoms) count.set(a, (count.get(a) ?? 0) + 1);
  }
  const shared = [...count].filter(([, n]) => n > 1).map(([a]) => a);
  got = shared.length > MOST_SHARED ? [] : shared;
  sharedCache.set(rules, got);
  return got;
}

const NUMERIC_JSONPATH: Readonly<Record<string, string>> = {
  NumericEquals: '=', NumericLessThan: '<', NumericGreaterThan: '>', NumericLessThanEquals: '<=', NumericGreaterThanEquals: '>=',
};

/**
 * Whether a rule can be true, and can be false, with these counter values, and the shared
 * conditions `fixed` takes true or false (see {@link sharedAtoms}).
 */
export function ruleTruth(rule: ChoiceRule, at: ReadonlyMap<string, Value>, fixed: Fixed = NONE_FIXED): Truth {
  if (typeof rule.Condition === 'boolean') return { t: rule.Condition, f: !rule.Condition };
  if (typeof rule.Condition === 'string') {
    const parsed = parseJsonata(stripDelimiters(rule.Condition));
    return 'error' in parsed ? EITHER : truthOf(parsed.ast, at, fixed);
  }
  // JSONPath: a numeric comparison of a variable with a number, and And, Or, Not of such.
  if (rule.And) return rule.And.map((r) => ruleTruth(r, at, fixed)).reduce((a, b) => ({ t: a.t && b.t, f: a.f || b.f }), { t: true, f: false });
  if (rule.Or) return rule.Or.map((r) => ruleTruth(r, at, fixed)).reduce((a, b) => ({ t: a.t || b.t, f: a.f && b.f }), { t: false, f: true });
  if (rule.Not) {
    const inner = ruleTruth(rule.Not, at, fixed);
    return { t: inner.f, f: inner.t };
  }
  const v = typeof rule.Variable === 'string' ? /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(rule.Variable) : null;
  const value = v ? at.get(v[1]) : undefined;
  if (typeof value !== 'number') return fixed.size === 0 ? EITHER : opaque(leafKey(rule), fixed);
  for (const [op, sym] of Object.entries(NUMERIC_JSONPATH)) {
    const limit = rule[op];
    if (typeof limit === 'number') {
      const got = compare(sym, value, limit)!;
      return { t: got, f: !got };
    }
  }
  return EITHER;
}
