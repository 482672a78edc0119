// An order Saga's promises, written by a judge outside verify's tests, as a CommonJS module
// (module.exports = { … }) of path properties as data and functions of the run.
module.exports = {
  // A charge ends in shipping or in a compensation: broken by a Charge answer its ResultSelector
  // cannot read, which fails the run with States.Runtime, past every Catch.
  chargeLeadsToShipOrRefund: { kind: 'leadsTo', from: 'Charge', to: ['Done', 'Refund', 'Release'] },
  reserveBeforeRelease: { kind: 'precedes', first: 'Reserve', then: 'Release' },
  chargeOnce: { kind: 'atMost', state: 'Charge', times: 1 },
  neverRefund: { kind: 'never', state: 'Refund' },
  endsCleanly: { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED'], errors: ['Order.Failed'] },
  succeededHasCharge: (run) => run.status !== 'SUCCEEDED' || 'chargeId' in run.output.charge,
  refundAttempts: (run) => run.attempts('Refund').length <= 4,
  neverTwoAttempts: (run) => run.attempts('Reserve').length < 2,
};
