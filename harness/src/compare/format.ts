/**
 * A comparison for people: aligned text for the terminal and Markdown for a pull-request comment
 * or a CI job summary, both from the JSON alone. The verdict and every regression sentence come
 * last in the text (where a terminal leaves the eye) and first in the Markdown (where a PR shows it).
 */
import { markdownTable, textTable } from '../scale/report/layout.js';
import type { CompareReport, FigureChange, Side } from './schema.js';

type Row = string[];

export function formatCompareText(report: CompareReport): string {
  return [...header(report), '', ...textTable(rowsOf(report)), ...details(report), '', ...verdict(report)].join('\n');
}

export function formatCompareMarkdown(report: CompareReport): string {
  const lines = [
    `## Benchmark comparison (${report.kind})`,
    '',
    ...verdict(report).map((line) => (line.startsWith('  - ') ? line.slice(2) : `**${line}**`)),
    '',
    ...header(report).map((line) => `${line}  `),
    '',
    ...markdownTable(rowsOf(report)),
    ...details(report),
  ];
  return `${lines.join('\n')}\n`;
}

function header(report: CompareReport): string[] {
  const t = report.thresholds;
  const gates =
    report.kind === 'scale'
      ? `Fails on: server CPU per call up more than ${t.cpu}%, calls/s per instance down more than ${t.throughput}%, ` +
        `p99 up more than ${t.p99}%, errors up ${t.errors === 0 ? 'at all' : `more than ${t.errors}%`}, any invariant changed.`
      : 'Fails on: any re-fetch count changed (server/discover, initialize, notifications/initialized, tools/list, GET /mcp), ' +
        'a run that failed, or client and server counts that disagree.';
  return [`BASE ${sideLine(report.base)}`, `HEAD ${sideLine(report.head)}`, gates];
}

const sideLine = (side: Side) =>
  `${side.file}: ${side.startedAt.slice(0, 10)}, ${side.machine.cpus} x ${side.machine.cpuModel}, Node ${side.machine.node}`;

function rowsOf(report: CompareReport): Row[] {
  if (report.kind === 'sweep') {
    const methods = report.sweep[0]?.counts.map((c) => c.method) ?? [];
    return [
      ['run', ...methods, 'tools/list KiB', 'result'],
      ...report.sweep.map((row) => [
        row.run,
        ...row.counts.map((c) => (c.base === c.head ? String(c.base) : `${c.base} → ${c.head}`)),
        `${kib(row.listBytes.base)} → ${kib(row.listBytes.head)}`,
        row.regressions.length ? 'CHANGED' : 'same',
      ]),
    ];
  }
  const normalised = report.scale.every((row) => row.cpuNormalisedBy === 'raw');
  return [
    [
      'run',
      normalised ? 'CPU/call ÷ raw' : 'CPU ms/call',
      'Δ',
      'calls/s/inst',
      'Δ',
      'p99 ms',
      'Δ',
      'errors',
      'invariants',
      'result',
    ],
    ...report.scale.map((row) => {
      const [cpu, throughput, p99, errors] = row.figures as [FigureChange, FigureChange, FigureChange, FigureChange];
      const invariants =
        row.invariantsCompared === 0
          ? '-'
          : row.invariantsChanged.length
            ? `${row.invariantsChanged.length} changed`
            : `${row.invariantsCompared} same`;
      return [
        row.run,
        pair(cpu, 2),
        delta(cpu),
        pair(throughput, 0),
        delta(throughput),
        pair(p99, 1),
        delta(p99),
        pair(errors, 0),
        invariants,
        row.regressions.length ? `REGRESSED (${regressedNames(row.figures, row.invariantsChanged.length)})` : 'ok',
      ];
    }),
  ];
}

function details(report: CompareReport): string[] {
  const lines = [
    ...report.notes,
    ...(report.onlyInBase.length ? [`Only in BASE, not compared: ${report.onlyInBase.join('; ')}.`] : []),
    ...(report.onlyInHead.length ? [`Only in HEAD, not compared: ${report.onlyInHead.join('; ')}.`] : []),
    ...(report.kind === 'scale' && report.scale.some((r) => r.failover)
      ? [
          'Failover runs are gated on errors and invariants only: the kill, not the code, sets their throughput and p99.',
        ]
      : []),
  ];
  return lines.length ? ['', ...lines] : [];
}

function verdict(report: CompareReport): string[] {
  const runs = report.kind === 'scale' ? report.scale.length : report.sweep.length;
  if (report.ok) return [`PASSED: ${runs} runs compared, no regression.`];
  return [
    `FAILED: ${report.regressions.length} regression${report.regressions.length === 1 ? '' : 's'} in ${runs} runs compared:`,
    ...report.regressions.map((sentence) => `  - ${sentence}`),
  ];
}

function regressedNames(figures: FigureChange[], invariants: number): string {
  return (
    [...figures.filter((f) => f.regressed).map((f) => f.figure), ...(invariants ? ['invariants'] : [])].join(', ') ||
    'failed'
  );
}

function pair(f: FigureChange, digits: number): string {
  const n = (v: number | null) => (v === null ? '-' : v.toFixed(digits));
  return f.base === f.head ? n(f.base) : `${n(f.base)} → ${n(f.head)}`;
}

function delta(f: FigureChange): string {
  if (f.skipped) return 'n/c';
  if (f.changePct === null) return '-';
  if (f.changePct === Infinity) return f.regressed ? 'new ✗' : 'new';
  const text = `${f.changePct >= 0 ? '+' : ''}${f.changePct.toFixed(1)}%`;
  return f.regressed ? `${text} ✗` : text;
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
