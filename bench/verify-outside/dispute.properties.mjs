// Properties of the dispute (ES module, the vocabulary as data and functions of the run).
import testing from 'stepwright/testing';
const { Property } = testing;
export const refundOnce = Property.atMost('Refund', 1);
export const scoreBeforeRefund = Property.precedes('Score', 'Refund');
export const neverRefundAndEscalate = (run) => !(run.visited('Refund') && run.visited('Escalate'));
// A refund only for a score of 50 or more.
export const refundOnlyHighScore = (run) => {
  if (!run.visited('Refund')) return true;
  const s = run.outputOf('Score');
  return s !== null && typeof s === 'object' && typeof s.score === 'number' && s.score >= 50;
};
// The Fail's computed Error: Dispute.Fraud only below 20, and its Cause says the score.
export const fraudBelowTwenty = (run) => run.error !== 'Dispute.Fraud' || (/^score -?[0-9.e+-]+$/.test(run.cause) && Number(run.cause.slice(6)) < 20);
// A failure before the decision is escalated: no error of the Parallel escapes but the ones States.ALL leaves.
const named = new Set(['Dispute.Fraud', 'Dispute.Denied', 'Dispute.Escalated', 'States.QueryEvaluationError', 'States.Runtime', 'States.DataLimitExceeded']);
export const errorsNamed = (run) => run.status === 'SUCCEEDED' || run.visited('Refund') || named.has(run.error);
export const denyIsNamed = { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED'] };
