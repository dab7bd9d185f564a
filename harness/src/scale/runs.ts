/**
 * The two kinds of run a plan lists, each measured by the engine: a scenario workload on a fleet
 * of K instances of each server it calls on one store, placed as the run's environment says
 * (which reads their tool lists once, when it starts), and a baseline on K loopback processes of
 * its own, started and stopped around its run.
 */
import { randomBytes } from 'node:crypto';
import { BASELINE_ENTRIES } from '../fleet/baselines.js';
import { startFleet, type Fleet } from '../fleet/fleet.js';
import { startReplicas } from '../fleet/replicas.js';
import type { ServerName } from '../fleet/servers.js';
import type { Load } from './engine/drive.js';
import type { RunEnvironment } from './environment.js';
import { measure, type Instances } from './engine/measure.js';
import type { PlannedBaselineRun, PlannedWorkloadRun } from './plan.js';
import type { ScaleRun } from './report/schema.js';
import type { WorkloadSpec } from './spec.js';
import { EchoWorkload } from './workloads/echo.js';
import { MixWorkload } from './workloads/mix.js';
import { SessionCartWorkload } from './workloads/session-cart.js';
import { affinityHeaders, readToolbook, type Toolbook } from './workloads/toolbook.js';

/** What every run of one invocation shares. */
export interface RunContext {
  servers: ServerName[];
  secret: string;
  token: string;
  load: Load;
  seconds: number;
  warmupSeconds: number;
  log: (line: string) => void;
  registerStop?: (stop: () => Promise<void>) => void;
  environment: RunEnvironment;
}

/** A fleet started for the plan's workload runs with one `fleet` number. */
export interface OpenFleet {
  number: number;
  fleet: Fleet;
  book: Toolbook;
  affinityHeaders: Record<string, string>;
}

/**
 * The servers the workloads call, of `servers`: a tool id is `<server>_<verb>`, so the cart
 * workload's fleet starts no workspace or browser server (nor Chromium's storefront). A tool that
 * names no server there starts them all, and the toolbook then says which tools they do list.
 */
export function serversCalled(workloads: readonly WorkloadSpec[], servers: readonly ServerName[]): ServerName[] {
  const prefixes = new Set(workloads.flatMap((w) => w.mix.map(({ tool }) => tool.split('_')[0]!)));
  const called = servers.filter((name) => prefixes.has(name));
  return called.length === prefixes.size ? called : [...servers];
}

/** Starts the fleet numbered `step.fleet`, with the servers its workloads (`workloads`) call. */
export async function openFleet(
  step: PlannedWorkloadRun,
  workloads: readonly WorkloadSpec[],
  context: RunContext,
): Promise<OpenFleet> {
  const fleet = await startFleet({
    servers: serversCalled(workloads, context.servers),
    auth: { mode: 'jwt', secret: context.secret },
    instances: step.instances,
    ...context.environment.placement(step.store, step.hosts),
    log: context.log,
    register: context.registerStop,
  });
  try {
    const book = await readToolbook(Object.fromEntries(fleet.endpoints.map((e) => [e.name, e.url])), context.token);
    return { number: step.fleet, fleet, book, affinityHeaders: affinityHeaders(book) };
  } catch (error) {
    await fleet.stop();
    throw error;
  }
}

export async function runWorkload(step: PlannedWorkloadRun, open: OpenFleet, context: RunContext): Promise<ScaleRun> {
  const { workload: w, instances: K, routing, killAt, restartAt, agents, store, hosts } = step;
  const { fleet, book } = open;
  // CPU counts the servers this workload calls (and their Chromium), not the idle ones.
  const used = new Set(w.mix.map(({ tool }) => book.get(tool)?.server));
  const instances: Instances = {
    replicas: fleet.replicas,
    pids: () =>
      Object.entries(fleet.replicas)
        .filter(([name]) => used.has(name))
        .flatMap(([, list]) => list.map((e) => e.pid!)),
    kill: (i) => fleet.kill(i),
    problems: () => fleet.problems(),
  };
  const where = `${store}${hosts === null ? '' : `, ${hosts} host${hosts === 1 ? '' : 's'}`}`;
  const fault =
    killAt !== undefined
      ? `, killing ${hosts && hosts > 1 ? 'one host' : 'one instance'} at ${killAt} s`
      : restartAt !== undefined
        ? `, restarting PostgreSQL at ${restartAt} s`
        : '';
  context.log(`K=${K} ${routing}: workload ${w.name} on ${where}${fault}`);
  const runId = randomBytes(4).toString('hex');
  return measure({
    ...common(context),
    target: `workload:${w.name}`,
    instances,
    routing,
    affinityHeaders: open.affinityHeaders,
    agents,
    killAt,
    restartAt,
    store,
    hosts,
    database: store === 'postgres' ? (context.environment.database ?? undefined) : undefined,
    balancerPlace: context.environment.balancerPlace(),
    registerStop: context.registerStop,
    workload: (caller) =>
      new MixWorkload({ ...w, agents }, caller, book, { token: context.token, siteOrigin: fleet.siteOrigin, runId }),
  });
}

export async function runBaseline(step: PlannedBaselineRun, context: RunContext): Promise<ScaleRun> {
  const { target, instances: K, routing, killAt, agents } = step;
  const group = await startReplicas(target, BASELINE_ENTRIES[target], K, context.log, context.registerStop);
  try {
    context.log(`K=${K} ${routing}: ${target}${killAt !== undefined ? `, killing one instance at ${killAt} s` : ''}`);
    const server = target === 'session-cart' ? 'session-cart' : 'baseline';
    return await measure({
      ...common(context),
      target,
      instances: { ...group, replicas: { [server]: group.endpoints } },
      routing,
      affinityHeaders: {},
      agents,
      killAt,
      expectedToFail: () => step.expectedToFail,
      workload: (caller) =>
        target === 'session-cart' ? new SessionCartWorkload(caller, agents) : new EchoWorkload(caller, agents),
    });
  } finally {
    await group.stop();
  }
}

const common = ({ seconds, warmupSeconds, load, log }: RunContext) => ({ seconds, warmupSeconds, load, log });
