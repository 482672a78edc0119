import { handler as bookCar } from '../lambda/book-car';
import { handler as bookFlight } from '../lambda/book-flight';
import { handler as bookHotel } from '../lambda/book-hotel';
import { handler as cancelCar } from '../lambda/cancel-car';
import { handler as cancelFlight } from '../lambda/cancel-flight';
import { handler as cancelHotel } from '../lambda/cancel-hotel';

/** Every Lambda task of the vacation booking answered by its real handler code; SNS answers with a message id. */
export const handlers = {
  BookFlight: bookFlight,
  BookCar: bookCar,
  BookHotel: bookHotel,
  CancelFlight: cancelFlight,
  CancelCar: cancelCar,
  CancelHotel: cancelHotel,
  NotifyTraveller: { MessageId: 'msg-1' },
};
