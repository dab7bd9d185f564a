/**
 * Two scale reports, run by run (workload, K, routing): server CPU per call over the raw
 * baseline's from the same report (so two different machines compare), calls/s per instance, p99
 * and errors against their thresholds, and every invariant's verdict, which may not change at all.
 */
import { runLabel } from '../scale/report/cells.js';
import type { ScaleReport, ScaleRun } from '../scale/report/schema.js';
import { FIGURE_NAMES, type Figure, type FigureChange, type ScaleRow } from './schema.js';

export interface ScaleComparison {
  rows: ScaleRow[];
  onlyInBase: string[];
  onlyInHead: string[];
  notes: string[];
}

/** Which way is worse for each figure. */
const WORSE_WHEN_HIGHER: Record<Figure, boolean> = { cpu: true, throughput: false, p99: true, errors: true };

export function compareScale(
  base: ScaleReport,
  head: ScaleReport,
  thresholds: Record<Figure, number>,
): ScaleComparison {
  const compared = (report: ScaleReport) => report.runs.filter((r) => r.target.startsWith('workload:') && !r.skipped);
  const headRuns = new Map(compared(head).map((run) => [runLabel(run), run]));
  const baseLabels = new Set(compared(base).map(runLabel));
  const rows: ScaleRow[] = [];
  const notes: string[] = [];
  for (const before of compared(base)) {
    const after = headRuns.get(runLabel(before));
    if (after) rows.push(compareRun(base, before, head, after, thresholds));
  }
  for (const [report, side] of [
    [base, 'BASE'],
    [head, 'HEAD'],
  ] as const) {
    if (!report.runs.some((r) => r.target === 'raw' && !r.skipped && r.cpu.serverMsPerCall)) {
      notes.push(
        `${side} has no raw baseline run, so server CPU per call is compared in milliseconds, not normalised.`,
      );
    }
  }
  for (const run of head.runs.filter((r) => !r.target.startsWith('workload:') && !r.skipped && !r.ok)) {
    notes.push(
      `HEAD's baseline ${runLabel(run)} did not behave as before: ${run.expectedToFail ? 'expected a failure' : 'failed'}.`,
    );
  }
  return {
    rows,
    onlyInBase: [...baseLabels].filter((label) => !headRuns.has(label)),
    onlyInHead: [...headRuns.keys()].filter((label) => !baseLabels.has(label)),
    notes,
  };
}

function compareRun(
  baseReport: ScaleReport,
  before: ScaleRun,
  headReport: ScaleReport,
  after: ScaleRun,
  thresholds: Record<Figure, number>,
): ScaleRow {
  const label = runLabel(before);
  const rawBefore = rawCpu(baseReport, before.instances, before.routing);
  const rawAfter = rawCpu(headReport, after.instances, after.routing);
  const normalised = rawBefore !== null && rawAfter !== null;
  const cpu = (run: ScaleRun, raw: number | null) =>
    run.cpu.serverMsPerCall === null ? null : normalised ? run.cpu.serverMsPerCall / raw! : run.cpu.serverMsPerCall;
  // A killed instance makes the window's throughput and tail a measure of the kill, not of the code.
  const failover = before.failover !== null ? 'failover run: the kill, not the code, sets it' : null;
  const figures: FigureChange[] = [
    change('cpu', cpu(before, rawBefore), cpu(after, rawAfter), thresholds, failover),
    change('throughput', before.perInstance, after.perInstance, thresholds, failover),
    change('p99', before.latencyMs.p99, after.latencyMs.p99, thresholds, failover),
    change('errors', errorCount(before), errorCount(after), thresholds, null),
  ];
  const headInvariants = new Map(after.invariants.map((i) => [i.name, i.ok]));
  const shared = before.invariants.filter((i) => headInvariants.has(i.name));
  const invariantsChanged = shared
    .filter((i) => headInvariants.get(i.name) !== i.ok)
    .map((i) => ({ name: i.name, base: i.ok, head: headInvariants.get(i.name)! }));
  const regressions = [
    ...figures.filter((f) => f.regressed).map((f) => regressionSentence(label, f, normalised)),
    ...invariantsChanged.map(
      (i) =>
        `${label}: the invariant "${i.name}" ${i.head ? 'now holds' : 'is broken'} in HEAD ` +
        `(${i.base ? 'held' : 'was broken'} in BASE); an invariant may not change at all.`,
    ),
  ];
  if (!after.ok && !after.expectedToFail && regressions.length === 0) {
    regressions.push(`${label}: the run failed in HEAD (${Object.keys(after.errors).join(', ') || 'no calls'}).`);
  }
  return {
    run: label,
    target: before.target,
    instances: before.instances,
    routing: before.routing,
    failover: before.failover !== null,
    cpuNormalisedBy: normalised ? 'raw' : null,
    figures,
    invariantsChanged,
    invariantsCompared: shared.length,
    regressions,
  };
}

/** The raw baseline's server CPU per call at K in the same report: same routing first, else any. */
function rawCpu(report: ScaleReport, instances: number, routing: string): number | null {
  const raws = report.runs.filter(
    (r) => r.target === 'raw' && !r.skipped && !r.failover && r.instances === instances && r.cpu.serverMsPerCall,
  );
  const run = raws.find((r) => r.routing === routing) ?? raws[0];
  return run?.cpu.serverMsPerCall ?? null;
}

const errorCount = (run: ScaleRun) => Object.values(run.errors).reduce((sum, n) => sum + n, 0);

function change(
  figure: Figure,
  base: number | null,
  head: number | null,
  thresholds: Record<Figure, number>,
  skipped: string | null,
): FigureChange {
  const thresholdPct = thresholds[figure];
  if (base === null || head === null) {
    return { figure, base, head, changePct: null, regressed: false, thresholdPct, skipped: 'missing on one side' };
  }
  const changePct = base === 0 ? (head === 0 ? 0 : Infinity) : ((head - base) / base) * 100;
  const worse = WORSE_WHEN_HIGHER[figure] ? changePct : -changePct;
  return { figure, base, head, changePct, regressed: skipped === null && worse > thresholdPct, thresholdPct, skipped };
}

function regressionSentence(run: string, f: FigureChange, normalised: boolean): string {
  const unit =
    f.figure === 'cpu'
      ? normalised
        ? ' (over the raw baseline)'
        : ' (ms, not normalised)'
      : f.figure === 'p99'
        ? ' (ms)'
        : '';
  const by = f.changePct === Infinity ? 'from none' : `by ${Math.abs(f.changePct!).toFixed(1)}%`;
  const direction = WORSE_WHEN_HIGHER[f.figure] ? 'rose' : 'fell';
  const digits = { cpu: 2, throughput: 0, p99: 1, errors: 0 }[f.figure];
  return (
    `${run}: ${FIGURE_NAMES[f.figure]}${unit} ${direction} ${by}, ${f.base!.toFixed(digits)} -> ${f.head!.toFixed(digits)}, ` +
    `beyond the ${f.thresholdPct}% threshold.`
  );
}
