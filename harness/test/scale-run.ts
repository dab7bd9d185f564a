/**
 * The quick scale run as the scale tests make it: `sessionless-harness scale --quick` with two
 * instances of every server and windows shorter still (SHORT_WINDOWS), its JSON, Markdown and
 * HTML reports written to `dir`; and the checks every clean run must pass, with a minimum of
 * completed calls: a design that broke would complete none, and the minimums are small because a
 * loaded machine running other test files beside this one completed as few as 14 cart adds in a
 * window (the claims are no error, every acknowledged write present, not throughput).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ScaleReport, ScaleRun } from '../src/scale/report/schema.js';
import { runCli, type CliResult } from './helpers.js';

/**
 * 1 s windows after a 0.5 s warm-up, the instance killed (or the database restarted) half-way: a
 * window completes hundreds to thousands of calls even on a loaded machine, and the tests assert
 * outcomes, not throughput.
 */
export const SHORT_WINDOWS = ['--seconds', '1', '--warmup', '0.5', '--kill-one-at', '0.5'];

export interface QuickScale {
  result: CliResult;
  report: ScaleReport;
}

export async function quickScale(dir: string, name: string, args: string[]): Promise<QuickScale> {
  const json = join(dir, `${name}.json`);
  const result = await runCli(
    ['scale', '--quick', ...SHORT_WINDOWS, '--instances', '2', ...args, '--json', json].concat([
      '--markdown',
      join(dir, `${name}.md`),
      '--html',
      join(dir, `${name}.html`),
    ]),
  );
  if (!existsSync(json)) throw new Error(`no report written:\n${result.stderr.slice(-2000)}`);
  return { result, report: JSON.parse(readFileSync(json, 'utf8')) as ScaleReport };
}

export function findRun(report: ScaleReport, target: string, routing: string, killed: boolean): ScaleRun {
  const run = report.runs.find((r) => r.target === target && r.routing === routing && (r.failover !== null) === killed);
  if (!run) throw new Error(`no ${target} ${routing}${killed ? ' failover' : ''} run in the report`);
  return run;
}

export function expectClean(run: ScaleRun, minimumCalls: number): void {
  expect(run.instances).toBe(2);
  expect(run.succeeded).toBeGreaterThanOrEqual(minimumCalls);
  expect(run.errors).toEqual({});
  expect(run.invariants.length).toBeGreaterThan(0);
  for (const invariant of run.invariants) expect(invariant.ok, invariant.detail).toBe(true);
  expect(run.ok).toBe(true);
}
