/**
 * Reading a saved JSON report back: a run or sweep report, a scale, bench, check or compare report,
 * told apart by its `schema` field; a file that is none of them is bad input, named in one sentence.
 */
import { readFileSync } from 'node:fs';
import { CHECK_SCHEMA, type CheckReport } from '../check/report.js';
import { COMPARE_SCHEMA, type CompareReport } from '../compare/schema.js';
import { REPORT_SCHEMA, type Report } from '../refetch/report.js';
import { BENCH_SCHEMA, type BenchReport } from '../scale/report/bench-schema.js';
import { SCALE_SCHEMA, type ScaleReport } from '../scale/report/schema.js';
import { UsageError } from '../shared/errors.js';

export function readReportFile(file: string): ScaleReport | Report | BenchReport | CheckReport | CompareReport {
  let data: { schema?: string };
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as { schema?: string };
  } catch (error) {
    throw new UsageError(`cannot read the report ${file}: ${(error as Error).message}`);
  }
  if (data.schema === SCALE_SCHEMA) return data as ScaleReport;
  if (data.schema === REPORT_SCHEMA) return data as Report;
  if (data.schema === BENCH_SCHEMA) return data as BenchReport;
  if (data.schema === CHECK_SCHEMA) return data as CheckReport;
  if (data.schema === COMPARE_SCHEMA) return data as CompareReport;
  const schemas = [REPORT_SCHEMA, SCALE_SCHEMA, BENCH_SCHEMA, CHECK_SCHEMA, COMPARE_SCHEMA]
    .map((schema) => `"${schema}"`)
    .join(', ');
  throw new UsageError(`${file} is not a harness report: expected "schema" to be one of ${schemas}`);
}
