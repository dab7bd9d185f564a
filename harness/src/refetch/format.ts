/**
 * Rendering a report for people: a plain-text table for the terminal and Markdown for a CI step
 * summary or the docs. Both are built from the JSON report alone, so what people read is what
 * machines read. One subagent count gives policies side by side, method by method; a sweep
 * gives one row per subagent count (the re-fetch table).
 */
import { checkRows, perServerTable, sideBySide, sweepTable, type Row } from './format-tables.js';
import { formulaOf, POLICY_FORMULAS, POLICY_SUMMARIES } from './policies.js';
import type { Report, RunReport } from './report.js';

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

function policyList(report: Report): string[] {
  const width = Math.max(...report.policies.map((p) => p.length));
  return ['Policies:', ...report.policies.map((p) => `  ${p.padEnd(width)} ${POLICY_SUMMARIES[p]}`)];
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

function formulas(report: Report): string[] {
  const m = report.scenario.servers.length;
  const counts = [...new Set(report.runs.map((r) => r.subagents))];
  const same = `tools/call is the same work under ${report.policies.length === 2 ? 'both policies' : 'every policy'}.`;
  if (counts.length === 1) {
    const s = counts[0]!;
    return [
      `With S = ${subagentsText(s)} + 1 orchestrator on M = ${m} servers:`,
      ...report.policies.map((p) => `${p}: ${formulaOf(p, s, m).text};`),
      same,
    ];
  }
  return [
    `Formulas (S subagents + 1 orchestrator, M = ${m} servers):`,
    ...report.policies.map((p) => `${p}: ${POLICY_FORMULAS[p]};`),
    same,
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

const subagentsText = (n: number) => `${n} subagent${n === 1 ? '' : 's'}`;

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
