/**
 * The cart benchmark's report: per-target summaries (medians of the measured runs), the ratios
 * between targets, the environment a run is recorded with, and the table printed on stdout.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryMb } from './cpu.mjs';
import { fmt, out, tableLines } from './output.mjs';
import { median, round1, round3 } from './stats.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function summarise(name, rows, target) {
  const measured = rows.filter((row) => row.target === name);
  const pick = (f) => median(measured.map(f).filter((value) => value !== null && value !== undefined));
  return {
    label: target.label,
    url: target.url,
    runs: measured.length,
    rps: round1(pick((row) => row.rps)),
    p50Ms: round3(pick((row) => row.latencyMs.p50)),
    p99Ms: round3(pick((row) => row.latencyMs.p99)),
    runsRps: measured.map((row) => row.rps),
    errors: measured.reduce((sum, row) => sum + row.errorCount, 0),
    requests: measured.reduce((sum, row) => sum + row.responses, 0),
    serverCpuPercent: round1(pick((row) => row.cpuPercentOfCore.server)),
    serverCpuUsPerRequest: round1(pick((row) => row.serverCpuUsPerRequest)),
    loadGeneratorCpuPercent: round1(pick((row) => row.cpuPercentOfCore.loadGenerator)),
    otherCpuPercent: round1(pick((row) => row.cpuPercentOfCore.other)),
    peakRssMb: memoryMb(target.pid),
  };
}

export function ratios(summary) {
  const ratio = (a, b, field) => (summary[a] && summary[b] ? round3(summary[a][field] / summary[b][field]) : null);
  const pairs = {
    cartOverEcho: ['cart', 'echo'],
    kitEchoOverEcho: ['kit-echo', 'echo'],
    cartOverKitEcho: ['cart', 'kit-echo'],
    cartOverRaw: ['cart', 'raw'],
    echoOverRaw: ['echo', 'raw'],
  };
  const out = {};
  for (const [key, [a, b]] of Object.entries(pairs)) {
    out[key] = {
      rps: ratio(a, b, 'rps'),
      p50: ratio(a, b, 'p50Ms'),
      p99: ratio(a, b, 'p99Ms'),
      serverCpuUsPerRequest: ratio(a, b, 'serverCpuUsPerRequest'),
    };
  }
  return out;
}

export function environment() {
  // Read from node_modules: some packages do not export their package.json.
  const version = (name) => {
    try {
      return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return null;
    }
  };
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    gitCommit: git.status === 0 ? git.stdout.trim() : null,
    versions: {
      autocannon: version('autocannon'),
      '@modelcontextprotocol/server': version('@modelcontextprotocol/server'),
      '@modelcontextprotocol/node': version('@modelcontextprotocol/node'),
      zod: version('zod'),
    },
  };
}

export function printReport(report) {
  const { settings, summary, ratios: r, target } = report;
  const order = ['raw', 'echo', 'kit-echo', 'cart'].filter((name) => summary[name]);
  const header = [
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'srv CPU',
    'CPU µs/req',
    'load CPU',
    'other',
    'runs req/s',
  ];
  const rows = order.map((name) => {
    const s = summary[name];
    return [
      s.label,
      fmt(s.rps, 0),
      fmt(s.p50Ms, 2),
      fmt(s.p99Ms, 2),
      String(s.errors),
      `${fmt(s.serverCpuPercent, 0)}%`,
      fmt(s.serverCpuUsPerRequest, 0),
      `${fmt(s.loadGeneratorCpuPercent, 0)}%`,
      `${fmt(s.otherCpuPercent, 0)}%`,
      s.runsRps.map((value) => fmt(value, 0)).join(' / '),
    ];
  });
  const pin = settings.pinning.pinned
    ? `servers on cpu${settings.pinning.serverCpu}, load generator on cpu${settings.pinning.loadCpu}`
    : `not pinned: ${settings.pinning.reason}`;
  out('');
  out(
    `cart_add_item benchmark: ${settings.connections} connections, ${settings.runs} x ${settings.duration} s per target after ${settings.warmup} s warm-up; ${pin}`,
  );
  out('');
  for (const line of tableLines([header, ...rows], { rule: true })) out(line);
  out('');
  const ratioLine = (label, value) =>
    value?.rps
      ? `${label} ${fmt(value.rps, 3)}x req/s (p50 ${fmt(value.p50, 2)}x, p99 ${fmt(value.p99, 2)}x, CPU/req ${fmt(value.serverCpuUsPerRequest, 2)}x)`
      : null;
  for (const text of [
    ratioLine('cart / echo', r.cartOverEcho),
    ratioLine('kit-echo / echo', r.kitEchoOverEcho),
    ratioLine('cart / kit-echo', r.cartOverKitEcho),
    ratioLine('cart / raw ', r.cartOverRaw),
    ratioLine('echo / raw ', r.echoOverRaw),
  ]) {
    if (text) out(`  ${text}`);
  }
  if (target.met !== null) {
    out('');
    out(
      `Target (cart_add_item req/s >= stock SDK echo req/s): ${target.met ? 'MET' : 'NOT MET'} (${fmt(target.ratio, 3)}x)`,
    );
  }
  if (report.warnings.length) {
    out('');
    out(
      `Noisy machine: ${report.warnings.length} measured run(s) shared the CPUs with other work; treat the numbers as rough:`,
    );
    for (const warning of report.warnings) out(`  - ${warning}`);
  }
  if (report.problems.length) {
    out('');
    out('Problems (the numbers above are not valid while these stand):');
    for (const problem of report.problems) out(`  - ${problem}`);
  }
  out(`\nJSON: ${relative(process.cwd(), report.outFile) || report.outFile}`);
}
