import type { ChoiceRule, JsonValue } from './definition-types';
import { compileReferencePath, PathSyntaxError } from './path';
import type { CompiledPath, PathScope } from './path';
import { DefinitionError, StatesError, StatesErrors } from './states-errors';
import { parseRfc3339Timestamp, type Instant } from './timestamp';

/**
 * A JSONPath Choice rule that cannot run: unknown operator, two operators in
 * one rule, an operand of the wrong type, a bad path, a nested rule with
 * `Next`. Raised when the rule is compiled, before any execution starts.
 *
 * `location` is the JSON pointer of the offending field, for example
 * `/States/Check/Choices/0/And/1/NumericEquals`.
 */
export class ChoiceRuleError extends DefinitionError {
  constructor(code: ChoiceRuleErrorCode, location: string, message: string) {
    super(code, location, message);
    this.name = 'ChoiceRuleError';
  }
}

/** The stable codes of {@link ChoiceRuleError}. */
export type ChoiceRuleErrorCode =
  | 'CHOICE_RULE_NOT_OBJECT'
  | 'CHOICE_UNKNOWN_FIELD'
  | 'CHOICE_NO_OPERATOR'
  | 'CHOICE_MULTIPLE_OPERATORS'
  | 'CHOICE_MISSING_VARIABLE'
  | 'CHOICE_UNEXPECTED_VARIABLE'
  | 'CHOICE_INVALID_OPERAND'
  | 'CHOICE_INVALID_PATH'
  | 'CHOICE_NESTED_FIELD';

/** A compiled Choice rule: true when the rule matches. */
export type ChoicePredicate = (scope: PathScope) => boolean;

/**
 * The runtime error AWS raises when a Choice rule's `Variable` (or a `…Path`
 * operand) names nothing. The cause text is AWS's, word for word.
 * @internal
 */
export function invalidChoicePath(path: string): StatesError {
  return new StatesError(StatesErrors.RUNTIME, `Invalid path '${path}': The choice state's condition path references an invalid value.`);
}

// ---------------------------------------------------------------------------
// Timestamps


function compareTimestamps(a: Instant, b: Instant): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

// ---------------------------------------------------------------------------
// StringMatches

/**
 * Compiles a StringMatches pattern. `*` matches any run of characters
 * (newlines included); `\*` is a literal star and `\\` a literal backslash.
 * The pattern becomes literal segments matched left to right with
 * `startsWith`/`indexOf`/`endsWith`: linear work per segment and no regular
 * expression, so a hostile pattern like `*a*a*a*a*b` cannot backtrack
 * exponentially.
 * @internal
 */
export function compileStringMatches(pattern: string): ((value: string) => boolean) | { error: string } {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      // The ASL specification asks for both '*' and '\' to be escaped, so a
      // backslash before anything else is a mistake worth reporting.
      if (next !== '*' && next !== '\\') {
        return { error: `a backslash must be followed by '*' or '\\' (at position ${i}); write '\\\\' for a literal backslash` };
      }
      current += next;
      i++;
    } else if (c === '*') {
      segments.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  segments.push(current);
  if (segments.length === 1) {
    const exact = segments[0];
    return (value) => value === exact;
  }
  const first = segments[0];
  const last = segments[segments.length - 1];
  const middle = segments.slice(1, -1).filter((s) => s !== '');
  const minLength = first.length + last.length;
  return (value) => {
    if (value.length < minLength || !value.startsWith(first) || !value.endsWith(last)) return false;
    // Leftmost matching of each middle segment is optimal: it leaves the most room for the rest.
    let pos = first.length;
    const end = value.length - last.length;
    for (const seg of middle) {
      const at = value.indexOf(seg, pos);
      if (at < 0 || at + seg.length > end) return false;
      pos = at + seg.length;
    }
    return true;
  };
}

// ---------------------------------------------------------------------------
// The operator table

/** Reads the rule's Variable; AWS fails the execution when it names nothing. */
type Read = (scope: PathScope) => JsonValue;

/** A typed comparison: `coerce` turns a JSON value into an operand, or `undefined` for a value of another type. */
interface Comparison<T> {
  readonly type: string;
  readonly coerce: (value: JsonValue) => T | undefined;
  readonly test: (left: T, right: T) => boolean;
}

