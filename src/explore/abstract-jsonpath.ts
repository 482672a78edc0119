import { ANY_OBJECT } from './abstract-lattice';
import { ANY, ANY_NUMBER, ANY_STRING, NOTHING, UNDEF, boolean, defined, isEmpty, join, mayBe, ofJson, withoutStrings, type AbstractValue } from './abstract-values';
import { above, below } from './assume';
import type { ChoiceRule, JsonValue } from '../asl';
import { compileChoiceRule } from '../asl/choice';
import { INTRINSIC_FAILURE, INTRINSIC_FUNCTIONS, type ArgType } from '../asl/intrinsics/functions';
import { IntrinsicNames, isIntrinsicCall } from '../asl/intrinsics/names';
import { parseIntrinsic, type CallNode } from '../asl/intrinsics/parser';
import { compilePath, type Step } from '../asl/path';
import { mathRandom } from '../asl/random';
import { StatesErrors } from '../asl/states-errors';

/*
 * The JSONPath half of the flow of values (flow-proofs.ts): every value InputPath, Parameters
 * (and a Pass's Result), ResultSelector, ResultPath and OutputPath can give, and every way a
 * JSONPath Choice rule can come out, over abstract values (abstract-values.ts). A form not
 * modelled here (a context or indefinite path, an intrinsic function, a `…Path` operand) gives
 * "anything": a proof is lost, never made wrong. A case AWS fails (a path that finds nothing, a
 * ResultPath that cannot be applied, a rule's Variable that is not there) is left out of the
 * value and told to `fail`, with the error, so that the proof names where it ends.
 */

/** A case left out because the state fails on it: the field that fails it, why, and the error. */
export type Fail = (field: string, why: string, error: string) => void;

/** What the variables hold; a variable not there may hold anything. */
export type Variables = ReadonlyMap<string, AbstractValue>;

/** The value at definite steps from `v`, as JSONPath reads it (no mapping over lists): nothing where a step is missing. */
export function stepsOf(v: AbstractValue, steps: readonly Step[]): AbstractValue {
  let cur = v;
  for (const s of steps) {
    if (isEmpty(cur)) return cur;
    cur = typeof s === 'number' ? indexOf(cur, s) : fieldOf(cur, s);
  }
  return cur;
}

function fieldOf(v: AbstractValue, name: string): AbstractValue {
  let out = v.undef || v.nul || v.bool.f || v.bool.t || v.num || v.str || v.arr ? UNDEF : NOTHING;
  if (v.obj) out = join(out, v.obj.fields.get(name) ?? v.obj.rest ?? ANY);
  return out;
}

function indexOf(v: AbstractValue, n: number): AbstractValue {
  let out = v.undef || v.nul || v.bool.f || v.bool.t || v.num || v.str || v.obj ? UNDEF : NOTHING;
  const a = v.arr;
  if (!a) return out;
  if (a.tuple) {
    const i = n < 0 ? a.tuple.length + n : n;
    return join(out, i >= 0 && i < a.tuple.length ? a.tuple[i] : UNDEF);
  }
  // Of a list of unknown length, an index below the least length is there; any other may not be.
  if (n < 0 || n >= a.min) out = join(out, UNDEF);
  return join(out, a.item ?? ANY);
}

/** What a path reads from the state's input (`$…`), a variable (`$name…`), or anything (the context, an indefinite path). */
function read(path: string, input: AbstractValue, variables: Variables): { value: AbstractValue; exact: boolean } {
  let compiled;
  try {
    compiled = compilePath(path);
  } catch {
    return { value: ANY, exact: false };
  }
  if (!compiled.definite || !compiled.steps || compiled.unparsed !== undefined) return { value: ANY, exact: false };
  const root = compiled.root;
  if (root.kind === 'context') return { value: ANY, exact: false };
  const from = root.kind === 'input' ? input : variables.get(root.name) ?? ANY;
  return { value: stepsOf(from, compiled.steps), exact: true };
}

/** What a Choice rule's path reads of the state's input or a variable (anything: the context, an indefinite path). */
export function valueOfPath(path: string, input: AbstractValue, variables: Variables): AbstractValue {
  return read(path, input, variables).value;
}

