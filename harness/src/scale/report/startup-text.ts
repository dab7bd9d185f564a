/**
 * The start-up report for people: one row per process (a bare `node -e 0`, then each server as
 * its bundle and as its compiled modules) with its median, what it adds over Node.js itself and
 * every recorded run, as a terminal table or Markdown.
 */
import type { StartupReport } from '../bench/startup.js';
import { markdownTable, textTable } from './layout.js';

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
