/**
 * The durable part of a browser handle, saved after every call that changes the page: viewport,
 * URL, history, cookies and local storage (Playwright's storage state), text typed into fields
 * since the last navigation, and the last snapshot (to resolve its refs anywhere). `version`
 * counts page changes; saving requires the version that was read, so two instances cannot both
 * advance the same browser from the same state.
 */
import { DomainError, type Database, type StoreTx } from '@sessionless/kit';
import type { RefTarget } from './snapshot.js';

export interface StorageState {
  cookies: Array<Record<string, unknown>>;
  origins: Array<{ origin: string; localStorage: Array<{ name: string; value: string }> }>;
}

export interface Fill extends RefTarget {
  text: string;
}

export interface BrowserRecord {
  id: string;
  viewport: { width: number; height: number };
  url: string;
  history: string[];
  storage: StorageState;
  fills: Fill[];
  snapshot: string | null;
  /** The page version the snapshot was taken at; refs are valid only while it equals `version`. */
  snapshotVersion: number | null;
  version: number;
}

export type PageState = Pick<BrowserRecord, 'url' | 'history' | 'storage' | 'fills' | 'snapshot'>;

export interface BrowserStore {
  /** Writes a new browser's record, inside the transaction that inserts its handle. */
  create(tx: StoreTx, record: BrowserRecord): void | Promise<void>;
  get(id: string): Promise<BrowserRecord | undefined>;
  /** Saves a changed page; returns the new version, or throws if someone else saved first. */
  savePage(id: string, expectedVersion: number, state: PageState): Promise<number>;
  /** Saves a snapshot of an unchanged page (no version change). */
  saveSnapshot(id: string, version: number, snapshot: string): Promise<void>;
  /** Deletes a browser's record, inside the transaction that ends its handle. */
  remove(tx: StoreTx, id: string): void | Promise<void>;
}

export const browserMigrations = [
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

interface Row {
  id: string;
  viewport: string;
  url: string;
  history: string;
  storage: string;
  fills: string;
  snapshot: string | null;
  snapshot_version: number | null;
  version: number;
}

export class SqliteBrowserStore implements BrowserStore {
  private readonly sql;

  constructor(db: Database) {
    this.sql = {
      insert: db.prepare(`
        INSERT INTO browsers (id, viewport, url, history, storage, fills, snapshot, snapshot_version, version)
        VALUES (@id, @viewport, @url, @history, @storage, @fills, @snapshot, @snapshotVersion, @version)`),
      get: db.prepare<[string], Row>(`SELECT * FROM browsers WHERE id = ?`),
      savePage: db.prepare<Record<string, unknown>, { version: number }>(`
        UPDATE browsers SET url = @url, history = @history, storage = @storage, fills = @fills,
          snapshot = @snapshot, snapshot_version = version + 1, version = version + 1
        WHERE id = @id AND version = @expected RETURNING version`),
      saveSnapshot: db.prepare(
        `UPDATE browsers SET snapshot = ?, snapshot_version = version WHERE id = ? AND version = ?`,
      ),
      remove: db.prepare(`DELETE FROM browsers WHERE id = ?`),
    };
  }

  create(_tx: StoreTx, record: BrowserRecord): void {
    this.sql.insert.run({
      ...serialize(record),
      id: record.id,
      viewport: JSON.stringify(record.viewport),
      version: record.version,
      snapshotVersion: record.snapshotVersion,
    });
  }

  async get(id: string): Promise<BrowserRecord | undefined> {
    const row = this.sql.get.get(id);
    if (!row) return undefined;
    return {
      id: row.id,
      viewport: JSON.parse(row.viewport) as BrowserRecord['viewport'],
      url: row.url,
      history: JSON.parse(row.history) as string[],
      storage: JSON.parse(row.storage) as StorageState,
      fills: JSON.parse(row.fills) as Fill[],
      snapshot: row.snapshot,
      snapshotVersion: row.snapshot_version,
      version: row.version,
    };
  }

  async savePage(id: string, expectedVersion: number, state: PageState): Promise<number> {
    const saved = this.sql.savePage.get({ ...serialize(state), id, expected: expectedVersion });
    if (!saved) {
      throw new DomainError(
        'BROWSER_BUSY',
        `Browser ${id} was changed by another call at the same time; call browser_snapshot to see where it is now, then retry.`,
      );
    }
    return saved.version;
  }

  async saveSnapshot(id: string, version: number, snapshot: string): Promise<void> {
    this.sql.saveSnapshot.run(snapshot, id, version);
  }

  remove(_tx: StoreTx, id: string): void {
    this.sql.remove.run(id);
  }
}

function serialize(state: PageState) {
  return {
    url: state.url,
    history: JSON.stringify(state.history),
    storage: JSON.stringify(state.storage),
    fills: JSON.stringify(state.fills),
    snapshot: state.snapshot,
  };
}
