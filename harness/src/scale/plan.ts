/**
 * Which runs a scale invocation makes, decided before anything starts: a pure function of the
 * scenario's `scale` section and the command line, so its rules can be tested without a process.
 * `runScale` (scale.ts) carries the list out in order; plan-checks.ts holds what it refuses.
 */
import type { Baseline } from '../fleet/baselines.js';
import { assertDrivable, assertEnvironment, pickWorkloads } from './plan-checks.js';
import { WITHOUT_AFFINITY, type Routing } from './routings.js';
import type { ScaleSpec, WorkloadSpec } from './spec.js';
import type { Store } from './stores.js';

/** The baselines a scale run compares with: the raw ceiling, the SDK's stock echo, the session cart. */
export type ScaleBaseline = Extract<Baseline, 'raw' | 'echo' | 'session-cart'>;

/** What the report records as the run's settings. */
export interface ScaleSettings {
  instances: number[];
  routings: Routing[];
  seconds: number;
  warmupSeconds: number;
  killOneAt: number | null;
  stores: Store[];
  /** Simulated hosts (network namespaces) the PostgreSQL fleets are spread over; null: none. */
  hosts: number | null;
  restartDatabaseAt: number | null;
}

interface PlannedLoad {
  /** K: instances of each server. */
  instances: number;
  routing: Routing;
  agents: number;
  /** Seconds into the window to SIGKILL one instance, or one host's (a failover run); absent otherwise. */
  killAt?: number;
}

/** A scenario workload on K instances of each server; runs with the same `fleet` share one fleet. */
export interface PlannedWorkloadRun extends PlannedLoad {
  kind: 'workload';
  workload: WorkloadSpec;
  fleet: number;
  store: Store;
  /** Simulated hosts the fleet spans (a SQLite fleet: all on one); null: loopback, no namespaces. */
  hosts: number | null;
  /** Seconds into the window to restart PostgreSQL; absent otherwise. */
  restartAt?: number;
}

/** A baseline on K processes of its own on loopback, started for this run only. */
export interface PlannedBaselineRun extends PlannedLoad {
  kind: 'baseline';
  target: ScaleBaseline;
  /** The session cart behind round-robin with K > 1, or after its instance died, is meant to fail. */
  expectedToFail: boolean;
}

/** A store's own write rate for the cart's add, without MCP or HTTP: one writer, then `writers` at once. */
export interface PlannedStoreCeiling {
  kind: 'store-ceiling';
  store: Store;
  seconds: number;
  writers: number;
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
  /** Default `sqlite`; with several, each runs the same grid on its own fleets. */
  stores?: Store[];
  hosts?: number | null;
  restartDatabaseAt?: number | null;
  /** The PostgreSQL is given with --database-url, not started for the run. */
  givenDatabase?: boolean;
}

export interface ScalePlan {
  settings: ScaleSettings;
  steps: PlannedStep[];
}

/** SQLite's ceiling compares one writer with two processes on one file; PostgreSQL's, 1 connection with this many. */
export const CEILING_WRITERS: Record<Store, number> = { sqlite: 2, postgres: 4 };

/**
 * For each K: every workload behind every routing, on one fleet per store, then the baselines at
 * that K. With `killOneAt`, failover runs at the largest K: the last workload behind the routings
 * with no affinity that were asked for (else behind every routing asked for), each on a fresh
 * fleet, on PostgreSQL when it is a store (one host's instances die), and the session cart behind
 * affinity. With `restartDatabaseAt`, the same runs again with PostgreSQL restarted instead. Last,
 * each store's write ceiling.
 */
export function planScale(request: PlanRequest): ScalePlan {
  const { spec } = request;
  const hosts = request.hosts ?? null;
  const settings: ScaleSettings = {
    instances: request.instances ?? (hosts ? [hosts] : spec.instances),
    routings: request.routings ?? spec.routings,
    seconds: request.seconds ?? spec.seconds,
    warmupSeconds: request.warmupSeconds ?? spec.warmupSeconds,
    killOneAt: request.killOneAt ?? null,
    stores: [...new Set<Store>(request.stores ?? ['sqlite'])],
    hosts,
    restartDatabaseAt: request.restartDatabaseAt ?? null,
  };
  const workloads = pickWorkloads(spec.workloads, request.workloads);
  assertDrivable(workloads, request.file);
  assertEnvironment({ ...settings, givenDatabase: request.givenDatabase ?? false });
  const largest = Math.max(...settings.instances);
  const baselines = request.baselines ?? true;
  const agents = (own: number) => request.agents ?? own;
  // A SQLite fleet shares one file, so with --hosts it runs on one host; PostgreSQL's span them all.
  const hostsOf = (store: Store) => (hosts === null ? null : store === 'postgres' ? hosts : 1);
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
    for (const store of settings.stores) {
      for (const routing of settings.routings) {
        for (const workload of workloads) {
          const run = { kind: 'workload', workload, instances, routing, agents: agents(workload.agents) } as const;
          steps.push({ ...run, fleet, store, hosts: hostsOf(store) });
        }
      }
      fleet += 1;
    }
    if (baselines) {
      steps.push(
        baseline('raw', instances, 'round-robin'),
        baseline('echo', instances, 'round-robin'),
        baseline('session-cart', instances, 'round-robin'),
        baseline('session-cart', instances, 'affinity'),
      );
    }
  }
  const noAffinity = settings.routings.filter((r) => WITHOUT_AFFINITY.includes(r));
  const disrupted = noAffinity.length ? noAffinity : settings.routings;
  const workload = workloads.at(-1)!;
  // A fresh fleet for each: a killed instance stays dead, and a restart leaves its mark.
  const disruptions = (store: Store, disruption: { killAt: number } | { restartAt: number }) => {
    for (const routing of disrupted) {
      const run = { kind: 'workload', workload, instances: largest, routing, agents: agents(workload.agents) } as const;
      steps.push({ ...run, ...disruption, fleet, store, hosts: hostsOf(store) });
      fleet += 1;
    }
  };
  if (settings.killOneAt !== null) {
    disruptions(settings.stores.includes('postgres') ? 'postgres' : 'sqlite', { killAt: settings.killOneAt });
    if (baselines) steps.push(baseline('session-cart', largest, 'affinity', settings.killOneAt));
  }
  if (settings.restartDatabaseAt !== null) disruptions('postgres', { restartAt: settings.restartDatabaseAt });
  if (request.storeCeiling ?? true) {
    const seconds = request.storeCeilingSeconds ?? 3;
    for (const store of settings.stores)
      steps.push({ kind: 'store-ceiling', store, seconds, writers: CEILING_WRITERS[store] });
  }
  return { settings, steps };
}
