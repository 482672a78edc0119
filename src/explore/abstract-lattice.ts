import type { JsonValue } from '../asl';

/*
 * The values explore's abstraction of JSONata works on (abstract-values.ts evaluates expressions
 * over them): what kinds a value may be and which ones, their union (`join`) and what two
 * descriptions both allow (`meet`), never narrower than the truth.
 */

/** What a value may be: each member says a kind of value is possible, and which ones. */
export interface AbstractValue {
  /** Nothing (JSONata's undefined: a field not there). */
  readonly undef: boolean;
  readonly nul: boolean;
  /** The booleans it may be. */
  readonly bool: { readonly f: boolean; readonly t: boolean };
  /**
   * The numbers it may be: within [lo, hi] (an infinite bound: no bound). A value read from JSON
   * is always finite; inside one expression JSONata may compute more: `inf`, it may be Infinity or
   * -Infinity (`+` and `$sum` past the largest double give them and do not throw); `nan`, it may
   * be NaN (`$sum` of Infinity and -Infinity), which compares false with every number.
   */
  readonly num?: NumberRange;
  /**
   * The strings it may be: those listed, or any; and none that a pattern of `never` matches (a
   * `$contains` that came out false; patterns kept without the `g` and `y` flags, never beside `only`,
   * whose strings are checked against them instead).
   */
  readonly str?: { readonly only?: readonly string[]; readonly never?: readonly RegExp[] };
  /** The objects it may be: the fields known, what any other field holds (undefined: anything). */
  readonly obj?: { readonly fields: ReadonlyMap<string, AbstractValue>; readonly rest?: AbstractValue };
  /**
   * The arrays it may be: at least `min` items, each what `item` says (undefined: anything); or
   * exactly the items of `tuple`, each one there.
   */
  readonly arr?: { readonly min: number; readonly item?: AbstractValue; readonly tuple?: readonly AbstractValue[] };
}

/** The numbers a value may be (see {@link AbstractValue.num}). */
export interface NumberRange {
  readonly lo: number;
  readonly hi: number;
  readonly inf?: boolean;
  readonly nan?: boolean;
}

const NO_BOOL = { f: false, t: false } as const;
export const NOTHING: AbstractValue = { undef: false, nul: false, bool: NO_BOOL };
export const UNDEF: AbstractValue = { ...NOTHING, undef: true };
export const ANY: AbstractValue = {
  undef: true, nul: true, bool: { f: true, t: true }, num: { lo: -Infinity, hi: Infinity }, str: {}, obj: { fields: new Map() }, arr: { min: 0 },
};
export const ANY_NUMBER: AbstractValue = { ...NOTHING, num: { lo: -Infinity, hi: Infinity } };
export const ANY_STRING: AbstractValue = { ...NOTHING, str: {} };
export const ANY_OBJECT: AbstractValue = { ...NOTHING, obj: { fields: new Map() } };

export function boolean(f: boolean, t: boolean): AbstractValue {
  return { ...NOTHING, bool: { f, t } };
}

/** True when no value at all is possible (every case failed). */
export function isEmpty(v: AbstractValue): boolean {
  return !v.undef && !v.nul && !v.bool.f && !v.bool.t && !v.num && !v.str && !v.obj && !v.arr;
}

/** The value without its "nothing" case. */
export function defined(v: AbstractValue): AbstractValue {
  return { ...v, undef: false };
}

/** The union of two abstractions. */
export function join(a: AbstractValue, b: AbstractValue): AbstractValue {
  return {
    undef: a.undef || b.undef,
    nul: a.nul || b.nul,
    bool: { f: a.bool.f || b.bool.f, t: a.bool.t || b.bool.t },
    ...(a.num || b.num ? { num: joinNumbers(a.num, b.num) } : {}),
    ...(a.str || b.str ? { str: joinStrings(a.str, b.str) } : {}),
    ...(a.obj || b.obj ? { obj: joinObjects(a.obj, b.obj) } : {}),
    ...(a.arr || b.arr ? { arr: joinArrays(a.arr, b.arr) } : {}),
  };
}

