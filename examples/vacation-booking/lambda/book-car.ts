import { book, type Booking, type TripEvent } from './bookings';

/** Books the car of the trip. */
export const handler = async (event: TripEvent): Promise<Booking> => book('car', event, event.car.city);
