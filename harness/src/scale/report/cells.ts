/**
 * One scale run as table cells, and the cell formats every table shares: the run's label (target,
 * store, hosts, fault), counts with thousands separators, milliseconds, ratios, error and
 * invariant summaries, and the result word.
 */
import type { Invariant, ScaleRun } from './schema.js';

export type Row = string[];

/**
 * The target, and where it kept its state when that is news: "workload:cart (postgres, 2 hosts)";
 * a report from before PostgreSQL, or a SQLite run on loopback, shows the target alone.
 */
export function targetLabel(run: Pick<ScaleRun, 'target' | 'store' | 'hosts'>): string {
  const hosts = run.hosts ?? null;
  if ((run.store ?? 'sqlite') === 'sqlite' && hosts === null) return run.target;
  return `${run.target} (${run.store}${hosts === null ? '' : `, ${hosts} host${hosts === 1 ? '' : 's'}`})`;
}

/** The routing, and the fault the run suffered: "+ kill" (one instance), "+ kill host", "+ db restart". */
export function routingCell(run: ScaleRun): string {
  if (run.databaseRestart) return `${run.routing} + db restart`;
  if (run.failover) return `${run.routing} + kill${run.failover.host ? ' host' : ''}`;
  return run.routing;
}

export const runLabel = (run: ScaleRun): string => {
  const fault = run.databaseRestart
    ? ', database restarted'
    : run.failover
      ? run.failover.host
        ? ', one host killed'
        : ', one instance killed'
      : '';
  return `${targetLabel(run)}, K=${run.instances}, ${run.routing}${fault}`;
};

export const skippedLine = (run: ScaleRun): string =>
  `${targetLabel(run)}, K=${run.instances}, ${run.routing}: skipped: ${run.skipped}`;

export function runCells(run: ScaleRun): Row {
  const l = run.latencyMs;
  return [
    targetLabel(run),
    String(run.instances),
    routingCell(run),
    int(run.succeeded),
    int(run.throughput),
    int(run.perInstance),
    ms(l.p50),
    ms(l.p95),
    ms(l.p99),
    errorsCell(run.errors),
    cpuMs(run.cpu.serverMsPerCall),
    run.browser ? `${int(run.browser.warm)} / ${int(run.browser.rehydrated)}` : '-',
    invariantsCell(run.invariants),
    resultOf(run),
  ];
}

export function resultOf(run: ScaleRun): string {
  if (run.skipped === null && run.succeeded === 0) return 'FAILED: completed no calls';
  if (run.expectedToFail) return run.ok ? 'failed as expected' : 'FAILED: expected a failure';
  return run.ok ? 'ok' : 'FAILED';
}

export function invariantsCell(invariants: Invariant[]): string {
  if (!invariants.length) return '-';
  const held = invariants.filter((i) => i.ok).length;
  return `${held === invariants.length ? '✓' : '✗'} ${held}/${invariants.length}`;
}

export function errorsCell(errors: Record<string, number>): string {
  const kinds = Object.entries(errors).filter(([, n]) => n > 0);
  return kinds.length ? kinds.map(([kind, n]) => `${int(n)} ${kind}`).join(', ') : '0';
}

export const loadOf = (run: ScaleRun): string =>
  run.agents !== null ? `${run.agents} agents` : `${run.rate ?? 0} calls/s open loop`;
export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (n: number | null) => (n === null ? '-' : n.toFixed(1));
/** Two decimals: a raw responder's CPU per call is a few hundredths of a millisecond. */
export const cpuMs = (n: number | null) => (n === null ? '-' : n.toFixed(2));
export const ratio = (n: number | null) => (n === null ? '-' : n.toFixed(2));
/** A cell that reads as a number (or a missing one), so its column is right-aligned. */
export const isNumber = (cell: string): boolean => /^(-|-?[\d,.]+)$/.test(cell);
