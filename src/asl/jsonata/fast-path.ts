// The commonest JSONata expressions read without JSONata (a plain path, a comparison of one with a
// literal, arithmetic on paths and numbers), answering FALL_BACK wherever JSONata's rules could differ.
import type jsonata from 'jsonata';
import type { JsonataBindings } from './compile';
import type { JsonValue } from '../definition-types';

/** What a fast path answers where JSONata's rules could differ: JSONata evaluates the expression. */
export const FALL_BACK = Symbol('fall back');

export type FastPath = (b: JsonataBindings) => JsonValue | undefined | typeof FALL_BACK;

/**
 * The commonest expressions are plain paths (`$states.input.order.id`,
 * `$myVar.total`). While such a path only walks through objects, its JSONata
 * result is simply the property reached, so it is read directly, several
 * times faster than a JSONata evaluation. Whenever JSONata's rules could
 * differ (an array anywhere on the way or at the end, where sequences map and
 * flatten; a `$name` that is not a workflow variable and may be a function)
 * the accessor answers FALL_BACK and JSONata evaluates the expression.
 *
 * The commonest Choice condition, such a path compared with `=` or `!=` to a
 * string, number, boolean or null (`$states.input.Status = 'DONE'`), is read
 * the same way: JSONata's equality (evaluateEqualityExpression) is false when
 * either side is undefined, and otherwise, against a literal that is no object
 * or array, whether the two are the same value (its isDeepEqual begins with
 * `===`). A poll loop evaluates such a condition at every pass.
 */
export function compileFastPath(ast: jsonata.ExprNode): FastPath | undefined {
  const condition = compileFastCondition(ast, FAST_CONDITION_OPERATORS);
  if (condition !== undefined) return condition;
  if ((ast.type as string) === 'binary' && ARITHMETIC.has(ast.value as string)) return compileFastArithmetic(ast);
  return compilePathAccessor(ast);
}

/** A condition read without JSONata: true or false, or FALL_BACK. */
type FastCondition = (b: JsonataBindings) => boolean | typeof FALL_BACK;

/** The most `and`/`or` operators a condition read without JSONata holds: far below JSONata's nesting bound. */
const FAST_CONDITION_OPERATORS = 16;

const COMPARISONS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);

/** True for a binary node with nothing but its operator and operands. */
function plainBinary(node: jsonata.ExprNode): node is jsonata.ExprNode & { lhs?: jsonata.ExprNode; rhs?: jsonata.ExprNode } {
  return (node.type as string) === 'binary' && Object.keys(node).every((k) => k === 'type' || k === 'value' || k === 'position' || k === 'lhs' || k === 'rhs');
}

/**
 * The Choice conditions of a poll loop, evaluated at every pass: an equality (see
 * compileFastEquality), a comparison of numbers (`$epochs < 20`, `$states.input.n >= $max * 0.9`),
 * a value `in` a list of literals (`$status in ["Failed", "Stopped"]`), and `and`/`or` of them.
 * JSONata's evaluateBooleanExpression evaluates the left side first and the right one only when
 * it decides (`false and …` is false, `true or …` true): so here, and where a side falls back
 * the whole condition goes to JSONata, which has no side effect to repeat. Its comparison
 * (evaluateComparisonExpression) is the JavaScript operator when both sides are numbers; any
 * other operand (undefined, a string, a mix of types that JSONata refuses) falls back. Its `in`
 * (evaluateIncludesExpression) is false when the left side is undefined, else whether some item
 * of the list is `===` to it.
 */
function compileFastCondition(node: jsonata.ExprNode | undefined, operators: number): FastCondition | undefined {
  if (node === undefined || !plainBinary(node)) return undefined;
  const op = node.value as string;
  if (op === '=' || op === '!=') return compileFastEquality(node, op === '!=');
  if (COMPARISONS.has(op)) {
    const lhs = compileFastNumber(node.lhs, FAST_ARITHMETIC_OPERATORS);
    const rhs = lhs === undefined ? undefined : compileFastNumber(node.rhs, FAST_ARITHMETIC_OPERATORS);
    if (lhs === undefined || rhs === undefined) return undefined;
    return (b) => {
      const l = lhs(b);
      if (l === FALL_BACK || !Number.isFinite(l)) return FALL_BACK;
      const r = rhs(b);
      if (r === FALL_BACK || !Number.isFinite(r)) return FALL_BACK;
      switch (op) {
        case '<': return l < r;
        case '<=': return l <= r;
        case '>': return l > r;
        default: return l >= r;
      }
    };
  }
  if (op === 'in') return compileFastIncludes(node);
  if ((op === 'and' || op === 'or') && operators > 0) {
    const lhs = compileFastCondition(node.lhs, operators - 1);
    const rhs = lhs === undefined ? undefined : compileFastCondition(node.rhs, operators - 1);
    if (lhs === undefined || rhs === undefined) return undefined;
    const decides = op === 'or';
    return (b) => {
      const l = lhs(b);
      if (l === FALL_BACK || l === decides) return l;
      return rhs(b);
    };
  }
  return undefined;
}