/** InputPath or OutputPath: the value it selects; nothing when a path that finds nothing leaves no case. */
export function filterPath(path: string | null | undefined, v: AbstractValue, field: string, fail: Fail): AbstractValue {
  if (path === undefined || path === '$') return v;
  if (path === null) return ofJson({});
  const got = read(path, v, new Map());
  if (!got.exact) return ANY;
  if (got.value.undef) fail(field, `${field} (${path}) finds nothing`, StatesErrors.RUNTIME);
  return defined(got.value);
}

/**
 * A payload template (Parameters, ResultSelector, a JSONPath Assign) over `root`: a `.$` field
 * with a path that finds nothing fails the state (States.Runtime), and so does an intrinsic
 * function's path argument; an argument of a type the function does not take fails it with
 * States.Runtime too (INTRINSIC_FAILURE: AWS's name for a failed intrinsic); a context path gives anything.
 */
export function payload(tpl: JsonValue, root: AbstractValue, variables: Variables, field: string, fail: Fail): AbstractValue {
  if (tpl === null || typeof tpl !== 'object') return ofJson(tpl);
  // A part that every case fails leaves no value of the whole: the state fails on every value.
  if (Array.isArray(tpl)) {
    const tuple = tpl.map((t, i) => payload(t, root, variables, `${field}[${i}]`, fail));
    return tuple.some(isEmpty) ? NOTHING : { ...NOTHING, arr: { min: tpl.length, tuple } };
  }
  const fields = new Map<string, AbstractValue>();
  for (const [key, value] of Object.entries(tpl)) {
    if (key.length > 2 && key.endsWith('.$') && typeof value === 'string') {
      fields.set(key.slice(0, -2), dynamicValue(value, root, variables, `${field}.${key}`, fail));
    } else {
      fields.set(key, payload(value, root, variables, `${field}.${key}`, fail));
    }
  }
  return [...fields.values()].some(isEmpty) ? NOTHING : { ...NOTHING, obj: { fields, rest: UNDEF } };
}

/** The value of a `.$` field: a path or an intrinsic function call; nothing when every case fails the state. */
function dynamicValue(value: string, root: AbstractValue, variables: Variables, field: string, fail: Fail): AbstractValue {
  const source = value.trim();
  if (isIntrinsicCall(source)) {
    let call: CallNode;
    try {
      call = parseIntrinsic(source);
    } catch {
      return defined(ANY);
    }
    return intrinsic(call, root, variables, field, `${field} (${source})`, fail);
  }
  if (!source.startsWith('$')) return defined(ANY);
  return pathValue(source, root, variables, field, `${field} (${source})`, fail);
}

/** What a path gives where nothing there fails the state with States.Runtime (`what` names it in the case told). */
function pathValue(path: string, root: AbstractValue, variables: Variables, field: string, what: string, fail: Fail): AbstractValue {
  const got = read(path, root, variables);
  if (!got.exact) return defined(ANY);
  if (got.value.undef) fail(field, `${what} finds nothing`, StatesErrors.RUNTIME);
  return defined(got.value);
}

/**
 * Every value an intrinsic function call gives (AWS's "Intrinsic functions for JSONPath in Step
 * Functions"; asl/intrinsics/functions.ts runs them): its arguments first, each narrowed to the
 * type the function takes (any other fails the state with INTRINSIC_FAILURE); then, when
 * each argument is one value, the function run on them (a failure fails the state), else what
 * the function can give over the arguments' ranges.
 */
