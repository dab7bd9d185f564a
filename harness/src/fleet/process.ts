/**
 * One server process on a loopback port: spawned with `node <entry>`, ready when it logs its
 * "listening" line (with the URL), stopped with SIGTERM (SIGKILL if that takes too long) or
 * killed outright for a failover run. A process that cannot start becomes one sentence: the
 * port that is taken and the flag that changes it, or the server's own start-up message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { UsageError } from '../shared/errors.js';

export interface ProcessStart {
  /** Names the process in messages: "the cart server". */
  label: string;
  entry: string;
  port: number;
  /** The command-line flag that sets the port, named when it is taken. */
  portFlag?: string;
  env: Record<string, string | undefined>;
  /** Pins the process to this CPU with taskset (the micro-benchmark's servers share one core). */
  cpu?: number;
  /** A command prefix, e.g. `ip netns exec <namespace>` to run it on a simulated host. */
  wrap?: string[];
  /** Node.js options before the entry point (`--cpu-prof`, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  timeoutMs: number;
  log: (line: string) => void;
  /** Receives the process's stop as soon as it is spawned. */
  track: (stop: () => Promise<void>) => void;
  onUnexpectedExit: (problem: string) => void;
}

export interface StartedProcess {
  url: string;
  origin: string;
  pid: number;
  /** SIGKILL, as a crashed host would go; not reported as a problem. Resolves once it is gone. */
  kill(): Promise<void>;
}

export async function startProcess(options: ProcessStart): Promise<StartedProcess> {
  const { label } = options;
  if (options.port !== 0) await assertPortFree(options.port, label, options.portFlag);
  const node = [process.execPath, ...(options.nodeArgs ?? []), options.entry];
  const pinned = options.cpu === undefined ? node : ['taskset', '-c', String(options.cpu), ...node];
  // `ip netns exec` and taskset exec what they run: the pid is the server's own.
  const [command, ...args] = [...(options.wrap ?? []), ...pinned];
  const child = spawn(command!, args, {
    // The "listening" line is logged at info; quieter settings would hide it.
    env: { ...process.env, ...options.env, PORT: String(options.port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  options.log(`starting ${label} (pid ${child.pid})`);
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
      reject(new UsageError(`${label} did not start within ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    // "close" rather than "exit": by then every line the server wrote to stderr has been read.
    const onEarlyExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new UsageError(describeStartFailure(options, lines, code ?? signal)));
    };
    child.once('close', onEarlyExit);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new UsageError(`${label} could not be spawned: ${error.message}`));
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
    if (!expectExit) options.onUnexpectedExit(`${label} exited unexpectedly (${code ?? signal}): ${lastLine(lines)}`);
  });
  options.log(`${label} (pid ${child.pid}) is listening at ${url}`);
  return {
    url,
    origin: new URL(url).origin,
    pid: child.pid!,
    async kill() {
      expectExit = true;
      child.kill('SIGKILL');
      await exited;
    },
  };
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
export async function assertPortFree(port: number, what: string, flag?: string): Promise<void> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portTaken(port, what, flag) : error),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** A free loopback port, for a process (nginx) that cannot be told to pick one itself. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  return new Promise<number>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export function portTaken(port: number, what: string, flag?: string): UsageError {
  const way = flag ? `, or pass ${flag} <port> (0 picks a free one)` : '';
  return new UsageError(`port ${port} is already in use, so ${what} cannot start: stop whatever uses it${way}`);
}

/** The one sentence that says why a server stopped during start-up. */
function describeStartFailure(options: ProcessStart, lines: string[], exit: unknown): string {
  const { label } = options;
  if (lines.some((line) => line.includes('EADDRINUSE')))
    return portTaken(options.port, label, options.portFlag).message;
  // Servers print configuration and Chromium problems as "<name>: <sentence>".
  const own = lines.find((line) => /^[a-z][a-z-]*: /.test(line));
  if (own) return `${label} did not start: ${own.slice(own.indexOf(': ') + 2)}`;
  const thrown = lines.find((line) => /^\w*Error\b/.test(line));
  return `${label} did not start (exit ${String(exit)}): ${thrown ?? lastLine(lines)}`;
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
