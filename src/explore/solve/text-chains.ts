import type { JsonataNode } from './jsonata-ast';
import { instantOf } from './literals';
import { formatInstant } from './timestamps';
import type { JsonValue } from '../../asl';

/*
 * Values for a field read through a chain of string functions and compared with a literal
 * (`$number($substring($id, 4)) > 1000`, `$split($email, '@')[1] = 'partner.org'`,
 * `$toMillis($due) < $toMillis('2024-01-01T00:00:00Z')`): the chain is undone from the outside in,
 * each function giving back a text it turns into the value wanted, so the search tries a field
 * that comes out right rather than only the literal itself; and the terms of a sum or product.
 * Hints only: every try is evaluated.
 */

/** How deep a chain of functions is undone. */
const MAX_CHAIN = 6;
const DAY_MS = 86_400_000;

/** The operands of a chain of products (`a * b * c`) or of sums and differences (`a - b + c`, `'+'`), each with its sign. */
export function termsOf(node: JsonataNode, op: '*' | '+', sign: number): Array<{ node: JsonataNode; sign: number }> {
  if (node.type !== 'binary' || (node.value !== op && (op === '*' || node.value !== '-'))) return [{ node, sign }];
  return [...termsOf(node.lhs, op, sign), ...termsOf(node.rhs, op, node.value === '-' ? -sign : sign)];
}

/** A literal number or string, or `$toMillis('<timestamp>')` as its milliseconds. */
export function comparedValue(node: JsonataNode | undefined): JsonValue | undefined {
  if (node?.type === 'number' || node?.type === 'string') return node.value as JsonValue;
  const args = node?.arguments as JsonataNode[] | undefined;
  if (node?.type === 'function' && node.procedure?.value === 'toMillis' && args?.length === 1 && args[0].type === 'string') {
    const ns = instantOf(args[0].value as string);
    return ns === undefined ? undefined : Number(ns / 1_000_000n);
  }
  return undefined;
}

/** A read the chain ends at, and the values wanted of it. */
export interface Undone {
  readonly leaf: JsonataNode;
  readonly values: JsonValue[];
}

/**
 * The values wanted of the innermost argument of `node` (a chain of the functions undone here,
 * ending at `leaf`, which the caller reads as a field) for `node` to give each of `wants`;
 * undefined when `node` is no such chain or a step cannot be undone.
 */
export function undoChain(node: JsonataNode, wants: readonly JsonValue[], isLeaf: (n: JsonataNode) => boolean, depth = 0): Undone | undefined {
  if (isLeaf(node) && depth > 0) return { leaf: node, values: [...wants] };
  if (depth >= MAX_CHAIN || node.type !== 'function' || node.procedure?.type !== 'variable') return undefined;
  const args = (node.arguments as JsonataNode[] | undefined) ?? [];
  const lit = (i: number): JsonValue | undefined => (args[i]?.type === 'number' || args[i]?.type === 'string' ? args[i].value as JsonValue : undefined);
  const index = (node.predicate as JsonataNode[] | undefined)?.[0];
  const at = index?.type === 'filter' && index.expr?.type === 'number' ? index.expr.value as number : undefined;
  if (node.predicate && at === undefined) return undefined;
  const inner: JsonValue[] = [];
  for (const w of wants) {
    const text = typeof w === 'string' ? w : typeof w === 'number' ? String(w) : undefined;
    switch (node.procedure.value) {
      case 'number': if (typeof w === 'number') inner.push(String(w)); break;
      case 'string': if (text !== undefined) inner.push(text); break;
      case 'lowercase': case 'uppercase': case 'trim': if (typeof w === 'string') inner.push(w, w.toUpperCase(), w.toLowerCase()); break;
      case 'substring': {
        const start = lit(1);
        if (typeof w === 'string' && typeof start === 'number' && Number.isInteger(start) && start >= 0 && start <= 64) inner.push('x'.repeat(start) + w);
        break;
      }
      case 'substringAfter': { const sep = lit(1); if (typeof w === 'string' && typeof sep === 'string' && sep !== '') inner.push(`x${sep}${w}`); break; }
      case 'substringBefore': { const sep = lit(1); if (typeof w === 'string' && typeof sep === 'string' && sep !== '') inner.push(`${w}${sep}x`); break; }
      case 'split': {
        const sep = lit(1);
        if (typeof w === 'string' && typeof sep === 'string' && sep !== '' && at !== undefined && Number.isInteger(at) && at >= 0 && at <= 16) inner.push(`x${sep}`.repeat(at) + w);
        break;
      }
      case 'toMillis':
        if (typeof w === 'number' && Number.isFinite(w) && Math.abs(w) < 2.5e14) inner.push(formatInstant(BigInt(Math.round(w)) * 1_000_000n));
        break;
      default: return undefined;
    }
  }
  if (inner.length === 0 || args.length === 0) return undefined;
  return undoChain(args[0], inner, isLeaf, depth + 1);
}

/** The values a comparison `op` with `c` wants of its other side: `c` itself and either side of it (a day either side for a time). */
export function wantedOf(c: JsonValue, op: string, millis: boolean): JsonValue[] {
  if (typeof c !== 'number') return op === '=' || op === '!=' ? [c] : [];
  const step = millis ? DAY_MS : 1;
  return op === '<' || op === '<=' ? [c - step, c, c + step] : [c + step, c, c - step];
}
