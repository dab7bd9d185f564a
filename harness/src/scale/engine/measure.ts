/**
 * Turns one driven workload into a report row: routes built for the routing (a Router per
 * server, or nginx started in front of the instances), the fault if any (disrupt.ts), the browser
 * warm/rehydrated counts from every instance's /metrics, CPU per call (servers, and the database
 * when the run started it), and the verdict. nginx missing is not an error: the row says so.
 */
import type { Invariant, ScaleRun, Target } from '../report/schema.js';
import type { Routing } from '../routings.js';
import type { Workload } from '../workloads/workload.js';
import type { Database } from '../../fleet/database.js';
import type { Store } from '../stores.js';
import { BrowserPaths } from './browser-paths.js';
import { Caller, Recorder, type Route } from './calls.js';
import { killing, restarting, type Disruption } from './disrupt.js';
import { drive, type Load } from './drive.js';
import { findNginx, startNginx, type Balancer, type NginxPlace } from './nginx.js';
import { Router, type ClientRouting, type Replica } from './router.js';

export interface Instances {
  /** Server name -> its K instances. */
  replicas: Record<string, Replica[]>;
  /** Root pids of every server process of this fleet (their children are counted too). */
  pids(): number[];
  /** SIGKILLs instance i of every server. */
  kill(instance: number): Promise<number[]>;
  /** Server processes that exited on their own (a crash), one sentence each. */
  problems?(): string[];
}

export interface MeasureOptions<T extends string = Target> {
  target: T;
  instances: Instances;
  routing: Routing;
  /** Per server, the header nginx hashes on under nginx-affinity. */
  affinityHeaders: Record<string, string>;
  load: Load;
  agents: number;
  seconds: number;
  warmupSeconds: number;
  killAt?: number;
  /** Seconds into the window to restart the database (`database.restart`). */
  restartAt?: number;
  /** The store the servers use, recorded in the run, and the run's PostgreSQL when it started one. */
  store?: Store;
  hosts?: number | null;
  database?: Pick<Database, 'pids' | 'restart'>;
  expectedToFail?: (run: ScaleRun<T>) => boolean;
  workload: (caller: Caller) => Workload;
  log: (line: string) => void;
  /** Where nginx runs for the nginx routings (default: loopback here). */
  balancerPlace?: NginxPlace;
  /** Receives nginx's stop, so an interrupted run does not leave it listening. */
  registerStop?: (stop: () => Promise<void>) => void;
}

export const NGINX_MISSING =
  'nginx is not installed, so the runs through nginx were skipped: install it (apt-get install nginx, ' +
  'brew install nginx) and run again';

export async function measure<T extends string>(options: MeasureOptions<T>): Promise<ScaleRun<T>> {
  const K = Object.values(options.instances.replicas)[0]!.length;
  let balancer: Balancer | undefined;
  if (options.routing.startsWith('nginx-')) {
    const nginx = findNginx();
    if (!nginx) return skippedRun(options, K, NGINX_MISSING);
    balancer = await startNginx(
      nginx,
      Object.entries(options.instances.replicas).map(([name, endpoints]) => ({
        name,
        instances: endpoints.map((e) => new URL(e.url).host),
        hashHeader: options.routing === 'nginx-affinity' ? options.affinityHeaders[name] : undefined,
        leastConn: options.routing === 'nginx-least-connections',
      })),
      options.balancerPlace,
    );
    options.registerStop?.(balancer.stop);
    options.log(`nginx (pid ${balancer.pids().join(', ')}) routes ${options.routing}`);
  }
  try {
    const routes: Record<string, Route> = Object.fromEntries(
      Object.entries(options.instances.replicas).map(([name, endpoints]) => [
        name,
        balancer
          ? { balancer: balancer.urls[name]! }
          : { router: new Router(endpoints, options.routing as ClientRouting) },
      ]),
    );
    const recorder = new Recorder();
    const caller = new Caller(routes, recorder);
    const browsers = new BrowserPaths(options.instances.replicas.browser ?? []);
    const disruption = disruptionOf(options, async (instance) => {
      await browsers.scrape();
      return options.instances.kill(instance);
    });
    const driven = await drive({
      workload: options.workload(caller),
      recorder,
      load: options.load,
      warmupSeconds: options.warmupSeconds,
      seconds: options.seconds,
      cpuGroups: {
        servers: () => options.instances.pids(),
        balancer: () => balancer?.pids() ?? [],
        database: () => options.database?.pids() ?? [],
      },
      disruptAt: disruption?.at,
      disrupt: disruption?.run,
      onWindow: (edge) => browsers.scrape(edge),
    });
    // Where the fleet watches its processes (the baselines' replicas do not), a fault must not crash any.
    const problems = options.instances.problems;
    if (disruption && problems) driven.invariants.push(noneCrashed(problems()));
    const succeeded = recorder.succeeded;
    const serverSeconds = driven.cpu.seconds.servers ?? null;
    // Zero when there is no database of our own to watch (SQLite, or --database-url).
    const databaseSeconds = driven.cpu.seconds.database || null;
    const errors = { ...recorder.errors };
    if (driven.behind) errors['behind schedule (load generator)'] = driven.behind;
    const run: ScaleRun<T> = {
      target: options.target,
      instances: K,
      routing: options.routing,
      agents: options.load.mode === 'closed' ? options.agents : null,
      rate: options.load.mode === 'open' ? options.load.rate : null,
      seconds: round(driven.windowSeconds, 2),
      succeeded,
      throughput: round(succeeded / driven.windowSeconds, 1),
      perInstance: round(succeeded / driven.windowSeconds / K, 1),
      latencyMs: recorder.latency(),
      errors,
      byTool: recorder.byTool(),
      cpu: {
        serversPct: round(driven.cpu.groups.servers ?? 0, 1),
        serverMsPerCall: serverSeconds !== null && succeeded ? round((1000 * serverSeconds) / succeeded, 3) : null,
        loadGeneratorPct: round(driven.cpu.loadGeneratorPct, 1),
        balancerPct: balancer ? round(driven.cpu.groups.balancer ?? 0, 1) : null,
        machinePct: round(driven.cpu.machinePct ?? 0, 1),
        ...(options.store === 'postgres'
          ? {
              databasePct: databaseSeconds ? round(driven.cpu.groups.database ?? 0, 1) : null,
              databaseMsPerCall: databaseSeconds && succeeded ? round((1000 * databaseSeconds) / succeeded, 3) : null,
            }
          : {}),
      },
      browser: browsers.counted(),
      failover: disruption?.failover(recorder) ?? null,
      ...(options.store ? { store: options.store, hosts: options.hosts ?? null } : {}),
      ...(options.restartAt !== undefined ? { databaseRestart: disruption?.databaseRestart(recorder) ?? null } : {}),
      invariants: driven.invariants,
      expectedToFail: false,
      ok: false,
      skipped: null,
    };
    judgeRun(run, options.expectedToFail?.(run) ?? false);
    const examples = recorder.errorExamples();
    for (const [kind, example] of Object.entries(examples)) options.log(`  ${kind}: e.g. ${example.slice(0, 200)}`);
    return run;
  } finally {
    await balancer?.stop();
  }
}

