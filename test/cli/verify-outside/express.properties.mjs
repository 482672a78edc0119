// An EXPRESS order check's promises, as an ES module whose only export is default.
export default {
  within5Minutes: { kind: 'maxSeconds', limit: 300 },
  within200: { kind: 'maxTransitions', limit: 200 },
  within4Minutes: { kind: 'maxSeconds', limit: 240 },
  neverHold: { kind: 'never', state: 'Hold' },
  storedFlag: (run) => run.status !== 'SUCCEEDED' || run.output.stored === true,
};
