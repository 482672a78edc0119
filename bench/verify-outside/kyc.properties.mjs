// Properties of the KYC check: an ES module whose only export is default.
import { Property } from 'stepwright/testing';

export default {
  neverApproveAndReject: Property.run((run) => !(run.visited('Approve') && run.visited('Reject')), 'approve and reject exclude each other'),
  approveAfterScore: Property.precedes('Score', 'Approve'),
  decideOnce: Property.atMost('Decide', 1),
  reviewOnce: Property.atMost('Manual review', 1),
  // A listed customer is never approved, whatever the score.
  listedNeverApproved: (run) => !run.visited('Approve') || run.inputOf('Approve').score.listed === false,
  // An approval needs a score of 70.
  approvedScoresSeventy: (run) => !run.visited('Approve') || run.inputOf('Approve').score.total >= 70,
  // A failed check is reviewed, never decided.
  failedCheckReviewed: Property.leadsTo('Checks', ['Score', 'Manual review']),
  // Both branches' states count: Checks, Identity, Sanctions, Score, Decide, Manual review, Pending.
  short: Property.maxTransitions(7),
  // A check's own error never fails the run: it goes to review (only the language's States.* errors can escape).
  checkErrorsNeverEscape: (run) => run.status !== 'FAILED' || run.error === 'Kyc.Rejected' || run.error.startsWith('States.') || run.visited('Manual review'),
};
