/**
 * The browser store on PostgreSQL: the same row as on SQLite. A page change is saved only over
 * the version it was read at (`WHERE version = $expected`, atomic in one statement), so of two
 * instances advancing one browser at once, exactly one wins and the other says so.
 */
import { statement, type Postgres, type StoreTx } from '@sessionless/kit';
import { browserBusy } from './errors.js';
import { fromRow, serialize, toRow, type BrowserRow } from './rows.js';
import type { BrowserRecord, BrowserStore, PageState } from './store.js';

const SQL = {
  insert: statement(`
    INSERT INTO browsers (id, viewport, url, history, storage, fills, snapshot, snapshot_version, version)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`),
  get: statement(`SELECT * FROM browsers WHERE id = $1`),
  savePage: statement(`
    UPDATE browsers SET url = $3, history = $4, storage = $5, fills = $6,
      snapshot = $7, snapshot_version = version + 1, version = version + 1
    WHERE id = $1 AND version = $2 RETURNING version`),
  saveSnapshot: statement(
    `UPDATE browsers SET snapshot = $3, snapshot_version = version WHERE id = $1 AND version = $2`,
  ),
  remove: statement(`DELETE FROM browsers WHERE id = $1`),
};

export class PostgresBrowserStore implements BrowserStore {
  constructor(private readonly db: Postgres) {}

  async create(tx: StoreTx, record: BrowserRecord): Promise<void> {
    if (tx.dialect !== 'postgres') throw new Error('the PostgreSQL browser store was given a SQLite transaction');
    const row = toRow(record);
    await tx.db.query(SQL.insert, [
      row.id,
      row.viewport,
      row.url,
      row.history,
      row.storage,
      row.fills,
      row.snapshot,
      row.snapshot_version,
      row.version,
    ]);
  }

  async get(id: string): Promise<BrowserRecord | undefined> {
    const [row] = await this.db.query<BrowserRow>(SQL.get, [id]);
    return row && fromRow(row);
  }

  async savePage(id: string, expectedVersion: number, state: PageState): Promise<number> {
    const page = serialize(state);
    const [saved] = await this.db.query<{ version: number }>(SQL.savePage, [
      id,
      expectedVersion,
      page.url,
      page.history,
      page.storage,
      page.fills,
      page.snapshot,
    ]);
    if (!saved) throw browserBusy(id);
    return saved.version;
  }

  async saveSnapshot(id: string, version: number, snapshot: string): Promise<void> {
    await this.db.query(SQL.saveSnapshot, [id, version, snapshot]);
  }

  async remove(tx: StoreTx, id: string): Promise<void> {
    if (tx.dialect !== 'postgres') throw new Error('the PostgreSQL browser store was given a SQLite transaction');
    await tx.db.query(SQL.remove, [id]);
  }
}
