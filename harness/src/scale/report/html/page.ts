/**
 * The scale report as one self-contained HTML page: inline CSS and SVG charts drawn here, no
 * script and nothing fetched, so it can be attached to a CI run and opened anywhere. The charts
 * show throughput and p99 against instances per routing, and re-fetches against subagents; the
 * tables below them are the Markdown summary's rows (tables.ts).
 */
import { ROUTINGS } from '../../routings.js';
import type { ScaleReport, ScaleRun, Target } from '../schema.js';
import { escapeXml as esc, lineChart, type ChartSeries, type LineChart } from './svg-chart.js';
import {
  failoverRows,
  invariantRows,
  isNumber,
  isSteady,
  machineLine,
  ratioRows,
  sessionRows,
  skippedLine,
  storeRows,
  throughputRows,
  verdictOf,
  type Row,
} from '../tables.js';

const BASELINES: Target[] = ['echo', 'raw'];
/** Throughput spans orders of magnitude (raw vs a browser workload) beyond this ratio: use a log axis. */
const LOG_AT = 8;
const WRAP_AT = 24;

export function formatScaleHtml(report: ScaleReport): string {
  const passed = verdictOf(report).startsWith('PASSED');
  const title = `Scale-out: ${report.scenario.title}`;
  const tables: Array<[string, Row[], string?]> = [
    ['Throughput', throughputRows(report)],
    ['Per instance vs the baselines', ratioRows(report), 'Per-instance calls/s over raw and echo at the same K.'],
    ['Session-scoped cart vs sessionless cart', sessionRows(report)],
    ['Failover', failoverRows(report), 'One instance SIGKILLed mid-run.'],
    ['Invariants', invariantRows(report)],
    ['Store ceiling and projection inputs', storeRows(report)],
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
${workloadsOf(report)
  .flatMap((t) => [throughputChart(report, t), p99Chart(report, t)])
  .join('\n')}
${refetchChart(report)}
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

function throughputChart(report: ScaleReport, target: Target): string {
  const series = seriesOf(
    report,
    target,
    (r) => r.throughput,
    (n) => `${int(n)} calls/s`,
  );
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const logY = ys.length > 0 && Math.min(...ys) > 0 && Math.max(...ys) / Math.min(...ys) >= LOG_AT;
  return figure(
    'throughput',
    target,
    {
      id: `throughput-${slug(target)}`,
      title: `${target}: throughput vs instances`,
      xLabel: 'instances (K)',
      yLabel: `calls/s${logY ? ' (log scale)' : ''}`,
      xTicks: instancesOf(report),
      logY,
      series,
    },
    `Successful calls per second, one line per routing; ${baselineText(series)}${logY ? ' Log scale.' : ''}`,
  );
}

function p99Chart(report: ScaleReport, target: Target): string {
  const series = seriesOf(
    report,
    target,
    (r) => r.latencyMs.p99,
    (n) => `p99 ${n.toFixed(1)} ms`,
  );
  return figure(
    'p99',
    target,
    {
      id: `p99-${slug(target)}`,
      title: `${target}: p99 latency vs instances`,
      xLabel: 'instances (K)',
      yLabel: 'p99 latency (ms)',
      xTicks: instancesOf(report),
      series,
    },
    `99th-percentile latency of a tool call, one line per routing; ${baselineText(series)}`,
  );
}

function refetchChart(report: ScaleReport): string {
  const sweep = report.sweep;
  if (!sweep) return '<p class="note">No sweep in this report: the re-fetch chart is omitted.</p>';
  const series: ChartSeries[] = sweep.series.map((s, i) => ({
    name: s.policy,
    style: i,
    points: sweep.subagents.flatMap((n, j) => {
      const y = s.toolsList[j];
      return y === undefined ? [] : [{ x: n, y, title: `${s.policy}, ${n} subagents: ${int(y)} tools/list requests` }];
    }),
  }));
  const chart: LineChart = {
    id: 'refetches',
    title: 'Re-fetches: tools/list requests vs subagents',
    xLabel: 'subagents',
    yLabel: 'tools/list requests',
    xTicks: sweep.subagents,
    series,
  };
  return figure('refetches', null, chart, `One line per client policy, from ${sweep.source}.`);
}

/** One series per routing of the target, then one per baseline and routing, from steady runs. */
function seriesOf(
  report: ScaleReport,
  target: Target,
  value: (run: ScaleRun) => number | null,
  describe: (n: number) => string,
): ChartSeries[] {
  const steady = report.runs.filter(isSteady);
  const line = (runs: ScaleRun[], name: string, style: number): ChartSeries => ({
    name,
    style,
    points: runs.flatMap((r) => {
      const y = value(r);
      return y === null ? [] : [{ x: r.instances, y, title: `${name}, K=${r.instances}: ${describe(y)}` }];
    }),
  });
  const own = ROUTINGS.map((routing, i) =>
    line(
      steady.filter((r) => r.target === target && r.routing === routing),
      routing,
      i,
    ),
  );
  const baselines = BASELINES.flatMap((b) =>
    ROUTINGS.map((routing) => steady.filter((r) => r.target === b && r.routing === routing)),
  )
    .filter((runs) => runs.length > 0)
    .map((runs, i) => line(runs, `${runs[0]!.target} · ${runs[0]!.routing}`, ROUTINGS.length + i));
  return [...own, ...baselines].filter((s) => s.points.length > 0);
}

function baselineText(series: ChartSeries[]): string {
  const names = series.filter((s) => s.style >= ROUTINGS.length).map((s) => s.name);
  return names.length ? `hollow markers: the baselines ${names.join(' and ')}.` : 'no baseline ran.';
}

function figure(kind: string, target: Target | null, chart: LineChart, caption: string): string {
  const data = target ? ` data-target="${esc(target)}"` : '';
  const heading = `<figcaption><strong>${esc(chart.title)}</strong> ${esc(caption)}</figcaption>`;
  return `<figure data-chart="${kind}"${data}>\n${heading}\n${lineChart(chart)}\n</figure>`;
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

const workloadsOf = (report: ScaleReport): Target[] =>
  [...new Set(report.runs.map((r) => r.target))].filter((t) => t.startsWith('workload:'));
const instancesOf = (report: ScaleReport): number[] =>
  [...new Set(report.runs.filter(isSteady).map((r) => r.instances))].sort((a, b) => a - b);
const slug = (text: string) => text.replace(/[^a-z0-9]+/gi, '-');
const int = (n: number) => Math.round(n).toLocaleString('en-US');

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
