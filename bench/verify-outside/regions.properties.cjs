// Properties of the regional rollout (CommonJS .cjs, one module.exports object): a Map inside a Parallel.
const { Property } = require('stepwright/testing');
module.exports = {
  reportOnce: Property.atMost('Report', 1),
  rollbackOnce: Property.atMost('Roll back', 1),
  // DNS updated means the rollout goes on to a report or a rollback.
  dnsLeadsToAnEnd: Property.leadsTo('Update DNS', ['Report', 'Roll back']),
  rolledBackAfterRollback: Property.precedes('Roll back', 'Rolled back'),
  neverReportAndRollBack: (run) => !(run.visited('Report') && run.visited('Roll back')),
  // A dry run never touches DNS.
  dryRunNeverUpdatesDns: (run) => {
    const input = run.inputOf('Rollout');
    return !(input !== null && typeof input === 'object' && input.dryRun === true && run.visited('Update DNS'));
  },
  // Whatever fails inside the rollout is rolled back (or the run never got past the Parallel).
  failedIsRolledBack: (run) => run.status === 'SUCCEEDED' || run.visited('Roll back') || run.visited('Report')
    || run.error === 'States.Runtime' || run.error === 'States.DataLimitExceeded',
  // Not a property that holds: a Map over many regions enters many states.
  short: Property.maxTransitions(8),
};
