import {
  ANY, ANY_OBJECT, ANY_STRING, NOTHING, UNDEF, boolean, defined, fieldOf, hasValue, itemOf, join, matchesInside, mayBe, meet,
  ofJson, patternOf, range, samePattern, type AbstractValue,
} from './abstract-lattice';
import {
  MAX_STRINGS, comparable, concatenation, equality, membership, textFunction, toMillis, truth,
} from './abstract-operators';
import { lengthKey, literalOf, literalPattern, readKey } from './abstract-reads';
import type { JsonValue } from '../asl';
import { needsField } from './filter-fields';
import type { JsonataNode } from './solve/jsonata-ast';

/*
 * Every value a JSONata expression can give, over every value its inputs can hold: an
 * abstraction of JSONata (2.0.6, as Step Functions runs it) precise enough to show that a Choice
 * rule comes out the same on every run that reaches it (`$count` of what `$map` built is never 0,
 * a status compared with the range its Task lets through), and never less than the truth: a
 * construct it does not model gives "anything". A case that makes JSONata throw is left out of
 * the result (the state fails there, so no run goes on with it) and told to `drop`, which the
 * proof names.
 */

export {
  ANY, ANY_NUMBER, ANY_STRING, NOTHING, UNDEF, asJson, boolean, defined, excluding, isEmpty, join, matchesInside, mayBe, meet, ofJson, patternOf,
  samePattern, describe, withoutStrings, type AbstractValue, type NumberRange,
} from './abstract-lattice';
export { truth } from './abstract-operators';
export { lengthKey, literalPattern, readKey } from './abstract-reads';

/** The names an expression is evaluated with: `$states` (its members), the workflow variables, and the names it binds. */
export interface AbstractScope {
  readonly states: { readonly input: AbstractValue; readonly result?: AbstractValue; readonly errorOutput?: AbstractValue };
  /** A variable not here may hold anything. */
  readonly variables: ReadonlyMap<string, AbstractValue>;
  /**
   * What plain field reads are known to give (assume.ts), by the read's path (`states.input.a`,
   * `v.x`): a read with a fact gives no more than the fact allows.
   */
  readonly facts?: ReadonlyMap<string, AbstractValue>;
}

/** A case an evaluation left out because JSONata throws on it: what was read, and why. */
export type Drop = (why: string) => void;

const MAX_DEPTH = 64;

/** Every value `node` can give in `scope`; cases that throw are left out and told to `drop`. */
export function evaluateAbstract(node: JsonataNode, scope: AbstractScope, drop: Drop): AbstractValue {
  return new Evaluation(scope, drop).eval(node, new Map(), 0);
}

class Evaluation {
  constructor(private readonly scope: AbstractScope, private readonly drop: Drop) {}

  eval(node: JsonataNode, env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return ANY;
    const d = depth + 1;
    switch (node.type) {
      case 'string': case 'number': return ofJson(node.value as JsonValue);
      case 'value': return ofJson(node.value as JsonValue);
      case 'variable': return node.predicate ? this.step(this.variable(node.value, env), node.predicate) : this.known(node, env, this.variable(node.value, env));
      case 'path': return this.known(node, env, this.path(node, env));
      case 'condition': return this.condition(node, env, d);
      case 'block': return this.block(node, env, d);
      case 'binary': return this.binary(node, env, d);
      case 'unary': return this.unary(node, env, d);
      case 'function': return this.call(node, env, d);
      default: return ANY;
    }
  }

  /** A plain read narrowed by what the scope's facts say of it (none of a name the expression binds). */
  private known(node: JsonataNode, env: ReadonlyMap<string, AbstractValue>, v: AbstractValue): AbstractValue {
    const facts = this.scope.facts;
    if (facts === undefined || facts.size === 0) return v;
    const key = readKey(node);
    if (key === undefined || env.has(key.split('.')[0])) return v;
    const fact = facts.get(key);
    return fact === undefined ? v : meet(v, fact);
  }

  private variable(name: unknown, env: ReadonlyMap<string, AbstractValue>): AbstractValue {
    if (typeof name !== 'string' || name === '') return ANY;
    if (env.has(name)) return env.get(name)!;
    if (name === 'states') {
      const s = this.scope.states;
      const fields = new Map<string, AbstractValue>([['input', s.input]]);
      if (s.result) fields.set('result', s.result);
      if (s.errorOutput) fields.set('errorOutput', s.errorOutput);
      return { ...NOTHING, obj: { fields } };
    }
    return this.scope.variables.get(name) ?? ANY;
  }