/** How one operator compiles; built once into {@link OPERATORS}. */
interface Operator {
  /** Compiles the operand into a predicate; `read` fails the execution when the Variable names nothing, `variable` does not. */
  compile(operand: unknown, at: string, variable: CompiledPath, read: Read): ChoicePredicate;
}

const asString = (v: JsonValue): string | undefined => (typeof v === 'string' ? v : undefined);
const asNumber = (v: JsonValue): number | undefined => (typeof v === 'number' ? v : undefined);
const asBoolean = (v: JsonValue): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const asTimestamp = (v: JsonValue): Instant | undefined => (typeof v === 'string' ? parseRfc3339Timestamp(v) : undefined);

// JavaScript's relational operators on strings compare UTF-16 code units,
// which is exactly Java's String.compareTo that the AWS documentation cites.
const STRING_TESTS = {
  Equals: (a: string, b: string) => a === b,
  LessThan: (a: string, b: string) => a < b,
  GreaterThan: (a: string, b: string) => a > b,
  LessThanEquals: (a: string, b: string) => a <= b,
  GreaterThanEquals: (a: string, b: string) => a >= b,
};
const NUMBER_TESTS = {
  Equals: (a: number, b: number) => a === b,
  LessThan: (a: number, b: number) => a < b,
  GreaterThan: (a: number, b: number) => a > b,
  LessThanEquals: (a: number, b: number) => a <= b,
  GreaterThanEquals: (a: number, b: number) => a >= b,
};
const TIMESTAMP_TESTS = {
  Equals: (a: Instant, b: Instant) => compareTimestamps(a, b) === 0,
  LessThan: (a: Instant, b: Instant) => compareTimestamps(a, b) < 0,
  GreaterThan: (a: Instant, b: Instant) => compareTimestamps(a, b) > 0,
  LessThanEquals: (a: Instant, b: Instant) => compareTimestamps(a, b) <= 0,
  GreaterThanEquals: (a: Instant, b: Instant) => compareTimestamps(a, b) >= 0,
};

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** `StringEquals: "x"`: the operand is converted once; a Variable of another type never matches. */
function literalOperator<T>(cmp: Comparison<T>): Operator {
  return {
    compile(operand, at, _variable, read) {
      const right = cmp.coerce(operand as JsonValue);
      if (operand === undefined || right === undefined) {
        throw new ChoiceRuleError('CHOICE_INVALID_OPERAND', at, `expected ${cmp.type}, got ${show(operand)}`);
      }
      const { coerce, test } = cmp;
      return (scope) => {
        const left = coerce(read(scope));
        return left !== undefined && test(left, right);
      };
    },
  };
}

/** `StringEqualsPath: "$.y"`: both sides are read at run time; either of another type never matches. */
function pathOperator<T>(cmp: Comparison<T>): Operator {
  return {
    compile(operand, at, _variable, read) {
      const readOperand = requiredReader(compileRulePath(operand, at));
      const { coerce, test } = cmp;
      return (scope) => {
        const left = coerce(read(scope));
        const right = coerce(readOperand(scope));
        return left !== undefined && right !== undefined && test(left, right);
      };
    },
  };
}

/** `IsString: true|false`: a type test; `false` asks for the opposite. */
function typeTestOperator(isType: (value: JsonValue) => boolean): Operator {
  return {
    compile(operand, at, _variable, read) {
      if (typeof operand !== 'boolean') {
        throw new ChoiceRuleError('CHOICE_INVALID_OPERAND', at, `expected true or false, got ${show(operand)}`);
      }
      return operand ? (scope) => isType(read(scope)) : (scope) => !isType(read(scope));
    },
  };
}

const isPresent: Operator = {
  compile(operand, at, variable) {
    if (typeof operand !== 'boolean') {
      throw new ChoiceRuleError('CHOICE_INVALID_OPERAND', at, `expected true or false, got ${show(operand)}`);
    }
    return operand ? (scope) => variable.read(scope) !== undefined : (scope) => variable.read(scope) === undefined;
  },
};

const stringMatches: Operator = {
  compile(operand, at, _variable, read) {
    if (typeof operand !== 'string') {
      throw new ChoiceRuleError('CHOICE_INVALID_OPERAND', at, `expected a string pattern, got ${show(operand)}`);
    }
    const match = compileStringMatches(operand);
    if (typeof match !== 'function') {
      throw new ChoiceRuleError('CHOICE_INVALID_OPERAND', at, `invalid pattern ${JSON.stringify(operand)}: ${match.error}`);
    }
    return (scope) => {
      const value = read(scope);
      return typeof value === 'string' && match(value);
    };
  },
};

