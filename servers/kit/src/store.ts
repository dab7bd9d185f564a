/**
 * Which store a server keeps its state in: the embedded SQLite file (the default, no server to
 * run) or PostgreSQL when `DATABASE_URL` is set, for instances on hosts that share no disk. Each
 * server's `deps.ts` picks its store implementations by `dialect`; the tools never know which.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations.js';
import { openPostgres, type Postgres } from './postgres.js';
import type { ServerConfig } from './server-config.js';
import { openDatabase } from './sqlite.js';

export interface SqliteStore {
  readonly dialect: 'sqlite';
  readonly db: Database;
  /** The file, for messages and logs. */
  readonly target: string;
  close(): Promise<void>;
}

export type Store = SqliteStore | Postgres;

export type StoreConfig = Pick<
  ServerConfig,
  | 'DATA_DIR'
  | 'DATABASE_URL'
  | 'DATABASE_SCHEMA'
  | 'DATABASE_POOL_SIZE'
  | 'DATABASE_POOL_WAIT'
  | 'DATABASE_STATEMENT_TIMEOUT'
>;

export async function openStore(
  name: string,
  config: StoreConfig,
  migrations: readonly Migration[],
  onIdleError?: (error: Error) => void,
): Promise<Store> {
  if (config.DATABASE_URL !== undefined) {
    return openPostgres(
      {
        url: config.DATABASE_URL,
        schema: config.DATABASE_SCHEMA ?? name,
        poolSize: config.DATABASE_POOL_SIZE,
        poolWaitMs: config.DATABASE_POOL_WAIT,
        statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT,
        onIdleError,
      },
      migrations,
    );
  }
  const db = openDatabase({ dataDir: config.DATA_DIR, name, migrations });
  return {
    dialect: 'sqlite',
    db,
    target: db.name,
    close: async () => {
      db.close();
    },
  };
}
