import type { JsonataEnv } from './jsonata-flow';
import { setAt } from './plan';
import { placeholder, type Expect } from './reads';
import {
  bindings, fieldKey, fieldOf, filterPassing, itemPassing, literalOf, parseFieldKey, parseJsonata, rangeStart, readsOf, stagesOf,
  type FieldRef, type JsonataNode, type Reads,
} from './solve/jsonata-ast';
import { relativePath } from './solve/jsonata-items';
import type { Step } from './sources';
import type { JsonValue } from '../asl';
import { sameJson } from '../asl/json-value';
import { followSteps } from '../asl/path';

/*
 * The hints a JSONata expression gives for the fields it reads, when explore steers it to a
 * wanted value (jsonata-inverse.ts): values drawn from the expression itself (its literals,
 * a filter's item, a `$lookup`'s keys) and from the value wanted, carried back through the
 * arithmetic, conversions and constructors between the field and the whole.
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

/** The value of the root a field reads (its input, result, variable...) in `env`. */
export function rootValue(env: JsonataEnv, ref: FieldRef): JsonValue | undefined {
  const r = ref.root;
  if (typeof r === 'object') return Object.hasOwn(env.variables, r.variable) ? env.variables[r.variable] : undefined;
  return env[r];
}

/**
 * Most items a wanted count makes up (`$count(x[level = "ERROR"]) >= 100`): each may be a Map
 * item, run as a child execution in every run that tries it.
 */
const MAX_COUNTED_ITEMS = 256;

/** The farthest from 1970 a JavaScript date goes, in milliseconds either way. */
const MAX_DATE_MS = 8.64e15;

/** The most items a `$partition` is given to cut into the chunks wanted. */
const MAX_PARTITIONED = 1_000;

/** The largest index of a function's result (`$split(s, '-')[3]`) a wanted value is carried back through. */
const MAX_INDEXED = 64;

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
  // What the names the blocks passed through bind stand for.
  const bound = new Map<string, JsonataNode>();
  let cur = node;
  let w = want;
  for (let i = 0; i < 8; i++) {
    const next = peelOne(cur, w, bound);
    if (!next) break;
    [cur, w] = next;
    out.push([cur, w]);
  }
  return out;
}

