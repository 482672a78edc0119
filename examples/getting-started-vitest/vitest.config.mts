import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The matchers and the snapshot serializer, as jest's setupFilesAfterEnv installs them.
    setupFiles: ['stepwright/testing/setup'],
    // Only for test/snapshot.test.ts, which jest runs as written too (consumer-check compares the snapshots).
    globals: true,
    // The state machine coverage report, its threshold and the cost table, as jest's stepwright reporter gives them.
    reporters: ['default', ['stepwright/testing/vitest-reporter', { outputFile: 'reports/sfn-coverage.json', threshold: { states: 100 } }]],
  },
});
