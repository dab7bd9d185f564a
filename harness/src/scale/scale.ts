/**
 * `sessionless-harness scale`: the scale-out benchmark. For each K it starts K instances of each
 * server on one shared store and measures every workload of the scenario under every routing;
 * then the same load generator measures the baselines at the same K (the raw ceiling, the SDK's
 * stock echo, and the session-scoped cart); then, with `killOneAt`, the failover runs at the
 * largest K; then SQLite's own write ceiling. Everything it started is stopped before it returns.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { signDevToken } from '@sessionless/kit';
import { UsageError } from '../shared/errors.js';
import { startFleet } from '../fleet/fleet.js';
import { machine } from '../shared/machine.js';
import type { LoadedScenario } from '../scenarios/scenario-file.js';
import { REPO_ROOT } from '../fleet/servers.js';
import { EchoWorkload, SessionCartWorkload } from './workloads/baselines.js';
import type { Load } from './engine/drive.js';
import { measure, type Instances } from './engine/measure.js';
import { DRIVABLE_TOOLS, MixWorkload } from './workloads/mix.js';
import { findNginx, nginxVersion } from './engine/nginx.js';
import { scaleNotes } from './report/notes.js';
import { startReplicas } from '../fleet/replicas.js';
import { SCALE_SCHEMA, type ScaleReport, type ScaleRun, type SweepSeries } from './report/schema.js';
import type { Routing } from './routings.js';
import type { WorkloadSpec } from './spec.js';
import { measureStoreCeiling } from './engine/store-ceiling.js';
import { readToolbook } from './workloads/toolbook.js';

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

const BASELINE_ENTRIES = {
  raw: join(REPO_ROOT, 'bench', 'targets', 'raw-ceiling.mjs'),
  echo: join(REPO_ROOT, 'bench', 'targets', 'sdk-echo.mjs'),
  'session-cart': join(REPO_ROOT, 'servers', 'session-cart', 'dist', 'main.js'),
};

export async function runScale(options: ScaleOptions): Promise<ScaleReport> {
  const startedAt = new Date();
  const started = performance.now();
  const log = options.log ?? (() => {});
  const { scenario, file } = options.scenario;
  const spec = scenario.scale;
  if (!spec) throw new UsageError(`${file} has no "scale" section, so there is nothing to scale`);
  const settings = {
    instances: options.instances ?? spec.instances,
    routings: options.routings ?? spec.routings,
    seconds: options.seconds ?? spec.seconds,
    warmupSeconds: options.warmupSeconds ?? spec.warmupSeconds,
    killOneAt: options.killOneAt === undefined ? null : options.killOneAt,
  };
  const workloads = pickWorkloads(spec.workloads, options.workloads);
  for (const w of workloads) {
    const unknown = w.mix.find(({ tool }) => !DRIVABLE_TOOLS.includes(tool));
    if (unknown) {
      throw new UsageError(
        `the scale workload "${w.name}" in ${file} names the tool ${unknown.tool}, which the harness cannot drive; ` +
          `expected one of ${DRIVABLE_TOOLS.join(', ')}`,
      );
    }
  }
  if (settings.killOneAt !== null && Math.max(...settings.instances) < 2) {
    throw new UsageError('a failover run needs at least 2 instances: add 2 to --instances, or leave out --kill-one-at');
  }
  const load = options.load ?? { mode: 'closed' };
  const servers = [...scenario.servers];
  const secret = randomBytes(32).toString('base64url');
  const token = await signDevToken(secret, 'scale', { expiresIn: '12h' });
  const baselines = options.baselines ?? true;
  for (const [name, entry] of Object.entries(BASELINE_ENTRIES)) {
    if (baselines && !existsSync(entry)) {
      throw new UsageError(
        `the ${name} baseline is not built (${entry} is missing): run "npm run build" at the repository root`,
      );
    }
  }
  const runs: ScaleRun[] = [];
  const common = { seconds: settings.seconds, warmupSeconds: settings.warmupSeconds, load, log };

  const mixRuns = async (K: number, routings: Routing[], killAt?: number, only?: WorkloadSpec[]) => {
    const fleet = await startFleet({
      servers,
      auth: { mode: 'jwt', secret },
      instances: K,
      log,
      register: options.registerStop,
    });
    try {
      const book = await readToolbook(Object.fromEntries(fleet.endpoints.map((e) => [e.name, e.url])), token);
      const affinityHeaders = affinityHeadersOf(book);
      for (const routing of routings) {
        for (const w of only ?? workloads) {
          // CPU counts the servers this workload calls (and their Chromium), not the idle ones.
          const used = new Set(w.mix.map(({ tool }) => book.get(tool)?.server));
          const instances: Instances = {
            replicas: fleet.replicas,
            pids: () =>
              Object.entries(fleet.replicas)
                .filter(([name]) => used.has(name))
                .flatMap(([, list]) => list.map((e) => e.pid!)),
            kill: (i) => fleet.kill(i),
          };
          log(
            `K=${K} ${routing}: workload ${w.name}${killAt !== undefined ? `, killing one instance at ${killAt} s` : ''}`,
          );
          const agents = options.agents ?? w.agents;
          const runId = randomBytes(4).toString('hex');
          runs.push(
            await measure({
              ...common,
              target: `workload:${w.name}`,
              instances,
              routing,
              affinityHeaders,
              agents,
              killAt,
              registerStop: options.registerStop,
              workload: (caller) =>
                new MixWorkload({ ...w, agents }, caller, book, { token, siteOrigin: fleet.siteOrigin, runId }),
            }),
          );
        }
      }
    } finally {
      await fleet.stop();
    }
  };

  const baselineRun = async (target: 'raw' | 'echo' | 'session-cart', K: number, routing: Routing, killAt?: number) => {
    const group = await startReplicas(target, BASELINE_ENTRIES[target], K, log, options.registerStop);
    try {
      log(`K=${K} ${routing}: ${target}${killAt !== undefined ? `, killing one instance at ${killAt} s` : ''}`);
      const server = target === 'session-cart' ? 'session-cart' : 'baseline';
      const agents = target === 'session-cart' ? spec.sessionCart.agents : spec.baselines.agents;
      runs.push(
        await measure({
          ...common,
          target,
          instances: { ...group, replicas: { [server]: group.endpoints } },
          routing,
          affinityHeaders: {},
          agents: options.agents ?? agents,
          killAt,
          // Behind round-robin with K > 1, or after its instance died, the session cart is meant to fail.
          expectedToFail: () =>
            target === 'session-cart' && ((routing === 'round-robin' && K > 1) || killAt !== undefined),
          workload: (caller) =>
            target === 'session-cart'
              ? new SessionCartWorkload(caller, options.agents ?? agents)
              : new EchoWorkload(caller, options.agents ?? agents),
        }),
      );
    } finally {
      await group.stop();
    }
  };

  for (const K of settings.instances) {
    await mixRuns(K, settings.routings);
    if (baselines) {
      await baselineRun('raw', K, 'round-robin');
      await baselineRun('echo', K, 'round-robin');
      await baselineRun('session-cart', K, 'round-robin');
      await baselineRun('session-cart', K, 'affinity');
    }
  }
  const largest = Math.max(...settings.instances);
  if (settings.killOneAt !== null) {
    // Behind the routings with no affinity where asked for, else behind the ones asked for.
    const failoverRoutings = settings.routings.filter((r) => r === 'round-robin' || r === 'nginx-round-robin');
    // A fresh fleet for each: a killed instance stays dead.
    for (const routing of failoverRoutings.length ? failoverRoutings : settings.routings) {
      await mixRuns(largest, [routing], settings.killOneAt, [workloads.at(-1)!]);
    }
    if (baselines) await baselineRun('session-cart', largest, 'affinity', settings.killOneAt);
  }
  const storeCeiling =
    (options.storeCeiling ?? true) ? await measureStoreCeiling(log, options.storeCeilingSeconds ?? 3) : null;
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

/** Per server, the handle header most of its tools declare: what a gateway hashes on. */
function affinityHeadersOf(book: Awaited<ReturnType<typeof readToolbook>>): Record<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const facts of book.values()) {
    if (!facts.handle) continue;
    const perServer = counts.get(facts.server) ?? new Map<string, number>();
    perServer.set(facts.handle.header, (perServer.get(facts.handle.header) ?? 0) + 1);
    counts.set(facts.server, perServer);
  }
  return Object.fromEntries(
    [...counts].map(([server, headers]) => [server, [...headers].sort((a, b) => b[1] - a[1])[0]![0]]),
  );
}
