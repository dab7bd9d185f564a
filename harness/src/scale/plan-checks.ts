/**
 * The mistakes a scale plan refuses before anything starts, each one sentence that names the flag
 * and the way out: workloads it cannot find or drive, failover without a second instance or host,
 * simulated hosts without a networked store, a database restart without a database of its own.
 */
import { UsageError } from '../shared/errors.js';
import type { Store } from './stores.js';
import type { WorkloadSpec } from './spec.js';
import { DRIVABLE_TOOLS } from './workloads/mix.js';

export interface Environment {
  stores: Store[];
  instances: number[];
  hosts: number | null;
  killOneAt: number | null;
  restartDatabaseAt: number | null;
  /** A database given with --database-url rather than started for the run. */
  givenDatabase: boolean;
}

export function assertEnvironment(env: Environment): void {
  const postgres = env.stores.includes('postgres');
  const largest = Math.max(...env.instances);
  if (env.killOneAt !== null && largest < 2) {
    throw new UsageError('a failover run needs at least 2 instances: add 2 to --instances, or leave out --kill-one-at');
  }
  if (env.givenDatabase && !postgres) {
    throw new UsageError('--database-url names a PostgreSQL to use, so it needs --store postgres');
  }
  if (env.restartDatabaseAt !== null && (!postgres || env.givenDatabase)) {
    throw new UsageError(
      '--restart-database-at restarts the PostgreSQL the run starts for itself: add --store postgres ' +
        '(without --database-url), or leave out --restart-database-at',
    );
  }
  if (env.hosts === null) return;
  if (!postgres) {
    throw new UsageError(
      '--hosts spreads instances that share nothing but the database, and SQLite is a file on one host: ' +
        'add --store postgres',
    );
  }
  if (env.givenDatabase) {
    throw new UsageError(
      '--hosts starts its own PostgreSQL inside the network it makes for the run: leave out --database-url',
    );
  }
  const fewer = env.instances.find((k) => k < env.hosts!);
  if (fewer !== undefined) {
    throw new UsageError(
      `--instances ${fewer} leaves some of the ${env.hosts} hosts without an instance: give every K at least --hosts`,
    );
  }
  if (env.killOneAt !== null && env.hosts < 2) {
    throw new UsageError('a failover run kills one host, so it needs --hosts 2 or more, or leave out --kill-one-at');
  }
}

export function pickWorkloads(all: WorkloadSpec[], names?: string[]): WorkloadSpec[] {
  if (!names?.length) return all;
  return names.map((name) => {
    const found = all.find((w) => w.name === name);
    if (!found) {
      throw new UsageError(`unknown workload "${name}": expected one of ${all.map((w) => w.name).join(', ')}`);
    }
    return found;
  });
}

export function assertDrivable(workloads: WorkloadSpec[], file: string): void {
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
