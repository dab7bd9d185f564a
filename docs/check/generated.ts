/**
 * Result tables in the docs are generated from reports committed under docs/results/, never
 * typed: a block between `<!-- generated: NAME -->` and `<!-- /generated -->` must equal what
 * its renderer makes from the report. `npm run docs` rewrites the blocks after a new recording.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatMarkdown,
  formatScaleMarkdown,
  formatText,
  type BenchReport,
  type Report,
  type ScaleReport,
  type StartupReport,
} from '@sessionless/harness';
import { benchProfile, benchSummary, startupTable } from './bench.js';
import { hostsProjection } from './beyond-one-host.js';
import { checkOutput, scaleComparison } from './gates.js';
import { pgClientsTable } from './pg-clients.js';

export const RESULTS = 'docs/results';

type Renderer = (root: string) => string;

const readJson = <T>(root: string, file: string): T => JSON.parse(readFileSync(join(root, RESULTS, file), 'utf8')) as T;

export const RENDERERS: Record<string, Renderer> = {
  'sweep-table': (root) => sweepTable(readJson<Report>(root, 'sweep.json')),
  'sweep-report': (root) => sweepReport(readJson<Report>(root, 'sweep.json')),
  'demo-table': (root) => demoTable(readJson<Report>(root, 'demo.json')),
  'scale-summary': (root) => scaleSummary(readJson<ScaleReport>(root, 'scale.json')),
  'scale-projection': (root) => scaleProjection(readJson<ScaleReport>(root, 'scale.json')),
  'hosts-summary': (root) => scaleSummary(readJson<ScaleReport>(root, 'scale-hosts.json')),
  'hosts-projection': (root) => hostsProjection(readJson<ScaleReport>(root, 'scale-hosts.json')),
  'check-cart': (root) => checkOutput(root, 'check-cart.json'),
  'check-session-cart': (root) => checkOutput(root, 'check-session-cart.json'),
  'scale-comparison': (root) => scaleComparison(root),
  'pg-clients': (root) => pgClientsTable(root, join(RESULTS, 'pg-clients.json')),
  'bench-summary': (root) => benchSummary(readJson<BenchReport>(root, 'bench.json')),
  'bench-profile': (root) => benchProfile(readJson<BenchReport>(root, 'bench-profile.json')),
  startup: (root) => startupTable(readJson<StartupReport>(root, 'startup.json')),
};

/**
 * Larger K from two measured inputs: the cart workload's server CPU per call (K=1, no
 * affinity: one instance doing all the work) and the store's write ceiling for the same add.
 * Each instance is assumed to get one core of its own; the shared SQLite file caps the total.
 */
