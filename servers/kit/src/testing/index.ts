/**
 * `@sessionless/kit/testing`: helpers for tests, smoke examples and the harness. Serve a server's
 * real MCP handler in the test process with an injected clock, or start it as a real process;
 * connect real MCP clients of both eras to either; assert on tool results; send raw requests.
 * Nothing here is mocked.
 */
export { ok, refusalsOutsideCatalogue, toolError, type ToolResult } from './assertions.js';
export {
  connectLegacy,
  connectModern,
  MODERN_META,
  raw,
  rawModern,
  type LegacyClient,
  type ModernClient,
  type ModernClientOptions,
  type RawResponse,
} from './clients.js';
export { testClock, type TestClock } from './clock.js';
export {
  inProcess,
  serveInProcess,
  type InProcessApp,
  type InProcessAppOptions,
  type InProcessServer,
} from './in-process.js';
export { startServerProcess, tempDir, type ServerProcess, type StartOptions } from './processes.js';
export {
  findPostgresBinaries,
  POSTGRES_INSTALL_HINT,
  startPostgresCluster,
  type PostgresCluster,
  type PostgresClusterOptions,
} from './postgres-cluster.js';
export {
  dropSchema,
  execSql,
  failWrites,
  openTestStore,
  pauseWrites,
  rows,
  slowWrites,
  storeEnv,
  testStores,
  type PausedWrites,
  type StoreDialect,
  type TestStore,
} from './stores.js';
