import { assumeRule, filterPath, payload, resultPath, ruleOutcome, valueOfPath, type Fail, type RuleScope } from './abstract-jsonpath';
import {
  ANY, NOTHING, UNDEF, asJson, defined, describe, evaluateAbstract, isEmpty, join, lengthKey, ofJson, readKey, type AbstractScope, type AbstractValue,
} from './abstract-values';
import { assume, variableOfKey, type Facts } from './assume';
import { catchFlow, caughtInto } from './catch-flow';
import { answerShapeAt } from './contract-answers';
import { branchTo, displayKey, entryFacts, factsAfter, innerAssigned, type Known } from './entry-facts';
import type { StateInfo } from './goals';
import { jobAnswer } from './job-answers';
import type { Proof } from './proofs';
import type { FlowEnd } from './report-types';
import { predecessorsOf } from './shapes';
import type { Catcher, ChoiceState, JsonValue, StateDefinition } from '../asl';
import { parseJsonata, stripDelimiters, type JsonataNode } from './solve/jsonata-ast';
import { failRulesOf, refusedValues } from '../asl/answer-outcomes';
import type { CatalogueFailRule } from '../asl/integrations';
import { isJsonataExpression } from '../asl/jsonata/expression';
import { shorten } from '../asl/shorten';
import { StatesErrors } from '../asl/states-errors';
import { isSyncJob, taskResource } from '../asl/task-resource';
import type { Shape } from '../contracts';

/*
 * Proofs by the flow of values. A Choice's rules read what the states before it computed: their
 * Output and Assign expressions over their input and their Task's answer (JSONata), or their
 * InputPath, Parameters, ResultSelector, ResultPath and OutputPath (JSONPath, abstract-jsonpath.ts). Going back along
 * the one way into the Choice (each state on it entered from the one before by its Next, never by
 * a Catch), explore evaluates those expressions over every value they can be given (abstract-
 * values.ts): the input of the first state of the way, and every variable assigned before it, may
 * hold anything; a Task's answer is what the service's contract describes, less the answers AWS
 * turns into the Task's failure (asl/answer-outcomes.ts); an expression that gives nothing fails
 * its state (States.QueryEvaluationError), and a case on which JSONata throws fails it too. When,
 * over every value left, a rule before the branch always comes out true, or the branch's own rule
 * always false, no run takes the branch. The proof names the way, each case left out and where it
 * ends, and the rule that decides.
 */

/** What a state's input may be: any JSON value, never nothing (a field that gives nothing fails the state before it). */
const STATE_INPUT = defined(ANY);

/** How far back from the Choice the way in is followed. */
const MAX_WAY = 32;
/** How deep a contract's shape is followed into an answer's value; below it, anything. */
const SHAPE_DEPTH = 6;

/** The values at the entry of a state: its input, and the variables known (any other holds anything). */
interface Flow {
  readonly input: AbstractValue;
  readonly variables: ReadonlyMap<string, AbstractValue>;
  /** What reads of the input and the variables are known to give, from the Choice branches on the way (assume.ts). */
  readonly facts?: Facts;
}

/** The states before `name`, first to last, along its one way in: each entered only from the one before by its Next or a Choice branch. */
export function wayInto(states: ReadonlyMap<string, StateInfo>, name: string): string[] {
  const index = predecessorsOf(states);
  const way: string[] = [];
  let cur = name;
  for (let i = 0; i < MAX_WAY; i++) {
    const info = states.get(cur);
    if (!info || info.scopeStart === cur) break;
    const ways = index.get(cur) ?? [];
    if (ways.length !== 1 || ways[0].catch) break;
    const prev = ways[0].from;
    if (prev === name || way.includes(prev) || states.get(prev)?.scopeStart !== info.scopeStart) break;
    way.unshift(prev);
    cur = prev;
  }
  return way;
}

/**
 * The proof that branch `key` (`Check#0`, `Check#default`) of a Choice is taken by no
 * run, by what the states on its one way in compute, or undefined when explore cannot show it.
 */
