/**
 * `compare`: two saved reports of the same kind (scale, or run/sweep) turned into one verdict for
 * a CI gate. Reports of different kinds, or with no run in common, are bad input: a comparison
 * that compared nothing must not pass.
 */
import type { Report } from '../refetch/report.js';
import { SCALE_SCHEMA, type ScaleReport } from '../scale/report/schema.js';
import { UsageError } from '../shared/errors.js';
import { compareScale } from './scale.js';
import { COMPARE_SCHEMA, DEFAULT_THRESHOLDS, type CompareReport, type Figure, type Side } from './schema.js';
import { compareSweep } from './sweep.js';

export interface Compared<T> {
  file: string;
  report: T;
}

export function compareReports(
  base: Compared<ScaleReport | Report>,
  head: Compared<ScaleReport | Report>,
  thresholds: Partial<Record<Figure, number>> = {},
): CompareReport {
  const limits = { ...DEFAULT_THRESHOLDS, ...thresholds };
  if (base.report.schema !== head.report.schema) {
    throw new UsageError(
      `${base.file} is a ${kindOf(base.report)} report and ${head.file} a ${kindOf(head.report)} report; ` +
        'compare two reports of the same kind (two scale reports, or two sweep reports)',
    );
  }
  const scale = isScale(base.report) ? compareScale(base.report, head.report as ScaleReport, limits) : null;
  const sweep = isScale(base.report) ? null : compareSweep(base.report, head.report as Report);
  const found = scale ?? sweep!;
  const rows: Array<{ regressions: string[] }> = scale ? scale.rows : sweep!.rows;
  if (rows.length === 0) {
    const key = scale ? 'workload, K and routing' : 'policy and subagents';
    throw new UsageError(
      `${base.file} and ${head.file} have no run in common (${key}); compare reports of the same benchmark settings`,
    );
  }
  const regressions = rows.flatMap((row) => row.regressions);
  return {
    schema: COMPARE_SCHEMA,
    ok: regressions.length === 0,
    kind: scale ? 'scale' : 'sweep',
    base: sideOf(base),
    head: sideOf(head),
    thresholds: limits,
    scale: scale?.rows ?? [],
    sweep: sweep?.rows ?? [],
    onlyInBase: found.onlyInBase,
    onlyInHead: found.onlyInHead,
    notes: found.notes,
    regressions,
  };
}

const isScale = (report: ScaleReport | Report): report is ScaleReport => report.schema === SCALE_SCHEMA;

const kindOf = (report: ScaleReport | Report) => (isScale(report) ? 'scale' : report.command);

function sideOf({ file, report }: Compared<ScaleReport | Report>): Side {
  return {
    file,
    startedAt: report.startedAt,
    machine: report.machine,
    command: isScale(report) ? report.command : `sessionless-harness ${report.command}`,
  };
}
