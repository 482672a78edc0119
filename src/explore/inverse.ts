import { itemSelectedBy, valuesMeeting } from './filter-items';
import type { Want } from './jsonata-hints';
import { setAt } from './plan';
import type { Write } from './reads';
import type { Computed, ComputedArg, Source } from './sources';
import type { JsonValue } from '../asl';
import { IntrinsicNames } from '../asl/intrinsics/names';
import { isJsonObject, sameJson } from '../asl/json-value';
import { followSteps } from '../asl/path';

/**
 * The intrinsic functions whose result explore can steer: for a result it
 * wants, arguments that give it (or, for the text functions, arguments that
 * give a result the rules read alike). Each is a guess the run then checks.
 */
type Inverse = (
  want: JsonValue, args: readonly ComputedArg[], params?: Computed['params'],
  /** The items of a built array other filters over it were given (`JSONPath.filterSlots`). */
  taken?: Set<number>,
) => Array<JsonValue | undefined> | undefined;

/** The most items explore makes for a Map whose ItemBatcher groups them. */
const MAX_BATCHED_ITEMS = 1000;

/**
 * The items that give a Map with an ItemBatcher of `perBatch` items one batch per item of `list`:
 * every batch but the last full (AWS fills a batch before it starts the next), the last holding
 * one item, each batch's items copies of the one wanted for it ("Processing batches of data with
 * ItemBatcher", Step Functions developer guide). Too many items: the list as it is.
 */
function batched(list: JsonValue[], perBatch: number | undefined): JsonValue[] {
  if (perBatch === undefined || list.length < 2 || (list.length - 1) * perBatch + 1 > MAX_BATCHED_ITEMS) return list;
  return list.flatMap((item, i) => (i === list.length - 1 ? [item] : Array.from({ length: perBatch }, () => item)));
}

type Outcome = { readonly index: number; readonly item: JsonValue; readonly result: JsonValue };

/**
 * The item for a result wanted that differs from one an iteration gave only in some fields: that
 * iteration's item, with each changed field written where the item held the value the result
 * had (a number the result holds as the item's text, as a CSV row gives every field, written as
 * text). Undefined when no such iteration is known, or a changed field is not found once in its item.
 */
function changedItem(w: JsonValue, i: number, outcomes: readonly Outcome[]): JsonValue | undefined {
  if (!isJsonObject(w)) return undefined;
  const ordered = [...outcomes.filter((o) => o.index === i), ...outcomes.filter((o) => o.index !== i)];
  for (const o of ordered) {
    const r = o.result;
    if (!isJsonObject(r) || Object.keys(r).length !== Object.keys(w).length || !Object.keys(r).every((k) => Object.hasOwn(w, k))) continue;
    let item: JsonValue | undefined = o.item;
    for (const k of Object.keys(w)) {
      if (item === undefined || sameJson(r[k], w[k])) continue;
      const at = placesOf(o.item, r[k]);
      item = at.length === 1 ? setAt(item, at[0].steps, at[0].text ? String(w[k]) : w[k]) : undefined;
    }
    if (item !== undefined) return item;
  }
  return undefined;
}

/** Where under an item a value is held: as it is, or (a number) as its text. At most depth 3. */
function placesOf(item: JsonValue, value: JsonValue, depth = 0): Array<{ steps: string[]; text: boolean }> {
  if (!isJsonObject(item) || depth > 3) return [];
  const out: Array<{ steps: string[]; text: boolean }> = [];
  for (const [k, v] of Object.entries(item)) {
    if (sameJson(v, value)) out.push({ steps: [k], text: false });
    else if (typeof value === 'number' && typeof v === 'string' && v.trim() !== '' && Number(v) === value) out.push({ steps: [k], text: true });
    else for (const p of placesOf(v, value, depth + 1)) out.push({ steps: [k, ...p.steps], text: p.text });
  }
  return out;
}


/** The highest `$$.Map.Item.Index` explore makes items for. */
const MAX_INDEX = 256;

