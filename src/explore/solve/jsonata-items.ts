import type { JsonataNode } from './jsonata-ast';
import { sampleMatching } from './regex-sample';
import type { JsonValue } from '../../asl';
import { followSteps } from '../../asl/path';

/*
 * What explore reads of the pieces of a JSONata expression that stand for items and literals: the
 * literal a node is, a plain step, a path under a filter's item, an item a filter or a lambda
 * keeps, an item a mapping step reads, and the parts of a text joined with `&`. The search
 * (jsonata-ast.ts, jsonata-inverse.ts) makes up values with them; every try is still evaluated.
 */

export const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=', 'in']);
export const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

export function isPlainStep(step: JsonataNode, type: string): boolean {
  return step.type === type && typeof step.value === 'string' && Object.keys(step).every((k) => k === 'type' || k === 'value' || k === 'position' || k === 'stages');
}

/** A literal a node stands for: a number, string, boolean, null, a list of such, or a negated number. */
export function literalOf(node: JsonataNode | undefined): JsonValue | undefined {
  if (!node) return undefined;
  if (node.type === 'number' || node.type === 'string') return node.value;
  if (node.type === 'value') return node.value;
  if (node.type === 'unary' && node.value === '[' && Array.isArray(node.expressions)) {
    const items = node.expressions.map(literalOf);
    return items.every((i: JsonValue | undefined) => i !== undefined) ? items : undefined;
  }
  if (node.type === 'unary' && node.value === '-' && node.expression?.type === 'number') return -node.expression.value;
  return undefined;
}

/**
 * The parts of a text joined with `&` (`$region & '/' & $channel`) that are not literals, each with
 * the text it holds when the whole is `text`: what lies between the literals around it (a part with
 * no literal after it takes the rest, the parts after it nothing). None when the literals do not
 * sit in `text` in their order.
 */
export function concatenatedParts(node: JsonataNode, text: string): Array<[JsonataNode, string]> {
  const parts: JsonataNode[] = [];
  const flatten = (x: JsonataNode): void => {
    if (x.type !== 'binary' || x.value !== '&') {
      parts.push(x);
      return;
    }
    flatten(x.lhs);
    flatten(x.rhs);
  };
  flatten(node);
  const out: Array<[JsonataNode, string]> = [];
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const lit = literalOf(parts[i]);
    if (typeof lit === 'string') {
      if (!text.startsWith(lit, at)) return [];
      at += lit.length;
      continue;
    }
    if (lit !== undefined) return [];
    const next = parts.slice(i + 1).map(literalOf).find((l): l is string => typeof l === 'string' && l !== '');
    const end = next === undefined ? text.length : text.indexOf(next, at);
    if (end < 0) return [];
    out.push([parts[i], text.slice(at, end)]);
    at = end;
  }
  return out;
}

/** A path under a filter's item (`a.b`), as its names; undefined for anything else. */
export function relativePath(node: JsonataNode | undefined): string[] | undefined {
  if (node?.type !== 'path') return undefined;
  // `$.status` reads the item as `status` does: the context `$` first is no step.
  const steps = node.steps as JsonataNode[];
  const context = steps[0]?.type === 'variable' && steps[0].value === '' && !steps[0].stages && !steps[0].predicate;
  const names = context ? steps.slice(1) : steps;
  return names.length > 0 && names.every((p) => p.type === 'name' && typeof p.value === 'string' && !p.stages)
    ? names.map((p) => p.value as string) : undefined;
}

/** `value` at `path` under an object (`['a', 'b']`, 1: `{a: {b: 1}}`). */
export function under(path: readonly string[], value: JsonValue): JsonValue {
  return path.reduceRight<JsonValue>((v, k) => ({ [k]: v }), value);
}

/**
 * An item a filter's predicate keeps (`[a.b = lit]`, `[size > 10]`, `[deleted]`, `[kind in ["x", "y"]]`,
 * `[$contains(name, "gift")]`, two of them joined by `and`): each relative path it reads set to a value that
 * passes; `undefined` for any other predicate.
 */
