import { STOCK, type OrderLine } from './catalog';

/** Not enough units on hand for a line of the order. */
export class OutOfStock extends Error {
  name = 'OutOfStock';
}

export interface ReserveEvent {
  readonly orderId: string;
  readonly lines: readonly OrderLine[];
}

export interface Reservation {
  readonly reservationId: string;
  readonly skus: string[];
}

/** Holds stock for every line that could be priced. */
export const handler = async (event: ReserveEvent): Promise<Reservation> => {
  const lines = event.lines.filter((l) => !l.discontinued);
  for (const line of lines) {
    const onHand = STOCK[line.sku] ?? 0;
    if (line.qty > onHand) throw new OutOfStock(`${line.qty} x '${line.sku}' wanted, ${onHand} on hand`);
  }
  return { reservationId: `res-${event.orderId}`, skus: lines.map((l) => l.sku) };
};