const INVERSES: ReadonlyMap<string, Inverse> = new Map<string, Inverse>([
  // A Map's results, one per item (provenance.ts): the items tried are the results wanted over an item
  // the processor saw (its other fields kept), as a processor that passes its item on, or answers with
  // what it reads of it, gives them; the run says if it did.
  // The fields of the results of the iterations the run had are written where they come from (a Task's
  // answer in the iteration); a result the run had no iteration for, or a field of one that comes
  // from nowhere explore follows, is written into the items.
  ['Map.results', (want: JsonValue, args, params) => {
    if (!Array.isArray(want)) return undefined;
    const seen = params?.value;
    const out: Array<JsonValue | undefined> = args.map(() => undefined);
    const fields = params?.results ?? [];
    const outcomes = params?.outcomes ?? [];
    // A result wanted that an iteration of the run gave: the item it had (the one at that index first).
    const gave = (w: JsonValue, i: number): JsonValue | undefined => {
      const same = (a: JsonValue | undefined, b: JsonValue | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);
      const matches = (r: JsonValue): boolean =>
        (isJsonObject(w) ? isJsonObject(r) && Object.entries(w).every(([k, v]) => same(r[k], v)) : same(r, w));
      return (outcomes.find((o) => o.index === i && matches(o.result)) ?? outcomes.find((o) => matches(o.result)))?.item;
    };
    let items = want.length !== (params?.iterations ?? 0);
    const list: JsonValue[] = want.map((w, i) => {
      const known = gave(w, i) ?? changedItem(w, i, outcomes);
      if (known !== undefined) {
        if (!outcomes.some((o) => o.index === i && o.item === known)) items = true;
        return known;
      }
      if (!isJsonObject(w)) { items = true; return w; }
      for (const [key, value] of Object.entries(w)) {
        const field = fields.find((f) => f.index === i && f.steps.length === 1 && f.steps[0] === key);
        if (field) out[field.arg] = value;
        else if (!(i === 0 && isJsonObject(seen) && JSON.stringify(seen[key]) === JSON.stringify(value))) items = true;
      }
      const had = outcomes.find((o) => o.index === i)?.item ?? seen;
      return isJsonObject(had) ? { ...had, ...w } : w;
    });
    if (items) out[0] = batched(list, params?.perBatch);
    return out;
  }],
  // `$$.Map.Item.Index` (provenance.ts): an item at the index wanted, as the one the run had there
  // (`start`), so that what the iteration reads of its item stays as it was.
  ['Map.index', (want: JsonValue, _args, params) => {
    const list = params?.value;
    const at = params?.start ?? 0;
    if (typeof want !== 'number' || !Number.isInteger(want) || want < 0 || want > MAX_INDEX || !Array.isArray(list) || at >= list.length) return undefined;
    const out = list.slice(0, want + 1);
    while (out.length <= want) out.push(list[at]);
    out[want] = list[at];
    return [out];
  }],
  // `$$.Map.Item.Source` (provenance.ts): `s3://<bucket>/<key>` from the ItemReader's Bucket and Key; a
  // text that is not such a URI is made the key, so that the source holds it.
  ['Map.source', (want: JsonValue, args) => {
    if (typeof want !== 'string') return undefined;
    const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(want);
    if (!m) return args.length > 1 && want !== '' ? [undefined, want.replace(/^\/+/, '')] : undefined;
    return args.length > 1 ? [m[1], m[2] ?? ''] : [m[1]];
  }],
  [IntrinsicNames.JSON_TO_STRING, (want: JsonValue) => {
    if (typeof want !== 'string') return undefined;
    try {
      return [JSON.parse(want) as JsonValue];
    } catch {
      // A string argument is written with its quotes: the text the rules look for is still in it.
      return [want];
    }
  }],
  [IntrinsicNames.STRING_TO_JSON, (want: JsonValue) => [JSON.stringify(want)]],
  ['JSONPath.slice', (want: JsonValue, _args: readonly ComputedArg[], params?: Computed['params']) => (Array.isArray(want)
    ? [[...Array.from({ length: params?.start ?? 0 }, () => ({})), ...want]] : undefined)],
  // A filter over an array explore writes: the items wanted, each made one the filter selects (with
  // what the path reads under it, `rest`, where it reads it); invert() writes them in place of the
  // items the filter selects there now (Write.select), so filters over one array add up.
  ['JSONPath.filter', (want: JsonValue, _args: readonly ComputedArg[], params?: Computed['params']) => {
    if (!Array.isArray(want) || params?.filter === undefined) return undefined;
    const rest = params.rest ?? [];
    const items: JsonValue[] = [];
    for (const w of want) {
      const item = rest.length === 0
        ? itemSelectedBy(params.filter, isJsonObject(w) ? w : {})
        : itemSelectedBy(params.filter, setAt({}, rest, w));
      if (item === undefined || (rest.length > 0 && !sameJson(followSteps(item, rest), w))) return undefined;
      items.push(item);
    }
    return [items];
  }],
  // A filter over items built elsewhere (a Parallel's branches, a Map's iterations): each item wanted
  // is one not yet taken whose fields explore can write, given the values its conditions keep and
  // what the path reads under it.
  ['JSONPath.filterSlots', (want: JsonValue, args: readonly ComputedArg[], params?: Computed['params'], taken?: Set<number>) => {
    if (!Array.isArray(want) || want.length === 0 || params?.filter === undefined || params.fields === undefined) return undefined;
    const values = valuesMeeting(params.filter);
    if (values === undefined || values.some((v) => v === undefined)) return undefined;
    const rest = params.rest ?? [];
    const width = params.fields.length + (rest.length > 0 ? 1 : 0);
    const out: Array<JsonValue | undefined> = args.map(() => undefined);
    let k = 0;
    for (let slot = 0; slot * width < args.length && k < want.length; slot++) {
      const own = args.slice(slot * width, (slot + 1) * width);
      if (taken?.has(slot) || !own.every((a) => a.kind === 'source' && writable(a.source))) continue;
      taken?.add(slot);
      values.forEach((v, i) => { out[slot * width + i] = v; });
      if (rest.length > 0) out[slot * width + params.fields.length] = want[k];
      k++;
    }
    return k === want.length ? out : undefined;
  }],
  [IntrinsicNames.MATH_ADD, (want: JsonValue, args: readonly ComputedArg[]) => {
    if (typeof want !== 'number') return undefined;
    const [a, b] = args;
    if (b?.kind === 'literal' && typeof b.value === 'number') return [want - b.value, undefined];
    if (a?.kind === 'literal' && typeof a.value === 'number') return [undefined, want - a.value];
    return [want, 0];
  }],
  [IntrinsicNames.ARRAY_LENGTH, (want: JsonValue) => (typeof want === 'number' && Number.isInteger(want) && want >= 0 && want <= 1000
    ? [Array.from({ length: want }, () => ({}))] : undefined)],
  [IntrinsicNames.ARRAY_GET_ITEM, (want: JsonValue, args: readonly ComputedArg[]) => {
    const index = args[1];
    if (index?.kind !== 'literal' || typeof index.value !== 'number' || index.value < 0 || index.value > 1000) return undefined;
    // The other items are like the one wanted, so that a string can still be split and joined.
    const items: JsonValue[] = Array.from({ length: index.value + 1 }, () => (typeof want === 'string' ? want : {}));
    items[index.value] = want;
    return [items, undefined];
  }],
  [IntrinsicNames.ARRAY, (want: JsonValue, args: readonly ComputedArg[]) => (
    Array.isArray(want) && want.length === args.length ? [...want] : undefined)],
  [IntrinsicNames.ARRAY_UNIQUE, (want: JsonValue) => (Array.isArray(want) ? [want] : undefined)],
  [IntrinsicNames.ARRAY_CONTAINS, (want: JsonValue, args: readonly ComputedArg[]) => {
    const item = args[1];
    if (typeof want !== 'boolean') return undefined;
    if (!want) return [[], undefined];
    return item?.kind === 'literal' ? [[item.value], undefined] : undefined;
  }],
  [IntrinsicNames.BASE64_ENCODE, (want: JsonValue) => (typeof want === 'string' ? [Buffer.from(want, 'base64').toString('utf8')] : undefined)],
  [IntrinsicNames.BASE64_DECODE, (want: JsonValue) => (typeof want === 'string' ? [Buffer.from(want, 'utf8').toString('base64')] : undefined)],
  [IntrinsicNames.STRING_SPLIT, (want: JsonValue, args: readonly ComputedArg[]) => {
    const sep = args[1];
    if (!Array.isArray(want) || !want.every((w) => typeof w === 'string') || sep?.kind !== 'literal' || typeof sep.value !== 'string' || sep.value === '') return undefined;
    return [want.join(sep.value[0]), undefined];
  }],
  [IntrinsicNames.JSON_MERGE, (want: JsonValue) => (isJsonObject(want) ? [want, {}, undefined] : undefined)],
  // Each value is the text between the template's literal parts, so `'{}-{}'` gives "B-DE" from "B" and
  // "DE"; a template with an escape (`\\{`) is left alone.
  [IntrinsicNames.FORMAT, (want: JsonValue, args: readonly ComputedArg[]) => {
    const template = args[0];
    if (typeof want !== 'string' || template?.kind !== 'literal' || typeof template.value !== 'string' || template.value.includes('\\')) return undefined;
    const parts = template.value.split('{}');
    if (parts.length !== args.length || parts.length < 2) return undefined;
    const pieces = formatPieces(want, parts, args.slice(1));
    return pieces === undefined ? undefined : [undefined, ...pieces.map((p, i) => (args[i + 1].kind === 'literal' ? undefined : p))];
  }],
]);

