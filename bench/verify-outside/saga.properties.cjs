// Properties of the order saga, built with the vocabulary and as functions of the run (CommonJS).
const { Property } = require('stepwright/testing');

exports.reservedIsShippedOrReleased = Property.leadsTo('Reserve', ['Done', 'Release stock', 'Reserve failed']);
// Once charging starts, the order ships or the stock is released.
exports.chargedIsShippedOrReleased = Property.leadsTo('Charge', ['Done', 'Release stock']);
exports.chargeAfterReserve = Property.precedes('Reserve', 'Charge');
exports.shipOnlyAfterPaidCheck = Property.precedes('Paid?', 'Ship');
exports.refundAtMostOnce = Property.atMost('Refund', 1);
exports.releaseAtMostOnce = Property.atMost('Release stock', 1);
exports.refundOnlyAfterShip = Property.precedes('Ship', 'Refund');
// A shipped order was paid: the input Ship got says so.
exports.shippedOnlyWhenPaid = (run) => !run.visited('Ship') || run.inputOf('Ship').payment.Payload.status === 'PAID';
exports.shortRuns = Property.maxTransitions(7);
