/**
 * `run` and `sweep`: a scenario under each client policy, at one subagent count or at each of the
 * scenario's sweep counts, on SQLite or (--store postgres) on a PostgreSQL started for the run,
 * with progress on stderr and the report as a table, JSON or Markdown. The exit status is 0 when
 * every run passed, 1 otherwise.
 */
import { givenDatabase, startDatabase, type Database } from '../fleet/database.js';
import { formatMarkdown, formatText } from '../refetch/format.js';
import type { Report } from '../refetch/report.js';
import { runScenario } from '../refetch/sweep.js';
import { loadScenario } from '../scenarios/scenario-file.js';
import { UsageError } from '../shared/errors.js';
import type { CliOptions } from './args.js';
import type { CommandIo } from './io.js';
import { progressPrinter } from './progress.js';

export async function runCommand(command: 'run' | 'sweep', options: CliOptions, io: CommandIo): Promise<number> {
  const loaded = loadScenario(options.target ?? 'shopping-team');
  const external = Object.keys(options.urls).length > 0;
  const progress = progressPrinter();
  const database = await databaseFor(options, io);
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
    // An empty DATABASE_URL is unset: SQLite, whatever this shell exports.
    env: { DATABASE_URL: database?.url ?? '' },
    // Runs failing because Ctrl-C stopped their servers are not news.
    onEvent: options.quiet ? undefined : (event) => void (io.interrupted() || progress(event)),
    registerStop: io.registerStop,
  }).finally(() => database?.stop());
  writeRefetchReports(report, options, io);
  return report.ok ? 0 : 1;
}

/** --store postgres (or --database-url): the database the servers keep their state in; else SQLite. */
async function databaseFor(options: CliOptions, io: CommandIo): Promise<Database | null> {
  const stores = options.stores ?? (options.databaseUrl ? ['postgres'] : ['sqlite']);
  if (stores.length > 1) throw new UsageError('run and sweep take one --store: sqlite or postgres');
  if (stores[0] === 'sqlite') {
    if (options.databaseUrl) throw new UsageError('--database-url names a PostgreSQL, so it needs --store postgres');
    return null;
  }
  if (options.databaseUrl) return givenDatabase(options.databaseUrl);
  const log = options.quiet ? () => {} : io.log;
  const database = await startDatabase(log);
  io.registerStop(async () => database.stop());
  return database;
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
