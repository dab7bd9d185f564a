/**
 * The micro-benchmark's report for people: one row per target with its medians and its ratios to
 * the raw ceiling, the stock echo and its server's SDK path, as a terminal table or Markdown, then
 * the notes and the verdict, which names what failed in every failing target.
 */
import { PROFILE_PARTS } from '../bench/profile.js';
import type { BenchReport, BenchTargetReport } from './bench-schema.js';
import { int, type Row } from './cells.js';
import { markdownTable, textTable } from './layout.js';

const HEAD = [
  'target',
  'calls/s',
  'p50 ms',
  'p99 ms',
  'server CPU %',
  'CPU ms/call',
  'calls/s per core',
  'CPU/call ÷ raw',
  'CPU/call ÷ echo',
  'CPU/call ÷ SDK path',
  'load gen %',
  'other %',
  'result',
];

export function formatBenchText(report: BenchReport): string {
  const lines = [headline(report), `$ ${report.command}`, '', ...textTable(rows(report)), '', 'Targets:'];
  const width = Math.max(...report.targets.map((t) => t.name.length));
  lines.push(...report.targets.map((t) => `  ${t.name.padEnd(width)}  ${t.label}`));
  const profile = profileRows(report);
  if (profile)
    lines.push('', `Where the CPU went (% of busy time, from ${report.profile!.dir}):`, ...textTable(profile));
  if (report.notes.length) lines.push('', ...report.notes.map((n) => `Note: ${n}`));
  lines.push('', ...verdict(report));
  return lines.join('\n');
}

export function formatBenchMarkdown(report: BenchReport): string {
  const lines = [
    '## Per-core micro-benchmark',
    '',
    `**${verdict(report)[0]}**`,
    '',
    headline(report),
    '',
    ...markdownTable(rows(report)),
    '',
    ...report.targets.map((t) => `- \`${t.name}\`: ${t.label}`),
  ];
  const profile = profileRows(report);
  if (profile)
    lines.push(
      '',
      'Where the CPU went, % of busy time (V8 CPU profile of each target):',
      '',
      ...markdownTable(profile),
    );
  if (report.notes.length) lines.push('', ...report.notes.map((n) => `> ${n}`));
  const failures = verdict(report).slice(1);
  if (failures.length) lines.push('', ...failures.map((f) => `- ${f.trim()}`));
  lines.push('', `Command: \`${report.command}\``);
  return `${lines.join('\n')}\n`;
}

function headline(report: BenchReport): string {
  const { settings: s, machine: m } = report;
  const pin = s.pinning.pinned
    ? `servers on cpu${s.pinning.serverCpu}, load generator on cpu${s.pinning.loadCpu}`
    : `not pinned (${s.pinning.reason})`;
  const warm = s.warmupSeconds > 0 ? ` after a ${s.warmupSeconds} s warm-up` : '';
  return (
    `Per-core micro-benchmark: ${s.agents} agents, ${s.repeats} x ${s.seconds} s windows per target${warm}, ` +
    `medians; ${pin}. ${m.cpus} x ${m.cpuModel}, Node ${m.node}; ${report.startedAt.slice(0, 10)}.`
  );
}

/** One row per profiled target: its busy time and the share of each part. */
function profileRows(report: BenchReport): Row[] | undefined {
  const profiled = Object.entries(report.profile?.targets ?? {});
  if (!profiled.length) return undefined;
  return [
    ['target', 'busy s', ...PROFILE_PARTS],
    ...profiled.map(([name, split]) => [
      name,
      fixed(split.busyMs / 1000, 1),
      ...PROFILE_PARTS.map((part) => fixed(split.shares[part], 1)),
    ]),
  ];
}

function rows(report: BenchReport): Row[] {
  return [HEAD, ...report.targets.map(cells)];
}

function cells(target: BenchTargetReport): Row {
  const m = target.median;
  return [
    target.name,
    int(m.callsPerSecond),
    fixed(m.p50Ms, 2),
    fixed(m.p99Ms, 2),
    fixed(m.serverCpuPct, 0),
    fixed(m.serverMsPerCall, 3),
    m.callsPerCorePerSecond === null ? '-' : int(m.callsPerCorePerSecond),
    fixed(target.vsRaw.cpuPerCall, 2),
    fixed(target.vsEcho.cpuPerCall, 2),
    fixed(target.vsSdkPath?.cpuPerCall ?? null, 2),
    fixed(m.loadGeneratorPct, 0),
    fixed(m.otherPct, 0),
    target.ok ? 'ok' : 'FAILED',
  ];
}

/** The verdict line, then for each failed target what went wrong. */
function verdict(report: BenchReport): string[] {
  const failed = report.targets.filter((t) => !t.ok);
  const windows = report.targets.reduce((n, t) => n + t.windows.length, 0);
  if (!failed.length) {
    return [
      `PASSED: ${report.targets.length} targets, ${windows} measured windows; every window completed calls with ` +
        'no error and every check held.',
    ];
  }
  return [
    `FAILED: ${failed.map((t) => t.name).join(', ')}.`,
    ...failed.flatMap((t) => {
      const runs = [...(t.warmup ? [t.warmup] : []), ...t.windows];
      const errors = [...new Set(runs.flatMap((r) => Object.keys(r.errors)))];
      const broken = [
        ...new Set(runs.flatMap((r) => r.invariants.filter((i) => !i.ok).map((i) => `${i.name} (${i.detail})`))),
      ];
      const problems = [...(errors.length ? [`errors: ${errors.join(', ')}`] : []), ...broken];
      return [`  ${t.name}: ${problems.join('; ') || 'no measured window'}`];
    }),
  ];
}

const fixed = (n: number | null, digits: number) =>
  n === null ? '-' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
