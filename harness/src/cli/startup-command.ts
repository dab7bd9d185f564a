/**
 * `startup`: each server's start to its first answered tools/list, next to a bare `node -e 0`
 * (`--repeats` runs each, default 5), as a table, JSON and Markdown. Exit status 0 when every
 * server started and answered every time, 1 otherwise.
 */
import { runStartup, type StartupReport } from '../scale/bench/startup.js';
import { markdownTable, textTable } from '../scale/report/layout.js';
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

const HEAD = ['process', 'median ms', 'over node -e 0 ms', 'runs ms', 'result'];

function rows(report: StartupReport): string[][] {
  return [
    HEAD,
    ...report.rows.map((row) => [
      row.name,
      row.medianMs === null ? '-' : String(row.medianMs),
      row.overNodeMs === null ? '-' : String(row.overNodeMs),
      row.runsMs.join(' '),
      row.ok ? 'ok' : `FAILED${row.problem ? `: ${row.problem}` : ''}`,
    ]),
  ];
}

function headline(report: StartupReport): string {
  const m = report.machine;
  return (
    `Start-up to the first answered tools/list: ${report.runs} runs each after one unrecorded start that ` +
    `creates the store, medians. ${m.cpus} x ${m.cpuModel}, Node ${m.node}; ${report.startedAt.slice(0, 10)}.`
  );
}

export function formatStartupText(report: StartupReport): string {
  return [headline(report), `$ ${report.command}`, '', ...textTable(rows(report))].join('\n');
}

export function formatStartupMarkdown(report: StartupReport): string {
  return `${['## Start-up', '', headline(report), '', ...markdownTable(rows(report)), '', `Command: \`${report.command}\``].join('\n')}\n`;
}
