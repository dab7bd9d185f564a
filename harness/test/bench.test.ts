/**
 * The per-core micro-benchmark: the order of its windows, its medians and ratios, and its verdict
 * from hand-made windows; then two short real runs: a target whose every call is refused fails
 * (a benchmark that did no work proves nothing), and `sessionless-harness bench` on the raw
 * ceiling passes and writes its report.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench } from '../src/scale/bench/bench.js';
import { planBench } from '../src/scale/bench/plan.js';
import { median, summariseTarget, withRatios } from '../src/scale/bench/summary.js';
import { BENCH_TARGETS, type BenchTarget } from '../src/scale/bench/targets.js';
import { COMPLETED_CALLS, judgeRun } from '../src/scale/engine/measure.js';
import { BENCH_SCHEMA, type BenchReport } from '../src/scale/report/bench-schema.js';
import type { ScaleRun } from '../src/scale/report/schema.js';
import { EchoWorkload } from '../src/scale/workloads/echo.js';
import { runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A window as the engine records it: `succeeded` calls in 2 s at `msPerCall` of server CPU. */
function window(target: string, succeeded: number, msPerCall: number | null, errors: Record<string, number> = {}) {
  const run: ScaleRun<string> = {
    target,
    instances: 1,
    routing: 'round-robin',
    agents: 4,
    rate: null,
    seconds: 2,
    succeeded,
    throughput: succeeded / 2,
    perInstance: succeeded / 2,
    latencyMs: { p50: 1, p95: 2, p99: 3, max: 4, mean: 1 },
    errors,
    byTool: {},
    cpu: { serversPct: 90, serverMsPerCall: msPerCall, loadGeneratorPct: 40, balancerPct: null, machinePct: 135 },
    browser: null,
    failover: null,
    invariants: [],
    expectedToFail: false,
    ok: false,
    skipped: null,
  };
  return judgeRun(run, false);
}

describe('bench plan', () => {
  it('warms every target up in list order, then alternates the order round by round', () => {
    const order = planBench(['raw', 'echo', 'cart'], 3, true).map((s) => `${s.phase}:${s.round}:${s.target}`);
    expect(order).toEqual([
      'warm-up:0:raw',
      'warm-up:0:echo',
      'warm-up:0:cart',
      'window:1:raw',
      'window:1:echo',
      'window:1:cart',
      'window:2:cart',
      'window:2:echo',
      'window:2:raw',
      'window:3:raw',
      'window:3:echo',
      'window:3:cart',
    ]);
    expect(planBench(['raw'], 1, false)).toEqual([{ target: 'raw', phase: 'window', round: 1 }]);
  });

  it('has one entry per target, each with a distinct name', () => {
    const names = BENCH_TARGETS.map((t) => t.name);
    expect(names).toEqual([
      'raw',
      'echo',
      'kit-echo',
      'cart_add_item',
      'cart_add_item@sdk',
      'session-cart',
      'tools/list',
      'tools/list@sdk',
      'server/discover',
      'server/discover@sdk',
      'workspace_read_file',
      'workspace_read_file@sdk',
      'browser_list',
      'browser_list@sdk',
    ]);
    // Every @sdk target is its lean twin's server with LEAN_PATH=off, and nothing else changed.
    const context = { secret: 's', token: 't', dataDir: '/d', agents: 1 };
    for (const sdk of BENCH_TARGETS.filter((t) => t.name.endsWith('@sdk'))) {
      const lean = BENCH_TARGETS.find((t) => t.name === sdk.name.replace('@sdk', ''))!;
      expect(sdk.entry()).toBe(lean.entry());
      expect(sdk.env(context)).toEqual({ ...lean.env(context), LEAN_PATH: 'off' });
    }
  });
});

