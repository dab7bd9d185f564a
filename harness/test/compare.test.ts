/**
 * `compare` as a CI gate, on the recorded reports in docs/results: a report against itself
 * passes; a copy with 30% more server CPU per call fails, naming the workload and the figure; an
 * invariant or a re-fetch count that changes fails at any size; mismatched inputs are bad input.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli/args.js';
import { compareCommand } from '../src/cli/compare-command.js';
import type { CommandIo } from '../src/cli/io.js';
import { compareReports } from '../src/compare/compare.js';
import type { Report, ScaleReport } from '../src/index.js';
import { REPO_ROOT, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'harness-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCALE = 'docs/results/scale.json';
const SWEEP = 'docs/results/sweep.json';
const read = <T>(file: string) => JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as T;
const write = (name: string, report: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(report));
  return file;
};

/** The recorded scale report with every workload run's server CPU per call multiplied by `factor`. */
function cpuWorse(factor: number, only?: string): ScaleReport {
  const report = read<ScaleReport>(SCALE);
  for (const run of report.runs) {
    const hit = run.target.startsWith('workload:') && (!only || run.target === only);
    if (hit && run.cpu.serverMsPerCall !== null) run.cpu.serverMsPerCall *= factor;
  }
  return report;
}

describe('compare: scale reports', () => {
  it('the recorded report against itself passes (exit 0), every workload run compared', async () => {
    const result = await runCli(['compare', SCALE, SCALE, '--json', '-']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ReturnType<typeof compareReports>;
    expect(report).toMatchObject({ schema: 'sessionless-harness/compare@1', ok: true, kind: 'scale', regressions: [] });
    const workloads = read<ScaleReport>(SCALE).runs.filter((r) => r.target.startsWith('workload:') && !r.skipped);
    expect(report.scale).toHaveLength(workloads.length);
    expect(report.scale.every((row) => row.cpuNormalisedBy === 'raw')).toBe(true);
    expect(result.stderr).toMatch(/PASSED: \d+ runs compared, no regression/);
  });

  it('a copy with per-call CPU 30% worse fails (exit 1), naming the workload and the figure', async () => {
    const head = write('cpu-worse.json', cpuWorse(1.3, 'workload:cart'));
    const result = await runCli(['compare', SCALE, head, '--markdown', join(dir, 'pr.md')]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      /workload:cart, K=1, round-robin: server CPU per call \(over the raw baseline\) rose by 30\.0%, .* beyond the 15% threshold/,
    );
    // Only the cart's runs regressed; the team workload was left alone.
    expect(result.stdout).not.toMatch(/workload:team.*rose/);
    expect(readFileSync(join(dir, 'pr.md'), 'utf8')).toMatch(
      /^## Benchmark comparison \(scale\)\n\n\*\*FAILED: \d+ regressions/,
    );
  });

  it('the threshold is per figure: 30% more CPU passes at cpu=35 and fails at the default', () => {
    const base = { file: 'base', report: read<ScaleReport>(SCALE) };
    const head = { file: 'head', report: cpuWorse(1.3) };
    expect(compareReports(base, head, { cpu: 35 }).ok).toBe(true);
    const failed = compareReports(base, head);
    expect(failed.ok).toBe(false);
    expect(failed.regressions.every((r) => /server CPU per call/.test(r))).toBe(true);
  });

  it('CPU is normalised by the raw baseline of the same report: a machine 30% slower at everything passes', () => {
    const slower = read<ScaleReport>(SCALE);
    for (const run of slower.runs) if (run.cpu.serverMsPerCall !== null) run.cpu.serverMsPerCall *= 1.3;
    const report = compareReports({ file: 'base', report: read<ScaleReport>(SCALE) }, { file: 'head', report: slower });
    expect(report.regressions).toEqual([]);
  });

  it('an invariant that changes fails, however small the change', () => {
    const head = read<ScaleReport>(SCALE);
    const run = head.runs.find((r) => r.target === 'workload:team' && r.instances === 2 && !r.failover)!;
    run.invariants[0]!.ok = false;
    const report = compareReports({ file: 'base', report: read<ScaleReport>(SCALE) }, { file: 'head', report: head });
    expect(report.regressions).toEqual([
      expect.stringMatching(/^workload:team, K=2, round-robin: the invariant ".+" is broken in HEAD \(held in BASE\)/),
    ]);
  });
});

describe('compare: sweep reports', () => {
  it('one more tools/list request fails; the same sweep passes', () => {
    const base = { file: 'base', report: read<Report>(SWEEP) };
    expect(compareReports(base, { file: 'head', report: read<Report>(SWEEP) }).ok).toBe(true);
    const head = read<Report>(SWEEP);
    const run = head.runs.find((r) => r.policy === 'sessionless' && r.subagents === 8)!;
    run.totals['tools/list']!.requests += 1;
    expect(compareReports(base, { file: 'head', report: head }).regressions).toEqual([
      'sessionless, 8 subagents: tools/list requests changed from 3 to 4; re-fetch counts may not change at all.',
    ]);
  });
});

describe('compare: bad input', () => {
  const io: CommandIo = {
    print: () => {},
    log: () => {},
    write: () => {},
    registerStop: () => {},
    interrupted: () => false,
    onSignal: () => {},
  };
  const compare =
    (...argv: string[]) =>
    () =>
      compareCommand(parseCli(['compare', ...argv]), io);

  it('a scale report against a sweep report, one file, a bench report or a bad threshold: one sentence each', () => {
    expect(compare(SCALE, SWEEP)).toThrow(
      /is a scale report and .* a sweep report; compare two reports of the same kind/,
    );
    expect(compare(SCALE)).toThrow(/^compare takes two report files, BASE\.json and HEAD\.json/);
    expect(compare(SCALE, SCALE, '--threshold', 'cpu=fast')).toThrow(
      /^--threshold expects FIGURE=PERCENT\[,FIGURE=PERCENT\], FIGURE one of cpu, throughput, p99, errors, got "cpu=fast"$/,
    );
    const bench = write('bench.json', { schema: 'sessionless-harness/bench@1' });
    expect(compare(bench, bench)).toThrow(
      /bench\.json is a bench report; compare takes two scale reports or two run\/sweep reports$/,
    );
  });

  it('reports with no run in common are bad input: a comparison of nothing must not pass', () => {
    const other = read<ScaleReport>(SCALE);
    for (const run of other.runs) run.routing = 'affinity-elsewhere' as never;
    expect(() =>
      compareReports({ file: 'a.json', report: read<ScaleReport>(SCALE) }, { file: 'b.json', report: other }),
    ).toThrow(/a\.json and b\.json have no run in common \(workload, K and routing\)/);
  });
});
