/**
 * Everything a server needs at run time besides its tools, opened in one call: the logger, the
 * metrics registry, the SQLite database (kit and server migrations applied), the handle
 * registry with its sweeper (each server registers its handle kinds, and how to free their state,
 * when it builds its dependencies). Nothing heavy happens here; servers load big things lazily.
 */
import type { Database } from 'better-sqlite3';
import { SqliteHandleStore, handleMigrations } from './handle-store.js';
import { Handles } from './handles.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { ServerConfig } from './server-config.js';
import { openDatabase, type Migration } from './sqlite.js';

export interface Runtime {
  name: string;
  db: Database;
  handles: Handles;
  metrics: Metrics;
  logger: Logger;
  /** The clock every store and handle uses; tests inject one. */
  now: () => number;
  close(): void;
}

export interface RuntimeOptions {
  name: string;
  config: Pick<ServerConfig, 'DATA_DIR' | 'SWEEP_INTERVAL' | 'CALL_LEASE' | 'LOG_LEVEL'>;
  migrations: readonly Migration[];
  now?: () => number;
}

export function openRuntime(options: RuntimeOptions): Runtime {
  const logger = createLogger(options.name, options.config.LOG_LEVEL);
  const metrics = createMetrics(options.name);
  const db = openDatabase({
    dataDir: options.config.DATA_DIR,
    name: options.name,
    migrations: [...handleMigrations, ...options.migrations],
  });
  const handles = new Handles({
    store: new SqliteHandleStore(db),
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
    db,
    handles,
    metrics,
    logger,
    now: handles.now,
    close() {
      stopSweeper();
      db.close();
    },
  };
}
