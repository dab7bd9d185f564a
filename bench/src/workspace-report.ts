/**
 * The workspace benchmark's report: its JSON shape (`sessionless-mcp/bench-workspace@1`), the
 * table printed on stdout, and how a list of one-call timings (fork, merge) is summarised.
 */
import { rankAt, round2, sortNumbers } from './lib/stats.js';
import { out, tableLines } from './lib/table.js';
import type { FORK_CHANGES } from './workspace-fork-merge.js';
import type { Throughput } from './workspace-load.js';

export interface Timings {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samplesMs: number[];
}

export interface WorkspaceReport {
  schema: 'sessionless-mcp/bench-workspace@1';
  command: string;
  startedAt: string;
  environment: { node: string; cpus: number; cpuModel: string | undefined; server: string };
  settings: {
    duration: number;
    warmup: number;
    connections: number;
    rounds: number;
    smallFileBytes: number;
    paths: number;
  };
  throughput: { write_file: Throughput; read_file: Throughput };
  forkMerge: {
    files: number;
    changesPerMerge: typeof FORK_CHANGES;
    rounds: number;
    fork: Timings;
    merge: Timings;
  };
  problems: string[];
}

export function printTable(report: WorkspaceReport, outFile: string): void {
  const { throughput, forkMerge, settings } = report;
  const ms = (n: number | null) => (n === null ? '-' : n.toFixed(2));
  const rows = [
    ['operation', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'srv CPU', 'box CPU'],
    ...Object.entries(throughput).map(([name, t]) => [
      `${name} (${settings.smallFileBytes} B)`,
      t.rps.toFixed(0),
      ms(t.p50Ms),
      ms(t.p99Ms),
      String(t.errors),
      `${t.serverCpuPercentOfCore.toFixed(0)}%`,
      `${t.boxCpuPercentOfCore.toFixed(0)}%`,
    ]),
  ];
  const changes = Object.values(forkMerge.changesPerMerge).reduce((a, b) => a + b, 0);
  const timed = [
    ['operation', 'median ms', 'min ms', 'max ms', 'rounds'],
    ...(
      [
        [`fork (${forkMerge.files} files)`, forkMerge.fork],
        [`merge (${changes} changes into ${forkMerge.files} files)`, forkMerge.merge],
      ] as const
    ).map(([name, s]) => [
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
  out(`\nJSON: ${outFile}`);
}

/** One-call timings as reported: median (the upper middle), min, max, and every sample. */
export function timings(samples: number[]): Timings {
  const sorted = sortNumbers(samples);
  return {
    medianMs: round2(rankAt(sorted, 0.5)),
    minMs: round2(sorted[0] ?? Number.NaN),
    maxMs: round2(sorted.at(-1) ?? Number.NaN),
    samplesMs: samples.map(round2),
  };
}
