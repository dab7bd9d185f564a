/**
 * The scale-out claim, end to end and short: `sessionless-harness scale --quick` with two
 * instances of every server on one store. Round-robin (every call on a handle changes instance)
 * completes the team workload with no error and every acknowledged write present; the
 * session-scoped cart fails behind the same routing in the same report; killing an instance
 * mid-run loses nothing acknowledged and the retried calls are counted. nginx runs when installed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNginx } from '../src/scale/nginx.js';
import type { ScaleReport, ScaleRun } from '../src/scale/report.js';
import { alive, announcedPids, runCli, type CliResult } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scale-test-'));
const withNginx = findNginx() !== null;
let result: CliResult;
let report: ScaleReport;

beforeAll(async () => {
  const routings = withNginx ? 'round-robin,nginx-round-robin' : 'round-robin';
  result = await runCli([
    'scale',
    '--quick',
    '--instances',
    '2',
    '--routing',
    routings,
    '--workload',
    'team',
    '--json',
    join(dir, 'scale.json'),
    '--markdown',
    join(dir, 'scale.md'),
    '--html',
    join(dir, 'scale.html'),
  ]);
  if (!existsSync(join(dir, 'scale.json'))) throw new Error(`no report written:\n${result.stderr.slice(-2000)}`);
  report = JSON.parse(readFileSync(join(dir, 'scale.json'), 'utf8')) as ScaleReport;
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const find = (target: string, routing: string, killed: boolean): ScaleRun => {
  const run = report.runs.find((r) => r.target === target && r.routing === routing && (r.failover !== null) === killed);
  if (!run) throw new Error(`no ${target} ${routing} run in the report`);
  return run;
};

describe('harness scale', () => {
  it('passes, and says so in its exit status and its reports', () => {
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(report.ok).toBe(true);
    expect(readFileSync(join(dir, 'scale.md'), 'utf8')).toMatch(/session-cart/);
    expect(readFileSync(join(dir, 'scale.html'), 'utf8')).toContain('data-chart="throughput');
  });

  it('round-robin with K=2 completes the team workload with zero errors and the invariants hold', () => {
    const run = find('workload:team', 'round-robin', false);
    expect(run.instances).toBe(2);
    expect(run.succeeded).toBeGreaterThan(0);
    expect(run.errors).toEqual({});
    expect(run.invariants.map((i) => i.name)).toEqual([
      'cart quantities equal acknowledged adds',
      'every acknowledged workspace write is present',
    ]);
    for (const invariant of run.invariants) expect(invariant.ok, invariant.detail).toBe(true);
    expect(Object.keys(run.byTool)).toEqual(expect.arrayContaining(['cart_add_item', 'workspace_write_file']));
    expect(run.browser!.warm + run.browser!.rehydrated).toBeGreaterThan(0);
  });

  it('the session-scoped cart behind the same round-robin fails with "session not found", in the same report', () => {
    const run = find('session-cart', 'round-robin', false);
    expect(run.instances).toBe(2);
    expect(run.expectedToFail).toBe(true);
    expect(run.errors['session not found']).toBeGreaterThan(0);
    expect(run.invariants[0]!.ok).toBe(false);
    const sticky = find('session-cart', 'affinity', false);
    expect(sticky.errors).toEqual({});
    expect(sticky.invariants[0]!.ok).toBe(true);
  });

  it('killing one instance mid-run loses no acknowledged write, and the retried calls are counted', () => {
    const run = find('workload:team', 'round-robin', true);
    expect(run.failover!.pids).toHaveLength(3);
    expect(run.failover!.retried).toBeGreaterThan(0);
    expect(run.failover!.retriedOk).toBe(run.failover!.retried);
    expect(run.failover!.notRetried).toBe(0);
    expect(run.errors).toEqual({});
    for (const invariant of run.invariants) expect(invariant.ok, invariant.detail).toBe(true);
  });

  it('the session-scoped cart loses its carts when its instance is killed, even with affinity', () => {
    const run = find('session-cart', 'affinity', true);
    expect(run.expectedToFail).toBe(true);
    expect(run.invariants[0]!.ok).toBe(false);
    expect(run.invariants[0]!.detail).toMatch(/session carts lost/);
  });

  it.runIf(withNginx)('routes through a real nginx with zero errors', () => {
    const run = find('workload:team', 'nginx-round-robin', false);
    expect(run.skipped).toBeNull();
    expect(run.errors).toEqual({});
    expect(run.cpu.balancerPct).not.toBeNull();
    for (const invariant of run.invariants) expect(invariant.ok, invariant.detail).toBe(true);
  });

  it('measures the baselines and the store ceiling in the same run', () => {
    expect(find('raw', 'round-robin', false).succeeded).toBeGreaterThan(0);
    expect(find('echo', 'round-robin', false).succeeded).toBeGreaterThan(0);
    expect(report.storeCeiling!.writesPerSecond).toBeGreaterThan(0);
  });

  it('leaves no process running', () => {
    const pids = announcedPids(result.stderr);
    expect(pids.length).toBeGreaterThanOrEqual(10);
    expect(pids.filter(alive)).toEqual([]);
  });
});