function joinNumbers(a: AbstractValue['num'], b: AbstractValue['num']): NumberRange {
  const lo = Math.min(a?.lo ?? Infinity, b?.lo ?? Infinity);
  const hi = Math.max(a?.hi ?? -Infinity, b?.hi ?? -Infinity);
  return range(lo, hi, !!(a?.inf || b?.inf), !!(a?.nan || b?.nan));
}

/** How deep {@link asJson} follows a value; below it, anything. */
const MAX_JSON_DEPTH = 16;

/** A range with its flags only when set (so that a finite range stays the plain `{ lo, hi }`). */
export function range(lo: number, hi: number, inf: boolean, nan: boolean): NumberRange {
  return { lo, hi, ...(inf ? { inf } : {}), ...(nan ? { nan } : {}) };
}

/**
 * What a field of a state holds once an expression gave `v`: JSON has no Infinity or NaN, and AWS
 * hands on the JVM's text for them ("Infinity", "-Infinity", "NaN"; asl/jsonata/compile.ts does
 * the same). No recording shows it, so null is kept too: a proof holds whichever AWS writes.
 */
export function asJson(v: AbstractValue, depth = 0): AbstractValue {
  if (depth > MAX_JSON_DEPTH) return ANY;
  let out = v;
  if (v.num && (v.num.inf || v.num.nan)) {
    out = join({ ...v, num: { lo: v.num.lo, hi: v.num.hi } }, { ...NOTHING, nul: true, str: { only: ['Infinity', '-Infinity', 'NaN'] } });
  }
  if (out.obj) {
    const fields = new Map<string, AbstractValue>();
    for (const [k, f] of out.obj.fields) fields.set(k, asJson(f, depth + 1));
    out = { ...out, obj: { fields, ...(out.obj.rest ? { rest: asJson(out.obj.rest, depth + 1) } : {}) } };
  }
  if (out.arr) {
    const { min, item, tuple } = out.arr;
    const items = tuple ? { tuple: tuple.map((t) => asJson(t, depth + 1)) } : {};
    out = { ...out, arr: { min, ...(item ? { item: asJson(item, depth + 1) } : {}), ...items } };
  }
  return out;
}

function joinStrings(a: AbstractValue['str'], b: AbstractValue['str']): NonNullable<AbstractValue['str']> {
  if (!a) return b!;
  if (!b) return a;
  if (a.only && b.only) return { only: [...new Set([...a.only, ...b.only])] };
  // A pattern both sides exclude (by their lists, or no string of a side's list matches it) stays excluded.
  const excludes = (side: NonNullable<AbstractValue['str']>, p: RegExp): boolean =>
    side.only ? !side.only.some((x) => p.test(x)) : (side.never ?? []).some((q) => samePattern(p, q));
  const all = [...(a.never ?? []), ...(b.never ?? [])];
  const never = all.filter((p, i) => excludes(a, p) && excludes(b, p) && all.findIndex((q) => samePattern(p, q)) === i);
  return never.length > 0 ? { never } : {};
}

/** Two patterns that match the same strings because they are written the same. */
export function samePattern(a: RegExp, b: RegExp): boolean {
  return a.source === b.source && a.flags === b.flags;
}

