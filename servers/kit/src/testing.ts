/**
 * Helpers for tests, smoke examples and the harness: serve a server's real MCP handler in the
 * test process (the SDK's fetch handler, no socket) with an injected clock, or start it as a real
 * process on an ephemeral loopback port; connect real MCP clients of both eras to either; assert
 * on tool results; send raw 2026-07-28 requests for wire-level checks. Nothing here is mocked.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import {
  Client,
  StreamableHTTPClientTransport,
  type DiscoverResult,
  type ResponseCacheStore,
} from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createMcpHandler, type McpHttpHandler, type McpServerFactory } from '@modelcontextprotocol/server';
import type * as z from 'zod/v4';
import { createAuthenticator, type Authenticator } from './auth.js';
import { loadConfig } from './config.js';
import { openRuntime, type Runtime } from './runtime.js';
import { authSettingsFrom, type ServerConfig } from './server-config.js';
import type { Migration } from './sqlite.js';
import { ERROR_META_KEY, errorCodeOf } from './errors.js';

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

/** A clock tests move by hand (it starts at the real time), so lifetimes are tested without waiting. */
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
  };
}

/** A server's MCP handler, answered in this process: `fetch` goes straight to it, with no socket. */
export interface InProcessServer {
  /** A URL for clients; nothing listens on it, the `fetch` below answers instead. */
  url: string;
  fetch: typeof fetch;
  connectModern(options?: Omit<ModernClientOptions, 'fetch'>): Promise<Client>;
  connectLegacy(options?: { token?: string; name?: string }): Promise<LegacyClient>;
  /** One raw 2026-07-28 request, as `rawModern` sends over the network. */
  rawModern(
    method: string,
    params?: Record<string, unknown>,
    extraHeaders?: Record<string, string>,
  ): Promise<RawResponse>;
}

/**
 * Serves `handler` (from `createMcpHandler`) in-process. Bearer tokens are verified by
 * `authenticator` exactly as the HTTP server verifies them (default: everyone is anonymous), so
 * handles are bound to real principals.
 */
export function inProcess(
  handler: McpHttpHandler,
  authenticator: Authenticator = createAuthenticator({ mode: 'anonymous' }),
): InProcessServer {
  const url = 'http://127.0.0.1:1/mcp';
  const answer = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const auth = await authenticator.authenticate(request.headers.get('authorization') ?? undefined);
    if (!auth.ok) {
      const body = JSON.stringify({ error: 'invalid_token', error_description: auth.message });
      return new Response(body, { status: 401, headers: { 'www-authenticate': auth.challenge } });
    }
    return handler.fetch(request, { authInfo: auth.authInfo });
  };
  const fetchInProcess = answer as typeof fetch;
  return {
    url,
    fetch: fetchInProcess,
    connectModern: (options = {}) => connectModern(url, { ...options, fetch: fetchInProcess }),
    connectLegacy: (options = {}) => connectLegacy(url, { ...options, fetch: fetchInProcess }),
    rawModern: (method, params, extraHeaders) => rawModern(url, method, params, extraHeaders, fetchInProcess),
  };
}

export interface InProcessApp<D> extends InProcessServer {
  /** The clock every handle and store of this server reads; move it to test lifetimes. */
  clock: TestClock;
  runtime: Runtime;
  deps: D;
  dataDir: string;
  close(): Promise<void>;
}

export interface InProcessAppOptions<C extends ServerConfig, D> {
  name: string;
  /** The server's config schema, read from `env` the way `main.ts` reads `process.env`. */
  schema: z.ZodType<C>;
  env?: Record<string, string>;
  migrations: readonly Migration[];
  deps: (runtime: Runtime, config: C) => D | Promise<D>;
  factory: (deps: D, runtime: Runtime, config: C) => McpServerFactory;
  /** Frees what the deps hold besides the runtime (a browser). */
  close?: (deps: D) => Promise<void>;
}

/**
 * A whole server in this process, wired as its `main.ts` wires it (config, runtime, deps, the
 * SDK's `createMcpHandler`), on a real SQLite file in a fresh directory, with a test clock and no
 * sweeper timer (call `runtime.handles.sweep()`). `JWT_SECRET` in `env` turns bearer auth on.
 */