export function proveByFlow(states: ReadonlyMap<string, StateInfo>, key: string): Proof | undefined {
  const hash = key.lastIndexOf('#');
  const name = key.slice(0, hash);
  const info = states.get(name);
  if (info?.def.Type !== 'Choice') return undefined;
  const def = info.def;
  const b = key.slice(hash + 1);
  const branch = b === 'default' ? def.Choices.length : Number(b);
  const whole = wayInto(states, name);
  // The fewest states before the Choice that decide it: the proof names no case of a state it does not need.
  // The way alone first; then, when that decides nothing, with what every way into its first state holds.
  const lengths = Array.from({ length: whole.length }, (_, i) => i + 1);
  const tries = [...lengths.map((k) => ({ k, entry: false })), ...[...lengths, 0].map((k) => ({ k, entry: true }))];
  for (const { k, entry } of tries) {
    const way = k === 0 ? [] : whole.slice(-k);
    const ends: FlowEnd[] = [];
    // What every way into the first state of the way holds, from the Choices before it (entryFacts); for a JSONPath
    // way, the input and the variables every way in brings (jsonPathEntry).
    const first = way[0] ?? name;
    const known: Known = entry && info.language === 'JSONata' ? entryFacts(states, first) : new Map();
    const brought = entry ? scopeEntry(states, first) : undefined;
    if (entry && known.size === 0 && brought === undefined) continue;
    const given = known.size === 0 ? undefined : new Map([...known].map(([key2, t]) => [key2, t.v]));
    let flow: Flow | undefined = brought
      ? { input: brought.input, variables: brought.variables, ...(given ? { facts: given } : {}) }
      : { input: STATE_INPUT, variables: new Map(), ...(given ? { facts: given } : {}) };
    for (const [i, state] of way.entries()) {
      flow = through(states, states.get(state)!, flow, ends, way[i + 1] ?? name);
      if (flow === undefined) break;
    }
    const decided = flow === undefined ? undefined
      : info.language === 'JSONata' ? decide(def, branch, flow, name, ends) : decideJsonPath(def, branch, flow, name, ends);
    if (decided === undefined) continue;
    // What the branches taken on the way tell is part of the proof: the reason names them.
    // A JSONPath Choice on the way narrows what it passes on by its branch (throughChoice).
    const narrows = (s: string): boolean => flow?.facts !== undefined || states.get(s)?.language !== 'JSONata';
    const taken = flow === undefined ? [] : way.flatMap((s, i) => (narrows(s) ? branchTo(states, s, way[i + 1] ?? name) : []));
    let why = taken.length === 0 ? decided.why : `${decided.why}, once ${taken.join(', ')} is taken (the rules before it false)`;
    const held = given === undefined || flow === undefined ? [] : heldFromEntry(def, decided.rule, flow, known);
    const brings = brought === undefined || flow === undefined ? undefined
      : info.language === 'JSONata' ? variableWords(def, decided.rule, flow) : readsWords(def, decided.rule, flow);
    const caught = brought === undefined ? undefined : caughtInto(states, first);
    if (held.length > 0) why = `${why}, with what every way into '${first}' holds: ${held.join('; ')}`;
    else if (brings !== undefined) why = `${why}, with what every way into '${first}' brings (${brings}${caught ? `; ${caught}` : ''})`;
    else if (entry) continue;
    return proofOf(name, way, ends, { ...decided, why });
  }
  return undefined;
}

/** The variables rule `rule` of a JSONata Choice reads, each with the values `flow` holds of it. */
function variableWords(def: ChoiceState, rule: number, flow: Flow): string {
  const condition = def.Choices[rule]?.Condition;
  const text = typeof condition === 'string' ? condition : '';
  const words = [...flow.variables].filter(([k]) => new RegExp(`\\$${k.replace(/[^A-Za-z0-9_]/g, '')}\\b`).test(text))
    .slice(0, 4).map(([k, v]) => `$${k}: ${shorten(describe(v), 80)}`);
  return words.length > 0 ? words.join('; ') : `its input: ${shorten(describe(flow.input), 120)}`;
}

/** How many times each state of a scope may be visited before {@link scopeEntry} gives up (and knows nothing). */
const ENTRY_VISITS = 64;
const jsonPathEntries = new WeakMap<ReadonlyMap<string, StateInfo>, Map<string, Map<string, Flow>>>();

/**
 * What every run brings into state `name`: its input and the variables known, joined over every
 * way into it from its scope's start (whose input, and every variable, may hold anything), each
 * state on a way evaluated as the way into a Choice is (a JSONPath Choice by the branch taken, a
 * JSONata one passing on what it was given, a Catch bringing anything); undefined when it is
 * anything, or when the ways round its loops do not settle in {@link ENTRY_VISITS} visits a state.
 * A JSONata machine's variables set once at its start (`$channel`) are known so at a state several
 * ways lead to.
 */
function scopeEntry(states: ReadonlyMap<string, StateInfo>, name: string): Flow | undefined {
  const info = states.get(name);
  if (info === undefined) return undefined;
  let cache = jsonPathEntries.get(states);
  if (cache === undefined) jsonPathEntries.set(states, cache = new Map());
  let scope = cache.get(info.scopeStart);
  if (scope === undefined) cache.set(info.scopeStart, scope = scopeEntries(states, info.scopeStart));
  const flow = scope.get(name);
  return flow === undefined || (sameAbstract(flow.input, STATE_INPUT) && flow.variables.size === 0) ? undefined : flow;
}

