/**
 * The scale report beyond one host, rendered from the hand-made fixture turned into a run on two
 * stores: the cart's rows again on PostgreSQL across two simulated hosts, one host killed, one
 * database restart, PostgreSQL's ceiling and the network's topology. Checked: every label says
 * where the state was, the new tables carry the numbers they are computed from, restart runs are
 * not steady ones, and a report from before PostgreSQL renders without any of it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { postgresProjection } from '../src/scale/report/postgres-tables.js';
import { isSteady, ratiosOf } from '../src/scale/report/ratios.js';
import type { ScaleReport, ScaleRun } from '../src/scale/report/schema.js';
import { scaleNotes } from '../src/scale/report/notes.js';
import { formatScaleMarkdown } from '../src/scale/report/text.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/scale-report.json', import.meta.url));
const fixture = (): ScaleReport => JSON.parse(readFileSync(FIXTURE, 'utf8')) as ScaleReport;

const ns = (name: string, address: string, role: 'host' | 'database' | 'balancer') => ({ name, address, role });

/** The fixture's steady cart runs again on PostgreSQL over 2 hosts, plus a host killed and a restart. */
function onTwoStores(): ScaleReport {
  const report = fixture();
  const carts = report.runs.filter((r) => r.target === 'workload:cart' && isSteady(r) && r.instances === 2);
  const postgres = carts.map((r): ScaleRun => ({
    ...structuredClone(r),
    store: 'postgres',
    hosts: 2,
    perInstance: r.perInstance / 2,
    cpu: { ...r.cpu, serverMsPerCall: 2.5, databaseMsPerCall: 0.5, databasePct: 40 },
  }));
  const base = postgres[0]!;
  const killed: ScaleRun = {
    ...structuredClone(base),
    failover: {
      killedAtSeconds: 3,
      instance: 1,
      instances: [1],
      host: 2,
      pids: [11, 12, 13],
      failedAttempts: { 'connection reset': 2 },
      retried: 2,
      retriedOk: 2,
      notRetried: 0,
    },
  };
  const restarted: ScaleRun = {
    ...structuredClone(base),
    perInstance: 1,
    databaseRestart: {
      restartedAtSeconds: 3,
      tookMs: 640,
      failedAttempts: { 'tool error STORE_UNAVAILABLE': 9, 'tool error STORE_UNAVAILABLE (applied unknown)': 2 },
      retried: 5,
      retriedOk: 5,
      notRetried: 0,
    },
  };
  report.runs.push(...postgres, killed, restarted);
  report.settings = { ...report.settings, stores: ['sqlite', 'postgres'], hosts: 2, restartDatabaseAt: 3 };
  report.machine.postgres = 'PostgreSQL 15.18';
  report.postgresCeiling = {
    oneConnection: 300,
    connections: 4,
    manyConnections: 900,
    seconds: 3,
    databaseMsPerAdd: 0.3,
  };
  report.topology = {
    subnet: '10.213.7.0/24',
    loadGenerator: '10.213.7.1',
    database: ns('slh42-db', '10.213.7.2', 'database'),
    balancer: ns('slh42-lb', '10.213.7.3', 'balancer'),
    hosts: [ns('slh42-h1', '10.213.7.11', 'host'), ns('slh42-h2', '10.213.7.12', 'host')],
  };
  return report;
}

function section(markdown: string, title: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`### ${title}`);
  expect(start, `section ${title}`).toBeGreaterThan(-1);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('#'));
  return rest
    .slice(0, end < 0 ? undefined : end)
    .filter((l) => l.startsWith('|'))
    .slice(2)
    .map((l) => l.slice(2, -2).split(' | '));
}

