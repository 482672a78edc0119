// Properties of the quote fan-out (ES module, named exports): a Parallel inside each Map iteration.
export const sendOnce = { kind: 'atMost', state: 'Send quote', times: 1 };
export const sendAfterQuote = { kind: 'precedes', first: 'Quote', then: 'Send quote' };
// Inside one iteration, the lookup comes first: a state of an iteration is never entered before it.
export const lookupBeforeUnavailable = { kind: 'precedes', first: 'Lookup', then: 'Unavailable' };
export const failedNeverSent = (run) => !(run.visited('Quote failed') && run.visited('Send quote'));
// An item is priced only when its stock lookup said available: true.
export const neverPricedWithoutStock = (run) => run.status !== 'SUCCEEDED'
  || run.output.quotes.every((q) => (q !== null && typeof q === 'object' && q.available === false && !('lookup' in q))
    || (Array.isArray(q.lookup) && q.lookup[1].available === true));
// Every error inside the Map is caught by its Catch, except the ones States.ALL does not take.
export const mapErrorsCaught = (run) => run.status === 'SUCCEEDED' || run.error === 'Quote.Failed' || run.visited('Send quote')
  || run.error === 'States.Runtime' || run.error === 'States.DataLimitExceeded';
export const stockTriedAtMostThricePerItem = (run) => run.attempts('Stock').length <= 3 * run.path.filter((s) => s === 'Stock').length;