function scopeEntries(states: ReadonlyMap<string, StateInfo>, start: string): Map<string, Flow> {
  const inScope = new Set([...states.values()].filter((s) => s.scopeStart === start).map((s) => s.name));
  const entry = new Map<string, Flow>([[start, { input: STATE_INPUT, variables: new Map() }]]);
  const queue = [start];
  let budget = ENTRY_VISITS * Math.max(1, inScope.size);
  while (queue.length > 0) {
    if (--budget < 0) return new Map();
    const info = states.get(queue.shift()!)!;
    const flow = entry.get(info.name)!;
    for (const { to, out } of flowsOut(states, info, flow)) {
      if (!inScope.has(to) || to === start || out === undefined) continue;
      const before = entry.get(to);
      const next = before === undefined ? out : joinFlows(before, out);
      if (before !== undefined && sameFlow(before, next)) continue;
      entry.set(to, next);
      if (!queue.includes(to)) queue.push(to);
    }
  }
  return entry;
}

/** What a state brings to each state it leads to: by its Next, each Choice branch, each Catch (anything: the error output). */
function flowsOut(states: ReadonlyMap<string, StateInfo>, info: StateInfo, flow: Flow): Array<{ to: string; out: Flow | undefined }> {
  const def = info.def;
  const out: Array<{ to: string; out: Flow | undefined }> = [];
  const inner = innerAssigned(states, info);
  const keep = (f: Flow | undefined): Flow | undefined => (f === undefined || inner.size === 0 ? f
    : { input: f.input, variables: new Map([...f.variables].filter(([k]) => !inner.has(k))) });
  if (def.Type === 'Choice') {
    def.Choices.forEach((r, i) => { if (typeof r.Next === 'string') out.push({ to: r.Next, out: throughState(states, info, flow, [], r.Next, String(i)) }); });
    if (typeof def.Default === 'string') out.push({ to: def.Default, out: throughState(states, info, flow, [], def.Default, 'default') });
  } else if (typeof def.Next === 'string') {
    out.push({ to: def.Next, out: keep(throughState(states, info, flow, [], def.Next)) });
  }
  for (const c of (def as { Catch?: readonly Catcher[] }).Catch ?? []) {
    if (typeof c?.Next === 'string') out.push({ to: c.Next, out: catchFlow(info, c, keep(flow) ?? flow, template) });
  }
  return out;
}

/** What either way brings: each value of either, each variable both know of either value. */
function joinFlows(a: Flow, b: Flow): Flow {
  const variables = new Map<string, AbstractValue>();
  for (const [k, v] of a.variables) {
    const w = b.variables.get(k);
    if (w !== undefined) variables.set(k, join(v, w));
  }
  return { input: join(a.input, b.input), variables };
}

function sameFlow(a: Flow, b: Flow): boolean {
  if (!sameAbstract(a.input, b.input) || a.variables.size !== b.variables.size) return false;
  for (const [k, v] of a.variables) {
    const w = b.variables.get(k);
    if (w === undefined || !sameAbstract(v, w)) return false;
  }
  return true;
}

function sameAbstract(a: AbstractValue, b: AbstractValue): boolean {
  const canonical = (v: AbstractValue): string => JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x] : x instanceof RegExp ? String(x)
    : typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
  return canonical(a) === canonical(b);
}

/** The paths rule `rule` of a JSONPath Choice reads, each with what it finds on the values `flow` holds. */
function readsWords(def: ChoiceState, rule: number, flow: Flow): string {
  const paths = new Set<string>();
  const collect = (r: unknown): void => {
    if (r === null || typeof r !== 'object') return;
    for (const [k, v] of Object.entries(r)) {
      if ((k === 'Variable' || k.endsWith('Path')) && typeof v === 'string' && v.startsWith('$') && !v.startsWith('$$')) paths.add(v);
      else if (k === 'Not') collect(v);
      else if ((k === 'And' || k === 'Or') && Array.isArray(v)) v.forEach(collect);
    }
  };
  collect(def.Choices[rule]);
  const input = filterPath(def.InputPath, flow.input, 'InputPath', () => undefined);
  const words = [...paths].slice(0, 4).map((p) => `${p}: ${shorten(describe(valueOfPath(p, input, flow.variables)), 80)}`);
  return words.length > 0 ? words.join('; ') : `its input: ${shorten(describe(input), 120)}`;
}

/**
 * The reads of rule `rule` that the facts every way into the way holds (entryFacts) narrow, each
 * with what is left of it and the Choice branches that told it.
 */
