/**
 * Where handle rows live. The interface is async and narrow (insert, get, touch, end, list, sweep)
 * so a networked store such as PostgreSQL can implement it; the SQLite version below is the
 * embedded default. Quota checks happen inside the insert so that a burst of `*_create` calls
 * racing on several processes cannot overshoot the limit.
 */
import type { Database } from 'better-sqlite3';

export type HandleStatus = 'live' | 'expired' | 'destroyed';

export interface HandleRecord {
  id: string;
  kind: string;
  principal: string;
  status: HandleStatus;
  createdAt: number;
  lastUsedAt: number;
  /** Absolute deadline (ms since epoch); the idle deadline is lastUsedAt + idleTtlMs. */
  expiresAt: number;
  idleTtlMs: number;
  endedAt: number | null;
}

export interface HandleStore {
  /** Inserts a live handle unless the principal already holds `quota` live handles of its kind. */
  insertWithinQuota(record: HandleRecord, quota: number): Promise<boolean>;
  get(id: string): Promise<HandleRecord | undefined>;
  touch(id: string, now: number): Promise<void>;
  /** Moves a live handle to a tombstone; returns false when it was not live any more. */
  end(id: string, status: Exclude<HandleStatus, 'live'>, now: number): Promise<boolean>;
  listLive(principal: string, kind: string, now: number): Promise<HandleRecord[]>;
  /** Ends every live handle past a deadline and deletes tombstones older than `purgeBefore`. */
  sweep(now: number, purgeBefore: number): Promise<{ expired: HandleRecord[]; purged: number }>;
  countLive(now: number): Promise<Map<string, number>>;
}

export const handleMigrations = [
  {
    id: 'kit-001-handles',
    sql: `
      CREATE TABLE handles (
        id            TEXT PRIMARY KEY,
        kind          TEXT NOT NULL,
        principal     TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('live', 'expired', 'destroyed')),
        created_at    INTEGER NOT NULL,
        last_used_at  INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL,
        idle_ttl_ms   INTEGER NOT NULL,
        ended_at      INTEGER
      ) STRICT;
      CREATE INDEX handles_owner ON handles (principal, kind, status);
      CREATE INDEX handles_status ON handles (status, ended_at);`,
  },
];

interface Row {
  id: string;
  kind: string;
  principal: string;
  status: HandleStatus;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  idle_ttl_ms: number;
  ended_at: number | null;
}

const fromRow = (row: Row): HandleRecord => ({
  id: row.id,
  kind: row.kind,
  principal: row.principal,
  status: row.status,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
  idleTtlMs: row.idle_ttl_ms,
  endedAt: row.ended_at,
});

const LIVE_AT = `status = 'live' AND expires_at > @now AND last_used_at + idle_ttl_ms > @now`;

export class SqliteHandleStore implements HandleStore {
  private readonly statements;

  constructor(private readonly db: Database) {
    this.statements = {
      insert: db.prepare(`
        INSERT INTO handles (id, kind, principal, status, created_at, last_used_at, expires_at, idle_ttl_ms)
        SELECT @id, @kind, @principal, 'live', @createdAt, @lastUsedAt, @expiresAt, @idleTtlMs
        WHERE (SELECT count(*) FROM handles
               WHERE principal = @principal AND kind = @kind AND ${LIVE_AT.replaceAll('@now', '@createdAt')}) < @quota`),
      get: db.prepare<[string], Row>(`SELECT * FROM handles WHERE id = ?`),
      touch: db.prepare(`UPDATE handles SET last_used_at = @now WHERE id = @id AND status = 'live'`),
      end: db.prepare(`UPDATE handles SET status = @status, ended_at = @now WHERE id = @id AND status = 'live'`),
      listLive: db.prepare<{ principal: string; kind: string; now: number }, Row>(
        `SELECT * FROM handles WHERE principal = @principal AND kind = @kind AND ${LIVE_AT} ORDER BY created_at, id`,
      ),
      overdue: db.prepare<{ now: number }, Row>(
        `UPDATE handles SET status = 'expired', ended_at = @now
         WHERE status = 'live' AND (expires_at <= @now OR last_used_at + idle_ttl_ms <= @now) RETURNING *`,
      ),
      purge: db.prepare(`DELETE FROM handles WHERE status != 'live' AND ended_at < @purgeBefore`),
      countLive: db.prepare<{ now: number }, { kind: string; n: number }>(
        `SELECT kind, count(*) AS n FROM handles WHERE ${LIVE_AT} GROUP BY kind`,
      ),
    };
  }

  async insertWithinQuota(record: HandleRecord, quota: number): Promise<boolean> {
    // The count and the insert are one statement, so concurrent creators cannot both slip under the quota.
    return this.statements.insert.run({ ...record, quota }).changes === 1;
  }

  async get(id: string): Promise<HandleRecord | undefined> {
    const row = this.statements.get.get(id);
    return row && fromRow(row);
  }

  async touch(id: string, now: number): Promise<void> {
    this.statements.touch.run({ id, now });
  }

  async end(id: string, status: Exclude<HandleStatus, 'live'>, now: number): Promise<boolean> {
    return this.statements.end.run({ id, status, now }).changes === 1;
  }

  async listLive(principal: string, kind: string, now: number): Promise<HandleRecord[]> {
    return this.statements.listLive.all({ principal, kind, now }).map(fromRow);
  }

  async sweep(now: number, purgeBefore: number): Promise<{ expired: HandleRecord[]; purged: number }> {
    return this.db
      .transaction(() => {
        const expired = this.statements.overdue.all({ now }).map(fromRow);
        const purged = this.statements.purge.run({ purgeBefore }).changes;
        return { expired, purged };
      })
      .immediate();
  }

  async countLive(now: number): Promise<Map<string, number>> {
    return new Map(this.statements.countLive.all({ now }).map((row) => [row.kind, row.n]));
  }
}
