import { handler as bookShipment } from '../lambda/book-shipment';
import { handler as chargeCard } from '../lambda/charge-card';
import { handler as quotePrice } from '../lambda/quote-price';
import { handler as refundCard } from '../lambda/refund-card';
import { handler as releaseStock } from '../lambda/release-stock';
import { handler as reserveStock } from '../lambda/reserve-stock';

/** Every Lambda task of the order workflow answered by its real handler code. */
export const handlers = {
  'Quote price': quotePrice,
  'Reserve stock': reserveStock,
  'Release stock': releaseStock,
  'Charge card': chargeCard,
  'Refund card': refundCard,
  'Book shipment': bookShipment,
};
