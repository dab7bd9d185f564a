/**
 * `sessionless-harness bench`: the per-core micro-benchmark, on the scale engine. Each target is
 * one process pinned to one CPU, this process (the load generator) on another; every window is
 * one `measure` behind a one-instance route, in the order plan.ts gives; the report holds each
 * window, the medians and the ratios. Everything started is stopped before it returns.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevToken } from '@sessionless/kit';
import { startProcess, type StartedProcess } from '../../fleet/process.js';
import { UsageError } from '../../shared/errors.js';
import { machine } from '../../shared/machine.js';
import { measure } from '../engine/measure.js';
import { BENCH_SCHEMA, type BenchReport } from '../report/bench-schema.js';
import type { ScaleRun } from '../report/schema.js';
import { planPinning, pinProcess } from './pinning.js';
import { splitNewestProfile } from './profile.js';
import { planBench } from './plan.js';
import { benchNotes, summariseTarget, withRatios } from './summary.js';
import { BENCH_TARGETS, type BenchContext, type BenchTarget } from './targets.js';

export interface BenchOptions {
  /** The command line, for the report. */
  command: string;
  /** Target names; default every target of the list. */
  targets?: string[];
  seconds?: number;
  warmupSeconds?: number;
  repeats?: number;
  agents?: number;
  /** Pin with taskset when it can (default true). */
  pin?: boolean;
  /** Run each target with --cpu-prof into a directory of its own here, and split the profiles. */
  profileDir?: string;
  /** The list the names are chosen from; default BENCH_TARGETS. */
  catalog?: readonly BenchTarget[];
  log?: (line: string) => void;
  registerStop?: (stop: () => Promise<void>) => void;
}

export const BENCH_DEFAULTS = { seconds: 10, warmupSeconds: 10, repeats: 2, agents: 50 };
/** Unrecorded load at the start of each window, so every agent has a call in flight when it opens. */
const LEAD_IN_SECONDS = 0.5;

interface RunningTarget {
  target: BenchTarget;
  process: StartedProcess;
  context: BenchContext;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date();
  const started = performance.now();
  const log = options.log ?? (() => {});
  const targets = pickTargets(options.catalog ?? BENCH_TARGETS, options.targets);
  const entries = targets.map((target) => target.entry(options.profileDir ? 'modules' : 'bundle'));
  const settings = {
    targets: targets.map((t) => t.name),
    seconds: options.seconds ?? BENCH_DEFAULTS.seconds,
    warmupSeconds: options.warmupSeconds ?? BENCH_DEFAULTS.warmupSeconds,
    repeats: options.repeats ?? BENCH_DEFAULTS.repeats,
    agents: options.agents ?? BENCH_DEFAULTS.agents,
    pinning: planPinning(options.pin ?? true),
  };
  const { pinning, agents } = settings;
  if (pinning.pinned) pinProcess(process.pid, pinning.loadCpu);

