/**
 * The browser store on SQLite: one row per browser, its state as JSON columns. A page change is
 * saved only over the version it was read at (`WHERE version = @expected`), so of two instances
 * advancing one browser at once, exactly one wins and the other says so.
 */
import type { Database, StoreTx } from '@sessionless/kit';
import { browserBusy } from './errors.js';
import { fromRow, serialize, toRow, type BrowserRow } from './rows.js';
import type { BrowserRecord, BrowserStore, PageState } from './store.js';

export class SqliteBrowserStore implements BrowserStore {
  private readonly sql;

  constructor(db: Database) {
    this.sql = {
      insert: db.prepare(`
        INSERT INTO browsers (id, viewport, url, history, storage, fills, snapshot, snapshot_version, version)
        VALUES (@id, @viewport, @url, @history, @storage, @fills, @snapshot, @snapshot_version, @version)`),
      get: db.prepare<[string], BrowserRow>(`SELECT * FROM browsers WHERE id = ?`),
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
    this.sql.insert.run(toRow(record));
  }

  async get(id: string): Promise<BrowserRecord | undefined> {
    const row = this.sql.get.get(id);
    return row && fromRow(row);
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
