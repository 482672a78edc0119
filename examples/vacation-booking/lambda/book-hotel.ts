import { book, type Booking, type TripEvent } from './bookings';

/** Books the hotel of the trip. */
export const handler = async (event: TripEvent): Promise<Booking> => book('hotel', event, event.hotel.city);
