#!/usr/bin/env node
// `npm run bench [-- scale options]`: the whole benchmark on this machine, in a few minutes.
// Installs and builds if needed, runs the re-fetch sweep (1-8 subagents, both client policies),
// then the scale-out run (K = 1 and 2 behind every routing, the baselines, failover, the store
// ceiling), and writes reports/sweep.json and reports/scale.{json,md,html}. Options after "--"
// go to `sessionless-harness scale` (e.g. --quick, --routing round-robin, --instances 1,2,3).
// Not part of `npm test`: it wants a quiet machine. Exit status is the scale run's.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSetup, root } from './setup.mjs';

process.env.TURBO_TELEMETRY_DISABLED = '1';
ensureSetup();
const reports = join(root, 'reports');
mkdirSync(reports, { recursive: true });
const cli = join(root, 'harness', 'dist', 'cli.js');
const extra = process.argv.slice(2);
const quick = extra.includes('--quick');

const harness = (args) => spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;

console.log('\n== re-fetches vs subagents (sessionless-harness sweep)');
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

console.log('\n== scale-out (sessionless-harness scale)');
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
console.log(`\nReports: ${join('reports', 'scale.html')} (open in a browser), scale.md, scale.json, sweep.json`);
process.exit(sweep === 0 ? status : 1);