function heldFromEntry(def: ChoiceState, rule: number, flow: Flow, known: Known): string[] {
  const condition = def.Choices[rule]?.Condition;
  if (typeof condition !== 'string' || !isJsonataExpression(condition)) return [];
  const parsed = parseJsonata(stripDelimiters(condition));
  if ('error' in parsed) return [];
  const facts = flow.facts ?? new Map<string, AbstractValue>();
  const without = new Map([...facts].filter(([key]) => !known.has(key)));
  const scope = (f: Facts): AbstractScope => ({ states: { input: flow.input }, variables: flow.variables, facts: f });
  return readsNarrowed(parsed.ast, scope(without), scope(facts)).map((text) => {
    const from = [...new Set([...known].filter(([key]) => text.startsWith(displayKey(key))).flatMap(([, t]) => t.from))];
    return from.length === 0 ? text : `${text} (since ${from.join(', ')})`;
  });
}

function proofOf(name: string, way: readonly string[], ends: readonly FlowEnd[], decided: { rule: number; always: boolean; why: string }): Proof {
  const told = [...new Map(ends.map((e) => [`${e.when}: '${e.state}' fails with ${e.error}`, e])).keys()];
  return {
    reason: way.length === 0 ? [...told, decided.why].join('; ')
      : `every run into it comes along ${way.map((s) => `'${s}'`).join(' -> ')}, and ${[...told, decided.why].join('; ')}`,
    proof: { kind: 'value-flow', state: name, way, ends, rule: decided.rule, always: decided.always },
  };
}

/**
 * The rule that keeps the branch from being taken over every value left, or undefined. Rule i
 * is evaluated only on runs whose rules before it came out false: what those say of the values
 * they read (assume.ts) narrows what rule i reads, so rules that together cover every value
 * (`$total >= 1000`, then `$total < 1000`, of a number) close the Default.
 */
function decide(
  def: ChoiceState, branch: number, flow: Flow, name: string, ends: FlowEnd[],
): { rule: number; always: boolean; why: string } | undefined {
  let facts: Facts = flow.facts ?? new Map();
  const before: Array<{ text: string; ast: JsonataNode; local: FlowEnd[] }> = [];
  for (let i = 0; i <= Math.min(branch, def.Choices.length - 1); i++) {
    const condition = def.Choices[i].Condition;
    if (typeof condition !== 'string' || !isJsonataExpression(condition)) return undefined;
    const parsed = parseJsonata(stripDelimiters(condition));
    if ('error' in parsed) return undefined;
    const scope: AbstractScope = { states: { input: flow.input }, variables: flow.variables, facts };
    const local: FlowEnd[] = [];
    const got = evaluateAbstract(parsed.ast, scope, (why) => local.push({ state: name, field: `Choices[${i}].Condition`, when: why, error: StatesErrors.QUERY_EVALUATION_ERROR }));
    // A Condition that gives anything but a boolean fails the Choice.
    const { t, f } = got.bool;
    const text = shorten(condition, 120);
    if ((i < branch && t && !f) || (i === branch && !t)) {
      // The rules before it narrowed the values only if they were needed: the proof then names them and what they left.
      const narrowed = before.length === 0 ? [] : readsNarrowed(parsed.ast, { ...scope, facts: flow.facts }, scope);
      if (narrowed.length > 0) for (const b of before) ends.push(...b.local);
      ends.push(...local);
      const once = narrowed.length === 0 ? ''
        : `, once ${before.map((b) => b.text).join(' and ')} came out false, which leaves ${narrowed.join(', ')}`;
      return { rule: i, always: i < branch, why: `Choices[${i}] (${text}) is always ${i < branch} on what is left (${describe(got)})${once}` };
    }
    before.push({ text: `Choices[${i}] (${text})`, ast: parsed.ast, local });
    facts = assume(parsed.ast, false, scope);
  }
  return undefined;
}

/**
 * The plain reads (and `$length` of them) of `node` whose value the facts of `after` narrow
 * beyond `before`'s, each with what it is left: `$total: a number at most 999.9999999999999`.
 */
function readsNarrowed(node: JsonataNode, before: AbstractScope, after: AbstractScope): string[] {
  const out = new Map<string, string>();
  const visit = (n: JsonataNode, depth: number): void => {
    if (n === null || typeof n !== 'object' || depth > 64) return;
    const key = readKey(n) ?? lengthKey(n);
    if (key !== undefined) {
      const a = describe(evaluateAbstract(n, after, () => undefined));
      if (!out.has(key) && a !== describe(evaluateAbstract(n, before, () => undefined))) out.set(key, `${displayKey(key)}: ${a}`);
      return;
    }
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) for (const x of v) visit(x as JsonataNode, depth + 1);
      else if (v !== null && typeof v === 'object') visit(v as JsonataNode, depth + 1);
    }
  };
  visit(node, 0);
  return [...out.values()];
}

/**
 * {@link decide} for a JSONPath Choice, whose rules read its effective input (after InputPath):
 * rule i on what the rules before it, false, left (assumeRule), so that rules that together
 * take every value close the Default.
 */