  /** A path of plain steps from a variable: `$states.input.a`, `$v.items[0]`. */
  private path(node: JsonataNode, env: ReadonlyMap<string, AbstractValue>): AbstractValue {
    const steps = node.steps as JsonataNode[] | undefined;
    if (!steps || steps.length === 0 || node.keepSingletonArray || node.group || node.tuple) return ANY;
    const first = steps[0];
    if (first.type !== 'variable' || first.focus || first.index || first.tuple) return ANY;
    const filters = (first.stages ?? first.predicate) as JsonataNode[] | undefined;
    let v = filters ? this.step(this.variable(first.value, env), filters) : this.variable(first.value, env);
    for (const s of steps.slice(1)) {
      if (s.type !== 'name' || typeof s.value !== 'string' || s.focus || s.index || s.tuple || s.group) return ANY;
      v = this.field(v, s.value);
      if (s.stages) v = this.step(v, s.stages);
    }
    return v;
  }

  /** A field of every value `v` may be: an object's field, nothing from a scalar; through a list, anything (JSONata maps and flattens). */
  private field(v: AbstractValue, name: string): AbstractValue {
    if (v.arr) return ANY;
    let out: AbstractValue = v.undef || v.nul || v.bool.f || v.bool.t || v.num || v.str ? UNDEF : NOTHING;
    if (v.obj) out = join(out, fieldOf(v.obj, name) ?? ANY);
    // A field holding a list of one may come out as the list or its item: both are kept.
    if (out.arr && !out.arr.tuple && out.arr.min <= 1) out = join(out, out.arr.item ?? ANY);
    else if (out.arr?.tuple?.length === 1) out = join(out, out.arr.tuple[0]);
    return out;
  }

  /**
   * A literal index `[n]` on a list of known items that are no lists: that item. A filter that keeps only items holding a
   * field (`[status != 'DONE']`): nothing, or what holds at least one value, since an empty list has no field to compare
   * (`$count` of it is never 0). Anything else, anything.
   */
  private step(v: AbstractValue, stages: JsonataNode[]): AbstractValue {
    if (stages.every((st) => st.type === 'filter' && needsField(st.expr))) return { ...ANY, arr: { min: 1 } };
    if (stages.length !== 1 || stages[0].type !== 'filter' || stages[0].expr?.type !== 'number') return ANY;
    const n = stages[0].expr.value as number;
    const only = v.arr?.tuple;
    if (!only || v.undef || v.nul || v.bool.f || v.bool.t || v.num || v.str || v.obj || !Number.isInteger(n) || n < 0 || n >= only.length) return ANY;
    return only[n].arr ? ANY : only[n];
  }

  /**
   * `c ? a : b`. When `c` is a plain read, `a` reads it as a value JSONata casts to true (never
   * nothing, null or false) and `b` as one it casts to false (`$states.result.Item ? $states.result.Item : null`
   * never gives nothing).
   */
  private condition(node: JsonataNode, env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    const read = this.eval(node.condition, env, depth);
    const c = truth(read);
    const key = readKey(node.condition);
    const own = key !== undefined && !env.has(key.split('.')[0]);
    const under = (v: AbstractValue): Evaluation => (own
      ? new Evaluation({ ...this.scope, facts: new Map(this.scope.facts).set(key, v) }, this.drop)
      : this);
    let out = NOTHING;
    if (c.t) out = join(out, under(truthy(read)).eval(node.then, env, depth));
    if (c.f) out = join(out, node.else === undefined ? UNDEF : under(falsy(read)).eval(node.else, env, depth));
    return out;
  }

  private block(node: JsonataNode, env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    const inner = new Map(env);
    let last: AbstractValue = UNDEF;
    for (const e of (node.expressions as JsonataNode[] | undefined) ?? []) {
      if (e.type === 'bind' && e.lhs?.type === 'variable') {
        last = this.eval(e.rhs, inner, depth);
        inner.set(e.lhs.value as string, last);
      } else {
        last = this.eval(e, inner, depth);
      }
    }
    return last;
  }

