// A JSONata loan decision's promises, as an ES module of named exports: functions of the run that
// read its variables (run.variables), and path properties as data.
export const approvedScoreAtLeast600 = (run) => run.status !== 'SUCCEEDED' || run.variables.score >= 600;
export const reviewedWhenBelow700 = (run) => run.status !== 'SUCCEEDED' || run.variables.score >= 700 || run.variables.reviewed === true;
export const neverReviewed = (run) => run.variables.reviewed !== true;
export const declineEnds = { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED'], errors: ['Loan.Declined'] };
export const reviewBeforeDecline = { kind: 'precedes', first: 'Manual review', then: 'Decline' };
