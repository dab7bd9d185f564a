import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cart',
    include: ['test/**/*.test.ts'],
    isolate: false, // see the root vitest.config.ts
    // Process tests start the built bundles: build what changed first.
    globalSetup: ['../../scripts/build-for-tests.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
