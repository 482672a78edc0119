import { ANY, join, readKey, type AbstractScope, type AbstractValue } from './abstract-values';
import { assume, isInputKey, variableOfKey, type Facts } from './assume';
import type { StateInfo } from './goals';
import type { ChoiceState, JsonValue, StateDefinition } from '../asl';
import { parseJsonata, stripDelimiters, type JsonataNode } from './solve/jsonata-ast';
import { isJsonataExpression } from '../asl/jsonata/expression';

/*
 * What a run knows on entering a state from the Choice branches it took: a branch is taken only
 * when the rules before it came out false and its own true, which narrows what their plain reads
 * give (assume.ts). A fact lasts as long as no state changes the value it reads (factsAfter), and
 * a state knows only what every way into it brings (entryFacts). flow-proofs.ts starts its ways
 * with these facts and adds those of the branches on the way.
 */

/** Facts, each with the Choice branches (`Valid?#default`) that told it. */
export type Known = ReadonlyMap<string, { readonly v: AbstractValue; readonly from: readonly string[] }>;

const NO_FACTS: Known = new Map();
/** How many times each state of a scope may be visited before {@link entryFacts} gives up (and knows nothing). */
const MAX_VISITS = 64;
const entries = new WeakMap<ReadonlyMap<string, StateInfo>, Map<string, Known>>();

/** What factsAfter reads of the values at a state's entry: its input and variables, and the facts known there. */
export interface FactFlow {
  readonly input: AbstractValue;
  readonly variables: ReadonlyMap<string, AbstractValue>;
  readonly facts?: Facts;
}

/** The branch (`Check#1`, `Check#default`) by which Choice `name` leads to `next` when only one does; none for another state. */
export function branchTo(states: ReadonlyMap<string, StateInfo>, name: string, next: string): string[] {
  const def = states.get(name)?.def;
  if (def?.Type !== 'Choice') return [];
  const taking = def.Choices.flatMap((r, i) => (r.Next === next ? [`${name}#${i}`] : []));
  if (def.Default === next) taking.push(`${name}#default`);
  return taking.length === 1 ? taking : [];
}

/**
 * What the facts are once `info` ran to `next`: a JSONata Choice that keeps its input adds what
 * its branch to `next` tells (the rules before false, its own true); facts of the input hold on
 * only through a state that passes its input on unchanged, facts of a variable until it is
 * assigned again.
 */
export function factsAfter(info: StateInfo, before: FactFlow, next: string | undefined): Facts | undefined {
  if (info.language !== 'JSONata') return undefined;
  const def = info.def as StateDefinition & { Assign?: object; Output?: JsonValue };
  const assigned = new Set(Object.keys(def.Assign ?? {}));
  if (def.Type === 'Choice') for (const r of def.Choices) for (const k of Object.keys((r as { Assign?: object }).Assign ?? {})) assigned.add(k);
  const keepsInput = def.Output === undefined && (def.Type === 'Pass' || def.Type === 'Wait'
    || (def.Type === 'Choice' && def.Choices.every((r) => (r as { Output?: unknown }).Output === undefined)));
  let facts: Facts = before.facts ?? new Map();
  if (def.Type === 'Choice' && keepsInput && next !== undefined) {
    const scope: AbstractScope = { states: { input: before.input }, variables: before.variables, facts };
    facts = branchFacts(def, next, scope) ?? facts;
  }
  const kept = new Map<string, AbstractValue>();
  const copies = def.Type === 'Choice' ? undefined : copiesOf(def.Assign, def.Output, before.input);
  for (const [k, v] of facts) {
    const variable = variableOfKey(k);
    if (variable === undefined ? keepsInput && isInputKey(k) : !assigned.has(variable)) kept.set(k, v);
    // A fact of a read the state copies whole into its output or a variable holds of the copy.
    for (const to of copies?.(k) ?? []) if (!kept.has(to)) kept.set(to, v);
  }
  return kept.size === 0 ? undefined : kept;
}

