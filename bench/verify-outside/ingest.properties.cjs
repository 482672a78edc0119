// Properties of the ingest Map (CommonJS .cjs): plain objects of the vocabulary and functions of the run.
exports.storeAfterTransform = { kind: 'precedes', first: 'Transform', then: 'Store' };
exports.quarantineAfterTransform = { kind: 'precedes', first: 'Transform', then: 'Quarantine' };
// A record that was stored reaches the report or stops the batch: nothing is stored silently.
exports.storedIsReportedOrFails = { kind: 'leadsTo', from: 'Store', to: ['Report', 'Ingest failed'] };
exports.reportOnce = { kind: 'atMost', state: 'Report', times: 1 };
exports.neverReportAndFail = (run) => !(run.visited('Report') && run.visited('Ingest failed'));
// Every record the Map stored was transformed first, and got its row from the transform.
exports.storedRowsTransformed = (run) => {
  const n = run.path.filter((s) => s === 'Store').length;
  for (let i = 0; i < n; i++) if (!('transformed' in run.inputOf('Store', i))) return false;
  return true;
};
// The batch fails with the error the Map gave, never an empty one.
exports.failureNamed = (run) => !run.visited('Ingest failed') || (typeof run.error === 'string' && run.error.length > 0);
