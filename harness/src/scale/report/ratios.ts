/**
 * The figure that carries from machine to machine: each workload's calls per second per instance
 * over the `raw` and `echo` baselines' at the same K and routing, from steady runs only.
 */
import type { Routing } from '../routings.js';
import type { Store } from '../stores.js';
import type { ScaleReport, ScaleRun, Target } from './schema.js';

export interface ScaleRatio {
  target: Target;
  /** Where the workload kept its state (absent in reports from before PostgreSQL). */
  store?: Store;
  hosts?: number | null;
  instances: number;
  routing: Routing;
  perInstance: number;
  /** The baseline's per-instance throughput at the same K and routing, or null when it was not run. */
  rawPerInstance: number | null;
  echoPerInstance: number | null;
  toRaw: number | null;
  toEcho: number | null;
}

/** A run that measured steady throughput: done, no instance killed and no database restarted during it. */
export const isSteady = (run: ScaleRun): boolean =>
  run.skipped === null && run.failover === null && !run.databaseRestart;

/** Each workload's per-instance throughput over `raw`'s and `echo`'s at the same K and routing. */
export function ratiosOf(report: ScaleReport): ScaleRatio[] {
  const steady = report.runs.filter(isSteady);
  const baseline = (target: Target, run: ScaleRun) =>
    steady.find((b) => b.target === target && b.instances === run.instances && b.routing === run.routing);
  const over = (run: ScaleRun, b: ScaleRun | undefined) =>
    b && b.perInstance > 0 ? run.perInstance / b.perInstance : null;
  return steady
    .filter((run) => run.target.startsWith('workload:'))
    .flatMap((run) => {
      const raw = baseline('raw', run);
      const echo = baseline('echo', run);
      if (!raw && !echo) return [];
      const { target, instances, routing, perInstance, store, hosts } = run;
      return [
        {
          target,
          ...(store ? { store, hosts } : {}),
          instances,
          routing,
          perInstance,
          rawPerInstance: raw?.perInstance ?? null,
          echoPerInstance: echo?.perInstance ?? null,
          toRaw: over(run, raw),
          toEcho: over(run, echo),
        },
      ];
    });
}
