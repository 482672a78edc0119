// Properties of the payout: an ES module with named exports, as plain objects and functions of the run.
export const transferOnce = { kind: 'atMost', state: 'Transfer', times: 1 };
export const notifyOnlyAfterTransfer = { kind: 'precedes', first: 'Transfer', then: 'Notify' };
export const paidIsNotified = { kind: 'leadsTo', from: 'Transfer', to: ['Paid', 'Transfer failed'] };
export const statuses = { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED'] };
export const short = { kind: 'maxTransitions', limit: 5 };
// Nothing above 10,000 net is ever transferred.
export const bigPayoutsHeld = (run) => !run.visited('Transfer') || run.taskCalls('Transfer').every((c) => c.amount <= 10000);
// Nothing is transferred that is not positive.
export const onlyPositive = (run) => !run.visited('Transfer') || run.taskCalls('Transfer').every((c) => c.amount > 0);
// A transfer the bank throttles is tried six times before it fails.
export const throttledTriedSix = (run) => {
  if (!run.visited('Transfer failed')) return true;
  const a = run.attempts('Transfer');
  return a[a.length - 1].error !== 'Bank.Throttled' || a.length >= 6;
};
// Every failure is a payout's own error.
export const payoutErrors = (run) => run.status !== 'FAILED' || run.error.startsWith('Payout.');
