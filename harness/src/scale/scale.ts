/**
 * `sessionless-harness scale`: the plan (plan.ts) carried out step by step, in order, on the run's
 * environment (simulated hosts, the database): a fleet for the workload runs that share it, a
 * baseline's own processes for each baseline run, each store's ceiling; then the report and the
 * notes derived from it. Everything started is stopped before it returns.
 */
import { randomBytes } from 'node:crypto';
import { defaultAudience, signDevToken } from '@sessionless/kit';
import { assertBaselinesBuilt } from '../fleet/baselines.js';
import { SERVER_NAMES } from '../fleet/servers.js';
import type { LoadedScenario } from '../scenarios/scenario-file.js';
import { UsageError } from '../shared/errors.js';
import { machine } from '../shared/machine.js';
import type { Load } from './engine/drive.js';
import { findNginx, nginxVersion } from './engine/nginx.js';
import { measurePostgresCeiling, measureStoreCeiling } from './engine/store-ceiling.js';
import { openEnvironment } from './environment.js';
import { planScale } from './plan.js';
import { scaleNotes } from './report/notes.js';
import {
  SCALE_SCHEMA,
  type PostgresCeiling,
  type ScaleReport,
  type ScaleRun,
  type StoreCeiling,
  type SweepSeries,
} from './report/schema.js';
import type { Routing } from './routings.js';
import type { Store } from './stores.js';
import { openFleet, runBaseline, runWorkload, type OpenFleet, type RunContext } from './runs.js';

export interface ScaleOptions {
  scenario: LoadedScenario;
  /** The command line, for the report. */
  command: string;
  instances?: number[];
  routings?: Routing[];
  seconds?: number;
  warmupSeconds?: number;
  /** Seconds into the window to kill one instance in the failover runs; null: no failover runs. */
  killOneAt?: number | null;
  load?: Load;
  /** Only these workloads (by name); default all. */
  workloads?: string[];
  /** Agents per workload, overriding the scenario's. */
  agents?: number;
  baselines?: boolean;
  storeCeiling?: boolean;
  /** Length of each store ceiling measurement (default 3 s). */
  storeCeilingSeconds?: number;
  /** Default `sqlite`; `postgres` starts a PostgreSQL for the run unless `databaseUrl` names one. */
  stores?: Store[];
  databaseUrl?: string;
  /** Spread the PostgreSQL fleets over this many simulated hosts (network namespaces; root only). */
  hosts?: number | null;
  /** Seconds into the window to restart PostgreSQL in the restart runs; null: none. */
  restartDatabaseAt?: number | null;
  sweep?: SweepSeries | null;
  log?: (line: string) => void;
  registerStop?: (stop: () => Promise<void>) => void;
}

export async function runScale(options: ScaleOptions): Promise<ScaleReport> {
  const startedAt = new Date();
  const started = performance.now();
  const log = options.log ?? (() => {});
  const { scenario, file } = options.scenario;
  if (!scenario.scale) throw new UsageError(`${file} has no "scale" section, so there is nothing to scale`);
  const { settings, steps } = planScale({
    spec: scenario.scale,
    file,
    instances: options.instances,
    routings: options.routings,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    killOneAt: options.killOneAt,
    workloads: options.workloads,
    agents: options.agents,
    baselines: options.baselines,
    storeCeiling: options.storeCeiling,
    storeCeilingSeconds: options.storeCeilingSeconds,
    stores: options.stores,
    hosts: options.hosts,
    restartDatabaseAt: options.restartDatabaseAt,
    givenDatabase: options.databaseUrl !== undefined,
  });
  const secret = randomBytes(32).toString('base64url');
  const token = await signDevToken(secret, 'scale', { expiresIn: '12h', audience: SERVER_NAMES.map(defaultAudience) });
  if (options.baselines ?? true) assertBaselinesBuilt(['raw', 'echo', 'session-cart']);
  const environment = await openEnvironment(settings, options.databaseUrl, log, options.registerStop);
  const context: RunContext = {
    servers: [...scenario.servers],
    secret,
    token,
    load: options.load ?? { mode: 'closed' },
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    log,
    registerStop: options.registerStop,
    environment,
  };

  const runs: ScaleRun[] = [];
  let storeCeiling: StoreCeiling | null = null;
  let postgresCeiling: PostgresCeiling | null = null;
  let open: OpenFleet | undefined;
  try {
    for (const step of steps) {
      // A fleet serves the consecutive workload runs planned on it, and stops before anything else starts.
      if (open && (step.kind !== 'workload' || step.fleet !== open.number)) {
        await open.fleet.stop();
        open = undefined;
      }
      if (step.kind === 'workload') {
        const onFleet = steps.flatMap((s) => (s.kind === 'workload' && s.fleet === step.fleet ? [s.workload] : []));
        open ??= await openFleet(step, onFleet, context);
        runs.push(await runWorkload(step, open, context));
      } else if (step.kind === 'baseline') {
        runs.push(await runBaseline(step, context));
      } else if (step.store === 'sqlite') {
        storeCeiling = await measureStoreCeiling(log, step.seconds);
      } else {
        postgresCeiling = await measurePostgresCeiling(log, step.seconds, step.writers, environment.database!);
      }
    }
  } finally {
    await open?.fleet.stop();
    environment.stop();
  }

  const nginx = findNginx();
  const report: ScaleReport = {
    schema: SCALE_SCHEMA,
    ok: runs.every((run) => run.ok),
    scenario: { name: scenario.name, title: scenario.title, file },
    command: options.command,
    machine: {
      ...machine(),
      nginx: nginx ? nginxVersion(nginx) : null,
      k6: null,
      postgres: environment.database?.version ?? null,
    },
    settings,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    runs,
    topology: environment.topology,
    storeCeiling,
    postgresCeiling,
    sweep: options.sweep ?? null,
    notes: [],
  };
  report.notes = scaleNotes(report);
  return report;
}