function decideJsonPath(
  def: ChoiceState, branch: number, flow: Flow, name: string, ends: FlowEnd[],
): { rule: number; always: boolean; why: string } | undefined {
  const local: FlowEnd[] = [];
  const input = filterPath(def.InputPath, flow.input, 'InputPath', failInto(name, local));
  if (isEmpty(input)) return undefined;
  const whole: RuleScope = { input, variables: flow.variables };
  let scope = whole;
  const before: string[] = [];
  for (let i = 0; i <= Math.min(branch, def.Choices.length - 1); i++) {
    const { Next: _n, Assign: _a, Output: _o, Comment: _c, ...rule } = def.Choices[i];
    const o = ruleOutcome(rule, scope.input, scope.variables);
    const text = `Choices[${i}] (${shorten(JSON.stringify(rule), 120)})`;
    if ((i < branch && o.t && !o.f) || (i === branch && !o.t)) {
      ends.push(...local);
      if (o.fails) ends.push({ state: name, field: `Choices[${i}]`, when: `a Variable of Choices[${i}] finds nothing`, error: StatesErrors.RUNTIME });
      // The rules before it are named only when what they left was needed.
      const alone = ruleOutcome(rule, whole.input, whole.variables);
      const needed = before.length > 0 && !((i < branch && alone.t && !alone.f) || (i === branch && !alone.t));
      const once = needed ? `, once ${before.join(' and ')} came out false` : '';
      return { rule: i, always: i < branch, why: `${text} is always ${i < branch} on what is left${once}` };
    }
    before.push(text);
    scope = assumeRule(rule, false, scope);
    if (isEmpty(scope.input)) return undefined;
  }
  return undefined;
}

/** A {@link Fail} that adds the case to `ends` as a case of `state`. */
function failInto(state: string, ends: FlowEnd[]): Fail {
  return (field, when, error) => ends.push({ state, field, when, error });
}

/**
 * The values after a JSONPath state ran to its Next: its InputPath, Parameters (a Pass's Result),
 * its Task's answer, ResultSelector, ResultPath and OutputPath; undefined when no value is left
 * or explore does not follow the state.
 */
function throughJsonPath(
  info: StateInfo, flow: Flow, variables: ReadonlyMap<string, AbstractValue>, ends: FlowEnd[], taking: string | undefined,
): Flow | undefined {
  const def = info.def as StateDefinition & { Assign?: JsonValue };
  const fail = failInto(info.name, ends);
  const effective = filterPath(def.InputPath, flow.input, 'InputPath', fail);
  if (isEmpty(effective)) return undefined;
  // A JSONPath Assign sees the state's result as `$` (a Wait's, its effective input), and the variables from before the state.
  const assignOver = (root: AbstractValue): ReadonlyMap<string, AbstractValue> | undefined => {
    if (def.Assign === undefined || def.Type === 'Choice') return variables;
    const got = payload(def.Assign, root, flow.variables, 'Assign', fail);
    if (!got.obj) return undefined;
    return new Map([...variables, ...got.obj.fields]);
  };
  let result: AbstractValue;
  switch (def.Type) {
    case 'Choice': return throughChoice(def, effective, flow.variables, fail, taking);
    case 'Wait': {
      const assigned = assignOver(effective);
      const output = filterPath(def.OutputPath, effective, 'OutputPath', fail);
      return isEmpty(output) || assigned === undefined ? undefined : { input: output, variables: assigned };
    }
    case 'Pass':
      result = def.Result !== undefined ? ofJson(def.Result)
        : def.Parameters !== undefined ? payload(def.Parameters, effective, flow.variables, 'Parameters', fail) : effective;
      break;
    case 'Task': case 'Parallel': case 'Map':
      // The request's paths fail the Task before its call: only those cases are kept from it.
      if (def.Type === 'Task' && def.Parameters !== undefined && isEmpty(payload(def.Parameters, effective, flow.variables, 'Parameters', fail))) return undefined;
      result = def.Type === 'Task' ? taskResult(info, ends) : ANY;
      if (def.ResultSelector !== undefined) result = payload(def.ResultSelector, result, flow.variables, 'ResultSelector', fail);
      break;
    default: return undefined;
  }
  if (isEmpty(result)) return undefined;
  const merged = resultPath(def.ResultPath, flow.input, result, fail);
  if (isEmpty(merged)) return undefined;
  const output = filterPath(def.OutputPath, merged, 'OutputPath', fail);
  const assigned = assignOver(result);
  return isEmpty(output) || assigned === undefined ? undefined : { input: output, variables: assigned };
}

/**
 * The values after a JSONPath Choice took branch `taking` (`3`, `default`; undefined: not known):
 * what its rules before the branch, false, and its own, true, leave of the input and the
 * variables (assumeRule), with the Assign of the branch (a rule's, or the state's with the
 * Default) over its input; undefined when no value takes the branch.
 */
