import { clockHintOf, FLIPPED, type ClockHint } from './clock';
import { countedFilterCall, countedKeysCall, differenceOf, type Difference } from './compared-fields';
import { fieldKey, fieldOf, localNames, stagesOf, type FieldRef, type JsonataNode } from './jsonata-fields';
import { retyped } from './jsonata-gives';
import { COMPARISONS, concatenatedParts, filterPassing, isPlainStep, itemPassing, literalOf, mappedItem, merged, relativePath, under } from './jsonata-items';
import { sampleMatching } from './regex-sample';
import { comparedValue, termsOf, undoChain, wantedOf } from './text-chains';
import type { CurrentValue } from './world';
import type { JsonValue } from '../../asl';
import { sameJson } from '../../asl/json-value';

export { assignments, type Assignment } from './assignments';
export {
  bindings, fieldKey, fieldOf, localNames, parseFieldKey, parseJsonata, rangeStart, stagesOf, stripDelimiters,
  type FieldRef, type FieldRoot, type JsonataNode,
} from './jsonata-fields';
export { sampleMatching } from './regex-sample';

/*
 * What explore reads of a JSONata expression, from the jsonata library's own syntax tree: the
 * fields it reads (under `$states.input`, `.result`, `.errorOutput`, `.context` and the workflow
 * variables), the literals it compares them with and the functions around them, from which the
 * values worth trying for each field are drawn. The Choice search (jsonata-search.ts) and the
 * following of values through Output, Assign and Arguments (../jsonata-flow.ts) both read it.
 * The syntax tree and the fields themselves are read in jsonata-fields.ts.
 */

/** What an expression reads, and the hints it gives about the values that matter. */
export interface Reads {
  /** The fields read, in the order they appear (`$states.input.a.b`, `$v.x`). */
  readonly fields: string[];
  /** Each field's root and steps, by its text. */
  readonly refs: Map<string, FieldRef>;
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
  /**
   * `$lookup(object, key)` with both read from fields: the key is tried at the object's keys, and a
   * field compared with the lookup (`$net > $lookup($limits, $category)`) near the object's values.
   */
  readonly lookups: Array<{ readonly object: string; readonly key: string; readonly compared?: string }>;
  /**
   * Fields compared with a time the run's clock gives (`$toMillis($states.input.at) < $toMillis($now()) - 604800000`):
   * their values are known once the search knows the run's `now` (see clock.ts).
   */
  readonly clock: ClockHint[];
  /**
   * Two fields compared through their difference (`$dueMs - $startedMs < 86400000`,
   * `($dueMs - $filedMs) / 86400000 > 30`): `plus - minus op by`. Each is tried at the other's value
   * (now, or one the search tries for it) moved by `by`, either side of it.
   */
  readonly differences?: Difference[];
}


export { ARITHMETIC, filterPassing, isPlainStep, itemPassing, literalOf } from './jsonata-items';

export const VARYING = new Set(['now', 'millis', 'random', 'uuid']);
/** Functions that give a text like the one they are given, for a field compared with a list's items through one. */
const AS_TEXT = new Set(['lowercase', 'uppercase', 'trim', 'string']);
export const BUILT_INS = new Set([
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase', 'uppercase',
  'length', 'trim', 'pad', 'contains', 'split', 'join', 'match', 'replace', 'now', 'millis', 'formatNumber', 'formatBase',
  'formatInteger', 'parseInteger', 'number', 'abs', 'floor', 'ceil', 'round', 'power', 'sqrt', 'random', 'boolean', 'not',
  'exists', 'append', 'sort', 'reverse', 'shuffle', 'distinct', 'zip', 'keys', 'lookup', 'spread', 'merge', 'sift', 'each',
  'error', 'assert', 'type', 'single', 'filter', 'map', 'reduce', 'base64encode', 'base64decode', 'encodeUrlComponent',
  'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis', 'fromMillis', 'clone', 'partition', 'range', 'hash',
  'uuid', 'parse',
]);
/** The most candidate values tried for one field. */
export const CANDIDATES_PER_FIELD = 24;
/** The longest string a `$length(f) > n` comparison is given: long enough for the limits machines check (a message, a prompt). */
const MAX_LENGTH_HINT = 10_000;


/** A value of each JSONata type name `$type` gives. */
const TYPED: Readonly<Record<string, JsonValue>> = { string: 'x', number: 1, boolean: true, array: [], object: {}, null: null };

