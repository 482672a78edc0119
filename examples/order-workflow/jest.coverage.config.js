// The example's tests with stepwright's coverage reporter, which prints which
// states, transitions, Choice branches, Catch handlers and retriers the tests
// exercised, with a row per test file (the hand-written ones and the one
// `stepwright explore --write-tests` wrote). Reporters are loaded without jest's
// transform, so this needs the compiled reporter: run `npx projen compile` first.
//   npx jest --config examples/order-workflow/jest.coverage.config.js
const base = require('./jest.config');

module.exports = {
  ...base,
  reporters: [
    'default',
    ['<rootDir>/lib/testing/reporter.js', { outputFile: 'examples/order-workflow/stepwright-coverage.json', byFile: true }],
  ],
};