/**
 * Where a state copies what a read gives: for a fact's key, the keys of the same value once the
 * state ran (`states.input.k` of its output, a variable it assigns). Followed: an Assign or an
 * object constructor in Output whose field is a plain read (`"x": "{% $states.input.subject %}"`,
 * `{"k": $v}`), which holds what the read gives, and an Output of `$merge` over `$states.input`
 * (never a list) and object constructors, which keeps each field of the input no constructor names.
 */
function copiesOf(assign: object | undefined, output: JsonValue | undefined, input: AbstractValue): ((key: string) => string[]) | undefined {
  const reads: Array<{ from: string; to: string }> = [];
  for (const [name, tpl] of Object.entries(assign ?? {})) {
    const from = readOf(tpl);
    if (from !== undefined) reads.push({ from, to: name });
  }
  const out = typeof output === 'string' && isJsonataExpression(output) ? parseJsonata(stripDelimiters(output)) : undefined;
  const ast = out === undefined || 'error' in out ? undefined : unwrap(out.ast);
  let merged: { named: Set<string> } | undefined;
  if (ast !== undefined && readKey(ast) === 'states.input') {
    merged = { named: new Set() };
  } else if (ast?.type === 'unary' && ast.value === '{') {
    for (const [k, from] of constructorFields(ast) ?? []) if (from !== undefined) reads.push({ from, to: `states.input.${k}` });
  } else if (ast !== undefined && !input.arr) {
    merged = mergeOverInput(ast);
  }
  if (reads.length === 0 && merged === undefined) return undefined;
  return (key) => {
    const to = reads.filter((r) => r.from === key).map((r) => r.to);
    // The field a key reads first (`name` of `states.input.name#length`): one the $merge names is set again.
    if (merged !== undefined && key.startsWith('states.input.') && !merged.named.has(key.split('.')[2].split('#')[0])) to.push(key);
    return to;
  };
}

/** The key a template that is one plain read gives (`{% $states.input.a %}`), else undefined. */
function readOf(tpl: unknown): string | undefined {
  if (typeof tpl !== 'string' || !isJsonataExpression(tpl)) return undefined;
  const parsed = parseJsonata(stripDelimiters(tpl));
  return 'error' in parsed ? undefined : readKey(unwrap(parsed.ast));
}

function unwrap(node: JsonataNode): JsonataNode {
  return node?.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1 ? unwrap(node.expressions[0]) : node;
}

/** The fields an object constructor names, each with the key of the plain read it holds (undefined for another expression); undefined when a name is not a literal. */
function constructorFields(node: JsonataNode): Map<string, string | undefined> | undefined {
  const fields = new Map<string, string | undefined>();
  for (const pair of (node.lhs as JsonataNode[][] | undefined) ?? []) {
    if (pair[0]?.type !== 'string' || typeof pair[0].value !== 'string') return undefined;
    fields.set(pair[0].value, readKey(unwrap(pair[1])));
  }
  return fields;
}

/** `$merge([..., $states.input, ...])` whose other items are object constructors: the fields they name (which the input's may not show through). */
function mergeOverInput(node: JsonataNode): { named: Set<string> } | undefined {
  if (node?.type !== 'function' || node.procedure?.type !== 'variable' || node.procedure.value !== 'merge') return undefined;
  const list = (node.arguments as JsonataNode[] | undefined)?.[0];
  if ((node.arguments as JsonataNode[]).length !== 1 || list?.type !== 'unary' || list.value !== '[') return undefined;
  const named = new Set<string>();
  let inputs = 0;
  for (const item of (list.expressions as JsonataNode[] | undefined) ?? []) {
    const e = unwrap(item);
    if (readKey(e) === 'states.input') { inputs++; continue; }
    if (e?.type !== 'unary' || e.value !== '{') return undefined;
    const fields = constructorFields(e);
    if (fields === undefined) return undefined;
    for (const k of fields.keys()) named.add(k);
  }
  return inputs === 1 ? { named } : undefined;
}

