/**
 * A server answering in the test process: its real MCP handler (the SDK's `createMcpHandler`
 * over the server's own factory, with the kit's lean path in front as `listen` puts it) behind a
 * `fetch` that verifies bearer tokens as the HTTP server does, with no socket; and a whole server
 * wired as its `main.ts` wires it, on a real store, with a test clock. Tool behaviour is tested
 * here; processes only where the claim is about processes.
 */
import { createMcpHandler, type McpHttpHandler, type McpServerFactory } from '@modelcontextprotocol/server';
import type * as z from 'zod/v4';
import { createAuthenticator, type Authenticator } from '../auth.js';
import { loadConfig } from '../config.js';
import { listen, type RunningHttpServer } from '../http.js';
import { createLeanPath, type LeanPath } from '../lean-path.js';
import type { Migration } from '../migrations.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { authSettingsFrom, type ServerConfig } from '../server-config.js';
import { bindTools, type BoundTool, type Tool } from '../tools.js';
import type { Client } from '@modelcontextprotocol/client';
import type { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { connectLegacy, connectModern, rawModern, type ModernClientOptions, type RawResponse } from './clients.js';
import { testClock, type TestClock } from './clock.js';
import { tempDir } from './processes.js';
import { dropSchema, storeEnv, type StoreDialect } from './stores.js';

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
 * Serves `handler` (from `createMcpHandler`) in-process, behind `lean` when given. Bearer tokens
 * are verified by `authenticator` exactly as the HTTP server verifies them (default: everyone is
 * anonymous), so handles are bound to real principals.
 */
export function inProcess(
  handler: McpHttpHandler,
  authenticator: Authenticator = createAuthenticator({ mode: 'anonymous' }),
  lean?: LeanPath,
): InProcessServer {
  const url = 'http://127.0.0.1:1/mcp';
  const answer = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const auth = await authenticator.authenticate(request.headers.get('authorization') ?? undefined);
    if (!auth.ok) {
      const body = JSON.stringify({ error: 'invalid_token', error_description: auth.message });
      return new Response(body, { status: 401, headers: { 'www-authenticate': auth.challenge } });
    }
    const body = request.method === 'POST' ? await parseOrUndefined(request) : undefined;
    const answer =
      body === undefined
        ? undefined
        : await lean?.answer({
            header: (name) => request.headers.get(name) ?? undefined,
            body,
            authInfo: auth.authInfo,
          });
    if (answer) return new Response(answer.body, { status: answer.status, headers: answer.headers });
    return handler.fetch(request, { authInfo: auth.authInfo, ...(body !== undefined && { parsedBody: body }) });
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

/** The body as JSON, or undefined when it is not (the handler then answers as it would). */
async function parseOrUndefined(request: Request): Promise<unknown> {
  try {
    return JSON.parse(await request.clone().text()) as unknown;
  } catch {
    return undefined;
  }
}

export interface InProcessApp<D> extends InProcessServer {
  /** The clock every handle and store of this server reads; move it to test lifetimes. */
  clock: TestClock;
  runtime: Runtime;
  deps: D;
  dataDir: string;
  /** Serves the same app over real HTTP on a loopback port, as `main.ts` does (closed with the app). */
  listen(): Promise<RunningHttpServer>;
  close(): Promise<void>;
}

export interface InProcessAppOptions<C extends ServerConfig, D> {
  name: string;
  /** The server's config schema, read from `env` the way `main.ts` reads `process.env`. */
  schema: z.ZodType<C>;
  env?: Record<string, string>;
  /** The store to run on (default SQLite); PostgreSQL gets a fresh schema, dropped on close. */
  store?: StoreDialect;
  migrations: readonly Migration[];
  deps: (runtime: Runtime, config: C) => D | Promise<D>;
  /** The server's tool definitions, bound to the deps as `main.ts` binds them. */
  tools: readonly Tool<D>[];
  factory: (tools: readonly BoundTool[], config: C) => McpServerFactory;
  /** Frees what the deps hold besides the runtime (a browser). */
  close?: (deps: D) => Promise<void>;
}

/**
 * A whole server in this process, wired as its `main.ts` wires it (config, runtime, deps, the
 * SDK's `createMcpHandler`), on a real SQLite file in a fresh directory or a fresh PostgreSQL
 * schema, with a test clock and no sweeper timer (call `runtime.handles.sweep()`). `JWT_SECRET`
 * in `env` turns bearer auth on.
 */
export async function serveInProcess<C extends ServerConfig, D>(
  options: InProcessAppOptions<C, D>,
): Promise<InProcessApp<D>> {
  const dir = tempDir(`${options.name}-test-`);
  const clock = testClock();
  const store = storeEnv(options.store ?? 'sqlite', options.name);
  const config = loadConfig(options.schema as never, {
    DATA_DIR: dir.path,
    SWEEP_INTERVAL: '1d',
    LOG_LEVEL: 'silent',
    ...store,
    ...options.env,
  }) as C;
  const runtime = await openRuntime({ name: options.name, config, migrations: options.migrations, now: clock.now });
  const deps = await options.deps(runtime, config);
  const tools = bindTools(options.tools, deps, runtime);
  const handler = createMcpHandler(options.factory(tools, config), { legacy: 'stateless' });
  const lean =
    config.LEAN_PATH === 'on'
      ? createLeanPath({ handler, tools, metrics: runtime.metrics, logger: runtime.logger })
      : undefined;
  const server = inProcess(handler, createAuthenticator(authSettingsFrom(config)), lean);
  const listening: RunningHttpServer[] = [];
  return {
    ...server,
    clock,
    runtime,
    deps,
    dataDir: dir.path,
    async listen() {
      // The runtime stays open until the app closes: the HTTP server's close leaves it alone.
      const running = await listen(handler, {
        info: { name: options.name, version: 'test' },
        config: { ...config, PORT: 0, HOST: '127.0.0.1' },
        runtime: { metrics: runtime.metrics, logger: runtime.logger, close: async () => {} },
        tools,
        handleSignals: false,
      });
      listening.push(running);
      return running;
    },
    async close() {
      await Promise.all(listening.map((running) => running.close()));
      await handler.close();
      await options.close?.(deps);
      await runtime.close();
      dir.remove();
      if (store.DATABASE_URL && store.DATABASE_SCHEMA) await dropSchema(store.DATABASE_URL, store.DATABASE_SCHEMA);
    },
  };
}
