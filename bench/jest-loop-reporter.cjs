// bench/jest-loop.mjs's reporter: writes when the first file's result arrived, and one line of totals.
const fs = require('node:fs');

class JestLoopReporter {
  onTestResult() {
    const file = process.env.JEST_LOOP_FIRST;
    if (file && !fs.existsSync(file)) fs.writeFileSync(file, String(Date.now()));
  }

  onRunComplete(_contexts, r) {
    process.stdout.write(`RESULT files ${r.numTotalTestSuites} (${r.numFailedTestSuites} failed), tests ${r.numPassedTests} passed, ${r.numFailedTests} failed\n`);
  }
}

module.exports = JestLoopReporter;
