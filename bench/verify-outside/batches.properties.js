// Properties of the batch sender (CommonJS .js, one module.exports object): a Choice loop on a variable counter.
const { Property } = require('stepwright/testing');
module.exports = {
  sendAtMostFour: Property.atMost('Send batch', 4),
  pauseLeadsToSend: Property.leadsTo('Pause', ['Send batch']),
  // Start, four turns of Send batch, More? (three with a Pause), and an end: 13 states.
  bounded: Property.maxTransitions(13),
  tooManyOnlyAfterFour: (run) => !run.visited('Too many turns') || run.path.filter((s) => s === 'Send batch').length === 4,
  doneCountsTurns: (run) => run.status !== 'SUCCEEDED' || run.output.partial === true
    || (Number.isInteger(run.output.turns) && run.output.turns >= 1 && run.output.turns <= 4),
  // A batch given up on for throttling was tried four times (its Retry: three more).
  throttledRetried: (run) => {
    const a = run.attempts('Send batch');
    const last = a[a.length - 1];
    return !run.visited('Partial') || !last || last.error !== 'Send.Throttled' || a.filter((x) => x.visit === last.visit).length === 4;
  },
  sentIsANumber: (run) => run.status !== 'SUCCEEDED' || typeof run.output.sent === 'number',
  ends: Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'], errors: ['Send.TooManyTurns', 'States.QueryEvaluationError', 'States.Runtime'] }),
};
