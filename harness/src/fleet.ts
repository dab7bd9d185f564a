/**
 * Starting and stopping what a scenario needs: the demo storefront (in this process) and each
 * server as a separate process on a loopback port, all sharing one fresh data directory. If any
 * of them cannot start, the ones that did are stopped before the error surfaces, and the error
 * is one sentence: the port that is taken and the flag that changes it, or the server's own
 * start-up message (a bad setting, no Chromium). `stop()` is idempotent and safe to call from a
 * signal handler.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startDemoSite, type DemoSite } from '@sessionless/scenarios/site';
import { UsageError } from './errors.js';
import { portFlag, serverEntry, serverSettings, type PortName, type ServerName } from './servers.js';

export interface Endpoint {
  name: ServerName;
  /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  url: string;
  /** Where `/metrics` lives. */
  origin: string;
  /** Set when the harness started the process. */
  pid?: number;
}

export type AuthSetting = { mode: 'jwt'; secret: string } | { mode: 'anonymous' };

export interface FleetOptions {
  servers: readonly ServerName[];
  auth: AuthSetting;
  /** Fixed ports; 0 or absent picks a free one. */
  ports?: Partial<Record<PortName, number>>;
  /** Servers already running elsewhere: used as they are, never started or stopped. */
  urls?: Partial<Record<ServerName, string>>;
  /** A storefront already running; otherwise one is started when the browser server is needed. */
  siteOrigin?: string;
  /** Extra environment for the server processes. */
  env?: Record<string, string>;
  /** Keep state here (never removed); default a fresh temporary directory, removed on stop. */
  dataDir?: string;
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
  endpoints: Endpoint[];
  /** The storefront origin, when the scenario needs one. */
  siteOrigin?: string;
  dataDir?: string;
  /** Servers that exited while they should have been running, one sentence each. */
  problems(): string[];
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
      site = await startSite(port);
      siteOrigin = site.origin;
      log(`demo storefront listening at ${siteOrigin}`);
    }
    const authEnv =
      options.auth.mode === 'jwt'
        ? { JWT_SECRET: options.auth.secret, AUTH_MODE: 'jwt' }
        : { JWT_SECRET: undefined, AUTH_MODE: 'anonymous' };
    const outcomes = await Promise.allSettled(
      toStart.map((name) =>
        startServer(name, {
          port: ports[name] ?? 0,
          env: {
            ...serverSettings(name, siteOrigin ?? ''),
            ...options.env,
            ...authEnv,
            DATA_DIR: dataDir!,
          },
          timeoutMs: options.startTimeoutMs ?? 30_000,
          log,
          track: (stopOne) => stoppers.push(stopOne),
          onUnexpectedExit: (problem) => {
            problems.push(problem);
            options.onProblem?.(problem);
          },
        }),
      ),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    if (stopping) throw new UsageError('stopped while starting');

    const started = outcomes.map((o) => (o as PromiseFulfilledResult<Endpoint>).value);
    const endpoints = options.servers.map((name): Endpoint => {
      const given = options.urls?.[name];
      if (given) return { name, url: given, origin: new URL(given).origin };
      return started.find((e) => e.name === name)!;
    });
    return { endpoints, siteOrigin, dataDir, problems: () => [...problems], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startSite(port: number): Promise<DemoSite> {
  if (port !== 0) await assertPortFree(port, 'the demo storefront', 'site');
  try {
    return await startDemoSite({ port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portTaken(port, 'the demo storefront', 'site');
    throw error;
  }
}

interface ServerStart {
  port: number;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  log: (line: string) => void;
  /** Receives the process's stop as soon as it is spawned. */
  track: (stop: () => Promise<void>) => void;
  onUnexpectedExit: (problem: string) => void;
}

async function startServer(name: ServerName, options: ServerStart): Promise<Endpoint> {
  const entry = serverEntry(name);
  if (options.port !== 0) await assertPortFree(options.port, `the ${name} server`, name);
  const child = spawn(process.execPath, [entry], {
    // The "listening" line is logged at info; quieter settings would hide it.
    env: { ...process.env, ...options.env, PORT: String(options.port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  options.log(`starting the ${name} server (pid ${child.pid})`);
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let expectExit = false;
  options.track(async () => {
    expectExit = true;
    await stopChild(child, exited);
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new UsageError(`the ${name} server did not start within ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    // "close" rather than "exit": by then every line the server wrote to stderr has been read.
    const onEarlyExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new UsageError(describeStartFailure(name, options.port, lines, code ?? signal)));
    };
    child.once('close', onEarlyExit);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new UsageError(`the ${name} server could not be spawned: ${error.message}`));
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      if (lines.length > 200) lines.shift();
      const found = /"url":"([^"]+)"/.exec(line)?.[1];
      if (found && line.includes('"msg":"listening"')) {
        clearTimeout(timer);
        child.removeListener('close', onEarlyExit);
        resolve(found);
      }
    });
  }).catch(async (error: unknown) => {
    await stopChild(child, exited);
    throw error;
  });

  child.once('exit', (code, signal) => {
    if (!expectExit) {
      options.onUnexpectedExit(`the ${name} server exited unexpectedly (${code ?? signal}): ${lastLine(lines)}`);
    }
  });
  options.log(`the ${name} server (pid ${child.pid}) is listening at ${url}`);
  return { name, url, origin: new URL(url).origin, pid: child.pid };
}

/** SIGTERM (the servers close their listeners and Chromium), then SIGKILL if that takes too long. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Fails fast, before spawning anything, when a fixed port is already taken. */
async function assertPortFree(port: number, what: string, flagName: PortName): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portTaken(port, what, flagName) : error),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

function portTaken(port: number, what: string, flagName: PortName): UsageError {
  return new UsageError(
    `port ${port} is already in use, so ${what} cannot start: stop whatever uses it, ` +
      `or pass ${portFlag(flagName)} <port> (0 picks a free one)`,
  );
}

/** The one sentence that says why a server stopped during start-up. */
function describeStartFailure(name: ServerName, port: number, lines: string[], exit: unknown): string {
  if (lines.some((line) => line.includes('EADDRINUSE'))) return portTaken(port, `the ${name} server`, name).message;
  // Servers print configuration and Chromium problems as "<name>: <sentence>".
  const own = lines.find((line) => line.startsWith(`${name}: `));
  if (own) return `the ${name} server did not start: ${own.slice(name.length + 2)}`;
  const thrown = lines.find((line) => /^\w*Error\b/.test(line));
  return `the ${name} server did not start (exit ${String(exit)}): ${thrown ?? lastLine(lines)}`;
}

function lastLine(lines: string[]): string {
  const line = lines.filter((l) => l.trim()).at(-1) ?? 'no output';
  try {
    const parsed = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    return parsed.err?.message ?? parsed.msg ?? line;
  } catch {
    return line;
  }
}
