import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The matchers and the snapshot serializer, as jest's setupFilesAfterEnv installs them.
    setupFiles: ['stepwright/testing/setup'],
    // Only for test/snapshot.test.ts, which jest runs as written too (consumer-check compares the snapshots).
    globals: true,
  },
});
