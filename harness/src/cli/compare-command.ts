/**
 * `compare BASE.json HEAD.json`: two saved scale reports (or two run/sweep reports) as a CI gate:
 * the table on stdout, `--markdown` for a pull request, `--json` for machines; exit 1 on a
 * regression. `--threshold cpu=10,p99=50` changes how far a figure may get worse.
 */
import { compareReports } from '../compare/compare.js';
import { formatCompareMarkdown, formatCompareText } from '../compare/format.js';
import { FIGURES, type Figure } from '../compare/schema.js';
import { UsageError } from '../shared/errors.js';
import type { CliOptions } from './args.js';
import type { CommandIo } from './io.js';
import { readReportFile } from './report-files.js';

export function compareCommand(options: CliOptions, io: CommandIo): number {
  const [baseFile, headFile, ...extra] = options.positionals;
  if (!baseFile || !headFile || extra.length > 0) {
    throw new UsageError(
      'compare takes two report files, BASE.json and HEAD.json (the --json of two scale or sweep runs)',
    );
  }
  const read = (file: string) => {
    const report = readReportFile(file);
    if (report.schema !== 'sessionless-harness/scale@1' && report.schema !== 'sessionless-harness/report@1') {
      const kind = report.schema.replace('sessionless-harness/', '').replace(/@\d+$/, '');
      throw new UsageError(`${file} is a ${kind} report; compare takes two scale reports or two run/sweep reports`);
    }
    return { file, report };
  };
  const report = compareReports(read(baseFile), read(headFile), parseThresholds(options.threshold));
  const toStdout = options.json === '-' || options.markdown === '-';
  const text = formatCompareText(report);
  if (toStdout) io.log(text);
  else io.print(text);
  if (options.json !== undefined) io.write(options.json, `${JSON.stringify(report, null, 2)}\n`, 'JSON');
  if (options.markdown !== undefined) io.write(options.markdown, formatCompareMarkdown(report), 'Markdown');
  return report.ok ? 0 : 1;
}

export function parseThresholds(text: string | undefined): Partial<Record<Figure, number>> {
  const thresholds: Partial<Record<Figure, number>> = {};
  for (const entry of text?.split(',') ?? []) {
    const match = /^\s*([a-z0-9]+)\s*=\s*(\d+(?:\.\d+)?)%?\s*$/.exec(entry);
    const figure = match?.[1] as Figure | undefined;
    if (!match || !figure || !FIGURES.includes(figure)) {
      throw new UsageError(
        `--threshold expects FIGURE=PERCENT[,FIGURE=PERCENT], FIGURE one of ${FIGURES.join(', ')}, got "${entry.trim()}"`,
      );
    }
    thresholds[figure] = Number(match[2]);
  }
  return thresholds;
}
