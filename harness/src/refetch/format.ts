/**
 * Rendering a report for people: a plain-text table for the terminal and Markdown for a CI step
 * summary or the docs. Both are built from the JSON report alone, so what people read is what
 * machines read. One subagent count gives policies side by side, method by method; a sweep
 * gives one row per subagent count (the re-fetch table).
 */
import { HTTP_GET, type Traffic } from './counting.js';
import { POLICY_SUMMARIES } from './policies.js';
import { COUNTED_METHODS, type Report, type RunReport } from './report.js';

type Row = string[];

export function formatText(report: Report): string {
  const lines = [header(report), ''];
  const counts = [...new Set(report.runs.map((r) => r.subagents))];
  if (counts.length === 1) {
    lines.push(...textTable(sideBySide(report, counts[0]!)), '', ...policyList(report), '', ...checkList(report.runs));
  } else {
    lines.push(cellLegend(report), '', ...textTable(sweepTable(report)));
  }
  lines.push('', ...formulas(report), '', ...verdict(report), ...warnings(report));
  return lines.join('\n');
}

export function formatMarkdown(report: Report): string {
  const counts = [...new Set(report.runs.map((r) => r.subagents))];
  const m = report.machine;
  const lines = [
    `## ${report.scenario.title}`,
    '',
    `Scenario \`${report.scenario.name}\` (${report.scenario.file}); ${describeTeam(report)}. ` +
      `${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${report.startedAt.slice(0, 10)}.`,
    '',
  ];
  if (counts.length === 1) {
    lines.push(...markdownTable(sideBySide(report, counts[0]!)), '', '### Checks', '');
    lines.push(...markdownTable([['check', ...report.runs.map((r) => r.policy), 'found'], ...checkRows(report.runs)]));
    lines.push('', '### Per server', '', ...markdownTable(perServerTable(report.runs)));
  } else {
    lines.push(cellLegend(report), '', ...markdownTable(sweepTable(report)));
  }
  lines.push(
    '',
    ...formulas(report).map((l) => `${l}  `),
    '',
    ...[...verdict(report), ...warnings(report)].map((l) => `${l}  `),
  );
  const failed = report.runs.flatMap((r) =>
    r.checks.filter((c) => !c.ok).map((c) => `- ${r.policy}, ${subagentsText(r.subagents)}: ${c.name}: ${c.detail}`),
  );
  if (failed.length) lines.push('', '### Failed checks', '', ...failed);
  return `${lines.join('\n')}\n`;
}

function header(report: Report): string {
  return `${report.scenario.title}\n${describeTeam(report)}`;
}

function describeTeam(report: Report): string {
  const counts = [...new Set(report.runs.map((r) => r.subagents))];
  const servers = report.scenario.servers;
  const who = counts.length === 1 ? subagentsText(counts[0]!) : `${counts.join(', ')} subagents`;
  return `${who} + 1 orchestrator on ${servers.length} servers (${servers.join(', ')}), policies ${report.policies.join(' vs ')}`;
}

/** One column per policy, one row per method (requests and bytes), then the verdicts. */
function sideBySide(report: Report, subagents: number): Row[] {
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
function sweepTable(report: Report): Row[] {
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

function policyList(report: Report): string[] {
  return ['Policies:', ...report.policies.map((p) => `  ${p.padEnd(12)} ${POLICY_SUMMARIES[p]}`)];
}

/** The scenario's own checks: the outcome under every policy, and what was found. */
function checkRows(runs: RunReport[]): Row[] {
  const names = [...new Set(runs.flatMap((r) => r.checks.map((c) => c.name)))];
  return names.map((name) => {
    const found = runs.map((r) => r.checks.find((c) => c.name === name));
    const shown = found.find((c) => c && !c.ok) ?? found.at(-1);
    return [name, ...found.map((c) => (c === undefined ? '-' : c.ok ? 'ok' : 'FAILED')), shown?.detail ?? ''];
  });
}

function checkList(runs: RunReport[]): string[] {
  const rows = checkRows(runs).map(([name, ...rest]) => {
    const detail = rest.pop();
    return `  ${rest.join(' / ').padEnd(runs.length * 9)} ${name}: ${detail}`;
  });
  return [`Checks (${runs.map((r) => r.policy).join(' / ')}):`, ...rows];
}

function cellLegend(report: Report): string {
  return (
    `Each cell: ${report.policies.join(' / ')}. Bytes are request + response bodies; overhead = server/discover + ` +
    'initialize + notifications/initialized + tools/list + GET /mcp.'
  );
}

function perServerTable(runs: RunReport[]): Row[] {
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

function formulas(report: Report): string[] {
  const m = report.scenario.servers.length;
  const counts = [...new Set(report.runs.map((r) => r.subagents))];
  if (counts.length === 1) {
    const s = counts[0]!;
    return [
      `With S = ${subagentsText(s)} + 1 orchestrator on M = ${m} servers: session-era tools/list = initialize = ` +
        `(S+1) x M = ${s + 1} x ${m} = ${(s + 1) * m};`,
      `sessionless tools/list = server/discover = M = ${m}, initialize = 0. tools/call is the same work under both.`,
    ];
  }
  return [
    `Formulas (S subagents + 1 orchestrator, M = ${m} servers): session-era tools/list = initialize = (S+1) x M;`,
    'sessionless tools/list = server/discover = M, initialize = 0. tools/call is the same work under both policies.',
  ];
}

function verdict(report: Report): string[] {
  const failed = report.runs.filter((r) => !r.ok);
  const disagree = report.runs.filter((r) => !r.agree);
  if (failed.length === 0) {
    const all = report.runs.length === 1 ? 'The run passed its' : `All ${report.runs.length} runs passed their`;
    return [`${all} checks; client and server counts agree.`];
  }
  return [
    `FAILED: ${failed.length} of ${report.runs.length} runs.` +
      (disagree.length ? ` Client and server counts disagree in ${disagree.length}.` : ''),
    ...failed.flatMap((r) => [
      `  ${r.policy}, ${subagentsText(r.subagents)}:${r.error ? ` ${r.error}` : ''}`,
      ...r.checks.filter((c) => !c.ok).map((c) => `    - ${c.name}: ${c.detail}`),
    ]),
  ];
}

function warnings(report: Report): string[] {
  return [...new Set(report.runs.flatMap((r) => r.warnings))].map((w) => `Note: ${w}`);
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

const subagentsText = (n: number) => `${n} subagent${n === 1 ? '' : 's'}`;

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

function textTable(rows: Row[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('   ')
      .trimEnd(),
  );
}

function markdownTable(rows: Row[]): string[] {
  const [head, ...body] = rows;
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  // Columns of numbers are right-aligned, text columns left.
  const numeric = (i: number) => body.length > 0 && body.every((row) => /^[-\d.]/.test(row[i] ?? ''));
  return [line(head!), `| ${head!.map((_, i) => (numeric(i) ? '---:' : '---')).join(' | ')} |`, ...body.map(line)];
}