function throughChoice(
  def: ChoiceState, effective: AbstractValue, before: ReadonlyMap<string, AbstractValue>, fail: Fail, taking: string | undefined,
): Flow | undefined {
  let scope: RuleScope = { input: effective, variables: before };
  const branch = taking === undefined ? undefined : taking === 'default' ? def.Choices.length : Number(taking);
  if (branch !== undefined) {
    for (let i = 0; i < branch; i++) scope = assumeRule(def.Choices[i], false, scope);
    if (branch < def.Choices.length) scope = assumeRule(def.Choices[branch], true, scope);
  }
  if (isEmpty(scope.input)) return undefined;
  // A variable any branch assigns is what the branch taken made it, else anything.
  const assigned = new Set([def as { Assign?: object }, ...def.Choices as Array<{ Assign?: object }>]
    .flatMap((r) => Object.keys(r.Assign ?? {}).map((k) => (k.length > 2 && k.endsWith('.$') ? k.slice(0, -2) : k))));
  const variables = new Map([...scope.variables].filter(([k]) => !assigned.has(k)));
  const byRule = branch !== undefined && branch < def.Choices.length;
  const assign = branch === undefined ? undefined : ((byRule ? def.Choices[branch] : def) as { Assign?: JsonValue }).Assign;
  if (assign !== undefined) {
    const got = payload(assign, scope.input, scope.variables, byRule ? `Choices[${branch}].Assign` : 'Assign', fail);
    if (!got.obj) return undefined;
    for (const [k, v] of got.obj.fields) variables.set(k, v);
  }
  const output = filterPath(def.OutputPath, scope.input, 'OutputPath', fail);
  return isEmpty(output) ? undefined : { input: output, variables };
}

/**
 * The values after `info` ran to `next` (its Next, or the Choice branch leading there), or
 * undefined when explore does not follow the state.
 */
function through(states: ReadonlyMap<string, StateInfo>, info: StateInfo, flow: Flow, ends: FlowEnd[], next?: string): Flow | undefined {
  const after = throughState(states, info, flow, ends, next);
  if (after === undefined) return undefined;
  const facts = factsAfter(info, flow, next);
  const inner = innerAssigned(states, info);
  // A variable a Map's or Parallel's inner states assign is not followed: what was known of it ends.
  const kept = facts === undefined || inner.size === 0 ? facts : new Map([...facts].filter(([k]) => !inner.has(variableOfKey(k) ?? '')));
  return { ...after, facts: kept !== undefined && kept.size > 0 ? kept : undefined };
}

function throughState(
  states: ReadonlyMap<string, StateInfo>, info: StateInfo, flow: Flow, ends: FlowEnd[], next?: string, branch?: string,
): Flow | undefined {
  const def = info.def as StateDefinition & { Assign?: JsonValue; Output?: JsonValue; Arguments?: JsonValue };
  const assign = def.Assign;
  if (assign !== undefined && (assign === null || typeof assign !== 'object' || Array.isArray(assign))) return undefined;
  // A JSONPath Assign names a variable set from a path or an intrinsic function `name.$`.
  const names = (a: object | undefined): string[] => Object.keys(a ?? {}).map((k) => (info.language !== 'JSONata' && k.length > 2 && k.endsWith('.$') ? k.slice(0, -2) : k));
  const assigned = Object.keys(assign ?? {});
  const forget = (): Flow => {
    const variables = new Map(flow.variables);
    for (const k of names(assign as object | undefined)) variables.delete(k);
    // A Choice rule's own Assign sets variables too.
    if (def.Type === 'Choice') for (const r of def.Choices) for (const k of names((r as { Assign?: object }).Assign)) variables.delete(k);
    return { input: STATE_INPUT, variables };
  };
  if (info.language !== 'JSONata') {
    // The branch of a JSONPath Choice that leads to the next state on the way, when one alone does.
    const taking = branch !== undefined ? `#${branch}` : next === undefined ? undefined : branchTo(states, info.name, next)[0];
    return throughJsonPath(info, flow, forget().variables, ends, taking?.slice(taking.lastIndexOf('#') + 1));
  }
  let result: AbstractValue | undefined;
  switch (def.Type) {
    case 'Task': result = taskResult(info, ends); break;
    case 'Parallel': {
      const input = def.Arguments !== undefined ? template(def.Arguments, 'Arguments', { states: { input: flow.input }, variables: flow.variables, facts: flow.facts }, info.name, ends) : flow.input;
      if (input === undefined) return undefined;
      result = parallelResult(states, def, input, ends);
      break;
    }
    case 'Map': result = { ...NOTHING, arr: { min: 0 } }; break;
    case 'Pass': case 'Wait': break;
    case 'Choice': return def.Output !== undefined || def.Choices.some((r) => (r as { Output?: unknown }).Output !== undefined)
      ? forget() : { input: flow.input, variables: forget().variables };
    default: return undefined;
  }
  const scope: AbstractScope = { states: { input: flow.input, ...(result ? { result } : {}) }, variables: flow.variables, facts: flow.facts };
  const variables = new Map(flow.variables);
  for (const k of assigned) {
    const v = template((assign as Record<string, JsonValue>)[k], `Assign.${k}`, scope, info.name, ends);
    if (v === undefined) return undefined;
    variables.set(k, v);
  }
  const output = def.Output !== undefined ? template(def.Output, 'Output', scope, info.name, ends) : result ?? flow.input;
  return output === undefined ? undefined : { input: output, variables };
}