  private binary(node: JsonataNode, env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    const op = node.value as string;
    const l = this.eval(node.lhs, env, depth);
    const r = this.eval(node.rhs, env, depth);
    switch (op) {
      case 'and': case 'or': {
        const a = truth(l);
        const b = truth(r);
        return op === 'and' ? boolean(a.f || b.f, a.t && b.t) : boolean(a.f && b.f, a.t || b.t);
      }
      case '<': case '<=': case '>': case '>=': return this.order(op, l, r);
      case '=': case '!=': return equality(op, l, r);
      case '+': case '-': return this.arithmetic(op, l, r);
      case '&': return concatenation(l, r);
      case 'in': return membership(l, r);
      default: return ANY;
    }
  }

  /** `<`, `>`...: nothing when a side is nothing; numbers by their ranges; JSONata throws on other kinds and on a number beside a string. */
  private order(op: string, l: AbstractValue, r: AbstractValue): AbstractValue {
    if (!comparable(l) || !comparable(r)) this.drop(`a value compared with '${op}' is neither a number nor a string (JSONata throws T2010)`);
    let out = l.undef || r.undef ? UNDEF : NOTHING;
    if ((l.num && r.str) || (l.str && r.num)) this.drop(`a number is compared with a string by '${op}' (JSONata throws T2009)`);
    if (l.num && r.num) {
      const [a, b] = [l.num, r.num];
      // Whether the left side may be below, equal to, above the right side.
      const can = (lt: boolean, eq: boolean, gt: boolean): boolean =>
        (lt && a.lo < b.hi) || (eq && a.lo <= b.hi && b.lo <= a.hi) || (gt && a.hi > b.lo);
      const holds = op === '<' ? can(true, false, false) : op === '<=' ? can(true, true, false) : op === '>' ? can(false, false, true) : can(false, true, true);
      const fails = op === '<' ? can(false, true, true) : op === '<=' ? can(false, false, true) : op === '>' ? can(true, true, false) : can(true, false, false);
      // NaN is neither below, equal to nor above anything: every comparison with it is false.
      out = join(out, boolean(fails || !!a.nan || !!b.nan, holds));
    }
    if (l.str && r.str) {
      // A few known strings each side: compared as JSONata compares them (JavaScript's order of UTF-16 code units).
      const [a, b] = [l.str.only, r.str.only];
      if (a === undefined || b === undefined || a.length * b.length > MAX_STRINGS) return join(out, boolean(true, true));
      const test = (x: string, y: string): boolean => (op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y);
      const results = a.flatMap((x) => b.map((y) => test(x, y)));
      out = join(out, boolean(results.includes(false), results.includes(true)));
    }
    return out;
  }

  private arithmetic(op: string, l: AbstractValue, r: AbstractValue): AbstractValue {
    if (hasValue(l, 'num') || hasValue(r, 'num')) this.drop(`'${op}' is given a value that is not a number (JSONata throws T2001)`);
    let out = l.undef || r.undef ? UNDEF : NOTHING;
    if (l.num && r.num) {
      // An operand that is not finite throws (D1001), but two finite ones may sum past the largest double.
      if (l.num.inf || l.num.nan || r.num.inf || r.num.nan) this.drop(`'${op}' is given Infinity or NaN (JSONata throws D1001)`);
      const lo = op === '+' ? l.num.lo + r.num.lo : l.num.lo - r.num.hi;
      const hi = op === '+' ? l.num.hi + r.num.hi : l.num.hi - r.num.lo;
      const a = Number.isNaN(lo) ? -Infinity : lo;
      const b = Number.isNaN(hi) ? Infinity : hi;
      out = join(out, { ...NOTHING, num: range(a, b, !Number.isFinite(a) || !Number.isFinite(b), false) });
    }
    return out;
  }

