/**
 * Which runs a scale invocation makes, decided before anything starts: a pure function of the
 * scenario's `scale` section and the command line, so its rules can be tested without a process.
 * `runScale` (scale.ts) carries the list out in order.
 */
import type { Baseline } from '../fleet/baselines.js';
import { UsageError } from '../shared/errors.js';
import { WITHOUT_AFFINITY, type Routing } from './routings.js';
import type { ScaleSpec, WorkloadSpec } from './spec.js';
import { DRIVABLE_TOOLS } from './workloads/mix.js';

/** The baselines a scale run compares with: the raw ceiling, the SDK's stock echo, the session cart. */
export type ScaleBaseline = Extract<Baseline, 'raw' | 'echo' | 'session-cart'>;

/** What the report records as the run's settings. */
export interface ScaleSettings {
  instances: number[];
  routings: Routing[];
  seconds: number;
  warmupSeconds: number;
  killOneAt: number | null;
}

interface PlannedLoad {
  /** K: instances of each server. */
  instances: number;
  routing: Routing;
  agents: number;
  /** Seconds into the window to SIGKILL one instance (a failover run); absent otherwise. */
  killAt?: number;
}

/** A scenario workload on K instances of each server; runs with the same `fleet` share one fleet. */
export interface PlannedWorkloadRun extends PlannedLoad {
  kind: 'workload';
  workload: WorkloadSpec;
  fleet: number;
}

/** A baseline on K processes of its own, started for this run only. */
export interface PlannedBaselineRun extends PlannedLoad {
  kind: 'baseline';
  target: ScaleBaseline;
  /** The session cart behind round-robin with K > 1, or after its instance died, is meant to fail. */
  expectedToFail: boolean;
}

/** SQLite's own write rate for the cart's add, without MCP or HTTP. */
export interface PlannedStoreCeiling {
  kind: 'store-ceiling';
  seconds: number;
}

export type PlannedStep = PlannedWorkloadRun | PlannedBaselineRun | PlannedStoreCeiling;

export interface PlanRequest {
  spec: ScaleSpec;
  /** The scenario file, for error messages. */
  file: string;
  instances?: number[];
  routings?: Routing[];
  seconds?: number;
  warmupSeconds?: number;
  /** Seconds into the window to kill one instance in the failover runs; null or absent: none. */
  killOneAt?: number | null;
  /** Only these workloads (by name); default all. */
  workloads?: string[];
  /** Agents for every run, overriding the scenario's. */
  agents?: number;
  baselines?: boolean;
  storeCeiling?: boolean;
  storeCeilingSeconds?: number;
}

export interface ScalePlan {
  settings: ScaleSettings;
  steps: PlannedStep[];
}

/**
 * For each K: every workload behind every routing on one fleet, then the baselines at that K.
 * With `killOneAt`, failover runs at the largest K: the last workload behind the routings with no
 * affinity that were asked for (else behind every routing asked for), each on a fresh fleet, and
 * the session cart behind affinity. Last, the store's write ceiling.
 */
export function planScale(request: PlanRequest): ScalePlan {
  const { spec } = request;
  const settings: ScaleSettings = {
    instances: request.instances ?? spec.instances,
    routings: request.routings ?? spec.routings,
    seconds: request.seconds ?? spec.seconds,
    warmupSeconds: request.warmupSeconds ?? spec.warmupSeconds,
    killOneAt: request.killOneAt ?? null,
  };
  const workloads = pickWorkloads(spec.workloads, request.workloads);
  assertDrivable(workloads, request.file);
  const largest = Math.max(...settings.instances);
  if (settings.killOneAt !== null && largest < 2) {
    throw new UsageError('a failover run needs at least 2 instances: add 2 to --instances, or leave out --kill-one-at');
  }
  const baselines = request.baselines ?? true;
  const agents = (own: number) => request.agents ?? own;
  const baseline = (target: ScaleBaseline, instances: number, routing: Routing, killAt?: number) => {
    const expectedToFail =
      target === 'session-cart' && ((routing === 'round-robin' && instances > 1) || killAt !== undefined);
    const own = target === 'session-cart' ? spec.sessionCart.agents : spec.baselines.agents;
    const run: PlannedBaselineRun = {
      kind: 'baseline',
      target,
      instances,
      routing,
      agents: agents(own),
      expectedToFail,
    };
    return killAt === undefined ? run : { ...run, killAt };
  };

  const steps: PlannedStep[] = [];
  let fleet = 0;
  for (const instances of settings.instances) {
    for (const routing of settings.routings) {
      for (const workload of workloads) {
        steps.push({ kind: 'workload', workload, instances, routing, agents: agents(workload.agents), fleet });
      }
    }
    fleet += 1;
    if (baselines) {
      steps.push(
        baseline('raw', instances, 'round-robin'),
        baseline('echo', instances, 'round-robin'),
        baseline('session-cart', instances, 'round-robin'),
        baseline('session-cart', instances, 'affinity'),
      );
    }
  }
  const killAt = settings.killOneAt;
  if (killAt !== null) {
    const noAffinity = settings.routings.filter((r) => WITHOUT_AFFINITY.includes(r));
    const workload = workloads.at(-1)!;
    // A fresh fleet for each: a killed instance stays dead.
    for (const routing of noAffinity.length ? noAffinity : settings.routings) {
      steps.push({
        kind: 'workload',
        workload,
        instances: largest,
        routing,
        agents: agents(workload.agents),
        killAt,
        fleet,
      });
      fleet += 1;
    }
    if (baselines) steps.push(baseline('session-cart', largest, 'affinity', killAt));
  }
  if (request.storeCeiling ?? true) steps.push({ kind: 'store-ceiling', seconds: request.storeCeilingSeconds ?? 3 });
  return { settings, steps };
}

function pickWorkloads(all: WorkloadSpec[], names?: string[]): WorkloadSpec[] {
  if (!names?.length) return all;
  return names.map((name) => {
    const found = all.find((w) => w.name === name);
    if (!found) {
      throw new UsageError(`unknown workload "${name}": expected one of ${all.map((w) => w.name).join(', ')}`);
    }
    return found;
  });
}

function assertDrivable(workloads: WorkloadSpec[], file: string): void {
  for (const w of workloads) {
    const unknown = w.mix.find(({ tool }) => !DRIVABLE_TOOLS.includes(tool));
    if (unknown) {
      throw new UsageError(
        `the scale workload "${w.name}" in ${file} names the tool ${unknown.tool}, which the harness cannot drive; ` +
          `expected one of ${DRIVABLE_TOOLS.join(', ')}`,
      );
    }
  }
}