/** The most splits of a wanted text {@link formatPieces} tries. */
const MAX_FORMAT_SPLITS = 64;

/**
 * The texts between the literal `parts` of a States.Format template that make `want`, one per
 * value: each piece ends at an occurrence of the part after it (the first that fits, a later one
 * when a literal value must match its piece). Undefined when no split fits.
 */
function formatPieces(want: string, parts: readonly string[], values: readonly ComputedArg[]): string[] | undefined {
  const last = parts[parts.length - 1];
  if (!want.startsWith(parts[0]) || !want.endsWith(last) || want.length < parts[0].length + last.length) return undefined;
  const end = want.length - last.length;
  let tries = 0;
  const fits = (i: number, piece: string): boolean => {
    const v = values[i];
    return v.kind !== 'literal' || piece === (typeof v.value === 'string' ? v.value : JSON.stringify(v.value));
  };
  const split = (i: number, from: number): string[] | undefined => {
    if (++tries > MAX_FORMAT_SPLITS) return undefined;
    if (i === values.length - 1) return from <= end && fits(i, want.slice(from, end)) ? [want.slice(from, end)] : undefined;
    const sep = parts[i + 1];
    for (let at = want.indexOf(sep, from); at !== -1 && at + sep.length <= end; at = want.indexOf(sep, at + 1)) {
      const piece = want.slice(from, at);
      if (!fits(i, piece)) continue;
      const rest = split(i + 1, at + sep.length);
      if (rest) return [piece, ...rest];
      if (sep === '') break;
    }
    return undefined;
  };
  return split(0, parts[0].length);
}