function scaleProjection(report: ScaleReport): string {
  const run = report.runs.find(
    (r) => r.target === 'workload:cart' && r.instances === 1 && r.routing === 'round-robin' && !r.failover,
  );
  const ceiling = report.storeCeiling;
  if (!run?.cpu.serverMsPerCall || !ceiling) return '(the recorded report has no cart run at K=1 or no store ceiling)';
  const perCore = 1000 / run.cpu.serverMsPerCall;
  const total = Object.values(run.byTool).reduce((sum, t) => sum + t.ok, 0);
  const addShare = (run.byTool.cart_add_item?.ok ?? 0) / total;
  const storeCap = Math.min(ceiling.writesPerSecond, ceiling.twoWritersPerSecond) / addShare;
  const ks = [1, 2, 4, 8, 16, 32];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const rows = ks.map((k) => {
    const cpu = k * perCore;
    const limit = cpu <= storeCap ? 'CPU (one core per instance)' : 'the shared SQLite file';
    return `| ${k} | ${fmt(cpu)} | ${fmt(Math.min(cpu, storeCap))} | ${limit} |`;
  });
  return [
    '| Input (from the recorded run) | Value |',
    '| --- | ---: |',
    `| server CPU per cart call, K=1, round-robin | ${run.cpu.serverMsPerCall.toFixed(2)} ms |`,
    `| so one core serves | ${fmt(perCore)} calls/s |`,
    `| share of adds (writes) in the cart workload | ${Math.round(addShare * 100)}% |`,
    `| SQLite: the cart add, one writer | ${fmt(ceiling.writesPerSecond)} writes/s |`,
    `| SQLite: two processes on one file | ${fmt(ceiling.twoWritersPerSecond)} writes/s |`,
    `| so the file carries at most | ${fmt(storeCap)} calls/s of this mix |`,
    '',
    '| K (one core each) | CPU allows, calls/s | projected calls/s | limited by |',
    '| ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}

/** The side-by-side table `npm run demo` prints, cut from the harness's own text output. */
function demoTable(report: Report): string {
  const lines = formatText(report).split('\n');
  const start = lines.indexOf('') + 1;
  const end = lines.indexOf('', start);
  const m = report.machine;
  return [
    '```',
    ...lines.slice(start, end === -1 ? undefined : end),
    '```',
    '',
    `Recorded in [\`docs/results/demo.json\`](docs/results/demo.json) on ${report.startedAt.slice(0, 10)}, ` +
      `${m.cpus} x ${m.cpuModel}, Node ${m.node}, with \`npx sessionless-harness run shopping-team --json docs/results/demo.json\`.`,
  ].join('\n');
}

/** The sweep's own Markdown (what `--markdown` writes), without its heading. */
function sweepReport(report: Report): string {
  return formatMarkdown(report).trim().split('\n').slice(1).join('\n').trim();
}

/** Per policy, its connect round trip (initialize or server/discover) and its tools/list, then tools/call. */
function sweepTable(report: Report): string {
  const counts = [...new Set(report.runs.map((r) => r.subagents))].sort((a, b) => a - b);
  const runOf = (policy: string, n: number) => report.runs.find((r) => r.policy === policy && r.subagents === n);
  const at = (policy: string, n: number, method: string) => runOf(policy, n)?.totals[method]?.requests ?? 0;
  const kib = (policy: string, n: number) => {
    const t = runOf(policy, n)?.totals['tools/list'];
    return t ? ((t.requestBytes + t.responseBytes) / 1024).toFixed(1) : '0.0';
  };
  const connect = (policy: string) => (policy === 'session-era' ? 'initialize' : 'server/discover');
  const policies = report.policies;
  const rows = counts.map(
    (n) =>
      `| ${n} | ` +
      policies.map((p) => `${at(p, n, connect(p))} | ${at(p, n, 'tools/list')} (${kib(p, n)} KiB) | `).join('') +
      `${at(policies.at(-1)!, n, 'tools/call')} |`,
  );
  const m = report.machine;
  return [
    `| Subagents | ${policies.map((p) => `${p} \`${connect(p)}\` | ${p} \`tools/list\` | `).join('')}\`tools/call\` (each policy) |`,
    `| ---: | ${policies.map(() => '---: | ---: | ').join('')}---: |`,
    ...rows,
    '',
    `Recorded ${report.startedAt.slice(0, 10)} on ${m.cpus} x ${m.cpuModel}, Node ${m.node}, with ` +
      '`npx sessionless-harness sweep shopping-team --json docs/results/sweep.json`; ' +
      `every run's client counts ${report.runs.every((r) => r.agree) ? 'agreed' : 'did NOT all agree'} with the servers' \`/metrics\`.`,
  ].join('\n');
}

function scaleSummary(report: ScaleReport): string {
  // The report's own Markdown, one heading level down, under the page's heading.
  return formatScaleMarkdown(report)
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => (line.startsWith('#') ? `#${line}` : line))
    .join('\n')
    .trim();
}

const BLOCK = /<!-- generated: ([\w-]+) -->\n([\s\S]*?)<!-- \/generated -->/g;

export interface GeneratedBlock {
  name: string;
  line: number;
  current: string;
  expected: string | null;
}

export function generatedBlocks(text: string, root: string): GeneratedBlock[] {
  return [...text.matchAll(BLOCK)].map((match) => {
    const renderer = RENDERERS[match[1]!];
    return {
      name: match[1]!,
      line: text.slice(0, match.index).split('\n').length,
      current: match[2]!.trim(),
      expected: renderer ? renderSafely(renderer, root) : null,
    };
  });
}

function renderSafely(renderer: Renderer, root: string): string {
  try {
    return renderer(root).trim();
  } catch (error) {
    return `(cannot render: ${(error as Error).message})`;
  }
}

export function regenerate(text: string, root: string): string {
  return text.replace(BLOCK, (whole, name: string) => {
    const renderer = RENDERERS[name];
    return renderer ? `<!-- generated: ${name} -->\n\n${renderer(root).trim()}\n\n<!-- /generated -->` : whole;
  });
}
