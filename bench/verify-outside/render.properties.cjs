// Properties of the render poller (CommonJS .cjs).
const { Property } = require('stepwright/testing');
exports.pollsAtMostFour = Property.atMost('Poll', 4);
exports.waitsBeforePolling = Property.precedes('Wait', 'Poll');
exports.startedFirst = Property.precedes('Start job', 'Wait');
exports.errors = Property.endsWith({ errors: ['Render.Failed', 'Render.TimedOut'] });
exports.pollLeadsToAnEnd = Property.leadsTo('Poll', ['Publish', 'Render failed', 'Timed out', 'Wait']);
// Gives up only after the fourth poll.
exports.neverGiveUpEarly = (run) => !run.visited('Timed out') || run.path.filter((s) => s === 'Poll').length === 4;
// A published render reports how many polls it took, 1 to 4.
exports.publishedPolls = (run) => !run.visited('Publish') || (run.output.polls >= 1 && run.output.polls <= 4);
// A poll that fails the render on a throttled status service was tried four times on that visit (its Retry: three more).
exports.throttledPollRetried = (run) => {
  const i = run.path.lastIndexOf('Poll');
  if (i < 0 || run.path[i + 1] !== 'Render failed') return true;
  const attempts = run.attempts('Poll');
  const visit = attempts[attempts.length - 1].visit;
  const mine = attempts.filter((a) => a.visit === visit);
  return mine[mine.length - 1].error !== 'Lambda.TooManyRequestsException' || mine.length >= 4;
};
