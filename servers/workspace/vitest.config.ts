import { defineProject } from 'vitest/config';
import { ALONE } from './vitest.alone.config.js';

export default defineProject({
  test: {
    name: 'workspace',
    include: ['test/**/*.test.ts'],
    isolate: false, // see the root vitest.config.ts
    exclude: ALONE,
    // Process tests start the built bundles: build what changed first.
    globalSetup: ['../../scripts/build-for-tests.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
