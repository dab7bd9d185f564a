/**
 * Helpers for tests, smoke examples and the harness: start a server as a real process on an
 * ephemeral loopback port, and connect real MCP clients of both eras to it. Nothing here is
 * mocked; these are the same clients users run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  Client,
  StreamableHTTPClientTransport,
  type DiscoverResult,
  type ResponseCacheStore,
} from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

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

export interface ModernClientOptions {
  token?: string;
  name?: string;
  responseCacheStore?: ResponseCacheStore;
  cachePartition?: string;
  fetch?: typeof fetch;
  /** A `server/discover` result already in hand (the orchestrator's): skips the probe. */
  discover?: DiscoverResult;
}

/** A 2026-07-28 client (SDK v2): probes `server/discover`, no handshake, no session. */
export async function connectModern(url: string, options: ModernClientOptions = {}): Promise<Client> {
  const client = new Client(
    { name: options.name ?? 'sessionless-test', version: '0.1.0' },
    {
      versionNegotiation: { mode: { pin: '2026-07-28' } },
      responseCacheStore: options.responseCacheStore,
      cachePartition: options.cachePartition,
    },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: options.token ? { headers: { authorization: `Bearer ${options.token}` } } : undefined,
      fetch: options.fetch,
    }),
    options.discover ? { prior: { kind: 'modern', discover: options.discover } } : undefined,
  );
  return client;
}

/** A 2025-11-25 client (SDK v1), the way session-era clients connect: initialize, then calls. */
export async function connectLegacy(
  url: string,
  options: { token?: string; name?: string } = {},
): Promise<LegacyClient> {
  const client = new LegacyClient({ name: options.name ?? 'session-era-test', version: '0.1.0' });
  await client.connect(
    new LegacyTransport(new URL(url), {
      requestInit: options.token ? { headers: { authorization: `Bearer ${options.token}` } } : undefined,
    }),
  );
  return client;
}

export type { Client as ModernClient } from '@modelcontextprotocol/client';
export type { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