function intrinsic(call: CallNode, root: AbstractValue, variables: Variables, field: string, what: string, fail: Fail): AbstractValue {
  const spec = INTRINSIC_FUNCTIONS.get(call.name);
  if (spec === undefined) return defined(ANY);
  const args: AbstractValue[] = [];
  for (const [i, arg] of call.args.entries()) {
    const given = arg.kind === 'literal' ? ofJson(arg.value)
      : arg.kind === 'call' ? intrinsic(arg, root, variables, field, what, fail)
        : pathValue(arg.source, root, variables, field, `${what}: argument ${i + 1} of ${call.name} (${arg.source})`, fail);
    const type = (spec.params[i] ?? spec.rest)?.type ?? 'any';
    const kept = ofType(given, type);
    if (hasOtherKind(given, kept)) fail(field, `${what}: ${call.name} is given a value other than ${TYPE_WORDS[type]} as argument ${i + 1}`, INTRINSIC_FAILURE);
    if (isEmpty(kept)) return NOTHING;
    args.push(kept);
  }
  const values = args.map(single);
  if (call.name !== IntrinsicNames.UUID && call.name !== IntrinsicNames.MATH_RANDOM && values.every((v) => v !== undefined)) {
    const run = spec.specialise?.(call.args) ?? spec.run;
    try {
      return ofJson(run(values as JsonValue[], { random: mathRandom, fail: (reason) => { throw new Error(reason); }, unrecorded: () => undefined }));
    } catch (e) {
      fail(field, `${what}: ${call.name} fails (${(e as Error).message})`, INTRINSIC_FAILURE);
      return NOTHING;
    }
  }
  return resultOf(call.name, args);
}

const TYPE_WORDS: Record<ArgType, string> = {
  any: 'a value', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean', array: 'an array', object: 'an object',
};

/** What a function can give over its arguments' ranges (each narrowed to its type). */
function resultOf(name: string, args: readonly AbstractValue[]): AbstractValue {
  const list = (item?: AbstractValue, min = 0): AbstractValue => ({ ...NOTHING, arr: item ? { min, item } : { min } });
  switch (name) {
    case IntrinsicNames.FORMAT: case IntrinsicNames.JSON_TO_STRING: case IntrinsicNames.BASE64_ENCODE:
    case IntrinsicNames.BASE64_DECODE: case IntrinsicNames.HASH: case IntrinsicNames.UUID:
      return ANY_STRING;
    case IntrinsicNames.ARRAY: return { ...NOTHING, arr: { min: args.length, tuple: args } };
    case IntrinsicNames.ARRAY_CONTAINS: return boolean(true, true);
    case IntrinsicNames.ARRAY_RANGE: return list(ANY_NUMBER);
    case IntrinsicNames.STRING_SPLIT: return list(ANY_STRING);
    case IntrinsicNames.ARRAY_PARTITION: return list({ ...NOTHING, arr: { min: 1, item: itemsOf(args[0]) } });
    // An empty array gives null (asl/intrinsics/functions.ts).
    case IntrinsicNames.ARRAY_GET_ITEM: return (args[0].arr?.min ?? 0) === 0 ? { ...itemsOf(args[0]), nul: true } : itemsOf(args[0]);
    case IntrinsicNames.ARRAY_UNIQUE: return list(itemsOf(args[0]), Math.min(args[0].arr?.min ?? 0, 1));
    case IntrinsicNames.JSON_MERGE: return ANY_OBJECT;
    case IntrinsicNames.ARRAY_LENGTH: {
      const a = args[0].arr!;
      return { ...NOTHING, num: a.tuple ? { lo: a.tuple.length, hi: a.tuple.length } : { lo: a.min, hi: Infinity } };
    }
    case IntrinsicNames.MATH_ADD: {
      // AWS rounds each operand half up before adding (recorded: 1.5 + 1.51 = 4); rounding keeps order.
      const [a, b] = [args[0].num!, args[1].num!];
      return { ...NOTHING, num: { lo: Math.round(a.lo) + Math.round(b.lo), hi: Math.round(a.hi) + Math.round(b.hi) } };
    }
    case IntrinsicNames.MATH_RANDOM:
      // The bounds lose their fraction (asl/intrinsics/functions.ts).
      return { ...NOTHING, num: { lo: Math.trunc(args[0].num!.lo), hi: Math.trunc(args[1].num!.hi) } };
    default: return defined(ANY);
  }
}

/** Every item a list may hold: any value when it is not known. */
function itemsOf(v: AbstractValue): AbstractValue {
  const a = v.arr;
  if (!a) return NOTHING;
  if (a.tuple) return a.tuple.reduce((acc, t) => join(acc, defined(t)), NOTHING);
  return defined(a.item ?? ANY);
}

