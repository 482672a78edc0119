module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': '@swc/jest' },
  setupFilesAfterEnv: ['stepwright/testing/setup'],
};
