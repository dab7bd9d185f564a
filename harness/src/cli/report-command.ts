/**
 * `report FILE`: a saved JSON report (run, sweep, scale, bench, check or compare) printed again as
 * a table, or written as Markdown or, for a scale report, HTML. The exit status is its own verdict.
 */
import { CHECK_SCHEMA } from '../check/report.js';
import { formatCheckMarkdown, formatCheckText } from '../check/format.js';
import { formatCompareMarkdown, formatCompareText } from '../compare/format.js';
import { COMPARE_SCHEMA } from '../compare/schema.js';
import { REPORT_SCHEMA } from '../refetch/report.js';
import { BENCH_SCHEMA } from '../scale/report/bench-schema.js';
import { UsageError } from '../shared/errors.js';
import type { CliOptions } from './args.js';
import { writeBenchReports } from './bench-command.js';
import type { CommandIo } from './io.js';
import { writeRefetchReports } from './refetch-commands.js';
import { readReportFile } from './report-files.js';
import { writeScaleReports } from './scale-command.js';

export function reportCommand(options: CliOptions, io: CommandIo): number {
  if (!options.target) throw new UsageError('report needs the JSON file a run wrote with --json FILE');
  const report = readReportFile(options.target);
  const again = { ...options, json: undefined };
  if (report.schema === CHECK_SCHEMA || report.schema === COMPARE_SCHEMA) {
    const [text, markdown] =
      report.schema === CHECK_SCHEMA
        ? [formatCheckText(report), formatCheckMarkdown(report)]
        : [formatCompareText(report), formatCompareMarkdown(report)];
    if (options.markdown === '-') io.log(text);
    else io.print(text);
    if (options.markdown !== undefined) io.write(options.markdown, markdown, 'Markdown');
  } else if (report.schema === REPORT_SCHEMA) writeRefetchReports(report, again, io);
  else if (report.schema === BENCH_SCHEMA) writeBenchReports(report, again, io);
  else writeScaleReports(report, again, io);
  return report.ok ? 0 : 1;
}