/** `path in [literal, …]` (or a single literal), as JSONata's evaluateIncludesExpression reads it; undefined for another `in`. */
function compileFastIncludes(node: jsonata.ExprNode & { lhs?: jsonata.ExprNode; rhs?: jsonata.ExprNode }): FastCondition | undefined {
  const read = node.lhs === undefined ? undefined : compilePathAccessor(node.lhs);
  const list = node.rhs as (jsonata.ExprNode & { expressions?: jsonata.ExprNode[] }) | undefined;
  if (read === undefined || list === undefined) return undefined;
  let items: Array<string | number | boolean | null>;
  const single = literalOf(list);
  if (single !== undefined) {
    items = [single.value];
  } else if ((list.type as string) === 'unary' && list.value === '[' && Array.isArray(list.expressions)
    && Object.keys(list).every((k) => k === 'type' || k === 'value' || k === 'position' || k === 'expressions')) {
    const literals = list.expressions.map(literalOf);
    if (literals.some((l) => l === undefined)) return undefined;
    items = literals.map((l) => l!.value);
  } else {
    return undefined;
  }
  return (b) => {
    const value = read(b);
    if (value === FALL_BACK) return FALL_BACK;
    if (value === undefined) return false;
    return items.some((item) => item === value);
  };
}

const ARITHMETIC: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%']);

/** The most operators an expression read as fast arithmetic holds: far below JSONata's nesting bound. */
const FAST_ARITHMETIC_OPERATORS = 16;

/** A number read without JSONata, or FALL_BACK. */
type FastNumber = (b: JsonataBindings) => number | typeof FALL_BACK;

/**
 * Arithmetic on plain paths and number literals (`$states.input.n + 1`, `$i * 2 - $j`), the
 * commonest expression after a path: a counter in a loop. JSONata's evaluateNumericExpression
 * checks that each operand is a number (T2001/T2002 if not), gives undefined when one is
 * undefined, and otherwise is the JavaScript operator; its isNumeric refuses a non-finite
 * operand (D1001). The direct reading answers only where both operands are finite numbers and
 * the result a finite number other than -0; anything else (a missing field, a string, an
 * array, Infinity, -0) falls back to JSONata, which gives its own answer or error. A long
 * chain of operators is left to JSONata too, which bounds its nesting where AWS does
 * (JSONATA_LIMITS.depth: a sum of 100 terms passes, of 101 fails).
 */
function compileFastArithmetic(ast: jsonata.ExprNode): FastPath | undefined {
  const read = compileFastNumber(ast, FAST_ARITHMETIC_OPERATORS);
  if (read === undefined) return undefined;
  return (b) => {
    const value = read(b);
    return value === FALL_BACK || !Number.isFinite(value) || Object.is(value, -0) ? FALL_BACK : value;
  };
}

/** A number literal, a plain path, or arithmetic on them (at most `operators` operators deep), read as a number; undefined for any other expression. */
function compileFastNumber(node: jsonata.ExprNode | undefined, operators: number): FastNumber | undefined {
  if (node === undefined) return undefined;
  const literal = literalOf(node);
  if (literal !== undefined) {
    const value = literal.value;
    return typeof value === 'number' ? () => value : undefined;
  }
  if ((node.type as string) === 'binary' && ARITHMETIC.has(node.value as string)) {
    if (operators === 0) return undefined;
    const n = node as jsonata.ExprNode & { lhs?: jsonata.ExprNode; rhs?: jsonata.ExprNode };
    if (!Object.keys(n).every((k) => k === 'type' || k === 'value' || k === 'position' || k === 'lhs' || k === 'rhs')) return undefined;
    const lhs = compileFastNumber(n.lhs, operators - 1);
    const rhs = lhs === undefined ? undefined : compileFastNumber(n.rhs, operators - 1);
    if (lhs === undefined || rhs === undefined) return undefined;
    const op = n.value as string;
    return (b) => {
      const l = lhs(b);
      if (l === FALL_BACK || !Number.isFinite(l)) return FALL_BACK;
      const r = rhs(b);
      if (r === FALL_BACK || !Number.isFinite(r)) return FALL_BACK;
      switch (op) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/': return l / r;
        default: return l % r;
      }
    };
  }
  const read = compilePathAccessor(node, false);
  if (read === undefined) return undefined;
  return (b) => {
    const value = read(b);
    return typeof value === 'number' ? value : FALL_BACK;
  };
}

/** A literal JSONata leaves as it is: a string, a number, true, false or null. */
function literalOf(node: jsonata.ExprNode | undefined): { readonly value: string | number | boolean | null } | undefined {
  if (node === undefined || !Object.keys(node).every((k) => k === 'type' || k === 'value' || k === 'position')) return undefined;
  const value: unknown = node.value;
  if (node.type === 'string' && typeof value === 'string') return { value };
  if (node.type === 'number' && typeof value === 'number' && Number.isFinite(value)) return { value };
  if (node.type === 'value' && (value === true || value === false || value === null)) return { value };
  return undefined;
}

