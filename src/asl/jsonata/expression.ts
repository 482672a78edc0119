/**
 * True for a string that is a JSONata expression: it starts with `{%` and ends
 * with `%}`, with nothing (not even a space) before or after, as AWS requires.
 * Any other string is a literal.
 *
 * A module of its own, without the JSONata engine: readers of a definition ask this of every
 * field, and the engine is loaded only when an expression is compiled.
 * @example
 * isJsonataExpression('{% $states.input %}');   // true
 * isJsonataExpression(' {% $states.input %} ');  // false: a literal
 */
export function isJsonataExpression(s: unknown): s is string {
  return typeof s === 'string' && s.length >= 4 && s.startsWith('{%') && s.endsWith('%}');
}
