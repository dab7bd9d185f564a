// One test run for every package: `npm test` runs these projects in one vitest process so the
// run ends with one summary.
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/** Before vitest has timed a run (a fresh clone): the projects whose files start processes and wait on them first. */
const SLOW_PROJECTS = ['harness', 'browser'];

/**
 * One project's files after another, the longest project first and its longest files first. A
 * worker goes on to the next file with the modules it has loaded only within one project (each
 * project has its own configuration), so files of different projects in turn cost a new worker
 * each time: over the non-process projects that was 26 workers instead of 11 and a sixth more
 * CPU. Longest first, so the workers finish together instead of one waiting on a long file that
 * started last. By the last run's durations once vitest has them; before that (a fresh clone),
 * the slow projects first and larger files first.
 */
class LongestProjectsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (f: TestSpecification) => `${f.project.name}:${relative(this.ctx.config.root, f.moduleId)}`;
    const timed = files.every((f) => this.ctx.cache.getFileTestResults(key(f))?.duration !== undefined);
    const weight = (f: TestSpecification) =>
      (timed ? this.ctx.cache.getFileTestResults(key(f))?.duration : this.ctx.cache.getFileStats(key(f))?.size) ?? 0;
    const rank = (f: TestSpecification) => {
      const i = timed ? 0 : SLOW_PROJECTS.indexOf(f.project.name);
      return i === -1 ? SLOW_PROJECTS.length : i;
    };
    const projects = new Map<string, number>();
    for (const f of files) projects.set(f.project.name, (projects.get(f.project.name) ?? 0) + weight(f));
    const project = (f: TestSpecification) => projects.get(f.project.name)!;
    return [...files].sort(
      (a, b) =>
        rank(a) - rank(b) ||
        project(b) - project(a) ||
        a.project.name.localeCompare(b.project.name) ||
        weight(b) - weight(a),
    );
  }
}

export default defineConfig({
  test: {
    // Most files start processes (servers, Chromium, PostgreSQL, nginx) and wait on them, so even
    // on 2 cores two files run at a time: vitest's default there (cores - 1) ran them one by one
    // (356-386 s on this project's 2-core machine). Two, not three: three took no less time in
    // this machine's runs (it is busy 98% of the run either way) and loads each file more.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongestProjectsFirst },
    // Every project also sets `isolate: false` (a project does not inherit it from here): a
    // worker runs file after file with the modules it has already loaded (the SDK, zod,
    // Playwright, vitest itself). Loading them again for every file was a tenth of the suite's
    // CPU. No test mocks a module or changes a global, so a file does not see another's state.
    // The tests whose claim is a latency under the test's own load run at the end, one at a
    // time, with nothing else running (servers/workspace/vitest.alone.config.ts).
    projects: ['servers/*', 'servers/workspace/vitest.alone.config.ts', 'harness', 'docs', 'scripts'],
  },
});
