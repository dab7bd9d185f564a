/**
 * The embedded store: one SQLite file per server under a data directory, in WAL mode with a busy
 * timeout, so several server processes on one host can share it. Migrations are numbered SQL
 * scripts applied once, inside an IMMEDIATE transaction, so two processes starting together do
 * not both apply them.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { Migration } from './migrations.js';

export type { Database, Transaction } from 'better-sqlite3';

export interface OpenDatabaseOptions {
  /** Directory that holds the database files; created when missing. */
  dataDir: string;
  /** File name without extension, usually the server name. */
  name: string;
  migrations: readonly Migration[];
  busyTimeoutMs?: number;
}

export function databasePath(dataDir: string, name: string): string {
  return join(resolve(dataDir), `${name}.sqlite`);
}

export function openDatabase(options: OpenDatabaseOptions): Database {
  mkdirSync(resolve(options.dataDir), { recursive: true });
  // Several instances may open a fresh file at the same moment. While it is still in rollback
  // mode SQLite can answer SQLITE_BUSY at once instead of waiting (where waiting could deadlock);
  // setting up again after a short, random pause succeeds, and migrations apply only once.
  for (let attempt = 1; ; attempt++) {
    const db = new BetterSqlite3(databasePath(options.dataDir, options.name));
    try {
      setUp(db, options);
      return db;
    } catch (error) {
      db.close();
      if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY') || attempt >= 10) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + Math.random() * 50 * attempt);
    }
  }
}

function setUp(db: Database, options: OpenDatabaseOptions): void {
  // Wait for a competing writer instead of failing with SQLITE_BUSY.
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across a killed process in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db, options.migrations);
}

export function migrate(db: Database, migrations: readonly Migration[]): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT`);
  const applied: string[] = [];
  const isApplied = db.prepare<[string], { id: string }>(`SELECT id FROM schema_migrations WHERE id = ?`);
  const record = db.prepare(`INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)`);
  for (const migration of migrations) {
    db.transaction(() => {
      if (isApplied.get(migration.id)) return;
      if (migration.sqlite === undefined) throw new Error(`migration ${migration.id} has no SQLite version`);
      if (typeof migration.sqlite === 'string') db.exec(migration.sqlite);
      else migration.sqlite(db);
      record.run(migration.id, Date.now());
      applied.push(migration.id);
    }).immediate();
  }
  return applied;
}