/** One step of {@link peeled}: arithmetic with a literal, or a conversion a value passes through unchanged in kind. */
function peelOne(cur: JsonataNode, w: JsonValue, bound: Map<string, JsonataNode>): [JsonataNode, JsonValue] | undefined {
  // A block (`( $groups := $partition($cohorts, 25); {"groups": $groups} )`) gives its last expression, in which the names it
  // binds stand for what they are bound to.
  if (cur.type === 'block' && Array.isArray(cur.expressions) && cur.expressions.length > 0 && stagesOf(cur) === undefined) {
    const exprs = cur.expressions as JsonataNode[];
    for (const e of exprs.slice(0, -1)) {
      if (e.type === 'bind' && e.lhs?.type === 'variable' && !bound.has(e.lhs.value)) bound.set(e.lhs.value, e.rhs);
    }
    return [exprs[exprs.length - 1], w];
  }
  if (cur.type === 'variable' && typeof cur.value === 'string' && bound.has(cur.value) && stagesOf(cur) === undefined) return [bound.get(cur.value)!, w];
  // A list of literals and one expression (`['support', $lowercase(tier)]`): the expression gives the item at its place.
  if (cur.type === 'unary' && cur.value === '[' && Array.isArray(cur.expressions) && Array.isArray(w) && w.length === cur.expressions.length) {
    const parts = cur.expressions as JsonataNode[];
    const open = parts.map((p, i) => ({ p, i })).filter(({ p }) => literalOf(p) === undefined);
    if (open.length !== 1 || parts.some((p, i) => literalOf(p) !== undefined && !sameJson(literalOf(p), w[i]))) return undefined;
    return [open[0].p, w[open[0].i]];
  }
  // An object built of entries with text keys (`{"open": $filter(…)}`), one value wanted under one key: the entry's expression gives it.
  if (cur.type === 'unary' && cur.value === '{' && Array.isArray(cur.lhs) && isObject(w) && Object.keys(w).length === 1) {
    const [key] = Object.keys(w);
    const pairs = (cur.lhs as ReadonlyArray<readonly [JsonataNode, JsonataNode]>).filter(([k]) => k.type === 'string' && k.value === key);
    return pairs.length === 1 && literalOf(pairs[0][1]) === undefined ? [pairs[0][1], w[key]] : undefined;
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
  // A chain (`list ~> $f(a)` is `$f(list, a)`, `list ~> $f` is `$f(list)`, https://docs.jsonata.org/other-operators): the call it stands for.
  if (cur.type === 'apply' && cur.value === '~>' && cur.lhs && (cur.rhs?.type === 'function' || cur.rhs?.type === 'variable') && !stagesOf(cur.rhs)) {
    const call = cur.rhs.type === 'function'
      ? { ...cur.rhs, arguments: [cur.lhs, ...(cur.rhs.arguments ?? [])] }
      : { type: 'function', value: '(', procedure: cur.rhs, arguments: [cur.lhs] };
    return [call, w];
  }
  if (cur.type !== 'function' || cur.procedure?.type !== 'variable') return undefined;
  // An item of what a function gives (`$split($ref, '-')[3]`): the function gives a list that holds it at that index,
  // the items before it like it (each part of a split is then a text as the one wanted is).
  const stages = stagesOf(cur);
  if (stages !== undefined) {
    const e = stages.length === 1 && stages[0].type === 'filter' ? stages[0].expr as JsonataNode : undefined;
    const index = e?.type === 'number' ? e.value : undefined;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= MAX_INDEXED) return undefined;
    const { predicate: _p, stages: _s, ...whole } = cur;
    return [whole as JsonataNode, Array.from({ length: index + 1 }, () => w)];
  }
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
      // A list of one wanted as a list: $filter gives one item kept as that item, not a list of it (JSONata's sequence of
      // one, https://docs.jsonata.org/predicate), so two are kept. One item wanted alone (a $count of 1) is kept alone.
      const kept = Array.isArray(w) ? (w.length === 1 ? [w[0], w[0]] : w) : [w];
      return item === undefined ? undefined : [arg, kept.map(pass)];
    }
    // What a $map gives, each result wanted made back into the item its function reads (`{'size': $number($i.size.N)}`); a
    // function that gives back a text it is given as it is when it is already so (`$map(tags, $trim)`), the same list.
    case 'map': {
      const lambda = (cur.arguments as JsonataNode[])[1];
      if (lambda?.type === 'variable' && SAME_TEXT.has(lambda.value) && Array.isArray(w) && w.every((v) => typeof v === 'string')) return [arg, w];
      const items = lambda?.type === 'lambda' ? itemsMappedTo(lambda, w) : undefined;
      return items !== undefined ? [arg, items] : undefined;
    }
    // Step Functions' `$partition(array, size)` cuts the array into chunks of `size` items, the last one shorter
    // (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html): n chunks wanted
    // are n full chunks, a chunk wanted as a list its items filled up with its last, any other chunk that many of it.
    case 'partition': {
      const size = literalOf((cur.arguments as JsonataNode[])[1]);
      const chunks = Array.isArray(w) ? w : [w];
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || chunks.length * size > MAX_PARTITIONED) return undefined;
      if (chunks.some((c) => Array.isArray(c) && (c.length === 0 || c.length > size))) return undefined;
      const filled = (c: JsonValue[]): JsonValue[] => [...c, ...Array.from({ length: size - c.length }, () => c[c.length - 1])];
      return [arg, chunks.flatMap((c) => (Array.isArray(c) ? filled(c) : Array.from({ length: size }, () => c)))];
    }
    case 'string': return typeof w === 'string' ? [arg, w !== '' && Number.isFinite(Number(w)) ? Number(w) : w] : undefined;
    // `$toMillis(t)` gives the milliseconds of an ISO 8601 time, `$fromMillis(ms)` the time of milliseconds
    // (https://docs.jsonata.org/date-time-functions): the time of the milliseconds wanted, and the other way round. With a
    // picture of its own, the text is another.
    case 'toMillis': {
      const ms = typeof w === 'number' && (cur.arguments as JsonataNode[]).length === 1 ? w : undefined;
      return ms !== undefined && Number.isInteger(ms) && Math.abs(ms) <= MAX_DATE_MS ? [arg, new Date(ms).toISOString()] : undefined;
    }
    case 'fromMillis': {
      const ms = typeof w === 'string' && (cur.arguments as JsonataNode[]).length === 1 ? Date.parse(w) : Number.NaN;
      return Number.isFinite(ms) ? [arg, ms] : undefined;
    }
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
    // A list of different items in the order wanted is its own `$distinct` and, without a function, its own `$sort` when
    // it is in order; `$reverse` gives it back from the list the other way round (https://docs.jsonata.org/array-functions).
    case 'distinct': return Array.isArray(w) && w.every((v, i) => w.findIndex((u) => sameJson(u, v)) === i) ? [arg, w] : undefined;
    case 'reverse': return Array.isArray(w) ? [arg, [...w].reverse()] : undefined;
    case 'sort': {
      // With a function `$sort` puts $b before $a where it gives true (https://docs.jsonata.org/array-functions#sort): a list
      // it gives false for every two items of, in their order, is its own sort.
      const by = (cur.arguments as JsonataNode[])[1];
      if (!Array.isArray(w)) return undefined;
      if (by === undefined) return inOrder(w) ? [arg, w] : undefined;
      return by.type === 'lambda' && inOrderBy(by, w) ? [arg, w] : undefined;
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
  if (param?.type !== 'variable' || body === undefined) return undefined;
  return itemsBuiltBy(body, want, (part) => {
    const steps = part.type === 'path' ? part.steps as JsonataNode[] : [];
    if (steps[0]?.type !== 'variable' || steps[0].value !== param.value) return undefined;
    const rest = steps.slice(1);
    return rest.every((st) => st.type === 'name' && typeof st.value === 'string' && !st.stages) ? rest.map((st) => st.value as string) : undefined;
  });
}

