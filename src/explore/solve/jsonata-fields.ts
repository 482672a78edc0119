import { isPlainStep, literalOf } from './jsonata-items';
import { formatPath } from './paths';
import type { Step } from '../../asl/path';

/*
 * The syntax tree of a JSONata expression, as the jsonata library parses it, and the fields it
 * reads: under `$states.input`, `.result`, `.errorOutput`, `.context` and the workflow variables,
 * each by its root and steps, and the names the expression binds itself. What the rest of the
 * solver reads of an expression (jsonata-ast.ts, the hints, the flow of values) starts here.
 */

/** A node of the jsonata library's syntax tree (`jsonata(text).ast()`). */
export type JsonataNode = Record<string, any>;

/** Where a field a JSONata expression reads lives. */
export type FieldRoot = 'input' | 'context' | 'result' | 'errorOutput' | { readonly variable: string };

/** A field read: its text in the expression's spelling (`$states.input.a.b`, `$v.x`), its root and its steps. */
export interface FieldRef {
  readonly key: string;
  readonly root: FieldRoot;
  readonly steps: readonly Step[];
}

const parsed = new Map<string, { ast: JsonataNode } | { error: string }>();

let jsonataParser: typeof import('jsonata') | undefined;
/** The JSONata engine, loaded by the first expression read: coverage reads Choices through here, and a JSONPath machine's run never loads it. */
function jsonata(expression: string): ReturnType<typeof import('jsonata')> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
  jsonataParser ??= require('jsonata') as typeof import('jsonata');
  return jsonataParser(expression);
}
const PARSED_LIMIT = 10_000;

/** The syntax tree of an expression (without its `{% %}`), or why it does not parse; parsed once per text. */
export function parseJsonata(expression: string): { ast: JsonataNode } | { error: string } {
  const cached = parsed.get(expression);
  if (cached !== undefined) return cached;
  let out: { ast: JsonataNode } | { error: string };
  try {
    out = { ast: jsonata(expression).ast() as JsonataNode };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    out = { error: `${err.code ?? 'S0000'}: ${err.message ?? String(e)}` };
  }
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(expression, out);
  return out;
}

/** An expression's text without its `{% %}` delimiters. */
export function stripDelimiters(text: string): string {
  const t = text.trim();
  return t.startsWith('{%') && t.endsWith('%}') ? t.slice(2, -2).trim() : t;
}

/** The filters of a step: a name's `stages`, a variable's `predicate` (`$items[0]`). */
export function stagesOf(step: JsonataNode | undefined): JsonataNode[] | undefined {
  return (step?.stages ?? step?.predicate) as JsonataNode[] | undefined;
}

/** The literal index of a step like `items[0]`, `undefined` without a stage, NaN for another stage. */
function indexStage(step: JsonataNode): number | undefined {
  const stages = stagesOf(step);
  if (stages === undefined) return undefined;
  if (stages.length !== 1 || stages[0].type !== 'filter' || stages[0].expr?.type !== 'number') return Number.NaN;
  const n = stages[0].expr.value;
  return Number.isInteger(n) && n >= 0 ? n : Number.NaN;
}

const STATES_ROOTS = new Set(['input', 'context', 'result', 'errorOutput']);

/** The text of a field in the expression's spelling. */
export function fieldKey(root: FieldRoot, steps: readonly Step[]): string {
  if (typeof root === 'object') return formatPath({ kind: 'variable', name: root.variable }, steps);
  return `$states.${root}${formatPath({ kind: 'input' }, steps).slice(1)}`;
}

/**
 * The field a path node or variable node reads, as far as it goes by plain
 * names and literal indexes (`whole`: to its end), or `undefined` for a path
 * that starts elsewhere; `$states` read as a whole is `{ key: '$states' }`.
 */
