/**
 * Servers as real processes, where the claim is about processes (two instances on one store,
 * stdio, the wire, clean-up): start one on an ephemeral loopback port and wait for the URL it
 * logs; stop it with SIGTERM or kill it with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  /** Lines the server wrote to stderr so far (its logs). */
  logs: string[];
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface StartOptions {
  /** Path to the server's entry point (`dist/main.js`, or a `.ts` file run through tsx). */
  entry: string;
  env?: Record<string, string | undefined>;
  args?: string[];
  timeoutMs?: number;
}

export function tempDir(prefix = 'sessionless-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Starts a server process on port 0 and resolves once it logs the URL it listens on. */
export function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const nodeArgs = options.entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeArgs, options.entry, ...(options.args ?? [])], {
    // The start-up line is logged at info, so quieter levels are raised to info; stderr is not shown anyway.
    env: { ...process.env, PORT: '0', ...options.env, LOG_LEVEL: verbose(options.env?.LOG_LEVEL) ?? 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server ${options.entry} did not start in time; logs:\n${logs.join('\n')}`));
    }, options.timeoutMs ?? 15_000);
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`server ${options.entry} exited with ${code}; logs:\n${logs.join('\n')}`));
    };
    child.once('exit', onEarlyExit);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      logs.push(line);
      const url = /"url":"([^"]+)"/.exec(line)?.[1];
      if (url && line.includes('"listening"')) {
        clearTimeout(timer);
        child.removeListener('exit', onEarlyExit);
        resolve({
          url,
          origin: new URL(url).origin,
          child,
          logs,
          stop: () => stopWith('SIGTERM'),
          kill: () => stopWith('SIGKILL'),
        });
      }
    });
  });
}

function verbose(level: string | undefined): string | undefined {
  return level === 'debug' || level === 'trace' ? level : undefined;
}
