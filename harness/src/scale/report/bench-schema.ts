/**
 * The micro-benchmark's report (`schema: "sessionless-harness/bench@1"`): per target, every
 * measured window as the scale engine recorded it, the medians over the windows and the ratios to
 * the raw ceiling and the stock echo. Fields are only ever added within a schema version.
 */
import type { Machine } from '../../shared/machine.js';
import type { ProfileSplit } from '../bench/profile.js';
import type { ScaleRun } from './schema.js';

export const BENCH_SCHEMA = 'sessionless-harness/bench@1';

/** Servers on one CPU, the load generator on another; or why not. */
export type Pinning = { pinned: true; serverCpu: number; loadCpu: number } | { pinned: false; reason: string };

/** One target's figures: medians over its measured windows. */
export interface BenchFigures {
  /** Successful calls per second of the window. */
  callsPerSecond: number;
  /** Server CPU milliseconds per successful call (from /proc); null where /proc is not available. */
  serverMsPerCall: number | null;
  /** What one core of server CPU serves: 1000 / serverMsPerCall. */
  callsPerCorePerSecond: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** The target's process, the load generator and everything else on the machine, in % of one core. */
  serverCpuPct: number;
  loadGeneratorPct: number;
  otherPct: number;
}

/** A target's figure over the raw ceiling's (or the stock echo's); null when that one was not run. */
export interface BenchRatios {
  /** Server CPU per call, target / baseline: how many times the baseline's cost. */
  cpuPerCall: number | null;
  /** Calls per second per core, target / baseline. */
  callsPerCore: number | null;
}

export interface BenchTargetReport {
  name: string;
  label: string;
  /** Every window completed calls, with no error and every check held (warm-up included). */
  ok: boolean;
  median: BenchFigures;
  vsRaw: BenchRatios;
  vsEcho: BenchRatios;
  /** Over the same server with LEAN_PATH=off (the target named `<name>@sdk`), when it was run. */
  vsSdkPath?: BenchRatios;
  /** The unrecorded warm-up, checked like the rest; null when --warmup 0. */
  warmup: ScaleRun<string> | null;
  windows: Array<ScaleRun<string>>;
}

export interface BenchReport {
  schema: typeof BENCH_SCHEMA;
  ok: boolean;
  /** The command line that produced it. */
  command: string;
  machine: Machine;
  settings: {
    targets: string[];
    seconds: number;
    warmupSeconds: number;
    repeats: number;
    agents: number;
    pinning: Pinning;
  };
  startedAt: string;
  durationMs: number;
  targets: BenchTargetReport[];
  /** Sentences to read before the numbers: no pinning, a busy machine, a saturated load generator. */
  notes: string[];
  /** With --profile: each target's CPU profile (warm-up and windows) split into the parts of a call. */
  profile?: { dir: string; targets: Record<string, ProfileSplit> };
}
