/**
 * Test helpers: start the cart server as a real process (through tsx, so tests need no build of
 * the cart itself), call tools through real clients, and send raw HTTP for wire-level checks.
 */
import { fileURLToPath } from 'node:url';
import { startServerProcess, tempDir, type ServerProcess } from '@sessionless/kit/testing';

export const ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const SECRET = 'cart-tests-secret-that-is-long-enough-for-hs256';

export interface CartFixture {
  servers: ServerProcess[];
  dataDir: string;
  stop(): Promise<void>;
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