/**
 * For what a block computes of an item (`(qty * price)`, `(amount)`, `(net + tax)`), the item that gives a number: the
 * first name holds it, the other of a product or quotient 1 and of a sum or difference 0; undefined for anything else.
 */
function itemGiving(expr: JsonataNode): ((n: number) => JsonValue) | undefined {
  const nameOf = (n: JsonataNode | undefined): string | undefined => {
    const steps = n?.type === 'path' && Array.isArray(n.steps) ? n.steps as JsonataNode[] : [];
    return steps.length === 1 && steps[0].type === 'name' && typeof steps[0].value === 'string' && !steps[0].stages ? steps[0].value : undefined;
  };
  const only = nameOf(expr);
  if (only !== undefined) return (n) => ({ [only]: n });
  if (expr.type !== 'binary') return undefined;
  const [a, b] = [nameOf(expr.lhs), nameOf(expr.rhs)];
  const unit = expr.value === '*' || expr.value === '/' ? 1 : expr.value === '+' || expr.value === '-' ? 0 : undefined;
  if (a === undefined || b === undefined || a === b || unit === undefined) return undefined;
  return (n) => ({ [a]: n, [b]: unit });
}

/** Walks an expression's syntax tree once for what it reads and the literals around those reads. */
export function readsOf(ast: JsonataNode): Reads {
  const reads: Reads = {
    fields: [], refs: new Map(), hints: new Map(), literals: [], opaque: false, varying: false, pairs: [], lookups: [], clock: [], differences: [],
  };
  const local = localNames(ast);
  // The whole numbers the expression names, as a run of digits a pattern's `\d+` may hold (a group compared with one).
  const digitRuns = new Set<string>();
  const numbers = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(numbers); return; }
    const n = node as JsonataNode;
    if (n.type === 'number' && typeof n.value === 'number' && Number.isFinite(n.value) && n.value >= 0) {
      for (const d of [Math.floor(n.value) + 1, Math.floor(n.value)]) if (Number.isSafeInteger(d)) digitRuns.add(String(d));
    }
    for (const key of Object.keys(n)) if (typeof n[key] === 'object') numbers(n[key]);
  };
  numbers(ast);
  const wholeKey = (node: JsonataNode | undefined): string | undefined => {
    const read = node ? fieldOf(node, local) : undefined;
    return read && 'ref' in read && read.whole ? read.ref.key : undefined;
  };
  const hintField = (field: string, ...values: JsonValue[]): void => {
    let list = reads.hints.get(field);
    if (list === undefined) { list = []; reads.hints.set(field, list); }
    for (const v of values) if (!list.some((x) => JSON.stringify(x) === JSON.stringify(v))) list.push(v);
  };
  const hint = hintField;
  /**
   * The field a node reads directly or through one function call (`$count(f)`), with the function's name; for a
   * function of what a block computes of each item of a field (`$sum(lines.(qty * price))`), an item that gives it each value.
   */
  const subject = (node: JsonataNode | undefined): Subject | undefined => {
    if (!node) return undefined;
    const direct = fieldOf(node, local);
    if (direct && 'ref' in direct && direct.whole) return { field: direct.ref.key };
    // `metrics[name = "accuracy"].value`: the list holds an item the filter keeps, with the value under the steps after it.
    if (direct && 'ref' in direct && node.type === 'path') {
      const steps = node.steps as JsonataNode[];
      const stop = steps[direct.at];
      const stages = stagesOf(stop);
      const rest = steps.slice(direct.at + 1);
      const passing = stages?.length === 1 && stages[0].type === 'filter' ? filterPassing(stages[0].expr as JsonataNode) : undefined;
      if (stop && isPlainStep(stop, 'name') && passing !== undefined && passing !== null && typeof passing === 'object' && !Array.isArray(passing)
        && rest.length > 0 && rest.every((st) => isPlainStep(st, 'name') && stagesOf(st) === undefined)) {
        const names = rest.map((st) => st.value as string);
        return { field: fieldKey(direct.ref.root, [...direct.ref.steps, stop.value]), wrap: (v) => [merged(passing, under(names, v))] };
      }
    }
    if (node.type === 'function' && node.procedure?.type === 'variable' && Array.isArray(node.arguments) && node.arguments.length >= 1) {
      const inner = fieldOf(node.arguments[0], local);
      if (inner && 'ref' in inner && inner.whole) return { field: inner.ref.key, via: node.procedure.value, arg: literalOf(node.arguments[1]) };
      const steps = node.arguments[0].type === 'path' && Array.isArray(node.arguments[0].steps) ? node.arguments[0].steps as JsonataNode[] : [];
      const block = steps[steps.length - 1];
      const before = block?.type === 'block' && !block.stages ? fieldOf({ type: 'path', steps: steps.slice(0, -1) }, local) : undefined;
      const item = block && Array.isArray(block.expressions) && block.expressions.length === 1 ? itemGiving(block.expressions[0]) : undefined;
      if (before && 'ref' in before && before.whole && item) return { field: before.ref.key, via: node.procedure.value, item };
    }
    return undefined;
  };
  /** `$lookup(object, key)` whose object and key are both fields read whole. */
  const lookupOf = (node: JsonataNode): { object: string; key: string } | undefined => {
    const [obj, key] = (node.arguments ?? []) as JsonataNode[];
    const o = obj ? fieldOf(obj, local) : undefined;
    const k = key ? fieldOf(key, local) : undefined;
    return o && 'ref' in o && o.whole && k && 'ref' in k && k.whole ? { object: o.ref.key, key: k.ref.key } : undefined;
  };
  /** `wrap`: the field holds what it gives of a value the comparison wants (a list whose filtered item holds it). */
  type Subject = { field: string; via?: string; arg?: JsonValue; item?: (n: number) => JsonValue; wrap?: (v: JsonValue) => JsonValue };
  const hintComparison = (side: Subject, lit: JsonValue, op: string, put = hintField): void => {
    const { field, via } = side;
    if (side.wrap !== undefined) {
      const wrap = side.wrap;
      hintComparison({ field }, lit, op, (f, ...values) => put(f, ...values.map(wrap)));
      return;
    }
    if (op === 'in' && Array.isArray(lit)) { put(field, ...lit, 'not one of them'); return; }
    if (typeof lit === 'number') {
      // The value that makes the comparison true first: a rule that is several comparisons joined by `and` is then
      // met by each field's first value together.
      const order = op === '>' || op === '!=' ? [lit + 1, lit, lit - 1] : op === '<' ? [lit - 1, lit, lit + 1] : op === '<=' ? [lit, lit - 1, lit + 1] : [lit, lit + 1, lit - 1];
      const near = [...order, lit + 0.5, lit - 0.5].filter((n) => Number.isFinite(n));
      // A list of one item whose block gives the number: its sum, its least, its greatest and its average.
      if (side.item !== undefined) {
        if (via === 'sum' || via === 'max' || via === 'min' || via === 'average') for (const n of near) put(field, [side.item(n)]);
        return;
      }
      if (via === 'count') for (const n of near.filter((x) => Number.isInteger(x) && x >= 0 && x <= 64)) put(field, Array.from({ length: n }, (_, i) => i + 1));
      else if (via === 'length') for (const n of near.filter((x) => Number.isInteger(x) && x >= 0 && x <= MAX_LENGTH_HINT)) put(field, 'a'.repeat(n));
      else if (via === 'sum' || via === 'max' || via === 'min' || via === 'average') for (const n of near) put(field, [n], ...(via === 'sum' ? [] : [[n, n, n]]));
      else if (via === 'string') for (const n of near) put(field, n);
      else if (via === undefined || via === 'number' || via === 'abs' || via === 'floor' || via === 'ceil' || via === 'round') put(field, ...near, String(lit));
      return;
    }
    if (typeof lit === 'string') {
      if (via === 'type') put(field, ...(Object.hasOwn(TYPED, lit) ? [TYPED[lit]] : []), lit === 'null' ? 'x' : null);
      else if (via === 'lowercase') put(field, lit, lit.toUpperCase(), `${lit}x`);
      else if (via === 'uppercase') put(field, lit, lit.toLowerCase(), `${lit}X`);
      else if (via === 'number' || via === 'string') put(field, lit, Number(lit));
      else if (via === 'trim') put(field, lit, ` ${lit} `);
      // What comes after (before) a separator: a string with something before (after) it, which a string holding the rest may precede.
      else if (via === 'substringAfter' && typeof side.arg === 'string') put(field, `x${side.arg}${lit}`, lit);
      else if (via === 'substringBefore' && typeof side.arg === 'string') put(field, `${lit}${side.arg}x`, lit);
      else if (via === 'substring' || via === 'substringBefore' || via === 'substringAfter') put(field, lit, `${lit}-${lit}`);
      // What a `$join(list, sep)` gives: the list is the text split at the separator (with none, the text is the one item).
      else if (via === 'join') put(field, ...(typeof side.arg === 'string' && side.arg !== '' ? [lit.split(side.arg)] : []), [lit]);
      else put(field, lit, `${lit}x`, '', lit === 'x' ? 'y' : 'x');
      return;
    }
    if (typeof lit === 'boolean') put(field, lit, !lit);
    else if (lit === null) put(field, null, 'x');
  };
  /** A filter stage `[name = literal]` or `[$contains(name, "text")]` on a field: arrays whose first item passes it. */
  const hintFilter = (field: string, filter: JsonataNode): void => {
    const expr = filter.expr as JsonataNode | undefined;
    const name = expr?.type === 'binary' && COMPARISONS.has(expr.value) ? relativePath(expr.lhs) : undefined;
    const lit = literalOf(expr?.rhs);
    if (!name || lit === undefined || Array.isArray(lit)) {
      // Any other filter explore reads (`[deleted]`, `[$contains(name, "gift")]`, two joined by `and`): one item it keeps.
      const item = filterPassing(expr);
      if (item !== undefined) hint(field, [item], []);
      return;
    }
    // An item the filter keeps first; for `!=`, one unlike the literal (the literal itself is kept out).
    const values: JsonValue[] = expr!.value === '!='
      ? [typeof lit === 'number' ? lit + 1 : typeof lit === 'string' ? `${lit}x` : typeof lit === 'boolean' ? !lit : 'x', lit]
      : typeof lit === 'number' && expr!.value !== '=' ? [lit, lit + 1, lit - 1] : [lit];
    for (const v of values) hint(field, [under(name, v)], []);
  };
  /** The field whose items the filter being read keeps (`$banned[$contains($answer, $)]`: `$banned`), read there as `$`. */
  let filtering: string | undefined;
  /** A field a filter compares with its item (`$contains($lowercase($answer), $)`, `$answer = $`): tried at the items filtered. */
  const pairItem = (side: JsonataNode | undefined, other: JsonataNode | undefined): void => {
    if (filtering === undefined || other?.type !== 'variable' || other.value !== '' || other.predicate || other.stages) return;
    const s = subject(side);
    if (s && s.wrap === undefined && (s.via === undefined || AS_TEXT.has(s.via))) reads.pairs.push([s.field, filtering]);
  };
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    const n = node as JsonataNode;
    const literal = literalOf(n);
    if (literal !== undefined && !Array.isArray(literal)) reads.literals.push(literal);
    if (n.type === 'regex' && n.value instanceof RegExp) {
      const sample = sampleMatching(n.value);
      if (sample !== undefined) reads.literals.push(sample);
    }
    const read = fieldOf(n, local);
    if (read) {
      if (!('ref' in read)) {
        reads.opaque = true;
      } else {
        const stop = n.type === 'path' ? (n.steps as JsonataNode[])[read.at] : undefined;
        const filter = stagesOf(stop)?.find((s) => s.type === 'filter');
        let ref = read.ref;
        if ((read.at === 1 || stop?.type === 'variable') && filter) {
          // `$states.result[level = "ERROR"]`: the root itself is the list filtered.
          hintFilter(ref.key, filter);
        } else if (stop && isPlainStep(stop, 'name') && filter) {
          // `Blocks[BlockType = "LINE"]`: the field read is Blocks, a list whose items the filter keeps (not the object above it).
          ref = { key: fieldKey(read.ref.root, [...read.ref.steps, stop.value]), root: read.ref.root, steps: [...read.ref.steps, stop.value] };
          hintFilter(ref.key, filter);
        }
        if (!reads.refs.has(ref.key)) { reads.fields.push(ref.key); reads.refs.set(ref.key, ref); }
        // `$states.input.lines.(price * quantity)`: a list of items with the fields the mapping reads.
        const block = n.type === 'path' ? (n.steps as JsonataNode[])[read.at] : undefined;
        if (block?.type === 'block') {
          const items = [1, 0].map((v) => mappedItem(block, v)).filter((i): i is JsonValue => i !== undefined);
          hint(ref.key, ...items.map((i) => [i]), []);
        }
      }
      // The steps after the first may hold expressions (filters); the first is the read itself, whose filters
      // (`$banned[$contains($answer, $)]`, not an index) read fields too.
      const outer = filtering;
      filtering = 'ref' in read ? read.ref.key : undefined;
      if (n.type === 'path') visit(n.steps.slice(1));
      const head = n.type === 'path' ? (n.steps as JsonataNode[])[0] : n;
      visit(stagesOf(head)?.filter((st) => !(st.type === 'filter' && st.expr?.type === 'number')));
      filtering = outer;
      return;
    }
    if (n.type === 'function' && n.procedure?.type === 'variable') {
      const name = n.procedure.value as string;
      if (VARYING.has(name)) reads.varying = true;
      const lookup = name === 'lookup' ? lookupOf(n) : undefined;
      if (lookup) reads.lookups.push(lookup);
      else if (name === 'lookup' || name === 'eval') reads.opaque = true;
      if (name === 'contains') pairItem(n.arguments?.[0], n.arguments?.[1]);
      const arg = subject(n.arguments?.[0]);
      if (arg && !arg.via) {
        const second = literalOf(n.arguments?.[1]);
        const re = n.arguments?.[1]?.type === 'regex' && n.arguments[1].value instanceof RegExp ? n.arguments[1].value : undefined;
        const pattern = re ? sampleMatching(re) : undefined;
        const runs = re ? [...digitRuns].map((d) => sampleMatching(re, d)).filter((t): t is string => t !== undefined && t !== pattern) : [];
        if (name === 'contains' && typeof second === 'string') hint(arg.field, second, `x${second}x`, '', 'x');
        else if (name === 'contains' && pattern !== undefined) hint(arg.field, pattern, ...runs, '', 'x');
        else if (name === 'match' && pattern !== undefined) hint(arg.field, pattern, ...runs, `${pattern} ${pattern}`, '', 'x');
        else if (name === 'exists') hint(arg.field, true);
        else if (name === 'not' || name === 'boolean') hint(arg.field, true, false, 0, '');
        else if (name === 'count' || name === 'sum') hint(arg.field, [], [1], [1, 2, 3]);
        else if (name === 'length' || name === 'uppercase' || name === 'lowercase' || name === 'trim') hint(arg.field, '', 'a', 'abc');
        else if (name === 'substring' || name === 'substringBefore' || name === 'substringAfter' || name === 'split') hint(arg.field, 'abc-def', '');
        else if (name === 'number') hint(arg.field, '0', '1', '-1', '1.5');
        else if (name === 'keys' || name === 'sift' || name === 'each' || name === 'spread') hint(arg.field, {}, { a: 1 }, { a: 1, b: 2 });
        else if (name === 'join') hint(arg.field, [], ['x']);
        // `$sift(obj, function($v) { $v.active })`, `$filter(list, function($v) { $v.n > 1 })`: one entry or item that passes.
        const lambda = (n.arguments as JsonataNode[]).find((a) => a?.type === 'lambda');
        const item = lambda ? itemPassing(lambda) : undefined;
        if (item !== undefined) {
          if (name === 'sift' || name === 'each' || name === 'keys') hint(arg.field, { a: item });
          else if (name === 'filter' || name === 'map' || name === 'single') hint(arg.field, [item]);
        }
        // `$reduce(list, function($sum, $l) { … })`: the item is its second parameter.
        const added = name === 'reduce' && lambda ? itemPassing(lambda, 1) : undefined;
        if (added !== undefined) hint(arg.field, [added]);
      }
    }
    if (n.type === 'binary' && (n.value === '=' || n.value === 'in')) {
      pairItem(n.lhs, n.rhs);
      if (n.value === '=') pairItem(n.rhs, n.lhs);
    }
    if (n.type === 'binary' && COMPARISONS.has(n.value)) {
      const left = subject(n.lhs);
      const right = subject(n.rhs);
      const lhsLiteral = literalOf(n.lhs);
      const rhsLiteral = literalOf(n.rhs);
      if (left && rhsLiteral !== undefined) hintComparison(left, rhsLiteral, n.value);
      // `$region & '/' & $channel = 'EU/email'`: each part the text between the literals around it.
      for (const [side, lit] of [[n.lhs, rhsLiteral], [n.rhs, lhsLiteral]] as const) {
        if (n.value !== '=' || typeof lit !== 'string' || side?.type !== 'binary' || side.value !== '&') continue;
        for (const [part, text] of concatenatedParts(side, lit)) {
          const s = subject(part);
          if (s) hintComparison(s, text, '=');
        }
      }
      // `$count($states.input.items[name = "gift"]) > 1`: lists of that many items that pass the filter.
      const counted = typeof rhsLiteral === 'number' ? countedFilter(n.lhs, local) : undefined;
      const passing = counted ? filterPassing(counted.filter.expr) : undefined;
      if (counted && passing !== undefined && typeof rhsLiteral === 'number') {
        const lit = rhsLiteral;
        const order = n.value === '>' || n.value === '!=' ? [lit + 1, lit] : n.value === '<' ? [lit - 1, lit] : [lit, lit + 1];
        for (const k of order.filter((x) => Number.isInteger(x) && x >= 0 && x <= MAX_COUNTED_HINT)) {
          hint(counted.key, Array.from({ length: k }, () => passing));
        }
      }
      // `$count($filter($orders, function($o) { $o.status = "open" })) > 2`: lists of that many items its function keeps.
      const call = typeof rhsLiteral === 'number' ? countedFilterCall(n.lhs, wholeKey) : undefined;
      if (call && typeof rhsLiteral === 'number') {
        const lit = rhsLiteral;
        const order = n.value === '>' || n.value === '!=' ? [lit + 1, lit] : n.value === '<' ? [lit - 1, lit] : [lit, lit + 1];
        for (const k of order.filter((x) => Number.isInteger(x) && x >= 0 && x <= MAX_COUNTED_HINT)) {
          hint(call.key, Array.from({ length: k }, () => call.item));
        }
      }
      // `$count($keys($sift($flags, function($v) { $v = true }))) >= 3`: objects of that many entries its function keeps.
      const keyed = typeof rhsLiteral === 'number' ? countedKeysCall(n.lhs, wholeKey) : undefined;
      if (keyed && typeof rhsLiteral === 'number') {
        const lit = rhsLiteral;
        const order = n.value === '>' || n.value === '!=' ? [lit + 1, lit] : n.value === '<' ? [lit - 1, lit] : [lit, lit + 1];
        for (const k of order.filter((x) => Number.isInteger(x) && x >= 0 && x <= MAX_COUNTED_HINT)) {
          hint(keyed.key, Object.fromEntries(Array.from({ length: k }, (_, i) => [`key${i + 1}`, keyed.entry])));
        }
      }
      // `$r.count * $r.unitCost > 10000`: each operand past the literal, tried together; a term added past twice it too (`$total - $discount > 5000`).
      for (const [side, lit] of [[n.lhs, rhsLiteral], [n.rhs, lhsLiteral]] as const) {
        if (typeof lit !== 'number' || side?.type !== 'binary' || !['+', '-', '*'].includes(side.value)) continue;
        const past = Math.abs(lit) + 1;
        for (const { node: term, sign } of termsOf(side, side.value === '*' ? '*' : '+', 1)) {
          const s = subject(term);
          const values = side.value === '*' ? [past] : sign > 0 ? [past, 2 * past, -past] : [0, -past, past];
          if (s && (s.via === undefined || s.via === 'number')) hint(s.field, ...values.map((v) => (s.via === 'number' ? String(v) : v)));
        }
      }
      // `$reduce(list, function($sum, $l) { $sum + $l.qty }, 0) > 10`: a list of one item whose fields the sum adds are past the literal.
      const reduced = n.lhs?.type === 'function' && n.lhs.procedure?.value === 'reduce' && n.lhs.arguments?.[1]?.type === 'lambda' ? subject(n.lhs) : undefined;
      if (reduced?.via === 'reduce' && typeof rhsLiteral === 'number') {
        for (const v of [rhsLiteral + 1, rhsLiteral - 1, rhsLiteral]) {
          const item = itemPassing(n.lhs.arguments[1], 1, v);
          if (item !== undefined) hint(reduced.field, [item]);
        }
      }
      if (right && lhsLiteral !== undefined) {
        // `"x" in $f`: a list holding it.
        if (n.value === 'in' && !right.via) hint(right.field, [lhsLiteral], []);
        else hintComparison(right, lhsLiteral, n.value);
      }
      if (left && right && !left.via && !right.via && !left.wrap && !right.wrap) reads.pairs.push([left.field, right.field]);
      for (const [side, lit, op] of [[n.lhs, rhsLiteral, n.value], [n.rhs, lhsLiteral, FLIPPED[n.value] ?? n.value]] as const) {
        const diff = typeof lit === 'number' ? differenceOf(side, lit, op, wholeKey) : undefined;
        if (diff) reads.differences!.push(diff);
      }
      // A field against the run's clock (`$toMillis(f) < $toMillis($now()) - 604800000`, `f < $now()`,
      // `$millis() - $toMillis(f) > 86400000`): times either side of the one compared with, once `now` is known. A field
      // read through string functions (`$number($substring($id, 4)) > 1000`): values that come out right (text-chains.ts).
      for (const [side, other, op] of [[n.lhs, n.rhs, n.value], [n.rhs, n.lhs, FLIPPED[n.value] ?? n.value]] as const) {
        const timed = clockHintOf(side, other, op, subject);
        if (timed) reads.clock.push(timed);
        const c = comparedValue(other);
        const undone = c === undefined ? undefined : undoChain(side, wantedOf(c, op, other?.type === 'function'), (x) => fieldOf(x, local) !== undefined);
        const leaf = undone && fieldOf(undone.leaf, local);
        if (leaf && 'ref' in leaf && leaf.whole) hint(leaf.ref.key, ...undone!.values);
      }
      // `$net > $lookup($limits, $category)`: the field is tried near the values the lookup can give.
      for (const [side, other] of [[left, n.rhs], [right, n.lhs]] as const) {
        if (!side || side.via || other?.type !== 'function' || other.procedure?.value !== 'lookup') continue;
        const looked = lookupOf(other);
        if (looked) reads.lookups.push({ ...looked, compared: side.field });
      }
    }
    if (n.type === 'binary' && (n.value === 'and' || n.value === 'or')) {
      for (const side of [n.lhs, n.rhs]) {
        const s = subject(side);
        if (s && !s.via) hint(s.field, true, false);
      }
    }
    if (n.type === 'condition') {
      const s = subject(n.condition);
      if (s && !s.via) hint(s.field, true, false, ['x'], []);
    }
    for (const key of Object.keys(n)) {
      // The function a call names is not a value it reads.
      if (key === 'procedure' && n.type === 'function' && n.procedure?.type === 'variable' && BUILT_INS.has(n.procedure.value)) continue;
      if (typeof n[key] === 'object') visit(n[key]);
    }
  };
  visit(ast);
  itemsOfLists(reads);
  return reads;
}

