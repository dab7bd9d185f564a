/**
 * Everything a server needs at run time besides its tools, opened in one call: the logger, the
 * metrics registry, the store (SQLite, or PostgreSQL with DATABASE_URL; kit and server migrations
 * applied), the handle registry with its sweeper (each server registers its handle kinds, and how
 * to free their state, when it builds its dependencies). Nothing heavy happens here; servers load
 * big things lazily.
 */
import type { HandleStore } from './handle-store.js';
import { handleMigrations } from './handle-store.js';
import { Handles } from './handles.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { Migration } from './migrations.js';
import { PostgresHandleStore } from './postgres-handle-store.js';
import type { ServerConfig } from './server-config.js';
import { SqliteHandleStore } from './sqlite-handle-store.js';
import { openStore, type Store, type StoreConfig } from './store.js';

export interface Runtime {
  name: string;
  store: Store;
  handles: Handles;
  metrics: Metrics;
  logger: Logger;
  /** The clock every store and handle uses; tests inject one. */
  now: () => number;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  name: string;
  config: StoreConfig & Pick<ServerConfig, 'SWEEP_INTERVAL' | 'CALL_LEASE' | 'LOG_LEVEL'>;
  migrations: readonly Migration[];
  now?: () => number;
}

export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const logger = createLogger(options.name, options.config.LOG_LEVEL);
  const metrics = createMetrics(options.name);
  const store = await openStore(options.name, options.config, [...handleMigrations, ...options.migrations], (error) =>
    logger.warn({ err: error.message }, 'an idle database connection failed; it was dropped'),
  );
  const handleStore: HandleStore =
    store.dialect === 'postgres' ? new PostgresHandleStore(store) : new SqliteHandleStore(store.db);
  const handles = new Handles({
    store: handleStore,
    events: metrics,
    callLeaseMs: options.config.CALL_LEASE,
    now: options.now,
  });
  metrics.trackLiveHandles(() => handles.countLive());
  const stopSweeper = handles.startSweeper(options.config.SWEEP_INTERVAL, (error) =>
    logger.error({ err: error }, 'handle sweep failed'),
  );
  return {
    name: options.name,
    store,
    handles,
    metrics,
    logger,
    now: handles.now,
    async close() {
      stopSweeper();
      await store.close();
    },
  };
}