function buildOperators(): ReadonlyMap<string, Operator> {
  const table = new Map<string, Operator>();
  const families: Array<[string, string, (v: JsonValue) => unknown, Record<string, (a: never, b: never) => boolean>]> = [
    ['String', 'a string', asString, STRING_TESTS],
    ['Numeric', 'a number', asNumber, NUMBER_TESTS],
    ['Timestamp', 'an RFC 3339 timestamp such as 2016-08-18T17:33:00Z', asTimestamp, TIMESTAMP_TESTS],
  ];
  for (const [prefix, type, coerce, tests] of families) {
    for (const [suffix, test] of Object.entries(tests)) {
      const cmp = { type, coerce, test } as Comparison<unknown>;
      table.set(`${prefix}${suffix}`, literalOperator(cmp));
      table.set(`${prefix}${suffix}Path`, pathOperator(cmp));
    }
  }
  const booleanEquals: Comparison<boolean> = { type: 'true or false', coerce: asBoolean, test: (a, b) => a === b };
  table.set('BooleanEquals', literalOperator(booleanEquals));
  table.set('BooleanEqualsPath', pathOperator(booleanEquals));
  table.set('StringMatches', stringMatches);
  table.set('IsNull', typeTestOperator((v) => v === null));
  table.set('IsNumeric', typeTestOperator((v) => typeof v === 'number'));
  table.set('IsString', typeTestOperator((v) => typeof v === 'string'));
  table.set('IsBoolean', typeTestOperator((v) => typeof v === 'boolean'));
  table.set('IsTimestamp', typeTestOperator((v) => typeof v === 'string' && parseRfc3339Timestamp(v) !== undefined));
  table.set('IsPresent', isPresent);
  return table;
}

/** Every comparison operator of JSONPath Choice rules, by name. Built once. @internal */
export const OPERATORS: ReadonlyMap<string, Operator> = buildOperators();

/** The names of all comparison operators, for tooling and messages. */
export const CHOICE_OPERATORS: readonly string[] = [...OPERATORS.keys()];

const BOOLEAN_OPERATORS = new Set(['And', 'Or', 'Not']);
/** Fields a rule may carry besides its operator. Next and Assign belong to top-level rules only. */
const TOP_LEVEL_FIELDS = new Set(['Next', 'Assign', 'Comment']);

// ---------------------------------------------------------------------------
// Compilation

function compileRulePath(path: unknown, at: string): CompiledPath {
  if (typeof path !== 'string') {
    throw new ChoiceRuleError('CHOICE_INVALID_PATH', at, `expected a reference path such as '$.field', got ${show(path)}`);
  }
  try {
    return compileReferencePath(path);
  } catch (e) {
    if (e instanceof PathSyntaxError) throw new ChoiceRuleError('CHOICE_INVALID_PATH', at, e.message);
    throw e;
  }
}

/** A reader that fails the execution, as AWS does, when the path names nothing. */
function requiredReader(path: CompiledPath): Read {
  const source = path.source;
  return (scope) => {
    const value = path.read(scope);
    if (value === undefined) throw invalidChoicePath(source);
    return value;
  };
}

function suggest(field: string): string {
  const lower = field.toLowerCase();
  for (const name of [...OPERATORS.keys(), ...BOOLEAN_OPERATORS, 'Variable', ...TOP_LEVEL_FIELDS]) {
    if (name.toLowerCase() === lower) return ` (did you mean '${name}'?)`;
  }
  if (field === 'Condition' || field === 'Output') return ` ('${field}' belongs to JSONata Choice rules; this state uses JSONPath)`;
  return '';
}