/** The most values of a field read under a list's items made into items of the list. */
const ITEM_VALUES = 3;

/**
 * A field read under the items of a list also read whole (`$count($lines) >= 4 and $average($lines.unitPrice) < 2`):
 * the lists the whole is hinted with (a count's, of that many items), each item made of a value the field under
 * it is hinted with (`[{unitPrice: 1}, …]`), after the list's own hints, so that one list meets both.
 */
function itemsOfLists(reads: Reads): void {
  for (const outer of reads.fields) {
    const lists = (reads.hints.get(outer) ?? []).filter((h): h is JsonValue[] => Array.isArray(h) && h.length > 0);
    const o = reads.refs.get(outer)!;
    if (lists.length === 0) continue;
    const made: JsonValue[] = [];
    for (const inner of reads.fields) {
      const i = reads.refs.get(inner)!;
      if (inner === outer || JSON.stringify(i.root) !== JSON.stringify(o.root) || i.steps.length <= o.steps.length) continue;
      if (!o.steps.every((st, k) => i.steps[k] === st)) continue;
      const rest = i.steps.slice(o.steps.length);
      if (!rest.every((st): st is string => typeof st === 'string')) continue;
      // A value hinted as a list (a `$sum`'s, an `$average`'s) is the items' values: its first stands for each.
      const values = (reads.hints.get(inner) ?? []).map((h) => (Array.isArray(h) ? h[0] : h)).filter((v): v is JsonValue => v !== undefined);
      for (const v of values.slice(0, ITEM_VALUES)) {
        const item = rest.reduceRight<JsonValue>((acc, k) => ({ [k]: acc }), v);
        for (const list of lists) made.push(list.map(() => item));
      }
    }
    if (made.length > 0) reads.hints.set(outer, [...reads.hints.get(outer)!, ...made]);
  }
}

