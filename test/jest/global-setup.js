// Gives the whole test run one scratch folder as TMPDIR, which global-teardown.js removes.
// Every `new App()` of aws-cdk-lib makes a cdk.out* folder in the temp dir at construction,
// synthesized or not, and tests create hundreds of them: this keeps a run from leaving them
// behind, whatever a test forgets. (The harness cleans up its own synths for users: see
// src/workbench/template/synth-output.ts.) Workers are started after this runs, so they inherit TMPDIR.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
  // A deprecated aws-cdk-lib API (a retired Lambda runtime's props, a renamed prop) throws instead
  // of printing a warning no one reads: the tests and the guides' examples stay on current APIs.
  process.env.JSII_DEPRECATED = 'fail';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwright-test-'));
  process.env.STEPWRIGHT_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
  // A worker thread a test starts from the sources (src/workbench/commands/worker-jobs.ts's fromSources)
  // loads them through register-ts.js, which compiles each once for the whole run, not once per thread.
  process.env.STEPWRIGHT_TS_REGISTER = path.join(__dirname, '..', 'server', 'fixtures', 'register-ts.js');
};