describe('scale report beyond one host', () => {
  it('labels every PostgreSQL row with its store and hosts, and the faults in the routing column', () => {
    const rows = section(formatScaleMarkdown(onTwoStores()), 'Throughput');
    const postgres = rows.filter((r) => r[0] === 'workload:cart (postgres, 2 hosts)');
    expect(postgres.map((r) => r[2])).toEqual(
      expect.arrayContaining(['round-robin', 'round-robin + kill host', 'round-robin + db restart']),
    );
    expect(rows.filter((r) => r[0] === 'workload:cart').length).toBeGreaterThan(0);
  });

  it('shows the topology, the host killed and the database restart with what the calls went through', () => {
    const markdown = formatScaleMarkdown(onTwoStores());
    expect(section(markdown, 'Simulated hosts').map((r) => r.slice(0, 3))).toEqual([
      ['load generator', '(root)', '10.213.7.1'],
      ['load balancer', 'slh42-lb', '10.213.7.3'],
      ['database', 'slh42-db', '10.213.7.2:5432'],
      ['host 1', 'slh42-h1', '10.213.7.11'],
      ['host 2', 'slh42-h2', '10.213.7.12'],
    ]);
    const failover = section(markdown, 'Failover').find((r) => r[0] === 'workload:cart (postgres, 2 hosts)')!;
    expect(failover[3]).toBe('host 2 (#1) at 3 s');
    const [restart] = section(markdown, 'Database restart');
    expect(restart!.slice(3, 8)).toEqual([
      'at 3 s',
      '640 ms',
      '9 tool error STORE_UNAVAILABLE, 2 tool error STORE_UNAVAILABLE (applied unknown)',
      '5 (5)',
      '0',
    ]);
  });

  it('puts SQLite and PostgreSQL side by side at the same K and routing, restart runs left out', () => {
    const report = onTwoStores();
    const rows = section(formatScaleMarkdown(report), 'SQLite vs PostgreSQL');
    const steadyPostgres = report.runs.filter((r) => r.store === 'postgres' && isSteady(r));
    expect(rows).toHaveLength(steadyPostgres.length);
    for (const row of rows) {
      const lite = report.runs.find((r) => r.target === row[0] && isSteady(r) && !r.store && r.routing === row[2])!;
      expect(row[8]).toBe((report.runs.find((r) => r === lite)!.perInstance / 2 / lite.perInstance).toFixed(2));
      expect(row.slice(6, 8)).toEqual(['2.50', '0.50']);
    }
    expect(ratiosOf(report).some((r) => r.perInstance === 1)).toBe(false);
  });

  it('projects instances per primary from the measured ceiling and CPU per call, showing every input', () => {
    const report = onTwoStores();
    const p = postgresProjection(report)!;
    const run = p.run;
    const calls = Object.values(run.byTool).reduce((sum, t) => sum + t.ok, 0);
    const share = run.byTool.cart_add_item!.ok / calls;
    expect(p.addShare).toBeCloseTo(share, 10);
    expect(p.perCore).toBeCloseTo(400, 10);
    expect(p.instancesPerPrimary).toBeCloseTo(900 / share / 400, 10);
    expect(p.instancesPerDatabaseCore).toBeCloseTo(5, 10);
    const rows = new Map(
      section(formatScaleMarkdown(report), 'PostgreSQL ceiling and projection').map((r) => [r[0], r[1]]),
    );
    expect(rows.get('PostgreSQL: 4 connections at once')).toBe('900 adds/s');
    expect(rows.get('instances per primary before the database is the limit')).toBe(
      `about ${Math.round(900 / share / 400)}`,
    );
    expect(scaleNotes(report)).toContainEqual(
      expect.stringMatching(
        /^On PostgreSQL the cart workload costs 2\.50 ms of server CPU per call and 0\.50 ms of the database's/,
      ),
    );
  });

  it('renders a report from before PostgreSQL without any of it', () => {
    const markdown = formatScaleMarkdown(fixture());
    for (const title of ['Simulated hosts', 'Database restart', 'SQLite vs PostgreSQL', 'PostgreSQL ceiling']) {
      expect(markdown).not.toContain(`### ${title}`);
    }
    expect(markdown).not.toMatch(/\((sqlite|postgres)/);
  });
});
