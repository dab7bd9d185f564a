/**
 * The browser server's table, in both store dialects: one row per browser handle, its durable
 * state as JSON text (viewport, history, storage state, fills) beside the URL, the last snapshot
 * and the version.
 */
import type { Migration } from '@sessionless/kit';

export const browserMigrations: Migration[] = [
  {
    id: 'browser-001-records',
    sqlite: `
      CREATE TABLE browsers (
        id                TEXT PRIMARY KEY,
        viewport          TEXT NOT NULL,
        url               TEXT NOT NULL,
        history           TEXT NOT NULL,
        storage           TEXT NOT NULL,
        fills             TEXT NOT NULL,
        snapshot          TEXT,
        snapshot_version  INTEGER,
        version           INTEGER NOT NULL
      ) STRICT;`,
    postgres: `
      CREATE TABLE browsers (
        id                TEXT COLLATE "C" PRIMARY KEY,
        viewport          TEXT NOT NULL,
        url               TEXT NOT NULL,
        history           TEXT NOT NULL,
        storage           TEXT NOT NULL,
        fills             TEXT NOT NULL,
        snapshot          TEXT,
        snapshot_version  INTEGER,
        version           INTEGER NOT NULL
      );`,
  },
];