/** The cases of `v` of the type an intrinsic function's argument takes. */
function ofType(v: AbstractValue, type: ArgType): AbstractValue {
  switch (type) {
    case 'any': return defined(v);
    case 'string': return v.str ? { ...NOTHING, str: v.str } : NOTHING;
    case 'number': case 'integer': return v.num ? { ...NOTHING, num: v.num } : NOTHING;
    case 'boolean': return { ...NOTHING, bool: v.bool };
    case 'array': return v.arr ? { ...NOTHING, arr: v.arr } : NOTHING;
    case 'object': return v.obj ? { ...NOTHING, obj: v.obj } : NOTHING;
  }
}

function hasOtherKind(v: AbstractValue, kept: AbstractValue): boolean {
  return (v.nul && !kept.nul) || (v.bool.f && !kept.bool.f) || (v.bool.t && !kept.bool.t)
    || (!!v.num && !kept.num) || (!!v.str && !kept.str) || (!!v.obj && !kept.obj) || (!!v.arr && !kept.arr);
}

/**
 * The one JSON value `v` stands for, or undefined when it may be more than one. An object is
 * never one value here: AWS orders a template's fields its own way, which a string made of it shows.
 */
function single(v: AbstractValue): JsonValue | undefined {
  const kinds = [v.nul, v.bool.f, v.bool.t, !!v.num, !!v.str, !!v.obj, !!v.arr].filter(Boolean).length;
  if (v.undef || kinds !== 1) return undefined;
  if (v.nul) return null;
  if (v.bool.f || v.bool.t) return v.bool.t;
  if (v.num) return v.num.lo === v.num.hi && Number.isFinite(v.num.lo) && !v.num.nan ? v.num.lo : undefined;
  if (v.str) return v.str.only?.length === 1 && v.str.never === undefined ? v.str.only[0] : undefined;
  if (v.arr?.tuple) {
    const items = v.arr.tuple.map(single);
    return items.every((x) => x !== undefined) ? items as JsonValue[] : undefined;
  }
  return undefined;
}

/**
 * `result` placed into `input` at a ResultPath, as AWS places it: objects made where the path
 * finds nothing or null below the top, and States.ResultPathMatchFailure where it meets a value
 * that is not an object (or the input is not one).
 */
export function resultPath(path: string | null | undefined, input: AbstractValue, result: AbstractValue, fail: Fail): AbstractValue {
  if (path === null) return input;
  if (path === undefined || path === '$') return result;
  let steps: readonly Step[] | undefined;
  try {
    const compiled = compilePath(path);
    steps = compiled.root.kind === 'input' && compiled.definite ? compiled.steps : undefined;
  } catch {
    steps = undefined;
  }
  if (!steps || steps.some((s) => typeof s !== 'string')) return ANY;
  let failed = false;
  const out = place(input, steps as string[], 0, result, () => { failed = true; });
  if (failed) fail('ResultPath', `ResultPath (${path}) meets a value that is not an object`, StatesErrors.RESULT_PATH_MATCH_FAILURE);
  return out;
}

function place(node: AbstractValue, steps: readonly string[], k: number, value: AbstractValue, failed: () => void): AbstractValue {
  if (k === steps.length) return value;
  const empty = node.undef || node.nul;
  if ((k === 0 && empty) || node.bool.f || node.bool.t || node.num || node.str || node.arr) failed();
  let out = NOTHING;
  if (k > 0 && empty) out = { ...NOTHING, obj: { fields: new Map([[steps[k], place(UNDEF, steps, k + 1, value, failed)]]), rest: UNDEF } };
  if (node.obj) {
    const fields = new Map(node.obj.fields);
    fields.set(steps[k], place(node.obj.fields.get(steps[k]) ?? node.obj.rest ?? ANY, steps, k + 1, value, failed));
    out = join(out, { ...NOTHING, obj: node.obj.rest === undefined ? { fields } : { fields, rest: node.obj.rest } });
  }
  return out;
}

/** How a JSONPath Choice rule may come out: true, false, or failing the Choice (its Variable not there). */
export interface RuleOutcome {
  readonly t: boolean;
  readonly f: boolean;
  readonly fails: boolean;
}

const EITHER: RuleOutcome = { t: true, f: true, fails: true };

