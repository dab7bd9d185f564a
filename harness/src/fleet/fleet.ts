/**
 * Starting and stopping what a scenario needs: the demo storefront (in this process) and each
 * server as separate processes - one per server, or K instances of each for a scale-out run - on
 * loopback ports sharing one fresh data directory, or (`place`) spread over simulated hosts, each
 * instance with a directory of its own. If any cannot start, the ones that did are stopped before
 * the error surfaces. `stop()` is idempotent and safe in a signal handler; `kill(i)` takes instance
 * i down the way a crashed host goes.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoSite, type DemoSite } from '@sessionless/scenarios/site';
import { UsageError } from '../shared/errors.js';
import type { Placement } from './hosts.js';
import { assertPortFree, portTaken, startProcess, type StartedProcess } from './process.js';
import { portFlag, serverEntry, serverSettings, type PortName, type ServerName } from './servers.js';

export interface Endpoint {
  name: ServerName;
  /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  url: string;
  /** Where `/metrics` lives. */
  origin: string;
  /** Set when the harness started the process. */
  pid?: number;
  /** Which of the K instances this is (0-based); 0 when there is one. */
  instance: number;
  /** The simulated host it runs on (1-based), when spread over hosts. */
  host?: number;
}

export type AuthSetting = { mode: 'jwt'; secret: string } | { mode: 'anonymous' };

export interface FleetOptions {
  servers: readonly ServerName[];
  auth: AuthSetting;
  /** Fixed ports; 0 or absent picks a free one. */
  ports?: Partial<Record<PortName, number>>;
  /** Instances of each server to start (K), sharing the data directory; default 1. */
  instances?: number;
  /** Servers already running elsewhere: used as they are, never started or stopped. */
  urls?: Partial<Record<ServerName, string>>;
  /** A storefront already running; otherwise one is started when the browser server is needed. */
  siteOrigin?: string;
  /** Extra environment for the server processes. */
  env?: Record<string, string | undefined>;
  /** Keep state here (never removed); default a fresh temporary directory, removed on stop. */
  dataDir?: string;
  /** Where instance i runs (a simulated host: its namespace and address); default loopback here. */
  place?: (instance: number) => Placement;
  /** Each instance gets a data directory of its own: nothing shared on disk (the state is in DATABASE_URL). */
  separateDataDirs?: boolean;
  /** The address the storefront listens on (the run's bridge address with --hosts); default loopback. */
  siteHost?: string;
  keepData?: boolean;
  startTimeoutMs?: number;
  /** Receives `stop` before anything starts, so a signal handler can stop a fleet still starting. */
  register?: (stop: () => Promise<void>) => void;
  /** Progress lines ("cart server (pid 123) listening at ..."). */
  log?: (line: string) => void;
  /** Called when a started server exits on its own, with one sentence saying so. */
  onProblem?: (problem: string) => void;
}

