// Properties of the approval, as an ES module with named exports.
import { Property } from 'stepwright/testing';
export const answered = Property.leadsTo('Ask approval', ['Fulfil', 'Rejected', 'Escalate']);
export const fulfilOnlyAfterDecision = Property.precedes('Approved?', 'Fulfil');
export const fulfilOnce = Property.atMost('Fulfil', 1);
export const neverEscalateAndFulfil = Property.run((run) => !(run.visited('Escalate') && run.visited('Fulfil')), 'escalated orders are not fulfilled');
// Fulfilled only on an explicit approval.
export const fulfilledOnlyWhenApproved = (run) => !run.visited('Fulfil') || run.outputOf('Ask approval') !== undefined && run.inputOf('Fulfil') !== undefined && JSON.stringify(run.taskCalls('Ask approval')).length > 0 && run.path.indexOf('Approved?') < run.path.indexOf('Fulfil') && approved(run);
function approved(run) {
  const events = run.eventsOf('Ask approval');
  const done = events.find((e) => e.type === 'TaskSucceeded');
  const out = done && JSON.parse(done.taskSucceededEventDetails.output);
  return out && out.decision === 'approve';
}
export const short = Property.maxTransitions(4);
