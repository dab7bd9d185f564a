/**
 * A line chart as an inline SVG string, drawn in TypeScript so the report page needs no script,
 * library or network. Each series is a `<g class="series">` with a polyline and one circle per
 * point (its `<title>` is the tooltip); colours are the Okabe-Ito palette, which stays apart for
 * colour-blind readers, and every series also gets its own dash pattern.
 */

export interface ChartPoint {
  x: number;
  y: number;
  /** The tooltip, e.g. "round-robin, K=2: 1,486 calls/s". */
  title: string;
}

export interface ChartSeries {
  name: string;
  /** Index into SERIES_STYLES: the same thing gets the same style on every chart. */
  style: number;
  /** Hollow markers (the baselines), a second cue besides colour. */
  hollow?: boolean;
  points: ChartPoint[];
}

export interface LineChart {
  /** Unique on the page; the ids of the title and description derive from it. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Where to put x ticks; by default round numbers across the data. */
  xTicks?: number[];
  logY?: boolean;
  series: ChartSeries[];
}

export const SERIES_STYLES = [
  { colour: '#0072B2', dash: '' },
  { colour: '#D55E00', dash: '8 4' },
  { colour: '#009E73', dash: '2 3' },
  { colour: '#CC79A7', dash: '10 3 2 3' },
  { colour: '#000000', dash: '4 2' },
  { colour: '#6E6E6E', dash: '14 4' },
  { colour: '#E69F00', dash: '5 2 1 2' },
  { colour: '#56B4E9', dash: '3 6' },
] as const;

const WIDTH = 560;
const PLOT = { left: 64, right: 20, top: 14, height: 220 };
const PLOT_WIDTH = WIDTH - PLOT.left - PLOT.right;
/** Keeps the first and last points off the axes. */
const INSET = 22;
const LEGEND = { columns: 3, row: 20 };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function lineChart(chart: LineChart): string {
  const series = chart.series.map((s) => ({ ...s, points: [...s.points].sort((a, b) => a.x - b.x) }));
  const points = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = chart.xTicks?.length
    ? chart.xTicks
    : niceTicks(
        points.map((p) => p.x),
        false,
      );
  const x = scale([...xs, ...points.map((p) => p.x)], [PLOT.left + INSET, PLOT.left + PLOT_WIDTH - INSET]);
  const logY = chart.logY === true && points.length > 0 && points.every((p) => p.y > 0);
  const ys = logY ? logTicks(points.map((p) => p.y)) : niceTicks([0, ...points.map((p) => p.y)], true);
  const bottom = PLOT.top + PLOT.height;
  const y = (logY ? logScale : scale)(ys, [bottom, PLOT.top]);
  const legendTop = bottom + 54;
  const height = legendTop + Math.ceil(series.length / LEGEND.columns) * LEGEND.row + 6;
  const id = escapeXml(chart.id);
  return [
    `<svg role="img" viewBox="0 0 ${WIDTH} ${height}" aria-labelledby="${id}-title">`,
    `<title id="${id}-title">${escapeXml(chart.title)}</title>`,
    ...ys.map((t) => {
      const at = round(y(t));
      const grid = `<line class="grid" x1="${PLOT.left}" x2="${PLOT.left + PLOT_WIDTH}" y1="${at}" y2="${at}"/>`;
      return `${grid}<text class="tick" x="${PLOT.left - 8}" y="${at + 4}" text-anchor="end">${tickLabel(t)}</text>`;
    }),
    ...xs.map(
      (t) => `<text class="tick" x="${round(x(t))}" y="${bottom + 18}" text-anchor="middle">${tickLabel(t)}</text>`,
    ),
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.left + PLOT_WIDTH}" y1="${bottom}" y2="${bottom}"/>`,
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${bottom}"/>`,
    `<text class="axis-label" x="${PLOT.left + PLOT_WIDTH / 2}" y="${bottom + 38}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text class="axis-label" transform="translate(14 ${PLOT.top + PLOT.height / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
    points.length === 0
      ? `<text class="empty" x="${PLOT.left + PLOT_WIDTH / 2}" y="${PLOT.top + PLOT.height / 2}" text-anchor="middle">no data</text>`
      : '',
    ...series.map((s) => seriesGroup(s, (p) => [round(x(p.x)), round(y(p.y))])),
    `<g class="legend">`,
    ...series.map((s, i) =>
      legendItem(
        s,
        PLOT.left + (i % LEGEND.columns) * (PLOT_WIDTH / LEGEND.columns),
        legendTop + Math.floor(i / LEGEND.columns) * LEGEND.row,
      ),
    ),
    `</g>`,
    `</svg>`,
  ].join('\n');
}

function seriesGroup(series: ChartSeries, at: (p: ChartPoint) => [number, number]): string {
  const { colour, dash } = styleOf(series.style);
  const coords = series.points.map(at);
  const line = `<polyline points="${coords.map(([px, py]) => `${px},${py}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2.25"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
  const markers = series.points.map((p, i) => {
    const [cx, cy] = coords[i]!;
    return `<circle cx="${cx}" cy="${cy}" r="4.5" ${marker(series)}><title>${escapeXml(p.title)}</title></circle>`;
  });
  return [`<g class="series" data-series="${escapeXml(series.name)}">`, line, ...markers, '</g>'].join('\n');
}

