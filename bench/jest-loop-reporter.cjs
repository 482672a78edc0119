// bench/jest-loop.mjs's reporter: writes when the first file's result arrived and how long that file
// took, and prints one line of totals.
const fs = require('node:fs');

class JestLoopReporter {
  onTestResult(_test, result) {
    const file = process.env.JEST_LOOP_FIRST;
    // The first file's own time (jest's start of the file to its end) besides when its result came.
    if (file && !fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify({ at: Date.now(), fileMs: result.perfStats.end - result.perfStats.start }));
    // Every file's own time, one a line (`overhead` takes their median).
    const each = process.env.JEST_LOOP_EACH;
    if (each) fs.appendFileSync(each, `${result.perfStats.end - result.perfStats.start}\n`);
  }

  onRunComplete(_contexts, r) {
    process.stdout.write(`RESULT files ${r.numTotalTestSuites} (${r.numFailedTestSuites} failed), tests ${r.numPassedTests} passed, ${r.numFailedTests} failed\n`);
  }
}

module.exports = JestLoopReporter;
