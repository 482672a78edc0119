/**
 * The shop's catalogue and stock levels. In production these would live in a
 * database; a module keeps the example runnable without one.
 */
export interface CatalogEntry {
  readonly unitPrice: number;
  /** Still listed, but no longer sold: pricing it fails with ItemDiscontinued. */
  readonly discontinued?: boolean;
}

export const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  'book': { unitPrice: 25 },
  'lamp': { unitPrice: 80 },
  'desk': { unitPrice: 950 },
  'fax-machine': { unitPrice: 120, discontinued: true },
};

/** Units on hand per SKU. */
export const STOCK: Readonly<Record<string, number>> = {
  book: 100,
  lamp: 10,
  desk: 2,
};

/** One priced line of an order, as the Map over the items produces it. */
export interface OrderLine {
  readonly sku: string;
  readonly qty: number;
  readonly unitPrice?: number;
  readonly lineTotal?: number;
  /** Set by the workflow when the item could not be priced. */
  readonly discontinued?: boolean;
}
