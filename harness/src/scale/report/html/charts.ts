/**
 * The page's charts: throughput and p99 latency against instances, one line per routing (the
 * baselines hollow), for each workload on each store; and re-fetches against subagents from a
 * saved sweep.
 */
import { ROUTINGS } from '../../routings.js';
import { targetLabel } from '../cells.js';
import { isSteady } from '../ratios.js';
import type { ScaleReport, ScaleRun, Target } from '../schema.js';
import { escapeXml as esc, lineChart, type ChartSeries, type LineChart } from './svg-chart.js';

const BASELINES: Target[] = ['echo', 'raw'];
/** Throughput spans orders of magnitude (raw vs a browser workload) beyond this ratio: use a log axis. */
const LOG_AT = 8;

/** Every chart of the page, as <figure> elements. */
export function charts(report: ScaleReport): string {
  return [
    ...workloadsOf(report).flatMap((w) => [throughputChart(report, w), p99Chart(report, w)]),
    refetchChart(report),
  ].join('\n');
}

/** A workload on one store ("workload:cart (postgres, 2 hosts)"): one pair of charts. */
interface Charted {
  target: Target;
  label: string;
}

function throughputChart(report: ScaleReport, { target, label }: Charted): string {
  const series = seriesOf(
    report,
    label,
    (r) => r.throughput,
    (n) => `${int(n)} calls/s`,
  );
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const logY = ys.length > 0 && Math.min(...ys) > 0 && Math.max(...ys) / Math.min(...ys) >= LOG_AT;
  return figure(
    'throughput',
    target,
    {
      id: `throughput-${slug(label)}`,
      title: `${label}: throughput vs instances`,
      xLabel: 'instances (K)',
      yLabel: `calls/s${logY ? ' (log scale)' : ''}`,
      xTicks: instancesOf(report),
      logY,
      series,
    },
    `Successful calls per second, one line per routing; ${baselineText(series)}${logY ? ' Log scale.' : ''}`,
  );
}

function p99Chart(report: ScaleReport, { target, label }: Charted): string {
  const series = seriesOf(
    report,
    label,
    (r) => r.latencyMs.p99,
    (n) => `p99 ${n.toFixed(1)} ms`,
  );
  return figure(
    'p99',
    target,
    {
      id: `p99-${slug(label)}`,
      title: `${label}: p99 latency vs instances`,
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

/** One series per routing of the workload on its store, then one per baseline and routing, from steady runs. */
function seriesOf(
  report: ScaleReport,
  label: string,
  value: (run: ScaleRun) => number | null,
  describe: (n: number) => string,
): ChartSeries[] {
  const steady = report.runs.filter(isSteady);
  const line = (runs: ScaleRun[], name: string, style: number): ChartSeries => ({
    name,
    style,
    hollow: style >= ROUTINGS.length,
    points: runs.flatMap((r) => {
      const y = value(r);
      return y === null ? [] : [{ x: r.instances, y, title: `${name}, K=${r.instances}: ${describe(y)}` }];
    }),
  });
  const own = ROUTINGS.map((routing, i) =>
    line(
      steady.filter((r) => targetLabel(r) === label && r.routing === routing),
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

const workloadsOf = (report: ScaleReport): Charted[] => {
  const workloads = report.runs.filter((r) => r.target.startsWith('workload:'));
  const labels = [...new Set(workloads.map(targetLabel))];
  return labels.map((label) => ({ target: workloads.find((r) => targetLabel(r) === label)!.target, label }));
};
const instancesOf = (report: ScaleReport): number[] =>
  [...new Set(report.runs.filter(isSteady).map((r) => r.instances))].sort((a, b) => a - b);
const slug = (text: string) => text.replace(/[^a-z0-9]+/gi, '-');
const int = (n: number) => Math.round(n).toLocaleString('en-US');
