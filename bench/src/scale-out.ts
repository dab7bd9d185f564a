/**
 * `npm run bench [-- scale options]`: the whole benchmark on this machine: the re-fetch sweep
 * (every client policy), `sessionless-harness scale` (K = 1 and 2 behind every routing, the
 * baselines, failover, the store ceiling), then what one call costs: `bench` (every target on a
 * core of its own), the cart add profiled on both serving paths, and each server's start-up; then
 * beyond one host: SQLite and PostgreSQL side by side, the PostgreSQL instances spread over two
 * simulated hosts (as root) with one killed and the database restarted, and the two PostgreSQL
 * clients (`pg`, `postgres`) on the cart's add. Writes reports/sweep.json,
 * reports/scale.{json,md,html}, reports/bench.{json,md}, reports/bench-profile.json,
 * reports/startup.{json,md}, reports/scale-hosts.{json,md,html} and reports/pg-clients.json.
 * Options after "--" go to the first `scale` (`--quick` shortens every part); the exit status is 1
 * when any part failed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostsProblem } from '@sessionless/harness';
import { findPostgresBinaries } from '@sessionless/kit/testing';

const root = fileURLToPath(new URL('../../', import.meta.url));
const reports = join(root, 'reports');
mkdirSync(reports, { recursive: true });
const cli = join(root, 'harness', 'dist', 'cli.js');
const extra = process.argv.slice(2);
const quick = extra.includes('--quick');

const harness = (args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;
const say = (line: string) => void process.stdout.write(`${line}\n`);
const written = (name: string) =>
  ['json', 'markdown', 'html'].flatMap((kind) => [
    `--${kind}`,
    join(reports, `${name}.${kind === 'markdown' ? 'md' : kind}`),
  ]);

say('\n== re-fetches vs subagents (sessionless-harness sweep)');
const sweepFile = join(reports, 'sweep.json');
const sweep = harness([
  'sweep',
  'shopping-team',
  '--subagents',
  quick ? '1,2,4' : '1,2,4,8',
  '--json',
  sweepFile,
  '--quiet',
]);
if (sweep === 2) process.exit(2);

say('\n== scale-out (sessionless-harness scale)');
const status = harness([
  'scale',
  'shopping-team',
  ...(extra.includes('--kill-one-at') || quick ? [] : ['--kill-one-at', '2.5']),
  ...(sweep === 0 ? ['--sweep', sweepFile] : []),
  ...written('scale'),
  ...extra,
]);
const timing = quick ? ['--quick'] : ['--seconds', '8', '--warmup', '5', '--repeats', '3'];
say('\n== what one call costs, per core (sessionless-harness bench)');
const bench = harness([
  'bench',
  ...timing,
  '--json',
  join(reports, 'bench.json'),
  '--markdown',
  join(reports, 'bench.md'),
]);
say('\n== where a cart add spends its CPU, on both serving paths (sessionless-harness bench --profile)');
const profile = harness([
  'bench',
  '--target',
  'cart_add_item,cart_add_item@sdk',
  ...timing,
  '--profile',
  join(reports, 'profiles'),
  '--json',
  join(reports, 'bench-profile.json'),
]);
say('\n== start-up (sessionless-harness startup)');
const startup = harness([
  'startup',
  ...(quick ? ['--quick'] : []),
  '--json',
  join(reports, 'startup.json'),
  '--markdown',
  join(reports, 'startup.md'),
]);

// Beyond one host: the same load generator against both stores; simulated hosts where root may make them.
let beyond = 0;
if (!findPostgresBinaries()) {
  say('\n== beyond one host: skipped, PostgreSQL server binaries are not installed (apt-get install postgresql)');
} else {
  const problem = hostsProblem();
  const hosts = problem ? [] : ['--hosts', '2'];
  say(`\n== beyond one host (sessionless-harness scale --store sqlite,postgres ${hosts.join(' ')})`);
  if (problem) say(`on one host: ${problem}`);
  beyond = harness([
    'scale',
    'shopping-team',
    '--store',
    'sqlite,postgres',
    ...hosts,
    ...(quick ? ['--quick'] : ['--kill-one-at', '2.5', '--restart-database-at', '2.5']),
    '--skip-baselines',
    ...written('scale-hosts'),
  ]);
  say('\n== which PostgreSQL client: pg against postgres 3.4.x on the cart add (bench/src/pg-clients.ts)');
  const clients = spawnSync(
    process.execPath,
    [
      join(root, 'bench', 'dist', 'pg-clients.js'),
      ...(quick ? ['--seconds', '2', '--rounds', '1'] : ['--seconds', '3', '--rounds', '2']),
      '--json',
      join(reports, 'pg-clients.json'),
    ],
    { cwd: root, stdio: 'inherit' },
  ).status;
  if (clients !== 0) beyond ||= 1;
}
say(
  `\nReports in reports/: scale.html and scale-hosts.html (open in a browser), scale.md, scale.json, ` +
    'scale-hosts.md, scale-hosts.json, sweep.json, bench.md, bench.json, bench-profile.json, startup.md, ' +
    'startup.json, pg-clients.json',
);
process.exit([sweep, status, bench, profile, startup, beyond].every((code) => code === 0) ? 0 : 1);
