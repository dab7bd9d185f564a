/**
 * Test helpers: the cart server in the test process (its real MCP handler, a real SQLite file, a
 * test clock) for tool behaviour, or as real processes (through tsx, so tests need no build of the
 * cart itself) where the claim is about processes or the wire.
 */
import { fileURLToPath } from 'node:url';
import {
  serveInProcess,
  startServerProcess,
  tempDir,
  type InProcessApp,
  type ServerProcess,
  type StoreDialect,
} from '@sessionless/kit/testing';
import { cartConfigSchema, cartMigrations, createCartDeps, createCartServer, type CartDeps } from '../src/index.js';

export const ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const SECRET = 'cart-tests-secret-that-is-long-enough-for-hs256';

export interface CartFixture {
  servers: ServerProcess[];
  dataDir: string;
  stop(): Promise<void>;
}

/** The cart server wired as `main.ts` wires it, answering in this process; `env` as for the process. */
export function cartInProcess(
  env: Record<string, string> = {},
  store: StoreDialect = 'sqlite',
): Promise<InProcessApp<CartDeps>> {
  return serveInProcess({
    name: 'cart',
    schema: cartConfigSchema,
    env,
    store,
    migrations: cartMigrations,
    deps: createCartDeps,
    factory: (deps, runtime, config) => createCartServer(deps, runtime, config.LIST_TTL),
  });
}

/** Starts `count` cart processes sharing one fresh data directory (one SQLite file). */
export async function startCart(env: Record<string, string> = {}, count = 1): Promise<CartFixture> {
  const dir = tempDir('cart-test-');
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      startServerProcess({ entry: ENTRY, env: { DATA_DIR: dir.path, SWEEP_INTERVAL: '1h', ...env } }),
    ),
  );
  return {
    servers,
    dataDir: dir.path,
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      dir.remove();
    },
  };
}

// Result assertions and raw requests are shared by every server's tests.
export {
  MODERN_META,
  ok,
  raw,
  rawModern,
  toolError,
  type RawResponse,
  type ToolResult,
} from '@sessionless/kit/testing';
