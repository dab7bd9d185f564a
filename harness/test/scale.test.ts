/**
 * The scale-out claim, end to end and short: `sessionless-harness scale --quick` with two
 * instances of every server on one store, checked on what stays true on a slow, shared machine.
 * Round-robin (every call on a handle changes instance) completes the cart workload with no error
 * and every acknowledged add present, and killing an instance mid-run loses nothing; the
 * session-scoped cart fails behind the same routing in the same report; the browser-heavy team
 * workload completes behind handle affinity, with a kill too. nginx routes the cart when installed.
 * Each run must complete a minimum of calls: a design that broke would complete none.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNginx } from '../src/scale/engine/nginx.js';
import type { ScaleReport, ScaleRun } from '../src/scale/report/schema.js';
import { alive, announcedPids, runCli, type CliResult } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scale-test-'));
const withNginx = findNginx() !== null;
let cart: { result: CliResult; report: ScaleReport };
let team: { result: CliResult; report: ScaleReport };

async function scale(name: string, args: string[]) {
  const json = join(dir, `${name}.json`);
  const md = join(dir, `${name}.md`);
  const html = join(dir, `${name}.html`);
  const result = await runCli([
    'scale',
    '--quick',
    '--instances',
    '2',
    ...args,
    '--json',
    json,
    '--markdown',
    md,
    '--html',
    html,
  ]);
  if (!existsSync(json)) throw new Error(`no report written:\n${result.stderr.slice(-2000)}`);
  return { result, report: JSON.parse(readFileSync(json, 'utf8')) as ScaleReport };
}

beforeAll(async () => {
  const routings = withNginx ? 'round-robin,nginx-round-robin' : 'round-robin';
  cart = await scale('cart', ['--workload', 'cart', '--routing', routings]);
  team = await scale('team', ['--workload', 'team', '--routing', 'affinity', '--skip-baselines']);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const find = (report: ScaleReport, target: string, routing: string, killed: boolean): ScaleRun => {
  const run = report.runs.find((r) => r.target === target && r.routing === routing && (r.failover !== null) === killed);
  if (!run) throw new Error(`no ${target} ${routing}${killed ? ' failover' : ''} run in the report`);
  return run;
};

function expectClean(run: ScaleRun, minimumCalls: number) {
  expect(run.instances).toBe(2);
  expect(run.succeeded).toBeGreaterThanOrEqual(minimumCalls);
  expect(run.errors).toEqual({});
  expect(run.invariants.length).toBeGreaterThan(0);
  for (const invariant of run.invariants) expect(invariant.ok, invariant.detail).toBe(true);
  expect(run.ok).toBe(true);
}

describe('harness scale: the cart behind round-robin', () => {
  it('passes, and says so in its exit status and its reports', () => {
    expect(cart.result.code, cart.result.stderr.slice(-2000)).toBe(0);
    expect(cart.report.ok).toBe(true);
    expect(readFileSync(join(dir, 'cart.md'), 'utf8')).toMatch(/session-cart/);
    expect(readFileSync(join(dir, 'cart.html'), 'utf8')).toContain('data-chart="throughput');
  });

  it('round-robin with K=2 completes the cart workload with zero errors and every acknowledged add present', () => {
    const run = find(cart.report, 'workload:cart', 'round-robin', false);
    expectClean(run, 50);
    expect(run.invariants.map((i) => i.name)).toEqual(['cart quantities equal acknowledged adds']);
    expect(run.byTool.cart_add_item!.ok).toBeGreaterThan(0);
  });

  it('the session-scoped cart behind the same round-robin fails with "session not found", in the same report', () => {
    const run = find(cart.report, 'session-cart', 'round-robin', false);
    expect(run.instances).toBe(2);
    expect(run.expectedToFail).toBe(true);
    expect(run.errors['session not found']).toBeGreaterThan(0);
    expect(run.invariants[0]!.ok).toBe(false);
    expect(run.ok).toBe(true);
    const sticky = find(cart.report, 'session-cart', 'affinity', false);
    expect(sticky.errors).toEqual({});
    expect(sticky.invariants[0]!.ok).toBe(true);
  });

  it('killing one instance mid-run loses no acknowledged add, and the retried calls are counted', () => {
    const run = find(cart.report, 'workload:cart', 'round-robin', true);
    expect(run.failover!.pids.length).toBeGreaterThan(0);
    expect(run.failover!.retried).toBeGreaterThan(0);
    expect(run.failover!.retriedOk).toBe(run.failover!.retried);
    expect(run.failover!.notRetried).toBe(0);
    expectClean(run, 20);
  });

  it('the session-scoped cart loses its carts when its instance is killed, even with affinity', () => {
    const run = find(cart.report, 'session-cart', 'affinity', true);
    expect(run.expectedToFail).toBe(true);
    expect(run.invariants[0]!.ok).toBe(false);
    expect(run.invariants[0]!.detail).toMatch(/session carts lost/);
  });

  it.runIf(withNginx)('routes through a real nginx with zero errors', () => {
    const run = find(cart.report, 'workload:cart', 'nginx-round-robin', false);
    expect(run.skipped).toBeNull();
    expect(run.cpu.balancerPct).not.toBeNull();
    expectClean(run, 50);
  });

  it('measures the baselines and the store ceiling in the same run', () => {
    expect(find(cart.report, 'raw', 'round-robin', false).succeeded).toBeGreaterThan(0);
    expect(find(cart.report, 'echo', 'round-robin', false).succeeded).toBeGreaterThan(0);
    expect(cart.report.storeCeiling!.writesPerSecond).toBeGreaterThan(0);
  });
});

describe('harness scale: the team workload behind handle affinity', () => {
  it('passes, with no baselines asked for', () => {
    expect(team.result.code, team.result.stderr.slice(-2000)).toBe(0);
    expect(team.report.runs.map((r) => r.target)).toEqual(['workload:team', 'workload:team']);
  });

  it('completes shared-cart adds, workspace writes and isolated browser calls, with every invariant held', () => {
    const run = find(team.report, 'workload:team', 'affinity', false);
    expectClean(run, 10);
    expect(run.invariants.map((i) => i.name)).toEqual([
      'cart quantities equal acknowledged adds',
      'every acknowledged workspace write is present',
    ]);
    expect(run.browser!.warm + run.browser!.rehydrated).toBeGreaterThan(0);
  });

  it('killing one instance moves its handles to the other and loses no acknowledged write', () => {
    const run = find(team.report, 'workload:team', 'affinity', true);
    expect(run.failover!.notRetried).toBe(0);
    expect(run.failover!.retriedOk).toBe(run.failover!.retried);
    expectClean(run, 5);
  });
});

describe('harness scale: clean-up', () => {
  it('leaves no process running', () => {
    const pids = [...announcedPids(cart.result.stderr), ...announcedPids(team.result.stderr)];
    expect(pids.length).toBeGreaterThanOrEqual(10);
    expect(pids.filter(alive)).toEqual([]);
  });
});
