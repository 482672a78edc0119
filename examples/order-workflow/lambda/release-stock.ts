export interface ReleaseEvent {
  readonly reservationId: string;
}

/** Undoes a reservation (the saga's compensation of reserve-stock). Idempotent. */
export const handler = async (event: ReleaseEvent): Promise<{ released: string }> => {
  return { released: event.reservationId };
};
