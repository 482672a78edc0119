// Properties of the export (CommonJS .js, one module.exports object).
const { Property } = require('stepwright/testing');

module.exports = {
  // A stopped export always pages the owner before it fails.
  failurePages: Property.precedes('Page owner', 'Export failed'),
  exportEnds: Property.leadsTo('Export all', ['Done', 'Page owner']),
  pagedAtMostOnce: Property.atMost('Page owner', 1),
  neverDoneAfterPage: Property.run((run) => !(run.visited('Done') && run.visited('Page owner')), 'a paged export never also succeeds'),
  statuses: Property.endsWith({ statuses: ['SUCCEEDED', 'FAILED'] }),
  // A finished export says how many files it wrote.
  countsFiles: (run) => run.status !== 'SUCCEEDED' || typeof run.outputOf('Export all').files === 'number',
};
