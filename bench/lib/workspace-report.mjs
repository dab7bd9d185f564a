/**
 * The workspace benchmark's table on stdout: write/read throughput per operation, then the
 * fork and merge timings, any problems, and where the JSON report went; and how a list of
 * one-call timings (fork, merge) is summarised in the JSON.
 */
import { relative } from 'node:path';
import { out, tableLines } from './output.mjs';
import { rankAt, round2, sortNumbers } from './stats.mjs';

export function printTable(report, outFile) {
  const { throughput, forkMerge, settings } = report;
  const rows = [
    ['operation', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'srv CPU', 'box CPU'],
    ...Object.entries(throughput).map(([name, t]) => [
      `${name} (${settings.smallFileBytes} B)`,
      t.rps.toFixed(0),
      t.p50Ms.toFixed(2),
      t.p99Ms.toFixed(2),
      String(t.errors),
      `${t.serverCpuPercentOfCore.toFixed(0)}%`,
      `${t.boxCpuPercentOfCore.toFixed(0)}%`,
    ]),
  ];
  const changes = Object.values(forkMerge.changesPerMerge).reduce((a, b) => a + b, 0);
  const timed = [
    ['operation', 'median ms', 'min ms', 'max ms', 'rounds'],
    ...[
      [`fork (${forkMerge.files} files)`, forkMerge.fork],
      [`merge (${changes} changes into ${forkMerge.files} files)`, forkMerge.merge],
    ].map(([name, s]) => [
      name,
      s.medianMs.toFixed(2),
      s.minMs.toFixed(2),
      s.maxMs.toFixed(2),
      String(forkMerge.rounds),
    ]),
  ];
  out(
    `\nworkspace bench: node ${report.environment.node}, ${report.environment.cpus} CPUs, ${report.environment.server}, ` +
      `HS256 JWT, ${settings.connections} connections, ${settings.duration} s per run\n`,
  );
  for (const line of tableLines(rows)) out(line);
  out('');
  for (const line of tableLines(timed)) out(line);
  for (const problem of report.problems) out(`PROBLEM: ${problem}`);
  out(`\nJSON: ${relative(process.cwd(), outFile)}`);
}

/** How a list of one-call timings is reported: median (the upper middle), min, max, every sample. */
export function timings(samples) {
  const sorted = sortNumbers(samples);
  return {
    medianMs: round2(rankAt(sorted, 0.5)),
    minMs: round2(sorted[0]),
    maxMs: round2(sorted.at(-1)),
    samplesMs: samples.map(round2),
  };
}
