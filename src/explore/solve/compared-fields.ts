import { FLIPPED } from './clock';
import type { JsonataNode } from './jsonata-ast';
import { itemPassing, literalOf } from './jsonata-items';
import type { JsonValue } from '../../asl';

/*
 * Comparisons whose sides the search reads in a shape it can solve for (jsonata-ast.ts collects
 * them): two fields compared through their difference, a count of what a `$filter` keeps, and a
 * count of the keys of an object (or of what a `$sift` keeps of it).
 * `whole` gives the key of a field a node reads whole, as readsOf sees it.
 */

/** `plus - minus op by`, for two fields read whole as numbers. */
export interface Difference {
  readonly plus: string;
  readonly minus: string;
  readonly op: string;
  readonly by: number;
}

/** The key of the field a node reads whole, if it reads one. */
export type WholeField = (node: JsonataNode | undefined) => string | undefined;

/**
 * `side op lit` as a difference of two fields read whole (`plus - minus op by`): the side is the
 * difference, scaled by a literal (`* k`, `/ k`) or moved by one (`+ k`, `- k`), either in turn.
 */
export function differenceOf(side: JsonataNode | undefined, lit: number, op: string, whole: WholeField): Difference | undefined {
  let node = side;
  let by = lit;
  let cmp = op;
  for (let i = 0; i < 4 && node?.type === 'binary'; i++) {
    const r = literalOf(node.rhs);
    if (typeof r !== 'number' || !['*', '/', '+', '-'].includes(node.value)) break;
    if (node.value === '+') {
      by -= r;
    } else if (node.value === '-') {
      by += r;
    } else {
      if (r === 0) return undefined;
      by = node.value === '*' ? by / r : by * r;
      // Both sides times a negative number: the comparison turns round.
      if (r < 0) cmp = FLIPPED[cmp] ?? cmp;
    }
    node = node.lhs as JsonataNode;
  }
  if (node?.type !== 'binary' || node.value !== '-' || !Number.isFinite(by) || cmp === 'in') return undefined;
  const a = whole(node.lhs);
  const b = whole(node.rhs);
  return a === undefined || b === undefined || a === b ? undefined : { plus: a, minus: b, op: cmp, by };
}

/**
 * `$count($filter(f, function($v) { … }))` of a field read whole: the field's key and an item the function keeps. A list of
 * one such item is counted 1 too: $filter gives the item itself, which $count counts as one.
 */
export function countedFilterCall(node: JsonataNode | undefined, whole: WholeField): { key: string; item: JsonValue } | undefined {
  if (node?.type !== 'function' || node.procedure?.type !== 'variable' || node.procedure.value !== 'count') return undefined;
  const inner = (node.arguments as JsonataNode[] | undefined)?.[0];
  if (inner?.type !== 'function' || inner.procedure?.type !== 'variable' || inner.procedure.value !== 'filter') return undefined;
  const [list, lambda] = (inner.arguments as JsonataNode[] | undefined) ?? [];
  const key = whole(list);
  const item = lambda?.type === 'lambda' ? itemPassing(lambda) : undefined;
  return key !== undefined && item !== undefined ? { key, item } : undefined;
}

/**
 * `$count($keys(f))` of a field read whole, or `$count($keys($sift(f, function($v) { … })))`: the
 * field's key and the value of an entry it counts (one the function keeps; any for `$keys` alone).
 * An object of n such entries has n keys (https://docs.jsonata.org/object-functions#keys).
 */
export function countedKeysCall(node: JsonataNode | undefined, whole: WholeField): { key: string; entry: JsonValue } | undefined {
  const call = (n: JsonataNode | undefined, name: string): JsonataNode[] | undefined =>
    (n?.type === 'function' && n.procedure?.type === 'variable' && n.procedure.value === name ? n.arguments ?? [] : undefined);
  const keys = call(node, 'count')?.[0];
  const of = call(keys, 'keys')?.[0];
  const direct = whole(of);
  if (direct !== undefined) return { key: direct, entry: 1 };
  const [object, lambda] = call(of, 'sift') ?? [];
  const key = whole(object);
  const entry = lambda?.type === 'lambda' ? itemPassing(lambda) : undefined;
  return key !== undefined && entry !== undefined ? { key, entry } : undefined;
}
