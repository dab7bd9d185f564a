/**
 * The "Beyond one host" projection in docs/05, from the recorded multi-host report: how many
 * single-core instances one PostgreSQL primary carries before the database is the limit, from the
 * cart workload's CPU per call on PostgreSQL and PostgreSQL's own measured rate for the same add.
 */
import { postgresProjection, type ScaleReport } from '@sessionless/harness';

export function hostsProjection(report: ScaleReport): string {
  const p = postgresProjection(report);
  const ceiling = report.postgresCeiling;
  if (!p || !ceiling) return '(the recorded report has no cart run on PostgreSQL or no PostgreSQL ceiling)';
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const where = `K=${p.run.instances}, ${p.run.routing}`;
  const rows = [1, 2, 4, 8, 16, 32].map((k) => {
    const cpu = k * p.perCore;
    const limit = cpu <= p.databaseCarries ? 'CPU (one core per instance)' : 'the PostgreSQL primary (measured)';
    return `| ${k} | ${fmt(cpu)} | ${fmt(Math.min(cpu, p.databaseCarries))} | ${limit} |`;
  });
  return [
    '| Input (from the recorded run) | Value |',
    '| --- | ---: |',
    `| server CPU per cart call on PostgreSQL, ${where} | ${p.run.cpu.serverMsPerCall!.toFixed(2)} ms |`,
    `| so one core serves | ${fmt(p.perCore)} calls/s |`,
    `| database CPU per cart call, ${where} | ${(p.run.cpu.databaseMsPerCall ?? 0).toFixed(2)} ms |`,
    `| share of adds (writes) in the cart workload | ${Math.round(p.addShare * 100)}% |`,
    `| PostgreSQL: the cart add, 1 connection | ${fmt(ceiling.oneConnection)} adds/s |`,
    `| PostgreSQL: the cart add, ${ceiling.connections} connections | ${fmt(ceiling.manyConnections)} adds/s |`,
    `| so the measured ceiling carries | ${fmt(p.databaseCarries)} calls/s of this mix |`,
    `| instances per primary before the database is the limit | about ${fmt(p.instancesPerPrimary)} |`,
    `| by CPU alone, instances one database core keeps up with | ${p.instancesPerDatabaseCore ? `about ${p.instancesPerDatabaseCore.toFixed(1)}` : '-'} |`,
    '',
    '| K (one core each) | CPU allows, calls/s | projected calls/s | limited by |',
    '| ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}
