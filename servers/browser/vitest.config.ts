import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'browser',
    include: ['test/**/*.test.ts'],
    // Each file starts its own Chromium; one file at a time keeps a 2-core CI machine responsive.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
