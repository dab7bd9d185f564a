/**
 * The scale report's tables, built once as rows of strings so the terminal, the Markdown summary
 * and the HTML page show the same numbers, and the one-line verdict they all lead with.
 */
import {
  cpuMs,
  errorsCell,
  int,
  invariantsCell,
  ratio,
  resultOf,
  routingCell,
  runCells,
  runLabel,
  targetLabel,
  type Row,
} from './cells.js';
import { isSteady, ratiosOf } from './ratios.js';
import type { Invariant, ScaleReport, ScaleRun, Target } from './schema.js';

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
    `nginx ${m.nginx ?? 'not found'}, k6 ${m.k6 ?? 'not found'}${m.postgres ? `, ${m.postgres}` : ''}; ` +
    `${report.startedAt.slice(0, 10)}.`
  );
}

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
  const ordered = groupsOf(report).flatMap((g) => g.runs.filter((r) => r.skipped === null));
  return [RUN_HEAD, ...ordered.map(runCells)];
}

export function ratioRows(report: ScaleReport): Row[] {
  const head = ['workload', 'K', 'routing', 'per instance', 'raw per instance', '÷ raw', 'echo per instance', '÷ echo'];
  const rows = ratiosOf(report).map((r) => [
    targetLabel(r),
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
          !r.databaseRestart &&
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
      const killed = f.host ? `host ${f.host} (#${(f.instances ?? [f.instance]).join(', #')})` : `#${f.instance}`;
      return [
        targetLabel(r),
        String(r.instances),
        r.routing,
        `${killed} at ${f.killedAtSeconds} s`,
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

/** Each run with PostgreSQL restarted mid-window: how long it was down and what the calls went through. */
export function restartRows(report: ScaleReport): Row[] {
  const head = ['target', 'K', 'routing', 'restarted', 'down', 'failed attempts', 'retried (ok)', 'not retried'];
  const rows = report.runs
    .filter((r) => r.databaseRestart && r.skipped === null)
    .map((r) => {
      const d = r.databaseRestart!;
      return [
        targetLabel(r),
        String(r.instances),
        r.routing,
        `at ${d.restartedAtSeconds} s`,
        `${int(d.tookMs)} ms`,
        errorsCell(d.failedAttempts),
        `${int(d.retried)} (${int(d.retriedOk)})`,
        int(d.notRetried),
        errorsCell(r.errors),
        invariantsCell(r.invariants),
        resultOf(r),
      ];
    });
  return [[...head, 'errors', 'invariants', 'result'], ...rows];
}

/** One row per invariant and target: how many runs held it, and the numbers of a failing run. */
export function invariantRows(report: ScaleReport): Row[] {
  const groups = new Map<string, Array<{ run: ScaleRun; inv: Invariant }>>();
  for (const run of report.runs.filter((r) => r.skipped === null)) {
    for (const inv of run.invariants) {
      const key = `${targetLabel(run)}\u0000${inv.name}`;
      groups.set(key, [...(groups.get(key) ?? []), { run, inv }]);
    }
  }
  const rows = [...groups.values()].map((all) => {
    const held = all.filter((a) => a.inv.ok).length;
    const shown = all.find((a) => !a.inv.ok) ?? all.at(-1)!;
    const mark = held === all.length ? '✓' : '✗';
    const note = held < all.length && all.every((a) => a.inv.ok || a.run.expectedToFail) ? ' (expected)' : '';
    const where = `K=${shown.run.instances} ${routingCell(shown.run)}`;
    return [
      targetLabel(shown.run),
      shown.inv.name,
      `${mark} ${held}/${all.length}${note}`,
      `${where}: ${shown.inv.detail}`,
    ];
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
  const carts = report.runs.filter(
    (r) => r.target === 'workload:cart' && (r.store ?? 'sqlite') === 'sqlite' && isSteady(r) && r.byTool.cart_add_item,
  );
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

/**
 * The runs by target and where it kept its state ("workload:cart", "workload:cart (postgres)"):
 * workloads in report order, then the session-scoped cart, then the baselines.
 */
export function groupsOf(report: ScaleReport): Array<{ label: string; runs: ScaleRun[] }> {
  const rank = (t: Target) => (t.startsWith('workload:') ? 0 : ['session-cart', 'echo', 'raw'].indexOf(t) + 1);
  const targets = [...new Set(report.runs.map((r) => r.target))].sort((a, b) => rank(a) - rank(b));
  return targets.flatMap((target) => {
    const runs = report.runs.filter((r) => r.target === target);
    const labels = [...new Set(runs.map(targetLabel))];
    return labels.map((label) => ({ label, runs: runs.filter((r) => targetLabel(r) === label) }));
  });
}

/** The failover table's lead: what was killed, when. */
export function killedLead(report: ScaleReport): string {
  const when = report.settings.killOneAt === null ? 'mid-run' : `${report.settings.killOneAt} s`;
  if (!report.settings.hosts) return `One instance SIGKILLed ${when} into the window.`;
  const loopback = report.runs.some((r) => r.failover && !r.failover.host);
  return `Every instance on one simulated host SIGKILLed ${when} into the window${loopback ? ' (a baseline on loopback: one instance)' : ''}.`;
}
