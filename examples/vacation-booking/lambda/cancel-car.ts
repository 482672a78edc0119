import { cancel, type TripEvent } from './bookings';

/** Cancels the car of the trip (the saga's compensation of book-car). */
export const handler = async (event: TripEvent): Promise<{ cancelled: string }> => cancel('car', event);
