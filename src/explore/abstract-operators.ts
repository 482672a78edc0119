import type { JsonValue } from '../asl';
import { ANY_NUMBER, ANY_STRING, NOTHING, boolean, defined, hasValue, isEmpty, join, type AbstractValue } from './abstract-lattice';
import { parseRfc3339Timestamp } from '../asl/timestamp';

/*
 * What JSONata 2.0.6's operators and string functions give of abstract values (abstract-lattice.ts):
 * the pieces of explore's abstraction of JSONata that look at values only, never at an
 * expression; abstract-values.ts applies them while it walks one.
 */

/** The most strings a value built from a few known ones (`&`, a comparison) is worked out over. */
export const MAX_STRINGS = 64;

/**
 * What JSONata 2.0.6's string function `name` gives of one string, its other arguments the
 * literals `rest`; undefined for arguments it is not worked out for.
 */
export function textFunction(name: string, rest: ReadonlyArray<JsonValue | undefined>): ((s: string) => string) | undefined {
  switch (name) {
    case 'uppercase': return (s) => s.toUpperCase();
    case 'lowercase': return (s) => s.toLowerCase();
    case 'trim': return (s) => s.replace(/[ \t\n\r]+/gm, ' ').replace(/^ /, '').replace(/ $/, '');
    case 'substringBefore': case 'substringAfter': {
      const chars = rest[0];
      if (typeof chars !== 'string') return undefined;
      return name === 'substringBefore'
        ? (s) => (s.indexOf(chars) > -1 ? s.slice(0, s.indexOf(chars)) : s)
        : (s) => (s.indexOf(chars) > -1 ? s.slice(s.indexOf(chars) + chars.length) : s);
    }
    case 'substring': {
      const [start, length] = rest;
      if (typeof start !== 'number' || !Number.isInteger(start) || (rest.length > 1 && (typeof length !== 'number' || !Number.isInteger(length)))) return undefined;
      // By code points; a start before the beginning counts from it.
      return (s) => {
        const cps = Array.from(s);
        const from = cps.length + start < 0 ? 0 : start;
        if (typeof length !== 'number') return cps.slice(from).join('');
        if (length <= 0) return '';
        return cps.slice(from, from >= 0 ? from + length : cps.length + from + length).join('');
      };
    }
    default: return undefined;
  }
}

/**
 * `a & b`: each side as `$string` gives it (nothing as ''), joined; worked out over a few known
 * strings each side, any string otherwise.
 */
export function concatenation(l: AbstractValue, r: AbstractValue): AbstractValue {
  const texts = (v: AbstractValue): readonly string[] | undefined => {
    if (hasValue(v, 'str')) return undefined;
    const only = v.str ? v.str.only : [];
    if (only === undefined) return undefined;
    return v.undef ? [...only, ''] : only;
  };
  const [a, b] = [texts(l), texts(r)];
  if (a === undefined || b === undefined || a.length * b.length > MAX_STRINGS) return ANY_STRING;
  return { ...NOTHING, str: { only: [...new Set(a.flatMap((x) => b.map((y) => x + y)))] } };
}

/**
 * `a in b` of a few known strings in a list of known strings (or one string): whether each is
 * there; false of nothing. Anything else: either.
 */
export function membership(l: AbstractValue, r: AbstractValue): AbstractValue {
  const one = (v: AbstractValue): string | undefined => (v.undef || hasValue(v, 'str') || v.str?.only?.length !== 1 ? undefined : v.str.only[0]);
  // The right side one known string, or a list of them written out.
  let list: ReadonlyArray<string | undefined> | undefined;
  if (one(r) !== undefined) list = [one(r)];
  else if (!r.undef && r.arr?.tuple && !hasValue(r, 'arr')) list = r.arr.tuple.map(one);
  const only = l.str?.only;
  if (list === undefined || list.includes(undefined) || only === undefined || hasValue(l, 'str')) return boolean(true, true);
  const out = l.undef ? boolean(true, false) : NOTHING;
  return join(out, boolean(only.some((s) => !list.includes(s)), only.some((s) => list.includes(s))));
}

