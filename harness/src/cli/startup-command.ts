/**
 * `startup`: each server's start to its first answered tools/list, next to a bare `node -e 0`
 * (`--repeats` runs each, default 5), as a table, JSON and Markdown. Exit status 0 when every
 * server started and answered every time, 1 otherwise.
 */
import { runStartup } from '../scale/bench/startup.js';
import { formatStartupMarkdown, formatStartupText } from '../scale/report/startup-text.js';
import type { CliOptions } from './args.js';
import type { CommandIo } from './io.js';

export async function startupCommand(options: CliOptions, argv: string[], io: CommandIo): Promise<number> {
  const report = await runStartup({
    command: `sessionless-harness ${argv.join(' ')}`,
    runs: options.bench.repeats ?? (options.scale.quick ? 1 : 5),
    log: options.quiet ? undefined : io.log,
    registerStop: io.registerStop,
  });
  const table = formatStartupText(report);
  if (options.json === '-' || options.markdown === '-') io.log(`\n${table}`);
  else io.print(`\n${table}`);
  if (options.json !== undefined) io.write(options.json, `${JSON.stringify(report, null, 2)}\n`, 'JSON');
  if (options.markdown !== undefined) io.write(options.markdown, formatStartupMarkdown(report), 'Markdown');
  return report.ok ? 0 : 1;
}
