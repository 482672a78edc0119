import {
  ANY, NOTHING, evaluateAbstract, excluding, lengthKey, literalPattern, mayBe, ofTypeNames, readKey, truth, withoutStrings as notStrings,
  type AbstractScope, type AbstractValue,
} from './abstract-values';
import type { JsonataNode } from './solve/jsonata-ast';

/*
 * What a run that took a Choice branch tells of the values its rules read. A run goes on from
 * the branch of rule j only when rules 0..j-1 came out false and rule j true (the Default: every
 * rule false); a later state that reads the same field, unchanged, reads a value that passed
 * those tests. Each test of a plain field read (`$states.input.score >= 0.8`, `$tier = "gold"`,
 * `$exists($v)`, `x in [...]`, `$contains(x, "refund")` or with a regex, a comparison of `$length(x)`) narrows what that read can give, kept as a fact by the read's
 * path; `and`, `or` and `$not` are followed, a conjunct narrowed once the others are decided.
 * A fact is never narrower than the truth: a test explore does not model narrows nothing.
 */

/** What each plain field read may give, by its path (`readKey`); a read without a fact may give anything its value allows. */
export type Facts = ReadonlyMap<string, AbstractValue>;

/** True when a fact of `key` speaks of the state's input (`$states.input…`), which a state that changes its output ends. */
export function isInputKey(key: string): boolean {
  return key === 'states.input' || key.startsWith('states.input.');
}

/** The variable a fact of `key` reads (`v` of `v.x`), or undefined for a fact of `$states`. */
export function variableOfKey(key: string): string | undefined {
  // `v#length` (`$length($v)`) reads `v` too.
  const root = key.split('.')[0].split('#')[0];
  return root === 'states' ? undefined : root;
}

/** The facts `scope` holds once `condition` is known to have come out `want` (a run went on from it). */
export function assume(condition: JsonataNode, want: boolean, scope: AbstractScope): Facts {
  let facts = scope.facts ?? new Map<string, AbstractValue>();
  // Twice: a conjunct decided by what the other narrowed then narrows its partner.
  for (let pass = 0; pass < 2; pass++) facts = narrow(condition, want, { ...scope, facts }, 0);
  return facts;
}

const MAX_DEPTH = 32;

function narrow(node: JsonataNode, want: boolean, scope: AbstractScope, depth: number): Facts {
  const facts = scope.facts ?? new Map<string, AbstractValue>();
  if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return facts;
  const d = depth + 1;
  if (node.type === 'block' && Array.isArray(node.expressions) && node.expressions.length === 1) return narrow(node.expressions[0], want, scope, d);
  if (node.type === 'function' && node.procedure?.type === 'variable' && Array.isArray(node.arguments) && node.arguments.length === 1) {
    if (node.procedure.value === 'not') return narrow(node.arguments[0], !want, scope, d);
    if (node.procedure.value === 'boolean') return narrow(node.arguments[0], want, scope, d);
    if (node.procedure.value === 'exists') {
      const key = readKey(node.arguments[0]);
      return key === undefined ? facts : withFact(facts, key, (v) => (want ? { ...v, undef: false } : { ...NOTHING, undef: v.undef }));
    }
    return facts;
  }
  if (node.type === 'function' && node.procedure?.type === 'variable' && node.procedure.value === 'contains' && Array.isArray(node.arguments) && node.arguments.length === 2) {
    const key = readKey(node.arguments[0]);
    const needle = literalPattern(node.arguments[1]);
    if (key === undefined || needle === undefined) return facts;
    // A run went on from it: the value was a string (JSONata throws on another kind), or nothing, which is not true.
    return withFact(facts, key, (v) => {
      if (want) return v.str?.only ? onlyStrings(v, v.str.only.filter((s) => needle.pattern.test(s))) : v.str ? { ...NOTHING, str: v.str } : NOTHING;
      const str = v.str ? excluding(v.str, needle.pattern) : undefined;
      return { ...NOTHING, undef: v.undef, ...(str ? { str } : {}) };
    });
  }
  if (node.type !== 'binary') return facts;
  const op = node.value as string;
  if (op === 'and' || op === 'or') {
    const isAnd = op === 'and';
    // `a and b` true, `a or b` false: both sides come out so.
    if (want === isAnd) return narrow(node.rhs, want, { ...scope, facts: narrow(node.lhs, want, scope, d) }, d);
    // `a and b` false (`a or b` true): the side left undecided once the other surely is not.
    const side = (n: JsonataNode): { f: boolean; t: boolean } => truth(evaluateAbstract(n, scope, () => undefined));
    const l = side(node.lhs);
    const r = side(node.rhs);
    if (isAnd ? !l.f : !l.t) return narrow(node.rhs, want, scope, d);
    if (isAnd ? !r.f : !r.t) return narrow(node.lhs, want, scope, d);
    return facts;
  }
  if (op === 'in') {
    const key = readKey(node.lhs);
    const list = literalList(node.rhs);
    if (key === undefined || list === undefined || !list.every((x) => typeof x === 'string')) return facts;
    const strings = list as string[];
    return withFact(facts, key, (v) => (want ? onlyStrings(v, strings) : withoutStrings(v, strings)));
  }
  if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) return facts;
  const typed = typeTest(node);
  if (typed !== undefined && (op === '=' || op === '!=')) {
    // `$type(x) = "number"` true: x is a number; false: x is anything else, or nothing. `!=` is false when x is nothing.
    const equal = (op === '=') === want;
    return withFact(facts, typed.key, (v) => ofTypeNames(v, (name) => (name === typed.name) === equal, !want));
  }
  // A plain read, or `$length` of one (`$length($v.name) > 80`), whose value is as fixed as the read's.
  let key = readKey(node.lhs) ?? lengthKey(node.lhs);
  let lit = literal(node.rhs);
  let o = op;
  let read = node.lhs;
  if (key === undefined || lit === undefined) {
    key = readKey(node.rhs) ?? lengthKey(node.rhs);
    lit = literal(node.lhs);
    o = FLIP[op];
    read = node.rhs;
  }
  if (key === undefined || lit === undefined) return facts;
  const c = lit.value;
  if (o === '=' || o === '!=') {
    const equal = (o === '=') === want;
    // JSONata's `=` and `!=` are both false when a side is nothing: `x != c` false leaves c or nothing.
    const orNothing = (v: AbstractValue, e: AbstractValue): AbstractValue => (o === '!=' && !want && v.undef ? { ...e, undef: true } : e);
    if (typeof c === 'string') {
      // A read with no fact yet is narrowed from what it gives (an error's name one of a Catch's, less this one), not from anything.
      const from = facts.has(key) ? facts : new Map(facts).set(key, evaluateAbstract(read, scope, () => undefined));
      return withFact(from, key, (v) => (equal ? orNothing(v, onlyStrings(v, [c])) : withoutStrings(v, [c])));
    }
    if (typeof c === 'number' && equal) {
      return withFact(facts, key, (v) => orNothing(v, v.num && v.num.lo <= c && c <= v.num.hi ? { ...NOTHING, num: { lo: c, hi: c } } : NOTHING));
    }
    return facts;
  }
  if (typeof c !== 'number' || !Number.isFinite(c)) return facts;
  const holds = want;
  const range = ((): { lo: number; hi: number } => {
    const lt = o === '<' ? holds : o === '>=' ? !holds : undefined;
    const le = o === '<=' ? holds : o === '>' ? !holds : undefined;
    if (lt === true) return { lo: -Infinity, hi: below(c) };
    if (lt === false) return { lo: c, hi: Infinity };
    if (le === true) return { lo: -Infinity, hi: c };
    return { lo: above(c), hi: Infinity };
  })();
  return withFact(facts, key, (v) => {
    // A comparison with a number is true only of a number, false of a number or nothing: JSONata throws on a string
    // (T2009) or another kind (T2010), which fails the state, so no run goes on from it.
    v = { ...NOTHING, undef: v.undef && !want, ...(v.num ? { num: v.num } : {}) };
    // A comparison that came out false says nothing of a value that may be NaN.
    if (!v.num || (!want && v.num.nan)) return v;
    const lo = Math.max(v.num.lo, range.lo);
    const hi = Math.min(v.num.hi, range.hi);
    const { num: _n, ...rest } = v;
    return lo <= hi ? { ...rest, num: { lo, hi } } : rest;
  });
}