/**
 * Every value a field of a JSONata state (Output, Assign, Arguments) can give: its expressions
 * evaluated, a case that gives nothing left out (the state fails with
 * States.QueryEvaluationError); undefined when no value is left.
 */
function template(tpl: JsonValue, field: string, scope: AbstractScope, state: string, ends: FlowEnd[]): AbstractValue | undefined {
  if (typeof tpl === 'string' && isJsonataExpression(tpl)) {
    const parsed = parseJsonata(stripDelimiters(tpl));
    if ('error' in parsed) return undefined;
    const drops: string[] = [];
    const v = evaluateAbstract(parsed.ast, scope, (why) => drops.push(why));
    for (const why of new Set(drops)) ends.push({ state, field, when: why, error: StatesErrors.QUERY_EVALUATION_ERROR });
    if (v.undef) ends.push({ state, field, when: `${field} (${shorten(tpl, 100)}) gives nothing`, error: StatesErrors.QUERY_EVALUATION_ERROR });
    const out = asJson(defined(v));
    return isEmpty(out) ? undefined : out;
  }
  if (tpl === null || typeof tpl !== 'object') return ofJson(tpl);
  if (Array.isArray(tpl)) {
    const items: AbstractValue[] = [];
    for (let i = 0; i < tpl.length; i++) {
      const v = template(tpl[i], `${field}[${i}]`, scope, state, ends);
      if (v === undefined) return undefined;
      items.push(v);
    }
    return { ...NOTHING, arr: { min: items.length, tuple: items } };
  }
  const fields = new Map<string, AbstractValue>();
  for (const [k, v] of Object.entries(tpl)) {
    const got = template(v, `${field}.${k}`, scope, state, ends);
    if (got === undefined) return undefined;
    fields.set(k, got);
  }
  return { ...NOTHING, obj: { fields, rest: UNDEF } };
}

/**
 * What a Parallel gives: each branch's output, for a branch that is one line of states, every
 * state of the branch on it and none with a Catch (which would end the branch elsewhere);
 * anything for the others.
 */
function parallelResult(states: ReadonlyMap<string, StateInfo>, def: StateDefinition, input: AbstractValue, ends: FlowEnd[]): AbstractValue {
  if (def.Type !== 'Parallel') return ANY;
  const items = def.Branches.map((branch) => {
    const all = Object.values(branch.States);
    if (all.some((d) => (d as { Catch?: unknown[] }).Catch !== undefined && (d as { Catch?: unknown[] }).Catch!.length > 0)) return ANY;
    if (!lineOf(branch.StartAt, branch.States, all.length)) return ANY;
    let flow: Flow | undefined = { input, variables: new Map() };
    let name: string | undefined = branch.StartAt;
    for (let i = 0; i < MAX_WAY && name !== undefined && flow !== undefined; i++) {
      const info = states.get(name);
      const d = info?.def;
      if (!info || !d || d.Type === 'Choice' || d.Type === 'Fail') return ANY;
      if (d.Type === 'Succeed') return d.Output !== undefined ? template(d.Output as JsonValue, 'Output', { states: { input: flow.input }, variables: flow.variables }, name, ends) ?? ANY : flow.input;
      flow = through(states, info, flow, ends);
      if (d.End === true) return flow?.input ?? ANY;
      name = d.Next;
    }
    return ANY;
  });
  return { ...NOTHING, arr: { min: items.length, tuple: items } };
}

/** True when the states from `start`, by Next, are all `count` states of the branch, the last one ending it. */
function lineOf(start: string, branchStates: Readonly<Record<string, StateDefinition>>, count: number): boolean {
  const seen = new Set<string>();
  let name: string | undefined = start;
  while (name !== undefined && !seen.has(name)) {
    seen.add(name);
    const d: StateDefinition | undefined = branchStates[name];
    if (d === undefined || d.Type === 'Choice') return false;
    name = d.Next;
  }
  return name === undefined && seen.size === count;
}

/**
 * What a Task's answer can be on a run that goes on: for a request-response Task of a service
 * whose contract describes the answer, an object of that shape (every field perhaps absent or
 * null), less the answers AWS turns into the Task's failure; for a `.sync` job, a job that ended
 * and let the Task go on (job-answers.ts); anything otherwise.
 */