/** Every way a JSONPath Choice rule can come out over the values its input and the variables may hold. */
export function ruleOutcome(rule: ChoiceRule, input: AbstractValue, variables: Variables): RuleOutcome {
  if (rule.Not !== undefined) {
    const o = ruleOutcome(rule.Not, input, variables);
    return { t: o.f, f: o.t, fails: o.fails };
  }
  if (rule.And !== undefined || rule.Or !== undefined) {
    const all = (rule.And ?? rule.Or ?? []).map((r) => ruleOutcome(r, input, variables));
    const fails = all.some((o) => o.fails);
    return rule.And !== undefined
      ? { t: all.every((o) => o.t), f: all.some((o) => o.f), fails }
      : { t: all.some((o) => o.t), f: all.every((o) => o.f), fails };
  }
  if (typeof rule.Variable !== 'string') return EITHER;
  const got = read(rule.Variable, input, variables);
  if (!got.exact) return EITHER;
  const v = got.value;
  const ops = Object.keys(rule).filter((k) => k !== 'Variable' && k !== 'Next' && k !== 'Assign' && k !== 'Output' && k !== 'Comment');
  if (ops.length !== 1) return EITHER;
  const op = ops[0];
  const operand = rule[op] as JsonValue;
  if (op === 'IsPresent') {
    const present = v.nul || v.bool.f || v.bool.t || !!v.num || !!v.str || !!v.obj || !!v.arr;
    return operand === true ? { t: present, f: v.undef, fails: false } : { t: v.undef, f: present, fails: false };
  }
  // Any other operator fails the Choice on a Variable that is not there, and a `…Path` one on an operand path that finds nothing.
  const kinds = defined(v);
  if (op.endsWith('Path') && typeof operand === 'string') {
    const other = read(operand, input, variables);
    if (!other.exact) return EITHER;
    const test = pathOutcome(op.slice(0, -'Path'.length), kinds, defined(other.value));
    return test === undefined ? EITHER : { ...test, fails: v.undef || other.value.undef };
  }
  const fails = v.undef;
  const test = outcome(op, operand, kinds);
  return test === undefined ? EITHER : { ...test, fails };
}

/**
 * True and false as `op` (a `…Path` operator without its suffix) can come out comparing `a` with
 * `b`, each any of its values whatever the other is; undefined for an operator not modelled. A
 * value of another type than the operator compares, on either side, makes it false.
 */
function pathOutcome(op: string, a: AbstractValue, b: AbstractValue): { t: boolean; f: boolean } | undefined {
  const kinds = (v: AbstractValue): number => [v.nul, v.bool.f || v.bool.t, !!v.num, !!v.str, !!v.obj, !!v.arr].filter(Boolean).length;
  if (op.startsWith('Numeric')) {
    const [x, y] = [a.num, b.num];
    const other = kinds(a) > (x ? 1 : 0) || kinds(b) > (y ? 1 : 0);
    if (!x || !y) return { t: false, f: true };
    const one = x.lo === x.hi && y.lo === y.hi;
    switch (op.slice('Numeric'.length)) {
      case 'Equals': return { t: x.lo <= y.hi && y.lo <= x.hi, f: other || !(one && x.lo === y.lo) };
      case 'LessThan': return { t: x.lo < y.hi, f: other || x.hi >= y.lo };
      case 'LessThanEquals': return { t: x.lo <= y.hi, f: other || x.hi > y.lo };
      case 'GreaterThan': return { t: x.hi > y.lo, f: other || x.lo <= y.hi };
      case 'GreaterThanEquals': return { t: x.hi >= y.lo, f: other || x.lo < y.hi };
      default: return undefined;
    }
  }
  if (op === 'StringEquals') {
    const [x, y] = [a.str, b.str];
    const other = kinds(a) > (x ? 1 : 0) || kinds(b) > (y ? 1 : 0);
    if (!x || !y) return { t: false, f: true };
    const same = x.only ? x.only.some((s) => mayBe(y, s)) : y.only ? y.only.some((s) => mayBe(x, s)) : true;
    const one = x.only?.length === 1 && y.only?.length === 1 && x.only[0] === y.only[0];
    return { t: same, f: other || !one };
  }
  if (op.startsWith('String') || op.startsWith('Timestamp')) {
    // Both sides a few known strings: every pair compared as the interpreter compares them.
    const [x, y] = [a.str?.only, b.str?.only];
    if (x === undefined || y === undefined || x.length * y.length > MAX_PAIRS) return undefined;
    const other = kinds(a) > 1 || kinds(b) > 1;
    const test = literalTest(op, y);
    if (test === undefined) return undefined;
    const results = x.flatMap((s) => test(s));
    return { t: results.includes(true), f: other || results.includes(false) };
  }
  if (op === 'BooleanEquals') {
    const [x, y] = [a.bool, b.bool];
    const other = kinds(a) > (x.f || x.t ? 1 : 0) || kinds(b) > (y.f || y.t ? 1 : 0);
    return { t: (x.t && y.t) || (x.f && y.f), f: other || (x.t && y.f) || (x.f && y.t) };
  }
  return undefined;
}