/**
 * `$toMillis(t)` of a few known strings, each an RFC 3339 timestamp as Choice rules parse it
 * (asl/timestamp.ts): its milliseconds, within one either side (JavaScript's own parse, which
 * JSONata uses, may round a finer fraction either way); nothing of nothing; any number otherwise.
 */
export function toMillis(v: AbstractValue): AbstractValue {
  const only = v.str?.only;
  if (only === undefined || hasValue(v, 'str')) return { ...ANY_NUMBER, undef: true };
  const millis = only.map((s) => parseRfc3339Timestamp(s));
  if (millis.some((m) => m === undefined)) return { ...ANY_NUMBER, undef: true };
  const ms = millis.map((m) => m!.seconds * 1000 + Math.floor(m!.nanos / 1e6));
  return { ...NOTHING, undef: v.undef, num: { lo: Math.min(...ms) - 1, hi: Math.max(...ms) + 1 } };
}

/** Whether an order comparison (`<`, `>=` …) can take `v` without JSONata throwing T2010: a number or a string. */
export function comparable(v: AbstractValue): boolean {
  return !v.nul && !v.bool.f && !v.bool.t && !v.obj && !v.arr;
}

/** Whether `v` may be true and may be false as JSONata casts it to a boolean (`$boolean`; nothing is false). */
export function truth(v: AbstractValue): { f: boolean; t: boolean } {
  let f = v.undef || v.nul || v.bool.f;
  let t = v.bool.t;
  // NaN and the infinities are true (JSONata's boolean is `n !== 0`).
  if (v.num) { f ||= v.num.lo <= 0 && v.num.hi >= 0; t ||= v.num.lo !== 0 || v.num.hi !== 0 || !!v.num.inf || !!v.num.nan; }
  if (v.str) {
    if (v.str.only) { f ||= v.str.only.includes(''); t ||= v.str.only.some((s) => s !== ''); } else { f = true; t = true; }
  }
  if (v.obj || v.arr) { f = true; t = true; }
  return { f, t };
}

/** `=` and `!=`: false when a side is nothing; exact between known scalars; otherwise either. */
export function equality(op: string, l: AbstractValue, r: AbstractValue): AbstractValue {
  const lit = (v: AbstractValue): JsonValue | undefined => {
    if (v.undef || v.obj || v.arr || (v.bool.f && v.bool.t)) return undefined;
    const kinds = [v.nul, v.bool.f || v.bool.t, !!v.num, !!v.str].filter(Boolean).length;
    if (kinds !== 1) return undefined;
    if (v.nul) return null;
    if (v.bool.f || v.bool.t) return v.bool.t;
    if (v.num) return v.num.lo === v.num.hi && !v.num.inf && !v.num.nan ? v.num.lo : undefined;
    return v.str!.only?.length === 1 ? v.str!.only[0] : undefined;
  };
  const eq = op === '=';
  let out = l.undef || r.undef ? boolean(true, false) : NOTHING;
  const a = defined(l);
  const b = defined(r);
  if (isEmpty(a) || isEmpty(b)) return out;
  const known = lit(b);
  const other = lit(a);
  if (known === undefined && other === undefined) return join(out, boolean(true, true));
  const [v, c] = known !== undefined ? [a, known] : [b, other!];
  // Whether `v` may equal the constant, and may differ from it.
  let same = false;
  let differ = v.obj !== undefined || v.arr !== undefined || v.undef;
  if (v.nul) { if (c === null) same = true; else differ = true; }
  if (v.bool.f) { if (c === false) same = true; else differ = true; }
  if (v.bool.t) { if (c === true) same = true; else differ = true; }
  if (v.num) {
    if (typeof c === 'number' && c >= v.num.lo && c <= v.num.hi) same = true;
    if (typeof c !== 'number' || v.num.lo !== c || v.num.hi !== c || v.num.inf || v.num.nan) differ = true;
  }
  if (v.str) {
    if (typeof c === 'string' && (v.str.only ? v.str.only.includes(c) : !(v.str.never ?? []).some((p) => p.test(c)))) same = true;
    if (typeof c !== 'string' || !v.str.only || v.str.only.some((s) => s !== c)) differ = true;
  }
  out = join(out, eq ? boolean(differ, same) : boolean(same, differ));
  return out;
}

