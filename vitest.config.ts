// One test run for every package: `npm test` runs these projects in one vitest process so the
// run ends with one summary.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['servers/*', 'harness', 'docs', 'scripts'],
  },
});