/**
 * Writes that let every `States.ArrayGetItem` with a literal index inside a
 * call find its item (an ARN split at ':' that has too few parts), each item
 * given a placeholder.
 */
export function itemsFound(c: Computed): Write[] {
  const out: Write[] = [];
  const index = c.args[1];
  if (c.fn === IntrinsicNames.ARRAY_GET_ITEM && index?.kind === 'literal' && typeof index.value === 'number') {
    const steered = invert(c, 'item');
    if (!('reason' in steered)) out.push(...steered);
  }
  for (const arg of c.args) if (arg.kind === 'call') out.push(...itemsFound(arg.computed));
  return out;
}

/** True when explore can steer the value a call computes: an inverse is known and some argument can be written. */
export function invertible(c: Computed): boolean {
  // A JSONata computation is steered by evaluating it (jsonata-inverse.ts), so any field it reads that explore can write will do.
  if (c.fn !== 'JSONata' && !INVERSES.has(c.fn)) return false;
  return c.args.some((a) => (a.kind === 'source' && writable(a.source)) || (a.kind === 'call' && invertible(a.computed)));
}

function writable(s: Source): boolean {
  return s.kind !== 'fixed' || (s.computed !== undefined && invertible(s.computed));
}

/**
 * The writes that make a call compute `whole` (its whole result, whatever
 * steps the call was read at), or why not.
 * @example invert(MathAdd($.count, 1), 5) // $.count = 4, where $.count comes from
 */