/** The facts a run holds once it took the one branch of `def` that leads to `next`; undefined when none or several do, or a rule is not JSONata. */
function branchFacts(def: ChoiceState, next: string, scope: AbstractScope): Facts | undefined {
  const taking = def.Choices.flatMap((r, i) => (r.Next === next ? [i] : []));
  if (def.Default === next) taking.push(def.Choices.length);
  if (taking.length !== 1) return undefined;
  const branch = taking[0];
  const conditions: JsonataNode[] = [];
  for (const r of def.Choices.slice(0, branch + 1)) {
    const c = r.Condition;
    if (typeof c !== 'string' || !isJsonataExpression(c)) return undefined;
    const parsed = parseJsonata(stripDelimiters(c));
    if ('error' in parsed) return undefined;
    conditions.push(parsed.ast);
  }
  const taken = branch < def.Choices.length ? conditions[branch] : undefined;
  let facts = scope.facts ?? new Map<string, AbstractValue>();
  const apply = (node: JsonataNode, want: boolean): void => { facts = assume(node, want, { ...scope, facts }); };
  if (taken !== undefined) apply(taken, true);
  for (const c of conditions.slice(0, branch)) apply(c, false);
  if (taken !== undefined) apply(taken, true);
  return facts;
}

/** A fact's key as the read it names: `$v.name`, `$length($v.name)`. */
export function displayKey(key: string): string {
  return key.endsWith('#length') ? `$length($${key.slice(0, -'#length'.length)})` : `$${key}`;
}

/**
 * What every run holds on entering `name`, over every way into it from its scope's start: the
 * facts (assume.ts) that Choice branches told of plain reads of variables and of the input, kept
 * for as long as no state on the way can change what they read, and only those every way in
 * holds (a fact two ways hold, of both values). A way by a Catch keeps only the facts of
 * variables neither the failed state nor its catcher assigns; a Map or Parallel ends the facts
 * of every variable its inner states assign too. Computed once per scope, to a fixed point over
 * its loops; when that does not settle in {@link MAX_VISITS} visits a state, nothing is known.
 */
export function entryFacts(states: ReadonlyMap<string, StateInfo>, name: string): Known {
  const info = states.get(name);
  if (info === undefined) return NO_FACTS;
  let cache = entries.get(states);
  if (cache === undefined) entries.set(states, cache = new Map());
  if (!cache.has(info.scopeStart)) {
    for (const [state, known] of scopeFacts(states, info.scopeStart)) cache.set(`${info.scopeStart}\u0000${state}`, known);
    cache.set(info.scopeStart, NO_FACTS);
  }
  return cache.get(`${info.scopeStart}\u0000${name}`) ?? NO_FACTS;
}

function scopeFacts(states: ReadonlyMap<string, StateInfo>, start: string): Map<string, Known> {
  const inScope = new Set([...states.values()].filter((s) => s.scopeStart === start).map((s) => s.name));
  const entry = new Map<string, Known>([[start, NO_FACTS]]);
  const queue = [start];
  let budget = MAX_VISITS * Math.max(1, inScope.size);
  while (queue.length > 0) {
    if (--budget < 0) return new Map();
    const name = queue.shift()!;
    const info = states.get(name)!;
    const known = entry.get(name)!;
    for (const edge of edgesOf(info)) {
      if (!inScope.has(edge.to) || edge.to === start) continue;
      const out = edge.catcher !== undefined ? throughCatch(states, info, edge.catcher, known) : throughEdge(states, info, edge.to, known);
      const before = entry.get(edge.to);
      const next = before === undefined ? out : meetKnown(before, out);
      if (before !== undefined && sameKnown(before, next)) continue;
      entry.set(edge.to, next);
      if (!queue.includes(edge.to)) queue.push(edge.to);
    }
  }
  return entry;
}

function edgesOf(info: StateInfo): Array<{ to: string; catcher?: { Assign?: object } }> {
  const def = info.def;
  const out: Array<{ to: string; catcher?: { Assign?: object } }> = [];
  if (def.Type === 'Choice') {
    for (const to of new Set([...def.Choices.map((r) => r.Next), ...(def.Default !== undefined ? [def.Default] : [])])) if (typeof to === 'string') out.push({ to });
  } else if (typeof def.Next === 'string') {
    out.push({ to: def.Next });
  }
  for (const c of (def as { Catch?: Array<{ Next: string; Assign?: object }> }).Catch ?? []) if (typeof c?.Next === 'string') out.push({ to: c.Next, catcher: c });
  return out;
}

