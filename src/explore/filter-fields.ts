import type { JsonataNode } from './solve/jsonata-ast';

/**
 * Whether a filter's predicate is true only of an item that holds a field it names: a comparison of a field read
 * from the item (`status`, `a.b`) with anything gives false when the field is not there (JSONata's comparisons with
 * nothing), so an empty list, which holds no field, never passes it; `and` needs one side so, `or` both.
 */
export function needsField(e: JsonataNode | undefined): boolean {
  if (e === null || typeof e !== 'object') return false;
  if (e.type === 'binary' && e.value === 'and') return needsField(e.lhs) || needsField(e.rhs);
  if (e.type === 'binary' && e.value === 'or') return needsField(e.lhs) && needsField(e.rhs);
  if (e.type !== 'binary' || !['=', '!=', '<', '<=', '>', '>='].includes(e.value as string)) return false;
  return itemField(e.lhs) || itemField(e.rhs);
}

/** A read of a field of the item a filter tests (`status`, `a.b`): names only, from the item itself. */
function itemField(n: JsonataNode | undefined): boolean {
  if (n?.type === 'name') return typeof n.value === 'string' && !n.stages && !n.predicate;
  if (n?.type !== 'path' || !Array.isArray(n.steps) || n.keepSingletonArray) return false;
  return (n.steps as JsonataNode[]).every((st) => st.type === 'name' && typeof st.value === 'string' && !st.stages && !st.predicate);
}
