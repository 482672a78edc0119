import { ANY, NOTHING, UNDEF, defined, isEmpty, join, ofJson, type AbstractValue } from './abstract-values';
import type { ChoiceRule, JsonValue } from '../asl';
import { compilePath, type Step } from '../asl/path';
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
 * with a path that finds nothing fails the state (States.Runtime); an intrinsic function or a
 * context path gives anything.
 */
export function payload(tpl: JsonValue, root: AbstractValue, variables: Variables, field: string, fail: Fail): AbstractValue {
  if (tpl === null || typeof tpl !== 'object') return ofJson(tpl);
  if (Array.isArray(tpl)) return { ...NOTHING, arr: { min: tpl.length, tuple: tpl.map((t, i) => payload(t, root, variables, `${field}[${i}]`, fail)) } };
  const fields = new Map<string, AbstractValue>();
  for (const [key, value] of Object.entries(tpl)) {
    if (key.length > 2 && key.endsWith('.$') && typeof value === 'string') {
      const name = key.slice(0, -2);
      if (!value.startsWith('$')) { fields.set(name, defined(ANY)); continue; }
      const got = read(value, root, variables);
      if (got.exact && got.value.undef) fail(`${field}.${key}`, `${field}.${key} (${value}) finds nothing`, StatesErrors.RUNTIME);
      fields.set(name, got.exact ? defined(got.value) : defined(ANY));
    } else {
      fields.set(key, payload(value, root, variables, `${field}.${key}`, fail));
    }
  }
  return { ...NOTHING, obj: { fields, rest: UNDEF } };
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
  // Any other operator fails the Choice on a Variable that is not there.
  const fails = v.undef;
  const kinds = defined(v);
  const test = outcome(op, operand, kinds);
  return test === undefined ? EITHER : { ...test, fails };
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
      const same = !!v.str && (!v.str.only || v.str.only.includes(operand));
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
      // A string or timestamp comparison, a pattern, a `…Path` operand: true only on a string or number, false on anything.
      if (op.endsWith('Path') || op === 'IsTimestamp') return undefined;
      if (op.startsWith('String') || op.startsWith('Timestamp')) return { t: !!v.str, f: true };
      return undefined;
    }
  }
}