/** The most items a count of a filtered list is hinted with. */
const MAX_COUNTED_HINT = 64;

/**
 * `$count(path[filter])` whose filter is on the path's last step: the field of the list filtered (as the reads name
 * it, the filtered name included) and the filter.
 */
function countedFilter(node: JsonataNode | undefined, local: ReadonlySet<string>): { key: string; filter: JsonataNode } | undefined {
  if (node?.type !== 'function' || node.procedure?.type !== 'variable' || node.procedure.value !== 'count') return undefined;
  const arg = (node.arguments as JsonataNode[] | undefined)?.[0];
  const read = arg ? fieldOf(arg, local) : undefined;
  if (!arg || !read || !('ref' in read) || read.whole) return undefined;
  const steps = arg.type === 'path' ? arg.steps as JsonataNode[] : [arg];
  const stop = steps[read.at];
  const filter = stagesOf(stop)?.find((st) => st.type === 'filter');
  if (!stop || !filter || read.at !== steps.length - 1) return undefined;
  if (read.at === 1 && stop.type === 'name' && steps[0]?.value === 'states') return { key: read.ref.key, filter };
  if (stop.type === 'variable') return { key: read.ref.key, filter };
  if (!isPlainStep(stop, 'name')) return undefined;
  return { key: fieldKey(read.ref.root, [...read.ref.steps, stop.value as string]), filter };
}

