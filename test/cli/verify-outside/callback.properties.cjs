exports.remindsAtMostTwice = { kind: 'atMost', state: 'Remind', times: 2 };
exports.remindsOnce = { kind: 'atMost', state: 'Remind', times: 1 };
exports.knownEnds = { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED'], errors: ['Approval.Escalated', 'Approval.Rejected'] };
exports.approvedOnlyWhenTrue = (run) => !run.path.includes('Approved') || run.output.decision.approved === true;
exports.withinThreeDays = { kind: 'maxSeconds', limit: 3 * 86400 };
exports.withinADay = { kind: 'maxSeconds', limit: 86400 };
