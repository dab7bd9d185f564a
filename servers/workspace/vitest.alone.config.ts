// The workspace tests whose claim is a latency (no call stalls its instance or a peer: every
// /healthz and peer write answers within 1 s during the largest calls). Another test file's load
// on the same cores is not what they measure, so they run after the rest, one file at a time.
import { defineProject } from 'vitest/config';

export const ALONE = ['test/stall.test.ts'];

export default defineProject({
  test: {
    name: 'workspace-alone',
    include: ALONE,
    isolate: false, // see the root vitest.config.ts
    globalSetup: ['../../scripts/build-for-tests.ts'],
    // A group of its own, after every other project's files have finished, one file at a time.
    sequence: { groupOrder: 1 },
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
