/**
 * The rows the run and sweep reports are made of: policies side by side per method, one row per
 * subagent count for a sweep, the checks, and the client and server counts per server; with the
 * cell formats they share (requests, KiB, ratios, agreement).
 */
import { HTTP_GET, type Traffic } from './counting.js';
import { COUNTED_METHODS, type Report, type RunReport } from './report.js';

export type Row = string[];

/** One column per policy, one row per method (requests and bytes), then the verdicts. */
export function sideBySide(report: Report, subagents: number): Row[] {
  const runs = report.policies.map((p) => report.runs.find((r) => r.policy === p && r.subagents === subagents));
  const cell = (run: RunReport | undefined, f: (run: RunReport) => string) => (run ? f(run) : '-');
  const methods = [...COUNTED_METHODS, HTTP_GET];
  return [
    ['', ...report.policies],
    ...methods.map((method) => [
      method === HTTP_GET ? `${HTTP_GET} (405, client only)` : method,
      ...runs.map((run) => cell(run, (r) => traffic(r.totals[method]))),
    ]),
    ['tools/list : tools/call bytes', ...runs.map((run) => cell(run, (r) => ratio(r.ratios.listPerToolBytes)))],
    ['overhead : tools/call bytes', ...runs.map((run) => cell(run, (r) => ratio(r.ratios.overheadPerToolBytes)))],
    ['client = server /metrics', ...runs.map((run) => cell(run, agreement))],
    ['checks', ...runs.map((run) => cell(run, checks))],
    ['time', ...runs.map((run) => cell(run, (r) => `${(r.durationMs / 1000).toFixed(1)} s`))],
  ];
}

/** The re-fetch table: one row per subagent count; each cell holds every policy, "a / b". */
export function sweepTable(report: Report): Row[] {
  const policies = report.policies;
  const head = [
    'subagents',
    'tools/list',
    'tools/list KiB',
    'initialize',
    'server/discover',
    'tools/call',
    'list:call bytes',
    'overhead:call bytes',
    'client = server',
    'checks',
  ];
  const counts = [...new Set(report.runs.map((r) => r.subagents))];
  const rows = counts.map((subagents) => {
    const runs = policies.map((p) => report.runs.find((r) => r.policy === p && r.subagents === subagents));
    const each = (f: (r: RunReport) => string) => runs.map((r) => (r ? f(r) : '-')).join(' / ');
    const all = runs.filter((r): r is RunReport => r !== undefined);
    return [
      String(subagents),
      each((r) => requests(r.totals['tools/list'])),
      each((r) => kibNumber(r.totals['tools/list'])),
      each((r) => requests(r.totals.initialize)),
      each((r) => requests(r.totals['server/discover'])),
      each((r) => requests(r.totals['tools/call'])),
      each((r) => ratio(r.ratios.listPerToolBytes)),
      each((r) => ratio(r.ratios.overheadPerToolBytes)),
      all.every((r) => r.agree) ? 'yes' : 'NO',
      all.every((r) => r.ok) ? 'passed' : 'FAILED',
    ];
  });
  return [head, ...rows];
}

/** The scenario's own checks: the outcome under every policy, and what was found. */
export function checkRows(runs: RunReport[]): Row[] {
  const names = [...new Set(runs.flatMap((r) => r.checks.map((c) => c.name)))];
  return names.map((name) => {
    const found = runs.map((r) => r.checks.find((c) => c.name === name));
    const shown = found.find((c) => c && !c.ok) ?? found.at(-1);
    return [name, ...found.map((c) => (c === undefined ? '-' : c.ok ? 'ok' : 'FAILED')), shown?.detail ?? ''];
  });
}

export function perServerTable(runs: RunReport[]): Row[] {
  const rows: Row[] = [['policy', 'server', 'method', 'client', 'server /metrics', 'agree']];
  for (const run of runs) {
    for (const server of run.perServer) {
      for (const m of server.methods) {
        if (m.client.requests === 0 && (m.server?.requests ?? 0) === 0) continue;
        rows.push([
          run.policy,
          server.server,
          m.method,
          trafficDetail(m.client),
          m.server ? trafficDetail(m.server) : 'not counted',
          m.agree === null ? '-' : m.agree ? 'yes' : 'NO',
        ]);
      }
    }
  }
  return rows;
}

function agreement(run: RunReport): string {
  const pairs = run.perServer.flatMap((s) => s.methods.filter((m) => m.agree !== null));
  return `${run.agree ? 'yes' : 'NO'} (${pairs.filter((m) => m.agree).length}/${pairs.length})`;
}

function checks(run: RunReport): string {
  const passed = run.checks.filter((c) => c.ok).length;
  return run.error
    ? 'FAILED (stopped)'
    : `${passed}/${run.checks.length} ${passed === run.checks.length ? 'passed' : 'FAILED'}`;
}

const requests = (t: Traffic | undefined) => String(t?.requests ?? 0);

function traffic(t: Traffic | undefined): string {
  const n = t?.requests ?? 0;
  return n === 0 ? '0' : `${n} (${kib(t!.requestBytes + t!.responseBytes)})`;
}

function trafficDetail(t: Traffic): string {
  return `${t.requests} req, ${t.requestBytes} B in, ${t.responseBytes} B out`;
}

function kibNumber(t: Traffic | undefined): string {
  return t ? ((t.requestBytes + t.responseBytes) / 1024).toFixed(1) : '0';
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function ratio(value: number | null): string {
  return value === null ? '-' : value.toFixed(2);
}