/** A kill or a database restart mid-run: which, built from the options (the plan never asks for both). */
function disruptionOf(
  options: Pick<MeasureOptions, 'killAt' | 'restartAt' | 'database' | 'instances' | 'log'>,
  kill: (instance: number) => Promise<number[]>,
): Disruption | undefined {
  if (options.killAt !== undefined) {
    const replicas = Object.values(options.instances.replicas)[0]!;
    return killing(options.killAt, replicas, kill, options.log);
  }
  if (options.restartAt !== undefined && options.database) {
    return restarting(options.restartAt, options.database.restart, options.log);
  }
  return undefined;
}

/** After a fault, every server process that was not killed on purpose is still running. */
function noneCrashed(problems: string[]): Invariant {
  return {
    name: 'no server process exited on its own',
    ok: problems.length === 0,
    detail: problems.length ? problems.join('; ') : 'every server process not killed on purpose kept running',
  };
}

/** The invariant every run must meet, added when it fails: it completed calls. */
export const COMPLETED_CALLS = 'the run completed calls';

/**
 * Sets `ok`: a run passes when it completed calls and, if it was expected to fail, broke an
 * invariant (never merely some other error); otherwise when it had no error and every invariant held.
 * A run that completed no call fails, whatever else held: a benchmark that did no work proves nothing.
 */
export function judgeRun<T extends string>(run: ScaleRun<T>, expectedToFail: boolean): ScaleRun<T> {
  run.expectedToFail = expectedToFail;
  const clean = Object.keys(run.errors).length === 0 && run.invariants.every((i) => i.ok);
  const shown = expectedToFail ? run.invariants.some((i) => !i.ok) : clean;
  if (run.succeeded === 0) {
    run.invariants.push({
      name: COMPLETED_CALLS,
      ok: false,
      detail: `no call of ${run.target} succeeded in the ${run.seconds} s window, so it measured nothing`,
    });
  }
  run.ok = run.succeeded > 0 && shown;
  return run;
}

function skippedRun<T extends string>(options: MeasureOptions<T>, K: number, reason: string): ScaleRun<T> {
  const none = { p50: null, p95: null, p99: null, max: null, mean: null };
  return {
    target: options.target,
    instances: K,
    routing: options.routing,
    agents: options.agents,
    rate: null,
    seconds: 0,
    succeeded: 0,
    throughput: 0,
    perInstance: 0,
    latencyMs: none,
    errors: {},
    byTool: {},
    cpu: { serversPct: 0, serverMsPerCall: null, loadGeneratorPct: 0, balancerPct: null, machinePct: 0 },
    browser: null,
    failover: null,
    invariants: [],
    expectedToFail: false,
    ok: true,
    skipped: reason,
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
