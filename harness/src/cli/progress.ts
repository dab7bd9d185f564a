/**
 * Progress on stderr while runs go on (stdout is kept for the table, JSON or Markdown). On a
 * terminal the current run's line updates in place as subagents finish; elsewhere (CI logs,
 * tests) each event is one plain line.
 */
import type { HarnessEvent } from '../refetch/sweep.js';

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): (event: HarnessEvent) => void {
  const live = Boolean(stream.isTTY);
  let current = '';
  let running = '';
  const show = (text: string, done: boolean) => {
    if (live) stream.write(`\r\x1b[K${text}${done ? '\n' : ''}`);
    else if (done || !current) stream.write(`${text}\n`);
    current = done ? '' : text;
  };
  return (event) => {
    switch (event.type) {
      case 'log':
        if (live && current) stream.write('\r\x1b[K');
        stream.write(`${event.line}\n`);
        if (live && current) stream.write(current);
        break;
      case 'run-start':
        current = '';
        running = `${tag(event)} ${label(event)}`;
        show(`${running}: started`, false);
        break;
      case 'progress':
        if (live) show(`${running}: ${event.done}/${event.subagents} subagents done`, false);
        break;
      case 'run-end': {
        const { run } = event;
        const list = run.totals['tools/list']?.requests ?? 0;
        const calls = run.totals['tools/call']?.requests ?? 0;
        const outcome = run.ok ? 'passed' : `FAILED${run.error ? ` (${run.error})` : ''}`;
        show(
          `${tag(event)} ${label({ policy: run.policy, subagents: run.subagents })}: ${outcome} in ` +
            `${(run.durationMs / 1000).toFixed(1)} s, ${list} tools/list, ${calls} tools/call`,
          true,
        );
        break;
      }
    }
  };
}

const tag = (event: { index: number; total: number }) => `[${event.index + 1}/${event.total}]`;
const label = (run: { policy: string; subagents: number }) =>
  `${run.policy}, ${run.subagents} subagent${run.subagents === 1 ? '' : 's'}`;