  private unary(node: JsonataNode, env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    if (node.value === '-') {
      const v = this.eval(node.expression, env, depth);
      if (hasValue(v, 'num')) this.drop("'-' is given a value that is not a number (JSONata throws D1002)");
      return { ...NOTHING, undef: v.undef, ...(v.num ? { num: range(-v.num.hi, -v.num.lo, !!v.num.inf, !!v.num.nan) } : {}) };
    }
    if (node.value === '{') {
      const fields = new Map<string, AbstractValue>();
      for (const pair of (node.lhs as JsonataNode[][] | undefined) ?? []) {
        if (pair[0]?.type !== 'string') return ANY_OBJECT;
        // A field whose value is nothing is left out of the object.
        fields.set(pair[0].value as string, this.eval(pair[1], env, depth));
      }
      return { ...NOTHING, obj: { fields, rest: UNDEF } };
    }
    if (node.value === '[') {
      const items = ((node.expressions as JsonataNode[] | undefined) ?? []).map((e) => ({ literal: e.type === 'unary' && e.value === '[', v: this.eval(e, env, depth) }));
      // An item that is a list (not written as one) is spliced in, and nothing is left out: only plain items keep a tuple.
      if (items.every((i) => !i.v.undef && (i.literal || !i.v.arr))) return { ...NOTHING, arr: { min: items.length, tuple: items.map((i) => i.v) } };
      const sure = items.filter((i) => !i.v.undef && (i.literal || !i.v.arr)).length;
      return { ...NOTHING, arr: { min: sure } };
    }
    return ANY;
  }

  private call(node: JsonataNode, env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    const name = node.procedure?.type === 'variable' ? node.procedure.value as string : undefined;
    // A function a variable of the expression holds is not JSONata's own.
    if (name === undefined || env.has(name)) return ANY;
    const args = (node.arguments as JsonataNode[] | undefined) ?? [];
    switch (name) {
      case 'exists': {
        if (args.length !== 1) return ANY;
        const v = this.eval(args[0], env, depth);
        return boolean(v.undef, hasValue(v));
      }
      case 'count': {
        if (args.length !== 1) return ANY;
        const v = this.eval(args[0], env, depth);
        let lo = Infinity;
        let hi = -Infinity;
        const add = (a: number, b: number): void => { lo = Math.min(lo, a); hi = Math.max(hi, b); };
        if (v.undef) add(0, 0);
        if (hasValue(v, 'arr')) add(1, 1);
        if (v.arr) add(v.arr.tuple?.length ?? v.arr.min, v.arr.tuple?.length ?? Infinity);
        return lo === Infinity ? NOTHING : { ...NOTHING, num: { lo, hi } };
      }
      case 'string': {
        if (args.length !== 1) return ANY;
        const v = this.eval(args[0], env, depth);
        // A string is given back as it is.
        if (!hasValue(v, 'str') && v.str) return v;
        return { ...(hasValue(v) ? ANY_STRING : NOTHING), undef: v.undef };
      }
      case 'not': case 'boolean': {
        if (args.length !== 1) return ANY;
        const v = this.eval(args[0], env, depth);
        const t = truth(defined(v));
        const out = name === 'not' ? boolean(t.t, t.f) : boolean(t.f, t.t);
        return { ...out, undef: v.undef };
      }
      case 'contains': return this.contains(args, env, depth);
      case 'uppercase': case 'lowercase': case 'trim': case 'substring': case 'substringBefore': case 'substringAfter':
        return this.text(name, args, env, depth);
      case 'match': return this.match(args, env, depth);
      case 'toMillis': return args.length === 1 ? toMillis(this.eval(args[0], env, depth)) : ANY;
      case 'sum': return args.length === 1 ? this.sum(this.eval(args[0], env, depth)) : ANY;
      case 'length': {
        if (args.length !== 1) return ANY;
        const v = this.length(this.eval(args[0], env, depth));
        // What an earlier Choice found of the same read's length (assume.ts), unless a name the expression binds hides the read.
        const key = lengthKey(node);
        const fact = key === undefined || env.has(key.split('.')[0].split('#')[0]) ? undefined : this.scope.facts?.get(key);
        return fact === undefined ? v : meet(v, fact);
      }
      case 'map': return this.map(args, env, depth);
      case 'merge': return this.merge(args, env, depth);
      case 'type': return args.length === 1 ? typeNames(this.eval(args[0], env, depth)) : ANY;
      default: return ANY;
    }
  }

