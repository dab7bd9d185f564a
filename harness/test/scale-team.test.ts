/**
 * The scale-out claim for isolated handles beside shared ones, end to end and short: the
 * browser-heavy team workload (a shared cart, workspace writes, a browser per agent) on two
 * instances of every server completes behind handle affinity, with every invariant held, also when
 * one instance is killed mid-run. (The cart behind round-robin: scale-cart.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, announcedPids } from './helpers.js';
import { expectClean, findRun, quickScale, type QuickScale } from './scale-run.js';

const dir = mkdtempSync(join(tmpdir(), 'scale-team-test-'));
let team: QuickScale;

beforeAll(async () => {
  team = await quickScale(dir, 'team', ['--workload', 'team', '--routing', 'affinity', '--skip-baselines']);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('harness scale: the team workload behind handle affinity', () => {
  it('passes, with no baselines asked for', () => {
    expect(team.result.code, team.result.stderr.slice(-2000)).toBe(0);
    expect(team.report.runs.map((r) => r.target)).toEqual(['workload:team', 'workload:team']);
  });

  it('completes shared-cart adds, workspace writes and isolated browser calls, with every invariant held', () => {
    const run = findRun(team.report, 'workload:team', 'affinity', false);
    expectClean(run, 3);
    expect(run.invariants.map((i) => i.name)).toEqual([
      'cart quantities equal acknowledged adds',
      'every acknowledged workspace write is present',
    ]);
    expect(run.browser!.warm + run.browser!.rehydrated).toBeGreaterThan(0);
  });

  it('killing one instance moves its handles to the other and loses no acknowledged write', () => {
    const run = findRun(team.report, 'workload:team', 'affinity', true);
    expect(run.failover!.notRetried).toBe(0);
    expect(run.failover!.retriedOk).toBe(run.failover!.retried);
    expectClean(run, 2);
  });
});

describe('harness scale: clean-up', () => {
  it('leaves no process running', () => {
    const pids = announcedPids(team.result.stderr);
    expect(pids.length).toBeGreaterThanOrEqual(10);
    expect(pids.filter(alive)).toEqual([]);
  });
});
