/**
 * The scale report's tables, built once as rows of strings so the terminal, the Markdown summary
 * and the HTML page show the same numbers, and the derived figures they share: the ratios to the
 * `raw` and `echo` baselines (which make a run read the same on any machine) and the verdict.
 */
import type { Routing } from '../routings.js';
import type { Invariant, ScaleReport, ScaleRun, Target } from './schema.js';

export type Row = string[];

export interface ScaleRatio {
  target: Target;
  instances: number;
  routing: Routing;
  perInstance: number;
  /** The baseline's per-instance throughput at the same K and routing, or null when it was not run. */
  rawPerInstance: number | null;
  echoPerInstance: number | null;
  toRaw: number | null;
  toEcho: number | null;
}

/** A run that measured steady throughput: done, and no instance killed during it. */
export const isSteady = (run: ScaleRun): boolean => run.skipped === null && run.failover === null;

/** Each workload's per-instance throughput over `raw`'s and `echo`'s at the same K and routing. */
export function ratiosOf(report: ScaleReport): ScaleRatio[] {
  const steady = report.runs.filter(isSteady);
  const baseline = (target: Target, run: ScaleRun) =>
    steady.find((b) => b.target === target && b.instances === run.instances && b.routing === run.routing);
  const over = (run: ScaleRun, b: ScaleRun | undefined) =>
    b && b.perInstance > 0 ? run.perInstance / b.perInstance : null;
  return steady
    .filter((run) => run.target.startsWith('workload:'))
    .flatMap((run) => {
      const raw = baseline('raw', run);
      const echo = baseline('echo', run);
      if (!raw && !echo) return [];
      const { target, instances, routing, perInstance } = run;
      return [
        {
          target,
          instances,
          routing,
          perInstance,
          rawPerInstance: raw?.perInstance ?? null,
          echoPerInstance: echo?.perInstance ?? null,
          toRaw: over(run, raw),
          toEcho: over(run, echo),
        },
      ];
    });
}

/** The one-line outcome: every run held its invariants, and expected failures were shown. */
export function verdictOf(report: ScaleReport): string {
  const done = report.runs.filter((r) => r.skipped === null);
  const failed = done.filter((r) => !r.ok);
  const expected = done.filter((r) => r.expectedToFail && r.ok).length;
  const skipped = report.runs.length - done.length;
  if (failed.length) return `FAILED: ${failed.length} of ${done.length} runs: ${failed.map(runLabel).join('; ')}.`;
  if (!report.ok) return 'FAILED: the report is marked failed though every run passed; see the notes.';
  const extra = [
    expected ? `the session-scoped cart failed where expected (${expected} run${expected === 1 ? '' : 's'})` : '',
    skipped ? `${skipped} skipped` : '',
  ].filter(Boolean);
  return `PASSED: ${done.length} runs, no unexpected error or broken invariant${extra.map((e) => `; ${e}`).join('')}.`;
}

export function machineLine(report: ScaleReport): string {
  const m = report.machine;
  return (
    `${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}/${m.arch}, Node ${m.node}, ` +
    `nginx ${m.nginx ?? 'not found'}, k6 ${m.k6 ?? 'not found'}; ${report.startedAt.slice(0, 10)}.`
  );
}

export const runLabel = (run: ScaleRun): string =>
  `${run.target}, K=${run.instances}, ${run.routing}${run.failover ? ', one instance killed' : ''}`;

export const skippedLine = (run: ScaleRun): string =>
  `${run.target}, K=${run.instances}, ${run.routing}: skipped: ${run.skipped}`;

const RUN_HEAD = [
  'target',
  'K',
  'routing',
  'ok calls',
  'calls/s',
  'per instance',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'errors',
  'server CPU ms/call',
  'warm / rehydrated',
  'invariants',
  'result',
];

/** Every run that was done, one row each, workloads first. */
export function throughputRows(report: ScaleReport): Row[] {
  const ordered = targetsOf(report).flatMap((t) => report.runs.filter((r) => r.target === t && r.skipped === null));
  return [RUN_HEAD, ...ordered.map(runCells)];
}

export function ratioRows(report: ScaleReport): Row[] {
  const head = ['workload', 'K', 'routing', 'per instance', 'raw per instance', '÷ raw', 'echo per instance', '÷ echo'];
  const rows = ratiosOf(report).map((r) => [
    r.target,
    String(r.instances),
    r.routing,
    int(r.perInstance),
    r.rawPerInstance === null ? '-' : int(r.rawPerInstance),
    ratio(r.toRaw),
    r.echoPerInstance === null ? '-' : int(r.echoPerInstance),
    ratio(r.toEcho),
  ]);
  return [head, ...rows];
}

/** Each session-scoped cart run next to the sessionless cart at the same K and routing. */
export function sessionRows(report: ScaleReport): Row[] {
  const head = ['K', 'routing', 'kill', 'session: ok calls', 'session: errors', 'session: result'];
  const rows = report.runs
    .filter((r) => r.target === 'session-cart' && r.skipped === null)
    .map((s) => {
      const mine = report.runs.find(
        (r) =>
          r.target === 'workload:cart' &&
          r.skipped === null &&
          r.instances === s.instances &&
          r.routing === s.routing &&
          (r.failover === null) === (s.failover === null),
      );
      const other = mine ? [int(mine.succeeded), errorsCell(mine.errors), resultOf(mine)] : ['-', '-', 'not run'];
      const kill = s.failover ? `#${s.failover.instance}` : '-';
      return [String(s.instances), s.routing, kill, int(s.succeeded), errorsCell(s.errors), resultOf(s), ...other];
    });
  return [[...head, 'sessionless: ok calls', 'sessionless: errors', 'sessionless: result'], ...rows];
}

