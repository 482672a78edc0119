// Properties of the picking Map (CommonJS .js, plain data and a function of the run).
exports.neverPickFailed = { kind: 'never', state: 'Pick failed' };
exports.packAfterLines = { kind: 'precedes', first: 'Lines', then: 'Pack' };
exports.backorderAfterPick = { kind: 'precedes', first: 'Pick', then: 'Backorder' };
exports.pickLeadsToBackorderOrPack = { kind: 'leadsTo', from: 'Validate', to: ['Pack'] };
exports.endsWithKnownErrors = { kind: 'endsWith', errors: ['Pick.Failed'] };
// Each line that was picked was in stock.
exports.pickedOnlyInStock = (run) => {
  const n = run.path.filter((s) => s === 'Pick').length;
  for (let i = 0; i < n; i++) if (!(run.inputOf('Pick', i).qty > 0)) return false;
  return true;
};