/** A pattern for `never`: without the flags that make a test depend on the one before. */
export function patternOf(re: RegExp | string): RegExp {
  if (typeof re === 'string') return new RegExp(re.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
}

/**
 * A pattern for `never` that matches one string whole and no other (a `x = "s"` that came out
 * false): anchored, so {@link matchesInside} keeps it out of what a `$contains` decides.
 */
export function exactPattern(s: string): RegExp {
  return new RegExp(`^${patternOf(s).source}$`);
}

/** The one string an {@link exactPattern} matches, or undefined for any other pattern. */
export function exactString(p: RegExp): string | undefined {
  if (p.flags !== '' || !p.source.startsWith('^') || !p.source.endsWith('$')) return undefined;
  const s = p.source.slice(1, -1).replace(/\\(.)/g, '$1');
  return exactPattern(s).source === p.source ? s : undefined;
}

/** The strings of `str` other than each of `strings`: a list loses them, any string excludes each whole. */
export function withoutStrings(str: NonNullable<AbstractValue['str']>, strings: readonly string[]): AbstractValue['str'] {
  let out: AbstractValue['str'] = str;
  for (const s of strings) out = out === undefined ? undefined : excluding(out, exactPattern(s));
  return out;
}

/** True when `str` may be the string `s` (one of its list, or no pattern of `never` matches it). */
export function mayBe(str: NonNullable<AbstractValue['str']>, s: string): boolean {
  return str.only ? str.only.includes(s) : !(str.never ?? []).some((p) => p.test(s));
}

/** The strings `v` may be, less those `p` matches (a `$contains(v, p)` that came out false). */
export function excluding(str: NonNullable<AbstractValue['str']>, p: RegExp): AbstractValue['str'] {
  if (str.only) {
    const only = str.only.filter((x) => !p.test(x));
    return only.length > 0 ? { only } : undefined;
  }
  const never = str.never ?? [];
  return never.some((q) => samePattern(p, q)) ? str : { never: [...never, p] };
}

/**
 * True when a string that `p` matches somewhere still matches when more is written around it: the
 * pattern has no anchor (`^`, `$`), no word boundary and no lookaround, which read past the match.
 */
export function matchesInside(p: RegExp): boolean {
  const src = p.source;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      if (!inClass && (src[i + 1] === 'b' || src[i + 1] === 'B')) return false;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '^' || c === '$') {
      return false;
    } else if (c === '(' && src[i + 1] === '?' && src[i + 2] !== ':') {
      return false;
    }
  }
  return true;
}

function joinOpt(a: AbstractValue | undefined, b: AbstractValue | undefined): AbstractValue | undefined {
  return a === undefined || b === undefined ? undefined : join(a, b);
}

function joinObjects(a: AbstractValue['obj'], b: AbstractValue['obj']): NonNullable<AbstractValue['obj']> {
  if (!a) return b!;
  if (!b) return a;
  const fields = new Map<string, AbstractValue>();
  for (const k of new Set([...a.fields.keys(), ...b.fields.keys()])) {
    const j = joinOpt(fieldOf(a, k), fieldOf(b, k));
    if (j !== undefined) fields.set(k, j);
  }
  const rest = joinOpt(a.rest, b.rest);
  return rest === undefined ? { fields } : { fields, rest };
}

export function fieldOf(o: NonNullable<AbstractValue['obj']>, k: string): AbstractValue | undefined {
  return o.fields.get(k) ?? o.rest;
}

export function itemOf(a: NonNullable<AbstractValue['arr']>): AbstractValue | undefined {
  if (a.tuple) return a.tuple.length === 0 ? NOTHING : a.tuple.reduce(join);
  return a.item;
}

function joinArrays(a: AbstractValue['arr'], b: AbstractValue['arr']): NonNullable<AbstractValue['arr']> {
  if (!a) return b!;
  if (!b) return a;
  const ia = itemOf(a);
  const ib = itemOf(b);
  const item = ia === undefined || ib === undefined ? undefined : join(ia, ib);
  return { min: Math.min(a.tuple?.length ?? a.min, b.tuple?.length ?? b.min), ...(item ? { item } : {}) };
}

/**
 * No more than both allow: each kind a value may be only when both allow it, numbers within both
 * ranges, strings in both lists; an object or a list as the first says (never narrower than the truth).
 */
export function meet(a: AbstractValue, b: AbstractValue): AbstractValue {
  const lo = Math.max(a.num?.lo ?? Infinity, b.num?.lo ?? Infinity);
  const hi = Math.min(a.num?.hi ?? -Infinity, b.num?.hi ?? -Infinity);
  const str = a.str && b.str ? meetStrings(a.str, b.str) : undefined;
  return {
    undef: a.undef && b.undef,
    nul: a.nul && b.nul,
    bool: { f: a.bool.f && b.bool.f, t: a.bool.t && b.bool.t },
    ...(a.num && b.num && lo <= hi ? { num: range(lo, hi, !!(a.num.inf && b.num.inf), !!(a.num.nan && b.num.nan)) } : {}),
    ...(str && (!str.only || str.only.length > 0) ? { str } : {}),
    ...(a.obj && b.obj ? { obj: a.obj } : {}),
    ...(a.arr && b.arr ? { arr: a.arr } : {}),
  };
}

