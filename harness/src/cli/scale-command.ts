/**
 * `scale`: the scale-out benchmark with the command line's settings (`--quick` fills in a smoke
 * run), and its reports: the table, JSON, Markdown and the HTML page. A saved sweep report can be
 * folded in for the re-fetch chart. The exit status is 0 when every run passed, 1 otherwise.
 */
import { REPORT_SCHEMA } from '../refetch/report.js';
import { formatScaleHtml } from '../scale/report/html/page.js';
import type { ScaleReport, SweepSeries } from '../scale/report/schema.js';
import { formatScaleMarkdown, formatScaleText } from '../scale/report/text.js';
import { runScale } from '../scale/scale.js';
import { loadScenario } from '../scenarios/scenario-file.js';
import { UsageError } from '../shared/errors.js';
import type { CliOptions } from './args.js';
import type { CommandIo } from './io.js';
import { readReportFile } from './report-files.js';

/** Short enough for a test or a CI smoke step: every run, 2 s windows, 1 s failover and database restart. */
const QUICK = { seconds: 2, warmupSeconds: 1, killOneAt: 1, restartDatabaseAt: 1 };

export async function scaleCommand(options: CliOptions, argv: string[], io: CommandIo): Promise<number> {
  const flags = options.scale;
  const sweep = flags.sweep ? readSweep(flags.sweep) : null;
  const stores = options.stores ?? (options.databaseUrl ? ['postgres'] : ['sqlite']);
  // A quick run restarts the database too, when it is one the run started for itself.
  const ownDatabase = stores.includes('postgres') && !options.databaseUrl;
  const report = await runScale({
    scenario: loadScenario(options.target ?? 'shopping-team'),
    command: `sessionless-harness ${argv.join(' ')}`,
    instances: flags.instances,
    routings: flags.routings,
    seconds: flags.seconds ?? (flags.quick ? QUICK.seconds : undefined),
    warmupSeconds: flags.warmupSeconds ?? (flags.quick ? QUICK.warmupSeconds : undefined),
    killOneAt: flags.killOneAt ?? (flags.quick ? QUICK.killOneAt : null),
    load: flags.rate ? { mode: 'open', rate: flags.rate } : { mode: 'closed' },
    agents: flags.agents ?? (flags.quick ? 4 : undefined),
    workloads: flags.workloads,
    baselines: !flags.skipBaselines,
    storeCeilingSeconds: flags.quick ? 1 : 3,
    stores,
    databaseUrl: options.databaseUrl,
    hosts: flags.hosts ?? null,
    restartDatabaseAt: flags.restartDatabaseAt ?? (flags.quick && ownDatabase ? QUICK.restartDatabaseAt : null),
    sweep,
    log: options.quiet ? undefined : io.log,
    registerStop: io.registerStop,
  });
  writeScaleReports(report, options, io);
  return report.ok ? 0 : 1;
}

export function writeScaleReports(report: ScaleReport, options: CliOptions, io: CommandIo): void {
  const toStdout = options.json === '-' || options.markdown === '-' || options.scale.html === '-';
  const table = formatScaleText(report);
  if (toStdout) io.log(`\n${table}`);
  else io.print(`\n${table}`);
  if (options.json !== undefined) io.write(options.json, `${JSON.stringify(report, null, 2)}\n`, 'JSON');
  if (options.markdown !== undefined) io.write(options.markdown, formatScaleMarkdown(report), 'Markdown');
  if (options.scale.html !== undefined) io.write(options.scale.html, formatScaleHtml(report), 'HTML');
}

/** A harness sweep report turned into the re-fetch series of the HTML chart. */
function readSweep(file: string): SweepSeries {
  const report = readReportFile(file);
  if (report.schema !== REPORT_SCHEMA)
    throw new UsageError(`--sweep expects a sweep report (${REPORT_SCHEMA}), got ${file}`);
  const subagents = [...new Set(report.runs.map((r) => r.subagents))].sort((a, b) => a - b);
  const series = report.policies.map((policy) => {
    const at = (n: number, method: string) =>
      report.runs.find((r) => r.policy === policy && r.subagents === n)?.totals[method]?.requests ?? 0;
    return {
      policy,
      toolsList: subagents.map((n) => at(n, 'tools/list')),
      initialize: subagents.map((n) => at(n, 'initialize')),
      discover: subagents.map((n) => at(n, 'server/discover')),
    };
  });
  return { subagents, series, source: file };
}
