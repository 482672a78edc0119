/** The card issuer refused the charge. Not worth retrying: the saga compensates. */
export class PaymentDeclined extends Error {
  name = 'PaymentDeclined';
}

export interface ChargeEvent {
  readonly orderId: string;
  /** A payment-provider card token. */
  readonly card: string;
  readonly amount: number;
}

/** Test card tokens the payment provider declines. */
const DECLINED = new Set(['tok_chargeDeclined', 'tok_insufficientFunds']);

/** Charges the order total to the card. */
export const handler = async (event: ChargeEvent): Promise<{ chargeId: string; amount: number }> => {
  if (DECLINED.has(event.card)) throw new PaymentDeclined(`card ${event.card} was declined for ${event.amount.toFixed(2)}`);
  return { chargeId: `ch_${event.orderId}`, amount: event.amount };
};