/** The values tried for one field, best first; `kind`, when given, is a value of the kind the field should have, tried first. */
export function candidatesFor(field: string, reads: Reads, now: CurrentValue, kind?: JsonValue): Array<JsonValue | undefined> {
  const out: Array<JsonValue | undefined> = [];
  const seen = new Set<string>();
  // The input and the Context Object always exist.
  const root = field === '$states.input' || field === '$states.context' || field === '$states.result';
  const add = (v: JsonValue | undefined): void => {
    if (v === undefined && root) return;
    const key = v === undefined ? 'absent' : JSON.stringify(v);
    if (out.length >= CANDIDATES_PER_FIELD || seen.has(key)) return;
    if (now.found ? key === JSON.stringify(now.value) : v === undefined) return; // that is what it is now
    seen.add(key);
    out.push(v);
  };
  const own = reads.hints.get(field) ?? [];
  // A list the field holds now, with its items made to pass what a filter keeps (all of them, the first, or one more
  // item that does): a change to the items the list has, whose fields come from where the run took them. An item whose
  // fields the hint changes is replaced, not made to pass (an invoice's TOTAL field made its VENDOR_NAME one), and what
  // another filter found there is lost: those lists come after the one with one more item.
  const now$ = now.found && Array.isArray(now.value) && now.value.length > 0 && now.value.every(isRecord) ? now.value : undefined;
  const kept = now$ === undefined ? [] : own.flatMap((h) => (Array.isArray(h) && h.length > 0 && isRecord(h[0])
    ? [now$.map((item) => merged(item, h[0])), [merged(now$[0], h[0]), ...now$.slice(1)], [...now$, merged(now$[0], h[0])]] : []));
  const changes = (list: JsonValue) => Array.isArray(list)
    && list.some((item, i) => now$?.[i] !== undefined && !sameJson(item, merged(item, now$[i])));
  const hints = [...kept.filter((l) => !changes(l)), ...kept.filter(changes), ...own];
  // A value of the field's kind first (a string where a request takes a string), then the hints of that kind.
  if (kind !== undefined) {
    const sameKind = (v: JsonValue) => typeOf(v) === typeOf(kind);
    if (!hints.some(sameKind)) add(kind);
    // A list of another kind of item (a count's numbers where the field is a list of texts): as many items of the kind.
    for (const v of hints) if (sameKind(v)) add(retyped(v, kind) ?? v);
  }
  for (const v of hints) add(v);
  for (const lit of reads.literals) {
    add(lit);
    if (typeof lit === 'number') { add(lit + 1); add(lit - 1); }
    if (typeof lit === 'string') add(`${lit}x`);
  }
  for (const v of [true, false, 0, 1, -1, '', 'x', null, [], {}, [1], undefined] as Array<JsonValue | undefined>) add(v);
  return out;
}

function isRecord(v: JsonValue): v is Record<string, JsonValue> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function typeOf(v: JsonValue): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}
