// @ts-check
// `npm test`: installs and builds if needed, type-checks and lints, then runs every package's
// tests in one vitest run, and ends with one plain summary line ("N passed, N failed") for CI.
// Where PostgreSQL's server binaries are installed, it starts a throwaway server of its own for
// the run, so the store tests run against PostgreSQL as well as SQLite (TEST_DATABASE_URL names
// one to use instead); without them it says the PostgreSQL variants did not run.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ensureSetup, root } from './setup.mjs';

process.env.TURBO_TELEMETRY_DISABLED = '1';

ensureSetup();
/** @param {string} name */
const bin = (name) => join(root, 'node_modules', '.bin', name);
/** @param {string} label @param {string} command @param {string[]} args */
const step = (label, command, args) => {
  console.log(`\n> ${label}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status === 0;
};

const checks = [
  ['typecheck', step('typecheck', bin('turbo'), ['run', 'typecheck', '--output-logs=errors-only'])],
  ['lint', step('lint', bin('turbo'), ['run', 'lint', '--output-logs=errors-only'])],
  // --cache: a file prettier checked before is checked again only when its content changed.
  ['format', step('format', bin('prettier'), ['--check', '--cache', '--log-level=warn', '.'])],
];
const postgres = await startTestPostgres();
const report = join(tmpdir(), `vitest-${process.pid}.json`);
step('tests', bin('vitest'), [
  'run',
  ...process.argv.slice(2),
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);

postgres?.stop();

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + suitesThatFailedToRun(results);
  skipped = results.numPendingTests + results.numTodoTests;
  rmSync(report, { force: true });
} catch {
  failed += 1;
  console.error('vitest wrote no report: the test run itself failed');
}
const failedChecks = checks.filter(([, ok]) => !ok).map(([name]) => name);
failed += failedChecks.length;
if (failedChecks.length) console.log(`\nfailed checks (one failure each): ${failedChecks.join(', ')}`);
if (!process.env.TEST_DATABASE_URL) {
  console.log(
    '\nPostgreSQL server binaries not found (apt-get install postgresql): the store tests ran on SQLite only.',
  );
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);

/**
 * A file that failed to load (or whose hooks failed) has no failed test to count it by.
 * @param {{ testResults: Array<{ status: string, assertionResults: Array<{ status: string }> }> }} results
 */
function suitesThatFailedToRun(results) {
  return results.testResults.filter(
    (suite) => suite.status === 'failed' && !suite.assertionResults.some((t) => t.status === 'failed'),
  ).length;
}

/** A PostgreSQL of our own for the run, when none is named and the server binaries exist. */
async function startTestPostgres() {
  if (process.env.TEST_DATABASE_URL) return undefined;
  const { findPostgresBinaries, startPostgresCluster } = await import('@sessionless/kit/testing');
  if (!findPostgresBinaries()) return undefined;
  console.log('\n> PostgreSQL for the store tests');
  const cluster = await startPostgresCluster();
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => {
      cluster.stop();
      process.exit(130);
    });
  }
  process.env.TEST_DATABASE_URL = cluster.url;
  console.log(`a throwaway server at ${cluster.url}, removed after the run`);
  return cluster;
}
