/**
 * A stand-in for the booking providers: the flight, car and hotel functions
 * share this code. Every call is idempotent per trip, so the saga may retry
 * it, and a cancel of a booking that does not exist succeeds.
 */

/** The provider has nothing left for these dates. Not worth retrying: the saga compensates. */
export class SoldOut extends Error {
  constructor(kind: string, detail: string) {
    super(`no ${kind} ${detail}`);
    this.name = `${kind[0].toUpperCase()}${kind.slice(1)}SoldOut`;
  }
}

/** The trip the state machine receives. */
export interface TripEvent {
  readonly tripId: string;
  readonly traveller: string;
  readonly flight: { readonly from: string; readonly to: string; readonly date: string };
  readonly car: { readonly city: string; readonly days: number };
  readonly hotel: { readonly city: string; readonly nights: number };
}

/** A confirmed booking. */
export interface Booking {
  readonly bookingId: string;
}

/** Destinations no provider serves: the test data for sold-out bookings. */
export const SOLD_OUT = new Set(['Atlantis']);

/** Books one part of the trip; `where` names the place the provider must serve. */
export function book(kind: 'flight' | 'car' | 'hotel', event: TripEvent, where: string): Booking {
  if (SOLD_OUT.has(where)) throw new SoldOut(kind, `in ${where} for trip ${event.tripId}`);
  return { bookingId: `${kind.toUpperCase()}-${event.tripId}` };
}

/** Cancels one part of the trip by trip id, so it works whether or not the booking went through. */
export function cancel(kind: 'flight' | 'car' | 'hotel', event: TripEvent): { cancelled: string } {
  return { cancelled: `${kind.toUpperCase()}-${event.tripId}` };
}