function meetStrings(a: NonNullable<AbstractValue['str']>, b: NonNullable<AbstractValue['str']>): AbstractValue['str'] {
  if (a.only && b.only) return { only: a.only.filter((s) => b.only!.includes(s)) };
  if (a.only || b.only) {
    const [list, other] = a.only ? [a, b] : [b, a];
    return { only: list.only!.filter((s) => !(other.never ?? []).some((p) => p.test(s))) };
  }
  let out: AbstractValue['str'] = a;
  for (const p of b.never ?? []) out = excluding(out!, p);
  return out;
}

export function ofJson(value: JsonValue): AbstractValue {
  if (value === null) return { ...NOTHING, nul: true };
  switch (typeof value) {
    case 'boolean': return boolean(!value, value);
    case 'number': return { ...NOTHING, num: { lo: value, hi: value } };
    case 'string': return { ...NOTHING, str: { only: [value] } };
    default: break;
  }
  if (Array.isArray(value)) return { ...NOTHING, arr: { min: value.length, tuple: value.map(ofJson) } };
  return { ...NOTHING, obj: { fields: new Map(Object.entries(value).map(([k, v]) => [k, ofJson(v)])), rest: UNDEF } };
}

/** True when `v` may be a value of a kind other than nothing and `except`. */
export function hasValue(v: AbstractValue, except?: 'num' | 'str' | 'arr' | 'obj'): boolean {
  return v.nul || v.bool.f || v.bool.t || (except !== 'num' && !!v.num) || (except !== 'str' && !!v.str) || (except !== 'obj' && !!v.obj) || (except !== 'arr' && !!v.arr);
}

/** Any string but those the patterns match, as words: `a string other than "OPEN"`, `a string matching none of /x/`. */
function neverWords(never: readonly RegExp[]): string {
  const exact = never.map(exactString);
  const others = never.filter((_p, i) => exact[i] === undefined);
  const words = [
    ...(others.length < never.length ? [`other than ${exact.filter((x) => x !== undefined).map((x) => JSON.stringify(x)).join(' and ')}`] : []),
    ...(others.length > 0 ? [`matching none of ${others.map((p) => `/${p.source}/${p.flags}`).join(', ')}`] : []),
  ];
  return `a string ${words.join(', ')}`;
}

/** What a value is, as words (for a proof's text). */
export function describe(v: AbstractValue): string {
  const parts: string[] = [];
  if (v.undef) parts.push('nothing');
  if (v.nul) parts.push('null');
  if (v.bool.f && v.bool.t) parts.push('a boolean');
  else if (v.bool.f || v.bool.t) parts.push(String(v.bool.t));
  if (v.num) {
    parts.push(v.num.lo === v.num.hi ? String(v.num.lo) : v.num.lo === -Infinity && v.num.hi === Infinity ? 'a number'
      : v.num.lo === -Infinity ? `a number at most ${v.num.hi}` : v.num.hi === Infinity ? `a number at least ${v.num.lo}` : `a number in [${v.num.lo}, ${v.num.hi}]`);
    if (v.num.inf || v.num.nan) parts.push(v.num.nan ? 'Infinity, -Infinity or NaN' : 'Infinity or -Infinity');
  }
  if (v.str) {
    parts.push(v.str.only ? v.str.only.map((s) => JSON.stringify(s)).join(' or ') : v.str.never ? neverWords(v.str.never) : 'a string');
  }
  if (v.obj) parts.push('an object');
  if (v.arr) parts.push(v.arr.tuple ? `a list of ${v.arr.tuple.length}` : v.arr.min > 0 ? `a list of at least ${v.arr.min}` : 'a list');
  return parts.length === 0 ? 'no value' : parts.join(' or ');
}
