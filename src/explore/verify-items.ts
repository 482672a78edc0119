import type { StateDefinition } from '../asl';

/*
 * How many items a run of a Map can have, read from its definition, for the counts verify proves
 * over a Map's iterations (verify-counters). A run's path enters a state of a Map once per item,
 * so a count over the whole run is bounded only where the items are.
 */

/**
 * The most items one run of a Map can have, and what in the definition sets it: an `Items` array
 * written in the definition (its length), or an ItemReader's `ReaderConfig.MaxItems` (AWS reads no
 * more items than that). Undefined when nothing does: `ItemsPath` or a JSONata `Items` reads them
 * from the run's data, whose arrays have no bound.
 * @internal
 */
export function mapItemBound(def: StateDefinition | undefined): { readonly items: number; readonly how: string } | undefined {
  if (def?.Type !== 'Map') return undefined;
  const items = (def as { Items?: unknown }).Items;
  if (Array.isArray(items)) return { items: items.length, how: `its Items is an array of ${items.length} written in the definition` };
  const max = (def.ItemReader as { ReaderConfig?: { MaxItems?: unknown } } | undefined)?.ReaderConfig?.MaxItems;
  if (typeof max === 'number' && Number.isInteger(max) && max >= 0) return { items: max, how: `its ItemReader's ReaderConfig.MaxItems is ${max}` };
  return undefined;
}

/** Where a Map reads its items, in words, for a reason that has no bound on them. @internal */
export function itemsSource(def: StateDefinition | undefined): string {
  const d = def as { Items?: unknown; ItemsPath?: unknown; ItemReader?: unknown } | undefined;
  if (typeof d?.Items === 'string') return `its Items is ${JSON.stringify(d.Items.length > 60 ? `${d.Items.slice(0, 57)}…` : d.Items)}`;
  if (d?.ItemReader !== undefined) return 'its ItemReader, with no ReaderConfig.MaxItems';
  return `its ItemsPath ${JSON.stringify(typeof d?.ItemsPath === 'string' ? d.ItemsPath : '$')}`;
}
