/**
 * The micro-benchmark's arithmetic, from the recorded windows alone: the medians per target, the
 * ratios to the raw ceiling and the stock echo, each target's verdict (every window completed
 * calls with no error and every check held) and the notes a reader should see first.
 */
import type { BenchFigures, BenchRatios, BenchReport, BenchTargetReport } from '../report/bench-schema.js';
import type { ScaleRun } from '../report/schema.js';

/** Other processes using more than this share of a core during a window make it noisy. */
const NOISY_OTHER_PCT = 25;
/** A load generator this busy is the limit of its calls/s. */
const GENERATOR_BOUND_PCT = 90;

export function summariseTarget(
  name: string,
  label: string,
  warmup: ScaleRun<string> | null,
  windows: Array<ScaleRun<string>>,
): BenchTargetReport {
  const serverMsPerCall = median(
    windows.flatMap((w) => (w.cpu.serverMsPerCall === null ? [] : [w.cpu.serverMsPerCall])),
  );
  const figures: BenchFigures = {
    callsPerSecond: round(median(windows.map((w) => w.throughput)) ?? 0, 1),
    serverMsPerCall: serverMsPerCall === null ? null : round(serverMsPerCall, 3),
    callsPerCorePerSecond: serverMsPerCall ? Math.round(1000 / serverMsPerCall) : null,
    p50Ms: roundOrNull(median(windows.flatMap((w) => (w.latencyMs.p50 === null ? [] : [w.latencyMs.p50]))), 3),
    p99Ms: roundOrNull(median(windows.flatMap((w) => (w.latencyMs.p99 === null ? [] : [w.latencyMs.p99]))), 3),
    serverCpuPct: round(median(windows.map((w) => w.cpu.serversPct)) ?? 0, 1),
    loadGeneratorPct: round(median(windows.map((w) => w.cpu.loadGeneratorPct)) ?? 0, 1),
    otherPct: round(median(windows.map(otherPct)) ?? 0, 1),
  };
  const none = { cpuPerCall: null, callsPerCore: null };
  const ok = windows.length > 0 && [...(warmup ? [warmup] : []), ...windows].every((run) => run.ok);
  return { name, label, ok, median: figures, vsRaw: none, vsEcho: none, warmup, windows };
}

/**
 * Each target's CPU per call and calls per core over the raw ceiling's and the stock echo's, and
 * over its own server's SDK path (the target named `<name>@sdk`) when that was run.
 */
export function withRatios(targets: BenchTargetReport[]): BenchTargetReport[] {
  const baseline = (name: string) => targets.find((t) => t.name === name && t.ok && t.median.serverMsPerCall);
  const raw = baseline('raw');
  const echo = baseline('echo');
  const over = (target: BenchTargetReport, base: BenchTargetReport | undefined): BenchRatios => {
    const mine = target.median;
    if (!base || !mine.serverMsPerCall || !mine.callsPerCorePerSecond) return { cpuPerCall: null, callsPerCore: null };
    return {
      cpuPerCall: round(mine.serverMsPerCall / base.median.serverMsPerCall!, 3),
      callsPerCore: round(mine.callsPerCorePerSecond / base.median.callsPerCorePerSecond!, 3),
    };
  };
  return targets.map((target) => {
    const sdkPath = baseline(`${target.name}@sdk`);
    return {
      ...target,
      vsRaw: over(target, raw),
      vsEcho: over(target, echo),
      ...(sdkPath && { vsSdkPath: over(target, sdkPath) }),
    };
  });
}

/** What to read before the numbers: no pinning, a busy machine, a load generator at its limit. */
export function benchNotes(report: Pick<BenchReport, 'settings' | 'targets'>): string[] {
  const notes: string[] = [];
  const { pinning } = report.settings;
  if (!pinning.pinned) {
    notes.push(
      `Not pinned (${pinning.reason}): the servers and the load generator shared the CPUs, so read the CPU per ` +
        'call rather than the calls/s.',
    );
  }
  const windows = report.targets.flatMap((t) => t.windows);
  if (windows.some((w) => w.cpu.serverMsPerCall === null && w.succeeded > 0)) {
    notes.push('Server CPU could not be read here (no /proc), so there is no CPU per call and no ratio.');
  }
  const noisy = report.targets.filter((t) => t.windows.some((w) => otherPct(w) > NOISY_OTHER_PCT));
  if (noisy.length) {
    notes.push(
      `Other processes used more than ${NOISY_OTHER_PCT}% of a core during windows of ${noisy.map((t) => t.name).join(', ')}: ` +
        'the machine was busy, so run again on a quieter one if these numbers matter.',
    );
  }
  const bound = report.targets.filter((t) => t.median.loadGeneratorPct >= GENERATOR_BOUND_PCT);
  if (bound.length) {
    notes.push(
      `The load generator used a whole core against ${bound.map((t) => t.name).join(', ')}: those calls/s are what ` +
        'one Node.js client process can send; the CPU per call still holds.',
    );
  }
  return notes;
}

/** Everything on the machine besides the target and the load generator, in % of one core. */
const otherPct = (run: ScaleRun<string>): number =>
  Math.max(0, run.cpu.machinePct - run.cpu.serversPct - run.cpu.loadGeneratorPct);

/** The middle value, or the mean of the two middle ones; null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const roundOrNull = (value: number | null, digits: number) => (value === null ? null : round(value, digits));
