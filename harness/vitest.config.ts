import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'harness',
    include: ['test/**/*.test.ts'],
    isolate: false, // see the root vitest.config.ts
    // Process tests start the built bundles: build what changed first.
    globalSetup: ['../scripts/build-for-tests.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
