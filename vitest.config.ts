// One test run for every package: `npm test` runs these projects in one vitest process so the
// run ends with one summary.
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/** Before vitest has timed a run (a fresh clone): the projects whose files start processes and wait on them first. */
const SLOW_PROJECTS = ['harness', 'browser'];

/**
 * Longest files first, across projects, so the workers finish together instead of one waiting on
 * a long file that started last: by the last run's durations once vitest has them, before that
 * the slow projects first and larger files first.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (f: TestSpecification) => `${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`;
    const timed = files.map((f) => ({ f, ms: this.ctx.cache.getFileTestResults(key(f))?.duration }));
    if (timed.every((t) => t.ms !== undefined)) return timed.sort((a, b) => b.ms! - a.ms!).map((t) => t.f);
    const rank = (f: TestSpecification) => {
      const i = SLOW_PROJECTS.indexOf(f.project.name);
      return i === -1 ? SLOW_PROJECTS.length : i;
    };
    const size = (f: TestSpecification) => this.ctx.cache.getFileStats(key(f))?.size ?? 0;
    return [...files].sort((a, b) => rank(a) - rank(b) || size(b) - size(a));
  }
}

export default defineConfig({
  test: {
    // Most files start processes (servers, Chromium, PostgreSQL, nginx) and wait on them, so even
    // on 2 cores two files run at a time: vitest's default there (cores - 1) ran them one by one
    // (356-386 s on this project's 2-core machine). Two, not three: three took no less time in
    // this machine's runs (it is busy 98% of the run either way) and loads each file more.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongestFirst },
    // Every project also sets `isolate: false` (a project does not inherit it from here): a
    // worker runs file after file with the modules it has already loaded (the SDK, zod,
    // Playwright, vitest itself). Loading them again for every file was a tenth of the suite's
    // CPU. No test mocks a module or changes a global, so a file does not see another's state.
    // The tests whose claim is a latency under the test's own load run at the end, one at a
    // time, with nothing else running (servers/workspace/vitest.alone.config.ts).
    projects: ['servers/*', 'servers/workspace/vitest.alone.config.ts', 'harness', 'docs', 'scripts'],
  },
});