export function fieldOf(node: JsonataNode, local: ReadonlySet<string>): { ref: FieldRef; whole: boolean; at: number } | { key: '$states' } | undefined {
  let steps: JsonataNode[];
  if (node.type === 'variable') steps = [node];
  else if (node.type === 'path' && Array.isArray(node.steps)) steps = node.steps;
  else return undefined;
  const first = steps[0];
  if (!first || first.type !== 'variable' || typeof first.value !== 'string' || first.value === '' || first.stages) return undefined;
  if (first.value === 'states' && first.predicate) return undefined;
  const name = first.value as string;
  // A built-in's name read as a value is a workflow variable (variables shadow the built-ins); called, it is the function.
  if (local.has(name)) return undefined;
  let root: FieldRoot;
  let k = 1;
  const path: Step[] = [];
  if (name === 'states') {
    const second = steps[1];
    if (!second || !isPlainStep(second, 'name') || !STATES_ROOTS.has(second.value)) return { key: '$states' };
    // `$states.result[0]`: an index on the root is a step like any other; another stage (a filter) ends the field there.
    const index = indexStage(second);
    root = second.value as FieldRoot;
    if (Number.isNaN(index)) return { ref: { key: fieldKey(root, []), root, steps: [] }, whole: false, at: 1 };
    if (index !== undefined) path.push(index);
    k = 2;
  } else {
    root = { variable: name };
    // `$items[0]`: an index on the variable is a step; a filter (`$fields[Type = "X"]`) ends the field there.
    const index = indexStage(first);
    if (Number.isNaN(index)) return { ref: { key: fieldKey(root, []), root, steps: [] }, whole: false, at: 0 };
    if (index !== undefined) path.push(index);
  }
  for (; k < steps.length; k++) {
    const step = steps[k];
    if (!isPlainStep(step, 'name')) break;
    const index = indexStage(step);
    if (Number.isNaN(index)) break;
    path.push(step.value);
    if (index !== undefined) path.push(index);
  }
  return { ref: { key: fieldKey(root, path), root, steps: path }, whole: k === steps.length, at: k };
}

/** Takes the text of a field apart (`$states.result.a[0]`, `$v.x`): the inverse of {@link fieldKey}. */
export function parseFieldKey(key: string): FieldRef | undefined {
  const r = parseJsonata(key);
  if ('error' in r) return undefined;
  const f = fieldOf(r.ast, new Set());
  return f && 'ref' in f && f.whole ? f.ref : undefined;
}

/** The names an expression binds itself (`$x := …`, lambda parameters): not workflow variables. */
export function localNames(ast: JsonataNode): Set<string> {
  const local = new Set<string>();
  const collect = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(collect); return; }
    const n = node as JsonataNode;
    if (n.type === 'bind' && n.lhs?.type === 'variable') local.add(n.lhs.value);
    if (n.type === 'lambda' && Array.isArray(n.arguments)) for (const a of n.arguments) if (a?.type === 'variable') local.add(a.value);
    for (const key of Object.keys(n)) if (typeof n[key] === 'object') collect(n[key]);
  };
  collect(ast);
  return local;
}

/** What the names a block of the expression binds (`$x := ...`) stand for. */
export function bindings(ast: JsonataNode): Map<string, JsonataNode> {
  const out = new Map<string, JsonataNode>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    const n = node as JsonataNode;
    if (n.type === 'bind' && n.lhs?.type === 'variable' && !out.has(n.lhs.value)) out.set(n.lhs.value, n.rhs);
    for (const k of Object.keys(n)) if (typeof n[k] === 'object') visit(n[k]);
  };
  visit(ast);
  return out;
}

/**
 * The first index a range of indexes keeps (`[[1..100]]`, the header row of a table left out), or
 * undefined for anything else: the bounds literals, the range not empty.
 */
export function rangeStart(e: JsonataNode): number | undefined {
  const ranges = e.type === 'unary' && e.value === '[' ? (e.expressions as JsonataNode[] | undefined) : undefined;
  const range = ranges?.length === 1 ? ranges[0] : undefined;
  if (range?.type !== 'binary' || range.value !== '..') return undefined;
  const from = literalOf(range.lhs);
  const to = literalOf(range.rhs);
  return typeof from === 'number' && typeof to === 'number' && from <= to ? from : undefined;
}