/**
 * The items a body that builds each result of one item gives the results wanted from: a `$map`
 * lambda's, or the object constructor a path maps each item through (`Items.{"points":
 * $number(points.N)}`, whose paths read the item itself). `itemPath` names the fields of the item
 * a part of the body reads, or undefined for a part that reads none.
 */
function itemsBuiltBy(body: JsonataNode, want: JsonValue, itemPath: (part: JsonataNode) => string[] | undefined): JsonValue[] | undefined {
  const results = Array.isArray(want) ? want : [want];
  if (results.length === 0 || results.length > MAX_MAPPED) return undefined;
  /** The item with what `node` reads of it set so that `node` gives `value`. */
  const back = (item: JsonValue | undefined, node: JsonataNode, value: JsonValue): JsonValue | undefined => {
    for (const [part, v] of peeled(node, value).reverse()) {
      const path = itemPath(part);
      if (path !== undefined) return setAt(item, path, v);
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
 * The field whose items a variable a block binds maps one to one (`$players :=
 * $states.result.Items.{"name": player.S}`), for a list wanted of the variable whole: its key, and
 * the items of the field that give the list wanted, each taken back through the object the path
 * builds of it where the list wanted is one of objects (else as many items give as many of the
 * variable, which is what a count wants). Undefined for anything else.
 */
function mappedField(node: JsonataNode, want: JsonValue, bound: ReadonlyMap<string, JsonataNode>): { key: string; items?: JsonValue[] } | undefined {
  if (node.type !== 'variable' || stagesOf(node) !== undefined || !Array.isArray(want) || !bound.has(node.value)) return undefined;
  const b = bound.get(node.value)!;
  const of = b.type === 'path' ? b.steps as JsonataNode[] : [];
  const mapped = of[of.length - 1];
  if (of.length < 2 || mapped.type !== 'unary' || mapped.value !== '{' || stagesOf(mapped) !== undefined) return undefined;
  const read = fieldOf({ type: 'path', steps: of.slice(0, -1) }, new Set());
  if (!read || !('ref' in read) || !read.whole) return undefined;
  const items = want.every(isObject) ? itemsBuiltBy(mapped, want, relativePath) : undefined;
  return { key: read.ref.key, ...(items !== undefined ? { items } : {}) };
}

/**
 * `items` made as long as the list a field holds now (`now`), so that what else reads its size
 * (`$count($players) < 3` before the Choice wanted) still finds as many: the first item repeated
 * before them, and the last after them. A list kept in order by a `$sort` stays so either way; which
 * of the two keeps the items wanted at their indexes depends on the chain, so both are tried.
 */
function asLongAsNow(items: readonly JsonValue[], now: JsonValue | undefined): JsonValue[][] {
  const more = Array.isArray(now) && now.length <= MAX_MAPPED ? now.length - items.length : 0;
  if (more <= 0 || items.length === 0) return [];
  const pad = (v: JsonValue) => Array.from({ length: more }, () => v);
  return [[...pad(items[0]), ...items], [...items, ...pad(items[items.length - 1])]];
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
    // A hole before the item wanted (`1.total` wanted: item 0 is null) is that item again: every item runs, so none before it
    // may lack what it holds.
    const last = Array.isArray(out) ? [...out].reverse().find(isObject) : undefined;
    const each = (item: JsonValue) => (isObject(item) ? pass(item)
      : item === null && last !== undefined ? pass(last) : isObject(passing) ? passing : item);
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
 * The values a want stands for, each with the want: its value, or for one wanted defined, any value
 * of the kind it asks (a placeholder of that kind stands for it where a path must be built). A want
 * of any kind is also a number where a number is carried back as far as a text
 * (`$number($split($ref, '-')[2])` wants a number, so `$ref` a text with a number in its third
 * part; `$split($ref, '-')[3]` is then tried with numbers in its parts too, which serve both), tried
 * after the text.
 */
function valuesFor(node: JsonataNode, w: Want): Array<[Want, JsonValue]> {
  if (!w.defined) return w.value === undefined ? [] : [[w, w.value]];
  const value = placeholder(w.expect ?? 'any', w.steps);
  if (w.expect !== undefined && w.expect !== 'any') return [[w, value]];
  const number = placeholder('number', w.steps);
  // Each given first, so the last given is tried first: the number after the text.
  return peeled(node, number).length >= peeled(node, value).length ? [[w, number], [w, value]] : [[w, value]];
}

/**
 * The hints an expression gives, and those the wanted value gives the part that computes it
 * (`part = want`), the parts inside it a wanted value passes through unchanged in kind
 * (arithmetic, conversions), the field a path with a filter reads, and a `$lookup`'s keys.
 */
export function hintsOf(
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
  const asked = [...[...likely].reverse(), ...(together === undefined ? wants : [...wants, { steps: [], value: together }])];
  for (const [w, value] of asked.flatMap((a) => valuesFor(node, a))) {
    // What a function gives as a whole ($parse's value) is wanted whole: the value wanted at its steps, in an object. A value
    // wanted only to be there (`$parse(Body).ResultFiles.FAILED.Key` read by a later state) is wanted so too: its placeholder
    // at its steps, which the function's argument is then made to give (the text `$parse` reads holds it there).
    const inner = under(w.steps).length > 0 ? setAt(undefined, under(w.steps), value) : undefined;
    const wrapped = w.defined ? undefined : inner;
    const parts = [...peeled(node, value), ...(inner !== undefined ? peeled(node, inner).slice(1) : [])];
    for (const [part, v] of [...parts, ...parts.flatMap(([p, pv]) => lookupKeys(p, pv, env))]) {
      // A part that is a field read whole gives the value wanted of the field itself.
      const whole = fieldOf(part, new Set());
      // Any value will do for a field wanted defined, but not for one inside what computes it: the value peeled for it holds the placeholder
      // where it must (the text `$parse` reads).
      if ((!w.defined || part !== node) && whole && 'ref' in whole && whole.whole) first(whole.ref.key, v);
      const mapped = mappedField(part, v, bound);
      if (mapped !== undefined) {
        const ref = parseFieldKey(mapped.key);
        const now = ref ? followSteps(rootValue(env, ref) ?? null, ref.steps) : undefined;
        first(mapped.key, v);
        if (mapped.items !== undefined) first(mapped.key, ...asLongAsNow(mapped.items, now), mapped.items);
      }
      // A path with a filter that gives a list (`orders[status = 'open']`) is built whole from the value wanted under it too
      // (`1.total`): each item then passes its filter.
      const made = synthesized(part, v, bound);
      if (made) {
        // A list built for a filter keeps the items the field holds now: what other parts of the expression find there stays.
        const ref = parseFieldKey(made.key);
        const now = ref ? followSteps(rootValue(env, ref) ?? null, ref.steps) : undefined;
        first(made.key, Array.isArray(now) && Array.isArray(made.value) ? [...now, ...made.value] : made.value, made.value);
      }
      // A path with a filter that gives a list (`orders[status = 'open']`), items of it wanted (`1.total`): a list built whole
      // up to the last, each one passing the filter (see wrapStages); an item wanted only to be there (`$$.Map.Item.Index` of 2
      // wants three items), that many items. Two at least: a filter that keeps one item gives that item, not a list of it
      // (JSONata's sequence of one), which a Map's Items refuses.
      const index = w.defined && w.steps.length === 1 ? w.steps[0] : undefined;
      const wantedList = Array.isArray(wrapped) ? wrapped : Array.isArray(v) && under(w.steps).length === 0 && !w.defined ? v : undefined;
      const items = part !== node ? undefined : wantedList !== undefined ? (wantedList.length === 1 ? [wantedList[0], wantedList[0]] : wantedList)
        : typeof index === 'number' && index < MAX_COUNTED_ITEMS ? Array.from({ length: Math.max(index + 1, 2) }, () => ({})) : undefined;
      const list = items !== undefined ? synthesized(node, items, bound) : undefined;
      if (list) first(list.key, list.value);
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

/** Functions that give back a text they are given when it is already so (trimmed, in that case). */
const SAME_TEXT = new Set(['trim', 'lowercase', 'uppercase']);

/** The most items whose order a `$sort` function is checked on. */
const MAX_ORDERED = 64;

/**
 * Whether `$sort` with the function `lambda` keeps `w` as it is: the function is a comparison of
 * a field of its first parameter with the same field of its second (`$a.points > $b.points`), and
 * gives false for every two items of `w` taken in their order. False for any other function, or
 * items whose fields are not all numbers or all texts.
 */
function inOrderBy(lambda: JsonataNode, w: readonly JsonValue[]): boolean {
  const [a, b] = (lambda.arguments as JsonataNode[] | undefined) ?? [];
  const body = lambda.body as JsonataNode | undefined;
  if (a?.type !== 'variable' || b?.type !== 'variable' || w.length > MAX_ORDERED) return false;
  // A list of one item is its own sort whatever the function (a name wanted of the first, its other fields as they are).
  if (w.length <= 1) return true;
  if (body?.type !== 'binary' || !['<', '<=', '>', '>='].includes(body.value)) return false;
  const fieldOfParam = (n: JsonataNode): { param: string; path: string[] } | undefined => {
    const steps = n?.type === 'path' ? n.steps as JsonataNode[] : [];
    const rest = steps.slice(1);
    if (steps[0]?.type !== 'variable' || stagesOf(steps[0]) !== undefined || rest.length === 0) return undefined;
    return rest.every((st) => st.type === 'name' && typeof st.value === 'string' && !st.stages)
      ? { param: steps[0].value, path: rest.map((st) => st.value as string) } : undefined;
  };
  const [l, r] = [fieldOfParam(body.lhs), fieldOfParam(body.rhs)];
  if (!l || !r || l.param === r.param || ![a.value, b.value].includes(l.param) || ![a.value, b.value].includes(r.param)) return false;
  const keys = w.map((item) => [followSteps(item, l.path), followSteps(item, r.path)]);
  const kind = typeof keys[0]?.[0];
  if ((kind !== 'number' && kind !== 'string') || !keys.flat().every((k) => typeof k === kind)) return false;
  const gives = (x: number, y: number): boolean => {
    // The function called on (x, y): its first parameter is x.
    const lv = (l.param === a.value ? keys[x] : keys[y])[0] as number | string;
    const rv = (r.param === a.value ? keys[x] : keys[y])[1] as number | string;
    return body.value === '<' ? lv < rv : body.value === '<=' ? lv <= rv : body.value === '>' ? lv > rv : lv >= rv;
  };
  return w.every((_, i) => w.every((__, j) => j <= i || !gives(i, j)));
}

/** Whether a list is all numbers or all texts, in the order `$sort` puts them. */
function inOrder(w: readonly JsonValue[]): boolean {
  const kind = typeof w[0];
  if (!w.every((v) => typeof v === kind) || (kind !== 'number' && kind !== 'string')) return false;
  return w.every((v, i) => i === 0 || (w[i - 1] as number | string) <= (v as number | string));
}
