// Properties of the credit decision, as an ES module: the vocabulary as data, and functions of the run.
export const neverApproveAndDecline = { kind: 'atMost', state: 'Approve', times: 1 };
export const decideAfterEnrich = { kind: 'precedes', first: 'Enrich', then: 'Decide' };
export const approveOnlyAfterDecide = { kind: 'precedes', first: 'Decide', then: 'Approve' };
export const flaggedGoesToReview = { kind: 'leadsTo', from: 'Flag', to: ['Manual review'] };
export const fraudBeforeFlag = { kind: 'precedes', first: 'Fraud', then: 'Flag' };
export const endsDeclinedOrWell = { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED'], errors: ['Credit.Declined', 'States.QueryEvaluationError'] };
// Never approved when the fraud check flagged it.
export const flaggedNeverApproved = (run) => !(run.visited('Flag') && run.visited('Approve'));
export const bounded = { kind: 'maxTransitions', limit: 9 };
