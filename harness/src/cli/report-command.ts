/**
 * `report FILE`: a saved JSON report printed again as a table, or written as Markdown or HTML
 * (`--markdown`, `--html`). The exit status is the report's own verdict: 0 passed, 1 failed.
 */
import { REPORT_SCHEMA } from '../refetch/report.js';
import { UsageError } from '../shared/errors.js';
import type { CliOptions } from './args.js';
import type { CommandIo } from './io.js';
import { writeRefetchReports } from './refetch-commands.js';
import { readReportFile } from './report-files.js';
import { writeScaleReports } from './scale-command.js';

export function reportCommand(options: CliOptions, io: CommandIo): number {
  if (!options.target) throw new UsageError('report needs the JSON file a run wrote with --json FILE');
  const report = readReportFile(options.target);
  if (report.schema === REPORT_SCHEMA) writeRefetchReports(report, { ...options, json: undefined }, io);
  else writeScaleReports(report, { ...options, json: undefined }, io);
  return report.ok ? 0 : 1;
}
