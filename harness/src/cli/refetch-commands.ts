/**
 * `run` and `sweep`: a scenario under each client policy, at one subagent count or at each of the
 * scenario's sweep counts, with progress on stderr and the report as a table, JSON or Markdown.
 * The exit status is 0 when every run passed, 1 otherwise.
 */
import { formatMarkdown, formatText } from '../refetch/format.js';
import type { Report } from '../refetch/report.js';
import { runScenario } from '../refetch/sweep.js';
import { loadScenario } from '../scenarios/scenario-file.js';
import type { CliOptions } from './args.js';
import type { CommandIo } from './io.js';
import { progressPrinter } from './progress.js';

export async function runCommand(command: 'run' | 'sweep', options: CliOptions, io: CommandIo): Promise<number> {
  const loaded = loadScenario(options.target ?? 'shopping-team');
  const external = Object.keys(options.urls).length > 0;
  const progress = progressPrinter();
  const report = await runScenario({
    scenario: loaded,
    command,
    subagents: options.subagents,
    policies: options.policies,
    urls: options.urls,
    siteOrigin: options.site,
    ports: options.ports,
    // Servers given by URL without their secret can only be used as they are: anonymously.
    auth:
      options.anonymous || (external && !options.jwtSecret)
        ? { mode: 'anonymous' }
        : { mode: 'jwt', secret: options.jwtSecret },
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    keepData: options.keepData,
    // Runs failing because Ctrl-C stopped their servers are not news.
    onEvent: options.quiet ? undefined : (event) => void (io.interrupted() || progress(event)),
    registerStop: io.registerStop,
  });
  writeRefetchReports(report, options, io);
  return report.ok ? 0 : 1;
}

/** The table on stdout (on stderr when a report goes to stdout), then the files asked for. */
export function writeRefetchReports(report: Report, options: CliOptions, io: CommandIo): void {
  const toStdout = options.json === '-' || options.markdown === '-';
  const table = formatText(report);
  if (toStdout) io.log(`\n${table}`);
  else io.print(`\n${table}`);
  if (options.json !== undefined) io.write(options.json, `${JSON.stringify(report, null, 2)}\n`, 'JSON');
  if (options.markdown !== undefined) io.write(options.markdown, formatMarkdown(report), 'Markdown');
}