  const dataDir = mkdtempSync(join(tmpdir(), 'sessionless-bench-'));
  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    await Promise.all(stoppers.map((stopOne) => stopOne()));
    rmSync(dataDir, { recursive: true, force: true });
  };
  options.registerStop?.(stop);
  const secret = randomBytes(32).toString('base64url');
  const token = await signDevToken(secret, 'bench', { expiresIn: '12h' });
  const warmups = new Map<string, ScaleRun<string>>();
  const windows = new Map<string, Array<ScaleRun<string>>>();
  try {
    const running: RunningTarget[] = [];
    for (const [index, target] of targets.entries()) {
      const context = { secret, token, agents, dataDir: join(dataDir, String(index)) };
      mkdirSync(context.dataDir);
      const spawned = await startProcess({
        label: `the ${target.name} target`,
        entry: entries[index]!,
        port: 0,
        env: { HOST: '127.0.0.1', ...target.env(context) },
        cpu: pinning.pinned ? pinning.serverCpu : undefined,
        nodeArgs: options.profileDir
          ? ['--cpu-prof', `--cpu-prof-dir=${profileDirOf(options.profileDir, target)}`]
          : [],
        timeoutMs: 30_000,
        log,
        track: (stopOne) => stoppers.push(stopOne),
        onUnexpectedExit: log,
      });
      running.push({ target, process: spawned, context: { ...context, url: spawned.url, origin: spawned.origin } });
    }
    for (const step of planBench(settings.targets, settings.repeats, settings.warmupSeconds > 0)) {
      const one = running.find((r) => r.target.name === step.target)!;
      const warmUp = step.phase === 'warm-up';
      log(`${warmUp ? 'warm-up' : `round ${step.round}/${settings.repeats}`}: ${step.target}`);
      const run = await measureWindow(one, warmUp ? settings.warmupSeconds : settings.seconds, log);
      log(`  ${describeWindow(run)}`);
      if (warmUp) warmups.set(step.target, run);
      else windows.set(step.target, [...(windows.get(step.target) ?? []), run]);
    }
  } finally {
    await stop();
  }

  const summaries = targets.map((t) =>
    summariseTarget(t.name, t.label, warmups.get(t.name) ?? null, windows.get(t.name) ?? []),
  );
  const report: BenchReport = {
    schema: BENCH_SCHEMA,
    ok: summaries.every((t) => t.ok),
    command: options.command,
    machine: machine(),
    settings,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    targets: withRatios(summaries),
    notes: [],
  };
  report.notes = benchNotes(report);
  if (options.profileDir) {
    // Each target wrote its profile when it stopped.
    const split = targets.flatMap((t) => {
      const found = splitNewestProfile(profileDirOf(options.profileDir!, t));
      return found ? [[t.name, found] as const] : [];
    });
    report.profile = { dir: options.profileDir, targets: Object.fromEntries(split) };
  }
  return report;
}

/** A target's own profile directory: its name with anything but letters, digits and - as _. */
const profileDirOf = (dir: string, target: BenchTarget) => join(dir, target.name.replace(/[^A-Za-z0-9-]/g, '_'));

/** One window: the scale engine's `measure`, closed loop, behind a route to the one process. */
function measureWindow({ target, process, context }: RunningTarget, seconds: number, log: (line: string) => void) {
  const replica = { url: process.url, origin: process.origin, pid: process.pid, instance: 0 };
  return measure({
    target: target.name,
    instances: { replicas: { [target.server]: [replica] }, pids: () => [process.pid], kill: async () => [] },
    routing: 'round-robin',
    affinityHeaders: {},
    load: { mode: 'closed' },
    agents: context.agents,
    seconds,
    warmupSeconds: LEAD_IN_SECONDS,
    workload: (caller) => target.workload(caller, context),
    log,
  });
}

function describeWindow(run: ScaleRun<string>): string {
  const cpu =
    run.cpu.serverMsPerCall === null ? 'server CPU unknown' : `${run.cpu.serverMsPerCall} ms server CPU per call`;
  const errors = Object.values(run.errors).reduce((sum, n) => sum + n, 0);
  const broken = run.invariants.filter((i) => !i.ok).map((i) => i.name);
  return (
    `${Math.round(run.throughput)} calls/s, p50 ${run.latencyMs.p50 ?? '-'} ms, ${cpu}, ${errors} errors` +
    (broken.length ? `; FAILED: ${broken.join('; ')}` : '')
  );
}

function pickTargets(catalog: readonly BenchTarget[], names?: string[]): BenchTarget[] {
  if (!names?.length) return [...catalog];
  return [...new Set(names)].map((name) => {
    const found = catalog.find((t) => t.name === name);
    if (!found) {
      throw new UsageError(
        `unknown target "${name}" in --target: expected one of ${catalog.map((t) => t.name).join(', ')}`,
      );
    }
    return found;
  });
}