/**
 * Compiles one top-level Choice rule (or nested And/Or/Not rule) of a
 * JSONPath Choice state into a predicate. Paths, literal timestamps and
 * StringMatches patterns are parsed here, once; the predicate only reads and
 * compares values.
 *
 * At run time the predicate returns `false` when the Variable holds a value
 * of another type than the operator compares (`"42"` is not `NumericEquals
 * 42`), and throws a `States.Runtime` {@link StatesError} when the Variable
 * or a `…Path` operand names nothing (`IsPresent` excepted).
 *
 * @param rule the rule as it appears in the definition
 * @param location JSON pointer of the rule, for example `/States/Check/Choices/0`, used in error messages
 * @throws ChoiceRuleError when the rule is malformed
 *
 * @example
 * const matches = compileChoiceRule({ Variable: '$.total', NumericGreaterThan: 100, Next: 'Review' }, '/States/Check/Choices/0');
 * matches({ input: { total: 150 }, context: {} }); // true
 */
export function compileChoiceRule(rule: ChoiceRule, location: string): ChoicePredicate {
  return compileRule(rule, location, false);
}

function compileRule(rule: ChoiceRule, location: string, nested: boolean): ChoicePredicate {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
    throw new ChoiceRuleError('CHOICE_RULE_NOT_OBJECT', location, `a Choice rule is an object, got ${show(rule)}`);
  }
  const operators: string[] = [];
  let hasVariable = false;
  for (const field of Object.keys(rule)) {
    if (OPERATORS.has(field) || BOOLEAN_OPERATORS.has(field)) {
      operators.push(field);
    } else if (field === 'Variable') {
      hasVariable = true;
    } else if (TOP_LEVEL_FIELDS.has(field)) {
      if (nested && field !== 'Comment') {
        throw new ChoiceRuleError('CHOICE_NESTED_FIELD', `${location}/${field}`, `'${field}' is only allowed in a top-level Choice rule, not inside And, Or or Not`);
      }
    } else {
      throw new ChoiceRuleError('CHOICE_UNKNOWN_FIELD', `${location}/${field}`, `unknown Choice rule field '${field}'${suggest(field)}`);
    }
  }
  if (operators.length === 0) {
    throw new ChoiceRuleError('CHOICE_NO_OPERATOR', location, 'a Choice rule needs one comparison operator (such as StringEquals) or And, Or, Not');
  }
  if (operators.length > 1) {
    throw new ChoiceRuleError('CHOICE_MULTIPLE_OPERATORS', location, `a Choice rule has exactly one operator, got ${operators.join(', ')}; combine them with And`);
  }
  const op = operators[0];
  const at = `${location}/${op}`;
  const operand = rule[op];

  if (BOOLEAN_OPERATORS.has(op)) {
    if (hasVariable) {
      throw new ChoiceRuleError('CHOICE_UNEXPECTED_VARIABLE', `${location}/Variable`, `'Variable' does not go with '${op}'; put it in the nested rules`);
    }
    if (op === 'Not') return compileNot(operand, at);
    return compileJunction(op as 'And' | 'Or', operand, at);
  }

  if (!hasVariable) {
    throw new ChoiceRuleError('CHOICE_MISSING_VARIABLE', `${location}/Variable`, `'${op}' compares a 'Variable', which is missing`);
  }
  const variable = compileRulePath(rule.Variable, `${location}/Variable`);
  return OPERATORS.get(op)!.compile(operand, at, variable, requiredReader(variable));
}

function compileNot(operand: unknown, at: string): ChoicePredicate {
  if (operand === null || typeof operand !== 'object' || Array.isArray(operand)) {
    throw new ChoiceRuleError('CHOICE_INVALID_OPERAND', at, `'Not' takes one Choice rule (an object), got ${show(operand)}`);
  }
  const inner = compileRule(operand as ChoiceRule, at, true);
  return (scope) => !inner(scope);
}

function compileJunction(op: 'And' | 'Or', operand: unknown, at: string): ChoicePredicate {
  if (!Array.isArray(operand) || operand.length === 0) {
    throw new ChoiceRuleError('CHOICE_INVALID_OPERAND', at, `'${op}' takes a non-empty array of Choice rules, got ${show(operand)}`);
  }
  const parts = operand.map((r, i) => compileRule(r as ChoiceRule, `${at}/${i}`, true));
  if (parts.length === 1) return parts[0];
  // Evaluated in order and stopped at the first decisive rule, so an IsPresent
  // guard keeps the rules after it from reading a missing Variable.
  return op === 'And'
    ? (scope) => {
      for (let i = 0; i < parts.length; i++) if (!parts[i](scope)) return false;
      return true;
    }
    : (scope) => {
      for (let i = 0; i < parts.length; i++) if (parts[i](scope)) return true;
      return false;
    };
}
