/**
 * Test helpers: the cart server in the test process (its real MCP handler, a real SQLite file, a
 * test clock) for tool behaviour, or as real processes (the bundle `npm start` runs) where the
 * claim is about processes or the wire.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig, openStore, type Store, signDevToken } from '@sessionless/kit';
import {
  dropSchema,
  serveInProcess,
  startServerProcess,
  storeEnv,
  tempDir,
  type InProcessApp,
  type ServerProcess,
  type StoreDialect,
} from '@sessionless/kit/testing';
import {
  cartConfigSchema,
  cartMigrations,
  createCartDeps,
  createCartServer,
  cartTools,
  type CartDeps,
} from '../src/index.js';

/** The bundle `npm start` runs (the project's global set-up builds it first). */
export const ENTRY = fileURLToPath(new URL('../dist/main.bundle.js', import.meta.url));
export const SECRET = 'cart-tests-secret-that-is-long-enough-for-hs256';
export const AUDIENCE = 'sessionless-cart';

/** A token this server accepts: signed with SECRET, for its audience (`options` may override either). */
export function tokenFor(subject: string, options: Parameters<typeof signDevToken>[2] = {}): Promise<string> {
  return signDevToken(SECRET, subject, { audience: AUDIENCE, ...options });
}

export interface CartFixture {
  servers: ServerProcess[];
  dataDir: string;
  /** The store the processes share, opened in this process to assert on it. */
  store(): Promise<Store>;
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
    tools: cartTools,
    factory: (tools, config) => createCartServer(tools, config.LIST_TTL),
  });
}

/** Starts `count` cart processes sharing one store: a fresh SQLite file, or a fresh PostgreSQL schema. */
export async function startCart(
  env: Record<string, string> = {},
  count = 1,
  store: StoreDialect = 'sqlite',
): Promise<CartFixture> {
  const dir = tempDir('cart-test-');
  const storeSettings = storeEnv(store, 'cart');
  let shared: Store | undefined;
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      startServerProcess({
        entry: ENTRY,
        env: { DATA_DIR: dir.path, SWEEP_INTERVAL: '1h', ...storeSettings, ...env },
      }),
    ),
  );
  return {
    servers,
    dataDir: dir.path,
    async store() {
      shared ??= await openStore('cart', loadConfig(cartConfigSchema, { DATA_DIR: dir.path, ...storeSettings }), []);
      return shared;
    },
    async stop() {
      await shared?.close();
      await Promise.all(servers.map((server) => server.stop()));
      dir.remove();
      if (storeSettings.DATABASE_URL) await dropSchema(storeSettings.DATABASE_URL, storeSettings.DATABASE_SCHEMA!);
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