  /**
   * `$sum(v)` (JSONata 2.0.6 to 2.2): nothing of nothing; a number of a number; of a list, the sum
   * of its items (0 of an empty one), each of which must be a number; any other value or item
   * throws (T0412). The items are added one by one in doubles, which never throws: past the
   * largest double the sum is Infinity (or -Infinity), and an Infinity beside a -Infinity gives NaN.
   */
  private sum(v: AbstractValue): AbstractValue {
    if (v.nul || v.bool.f || v.bool.t || v.str || v.obj) this.drop('$sum is given a value that is neither a number nor a list of numbers (JSONata throws T0412)');
    let out = v.undef ? UNDEF : NOTHING;
    if (v.num) out = join(out, { ...NOTHING, num: v.num });
    if (v.arr) {
      const items = v.arr.tuple ?? (v.arr.item ? [v.arr.item] : undefined);
      const kinds = items === undefined ? ANY : items.reduce(join, NOTHING);
      if (kinds.undef || hasValue(kinds, 'num')) this.drop('$sum is given a list with an item that is not a number (JSONata throws T0412)');
      const n = kinds.num;
      // An empty list sums to 0.
      if (v.arr.tuple?.length === 0 || (!v.arr.tuple && v.arr.min === 0)) out = join(out, ofJson(0));
      if (n !== undefined && v.arr.tuple?.length !== 0) {
        // A known list of items adds up within the sums of their bounds (adding doubles is monotone); any other, without bound.
        const tuple = v.arr.tuple?.map((t) => t.num);
        let lo = 0;
        let hi = 0;
        if (tuple !== undefined && tuple.every((t) => t !== undefined)) {
          for (const t of tuple) { lo += t!.lo; hi += t!.hi; }
        } else {
          lo = n.lo >= 0 ? 0 : -Infinity;
          hi = n.hi <= 0 ? 0 : Infinity;
        }
        const a = Number.isNaN(lo) ? -Infinity : lo;
        const b = Number.isNaN(hi) ? Infinity : hi;
        // NaN needs an item that may be Infinity or -Infinity already: one so flagged, or one without bounds,
        // which an expression explore does not follow may have computed. A sum of bounded items is at worst infinite.
        const unbounded = !!n.inf || !!n.nan || n.lo === -Infinity || n.hi === Infinity;
        out = join(out, { ...NOTHING, num: range(a, b, unbounded || !Number.isFinite(a) || !Number.isFinite(b), unbounded) });
      }
    }
    return out;
  }

  /** `$length(v)`: nothing of nothing; of a string, its count of code points; any other value throws (T0410). */
  private length(v: AbstractValue): AbstractValue {
    if (v.nul || v.bool.f || v.bool.t || v.num || v.obj || v.arr) this.drop('$length is given a value that is not a string (JSONata throws T0410)');
    let out = v.undef ? UNDEF : NOTHING;
    if (v.str) {
      const only = v.str.only?.map((s) => Array.from(s).length);
      out = join(out, { ...NOTHING, num: only && only.length > 0 ? { lo: Math.min(...only), hi: Math.max(...only) } : { lo: 0, hi: Infinity } });
    }
    return out;
  }

  /**
   * `$uppercase`, `$lowercase`, `$trim`, `$substring` (literal numbers), `$substringBefore` and
   * `$substringAfter` (a literal string) of a few known strings: each string's result, as JSONata
   * 2.0.6 computes it; nothing of nothing; JSONata throws on a value of another kind (T0410).
   * Anything else: any string.
   */
  private text(name: string, args: JsonataNode[], env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    const rest = args.slice(1).map(literalOf);
    const arity = name === 'substring' ? [2, 3] : name.startsWith('substring') ? [2] : [1];
    if (!arity.includes(args.length)) return ANY;
    const fn = textFunction(name, rest);
    const v = this.eval(args[0], env, depth);
    let out: AbstractValue = v.undef ? UNDEF : NOTHING;
    const only = v.str?.only;
    if (v.str) out = join(out, fn === undefined || only === undefined ? ANY_STRING : { ...NOTHING, str: { only: [...new Set(only.map(fn))] } });
    // A null, a boolean, a number or an object makes JSONata throw (T0410), as an answer's optional field that is null
    // does: the state fails. A list is not told apart from a sequence of one string here: any string.
    if (v.nul || v.bool.f || v.bool.t || v.num || v.obj) this.drop(`$${name} is given a value that is not a string (JSONata throws T0410)`);
    if (v.arr) out = join(out, ANY_STRING);
    return out;
  }

