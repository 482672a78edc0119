/**
 * Step Functions implements JSONata 2.0.6 (Developer Guide, "Transforming data
 * with JSONata": "Step Functions implements JSONata based on the 2.0.6
 * specification"); the installed library may be newer and accept `?:` and
 * `??`, which came in 2.1.0. The 2.0.6 parser refuses both: `a ?? b` with
 * S0211 `The symbol "?" cannot be used as a unary operator`, `a ?: b` with the
 * same for `":"`, at the position of the second token's end.
 */

/** An operator of a JSONata newer than 2.0.6, where the parser took it, and the words 2.0.6's parser refuses it with. @internal */
export interface NewerOperator {
  readonly operator: '??' | '?:';
  /** The position JSONata reports, the end of the operator. */
  readonly position: number | undefined;
  /** JSONata 2.0.6's message for it (S0211). */
  readonly parserMessage: string;
  /** What to write instead, in 2.0.6. */
  readonly instead: string;
}

/**
 * The first `??` or `?:` of a parsed expression, or undefined. The newer
 * parser rewrites both into conditions, recognisable by their shape: `a ?: b`
 * repeats the condition node as `then`; `a ?? b` calls an `$exists` that has
 * no source position.
 * @internal
 */
export function newerOperator(node: unknown): NewerOperator | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = newerOperator(child);
      if (found) return found;
    }
    return undefined;
  }
  const n = node as Record<string, any>;
  if (n.type === 'condition') {
    const proc = n.condition?.procedure;
    const position = typeof n.position === 'number' ? n.position : undefined;
    if (n.condition?.type === 'function' && proc?.type === 'variable' && proc.value === 'exists' && proc.position === undefined) {
      return { operator: '??', position, parserMessage: 'The symbol "?" cannot be used as a unary operator', instead: '$exists(a) ? a : b' };
    }
    if (n.then !== undefined && JSON.stringify(n.then) === JSON.stringify(n.condition)) {
      return { operator: '?:', position, parserMessage: 'The symbol ":" cannot be used as a unary operator', instead: 'a ? a : b' };
    }
  }
  for (const key of Object.keys(n)) {
    if (typeof n[key] === 'object') {
      const found = newerOperator(n[key]);
      if (found) return found;
    }
  }
  return undefined;
}
