// Properties of the trip saga: an ES module with named exports, the vocabulary and functions of the run.
import { Property } from 'stepwright/testing';

// The saga's promise: once the flight is being booked, the trip is confirmed or the hotel cancelled.
export const flightConfirmedOrHotelCancelled = Property.leadsTo('Book flight', ['Confirmed', 'Cancel hotel']);
export const carConfirmedOrFlightCancelled = Property.leadsTo('Book car', ['Confirmed', 'Cancel flight']);
export const hotelCancelledOnce = Property.atMost('Cancel hotel', 1);
export const cancelFlightAfterCar = Property.precedes('Book car', 'Cancel flight');
export const cancelHotelAfterFlight = Property.precedes('Book flight', 'Cancel hotel');
export const knownEnds = Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'], errors: ['Trip.Failed', 'Trip.NotBooked'] });
export const neverConfirmedAndCancelled = Property.run((run) => !(run.visited('Confirmed') && run.visited('Cancel hotel')), 'a confirmed trip cancels nothing');
// When the car fails, the flight is cancelled before the hotel.
export const flightCancelledWhenCarFails = (run) => !(run.visited('Book car') && run.visited('Cancel hotel')) || run.visited('Cancel flight');
// A confirmed trip returns all three bookings.
export const confirmedHasAll = (run) => run.status !== 'SUCCEEDED' || ['hotel', 'flight', 'car'].every((k) => k in run.output);
export const atMostSix = Property.maxTransitions(6);