  /**
   * `$match(str, /regex/)` of a few known strings: nothing where the pattern matches none of it,
   * an object or a list of them where it matches (the match objects; a match of no characters may
   * throw instead); nothing of nothing.
   */
  private match(args: JsonataNode[], env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    if (args.length !== 2 || args[1]?.type !== 'regex' || !(args[1].value instanceof RegExp)) return ANY;
    const pattern = patternOf(args[1].value);
    const v = this.eval(args[0], env, depth);
    const only = v.str?.only;
    if (only === undefined || hasValue(v, 'str')) return ANY;
    let out: AbstractValue = v.undef ? UNDEF : NOTHING;
    if (only.some((s) => !pattern.test(s))) out = join(out, UNDEF);
    if (only.some((s) => pattern.test(s))) out = join(out, { ...NOTHING, obj: { fields: new Map() }, arr: { min: 0 } });
    return out;
  }

  /**
   * `$contains(str, pattern)` with a literal pattern (a string or a regex): nothing when `str` is
   * nothing; JSONata throws on any other kind than a string (T0410); on strings, decided for a list
   * of them, and false for strings that exclude a pattern matching the literal string wherever it
   * sits (or the same regex).
   */
  private contains(args: JsonataNode[], env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    const needle = args.length === 2 ? literalPattern(args[1]) : undefined;
    if (needle === undefined) return ANY;
    const v = this.eval(args[0], env, depth);
    if (v.nul || v.bool.f || v.bool.t || v.num || v.obj || v.arr) this.drop('$contains is given a value that is not a string (JSONata throws T0410)');
    let out = v.undef ? UNDEF : NOTHING;
    if (!v.str) return out;
    const { pattern, text } = needle;
    if (v.str.only) return join(out, boolean(v.str.only.some((s) => !pattern.test(s)), v.str.only.some((s) => pattern.test(s))));
    const never = v.str.never ?? [];
    const excluded = text !== undefined
      ? never.some((p) => matchesInside(p) && p.test(text))
      : never.some((p) => samePattern(p, pattern));
    out = join(out, boolean(true, !excluded));
    return out;
  }

  /**
   * `$map(list, function($v) { body })`: nothing for an empty list or nothing; the body's value
   * for a list of one (or a value that is not a list); a list of as many for more. A body that
   * may give nothing (an item left out) makes any count possible.
   */
  private map(args: JsonataNode[], env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    if (args.length !== 2 || args[1]?.type !== 'lambda') return ANY;
    const params = (args[1].arguments as JsonataNode[] | undefined) ?? [];
    if (params.some((p) => p.type !== 'variable')) return ANY;
    const list = this.eval(args[0], env, depth);
    const items = list.arr ? itemOf(list.arr) ?? ANY : NOTHING;
    const single = join(defined({ ...list, arr: undefined }), items);
    const inner = new Map(env);
    if (params[0]) inner.set(params[0].value as string, single);
    if (params[1]) inner.set(params[1].value as string, { ...NOTHING, num: { lo: 0, hi: Infinity } });
    if (params[2]) inner.set(params[2].value as string, ANY);
    const body = this.eval(args[1].body, inner, depth);
    if (body.undef) return ANY;
    const min = list.arr ? (list.arr.tuple?.length ?? list.arr.min) : 1;
    const max = list.arr ? (list.arr.tuple?.length ?? Infinity) : 1;
    let out: AbstractValue = list.undef || min === 0 ? UNDEF : NOTHING;
    if (hasValue(list, 'arr') || (list.arr && min <= 1 && max >= 1)) out = join(out, body);
    if (list.arr && max >= 2) out = join(out, { ...NOTHING, arr: { min: Math.max(2, min), item: body } });
    return out;
  }

