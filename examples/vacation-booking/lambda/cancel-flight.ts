import { cancel, type TripEvent } from './bookings';

/** Cancels the flight of the trip (the saga's compensation of book-flight). */
export const handler = async (event: TripEvent): Promise<{ cancelled: string }> => cancel('flight', event);
