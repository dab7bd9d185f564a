/**
 * `sessionless-harness scale`: the plan (plan.ts) carried out step by step, in order: a fleet for
 * the workload runs that share it, a baseline's own processes for each baseline run, the store
 * ceiling; then the report and the notes derived from it. Everything started is stopped before
 * it returns.
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
import { measureStoreCeiling } from './engine/store-ceiling.js';
import { planScale } from './plan.js';
import { scaleNotes } from './report/notes.js';
import { SCALE_SCHEMA, type ScaleReport, type ScaleRun, type StoreCeiling, type SweepSeries } from './report/schema.js';
import type { Routing } from './routings.js';
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
  });
  const secret = randomBytes(32).toString('base64url');
  const token = await signDevToken(secret, 'scale', { expiresIn: '12h', audience: SERVER_NAMES.map(defaultAudience) });
  if (options.baselines ?? true) assertBaselinesBuilt(['raw', 'echo', 'session-cart']);
  const context: RunContext = {
    servers: [...scenario.servers],
    secret,
    token,
    load: options.load ?? { mode: 'closed' },
    seconds: settings.seconds,
    warmupSeconds: settings.warmupSeconds,
    log,
    registerStop: options.registerStop,
  };

  const runs: ScaleRun[] = [];
  let storeCeiling: StoreCeiling | null = null;
  let open: OpenFleet | undefined;
  try {
    for (const step of steps) {
      // A fleet serves the consecutive workload runs planned on it, and stops before anything else starts.
      if (open && (step.kind !== 'workload' || step.fleet !== open.number)) {
        await open.fleet.stop();
        open = undefined;
      }
      if (step.kind === 'workload') {
        open ??= await openFleet(step.fleet, step.instances, context);
        runs.push(await runWorkload(step, open, context));
      } else if (step.kind === 'baseline') {
        runs.push(await runBaseline(step, context));
      } else {
        storeCeiling = await measureStoreCeiling(log, step.seconds);
      }
    }
  } finally {
    await open?.fleet.stop();
  }

  const nginx = findNginx();
  const report: ScaleReport = {
    schema: SCALE_SCHEMA,
    ok: runs.every((run) => run.ok),
    scenario: { name: scenario.name, title: scenario.title, file },
    command: options.command,
    machine: { ...machine(), nginx: nginx ? nginxVersion(nginx) : null, k6: null },
    settings,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    runs,
    storeCeiling,
    sweep: options.sweep ?? null,
    notes: [],
  };
  report.notes = scaleNotes(report);
  return report;
}