export function filterPassing(e: JsonataNode | undefined): JsonValue | undefined {
  if (e === undefined) return undefined;
  if (e.type === 'binary' && e.value === 'and') {
    const a = filterPassing(e.lhs);
    const b = filterPassing(e.rhs);
    return isRecord(a ?? null) && isRecord(b ?? null) ? merged(a!, b!) : undefined;
  }
  // A field read alone keeps the items where it is true.
  const alone = relativePath(e);
  if (alone) return under(alone, true);
  // `$contains(name, "gift")`, `$contains(name, /gift/)`: the item holding a text it finds.
  if (e.type === 'function' && e.procedure?.type === 'variable' && e.procedure.value === 'contains') {
    const [of, text] = (e.arguments ?? []) as JsonataNode[];
    const path = relativePath(of);
    const lit = literalOf(text);
    const found = typeof lit === 'string' ? lit : text?.type === 'regex' && text.value instanceof RegExp ? sampleMatching(text.value) : undefined;
    return path && found !== undefined ? under(path, found) : undefined;
  }
  const path = e.type === 'binary' ? relativePath(e.lhs) : undefined;
  const lit = literalOf(e.rhs);
  if (!path || lit === undefined) return undefined;
  let value: JsonValue | undefined;
  if (e.value === '=' || ((e.value === '>=' || e.value === '<=') && typeof lit === 'number')) value = lit;
  else if (e.value === '>' && typeof lit === 'number') value = lit + 1;
  else if (e.value === '<' && typeof lit === 'number') value = lit - 1;
  else if (e.value === 'in' && Array.isArray(lit) && lit.length > 0) value = lit[0];
  else if (e.value === '!=') value = typeof lit === 'number' ? lit + 1 : typeof lit === 'string' ? `${lit}x` : typeof lit === 'boolean' ? !lit : 'x';
  return value === undefined ? undefined : under(path, value);
}

/**
 * A value a lambda's item parameter (its first, or the one at `at`: `$reduce`'s second) can take
 * for the lambda to give something true: each path of the parameter its body reads set to the
 * literal it is compared with, `number` where arithmetic takes it, else `true`.
 */
export function itemPassing(lambda: JsonataNode, at = 0, number = 1): JsonValue | undefined {
  const param = (lambda.arguments as JsonataNode[] | undefined)?.[at];
  if (param?.type !== 'variable') return undefined;
  let item: JsonValue = {};
  let found = false;
  const set = (steps: readonly string[], value: JsonValue): void => {
    let out: JsonValue = value;
    for (let i = steps.length - 1; i >= 0; i--) out = { [steps[i]]: out };
    item = merged(item, out);
    found = true;
  };
  const pathOf = (node: JsonataNode | undefined): string[] | undefined => {
    if (node?.type !== 'path' || node.steps?.[0]?.type !== 'variable' || node.steps[0].value !== param.value) return undefined;
    const rest = (node.steps as JsonataNode[]).slice(1);
    return rest.every((st) => isPlainStep(st, 'name') && !st.stages) ? rest.map((st) => st.value as string) : undefined;
  };
  const isParam = (node: JsonataNode | undefined): boolean =>
    node?.type === 'variable' && node.value === param.value && !node.predicate && !node.stages;
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    const n = node as JsonataNode;
    if (n.type === 'binary' && COMPARISONS.has(n.value)) {
      // The parameter compared itself (`$sift(flags, function($v) { $v = true })`): the item is the value that passes.
      const path = pathOf(n.lhs) ?? (isParam(n.lhs) ? [] : undefined);
      const lit = literalOf(n.rhs);
      if (path && lit !== undefined && !Array.isArray(lit)) {
        set(path, typeof lit === 'number' && (n.value === '>' || n.value === '!=') ? lit + 1 : typeof lit === 'number' && n.value === '<' ? lit - 1 : lit);
        return;
      }
      // `$e.type in ["click", "view"]`: one of the list.
      if (path && n.value === 'in' && Array.isArray(lit) && lit.length > 0) {
        set(path, lit[0]);
        return;
      }
    }
    if (n.type === 'binary' && ARITHMETIC.has(n.value)) {
      for (const side of [n.lhs, n.rhs]) {
        const operand = pathOf(side);
        if (operand && operand.length > 0) set(operand, number);
      }
    }
    const path = pathOf(n);
    if (path && path.length > 0) { if (followSteps(item, path) === undefined) set(path, true); return; }
    for (const key of Object.keys(n)) if (typeof n[key] === 'object') visit(n[key]);
  };
  visit(lambda.body);
  return found ? item : undefined;
}

/** An item a mapping step (`.(price * quantity)`) reads: each relative path it reads set to `value`. */
export function mappedItem(block: JsonataNode, value: JsonValue): JsonValue | undefined {
  let item: JsonValue = {};
  let found = false;
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    const n = node as JsonataNode;
    if (n.type === 'path' && Array.isArray(n.steps) && (n.steps as JsonataNode[]).every((st) => isPlainStep(st, 'name') && !st.stages)) {
      let v: JsonValue = value;
      for (const st of [...(n.steps as JsonataNode[])].reverse()) v = { [st.value]: v };
      item = merged(item, v);
      found = true;
      return;
    }
    for (const key of Object.keys(n)) if (typeof n[key] === 'object') visit(n[key]);
  };
  visit(block.expressions);
  return found ? item : undefined;
}

/** `b` laid on `a`: objects merged field by field, anything else replaced. */
export function merged(a: JsonValue, b: JsonValue): JsonValue {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) return b;
  const out: Record<string, JsonValue> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Object.hasOwn(out, k) ? merged(out[k], v) : v;
  return out;
}

function isRecord(v: JsonValue): v is Record<string, JsonValue> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
