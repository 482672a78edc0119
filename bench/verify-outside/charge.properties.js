// Properties of the card charge (CommonJS .js, exports.name), functions reading attempts.
const { Property } = require('stepwright/testing');
const lastAttempt = (run) => { const a = run.attempts('Charge'); return a[a.length - 1]; };
exports.declinedNeverRetried = (run) => run.error !== 'Card.Declined' || run.attempts('Charge').length === 1;
// On an object input: any other input fails the Catch's own ResultPath ($.error), which ends the run there.
const objectInput = (run) => { const i = run.inputOf('Charge'); return i !== null && typeof i === 'object' && !Array.isArray(i); };
exports.declinedEndsDeclined = (run) => { const a = lastAttempt(run); return !objectInput(run) || !a || a.error !== 'Card.Declined' || run.error === 'Card.Declined'; };
exports.expiredAsksNewCard = (run) => { const a = lastAttempt(run); return !objectInput(run) || !a || a.error !== 'Card.Expired' || run.visited('Ask new card'); };
// Not a property that holds: the input 0 fails the Catch's ResultPath after a declined charge.
exports.declinedAlwaysEndsDeclined = (run) => { const a = lastAttempt(run); return !a || a.error !== 'Card.Declined' || run.error === 'Card.Declined'; };
// A card is asked for again only after three attempts: the States.ALL retrier's two retries.
exports.newCardAfterThreeAttempts = (run) => !run.visited('Ask new card') || run.attempts('Charge').length === 3;
exports.chargeAttemptsAtMostThree = (run) => run.attempts('Charge').length <= 3;
exports.receiptOnce = Property.atMost('Receipt', 1);
exports.receiptAfterCharge = Property.precedes('Charge', 'Receipt');
exports.neverDeclinedAndAsked = Property.run((run) => !(run.visited('Declined') && run.visited('Ask new card')), 'declined and asked exclude each other');
// Three 10 s attempts, 2 s between them, then one 10 s Task: 44 s.
exports.within44Seconds = Property.maxSeconds(44);
// Not a property that holds: an answer without a receipt fails the ResultSelector (States.Runtime).
exports.chargeLeadsOn = Property.leadsTo('Charge', ['Receipt', 'Declined', 'Ask new card', 'Charge failed']);
