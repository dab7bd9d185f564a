/**
 * The sentences a reader should see first, derived from the measured rows only: whether the
 * machine (its cores) rather than the design limited the largest K, what one core buys per
 * instance, how far the shared store lets K grow, and which runs were skipped and why.
 */
import { postgresProjection } from './postgres-tables.js';
import { isSteady } from './ratios.js';
import type { ScaleReport, ScaleRun } from './schema.js';

export function scaleNotes(report: ScaleReport): string[] {
  const notes: string[] = [];
  const { cpus } = report.machine;
  const measured = report.runs.filter(isSteady);
  const capacity = 100 * cpus;
  const largest = Math.max(...report.settings.instances);
  const busiest = measured
    .filter((r) => r.instances === largest && r.target.startsWith('workload:'))
    .sort((a, b) => b.cpu.machinePct - a.cpu.machinePct)[0];
  if (busiest && busiest.cpu.machinePct >= 0.8 * capacity) {
    notes.push(
      `At K=${largest} the machine was ${pct(busiest.cpu.machinePct / cpus)} busy across its ${cpus} CPUs ` +
        `(servers ${pct(busiest.cpu.serversPct)} of one core, load generator ${pct(busiest.cpu.loadGeneratorPct)}): ` +
        `the instances share the same cores, so here the machine, not the design, limits what K=${largest} adds. ` +
        `Read the server CPU per call instead; it is what each added host would spend.`,
    );
  }
  const cart = bestCartRun(measured.filter((r) => (r.store ?? 'sqlite') === 'sqlite'));
  if (cart?.cpu.serverMsPerCall) {
    const perCore = 1000 / cart.cpu.serverMsPerCall;
    notes.push(
      `The cart workload costs ${cart.cpu.serverMsPerCall.toFixed(2)} ms of server CPU per call ` +
        `(${cart.target}, K=${cart.instances}, ${cart.routing}), so one core per instance serves about ` +
        `${Math.round(perCore)} calls/s.`,
    );
    const ceiling = report.storeCeiling;
    const addShare = addShareOf(cart);
    if (ceiling && addShare > 0) {
      const hosts = Math.floor(ceiling.twoWritersPerSecond / (perCore * addShare));
      notes.push(
        `SQLite took ${ceiling.writesPerSecond} cart adds/s from one writer and ${ceiling.twoWritersPerSecond}/s from ` +
          `two processes on one file; at ${Math.round(addShare * 100)}% adds, the shared file runs out at about ` +
          `${hosts} single-core instances on one host.` +
          (report.postgresCeiling
            ? ''
            : ' Beyond that, or across hosts, the store must be a networked database (the store interface is where it plugs in).'),
      );
    }
  }
  notes.push(...postgresNotes(report));
  const generatorBound = measured.filter((r) => r.cpu.loadGeneratorPct >= 90);
  if (generatorBound.length) {
    const which = [...new Set(generatorBound.map((r) => `${r.target} (K=${r.instances})`))].join(', ');
    notes.push(
      `The load generator used a whole core in ${which}: those runs measure what one Node.js client process can ` +
        `send, so the servers could do more than shown.`,
    );
  }
  const skipped = [...new Set(report.runs.filter((r) => r.skipped).map((r) => r.skipped!))];
  notes.push(...skipped);
  const sessionFailed = report.runs.find(
    (r) => r.target === 'session-cart' && r.expectedToFail && r.routing === 'round-robin',
  );
  if (sessionFailed) {
    const kinds = Object.entries(sessionFailed.errors)
      .map(([kind, count]) => `${count} "${kind}"`)
      .join(', ');
    notes.push(
      `The session-scoped cart behind round-robin at K=${sessionFailed.instances}: ${kinds || 'no errors'} - ` +
        `a session lives in one process, so any other instance has never heard of it.`,
    );
  }
  return notes;
}

/** What PostgreSQL cost per call next to SQLite, and how many instances one primary carries. */
function postgresNotes(report: ScaleReport): string[] {
  const notes: string[] = [];
  const p = postgresProjection(report);
  const ceiling = report.postgresCeiling;
  if (p) {
    const lite = report.runs.find(
      (r) =>
        isSteady(r) &&
        r.target === p.run.target &&
        (r.store ?? 'sqlite') === 'sqlite' &&
        r.instances === p.run.instances &&
        r.routing === p.run.routing,
    );
    const database = p.run.cpu.databaseMsPerCall;
    notes.push(
      `On PostgreSQL the cart workload costs ${ms(p.run.cpu.serverMsPerCall)} ms of server CPU per call` +
        `${database ? ` and ${ms(database)} ms of the database's` : ''} (K=${p.run.instances}, ${p.run.routing})` +
        `${lite?.cpu.serverMsPerCall ? `; on SQLite in the same run, ${ms(lite.cpu.serverMsPerCall)} ms` : ''}.`,
    );
  }
  if (ceiling && p) {
    const instances = Math.round(p.instancesPerPrimary);
    notes.push(
      `PostgreSQL took ${ceiling.oneConnection} cart adds/s on one connection and ${ceiling.manyConnections}/s on ` +
        `${ceiling.connections} (durable: each commit waits for its WAL flush); at ${Math.round(p.addShare * 100)}% adds ` +
        `that carries about ${Math.round(p.databaseCarries)} calls/s, about ${instances} single-core ` +
        `instance${instances === 1 ? '' : 's'} per primary. The database shared this machine's ${report.machine.cpus} CPUs with the ` +
        'servers and the load generator; on a host of its own it would carry more.',
    );
  }
  return notes;
}

const ms = (n: number | null | undefined) => (n ?? 0).toFixed(2);

/**
 * The cart workload's row with the most throughput per instance, where CPU was measured. Only
 * round-robin rows: under affinity one shared cart puts all its calls on one instance.
 */
function bestCartRun(runs: ScaleRun[]): ScaleRun | undefined {
  return runs
    .filter((r) => r.target === 'workload:cart' && r.cpu.serverMsPerCall !== null && r.routing.endsWith('round-robin'))
    .sort((a, b) => b.perInstance - a.perInstance)[0];
}

function addShareOf(run: ScaleRun): number {
  const total = Object.values(run.byTool).reduce((sum, t) => sum + t.ok, 0);
  return total ? (run.byTool.cart_add_item?.ok ?? 0) / total : 0;
}

const pct = (value: number) => `${Math.round(value)}%`;
