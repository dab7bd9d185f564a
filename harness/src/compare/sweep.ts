/**
 * Two run or sweep reports, run by run (policy, subagents): re-fetch counts are exact, so any
 * change in one fails, as does a run that failed or whose client and server counts disagree in
 * HEAD. tools/call (the scripted work) and the list bytes are shown beside them.
 */
import { HTTP_GET } from '../refetch/counting.js';
import type { Report, RunReport } from '../refetch/report.js';
import type { SweepRow } from './schema.js';

export interface SweepComparison {
  rows: SweepRow[];
  onlyInBase: string[];
  onlyInHead: string[];
  notes: string[];
}

/** What a client sends before it can call tools: every one of these is a re-fetch count. */
const REFETCH_METHODS = ['server/discover', 'initialize', 'notifications/initialized', 'tools/list', HTTP_GET];

const labelOf = (run: RunReport) => `${run.policy}, ${run.subagents} subagent${run.subagents === 1 ? '' : 's'}`;

export function compareSweep(base: Report, head: Report): SweepComparison {
  const headRuns = new Map(head.runs.map((run) => [labelOf(run), run]));
  const baseLabels = new Set(base.runs.map(labelOf));
  const rows = base.runs.flatMap((before) => {
    const after = headRuns.get(labelOf(before));
    return after ? [compareRun(before, after)] : [];
  });
  const notes = rows.some((row) => row.counts.some((c) => c.method === 'tools/call' && c.base !== c.head))
    ? ['tools/call differs: the scripted work itself changed, so the two sweeps did not run the same scenario.']
    : [];
  return {
    rows,
    onlyInBase: [...baseLabels].filter((label) => !headRuns.has(label)),
    onlyInHead: [...headRuns.keys()].filter((label) => !baseLabels.has(label)),
    notes,
  };
}

function compareRun(before: RunReport, after: RunReport): SweepRow {
  const run = labelOf(before);
  const requests = (r: RunReport, method: string) => r.totals[method]?.requests ?? 0;
  const bytes = (r: RunReport) =>
    (r.totals['tools/list']?.requestBytes ?? 0) + (r.totals['tools/list']?.responseBytes ?? 0);
  const counts = [...REFETCH_METHODS, 'tools/call'].map((method) => ({
    method,
    base: requests(before, method),
    head: requests(after, method),
  }));
  const regressions = counts
    .filter((c) => REFETCH_METHODS.includes(c.method) && c.base !== c.head)
    .map(
      (c) => `${run}: ${c.method} requests changed from ${c.base} to ${c.head}; re-fetch counts may not change at all.`,
    );
  if (!after.agree) regressions.push(`${run}: in HEAD the client's counts and the servers' /metrics disagree.`);
  if (!after.ok) regressions.push(`${run}: the run failed in HEAD${after.error ? ` (${after.error})` : ''}.`);
  return {
    run,
    policy: before.policy,
    subagents: before.subagents,
    counts,
    listBytes: { base: bytes(before), head: bytes(after) },
    regressions,
  };
}
