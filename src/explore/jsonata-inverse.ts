import type { Exploration } from './context';
import { invert, invertible } from './inverse';
import { quoted, type JsonataEnv } from './jsonata-flow';
import { fieldsOfEach, resultLists } from './map-results';
import { setAt } from './plan';
import { fits, placeholder, type Expect, type Write } from './reads';
import {
  assignments, bindings, candidatesFor, fieldKey, fieldOf, filterPassing, itemPassing, literalOf, parseFieldKey, parseJsonata, rangeStart, readsOf,
  stagesOf, type FieldRef, type JsonataNode, type Reads,
} from './solve/jsonata-ast';
import type { Computed, Source, Step } from './sources';
import type { JsonValue } from '../asl';
import { sameJson } from '../asl/json-value';
import type { CompiledJsonata } from '../asl/jsonata/compile';
import { followSteps } from '../asl/path';
import { seededRandom } from '../asl/random';

/*
 * Steering what a JSONata expression computes: the fields it reads are given values drawn
 * from the expression itself and from the value wanted (a count wants a list of that many, a
 * `$string` the number it prints, a comparison the literal either side, a filter an item that
 * passes it), the expression is evaluated on each try as the state evaluated it, and the
 * values that give what is wanted are written where the fields come from — the execution
 * input, a Task's answer, or, for a field another expression computes, through that one in turn.
 */

/**
 * A place under a computed value and what is wanted there: `value` (`undefined`: nothing), or
 * with `defined`, any value at all — of the kind `expect` says, when it says one.
 */
export interface Want {
  readonly steps: readonly Step[];
  readonly value: JsonValue | undefined;
  readonly defined?: boolean;
  readonly expect?: Expect;
}

/** Evaluations one steering makes at most (each runs the expression once). */
const EVALUATIONS = 160;
/** How deep a field computed by another expression is steered through that one. */
const MAX_DEPTH = 3;

const compiled = new Map<string, CompiledJsonata | Error>();
// Loaded on first use, as the Conditions' evaluator is (conditions.ts).
let jsonataCompile: typeof import('../asl/jsonata/compile') | undefined;

function compile(text: string): CompiledJsonata | Error {
  let c = compiled.get(text);
  if (c === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous load, deferred to first use
      jsonataCompile ??= require('../asl/jsonata/compile') as typeof import('../asl/jsonata/compile');
      c = jsonataCompile.compileJsonataValue(`{% ${text} %}`, 'explore');
    } catch (e) {
      c = e as Error;
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(text, c);
  }
  return c;
}

/** The value an expression gives on `env` (`undefined` when it gives nothing), or the Error it raised. */
async function evaluate(text: string, env: JsonataEnv, interrupt: () => void): Promise<JsonValue | undefined | Error> {
  const c = compile(text);
  if (c instanceof Error) return c;
  try {
    return await c.evaluate({
      states: {
        input: env.input ?? {},
        context: env.context ?? {},
        ...(env.result !== undefined ? { result: env.result } : {}),
        ...(env.errorOutput !== undefined ? { errorOutput: env.errorOutput } : {}),
      },
      variables: env.variables,
      random: seededRandom(0),
      ...(env.now !== undefined ? { now: env.now } : {}),
      interrupt,
    });
  } catch (e) {
    // Being cut short by the budget is not an answer.
    interrupt();
    return e as Error;
  }
}

function rootValue(env: JsonataEnv, ref: FieldRef): JsonValue | undefined {
  const r = ref.root;
  if (typeof r === 'object') return Object.hasOwn(env.variables, r.variable) ? env.variables[r.variable] : undefined;
  return env[r];
}

/** `env` with the field set to `value` (`undefined`: removed). */
function withField(env: JsonataEnv, ref: FieldRef, value: JsonValue | undefined): JsonataEnv {
  const r = ref.root;
  const next = setAt(rootValue(env, ref), ref.steps, value);
  if (typeof r === 'object') {
    const variables = { ...env.variables };
    if (next === undefined) delete variables[r.variable];
    else Object.defineProperty(variables, r.variable, { value: next, enumerable: true, writable: true, configurable: true });
    return { ...env, variables };
  }
  return { ...env, [r]: next };
}

function writable(x: Exploration, s: Source): boolean {
  if (s.kind === 'input') return true;
  if (s.kind === 'task' || s.kind === 'cause') return !x.fixed.has(s.state);
  return s.computed !== undefined && invertible(s.computed);
}

/**
 * Most items a wanted count makes up (`$count(x[level = "ERROR"]) >= 100`): each may be a Map
 * item, run as a child execution in every run that tries it.
 */
const MAX_COUNTED_ITEMS = 256;