  /**
   * `$merge([o1, o2, ...])`: each field from the last object that has it. The list written out
   * item by item is followed item by item: an item that may be nothing or a list (spliced in,
   * any number of objects) may or may not set a field, one that is surely one object sets every
   * field it surely has; a value that is not an object makes `$merge` throw (T0412). A list
   * given whole is followed when its items are known.
   */
  private merge(args: JsonataNode[], env: ReadonlyMap<string, AbstractValue>, depth: number): AbstractValue {
    if (args.length !== 1) return ANY;
    const arg = args[0];
    let items: Array<{ readonly v: AbstractValue; readonly surely: boolean }>;
    if (arg?.type === 'unary' && arg.value === '[') {
      items = [];
      for (const e of (arg.expressions as JsonataNode[] | undefined) ?? []) {
        // A list written in the list is one item that is a list: $merge throws on it.
        if (e.type === 'unary' && e.value === '[') return NOTHING;
        const v = this.eval(e, env, depth);
        if (hasValue(v, 'obj') && (v.nul || v.bool.f || v.bool.t || v.num || v.str)) this.drop('$merge is given a value that is not an object (JSONata throws T0412)');
        const spliced = v.arr ? (itemOf(v.arr) ?? ANY) : undefined;
        if (v.obj) items.push({ v: { ...NOTHING, obj: v.obj }, surely: !v.undef && !v.arr });
        if (spliced?.obj) items.push({ v: { ...NOTHING, obj: spliced.obj }, surely: false });
        // A spliced item that is not an object makes $merge throw; an array in it too.
      }
    } else {
      const list = this.eval(arg, env, depth);
      const tuple = list.arr?.tuple;
      if (!tuple || list.undef || hasValue(list, 'arr')) return ANY_OBJECT;
      if (tuple.some((item) => !item.obj || hasValue(item, 'obj') || item.undef)) return ANY_OBJECT;
      items = tuple.map((v) => ({ v, surely: true }));
    }
    let fields = new Map<string, AbstractValue>();
    let rest: AbstractValue | undefined = UNDEF;
    for (const { v, surely } of items) {
      const o = v.obj!;
      const next = new Map<string, AbstractValue>();
      for (const k of new Set([...fields.keys(), ...o.fields.keys()])) {
        const mine = fieldOf(o, k);
        const before = fields.get(k) ?? rest;
        if (surely && mine !== undefined && !mine.undef) next.set(k, mine);
        else if (mine !== undefined && before !== undefined) next.set(k, join(defined(mine), before));
      }
      const theirs = o.rest;
      rest = surely && theirs !== undefined && !theirs.undef ? theirs
        : theirs === undefined || rest === undefined ? undefined : join(defined(theirs), rest);
      fields = next;
    }
    return { ...NOTHING, obj: rest === undefined ? { fields } : { fields, rest } };
  }
}

/** The names JSONata's `$type` gives a value of each kind a read can hold (nothing of nothing). */
const TYPE_NAMES = { nul: 'null', bool: 'boolean', num: 'number', str: 'string', obj: 'object', arr: 'array' } as const;

/** What `$type(v)` gives: the name of each kind `v` may be, nothing when `v` may be nothing. */
export function typeNames(v: AbstractValue): AbstractValue {
  const names = (Object.keys(TYPE_NAMES) as Array<keyof typeof TYPE_NAMES>).filter((k) => kindIn(v, k)).map((k) => TYPE_NAMES[k]);
  return { ...(names.length > 0 ? { ...NOTHING, str: { only: names } } : NOTHING), undef: v.undef };
}

/** `v` kept to the kinds whose `$type` name `keep` says yes to (nothing stays as `v` has it when `undef` says so). */
export function ofTypeNames(v: AbstractValue, keep: (name: string) => boolean, undef: boolean): AbstractValue {
  const k = (kind: keyof typeof TYPE_NAMES): boolean => kindIn(v, kind) && keep(TYPE_NAMES[kind]);
  return {
    undef: undef && v.undef,
    nul: k('nul'),
    bool: k('bool') ? v.bool : { f: false, t: false },
    ...(k('num') ? { num: v.num } : {}),
    ...(k('str') ? { str: v.str } : {}),
    ...(k('obj') ? { obj: v.obj } : {}),
    ...(k('arr') ? { arr: v.arr } : {}),
  };
}

function kindIn(v: AbstractValue, kind: keyof typeof TYPE_NAMES): boolean {
  return kind === 'nul' ? v.nul : kind === 'bool' ? v.bool.f || v.bool.t : v[kind] !== undefined;
}

/** The values of `v` JSONata may cast to true: not nothing, null or false (no narrower than the truth). */
function truthy(v: AbstractValue): AbstractValue {
  return { ...v, undef: false, nul: false, bool: { f: false, t: v.bool.t } };
}

/** The values of `v` JSONata may cast to false: nothing, null, false, 0, "", and an object or a list kept whole. */
function falsy(v: AbstractValue): AbstractValue {
  const { num: _n, str: _s, ...rest } = v;
  return {
    ...rest,
    bool: { f: v.bool.f, t: false },
    ...(v.num && v.num.lo <= 0 && v.num.hi >= 0 ? { num: { lo: 0, hi: 0 } } : {}),
    ...(v.str && mayBe(v.str, '') ? { str: { only: [''] } } : {}),
  };
}
