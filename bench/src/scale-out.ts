/**
 * `npm run bench [-- scale options]`: the whole benchmark on this machine: the re-fetch sweep
 * (every client policy), `sessionless-harness scale` (K = 1 and 2 behind every routing, the
 * baselines, failover, the store ceiling), then what one call costs: `bench` (every target on a
 * core of its own), the cart add profiled on both serving paths, and each server's start-up.
 * Writes reports/sweep.json, reports/scale.{json,md,html}, reports/bench.{json,md},
 * reports/bench-profile.json and reports/startup.{json,md}. Options after "--" go to `scale`
 * (`--quick` shortens every part); the exit status is 1 when any part failed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const reports = join(root, 'reports');
mkdirSync(reports, { recursive: true });
const cli = join(root, 'harness', 'dist', 'cli.js');
const extra = process.argv.slice(2);
const quick = extra.includes('--quick');

const harness = (args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;
const say = (line: string) => void process.stdout.write(`${line}\n`);

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
  '--json',
  join(reports, 'scale.json'),
  '--markdown',
  join(reports, 'scale.md'),
  '--html',
  join(reports, 'scale.html'),
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
say(
  `\nReports in reports/: scale.html (open in a browser), scale.md, scale.json, sweep.json, bench.md, bench.json, ` +
    'bench-profile.json, startup.md, startup.json',
);
process.exit([sweep, status, bench, profile, startup].every((code) => code === 0) ? 0 : 1);