/** The most pairs of known strings a `…Path` rule is decided over. */
const MAX_PAIRS = 64;

/**
 * How the interpreter's own rule `op` (asl/choice.ts: its string order, its RFC 3339 parse, its
 * StringMatches) comes out on a string, against each operand; undefined when the rule does not
 * compile (an operand the interpreter refuses).
 */
function literalTest(op: string, operands: readonly JsonValue[]): ((s: string) => boolean[]) | undefined {
  try {
    const tests = operands.map((operand) => compileChoiceRule({ Variable: '$', [op]: operand, Next: 'x' } as ChoiceRule, '/'));
    return (s) => tests.map((t) => t({ input: s, context: {} }));
  } catch {
    return undefined;
  }
}

/** True and false as `op` can come out on `v` (nothing excluded), or undefined for an operator not modelled. */
function outcome(op: string, operand: JsonValue, v: AbstractValue): { t: boolean; f: boolean } | undefined {
  const others = (kind: 'nul' | 'bool' | 'num' | 'str'): boolean =>
    (kind !== 'nul' && v.nul) || (kind !== 'bool' && (v.bool.f || v.bool.t)) || (kind !== 'num' && !!v.num) || (kind !== 'str' && !!v.str) || !!v.obj || !!v.arr;
  const is = (kind: 'nul' | 'bool' | 'num' | 'str', yes: boolean): { t: boolean; f: boolean } => (operand === true
    ? { t: yes, f: others(kind) } : { t: others(kind), f: yes });
  switch (op) {
    case 'IsNull': return is('nul', v.nul);
    case 'IsBoolean': return is('bool', v.bool.f || v.bool.t);
    case 'IsNumeric': return is('num', !!v.num);
    case 'IsString': return is('str', !!v.str);
    case 'StringEquals': {
      if (typeof operand !== 'string') return undefined;
      const same = !!v.str && mayBe(v.str, operand);
      const differ = others('str') || (!!v.str && (!v.str.only || v.str.only.some((s) => s !== operand)));
      return { t: same, f: differ };
    }
    case 'BooleanEquals': {
      if (typeof operand !== 'boolean') return undefined;
      const same = operand ? v.bool.t : v.bool.f;
      return { t: same, f: others('bool') || (operand ? v.bool.f : v.bool.t) };
    }
    case 'NumericEquals': case 'NumericLessThan': case 'NumericLessThanEquals': case 'NumericGreaterThan': case 'NumericGreaterThanEquals': {
      if (typeof operand !== 'number') return undefined;
      const n = v.num;
      const c = operand;
      const other = others('num');
      if (!n) return { t: false, f: other };
      const can = (lt: boolean, eq: boolean, gt: boolean): boolean => (lt && n.lo < c) || (eq && n.lo <= c && c <= n.hi) || (gt && n.hi > c);
      const [holds, misses] = op === 'NumericEquals' ? [can(false, true, false), can(true, false, true)]
        : op === 'NumericLessThan' ? [can(true, false, false), can(false, true, true)]
          : op === 'NumericLessThanEquals' ? [can(true, true, false), can(false, false, true)]
            : op === 'NumericGreaterThan' ? [can(false, false, true), can(true, true, false)]
              : [can(false, true, true), can(true, false, false)];
      return { t: holds, f: other || misses };
    }
    default: {
      // A string or timestamp comparison, a pattern, a `…Path` operand: true only on a string, false on anything.
      if (op.endsWith('Path')) return undefined;
      // A few known strings: each compared as the interpreter compares it (its RFC 3339 parse, its pattern).
      const only = v.str?.only;
      if (only !== undefined && (op === 'IsTimestamp' || op.startsWith('String') || op.startsWith('Timestamp'))) {
        const test = literalTest(op, [operand]);
        if (test === undefined) return undefined;
        const results = only.flatMap((s) => test(s));
        const rest = others('str');
        // IsTimestamp false holds on every value that is no string.
        return op === 'IsTimestamp' && operand === false
          ? { t: results.includes(true) || rest, f: results.includes(false) }
          : { t: results.includes(true), f: results.includes(false) || rest };
      }
      if (op === 'IsTimestamp') return undefined;
      if (op.startsWith('String') || op.startsWith('Timestamp')) return { t: !!v.str, f: true };
      return undefined;
    }
  }
}