export function failoverRows(report: ScaleReport): Row[] {
  const head = ['target', 'K', 'routing', 'killed', 'failed attempts', 'retried (ok)', 'not retried', 'errors'];
  const rows = report.runs
    .filter((r) => r.failover !== null && r.skipped === null)
    .map((r) => {
      const f = r.failover!;
      return [
        r.target,
        String(r.instances),
        r.routing,
        `#${f.instance} at ${f.killedAtSeconds} s`,
        errorsCell(f.failedAttempts),
        `${int(f.retried)} (${int(f.retriedOk)})`,
        int(f.notRetried),
        errorsCell(r.errors),
        invariantsCell(r.invariants),
        resultOf(r),
      ];
    });
  return [[...head, 'invariants', 'result'], ...rows];
}

/** One row per invariant and target: how many runs held it, and the numbers of a failing run. */
export function invariantRows(report: ScaleReport): Row[] {
  const groups = new Map<string, Array<{ run: ScaleRun; inv: Invariant }>>();
  for (const run of report.runs.filter((r) => r.skipped === null)) {
    for (const inv of run.invariants) {
      const key = `${run.target}\u0000${inv.name}`;
      groups.set(key, [...(groups.get(key) ?? []), { run, inv }]);
    }
  }
  const rows = [...groups.values()].map((all) => {
    const held = all.filter((a) => a.inv.ok).length;
    const shown = all.find((a) => !a.inv.ok) ?? all.at(-1)!;
    const mark = held === all.length ? '✓' : '✗';
    const note = held < all.length && all.every((a) => a.inv.ok || a.run.expectedToFail) ? ' (expected)' : '';
    const where = `K=${shown.run.instances} ${shown.run.routing}${shown.run.failover ? ' + kill' : ''}`;
    return [shown.run.target, shown.inv.name, `${mark} ${held}/${all.length}${note}`, `${where}: ${shown.inv.detail}`];
  });
  return [['target', 'invariant', 'held', 'detail'], ...rows];
}

/**
 * SQLite's own write rate next to the cart's add rate per instance (under the first routing):
 * their quotient at the smallest K is how many instances' adds one store file could absorb.
 */
export function storeRows(report: ScaleReport): Row[] {
  const store = report.storeCeiling;
  if (!store) return [];
  const carts = report.runs.filter((r) => r.target === 'workload:cart' && isSteady(r) && r.byTool.cart_add_item);
  const adds = carts
    .filter((r) => r.routing === carts[0]?.routing)
    .map((r) => ({ run: r, perInstance: r.byTool.cart_add_item!.ok / r.seconds / r.instances }))
    .sort((a, b) => a.run.instances - b.run.instances);
  const rows: Row[] = [
    ['store: one writer (the cart add, no MCP or HTTP)', `${int(store.writesPerSecond)} writes/s`],
    ['store: two processes writing one file', `${int(store.twoWritersPerSecond)} writes/s`],
    ...adds.map(({ run, perInstance }) => [
      `cart_add_item per instance, K=${run.instances} ${run.routing}`,
      `${int(perInstance)} calls/s at ${cpuMs(run.cpu.serverMsPerCall)} server CPU ms/call`,
    ]),
  ];
  const first = adds[0];
  if (first && first.perInstance > 0) {
    const quotient = ratio(store.twoWritersPerSecond / first.perInstance);
    rows.push([`two-writer rate ÷ add rate per instance at K=${first.run.instances}`, quotient]);
  }
  return [['input', 'value'], ...rows];
}

export function runCells(run: ScaleRun): Row {
  const l = run.latencyMs;
  return [
    run.target,
    String(run.instances),
    run.failover ? `${run.routing} + kill` : run.routing,
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

function resultOf(run: ScaleRun): string {
  if (run.skipped === null && run.succeeded === 0) return 'FAILED: completed no calls';
  if (run.expectedToFail) return run.ok ? 'failed as expected' : 'FAILED: expected a failure';
  return run.ok ? 'ok' : 'FAILED';
}

function invariantsCell(invariants: Invariant[]): string {
  if (!invariants.length) return '-';
  const held = invariants.filter((i) => i.ok).length;
  return `${held === invariants.length ? '✓' : '✗'} ${held}/${invariants.length}`;
}

function errorsCell(errors: Record<string, number>): string {
  const kinds = Object.entries(errors).filter(([, n]) => n > 0);
  return kinds.length ? kinds.map(([kind, n]) => `${int(n)} ${kind}`).join(', ') : '0';
}

/** Workloads in report order, then the session-scoped cart, then the baselines. */
export function targetsOf(report: ScaleReport): Target[] {
  const rank = (t: Target) => (t.startsWith('workload:') ? 0 : ['session-cart', 'echo', 'raw'].indexOf(t) + 1);
  const targets = [...new Set(report.runs.map((r) => r.target))];
  return targets.sort((a, b) => rank(a) - rank(b));
}

export function killedAt(report: ScaleReport): string {
  return report.settings.killOneAt === null ? 'mid-run' : `${report.settings.killOneAt} s`;
}

export const loadOf = (run: ScaleRun): string =>
  run.agents !== null ? `${run.agents} agents` : `${run.rate ?? 0} calls/s open loop`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number | null) => (n === null ? '-' : n.toFixed(1));
/** Two decimals: a raw responder's CPU per call is a few hundredths of a millisecond. */
const cpuMs = (n: number | null) => (n === null ? '-' : n.toFixed(2));
const ratio = (n: number | null) => (n === null ? '-' : n.toFixed(2));
/** A cell that reads as a number (or a missing one), so its column is right-aligned. */
export const isNumber = (cell: string): boolean => /^(-|-?[\d,.]+)$/.test(cell);
