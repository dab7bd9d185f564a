/**
 * The browser store on SQLite: one row per browser, its state as JSON columns. A page change is
 * saved only over the version it was read at (`WHERE version = @expected`), so of two instances
 * advancing one browser at once, exactly one wins and the other says so.
 */
import type { Database, StoreTx } from '@sessionless/kit';
import { browserBusy } from './errors.js';
import type { BrowserRecord, BrowserStore, Fill, PageState, StorageState } from './store.js';

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
    if (!saved) throw browserBusy(id);
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