/** The input and the variables a JSONPath Choice rule reads. */
export interface RuleScope {
  readonly input: AbstractValue;
  readonly variables: Variables;
}

/**
 * What is left of the input and the variables on runs where `rule` came out `want` (and did not
 * fail the Choice): the value at a rule's Variable narrowed to the values that give `want`
 * (`NumericLessThan: 1000` false: a number of 1000 or more, or no number), and the objects above
 * it to those that hold it. A rule that is not a plain test of a definite path, an `And` that
 * came out false or an `Or` that came out true (which do not say which part decided), narrows
 * nothing.
 */
export function assumeRule(rule: ChoiceRule, want: boolean, scope: RuleScope): RuleScope {
  if (rule.Not !== undefined) return assumeRule(rule.Not, !want, scope);
  if (rule.And !== undefined || rule.Or !== undefined) {
    // Every part of a true And is true, every part of a false Or false.
    if ((rule.And !== undefined) !== want) return scope;
    return (rule.And ?? rule.Or ?? []).reduce((s, r) => assumeRule(r, want, s), scope);
  }
  if (typeof rule.Variable !== 'string') return scope;
  let compiled;
  try {
    compiled = compilePath(rule.Variable);
  } catch {
    return scope;
  }
  const steps = compiled.steps;
  if (!compiled.definite || !steps || compiled.unparsed !== undefined || steps.some((s) => typeof s !== 'string')) return scope;
  const root = compiled.root;
  if (root.kind === 'context') return scope;
  const ops = Object.keys(rule).filter((k) => k !== 'Variable' && k !== 'Next' && k !== 'Assign' && k !== 'Output' && k !== 'Comment');
  if (ops.length !== 1) return scope;
  const from = root.kind === 'input' ? scope.input : scope.variables.get(root.name) ?? ANY;
  const at = stepsOf(from, steps);
  const narrowed = narrowLeaf(ops[0], rule[ops[0]] as JsonValue, want, at);
  const placed = narrowedAt(from, steps as string[], 0, narrowed);
  if (root.kind === 'input') return { input: placed, variables: scope.variables };
  return { input: scope.input, variables: new Map([...scope.variables, [root.name, placed]]) };
}

/** `v` with the value at `steps` (object fields) replaced by `value`; a value there excludes the kinds above it that are no object. */
function narrowedAt(v: AbstractValue, steps: readonly string[], k: number, value: AbstractValue): AbstractValue {
  if (k === steps.length) return value;
  const obj = v.obj;
  const inner = obj ? narrowedAt(obj.fields.get(steps[k]) ?? obj.rest ?? ANY, steps, k + 1, value) : NOTHING;
  const objects: AbstractValue = obj && !isEmpty(inner) ? { ...NOTHING, obj: { ...obj, fields: new Map(obj.fields).set(steps[k], inner) } } : NOTHING;
  // Where nothing at the path is left, a value that is no object (which has nothing there) is not.
  if (!value.undef) return objects;
  const { obj: _o, ...others } = v;
  return objects.obj ? { ...others, obj: objects.obj } : others;
}

