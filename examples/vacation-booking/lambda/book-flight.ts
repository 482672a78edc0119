import { book, type Booking, type TripEvent } from './bookings';

/** Books the flight of the trip. */
export const handler = async (event: TripEvent): Promise<Booking> => book('flight', event, event.flight.to);