describe('bench summary', () => {
  it('takes the median of the windows and divides CPU per call by the raw and echo targets', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const targets = withRatios([
      summariseTarget('raw', 'raw', null, [window('raw', 20_000, 0.05), window('raw', 18_000, 0.06)]),
      summariseTarget('echo', 'echo', null, [window('echo', 4000, 0.5), window('echo', 4400, 0.4)]),
      summariseTarget('cart_add_item', 'cart', null, [window('cart_add_item', 3000, 0.9)]),
    ]);
    const cart = targets[2]!;
    expect(cart.median.serverMsPerCall).toBe(0.9);
    expect(cart.median.callsPerCorePerSecond).toBe(1111);
    expect(cart.median.callsPerSecond).toBe(1500);
    expect(cart.vsRaw.cpuPerCall).toBe(16.364); // 0.9 / 0.055
    expect(cart.vsEcho.cpuPerCall).toBe(2); // 0.9 / 0.45
    expect(targets[0]!.vsRaw.cpuPerCall).toBe(1);
    expect(targets.every((t) => t.ok)).toBe(true);
  });

  it("divides a target's CPU per call by its server's SDK path when that was run", () => {
    const [lean, sdk, other] = withRatios([
      summariseTarget('cart_add_item', 'lean', null, [window('cart_add_item', 3000, 0.2)]),
      summariseTarget('cart_add_item@sdk', 'sdk', null, [window('cart_add_item@sdk', 3000, 0.6)]),
      summariseTarget('tools/list', 'list', null, [window('tools/list', 3000, 0.1)]),
    ]);
    expect(lean!.vsSdkPath?.cpuPerCall).toBe(0.333); // 0.2 / 0.6
    expect(lean!.vsSdkPath?.callsPerCore).toBeCloseTo(3, 2);
    expect(sdk!.vsSdkPath).toBeUndefined();
    expect(other!.vsSdkPath).toBeUndefined();
  });

  it('fails a target with a window that completed no calls, and leaves it out of the ratios', () => {
    const idle = window('raw', 0, null, { 'HTTP 401': 12 });
    expect(idle.invariants.map((i) => i.name)).toEqual([COMPLETED_CALLS]);
    const [raw, echo] = withRatios([
      summariseTarget('raw', 'raw', null, [window('raw', 20_000, 0.05), idle]),
      summariseTarget('echo', 'echo', null, [window('echo', 4000, 0.5)]),
    ]);
    expect(raw!.ok).toBe(false);
    expect(echo!.ok).toBe(true);
    expect(echo!.vsRaw.cpuPerCall).toBeNull();
  });

  it('fails a target whose warm-up failed, and one that had no measured window', () => {
    const failedWarmup = summariseTarget('echo', 'echo', window('echo', 0, null), [window('echo', 4000, 0.5)]);
    expect(failedWarmup.ok).toBe(false);
    expect(summariseTarget('echo', 'echo', null, []).ok).toBe(false);
  });
});

describe('bench runs', () => {
  it('a target whose every call is refused fails the report, beside one that passes', async () => {
    const tokenless: BenchTarget = {
      ...BENCH_TARGETS.find((t) => t.name === 'kit-echo')!,
      name: 'kit-echo without a token',
      // The kit's echo checks tokens; these calls carry none, so every one is answered 401.
      workload: (caller, { agents }) => new EchoWorkload(caller, agents),
    };
    const raw = BENCH_TARGETS.find((t) => t.name === 'raw')!;
    const report = await runBench({
      command: 'test',
      catalog: [raw, tokenless],
      seconds: 0.5,
      warmupSeconds: 0,
      repeats: 1,
      agents: 2,
      pin: false,
    });
    expect(report.ok).toBe(false);
    const [passed, refused] = report.targets;
    expect(passed!.ok).toBe(true);
    expect(passed!.windows[0]!.succeeded).toBeGreaterThan(0);
    expect(refused!.ok).toBe(false);
    expect(refused!.windows[0]!.succeeded).toBe(0);
    expect(refused!.windows[0]!.errors['HTTP 401']).toBeGreaterThan(0);
    expect(refused!.windows[0]!.invariants.find((i) => i.name === COMPLETED_CALLS)?.ok).toBe(false);
  }, 60_000);

  it('the cheap-call targets do their work, and --profile says where each target spent its CPU', async () => {
    const profileDir = join(dir, 'profiles');
    const report = await runBench({
      command: 'test',
      targets: ['workspace_read_file', 'browser_list', 'server/discover', 'cart_add_item@sdk'],
      seconds: 0.5,
      warmupSeconds: 0,
      repeats: 1,
      agents: 2,
      pin: false,
      profileDir,
    });
    expect(report.ok, JSON.stringify(report.targets.map((t) => t.windows[0]?.invariants))).toBe(true);
    for (const target of report.targets) expect(target.windows[0]!.succeeded).toBeGreaterThan(0);
    const profiled = report.profile!.targets;
    expect(Object.keys(profiled).sort()).toEqual([
      'browser_list',
      'cart_add_item@sdk',
      'server/discover',
      'workspace_read_file',
    ]);
    const discover = report.targets.find((t) => t.name === 'server/discover')!;
    expect(discover.windows[0]!.invariants.map((i) => i.name)).toContain(
      'a server/discover answer after the window is a full one',
    );
    for (const split of Object.values(profiled)) {
      expect(split.busyMs).toBeGreaterThan(0);
      const total = Object.values(split.shares).reduce((sum, share) => sum + share, 0);
      expect(total).toBeGreaterThan(99.5);
      expect(total).toBeLessThan(100.5);
    }
    // Through the SDK's handler the SDK does part of the work; the store served every target.
    expect(profiled['cart_add_item@sdk']!.shares['SDK dispatch']).toBeGreaterThan(0);
    expect(profiled['workspace_read_file']!.shares.store).toBeGreaterThan(0);
  }, 120_000);

  it('sessionless-harness bench --target raw passes, prints the table and writes the report', async () => {
    const json = join(dir, 'bench.json');
    const args = ['bench', '--target', 'raw', '--seconds', '0.5', '--warmup', '0', '--repeats', '1'];
    const result = await runCli([...args, '--agents', '2', '--json', json]);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stdout).toMatch(/^raw +[\d,]+ /m);
    expect(result.stdout).toContain('PASSED: 1 targets, 1 measured windows');
    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    expect(report.schema).toBe(BENCH_SCHEMA);
    expect(report.targets[0]!.windows[0]!.succeeded).toBeGreaterThan(0);
  }, 60_000);
});
