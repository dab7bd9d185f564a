/**
 * Reading a saved JSON report back: a run or sweep report or a scale report, told apart by its
 * `schema` field; a file that is neither is bad input, named in one sentence.
 */
import { readFileSync } from 'node:fs';
import { REPORT_SCHEMA, type Report } from '../refetch/report.js';
import { SCALE_SCHEMA, type ScaleReport } from '../scale/report/schema.js';
import { UsageError } from '../shared/errors.js';

export function readReportFile(file: string): ScaleReport | Report {
  let data: { schema?: string };
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as { schema?: string };
  } catch (error) {
    throw new UsageError(`cannot read the report ${file}: ${(error as Error).message}`);
  }
  if (data.schema === SCALE_SCHEMA) return data as ScaleReport;
  if (data.schema === REPORT_SCHEMA) return data as Report;
  throw new UsageError(`${file} is not a harness report: expected "schema": "${REPORT_SCHEMA}" or "${SCALE_SCHEMA}"`);
}
