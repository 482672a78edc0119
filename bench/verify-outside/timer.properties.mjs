// Properties of the timed reservation (ES module whose only export is default).
export default {
  withinTenMinutes: { kind: 'maxSeconds', limit: 600 },
  // Not a property that holds: the cool-down is as long as the reservation says.
  withinFiveMinutes: { kind: 'maxSeconds', limit: 300 },
  holdFirst: { kind: 'precedes', first: 'Hold', then: 'Reserve' },
  confirmOnce: { kind: 'atMost', state: 'Confirm', times: 1 },
  ends: { kind: 'endsWith', statuses: ['SUCCEEDED', 'FAILED', 'TIMED_OUT'] },
  // On the virtual clock, the first reservation starts a minute in.
  reserveAfterAMinute: (run) => { const a = run.attempts('Reserve'); return a.length === 0 || a[0].secondsSinceStart >= 60; },
  // A reservation released for timing out was tried three times.
  timeoutsRetried: (run) => {
    const a = run.attempts('Reserve');
    const last = a[a.length - 1];
    return !run.visited('Released') || !last || last.error !== 'States.Timeout' || a.length === 3;
  },
  releasedNeverConfirmed: (run) => !(run.visited('Released') && run.visited('Confirm')),
};
