import { cancel, type TripEvent } from './bookings';

/** Cancels the hotel of the trip (the saga's compensation of book-hotel). */
export const handler = async (event: TripEvent): Promise<{ cancelled: string }> => cancel('hotel', event);