/** The facts once `info` ran to `next` by its Next or a Choice branch (factsAfter), each with the branches that told it. */
function throughEdge(states: ReadonlyMap<string, StateInfo>, info: StateInfo, next: string, known: Known): Known {
  const facts = new Map([...known].map(([k, t]) => [k, t.v]));
  const after = factsAfter(info, { input: ANY, variables: new Map(), facts }, next);
  if (after === undefined) return NO_FACTS;
  const inner = innerAssigned(states, info);
  const branch = branchTo(states, info.name, next);
  const all = [...new Set([...known.values()].flatMap((t) => t.from))];
  const out = new Map<string, { v: AbstractValue; from: readonly string[] }>();
  for (const [k, v] of after) {
    const variable = variableOfKey(k);
    if (variable !== undefined && inner.has(variable)) continue;
    const had = known.get(k);
    const from = had !== undefined && sameValue(had.v, v) ? had.from
      : [...new Set([...(had?.from ?? (branch.length === 0 ? all : [])), ...branch])];
    out.set(k, { v, from });
  }
  return out;
}

/** The facts once `info` failed into `catcher`: those of variables neither the state, its inner states nor the catcher assign. */
function throughCatch(states: ReadonlyMap<string, StateInfo>, info: StateInfo, catcher: { Assign?: object }, known: Known): Known {
  const own = Object.keys((info.def as { Assign?: object }).Assign ?? {});
  const assigned = new Set([...own, ...Object.keys(catcher.Assign ?? {}), ...innerAssigned(states, info)]);
  const out = new Map<string, { v: AbstractValue; from: readonly string[] }>();
  for (const [k, t] of known) {
    const variable = variableOfKey(k);
    if (variable !== undefined && !assigned.has(variable)) out.set(k, t);
  }
  return out;
}

/** The variables the states inside a Map or Parallel assign (their own and their catchers' Assign), which explore does not follow. */
export function innerAssigned(states: ReadonlyMap<string, StateInfo>, info: StateInfo): Set<string> {
  const out = new Set<string>();
  if (info.def.Type !== 'Map' && info.def.Type !== 'Parallel') return out;
  const inside = (s: StateInfo): boolean => {
    for (let c = s.container; c !== undefined; c = states.get(c)?.container) if (c === info.name) return true;
    return false;
  };
  for (const s of states.values()) {
    if (!inside(s)) continue;
    const d = s.def as { Assign?: object; Catch?: Array<{ Assign?: object }>; Choices?: Array<{ Assign?: object }> };
    for (const k of Object.keys(d.Assign ?? {})) out.add(k);
    for (const c of d.Catch ?? []) for (const k of Object.keys(c?.Assign ?? {})) out.add(k);
    for (const r of d.Choices ?? []) for (const k of Object.keys(r?.Assign ?? {})) out.add(k);
  }
  return out;
}

/** The facts both hold: each key both have, of either value. */
function meetKnown(a: Known, b: Known): Known {
  const out = new Map<string, { v: AbstractValue; from: readonly string[] }>();
  for (const [k, t] of a) {
    const u = b.get(k);
    if (u !== undefined) out.set(k, { v: join(t.v, u.v), from: [...new Set([...t.from, ...u.from])] });
  }
  return out;
}

function sameKnown(a: Known, b: Known): boolean {
  if (a.size !== b.size) return false;
  for (const [k, t] of a) {
    const u = b.get(k);
    if (u === undefined || !sameValue(t.v, u.v) || t.from.length !== u.from.length) return false;
  }
  return true;
}

function sameValue(a: AbstractValue, b: AbstractValue): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: AbstractValue): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x] : x instanceof RegExp ? String(x)
    : typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
}
