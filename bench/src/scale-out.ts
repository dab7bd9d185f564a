/**
 * `npm run bench [-- scale options]`: the whole benchmark on this machine, in a few minutes: the
 * re-fetch sweep (both client policies), then `sessionless-harness scale` (K = 1 and 2 behind every
 * routing, the baselines, failover, the store ceiling), writing reports/sweep.json and
 * reports/scale.{json,md,html}. Options after "--" go to `scale`; the exit status is the scale run's.
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
say(`\nReports: ${join('reports', 'scale.html')} (open in a browser), scale.md, scale.json, sweep.json`);
process.exit(sweep === 0 ? status : 1);
