// Properties of the charge with retries (CommonJS .cjs).
const { Property } = require('stepwright/testing');
exports.receiptAfterCharge = Property.precedes('Charge', 'Receipt');
exports.receiptLeadsToDone = Property.leadsTo('Receipt', 'Done');
exports.statuses = Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'] });
exports.chargeOnce = Property.atMost('Charge', 1);
// A run that fails throttled tried four times (MaxAttempts 3).
exports.throttledRetriedThrice = (run) => run.error !== 'Payment.Throttled' || run.retries('Charge') === 3;
exports.neverDeclinedAfterReceipt = Property.precedes('Charge', 'Declined');
exports.withinAMinute = Property.maxSeconds(60);
// Charge: 4 attempts of at most 10 s and waits of 1, 2, 3 s; Receipt: 3 of at most 5 s and waits of 1, 2 s.
exports.within64Seconds = Property.maxSeconds(64);