export interface Fleet {
  /** The first instance of each server, in the order asked for. */
  endpoints: Endpoint[];
  /** Every instance of each server, instance 0 first. */
  replicas: Record<ServerName, Endpoint[]>;
  /** The storefront origin, when the scenario needs one. */
  siteOrigin?: string;
  dataDir?: string;
  /** Servers that exited while they should have been running, one sentence each. */
  problems(): string[];
  /** SIGKILLs every process of instance i and resolves to their pids once they are gone. */
  kill(instance: number): Promise<number[]>;
  stop(): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const log = options.log ?? (() => {});
  const ports = options.ports ?? {};
  const toStart = options.servers.filter((name) => !options.urls?.[name]);
  const temporary = toStart.length > 0 && !options.dataDir;
  const dataDir = temporary ? mkdtempSync(join(tmpdir(), 'sessionless-harness-')) : options.dataDir;
  const problems: string[] = [];
  const stoppers: Array<() => Promise<void>> = [];
  let site: DemoSite | undefined;
  let stopping: Promise<void> | undefined;

  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all(stoppers.map((stopOne) => stopOne()));
      await site?.close();
      if (temporary && !options.keepData) rmSync(dataDir!, { recursive: true, force: true });
    })());
  options.register?.(stop);

  try {
    let siteOrigin = options.siteOrigin;
    if (!siteOrigin && options.servers.includes('browser')) {
      // A browser server we did not start only loads the storefront it was told about: the default port.
      const port = ports.site ?? (options.urls?.browser ? 4173 : 0);
      site = await startSite(port, options.siteHost);
      siteOrigin = site.origin;
      log(`demo storefront listening at ${siteOrigin}`);
    }
    const authEnv =
      options.auth.mode === 'jwt'
        ? { JWT_SECRET: options.auth.secret, AUTH_MODE: 'jwt' }
        : { JWT_SECRET: undefined, AUTH_MODE: 'anonymous' };
    const count = options.instances ?? 1;
    if (count > 1 && Object.keys(ports).some((name) => name !== 'site' && ports[name as PortName])) {
      throw new UsageError('fixed ports cannot be used with several instances: leave the server ports at 0');
    }
    const startOne = ({ name, instance }: { name: ServerName; instance: number }) => {
      const place = options.place?.(instance);
      // Over the run's network the load generator's Host header is the instance's own address.
      const bind = place ? { HOST: place.address, ALLOWED_HOSTS: place.address } : {};
      const own = options.separateDataDirs ? join(dataDir!, `${name}-${instance}`) : dataDir!;
      if (own !== dataDir) mkdirSync(own);
      return startProcess({
        label:
          count > 1 ? `the ${name} server #${instance}${place ? ` on host ${place.host}` : ''}` : `the ${name} server`,
        entry: serverEntry(name),
        port: ports[name] ?? 0,
        portFlag: portFlag(name),
        wrap: place?.wrap,
        env: {
          ...serverSettings(name, siteOrigin ?? ''),
          ...options.env,
          ...authEnv,
          ...bind,
          DATA_DIR: own,
        },
        timeoutMs: options.startTimeoutMs ?? 30_000,
        log,
        track: (stopOne) => stoppers.push(stopOne),
        onUnexpectedExit: (problem) => {
          problems.push(problem);
          options.onProblem?.(problem);
        },
      }).then((started) => ({ name, instance, host: place?.host, started }));
    };
    // Instance 0 of each server creates and migrates its database before the others open it,
    // as a deployment runs its migrations once before scaling out.
    const first = await Promise.allSettled(toStart.map((name) => startOne({ name, instance: 0 })));
    const rest = first.some((o) => o.status === 'rejected')
      ? []
      : await Promise.allSettled(
          toStart.flatMap((name) => Array.from({ length: count - 1 }, (_, i) => startOne({ name, instance: i + 1 }))),
        );
    const outcomes = [...first, ...rest];
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    if (stopping) throw new UsageError('stopped while starting');

    const started = outcomes.map((o) => (o as PromiseFulfilledResult<StartedInstance>).value);
    const replicas = Object.fromEntries(
      options.servers.map((name) => {
        const given = options.urls?.[name];
        if (given) return [name, [{ name, url: given, origin: new URL(given).origin, instance: 0 }]];
        const mine = started.filter((s) => s.name === name).sort((a, b) => a.instance - b.instance);
        return [
          name,
          mine.map(({ instance, host, started: p }) => ({
            name,
            url: p.url,
            origin: p.origin,
            pid: p.pid,
            instance,
            host,
          })),
        ];
      }),
    ) as Record<ServerName, Endpoint[]>;
    const endpoints = options.servers.map((name) => replicas[name][0]!);
    const kill = async (instance: number) => {
      const victims = started.filter((s) => s.instance === instance);
      await Promise.all(victims.map((s) => s.started.kill()));
      return victims.map((s) => s.started.pid);
    };
    return { endpoints, replicas, siteOrigin, dataDir, problems: () => [...problems], kill, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface StartedInstance {
  name: ServerName;
  instance: number;
  host: number | undefined;
  started: StartedProcess;
}

async function startSite(port: number, host?: string): Promise<DemoSite> {
  if (port !== 0) await assertPortFree(port, 'the demo storefront', portFlag('site'));
  try {
    return await startDemoSite({ port, host });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw portTaken(port, 'the demo storefront', portFlag('site'));
    }
    throw error;
  }
}
