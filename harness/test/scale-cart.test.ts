/**
 * The scale-out claim for the shared handle, end to end and short: `sessionless-harness scale
 * --quick` with two instances of every server on one store, checked on what stays true on a slow,
 * shared machine. Round-robin (every call on a handle changes instance) completes the cart
 * workload with no error and every acknowledged add present, and killing an instance mid-run
 * loses nothing; the session-scoped cart fails behind the same routing in the same report. nginx
 * routes the cart when installed. (The browser-heavy team workload: scale-team.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNginx } from '../src/scale/engine/nginx.js';
import { alive, announcedPids } from './helpers.js';
import { expectClean, findRun, quickScale, type QuickScale } from './scale-run.js';

const dir = mkdtempSync(join(tmpdir(), 'scale-cart-test-'));
const withNginx = findNginx() !== null;
let cart: QuickScale;

beforeAll(async () => {
  const routings = withNginx ? 'round-robin,nginx-round-robin' : 'round-robin';
  cart = await quickScale(dir, 'cart', ['--workload', 'cart', '--routing', routings]);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('harness scale: the cart behind round-robin', () => {
  it('passes, and says so in its exit status and its reports', () => {
    expect(cart.result.code, cart.result.stderr.slice(-2000)).toBe(0);
    expect(cart.report.ok).toBe(true);
    expect(readFileSync(join(dir, 'cart.md'), 'utf8')).toMatch(/session-cart/);
    expect(readFileSync(join(dir, 'cart.html'), 'utf8')).toContain('data-chart="throughput');
  });

  it('round-robin with K=2 completes the cart workload with zero errors and every acknowledged add present', () => {
    const run = findRun(cart.report, 'workload:cart', 'round-robin', false);
    expectClean(run, 5);
    expect(run.invariants.map((i) => i.name)).toEqual(['cart quantities equal acknowledged adds']);
    expect(run.byTool.cart_add_item!.ok).toBeGreaterThan(0);
  });

  it('the session-scoped cart behind the same round-robin fails with "session not found", in the same report', () => {
    const run = findRun(cart.report, 'session-cart', 'round-robin', false);
    expect(run.instances).toBe(2);
    expect(run.expectedToFail).toBe(true);
    expect(run.errors['session not found']).toBeGreaterThan(0);
    expect(run.invariants[0]!.ok).toBe(false);
    expect(run.ok).toBe(true);
    const sticky = findRun(cart.report, 'session-cart', 'affinity', false);
    expect(sticky.errors).toEqual({});
    expect(sticky.invariants[0]!.ok).toBe(true);
  });

  it('killing one instance mid-run loses no acknowledged add, and the retried calls are counted', () => {
    const run = findRun(cart.report, 'workload:cart', 'round-robin', true);
    expect(run.failover!.pids.length).toBeGreaterThan(0);
    expect(run.failover!.retried).toBeGreaterThan(0);
    expect(run.failover!.retriedOk).toBe(run.failover!.retried);
    expect(run.failover!.notRetried).toBe(0);
    expectClean(run, 3);
  });

  it('the session-scoped cart loses its carts when its instance is killed, even with affinity', () => {
    const run = findRun(cart.report, 'session-cart', 'affinity', true);
    expect(run.expectedToFail).toBe(true);
    expect(run.invariants[0]!.ok).toBe(false);
    expect(run.invariants[0]!.detail).toMatch(/session carts lost/);
  });

  it.runIf(withNginx)('routes through a real nginx with zero errors', () => {
    const run = findRun(cart.report, 'workload:cart', 'nginx-round-robin', false);
    expect(run.skipped).toBeNull();
    expect(run.cpu.balancerPct).not.toBeNull();
    expectClean(run, 5);
  });

  it('measures the baselines and the store ceiling in the same run', () => {
    expect(findRun(cart.report, 'raw', 'round-robin', false).succeeded).toBeGreaterThan(0);
    expect(findRun(cart.report, 'echo', 'round-robin', false).succeeded).toBeGreaterThan(0);
    expect(cart.report.storeCeiling!.writesPerSecond).toBeGreaterThan(0);
  });
});

describe('harness scale: clean-up', () => {
  it('leaves no process running', () => {
    const pids = announcedPids(cart.result.stderr);
    expect(pids.length).toBeGreaterThanOrEqual(10);
    expect(pids.filter(alive)).toEqual([]);
  });
});