/** A literal node of a value, for the hints a comparison with it gives. */
function literalNode(value: JsonValue): JsonataNode | undefined {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'number') return { type: 'number', value };
  if (typeof value === 'boolean' || value === null) return { type: 'value', value };
  return undefined;
}

/**
 * The parts of an expression a wanted value says something of, with what each must give:
 * the part itself, and through arithmetic with a literal the operand (`$count(x) - 1 = 2`:
 * `$count(x) = 3`).
 */
function peeled(node: JsonataNode, want: JsonValue): Array<[JsonataNode, JsonValue]> {
  const out: Array<[JsonataNode, JsonValue]> = [[node, want]];
  let cur = node;
  let w = want;
  for (let i = 0; i < 8; i++) {
    const next = peelOne(cur, w);
    if (!next) break;
    [cur, w] = next;
    out.push([cur, w]);
  }
  return out;
}

/** One step of {@link peeled}: arithmetic with a literal, or a conversion a value passes through unchanged in kind. */
function peelOne(cur: JsonataNode, w: JsonValue): [JsonataNode, JsonValue] | undefined {
  // A list of literals and one expression (`['support', $lowercase(tier)]`): the expression gives the item at its place.
  if (cur.type === 'unary' && cur.value === '[' && Array.isArray(cur.expressions) && Array.isArray(w) && w.length === cur.expressions.length) {
    const parts = cur.expressions as JsonataNode[];
    const open = parts.map((p, i) => ({ p, i })).filter(({ p }) => literalOf(p) === undefined);
    if (open.length !== 1 || parts.some((p, i) => literalOf(p) !== undefined && !sameJson(literalOf(p), w[i]))) return undefined;
    return [open[0].p, w[open[0].i]];
  }
  // Text joined with `&` of literals and one expression (`'ORD-' & $id`): that expression gives what is left between them.
  if (cur.type === 'binary' && cur.value === '&' && typeof w === 'string') {
    const [l, r] = [literalOf(cur.lhs), literalOf(cur.rhs)];
    if (typeof l === 'string' && r === undefined && w.startsWith(l)) return [cur.rhs, w.slice(l.length)];
    if (typeof r === 'string' && l === undefined && w.endsWith(r)) return [cur.lhs, w.slice(0, w.length - r.length)];
  }
  if (cur.type === 'binary' && typeof w === 'number') {
    const l = literalOf(cur.rhs);
    const r = literalOf(cur.lhs);
    let next: [JsonataNode, number] | undefined;
    if (typeof l === 'number') {
      if (cur.value === '+') next = [cur.lhs, w - l];
      else if (cur.value === '-') next = [cur.lhs, w + l];
      else if (cur.value === '*' && l !== 0) next = [cur.lhs, w / l];
      else if (cur.value === '/') next = [cur.lhs, w * l];
    } else if (typeof r === 'number') {
      if (cur.value === '+') next = [cur.rhs, w - r];
      else if (cur.value === '-') next = [cur.rhs, r - w];
      else if (cur.value === '*' && r !== 0) next = [cur.rhs, w / r];
    }
    // Whole numbers in, whole numbers out: a fraction only a division gives is not a value the fields hold.
    const fraction = next !== undefined && Number.isInteger(w) && !Number.isInteger(next[1]) && cur.value !== '/';
    return next && Number.isFinite(next[1]) && !fraction ? next : undefined;
  }
  // A path on what a function gives (`$parse($states.result.Body).content[0].text`): the function gives an object that holds
  // the value wanted there.
  const steps = cur.type === 'path' && Array.isArray(cur.steps) ? cur.steps as JsonataNode[] : [];
  if (steps.length > 1 && steps[0].type === 'function' && (steps[0].stages ?? []).length === 0) {
    let value = w;
    for (let i = steps.length - 1; i >= 1; i--) {
      const st = steps[i];
      const wrapped = st.type === 'name' && typeof st.value === 'string' ? wrapStages(st, value) : undefined;
      if (wrapped === undefined) return undefined;
      value = { [st.value as string]: wrapped };
    }
    return [steps[0], value];
  }
  if (cur.type !== 'function' || cur.procedure?.type !== 'variable') return undefined;
  const arg = (cur.arguments as JsonataNode[] | undefined)?.[0];
  if (arg === undefined) return undefined;
  switch (cur.procedure.value) {
    case 'number': return typeof w === 'number' ? [arg, String(w)] : undefined;
    // The keys wanted are an object's keys; what a $sift keeps, each entry made to pass its function.
    case 'keys': return Array.isArray(w) && w.every((k) => typeof k === 'string') ? [arg, Object.fromEntries(w.map((k) => [k, {}]))] : undefined;
    case 'sift': {
      const lambda = (cur.arguments as JsonataNode[])[1];
      const item = lambda?.type === 'lambda' ? itemPassing(lambda) : undefined;
      if (!isObject(w)) return undefined;
      return [arg, Object.fromEntries(Object.entries(w).map(([k, v]) => [k, isObject(v) && isObject(item) ? deepMerge(v, item) : item ?? v]))];
    }
    case 'filter': { // What it keeps (as many as a $count wants), each item made to pass its function.
      const lambda = (cur.arguments as JsonataNode[])[1];
      const item = lambda?.type === 'lambda' ? itemPassing(lambda) : undefined;
      const pass = (v: JsonValue): JsonValue => (isObject(v) && isObject(item) ? deepMerge(v, item) : item!);
      return item === undefined ? undefined : [arg, (Array.isArray(w) ? w : [w]).map(pass)];
    }
    // What a $map gives, each result wanted made back into the item its function reads (`{'size': $number($i.size.N)}`).
    case 'map': {
      const lambda = (cur.arguments as JsonataNode[])[1];
      const items = lambda?.type === 'lambda' ? itemsMappedTo(lambda, w) : undefined;
      return items !== undefined ? [arg, items] : undefined;
    }
    case 'string': return typeof w === 'string' ? [arg, w !== '' && Number.isFinite(Number(w)) ? Number(w) : w] : undefined;
    // Step Functions' $parse gives the value a string of JSON holds: the string that holds the value wanted.
    case 'parse': return [arg, JSON.stringify(w)];
    // A count of n wants n items (one is a single value, as a path gives it); a filter on the path makes each pass it.
    case 'count':
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > MAX_COUNTED_ITEMS) return undefined;
      return [arg, w === 1 ? {} : Array.from({ length: w }, () => ({}))];
    // `$split(s, sep)` gives the parts of s between separators: s is the parts wanted joined by it. A part that is
    // no text is joined as it prints, which gives a text where it was not one: a value for a judge, not an exact want.
    case 'split': {
      const sep = literalOf((cur.arguments as JsonataNode[])[1]);
      if (!Array.isArray(w) || typeof sep !== 'string' || sep === '') return undefined;
      const parts = w.map((p) => (typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean' ? String(p) : undefined));
      if (parts.some((p) => p === undefined || p.includes(sep))) return undefined;
      return [arg, parts.join(sep)];
    }
    // `$join(list, sep)` gives the items joined by sep: the list is the text wanted split at it (with no
    // separator, or an empty one, the text itself is the one item).
    case 'join': {
      const sepNode = (cur.arguments as JsonataNode[])[1];
      const sep = sepNode === undefined ? '' : literalOf(sepNode);
      if (typeof w !== 'string' || typeof sep !== 'string') return undefined;
      return [arg, sep === '' ? [w] : w.split(sep)];
    }
    // What these give back is what they were given, when it is already so.
    case 'trim': case 'lowercase': case 'uppercase': case 'replace': case 'abs': case 'floor': case 'ceil': case 'round':
      return [arg, w];
    default: return undefined;
  }
}

/** The most fields of a sum given a share of the value wanted. */
const MAX_TERMS = 8;

/**
 * For a sum of several fields read whole, each times a literal or divided by one, plus
 * literals: the value that, given to every field, makes the sum `want` (and, when it is not a
 * whole number, the whole numbers on either side of it), by the key of each field. None for
 * anything else, or a field read twice.
 */
function evenShares(node: JsonataNode, want: number): Array<[string, number]> {
  const terms: Array<{ key: string; coef: number }> = [];
  let constant = 0;
  const walk = (n: JsonataNode, scale: number): boolean => {
    if (terms.length > MAX_TERMS) return false;
    if (n.type === 'number') { constant += scale * (n.value as number); return true; }
    if (n.type === 'binary' && (n.value === '+' || n.value === '-')) return walk(n.lhs, scale) && walk(n.rhs, n.value === '-' ? -scale : scale);
    if (n.type === 'binary' && (n.value === '*' || n.value === '/')) {
      const r = literalOf(n.rhs);
      const l = literalOf(n.lhs);
      if (typeof r === 'number' && r !== 0) return walk(n.lhs, n.value === '*' ? scale * r : scale / r);
      if (n.value === '*' && typeof l === 'number') return walk(n.rhs, scale * l);
      return false;
    }
    const read = fieldOf(n, new Set());
    if (!read || !('ref' in read) || !read.whole || terms.some((t) => t.key === read.ref.key)) return false;
    terms.push({ key: read.ref.key, coef: scale });
    return true;
  };
  if (!walk(node, 1) || terms.length < 2) return [];
  const total = terms.reduce((a, t) => a + t.coef, 0);
  const u = (want - constant) / total;
  if (!Number.isFinite(u) || total === 0) return [];
  const values = Number.isInteger(u) ? [u] : [u, Math.ceil(u), Math.floor(u)];
  return terms.flatMap((t) => [...values].reverse().map((v): [string, number] => [t.key, v]));
}

/** The most results of a `$map` made back into items. */
const MAX_MAPPED = 64;

/**
 * The items a `$map` function gives the results wanted from (a list of them, or one, as a sequence
 * of one reads): the function's body a path under its item, or an object whose entries are, each
 * through what {@link peeled} undoes (`$number`, arithmetic with a literal). Undefined when a
 * result wanted has a field the body does not build, or one it cannot take back to the item.
 */
function itemsMappedTo(lambda: JsonataNode, want: JsonValue): JsonValue[] | undefined {
  const param = (lambda.arguments as JsonataNode[] | undefined)?.[0];
  const body = lambda.body as JsonataNode | undefined;
  const results = Array.isArray(want) ? want : [want];
  if (param?.type !== 'variable' || body === undefined || results.length === 0 || results.length > MAX_MAPPED) return undefined;
  /** The item with what `node` reads of it set so that `node` gives `value`. */
  const back = (item: JsonValue | undefined, node: JsonataNode, value: JsonValue): JsonValue | undefined => {
    for (const [part, v] of peeled(node, value).reverse()) {
      if (part.type !== 'path') continue;
      const steps = part.steps as JsonataNode[];
      if (steps[0]?.type !== 'variable' || steps[0].value !== param.value) continue;
      const rest = steps.slice(1);
      if (!rest.every((st) => st.type === 'name' && typeof st.value === 'string' && !st.stages)) continue;
      return setAt(item, rest.map((st) => st.value as string), v);
    }
    return undefined;
  };
  const items: JsonValue[] = [];
  for (const result of results) {
    let item: JsonValue | undefined = {};
    if (body.type === 'unary' && body.value === '{' && isObject(result)) {
      // An object constructor's lhs is its entries, each a key node and a value node.
      const pairs: ReadonlyArray<readonly [JsonataNode, JsonataNode]> = body.lhs;
      for (const [key, value] of Object.entries(result)) {
        const pair = pairs.find(([k]) => k.type === 'string' && k.value === key);
        item = pair ? back(item, pair[1], value) : undefined;
        if (item === undefined) return undefined;
      }
    } else {
      item = back(item, body, result);
    }
    if (item === undefined) return undefined;
    items.push(item);
  }
  return items;
}

/**
 * A value for the field a path reads that makes the path give `want`: each step it takes
 * wraps the value (a name in an object, an index in a list), a filter in a list of one item
 * that passes it. `bound` gives what the names a block binds stand for.
 */
function synthesized(node: JsonataNode, want: JsonValue, bound: ReadonlyMap<string, JsonataNode>): { key: string; value: JsonValue } | undefined {
  if (node.type !== 'path' && node.type !== 'variable') return undefined;
  let steps = (node.type === 'variable' ? [node] : node.steps) as JsonataNode[];
  const head = steps[0];
  if (head?.type === 'variable' && bound.has(head.value)) {
    const b = bound.get(head.value)!;
    if (b.type !== 'path') return undefined;
    // `$fields[Type.Text = "TOTAL"]` filters what `$fields` is bound to: the filter goes on the bound path's last step.
    const of = b.steps as JsonataNode[];
    const last = of[of.length - 1];
    const filters = stagesOf(head);
    const tail = filters ? [{ ...last, stages: [...(last.stages ?? []), ...filters] }] : [last];
    steps = [...of.slice(0, -1), ...tail, ...steps.slice(1)];
  }
  const read = fieldOf({ type: 'path', steps }, new Set());
  if (!read || !('ref' in read) || read.whole) return undefined;
  // The field is the path up to the first step with a filter, that step's name included; a filter on the
  // root itself (`$states.result[level = "ERROR"]`, `$items[x = 1]`) filters the root's value.
  const stop = steps[read.at];
  const atRoot = read.at === 0 || (read.at === 1 && steps[0]?.value === 'states');
  if (!atRoot && (read.at < 2 || stop?.type !== 'name' || typeof stop.value !== 'string')) return undefined;
  let value: JsonValue = want;
  for (let i = steps.length - 1; i > read.at; i--) {
    const st = steps[i];
    if (st.type !== 'name' || typeof st.value !== 'string') return undefined;
    // A step's stages filter what the step gives in each item (`Data[0]` is the first of an item's Data): the list is under the name.
    const wrapped = wrapStages(st, value);
    if (wrapped === undefined) return undefined;
    value = { [st.value]: wrapped };
  }
  const item = wrapStages(stop, value);
  if (item === undefined) return undefined;
  const ref = read.ref;
  return { key: atRoot ? ref.key : fieldKey(ref.root, [...ref.steps, stop.value]), value: item };
}

/**
 * `value` under a step's stages: `[n]` puts it at index n of a list, a range `[[m..n]]` at index
 * m (the first it keeps), a filter `[a.b = lit]` in a list of one item that passes it.
 */
function wrapStages(step: JsonataNode, value: JsonValue): JsonValue | undefined {
  let out = value;
  // A path's step holds its filters as stages; a variable read alone (`$items[priority = 'high']`) as its predicate.
  for (const stage of [...(stagesOf(step) ?? [])].reverse()) {
    if (stage.type !== 'filter') return undefined;
    const e = stage.expr as JsonataNode;
    const index = e.type === 'number' ? e.value : rangeStart(e);
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < 64) {
      out = [...Array.from({ length: index }, () => out), out];
      continue;
    }
    const passing = filterPassing(e);
    if (passing === undefined) return undefined;
    const pass = (item: JsonValue): JsonValue => (isObject(item) && isObject(passing) ? deepMerge(item, passing) : item);
    // Several items wanted (a count's): each passes the filter; one is a list of that one. A placeholder text (a variable wanted
    // defined), or an item of a list a count wants (`[1, 2, 3]`), cannot hold the fields the filter compares: the item that passes it does.
    const one = typeof out === 'string' && isObject(passing) ? passing : pass(out);
    const each = (item: JsonValue) => (isObject(item) ? pass(item) : isObject(passing) ? passing : item);
    out = Array.isArray(out) && out.length !== 1 && (out.every(isObject) || isObject(passing)) ? out.map(each) : [one];
  }
  return out;
}

