/**
 * Rendering a scale report for people: a compact table per target for the terminal, and Markdown
 * for a CI step summary (headline verdict first). The rows come from tables.ts, which the HTML
 * page uses too.
 */
import { loadOf, runCells, skippedLine, type Row } from './cells.js';
import { markdownTable, textTable } from './layout.js';
import type { ScaleReport } from './schema.js';
import {
  COMPARISON_LEAD,
  comparisonRows,
  POSTGRES_LEAD,
  postgresRows,
  RESTART_LEAD,
  TOPOLOGY_LEAD,
  topologyRows,
} from './postgres-tables.js';
import {
  failoverRows,
  groupsOf,
  invariantRows,
  killedLead,
  machineLine,
  ratioRows,
  restartRows,
  sessionRows,
  storeRows,
  throughputRows,
  verdictOf,
} from './tables.js';

const TEXT_HEAD = [
  'K',
  'routing',
  'ok calls',
  'calls/s',
  '/inst',
  'p50',
  'p95',
  'p99 ms',
  'errors',
  'cpu ms/call',
  'warm/rehyd',
  'inv',
  'result',
];

export function formatScaleText(report: ScaleReport): string {
  const lines = [`Scale-out: ${report.scenario.title}`, machineLine(report), `$ ${report.command}`];
  const topology = topologyRows(report);
  if (topology.length > 1)
    lines.push('', 'Simulated hosts (network namespaces on a private bridge):', ...textTable(topology));
  for (const { label, runs } of groupsOf(report)) {
    const done = runs.filter((r) => r.skipped === null);
    const load = `${loadOf(runs[0]!)}, ${runs[0]!.seconds} s`;
    lines.push('', label === runs[0]!.target ? `${label} (${load})` : `${label}: ${load}`);
    if (done.length)
      lines.push(...textTable([TEXT_HEAD, ...done.map((r) => runCells(r).slice(1))]).map((l) => `  ${l}`));
    lines.push(...runs.filter((r) => r.skipped !== null).map((r) => `  ${skippedLine(r)}`));
  }
  const failover = failoverRows(report);
  if (failover.length > 1) lines.push('', `Failover: ${killedLead(report)}`, ...textTable(failover));
  const restarts = restartRows(report);
  if (restarts.length > 1) lines.push('', 'Database restart (PostgreSQL, fast shutdown):', ...textTable(restarts));
  const comparison = comparisonRows(report);
  if (comparison.length > 1)
    lines.push('', 'SQLite vs PostgreSQL (same run, same load generator):', ...textTable(comparison));
  if (report.storeCeiling) lines.push('', 'Store ceiling:', ...textTable(storeRows(report)));
  const postgres = postgresRows(report);
  if (postgres.length > 1) lines.push('', 'PostgreSQL ceiling and projection:', ...textTable(postgres));
  const ratios = ratioRows(report);
  if (ratios.length > 1) lines.push('', 'Per instance vs the baselines (same K and routing):', ...textTable(ratios));
  if (report.notes.length) lines.push('', ...report.notes.map((n) => `Note: ${n}`));
  lines.push('', verdictOf(report));
  return lines.join('\n');
}

export function formatScaleMarkdown(report: ScaleReport): string {
  const skipped = report.runs.filter((r) => r.skipped !== null).map((r) => `- ${skippedLine(r)}`);
  const sections: Array<[string, Row[] | string[], string?]> = [
    ['Simulated hosts', topologyRows(report), TOPOLOGY_LEAD],
    ['Throughput', throughputRows(report)],
    ['Per instance vs the baselines', ratioRows(report), 'Per-instance calls/s over `raw` and `echo` at the same K.'],
    ['Session-scoped cart vs sessionless cart', sessionRows(report)],
    ['Failover', failoverRows(report), killedLead(report)],
    ['Database restart', restartRows(report), RESTART_LEAD],
    ['SQLite vs PostgreSQL', comparisonRows(report), COMPARISON_LEAD],
    ['Invariants', invariantRows(report)],
    ['Store ceiling and projection inputs', storeRows(report)],
    ['PostgreSQL ceiling and projection', postgresRows(report), POSTGRES_LEAD],
  ];
  const lines = [`## Scale-out: ${report.scenario.title}`, '', `**${verdictOf(report)}**`, '', machineLine(report)];
  // The notes say where the machine, not the design, is the limit: they belong before the numbers.
  if (report.notes.length) lines.push('', ...report.notes.flatMap((n, i) => [...(i ? ['>'] : []), `> ${n}`]));
  for (const [title, rows, lead] of sections) {
    if (rows.length < 2) continue;
    lines.push('', `### ${title}`, '', ...(lead ? [lead, ''] : []), ...markdownTable(rows as Row[]));
    if (title === 'Throughput' && skipped.length) lines.push('', ...skipped);
  }
  lines.push('', `Command: \`${report.command}\``);
  return `${lines.join('\n')}\n`;
}
