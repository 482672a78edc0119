import { parsePattern, show, type Atom, type Family, type Literal, type Op, type Origin, type TypeTest } from './literals';
import type { ChoiceRule, JsonValue } from '../../asl';

/** A condition over literals; And and Or of parts. */
export type Formula =
  | { readonly kind: 'lit'; readonly lit: Literal }
  | { readonly kind: 'and'; readonly parts: readonly Formula[] }
  | { readonly kind: 'or'; readonly parts: readonly Formula[] };

/** When a rule evaluates to true, and when to false: never when it fails the execution. */
export interface RuleFormulas {
  readonly whenTrue: Formula;
  readonly whenFalse: Formula;
}

/** The conjunction of parts, flattened. */
export function and(parts: readonly Formula[]): Formula {
  const flat = parts.flatMap((p) => (p.kind === 'and' ? p.parts : [p]));
  return flat.length === 1 ? flat[0] : { kind: 'and', parts: flat };
}

/** The disjunction of parts, flattened. */
export function or(parts: readonly Formula[]): Formula {
  const flat = parts.flatMap((p) => (p.kind === 'or' ? p.parts : [p]));
  return flat.length === 1 ? flat[0] : { kind: 'or', parts: flat };
}

const TYPE_TESTS = new Set<string>(['IsNull', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']);
const COMPARISON = /^(String|Numeric|Timestamp|Boolean)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
const FAMILIES: Record<string, Family> = { String: 'string', Numeric: 'numeric', Timestamp: 'timestamp', Boolean: 'boolean' };
const NOT_OPERATORS = new Set(['Variable', 'Next', 'Assign', 'Comment', 'Output']);

/** The operator field of a rule (`NumericEquals`, `And`, ...); the rule compiled, so there is exactly one. */
export function operatorOf(rule: ChoiceRule): string {
  for (const key of Object.keys(rule)) if (!NOT_OPERATORS.has(key)) return key;
  return '';
}

/**
 * Translates a compiled (so well-formed) JSONPath Choice rule into two
 * formulas: when it is true and when it is false. They follow AWS's
 * evaluation: And and Or stop at the first decisive rule, so the rules after
 * it are not read; any other rule reads its Variable (and its `…Path`
 * operand), and a missing one fails the execution, so such a rule is true or
 * false only where what it reads exists. Sub-formulas are shared, never
 * copied: the result is as large as the rule.
 *
 * @param resolve the key of the node a path written in the rule reaches
 */
export function ruleFormulas(rule: ChoiceRule, where: string, resolve: (path: string) => string): RuleFormulas {
  const op = operatorOf(rule);
  if (op === 'Not') {
    const inner = ruleFormulas(rule.Not as ChoiceRule, `${where}.Not`, resolve);
    return { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue };
  }
  if (op === 'And' || op === 'Or') {
    const parts = (rule[op] as ChoiceRule[]).map((r, i) => ruleFormulas(r, `${where}.${op}[${i}]`, resolve));
    // The first part that decides, with every part before it deciding the other way.
    const decided = (decisive: 'whenTrue' | 'whenFalse', passing: 'whenTrue' | 'whenFalse'): Formula =>
      or(parts.map((p, i) => and([...parts.slice(0, i).map((q) => q[passing]), p[decisive]])));
    return op === 'And'
      ? { whenTrue: and(parts.map((p) => p.whenTrue)), whenFalse: decided('whenFalse', 'whenTrue') }
      : { whenTrue: decided('whenTrue', 'whenFalse'), whenFalse: and(parts.map((p) => p.whenFalse)) };
  }
  const variable = rule.Variable as string;
  const operand = rule[op] as JsonValue;
  const node = resolve(variable);
  const text = `${variable} ${op} ${show(operand)}`;
  const lit = (atom: Atom, positive: boolean, want: boolean): Formula => {
    const origin: Origin = { where, rule: text, want };
    return { kind: 'lit', lit: { node, atom, positive, origin } };
  };
  const both = (atom: Atom, whenTrue: boolean): RuleFormulas => ({ whenTrue: lit(atom, whenTrue, true), whenFalse: lit(atom, !whenTrue, false) });
  if (op === 'IsPresent') return both({ kind: 'present' }, operand === true);
  if (TYPE_TESTS.has(op)) return both({ kind: 'type', test: op as TypeTest }, operand === true);
  if (op === 'StringMatches') return both({ kind: 'matches', pattern: parsePattern(operand as string)! }, true);
  const m = COMPARISON.exec(op)!;
  const family = FAMILIES[m[1]];
  const cmp = m[2] as Op;
  if (m[3]) return both({ kind: 'comparePath', family, op: cmp, other: resolve(operand as string) }, true);
  return both({ kind: 'compare', family, op: cmp, operand }, true);
}

/** How many rules a rule holds, itself included, counting no further than `limit + 1`. */
export function ruleSize(rule: ChoiceRule, limit: number, depth = 0, maxDepth = 64): number {
  if (depth > maxDepth) return limit + 1;
  // Not a rule at all: compiling it reports it.
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return 1;
  const op = operatorOf(rule);
  let size = 1;
  if (op === 'Not' && rule.Not !== null && typeof rule.Not === 'object') size += ruleSize(rule.Not as ChoiceRule, limit, depth + 1, maxDepth);
  if ((op === 'And' || op === 'Or') && Array.isArray(rule[op])) {
    for (const r of rule[op] as ChoiceRule[]) {
      if (size > limit) break;
      size += ruleSize(r, limit - size, depth + 1, maxDepth);
    }
  }
  return size;
}

/** Every path a (compiled) rule writes: its Variables and `…Path` operands, in order. */
export function rulePaths(rule: ChoiceRule, out: string[] = []): string[] {
  const op = operatorOf(rule);
  if (op === 'Not') return rulePaths(rule.Not as ChoiceRule, out);
  if (op === 'And' || op === 'Or') {
    for (const r of rule[op] as ChoiceRule[]) rulePaths(r, out);
    return out;
  }
  out.push(rule.Variable as string);
  if (op.endsWith('Path')) out.push(rule[op] as string);
  return out;
}