function isObject(v: JsonValue | undefined): v is { [k: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function deepMerge(a: { [k: string]: JsonValue }, b: { [k: string]: JsonValue }): { [k: string]: JsonValue } {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(out[k]) && isObject(v) ? deepMerge(out[k] as { [k: string]: JsonValue }, v) : v;
  return out;
}

/**
 * `$lookup(table, key)` giving `want`: the key expression is hinted with the table's keys
 * (those whose value is the one wanted first), the table read from the values the expression ran on.
 */
function lookupKeys(node: JsonataNode, want: JsonValue, env: JsonataEnv): Array<[JsonataNode, JsonValue]> {
  if (node.type !== 'function' || node.procedure?.type !== 'variable' || node.procedure.value !== 'lookup') return [];
  const [table, key] = (node.arguments ?? []) as JsonataNode[];
  const read = table ? fieldOf(table, new Set()) : undefined;
  if (!key || !read || !('ref' in read) || !read.whole) return [];
  const base = rootValue(env, read.ref);
  const value = base === undefined ? undefined : followSteps(base, read.ref.steps);
  if (!isObject(value)) return [];
  const keys = Object.keys(value).sort((a, b) => Number(!sameJson(value[a], want)) - Number(!sameJson(value[b], want)));
  return keys.slice(0, 8).map((k) => [key, k]);
}

/**
 * The hints an expression gives, and those the wanted value gives the part that computes it
 * (`part = want`), the parts inside it a wanted value passes through unchanged in kind
 * (arithmetic, conversions), the field a path with a filter reads, and a `$lookup`'s keys.
 */
function hintsOf(
  text: string, node: JsonataNode, wants: readonly Want[], env: JsonataEnv, likely: readonly Want[] = [], at: readonly Step[] = [],
): Reads | undefined {
  const parsed = parseJsonata(text);
  if ('error' in parsed) return undefined;
  const reads = readsOf(parsed.ast);
  const bound = bindings(parsed.ast);
  const first = (field: string, ...values: JsonValue[]) => reads.hints.set(field, [...values, ...(reads.hints.get(field) ?? [])]);
  // Several fields wanted of what a function gives whole ($parse's value): one value holds them all, tried last so first.
  // The steps of a want under the part that computes it (`total` of `pricing.total`, the part at `pricing`).
  const under = (steps: readonly Step[]): Step[] => (sameJson(steps.slice(0, at.length), [...at]) ? steps.slice(at.length) : [...steps]);
  const together = wants.length > 1 && wants.every((w) => !w.defined && under(w.steps).length > 0 && w.value !== undefined)
    ? wants.reduce<JsonValue | undefined>((acc, w) => setAt(acc, under(w.steps), w.value), undefined) : undefined;
  // The values a judge is likely to accept give hints as wanted values do, tried after them (each is put first, so the
  // last given comes first): they are not wanted as such, so they name no literal.
  const hinted = new Set<Want>(likely);
  for (const w of [...[...likely].reverse(), ...(together === undefined ? wants : [...wants, { steps: [], value: together }])]) {
    // Any value of the kind wanted will do: a placeholder of that kind stands for it where a path must be built.
    const value = w.defined ? placeholder(w.expect ?? 'any', w.steps) : w.value;
    if (value === undefined) continue;
    // What a function gives as a whole ($parse's value) is wanted whole: the value wanted at its steps, in an object.
    const wrapped = under(w.steps).length > 0 && !w.defined ? setAt(undefined, under(w.steps), value) : undefined;
    const parts = [...peeled(node, value), ...(wrapped !== undefined ? peeled(node, wrapped).slice(1) : [])];
    for (const [part, v] of [...parts, ...parts.flatMap(([p, pv]) => lookupKeys(p, pv, env))]) {
      // A part that is a field read whole gives the value wanted of the field itself.
      const whole = fieldOf(part, new Set());
      // Any value will do for a field wanted defined, but not for one inside what computes it: the value peeled for it holds the placeholder
      // where it must (the text `$parse` reads).
      if ((!w.defined || part !== node) && whole && 'ref' in whole && whole.whole) first(whole.ref.key, v);
      const made = synthesized(part, v, bound);
      if (made) {
        // A list built for a filter keeps the items the field holds now: what other parts of the expression find there stays.
        const ref = parseFieldKey(made.key);
        const now = ref ? followSteps(rootValue(env, ref) ?? null, ref.steps) : undefined;
        first(made.key, Array.isArray(now) && Array.isArray(made.value) ? [...now, ...made.value] : made.value, made.value);
      }
      // A weighted sum of several fields (`a * 0.5 + b * 0.3 + c * 0.2`): each field given the one value that makes it come out.
      for (const [key, u] of typeof v === 'number' ? evenShares(part, v) : []) first(key, u);
      if (w.defined) continue;
      const lit = literalNode(v);
      if (lit === undefined) continue;
      const extra = readsOf({ type: 'binary', value: '=', lhs: part, rhs: lit });
      for (const [f, hs] of extra.hints) first(f, ...hs);
    }
    if (!w.defined && !hinted.has(w)) reads.literals.unshift(value);
  }
  return reads;
}

/** The values wanted, in words. */
function shown(wants: readonly Want[]): string {
  const what = (w: Want) => (w.defined ? (w.expect === undefined || w.expect === 'any' ? 'a value' : `a value of kind ${w.expect}`) : w.value === undefined ? '(nothing)' : JSON.stringify(w.value));
  return wants.map((w) => `${w.steps.length > 0 ? `${w.steps.join('.')} = ` : ''}${what(w)}`).join(', ');
}

/** One computation to steer, and what it must give. */
export interface Steering {
  readonly computed: Computed;
  readonly wants: readonly Want[];
  /**
   * Values at the computation's place (`Computed.steps`) a judge is likely to accept (those the
   * Conditions judging compare it with): hints for the fields it reads, not values it must give.
   */
  readonly likely?: readonly JsonValue[];
}

/**
 * The writes that make a JSONata computation give what `wants` asks (each place under its value
 * as `Computed.steps` reads it), or why explore found none: the reason names the expression and
 * where it stands, so a user knows what to give.
 */
export async function steerJsonata(x: Exploration, c: Computed, wants: readonly Want[], depth = 0): Promise<Write[] | { reason: string }> {
  return steerTogether(x, [{ computed: c, wants }], depth);
}

/**
 * Steers several computations at once: those that read a field from the same place (two
 * variables both computed from `$states.input.deviceId`) are given one value there, tried
 * on all of them together, so that what one needs does not undo what another does. With
 * `partial`, the writes of the groups that could be steered are answered even when another
 * could not.
 */
export async function steerAll(x: Exploration, parts: readonly Steering[], partial = false): Promise<Write[] | { reason: string }> {
  const groups: Steering[][] = [];
  const keysOf = (p: Steering) => new Set(p.computed.args.map((a) => (a.kind === 'source' ? JSON.stringify(a.source) : '')));
  for (const part of parts) {
    const mine = keysOf(part);
    const joined = groups.filter((g) => g.some((q) => [...keysOf(q)].some((k) => k !== '' && mine.has(k))));
    const merged = [...joined.flat(), part];
    for (const g of joined) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  const writes: Write[] = [];
  let failed: { reason: string } | undefined;
  for (const group of groups) {
    const steered = await steerTogether(x, group, 0);
    if (!('reason' in steered)) writes.push(...steered);
    else if (!partial) return steered;
    else failed ??= steered;
  }
  return writes.length === 0 && failed ? failed : writes;
}

/** A place explore can write that computations read, the fields that read it in each, and the values tried there. */
interface Lever {
  readonly source: Source;
  readonly refs: Array<{ readonly part: number; readonly ref: FieldRef }>;
}

/**
 * What steering found for the same expressions, wants and values before, per exploration: the
 * same question asked again (by each repair round, by each value a Choice search tries) costs
 * its evaluations once.
 */
const answered = new WeakMap<Exploration, Map<string, Write[] | { reason: string }>>();
const ANSWERS_KEPT = 2_000;

async function steerTogether(x: Exploration, parts: readonly Steering[], depth: number): Promise<Write[] | { reason: string }> {
  let memo = answered.get(x);
  if (!memo) answered.set(x, memo = new Map());
  const key = JSON.stringify(parts.map((p) => {
    const c = p.computed.params?.jsonata;
    return [c?.where, c?.text, p.wants, c?.env(), p.computed.args];
  }));
  const known = memo.get(key);
  if (known !== undefined) return known;
  const found = await steerAnew(x, parts, depth);
  // A search the budget cut short is not an answer to keep.
  if (!x.stopped()) {
    if (memo.size >= ANSWERS_KEPT) memo.clear();
    memo.set(key, found);
  }
  return found;
}

/**
 * What a search over the fields of computations checks: the values they give at their places
 * (each `Computed.steps`), for a caller that asks more of them together than one value each
 * (a Choice's Conditions, evaluated on them).
 */
export type Judge = (
  values: ReadonlyArray<JsonValue | undefined>, levers: ReadonlyArray<{ readonly source: Source; readonly value: JsonValue | undefined }>,
) => Promise<boolean>;

/**
 * The writes that make computations give values `judge` accepts, trying values of the fields
 * they read (as {@link steerJsonata} does for wanted values), or why explore found none.
 */
export async function steerJudged(
  x: Exploration, computed: readonly Computed[], judge: Judge, likely: ReadonlyArray<readonly JsonValue[]> = [], judged: readonly JsonValue[] = [],
): Promise<Write[] | { reason: string }> {
  return steerAnew(x, computed.map((c, i) => ({ computed: c, wants: [], likely: likely[i] ?? [] })), 0, judge, judged);
}

/**
 * `judged`: the literals of the Conditions `judge` evaluates (`total / papers >= 85`), which a list of a Map's results is
 * made to meet (its size, a field of its results).
 */
async function steerAnew(
  x: Exploration, parts: readonly Steering[], depth: number, judge?: Judge, judged: readonly JsonValue[] = [],
): Promise<Write[] | { reason: string }> {
  const comps = parts.map((p) => p.computed.params?.jsonata);
  const first = comps[0];
  if (parts.some((p, i) => p.computed.fn !== 'JSONata' || comps[i] === undefined) || first === undefined) return { reason: 'not a JSONata computation' };
  const stops = comps.map((c) => `${c!.where} computes it with the JSONata expression ${quoted(c!.text)}`).join('; and ');
  if (depth > MAX_DEPTH) return { reason: `${stops}, from values computed by more expressions than explore follows` };
  const envs = comps.map((c) => c!.env());
  const reads = parts.map((p, i) => {
    const likely = (p.likely ?? []).map((value): Want => ({ steps: p.computed.steps, value }));
    return hintsOf(comps[i]!.text, comps[i]!.node, p.wants, envs[i], likely, comps[i]!.at);
  });
  if (reads.some((r) => r === undefined)) return { reason: `${stops}, which does not parse` };
  const levers = new Map<string, Lever>();
  parts.forEach((p, i) => comps[i]!.fields.forEach((ref, k) => {
    const a = p.computed.args[k];
    if (a?.kind !== 'source' || !writable(x, a.source)) return;
    const key = JSON.stringify(a.source);
    const lever = levers.get(key) ?? { source: a.source, refs: [] };
    lever.refs.push({ part: i, ref });
    levers.set(key, lever);
  }));
  // A Map's results given whole are the results every part of the same expression reads a field of (`$count($states.result)`
  // beside `$sum($states.result.stars)`): a list tried for one is tried for all of them.
  for (const lever of levers.values()) {
    const whole = lever.refs.find((r) => r.ref.steps.length === 0);
    if (lever.source.kind !== 'fixed' || lever.source.computed?.fn !== 'Map.results' || whole === undefined) continue;
    const where = comps[whole.part]!.where;
    parts.forEach((_, i) => {
      const under = comps[i]!.fields.some((f) => JSON.stringify(f.root) === JSON.stringify(whole.ref.root));
      const added = lever.refs.some((r) => r.part === i);
      if (i !== whole.part && comps[i]!.where === where && under && !added) lever.refs.push({ part: i, ref: whole.ref });
    });
  }
  const list = [...levers.values()];
  if (list.length === 0) return { reason: `${stops}, from fields explore cannot write (${comps.flatMap((c) => c!.fields.map((f) => f.key)).join(', ')})` };
  const names = list.map((l) => l.refs[0].ref.key);
  const numbers = [...judged, ...parts.flatMap((p) => p.likely ?? []), ...reads.flatMap((r) => r!.literals)];
  const candidates = list.map((l) => {
    // The hints each computation gives the field, tried in turn.
    const { part, ref } = l.refs[0];
    const byPart = l.refs.map((r) => reads[r.part]!.hints.get(r.ref.key) ?? []);
    // Computations that each want something of one string (a prefix, what follows a separator) are tried on the strings joined.
    const joined: JsonValue[] = [];
    for (let i = 0; i < byPart.length; i++) {
      for (let j = 0; j < byPart.length; j++) {
        if (i === j) continue;
        for (const a of byPart[i].slice(0, 3)) for (const b of byPart[j].slice(0, 3)) if (typeof a === 'string' && typeof b === 'string') joined.push(a + b);
      }
    }
    const all: Reads = {
      ...reads[part]!, hints: new Map([[ref.key, [...byPart.flat(), ...joined]]]), literals: l.refs.flatMap((r) => reads[r.part]!.literals),
    };
    const now = followSteps(rootValue(envs[part], ref) ?? null, ref.steps);
    const last = [...ref.steps].reverse().find((st): st is string => typeof st === 'string');
    const kind = last !== undefined ? x.seeds.get(last) : undefined;
    const tried = candidatesFor(ref.key, all, now === undefined ? { found: false } : { found: true, value: now }, kind);
    // A Map's results as a whole: lists of results its iterations gave (each for an item explore knows), in the numbers and
    // with the values the expressions and the Conditions name, before the values any field is tried with.
    const whole = ref.steps.length === 0 && l.source.kind === 'fixed' ? l.source.computed : undefined;
    const lists = whole ? resultLists(whole, numbers, now, fieldsOfEach(l.refs.flatMap((r) => [...reads[r.part]!.refs.values()]), ref)) : [];
    return lists.length > 0 ? [...lists.filter((r) => now === undefined || !sameJson(r, now)), ...tried] : tried;
  });
  let tries = 0;
  let failedWrites: string | undefined;
  for (const assignment of assignments(names, candidates)) {
    if (tries >= EVALUATIONS || x.stopped()) break;
    tries++;
    let ok = true;
    const given: Array<JsonValue | undefined> = [];
    for (let i = 0; i < parts.length && ok; i++) {
      let tried = envs[i];
      for (const [k, v] of assignment) for (const r of list[k].refs) if (r.part === i) tried = withField(tried, r.ref, v);
      const value = await evaluate(comps[i]!.text, tried, x.interrupt);
      if (value instanceof Error) { ok = false; break; }
      ok = parts[i].wants.every((w) => gives(value, w));
      given.push(value === undefined ? undefined : followSteps(value, parts[i].computed.steps));
    }
    if (ok && judge) ok = await judge(given, assignment.map(([k, v]) => ({ source: list[k].source, value: v })));
    if (!ok) continue;
    const writes: Write[] = [];
    for (const [k, v] of assignment) {
      const source = list[k].source;
      if (source.kind !== 'fixed') {
        writes.push({ source, value: v });
        continue;
      }
      const inner = source.computed!;
      const steered = inner.fn === 'JSONata'
        ? await steerTogether(x, [{ computed: inner, wants: [{ steps: inner.steps, value: v }] }], depth + 1)
        : invert(inner, setAt(undefined, inner.steps, v));
      if ('reason' in steered) {
        ok = false;
        failedWrites = steered.reason;
        break;
      }
      writes.push(...steered);
    }
    if (ok) return writes;
  }
  return {
    reason: `${stops}, and none of the ${tries} values tried for ${names.join(', ')} gave ${judge ? 'values that take it' : parts.map((p) => shown(p.wants)).join('; ')}`
      + `${failedWrites !== undefined ? ` that explore could write (${failedWrites})` : ''}`,
  };
}

/** Whether a computed value gives what is wanted at a place under it. */
function gives(value: JsonValue | undefined, w: Want): boolean {
  const at = value === undefined ? undefined : followSteps(value, w.steps);
  if (w.defined) return at !== undefined && (w.expect === undefined || fits(at, w.expect));
  // JSONata gives a sequence of one value as that value: `$keys({"a": 1})` is "a", which reads as ["a"] reads.
  const one = (v: JsonValue | undefined) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
  return sameJson(at, w.value) || sameJson(one(at), one(w.value));
}

