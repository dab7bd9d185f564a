/**
 * The browser server's table: one row per browser handle, its durable state as JSON columns
 * (viewport, history, storage state, fills) beside the URL, the last snapshot and the version.
 */
import type { Migration } from '@sessionless/kit';

export const browserMigrations: Migration[] = [
  {
    id: 'browser-001-records',
    sql: `
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
  },
];
