// jest's sequencer with the longest files first (RUN_FIRST in .projenrc.ts, written to
// run-first.json beside this file): jest orders a run by the times it kept from the last run, and by
// file size where it kept none, as on CI's fresh machine, which left a 40-second file to run alone
// at the end. The listed files go first, in the list's order; every other file follows in jest's
// own order. Each file runs once: the sort only reorders what jest found.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const { files } = require('./run-first.json');

const rank = new Map(files.map((file, i) => [file, i]));

/** The test file's path from the project's root, with forward slashes (as the list writes it). */
function relative(test) {
  return path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/');
}

class LongestFirst extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const first = [];
    const rest = [];
    for (const test of ordered) (rank.has(relative(test)) ? first : rest).push(test);
    first.sort((a, b) => rank.get(relative(a)) - rank.get(relative(b)));
    return [...first, ...rest];
  }
}

module.exports = LongestFirst;
