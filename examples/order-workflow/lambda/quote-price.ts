import { CATALOG, type OrderLine } from './catalog';

/** The SKU is still in the catalogue but no longer sold; the workflow drops the line. */
export class ItemDiscontinued extends Error {
  name = 'ItemDiscontinued';
}

/** The SKU is not in the catalogue at all: the order is malformed. */
export class UnknownSku extends Error {
  name = 'UnknownSku';
}

export interface QuoteEvent {
  readonly sku: string;
  readonly qty: number;
}

/** Prices one order item. */
export const handler = async (event: QuoteEvent): Promise<OrderLine> => {
  const entry = CATALOG[event.sku];
  if (!entry) throw new UnknownSku(`SKU '${event.sku}' is not in the catalogue`);
  if (entry.discontinued) throw new ItemDiscontinued(`SKU '${event.sku}' is no longer sold`);
  return { sku: event.sku, qty: event.qty, unitPrice: entry.unitPrice, lineTotal: entry.unitPrice * event.qty };
};
