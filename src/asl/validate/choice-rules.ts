import { checkJsonataString, checkJsonataValue, isJsonataExpression, pathProblem } from './checks';
import { ChoiceRuleError, compileChoiceRule } from '../choice';
import type { ChoiceRule } from '../definition-types';
import { ValidationCodes as C, type Finding } from './codes';
import { error, isObj, NO_FINDINGS, type Obj, ptr, show, type StateInfo } from './model';

type Operand = 'string' | 'number' | 'boolean' | 'timestamp';

/** Every comparison operator and the type of its literal operand (each also has a `…Path` variant, except Is* and StringMatches). */
const COMPARISONS: ReadonlyMap<string, Operand> = (() => {
  const m = new Map<string, Operand>();
  for (const op of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']) {
    m.set(`String${op}`, 'string');
    m.set(`Numeric${op}`, 'number');
    m.set(`Timestamp${op}`, 'timestamp');
  }
  m.set('BooleanEquals', 'boolean');
  m.set('StringMatches', 'string');
  for (const t of ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']) m.set(t, 'boolean');
  return m;
})();
const PATH_COMPARISONS: ReadonlySet<string> = new Set(
  [...COMPARISONS.keys()].filter((k) => !k.startsWith('Is') && k !== 'StringMatches').map((k) => `${k}Path`),
);
const COMBINATORS = ['And', 'Or', 'Not'];

function checkReference(value: unknown, field: string, at: string): Finding[] {
  if (typeof value !== 'string') return [error(C.INVALID_CHOICE_RULE, at, `${field} must be a reference path string such as "$.status", got ${show(value)}`)];
  if (value.startsWith('States.')) {
    return [error(C.INVALID_JSON_PATH, at, `${field} is the intrinsic call ${show(value)}, but it takes a reference path such as "$.field"; compute the value in an earlier state's Parameters or Assign first`)];
  }
  const problem = pathProblem(value, 'reference');
  return problem ? [error(C.INVALID_JSON_PATH, at, `${field} ${show(value)} is not a valid reference path: ${problem}`)] : [];
}

/** One JSONPath Choice rule (top level when `top`, else nested in And/Or/Not). */
function checkRule(rule: unknown, at: string, top: boolean, out: Finding[]): void {
  if (!isObj(rule)) {
    out.push(error(C.INVALID_CHOICE_RULE, at, `A Choice rule must be an object, got ${show(rule)}`));
    return;
  }
  const ops: string[] = [];
  for (const key of Object.keys(rule)) {
    const kat = ptr(at, key);
    if (COMPARISONS.has(key) || PATH_COMPARISONS.has(key) || COMBINATORS.includes(key)) {ops.push(key);} else if (key === 'Variable') {out.push(...checkReference(rule.Variable, 'Variable', kat));} else if (key === 'Comment') {continue;} else if (key === 'Next' || key === 'Assign') {
      if (!top) out.push(error(C.INVALID_CHOICE_RULE, kat, `${key} belongs on a top-level Choice rule, not on one nested in And, Or or Not`));
    } else if (key === 'End') {
      out.push(error(C.INVALID_CHOICE_RULE, kat, 'A Choice rule cannot End the execution; give it a Next that names a Succeed state'));
    } else {
      out.push(error(C.INVALID_CHOICE_RULE, kat, `Unknown field '${key}' in a Choice rule; a rule has Variable and one comparison such as StringEquals, or And, Or or Not`));
    }
  }
  if (top && !('Next' in rule)) out.push(error(C.INVALID_CHOICE_RULE, at, 'A top-level Choice rule has no Next; name the state to go to when it matches'));
  if (ops.length !== 1) {
    out.push(error(C.INVALID_CHOICE_RULE, at, ops.length === 0
      ? 'A Choice rule has no comparison; add one such as "StringEquals", or combine rules with And, Or or Not'
      : `A Choice rule has ${ops.length} comparisons (${ops.join(', ')}); a rule has exactly one, so combine several with And or Or`));
    return;
  }
  const op = ops[0];
  const oat = ptr(at, op);
  const value = rule[op];
  if (COMBINATORS.includes(op)) {
    if ('Variable' in rule) out.push(error(C.INVALID_CHOICE_RULE, ptr(at, 'Variable'), `A rule with ${op} has no Variable; put Variable on the rules inside ${op}`));
    if (op === 'Not') checkRule(value, oat, false, out);
    else if (!Array.isArray(value) || value.length === 0) out.push(error(C.INVALID_CHOICE_RULE, oat, `${op} must be a non-empty array of Choice rules, got ${show(value)}`));
    else value.forEach((r, i) => checkRule(r, ptr(oat, i), false, out));
    return;
  }
  if (!('Variable' in rule)) out.push(error(C.INVALID_CHOICE_RULE, at, `A rule with ${op} needs a Variable, the reference path to compare`));
  if (PATH_COMPARISONS.has(op)) {
    out.push(...checkReference(value, op, oat));
    return;
  }
  const type = COMPARISONS.get(op)!;
  const ok = type === 'number' ? typeof value === 'number' : type === 'boolean' ? typeof value === 'boolean' : typeof value === 'string';
  if (!ok) out.push(error(C.INVALID_CHOICE_RULE, oat, `${op} compares with a ${type === 'timestamp' ? 'timestamp string' : type}, got ${show(value)}${type !== 'boolean' ? `; to compare with a value from the input use ${op}Path` : ''}`));
}

/** One JSONata Choice rule: Condition and Next (plus Assign, Output, Comment). */
function checkJsonataRule(rule: unknown, at: string, out: Finding[]): void {
  if (!isObj(rule)) {
    out.push(error(C.INVALID_CHOICE_RULE, at, `A Choice rule must be an object, got ${show(rule)}`));
    return;
  }
  for (const key of Object.keys(rule)) {
    if (key === 'Condition' || key === 'Next' || key === 'Assign' || key === 'Comment') continue;
    if (key === 'Output') { checkJsonataValue(rule.Output, ptr(at, key), 'Output', out); continue; }
    out.push(error(C.INVALID_CHOICE_RULE, ptr(at, key), `A JSONata Choice rule does not accept '${key}'; it has Condition ('{% ... %}' or a boolean), Next, and optionally Assign, Output and Comment`));
  }
  if (!('Next' in rule)) out.push(error(C.INVALID_CHOICE_RULE, at, 'A Choice rule has no Next; name the state to go to when it matches'));
  const cond = (rule as Obj).Condition;
  const cat = ptr(at, 'Condition');
  if (!('Condition' in rule)) {out.push(error(C.INVALID_CHOICE_RULE, at, 'A JSONata Choice rule has no Condition; add "Condition": "{% <boolean expression> %}"'));} else if (typeof cond === 'string' && isJsonataExpression(cond)) {
    out.push(...checkJsonataString(cond, cat, 'Condition'));
  } else if (typeof cond !== 'boolean') {
    out.push(error(C.INVALID_CHOICE_RULE, cat, `Condition must be a JSONata expression '{% ... %}' or a boolean, got ${show(cond)}`));
  }
}

/**
 * Choice rules are well formed: under JSONPath each has one comparison with a
 * Variable and a typed operand, `…Path` operands are reference paths, And/Or
 * take non-empty arrays, only top-level rules have Next; under JSONata each
 * has a Condition that parses. Choices is a non-empty array.
 * @internal
 */
export function choiceRules(state: StateInfo): readonly Finding[] {
  if (state.type !== 'Choice' || !('Choices' in state.node)) return NO_FINDINGS;
  const out: Finding[] = [];
  const at = ptr(state.pointer, 'Choices');
  const list = state.node.Choices;
  if (!Array.isArray(list) || list.length === 0) {
    return [error(C.SCHEMA_VALIDATION_FAILED, at, `Choices of state '${state.name}' must be a non-empty array of rules, got ${show(list)}`)];
  }
  list.forEach((rule, i) => {
    if (state.language === 'JSONata') {
      checkJsonataRule(rule, ptr(at, i), out);
      return;
    }
    const before = out.length;
    checkRule(rule, ptr(at, i), true, out);
    if (out.length === before) out.push(...compilerFindings(rule, ptr(at, i)));
  });
  return out;
}

/**
 * What the Choice-rule compiler refuses in a rule the checks above accepted
 * (an operand that is the right JSON type but not a timestamp, a pattern
 * that does not parse, ...). The compiler is the one source of truth for
 * what can run: whatever it refuses, the validator reports, at its location.
 */
function compilerFindings(rule: unknown, at: string): Finding[] {
  try {
    compileChoiceRule(rule as ChoiceRule, at);
    return [];
  } catch (e) {
    if (!(e instanceof ChoiceRuleError)) throw e;
    const message = e.message.startsWith(`${e.location}: `) ? e.message.slice(e.location.length + 2) : e.message;
    return [error(C.INVALID_CHOICE_RULE, e.location, message)];
  }
}