/** What of `v` makes a rule's operator `op` come out `want`. */
function narrowLeaf(op: string, operand: JsonValue, want: boolean, v: AbstractValue): AbstractValue {
  if (op === 'IsPresent') {
    if (typeof operand !== 'boolean') return v;
    return operand === want ? defined(v) : v.undef ? UNDEF : NOTHING;
  }
  // Any other operator fails the Choice on a Variable that is not there.
  const d = defined(v);
  const kind = ({ IsNull: 'nul', IsBoolean: 'bool', IsNumeric: 'num', IsString: 'str' } as const)[op as 'IsNull'];
  if (kind !== undefined) {
    if (typeof operand !== 'boolean') return d;
    const keep = operand === want;
    const only: AbstractValue = { ...NOTHING, ...(kind === 'nul' ? { nul: d.nul } : kind === 'bool' ? { bool: d.bool } : kind === 'num' ? (d.num ? { num: d.num } : {}) : (d.str ? { str: d.str } : {})) };
    if (keep) return only;
    const { num: _n, str: _s, ...rest } = d;
    return kind === 'nul' ? { ...d, nul: false } : kind === 'bool' ? { ...d, bool: { f: false, t: false } }
      : kind === 'num' ? { ...rest, ...(d.str ? { str: d.str } : {}) } : { ...rest, ...(d.num ? { num: d.num } : {}) };
  }
  if (op.startsWith('Numeric') && !op.endsWith('Path') && typeof operand === 'number') {
    const r = numberRange(op.slice('Numeric'.length), operand, want, d.num);
    const { num: _n, ...rest } = d;
    const nums: AbstractValue = r === undefined ? NOTHING : { ...NOTHING, num: r };
    // True only on a number; false on every value that is no number too.
    return want ? nums : join({ ...rest }, nums);
  }
  if (op === 'StringEquals' && typeof operand === 'string') {
    const { str: _s, ...rest } = d;
    if (want) return d.str && mayBe(d.str, operand) ? { ...NOTHING, str: { only: [operand] } } : NOTHING;
    const str = d.str ? withoutStrings(d.str, [operand]) : undefined;
    return str ? { ...rest, str } : rest;
  }
  const only = d.str?.only;
  if (only !== undefined && !op.endsWith('Path') && op !== 'StringEquals' && (op.startsWith('String') || op.startsWith('Timestamp'))) {
    // A few known strings: those the interpreter's rule gives `want` on; false holds on every value that is no string too.
    const test = literalTest(op, [operand]);
    if (test === undefined) return d;
    const kept = only.filter((s) => test(s)[0] === want);
    const { str: _s, ...rest } = d;
    const strings: AbstractValue = kept.length > 0 ? { ...NOTHING, str: { only: kept } } : NOTHING;
    return want ? strings : join({ ...rest }, strings);
  }
  if (op === 'BooleanEquals' && typeof operand === 'boolean') {
    const hit = operand ? { f: false, t: d.bool.t } : { f: d.bool.f, t: false };
    if (want) return { ...NOTHING, bool: hit };
    return { ...d, bool: operand ? { f: d.bool.f, t: false } : { f: false, t: d.bool.t } };
  }
  return d;
}

/** The numbers of `n` for which `Numeric<test> c` comes out `want`; undefined when none. */
function numberRange(test: string, c: number, want: boolean, n: { lo: number; hi: number } | undefined): { lo: number; hi: number } | undefined {
  if (!n) return undefined;
  let lo = n.lo;
  let hi = n.hi;
  const lt = (x: number): void => { hi = Math.min(hi, x); };
  const gt = (x: number): void => { lo = Math.max(lo, x); };
  switch (test) {
    case 'LessThan': if (want) lt(below(c)); else gt(c); break;
    case 'LessThanEquals': if (want) lt(c); else gt(above(c)); break;
    case 'GreaterThan': if (want) gt(above(c)); else lt(c); break;
    case 'GreaterThanEquals': if (want) gt(c); else lt(below(c)); break;
    case 'Equals':
      if (want) {
        gt(c);
        lt(c);
      } else if (lo === c && hi === c) {
        return undefined;
      }
      break;
    default: return n;
  }
  return lo <= hi ? { lo, hi } : undefined;
}
