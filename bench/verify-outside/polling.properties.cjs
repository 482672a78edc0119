// Properties of the polling loop (CommonJS .cjs).
const { Property } = require('stepwright/testing');
exports.checksAtMostFive = Property.atMost('Check', 5);
exports.waitsBeforeCheck = Property.precedes('Wait', 'Check');
exports.submitFirst = Property.precedes('Submit', 'Check');
exports.neverGiveUpEarly = (run) => !run.visited('Gave up') || run.path.filter((s) => s === 'Check').length === 5;
exports.endsKnown = Property.endsWith({ errors: ['Job.Failed', 'Job.TimedOut', 'States.Runtime'] });
exports.withinTenMinutes = Property.maxSeconds(600);
// A Check that fails the job was tried three times first (its Retry: two more attempts).
exports.checkRetriedBeforeFailing = (run) => {
  const i = run.path.lastIndexOf('Check');
  return i < 0 || run.path[i + 1] !== 'Job failed' || run.retries('Check') >= 2;
};