export async function serveInProcess<C extends ServerConfig, D>(
  options: InProcessAppOptions<C, D>,
): Promise<InProcessApp<D>> {
  const dir = tempDir(`${options.name}-test-`);
  const clock = testClock();
  const config = loadConfig(options.schema as never, {
    DATA_DIR: dir.path,
    SWEEP_INTERVAL: '1d',
    LOG_LEVEL: 'silent',
    ...options.env,
  }) as C;
  const runtime = openRuntime({ name: options.name, config, migrations: options.migrations, now: clock.now });
  const deps = await options.deps(runtime, config);
  const handler = createMcpHandler(options.factory(deps, runtime, config), { legacy: 'stateless' });
  const server = inProcess(handler, createAuthenticator(authSettingsFrom(config)));
  return {
    ...server,
    clock,
    runtime,
    deps,
    dataDir: dir.path,
    async close() {
      await handler.close();
      await options.close?.(deps);
      runtime.close();
      dir.remove();
    },
  };
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
  options: { token?: string; name?: string; fetch?: typeof fetch } = {},
): Promise<LegacyClient> {
  const client = new LegacyClient({ name: options.name ?? 'session-era-test', version: '0.1.0' });
  await client.connect(
    new LegacyTransport(new URL(url), {
      requestInit: options.token ? { headers: { authorization: `Bearer ${options.token}` } } : undefined,
      fetch: options.fetch,
    }),
  );
  return client;
}

export type { Client as ModernClient } from '@modelcontextprotocol/client';
export type { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';

export interface ToolResult {
  isError?: boolean;
  content?: unknown;
  structuredContent?: unknown;
  _meta?: Record<string, unknown>;
}

/** Asserts a tool result is a success and returns its structured content. */
export function ok<T = Record<string, unknown>>(result: ToolResult): T {
  assert.ok(!result.isError, `expected a success, got an error: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

/**
 * Asserts a tool result is an error in the servers' shape (text, code in `_meta`, no
 * structuredContent) and returns its code (`INPUT_VALIDATION` for schema rejections), text and details.
 */
export function toolError(result: ToolResult): { code: string; text: string; details: Record<string, unknown> } {
  assert.equal(result.isError, true, `expected an error, got: ${JSON.stringify(result.structuredContent)}`);
  assert.equal(result.structuredContent, undefined, 'error results carry no structuredContent');
  const content = result.content as Array<{ type: string; text: string }>;
  const details = (result._meta?.[ERROR_META_KEY] ?? {}) as Record<string, unknown>;
  return { code: errorCodeOf(result) ?? 'INPUT_VALIDATION', text: content[0]?.text ?? '', details };
}

export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => { result?: Record<string, unknown>; error?: { code: number; message: string } };
}

/**
 * One 2026-07-28 request over plain fetch, with the headers the spec requires. A string
 * `<kind>_id` argument is mirrored into `Mcp-Param-<Kind>-Id`, the header the servers declare.
 */
export async function rawModern(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  extraHeaders: Record<string, string> = {},
  fetchImpl: typeof fetch = fetch,
): Promise<RawResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...extraHeaders,
  };
  if (typeof params.name === 'string') headers['mcp-name'] = params.name;
  for (const [name, value] of Object.entries((params.arguments ?? {}) as Record<string, unknown>)) {
    if (/^(cart|workspace|browser)_id$/.test(name) && typeof value === 'string') {
      headers[`mcp-param-${name.replace('_', '-')}`] = value;
    }
  }
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: MODERN_META } });
  return raw(url, { method: 'POST', headers, body }, fetchImpl);
}

export async function raw(url: string, init: RequestInit, fetchImpl: typeof fetch = fetch): Promise<RawResponse> {
  const response = await fetchImpl(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/**
 * Refusals constructed anywhere but a server's catalogue (`src/domain/errors.ts`): a
 * `new DomainError(`, or of a subclass the catalogue declares, and any subclass declared
 * elsewhere. Each as `file:line: text`; a server's README test expects none. With every refusal
 * built in the catalogue from codes it types, every code a server can return is in its errors table.
 */
export function refusalsOutsideCatalogue(srcDir: URL): string[] {
  const root = fileURLToPath(srcDir);
  const catalogue = join(root, 'domain', 'errors.ts');
  const subclasses = [...readFileSync(catalogue, 'utf8').matchAll(/class (\w+) extends DomainError\b/g)].map(
    (m) => m[1],
  );
  const construct = new RegExp(`new (?:${['DomainError', ...subclasses].join('|')})\\b|extends DomainError\\b`);
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && path !== catalogue) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (construct.test(line)) found.push(`${relative(root, path)}:${i + 1}: ${line.trim()}`);
          });
      }
    }
  };
  visit(root);
  return found;
}
