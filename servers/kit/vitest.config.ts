import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'kit',
    include: ['test/**/*.test.ts'],
    isolate: false, // see the root vitest.config.ts
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