/** The read and the name of `$type(read) = "name"` (either side), else undefined. */
function typeTest(node: JsonataNode): { key: string; name: string } | undefined {
  for (const [call, other] of [[node.lhs, node.rhs], [node.rhs, node.lhs]] as const) {
    const args = call?.arguments as JsonataNode[] | undefined;
    if (call?.type !== 'function' || call.procedure?.type !== 'variable' || call.procedure.value !== 'type' || args?.length !== 1) continue;
    const key = readKey(args[0]);
    const name = literal(other);
    if (key !== undefined && typeof name?.value === 'string') return { key, name: name.value };
  }
  return undefined;
}

const FLIP: Record<string, string> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function withFact(facts: Facts, key: string, f: (v: AbstractValue) => AbstractValue): Facts {
  const next = new Map(facts);
  next.set(key, f(facts.get(key) ?? ANY));
  return next;
}

/** `x = "s"` true: x is one of those strings (JSONata's `=` is never true of a string and another kind, nor of nothing). */
function onlyStrings(v: AbstractValue, strings: readonly string[]): AbstractValue {
  if (!v.str) return NOTHING;
  const str = v.str;
  const only = strings.filter((s) => mayBe(str, s));
  return only.length > 0 ? { ...NOTHING, str: { only } } : NOTHING;
}

/** `x = "s"` false: x is not that string (a list of strings loses it; any string becomes any other). */
function withoutStrings(v: AbstractValue, strings: readonly string[]): AbstractValue {
  if (!v.str) return v;
  const { str: _s, ...rest } = v;
  const str = notStrings(v.str, strings);
  return str ? { ...rest, str } : rest;
}

function literal(node: JsonataNode): { value: string | number } | undefined {
  if (node?.type === 'string' && typeof node.value === 'string') return { value: node.value };
  if (node?.type === 'number' && typeof node.value === 'number') return { value: node.value };
  if (node?.type === 'unary' && node.value === '-' && node.expression?.type === 'number') return { value: -node.expression.value };
  return undefined;
}

function literalList(node: JsonataNode): Array<string | number> | undefined {
  if (node?.type !== 'unary' || node.value !== '[' || !Array.isArray(node.expressions)) return undefined;
  const out: Array<string | number> = [];
  for (const e of node.expressions as JsonataNode[]) {
    const l = literal(e);
    if (l === undefined) return undefined;
    out.push(l.value);
  }
  return out;
}

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** The greatest number below `x` (so `n < x` is `n <= below(x)`). */
export function below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  F64[0] = x;
  U64[0] += x > 0 ? -1n : 1n;
  return F64[0];
}

/** The least number above `x`. */
export function above(x: number): number {
  return -below(-x);
}
