/**
 * @sessionless/kit: plumbing shared by the reference servers. Servers import from here; the
 * MCP calls (`createMcpHandler`, `serveStdio`, `new McpServer`, `registerTool`) stay visible in
 * each server's `main.ts` and `server.ts`.
 */
export { ANONYMOUS_PRINCIPAL, createAuthenticator, signDevToken } from './auth.js';
export type { AuthOutcome, AuthSettings, Authenticator } from './auth.js';
export {
  ConfigError,
  commaList,
  duration,
  formatDuration,
  loadConfig,
  parseDuration,
  port,
  positiveInt,
} from './config.js';
export {
  defineErrors,
  DomainError,
  ERROR_META_KEY,
  errorCodeOf,
  isDomainError,
  KIT_ERRORS,
  toToolError,
} from './errors.js';
export type { ErrorEntry, HandleErrorCode, KitErrorCode } from './errors.js';
export { fromHandleRow, handleMigrations } from './handle-store.js';
export type { HandleRecord, HandleRow, HandleStatus, HandleStore, StateWriter, StoreTx } from './handle-store.js';
export { SqliteHandleStore } from './sqlite-handle-store.js';
export { PostgresHandleStore } from './postgres-handle-store.js';
export type { Migration } from './migrations.js';
export { openPostgres, Postgres, quoteIdent, StoreUnavailableError } from './postgres.js';
export type { PostgresSettings } from './postgres.js';
export { statement } from './statement.js';
export type { Queryable, Statement } from './statement.js';
export { openStore } from './store.js';
export type { SqliteStore, Store, StoreConfig } from './store.js';
export { Handles, mintId, startCall } from './handles.js';
export type { Call, HandleEvents, HandleKind, HandleState, HandlesOptions } from './handles.js';
export { listen } from './http.js';
export type { ListenOptions, RunningHttpServer } from './http.js';
export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export { createMetrics } from './metrics.js';
export type { Era, Metrics } from './metrics.js';
export { openRuntime } from './runtime.js';
export type { Runtime, RuntimeOptions } from './runtime.js';
export { authSettingsFrom, isLoopback, serverConfigSchema, serverConfigShape } from './server-config.js';
export type { ServerConfig } from './server-config.js';
export { databasePath, migrate, openDatabase } from './sqlite.js';
export type { Database, OpenDatabaseOptions, Transaction } from './sqlite.js';
export { bindTools, defineTool, handleIdArgument, memoizeJsonSchema, toolsFor } from './tools.js';
export type { BoundTool, Tool, ToolConfig, ToolContext, ToolReply, ToolRuntime } from './tools.js';
export { createLeanPath } from './lean-path.js';
export type { LeanAnswer, LeanPath, LeanPathOptions, LeanRequest } from './lean-path.js';

/** Cache hints for lists that are the same for every caller: clients and gateways may share them. */
export function publicListCacheHints(ttlMs: number) {
  return {
    'tools/list': { ttlMs, cacheScope: 'public' as const },
    'server/discover': { ttlMs, cacheScope: 'public' as const },
  };
}
export {
  ERRORS_END,
  ERRORS_START,
  errorsTable,
  TOOLS_END,
  TOOLS_START,
  toolsTable,
  withReadmeTables,
} from './readme.js';
export type { ReadmeTables } from './readme.js';
export { runMain, stopWhenStdinEnds } from './serve.js';