export function invert(c: Computed, whole: JsonValue | undefined, taken?: Set<number>): Write[] | { reason: string } {
  if (c.fn === 'JSONata') return { reason: `${c.params?.jsonata?.where ?? 'a JSONata expression'} computes it: steer it with steerJsonata` };
  const inverse = INVERSES.get(c.fn);
  if (!inverse) return { reason: `explore cannot steer what ${c.fn} computes` };
  if (whole === undefined) return { reason: `${c.fn} always gives a value` };
  const args = inverse(whole, c.args, c.params, taken);
  if (!args) return { reason: `${c.fn} cannot give ${JSON.stringify(whole)}` };
  const out: Write[] = [];
  for (let i = 0; i < c.args.length; i++) {
    const arg = c.args[i];
    const value = args[i];
    if (value === undefined || arg.kind === 'literal') continue;
    if (arg.kind === 'call') {
      const inner = invert(arg.computed, value);
      if ('reason' in inner) return inner;
      out.push(...inner);
      continue;
    }
    const s = arg.source;
    if (s.kind === 'fixed') {
      if (!s.computed) return { reason: `${c.fn} reads a value that comes from ${s.reason}` };
      const inner = invert(s.computed, value);
      if ('reason' in inner) return inner;
      out.push(...inner);
      continue;
    }
    out.push(c.fn === 'JSONPath.filter' && c.params?.filter !== undefined ? { source: s, value, select: c.params.filter } : { source: s, value });
  }
  return out.length > 0 ? out : { reason: `no argument of ${c.fn} can be written` };
}

/**
 * Where {@link invert} stops at an argument a JSONata expression computes (the items of a Map
 * whose `Items` filters its input, which `$$.Map.Item.Index` counts): the writes for its other
 * arguments, and the value wanted of each such expression, to steer as jsonata-inverse.ts does.
 * Undefined when no argument is such an expression, or another cannot be written.
 */
export function invertThroughJsonata(
  c: Computed, whole: JsonValue | undefined,
): { writes: Write[]; steer: Array<{ computed: Computed; wants: Want[] }> } | undefined {
  const inverse = INVERSES.get(c.fn);
  const items = c.args[0]?.kind === 'source' && c.args[0].source.kind === 'fixed' ? c.args[0].source.computed : undefined;
  // An index of an item of a list the run's items do not show (an expression computed them): a list with an item there.
  if (c.fn === 'Map.index' && items?.fn === 'JSONata' && c.params?.value === undefined) {
    if (typeof whole !== 'number' || !Number.isInteger(whole) || whole < 0 || whole > MAX_INDEX) return undefined;
    return { writes: [], steer: [{ computed: items, wants: [{ steps: [...items.steps, whole], value: undefined, defined: true }] }] };
  }
  const args = inverse !== undefined && whole !== undefined ? inverse(whole, c.args, c.params) : undefined;
  if (!args) return undefined;
  const writes: Write[] = [];
  const steer: Array<{ computed: Computed; wants: Want[] }> = [];
  for (let i = 0; i < c.args.length; i++) {
    const arg = c.args[i];
    const value = args[i];
    if (value === undefined || arg.kind === 'literal') continue;
    if (arg.kind !== 'source') return undefined;
    const inner = arg.source.kind === 'fixed' ? arg.source.computed : undefined;
    if (inner?.fn === 'JSONata') steer.push({ computed: inner, wants: [{ steps: inner.steps, value }] });
    else if (arg.source.kind !== 'fixed') writes.push({ source: arg.source, value });
    else return undefined;
  }
  return steer.length > 0 ? { writes, steer } : undefined;
}