function legendItem(series: ChartSeries, left: number, top: number): string {
  const { colour, dash } = styleOf(series.style);
  return (
    `<g class="legend-item" data-series="${escapeXml(series.name)}" transform="translate(${round(left)} ${top})">` +
    `<line x1="0" x2="30" y1="0" y2="0" stroke="${colour}" stroke-width="2.25"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` +
    `<circle cx="15" cy="0" r="4" ${marker(series)}/>` +
    `<text x="38" y="4">${escapeXml(series.name)}</text></g>`
  );
}

/** Filled markers, or hollow ones for a series marked so: a second cue besides colour. */
function marker(series: ChartSeries): string {
  const { colour } = styleOf(series.style);
  return series.hollow ? `fill="#fff" stroke="${colour}" stroke-width="2"` : `fill="${colour}"`;
}

const styleOf = (style: number) => SERIES_STYLES[style % SERIES_STYLES.length]!;

/** A linear map from the values' range to [from, to]; one value (or none) lands in the middle. */
function scale(values: number[], [from, to]: [number, number]): (v: number) => number {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (!Number.isFinite(lo) || lo === hi) return () => (from + to) / 2;
  return (v) => from + ((v - lo) / (hi - lo)) * (to - from);
}

function logScale(ticks: number[], range: [number, number]): (v: number) => number {
  const linear = scale(ticks.map(Math.log10), range);
  return (v) => linear(Math.log10(v));
}

/** Round ticks from (zero, when asked) to a round number at or above the largest value. */
function niceTicks(values: number[], fromZero: boolean): number[] {
  const finite = values.filter(Number.isFinite);
  const hi = Math.max(...finite, fromZero ? 1 : -Infinity);
  const lo = fromZero ? 0 : Math.min(...finite);
  if (!Number.isFinite(hi) || !Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo];
  const raw = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.floor(lo / step) * step; t < hi + step; t += step) {
    ticks.push(Number(t.toPrecision(12)));
    if (t >= hi) break;
  }
  return ticks;
}

/** 1-2-5 ticks from the last one at or below the smallest value to the first at or above the largest. */
function logTicks(values: number[]): number[] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const all: number[] = [];
  for (let d = Math.floor(Math.log10(lo)); d <= Math.ceil(Math.log10(hi)); d++)
    all.push(10 ** d, 2 * 10 ** d, 5 * 10 ** d);
  const first = all.findLastIndex((t) => t <= lo);
  const last = all.findIndex((t) => t >= hi);
  return all.slice(Math.max(0, first), last + 1);
}

function tickLabel(value: number): string {
  if (Math.abs(value) >= 1000) return `${Number((value / 1000).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}

const round = (n: number) => Math.round(n * 10) / 10;
