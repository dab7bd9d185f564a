/**
 * The comparison of two reports as one stable JSON shape (`schema: "sessionless-harness/compare@1"`,
 * documented in docs/08-harness-and-ci.md), from which the table and the Markdown for a pull
 * request are rendered: per run the figures side by side with their change and the threshold, and
 * every regression as one sentence that names the run and the figure.
 */
import type { Machine } from '../shared/machine.js';

export const COMPARE_SCHEMA = 'sessionless-harness/compare@1';

/** The figures a scale comparison gates on, each with its own threshold in percent. */
export const FIGURES = ['cpu', 'throughput', 'p99', 'errors'] as const;
export type Figure = (typeof FIGURES)[number];

export const FIGURE_NAMES: Record<Figure, string> = {
  cpu: 'server CPU per call',
  throughput: 'calls/s per instance',
  p99: 'p99 latency',
  errors: 'errors',
};

/** How far a figure may get worse, in percent, before the comparison fails. Errors: any increase. */
export const DEFAULT_THRESHOLDS: Record<Figure, number> = { cpu: 15, throughput: 15, p99: 15, errors: 0 };

export interface FigureChange {
  figure: Figure;
  base: number | null;
  head: number | null;
  /** (head - base) / base in percent; null when either is missing, Infinity from a base of 0. */
  changePct: number | null;
  /** Worse by more than `thresholdPct` in the figure's bad direction (up for CPU, p99, errors). */
  regressed: boolean;
  thresholdPct: number;
  /** Not compared, and why (a failover run's throughput, a figure missing on one side). */
  skipped: string | null;
}

export interface ScaleRow {
  /** "workload:cart, K=2, round-robin", the run's label in every table. */
  run: string;
  target: string;
  instances: number;
  routing: string;
  failover: boolean;
  /** Server CPU per call over the raw baseline's at the same K in the same report, or in ms when a side has no raw run. */
  cpuNormalisedBy: 'raw' | null;
  figures: FigureChange[];
  /** Invariants present on both sides whose verdict differs (any change fails). */
  invariantsChanged: Array<{ name: string; base: boolean; head: boolean }>;
  invariantsCompared: number;
  regressions: string[];
}

export interface SweepRow {
  /** "sessionless, 8 subagents". */
  run: string;
  policy: string;
  subagents: number;
  /** Requests per method on both sides, for the re-fetch methods and tools/call. */
  counts: Array<{ method: string; base: number; head: number }>;
  /** tools/list bytes (request + response) on both sides: shown, never gated. */
  listBytes: { base: number; head: number };
  regressions: string[];
}

export interface Side {
  file: string;
  startedAt: string;
  machine: Machine;
  /** The command line that made a scale report, or "run"/"sweep". */
  command: string;
}

export interface CompareReport {
  schema: typeof COMPARE_SCHEMA;
  /** No regression: the gate passes. */
  ok: boolean;
  kind: 'scale' | 'sweep';
  base: Side;
  head: Side;
  thresholds: Record<Figure, number>;
  scale: ScaleRow[];
  sweep: SweepRow[];
  /** Runs on one side only: listed, not compared (a routing not run, a policy added). */
  onlyInBase: string[];
  onlyInHead: string[];
  /** Sentences a reader needs besides the rows (which baseline normalised the CPU, runs that failed). */
  notes: string[];
  /** Every regression, one sentence each naming the run and the figure. */
  regressions: string[];
}
