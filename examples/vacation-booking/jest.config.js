// Runs the example's tests against stepwright's sources: 'stepwright' and
// 'stepwright/testing' are mapped to src/, as a user's project resolves them to
// the installed package.  npx jest --config examples/vacation-booking/jest.config.js
const path = require('path');

module.exports = {
  rootDir: path.join(__dirname, '..', '..'),
  roots: ['<rootDir>/examples/vacation-booking'],
  testMatch: ['<rootDir>/examples/vacation-booking/test/**/*.test.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  moduleNameMapper: {
    '^stepwright$': '<rootDir>/src/index.ts',
    '^stepwright/testing$': '<rootDir>/src/testing/index.ts',
    '^stepwright/testing/setup$': '<rootDir>/src/testing/setup.ts',
  },
  // A user writes 'stepwright/testing/setup' here; jest resolves setup files
  // without moduleNameMapper, so the source path stands in for it.
  setupFilesAfterEnv: ['<rootDir>/src/testing/setup.ts'],
  // A changed snapshot must fail, never be rewritten silently; update with -u on purpose.
  ci: true,
  // As in the main suite: jest's 5 s default fails a CDK test on a loaded machine (CI runs this too).
  testTimeout: 60_000,
};
