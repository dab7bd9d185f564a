/**
 * The scale report as one self-contained HTML page: inline CSS and SVG charts (charts.ts), no
 * script and nothing fetched, so it can be attached to a CI run and opened anywhere. The tables
 * below the charts are the Markdown summary's rows (tables.ts). Only the commands import it.
 */
import { isNumber, skippedLine, type Row } from '../cells.js';
import type { ScaleReport, ScaleRun } from '../schema.js';
import {
  COMPARISON_LEAD,
  comparisonRows,
  POSTGRES_LEAD,
  postgresRows,
  RESTART_LEAD,
  TOPOLOGY_LEAD,
  topologyRows,
} from '../postgres-tables.js';
import {
  failoverRows,
  invariantRows,
  killedLead,
  machineLine,
  ratioRows,
  restartRows,
  sessionRows,
  storeRows,
  throughputRows,
  verdictOf,
} from '../tables.js';
import { charts } from './charts.js';
import { escapeXml as esc } from './svg-chart.js';

const WRAP_AT = 24;

export function formatScaleHtml(report: ScaleReport): string {
  const passed = verdictOf(report).startsWith('PASSED');
  const title = `Scale-out: ${report.scenario.title}`;
  const tables: Array<[string, Row[], string?]> = [
    ['Simulated hosts', topologyRows(report), TOPOLOGY_LEAD],
    ['Throughput', throughputRows(report)],
    ['Per instance vs the baselines', ratioRows(report), 'Per-instance calls/s over raw and echo at the same K.'],
    ['Session-scoped cart vs sessionless cart', sessionRows(report)],
    ['Failover', failoverRows(report), killedLead(report)],
    ['Database restart', restartRows(report), RESTART_LEAD],
    ['SQLite vs PostgreSQL', comparisonRows(report), COMPARISON_LEAD],
    ['Invariants', invariantRows(report)],
    ['Store ceiling and projection inputs', storeRows(report)],
    ['PostgreSQL ceiling and projection', postgresRows(report), POSTGRES_LEAD],
  ];
  const skipped = report.runs.filter((r) => r.skipped !== null);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="verdict ${passed ? 'pass' : 'fail'}">${esc(verdictOf(report))}</p>
<dl>
<dt>Machine</dt><dd>${esc(machineLine(report))}</dd>
<dt>Command</dt><dd><code>${esc(report.command)}</code></dd>
<dt>Started</dt><dd>${esc(report.startedAt.replace('T', ' ').slice(0, 16))} UTC, ${Math.round(report.durationMs / 1000)} s in all</dd>
</dl>
${report.notes.length ? `<aside><h2>Read first</h2><ul>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></aside>` : ''}
</header>
<main>
<section class="charts">
${charts(report)}
</section>
${tables
  .filter(([, rows]) => rows.length > 1)
  .map(([name, rows, lead]) => section(name, rows, lead, name === 'Throughput' ? skipped : []))
  .join('\n')}
</main>
</body>
</html>
`;
}

function section(name: string, rows: Row[], lead: string | undefined, skipped: ScaleRun[]): string {
  const [head, ...body] = rows;
  const right = head!.map((_, i) => body.every((r) => isNumber(r[i] ?? '')));
  // Short cells stay on one line; long text (error kinds, invariant details) wraps.
  const kind = (text: string, i: number) => (right[i] ? ' class="num"' : text.length > WRAP_AT ? ' class="wrap"' : '');
  const cell = (tag: string, text: string, i: number) => `<${tag}${kind(text, i)}>${esc(text)}</${tag}>`;
  const table =
    `<table>\n<thead><tr>${head!.map((h, i) => cell('th', h, i)).join('')}</tr></thead>\n<tbody>\n` +
    body.map((r) => `<tr${rowClass(r)}>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('\n') +
    '\n</tbody>\n</table>';
  const skippedList = skipped.length
    ? `<ul class="skipped">${skipped.map((r) => `<li>${esc(skippedLine(r))}</li>`).join('')}</ul>`
    : '';
  return `<section>\n<h2>${esc(name)}</h2>\n${lead ? `<p>${esc(lead)}</p>\n` : ''}<div class="scroll">${table}</div>${skippedList}\n</section>`;
}

/** Expected failures and real ones look different at a glance. */
function rowClass(row: Row): string {
  if (row.some((c) => c === 'failed as expected' || c.endsWith('(expected)'))) return ' class="expected"';
  return row.some((c) => c.startsWith('FAILED') || c.startsWith('✗')) ? ' class="failed"' : '';
}

const CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #59636e; --line: #d0d7de; --pass: #1a7f37; --fail: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
header, main { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 1.5rem; margin: 0 0 8px; }
h2 { font-size: 1.15rem; margin: 28px 0 8px; }
.verdict { font-weight: 600; padding: 8px 12px; border-radius: 6px; margin: 0 0 12px; }
.verdict.pass { background: #dafbe1; color: var(--pass); }
.verdict.fail { background: #ffebe9; color: var(--fail); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; color: var(--muted); }
dt { font-weight: 600; } dd { margin: 0; } code { font-size: 0.85rem; overflow-wrap: anywhere; }
aside { border-left: 4px solid #0072b2; background: #f6f8fa; padding: 4px 16px; margin-top: 16px; }
aside h2 { font-size: 1rem; margin: 8px 0 0; } aside ul { margin: 4px 0 8px; padding-left: 20px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; margin-top: 24px; }
figure { margin: 0; padding: 12px; border: 1px solid var(--line); border-radius: 8px; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-bottom: 8px; }
figcaption strong { display: block; color: var(--ink); font-size: 0.95rem; }
svg text { font-size: 12px; fill: var(--ink); }
svg .tick { fill: var(--muted); font-size: 11px; } svg .axis-label { font-weight: 600; }
svg .grid { stroke: #eaeef2; } svg .axis { stroke: #8c959f; } svg .empty { fill: var(--muted); }
.note { color: var(--muted); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.82rem; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
td { white-space: nowrap; } td.wrap { white-space: normal; min-width: 13em; }
th { vertical-align: bottom; white-space: normal !important; min-width: 3.5em; }
th { background: #f6f8fa; } .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.failed td { background: #ffebe9; } tr.expected td { background: #fff8c5; }
ul.skipped { color: var(--muted); }
`;