function taskResult(info: StateInfo, ends: FlowEnd[]): AbstractValue {
  const resource = info.def.Type === 'Task' ? info.def.Resource : undefined;
  if (typeof resource !== 'string') return ANY;
  const parsed = taskResource(resource);
  if (parsed.substituted) return ANY;
  if (isSyncJob(parsed)) return jobAnswer(info.name, resource, ends) ?? ANY;
  if (parsed.pattern !== 'request') return ANY;
  const shape = answerShapeAt(resource, []);
  if (shape?.type !== 'structure') return ANY;
  let answer = { ...ofShape(shape, 0), undef: false, nul: false };
  for (const rule of failRulesOf(resource)) {
    for (const at of rule.at) {
      if (at.includes('*')) continue;
      const narrowed = narrowAt(answer, at.split('.'), rule);
      if (narrowed === undefined) continue;
      answer = narrowed;
      ends.push({ state: info.name, field: `.${at}`, when: `'${info.name}' answers .${at} ${refusedValues(rule.test)}`, error: errorOf(rule, parsed.row?.errorPrefix ?? '') });
    }
  }
  return answer;
}

/** The value the contract's shape describes: one of its type, null, or nothing. */
function ofShape(shape: Shape | undefined, depth: number): AbstractValue {
  if (shape === undefined || depth > SHAPE_DEPTH) return ANY;
  const may = { undef: true, nul: true };
  switch (shape.type) {
    case 'structure': {
      const fields = new Map<string, AbstractValue>();
      // A member the model requires of an answer is always there, and not null (an SDK answer holds no null).
      for (const f of shape.fields) {
        const v = ofShape(shape.member(f), depth + 1);
        fields.set(f, shape.required.includes(f) ? { ...v, undef: false, nul: false } : v);
      }
      return { ...NOTHING, ...may, obj: { fields } };
    }
    case 'list': return { ...NOTHING, ...may, arr: { min: 0, item: ofShape(shape.member, depth + 1) } };
    case 'map': return { ...NOTHING, ...may, obj: { fields: new Map(), rest: ofShape(shape.value, depth + 1) } };
    case 'integer': case 'number':
      return { ...NOTHING, ...may, num: { lo: -Infinity, hi: Infinity } };
    case 'boolean': return { ...NOTHING, ...may, bool: { f: true, t: true } };
    case 'string': return { ...NOTHING, ...may, str: shape.enum && shape.enum.length > 0 ? { only: shape.enum } : {} };
    // An answer's timestamp is text (TestState refuses a number there, as contract-answers.ts records).
    case 'timestamp': return { ...NOTHING, ...may, str: {} };
    default: return ANY;
  }
}

/** The answer with what the rule fails left out at `path`; undefined when the rule leaves out nothing explore can tell. */
function narrowAt(v: AbstractValue, path: readonly string[], rule: CatalogueFailRule): AbstractValue | undefined {
  if (path.length === 0) {
    const test = rule.test;
    if ('outside' in test) {
      if (!v.num) return undefined;
      const lo = Math.max(v.num.lo, test.outside[0]);
      const hi = Math.min(v.num.hi, test.outside[1]);
      const { num: _n, ...rest } = v;
      return lo <= hi ? { ...rest, num: { lo, hi } } : rest;
    }
    if ('above' in test) {
      if (!v.num || v.num.hi <= test.above) return undefined;
      const { num: _n, ...rest } = v;
      return v.num.lo <= test.above ? { ...rest, num: { lo: v.num.lo, hi: test.above } } : rest;
    }
    if ('present' in test) return join(v.undef ? UNDEF : NOTHING, v.nul ? { ...NOTHING, nul: true } : NOTHING);
    if ('oneOf' in test) {
      if (!v.str?.only) return undefined;
      const only = v.str.only.filter((s) => !test.oneOf.includes(s));
      const { str: _s, ...rest } = v;
      return only.length > 0 ? { ...rest, str: { only } } : rest;
    }
    return undefined;
  }
  const obj = v.obj;
  if (!obj || v.arr) return undefined;
  const inner = narrowAt(obj.fields.get(path[0]) ?? obj.rest ?? ANY, path.slice(1), rule);
  if (inner === undefined) return undefined;
  const fields = new Map(obj.fields);
  fields.set(path[0], inner);
  return { ...v, obj: { ...obj, fields } };
}

function errorOf(rule: CatalogueFailRule, prefix: string): string {
  const e = rule.error;
  if ('taskFailed' in e) return StatesErrors.TASK_FAILED;
  if ('name' in e) return e.name;
  if ('status' in e) return `${prefix}${e.infix}<${e.status}>`;
  return `the error the answer names at ${e.from} (else ${e.otherwise})`;
}
