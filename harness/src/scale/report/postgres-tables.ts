/**
 * The tables of a run that went beyond one host: the simulated hosts, SQLite and PostgreSQL side
 * by side, and PostgreSQL's ceiling with the projection it gives - how many single-core instances
 * one primary carries before the database is the limit, with every number it is computed from.
 */
import { WITHOUT_AFFINITY } from '../routings.js';
import type { Store } from '../stores.js';
import { cpuMs, int, ratio, type Row } from './cells.js';
import { isSteady } from './ratios.js';
import type { ScaleReport, ScaleRun } from './schema.js';

export const TOPOLOGY_LEAD =
  'Each host is a network namespace with its own address on a bridge made for the run; the instances share ' +
  'nothing but the database and the network. The load generator is the harness process, in the root namespace.';
export const RESTART_LEAD =
  'PostgreSQL restarted mid-window (fast shutdown: open connections cut). A refusal that says `applied: false` ' +
  'is retried; one that says `applied: "unknown"` only when the call is safe to repeat.';
export const COMPARISON_LEAD =
  'The cart workload on each store at the same K and routing, in the same run with the same load generator.';
export const POSTGRES_LEAD =
  'The cart add without MCP or HTTP, and how many single-core instances one PostgreSQL primary carries.';

export function topologyRows(report: ScaleReport): Row[] {
  const t = report.topology;
  if (!t) return [];
  const K = Math.max(...report.settings.instances);
  return [
    ['role', 'namespace', 'address', 'runs there'],
    ['load generator', '(root)', t.loadGenerator, 'the harness: load, client-side routing, the demo storefront'],
    ['load balancer', t.balancer.name, t.balancer.address, 'nginx, for the nginx-* routings'],
    ['database', t.database.name, `${t.database.address}:5432`, `${report.machine.postgres ?? 'PostgreSQL'}, durable`],
    ...t.hosts.map((h, i) => [
      `host ${i + 1}`,
      h.name,
      h.address,
      `PostgreSQL fleets: instance ${hostInstances(i, t.hosts.length, K)} of each server, each its own data directory` +
        (i === 0 && report.settings.stores?.includes('sqlite') ? '; SQLite fleets: every instance, on one file' : ''),
    ]),
  ];
}

/** The same workload on SQLite and on PostgreSQL at the same K and routing, from steady runs. */
export function comparisonRows(report: ScaleReport): Row[] {
  const steady = report.runs.filter((r) => isSteady(r) && r.target.startsWith('workload:'));
  const on = (store: Store) => steady.filter((r) => (r.store ?? 'sqlite') === store);
  const pairs = on('sqlite').flatMap((lite) => {
    const pg = on('postgres').find(
      (r) => r.target === lite.target && r.instances === lite.instances && r.routing === lite.routing,
    );
    return pg ? [[lite, pg] as const] : [];
  });
  if (!pairs.length) return [];
  const head = ['workload', 'K', 'routing', 'SQLite /inst', 'SQLite server ms/call', 'PostgreSQL /inst'];
  const rows = pairs.map(([lite, pg]) => [
    lite.target,
    String(lite.instances),
    lite.routing,
    int(lite.perInstance),
    cpuMs(lite.cpu.serverMsPerCall),
    int(pg.perInstance),
    cpuMs(pg.cpu.serverMsPerCall),
    cpuMs(pg.cpu.databaseMsPerCall ?? null),
    ratio(lite.perInstance > 0 ? pg.perInstance / lite.perInstance : null),
  ]);
  return [[...head, 'PostgreSQL server ms/call', 'database ms/call', 'PostgreSQL ÷ SQLite /inst'], ...rows];
}

/** What the projection is computed from, and the projection. */
export interface PostgresProjection {
  run: ScaleRun;
  perCore: number;
  addShare: number;
  /** Calls/s of the workload's mix the measured ceiling carries. */
  databaseCarries: number;
  instancesPerPrimary: number;
  /** Instances one database core keeps up with, by CPU: server ms per call ÷ database ms per call. */
  instancesPerDatabaseCore: number | null;
}

export function postgresProjection(report: ScaleReport): PostgresProjection | null {
  const ceiling = report.postgresCeiling;
  const run = projectionRun(report);
  if (!ceiling || !run?.cpu.serverMsPerCall) return null;
  const total = Object.values(run.byTool).reduce((sum, t) => sum + t.ok, 0);
  const addShare = total ? (run.byTool.cart_add_item?.ok ?? 0) / total : 0;
  if (addShare === 0) return null;
  const perCore = 1000 / run.cpu.serverMsPerCall;
  const databaseCarries = ceiling.manyConnections / addShare;
  const database = run.cpu.databaseMsPerCall ?? null;
  return {
    run,
    perCore,
    addShare,
    databaseCarries,
    instancesPerPrimary: databaseCarries / perCore,
    instancesPerDatabaseCore: database ? run.cpu.serverMsPerCall / database : null,
  };
}

export function postgresRows(report: ScaleReport): Row[] {
  const ceiling = report.postgresCeiling;
  if (!ceiling) return [];
  const rows: Row[] = [
    ['PostgreSQL: the cart add, 1 connection', `${int(ceiling.oneConnection)} adds/s`],
    [`PostgreSQL: ${ceiling.connections} connections at once`, `${int(ceiling.manyConnections)} adds/s`],
    [`database CPU per add, ${ceiling.connections} connections`, `${cpuMs(ceiling.databaseMsPerAdd)} ms`],
  ];
  const p = postgresProjection(report);
  if (p) {
    const where = `K=${p.run.instances} ${p.run.routing}`;
    rows.push(
      [`cart workload on PostgreSQL, ${where}: server CPU per call`, `${cpuMs(p.run.cpu.serverMsPerCall)} ms`],
      [
        `cart workload on PostgreSQL, ${where}: database CPU per call`,
        `${cpuMs(p.run.cpu.databaseMsPerCall ?? null)} ms`,
      ],
      ['share of adds (writes) in the cart workload', `${Math.round(p.addShare * 100)}%`],
      ['so one single-core instance serves', `${int(p.perCore)} calls/s`],
      [`the ${ceiling.connections}-connection ceiling carries`, `${int(p.databaseCarries)} calls/s of this mix`],
      ['instances per primary before the database is the limit', `about ${int(p.instancesPerPrimary)}`],
      [
        'instances per database core, by CPU per call',
        p.instancesPerDatabaseCore ? `about ${ratio(p.instancesPerDatabaseCore)}` : '-',
      ],
    );
  }
  return [['input', 'value'], ...rows];
}

/** The steady PostgreSQL cart run at the smallest K behind the first routing without affinity asked for. */
function projectionRun(report: ScaleReport): ScaleRun | undefined {
  const order = (run: ScaleRun) => report.settings.routings.indexOf(run.routing);
  return report.runs
    .filter(
      (r) =>
        isSteady(r) && r.target === 'workload:cart' && r.store === 'postgres' && WITHOUT_AFFINITY.includes(r.routing),
    )
    .sort((a, b) => a.instances - b.instances || order(a) - order(b))[0];
}

/** Instance i runs on host (i mod N) + 1. */
function hostInstances(host: number, hosts: number, K: number): string {
  const mine = Array.from({ length: K }, (_, i) => i).filter((i) => i % hosts === host);
  return mine.map((i) => `#${i}`).join(', ');
}