/** `path = literal`, `literal = path` (or `!=`), read as JSONata reads it; undefined for any other comparison. */
function compileFastEquality(ast: jsonata.ExprNode, negated: boolean): FastCondition | undefined {
  const node = ast as jsonata.ExprNode & { lhs?: jsonata.ExprNode; rhs?: jsonata.ExprNode };
  if (!Object.keys(node).every((k) => k === 'type' || k === 'value' || k === 'position' || k === 'lhs' || k === 'rhs')) return undefined;
  const right = literalOf(node.rhs);
  const left = right === undefined ? literalOf(node.lhs) : undefined;
  const literal = right ?? left;
  const other = right !== undefined ? node.lhs : node.rhs;
  const read = literal !== undefined && other !== undefined ? compilePathAccessor(other) ?? compileCaseChange(other) : undefined;
  if (read === undefined || literal === undefined) return undefined;
  const wanted = literal.value;
  return (b) => {
    const value = read(b);
    if (value === FALL_BACK) return FALL_BACK;
    if (value === undefined) return false;
    return (value === wanted) !== negated;
  };
}

/**
 * `$lowercase(path)` or `$uppercase(path)`, the case-blind comparison of a status or a decision
 * (`$lowercase($states.input.decision) = 'approved'`): JSONata's functions give undefined for
 * undefined and `toLowerCase()`/`toUpperCase()` of a string; anything else (a value of another
 * type, which their signature refuses, or a workflow variable of the function's name, which JSONata
 * would call instead) falls back.
 */
function compileCaseChange(node: jsonata.ExprNode): FastPath | undefined {
  const call = node as jsonata.ExprNode & { arguments?: jsonata.ExprNode[]; procedure?: jsonata.ExprNode; name?: unknown };
  if ((call.type as string) !== 'function' || call.value !== '(' || !Array.isArray(call.arguments) || call.arguments.length !== 1) return undefined;
  // The parser gives a call a `name` key, undefined but for a partial application's placeholder.
  const keys = (k: string): boolean => k === 'type' || k === 'value' || k === 'position' || k === 'arguments' || k === 'procedure' || (k === 'name' && call.name === undefined);
  if (!Object.keys(call).every(keys)) return undefined;
  const procedure = call.procedure;
  if (procedure === undefined || procedure.type !== 'variable' || !Object.keys(procedure).every((k) => k === 'type' || k === 'value' || k === 'position')) return undefined;
  const name = procedure.value as unknown;
  if (name !== 'lowercase' && name !== 'uppercase') return undefined;
  const read = compilePathAccessor(call.arguments[0]);
  if (read === undefined) return undefined;
  const lower = name === 'lowercase';
  return (b) => {
    if (Object.prototype.hasOwnProperty.call(b.variables, name)) return FALL_BACK;
    const value = read(b);
    if (value === FALL_BACK || value === undefined) return value;
    if (typeof value !== 'string') return FALL_BACK;
    return lower ? value.toLowerCase() : value.toUpperCase();
  };
}

/**
 * A plain path's accessor (see compileFastPath), or undefined when the expression is not one.
 * @param zeroed false to read a -0 as it is (an operand of arithmetic), not as the 0 a result is shown as
 */
function compilePathAccessor(ast: jsonata.ExprNode, zeroed = true): FastPath | undefined {
  const plain = (node: jsonata.ExprNode, type: string): boolean =>
    node.type === type && typeof node.value === 'string' && Object.keys(node).every((k) => k === 'type' || k === 'value' || k === 'position');
  let root: string;
  let names: string[];
  if (plain(ast, 'variable')) {
    root = ast.value;
    names = [];
  } else if ((ast.type as string) === 'path' && Object.keys(ast).every((k) => k === 'type' || k === 'steps') && ast.steps !== undefined && ast.steps.length > 1) {
    const [first, ...rest] = ast.steps;
    if (!plain(first, 'variable') || !rest.every((step) => plain(step, 'name'))) return undefined;
    root = first.value;
    names = rest.map((step) => step.value as string);
  } else {
    return undefined;
  }
  // `$` and `$$` name the context value, not a variable; a bare `$states` may hold undefined fields.
  if (root === '' || root === '$' || (root === 'states' && names.length === 0)) return undefined;
  return (b) => {
    let current: unknown;
    if (root === 'states') current = b.states;
    else if (Object.prototype.hasOwnProperty.call(b.variables, root)) current = b.variables[root];
    else return FALL_BACK;
    for (const name of names) {
      if (Array.isArray(current)) return FALL_BACK;
      if (current === null || typeof current !== 'object') return undefined;
      current = Object.prototype.hasOwnProperty.call(current, name) ? (current as Record<string, unknown>)[name] : undefined;
    }
    if (Array.isArray(current)) return FALL_BACK;
    if (zeroed && typeof current === 'number' && Object.is(current, -0)) return 0;
    return current as JsonValue | undefined;
  };
}
