/**
 * Where handle rows live. The interface is async and narrow so a networked store (PostgreSQL) can
 * implement it beside the SQLite one below. Three rules live in the statements, not in
 * JavaScript: the quota check and the insert are one statement; a handle with a call in flight
 * (an unexpired lease) is never overdue; and a handle's own rows (a cart, a workspace) are
 * written and deleted in the same transaction as its handle row, so neither outlives the other.
 */
import type { Database } from 'better-sqlite3';

export type HandleStatus = 'live' | 'expired' | 'destroyed';

export interface HandleRecord {
  id: string;
  kind: string;
  principal: string;
  status: HandleStatus;
  createdAt: number;
  /** When the last call on it ended (or it was created): the idle deadline is this + idleTtlMs. */
  lastUsedAt: number;
  /** Absolute deadline (ms since epoch). */
  expiresAt: number;
  idleTtlMs: number;
  endedAt: number | null;
  /** Calls that took a lease and have not ended; they count only while `leaseUntil` is ahead. */
  callsInFlight: number;
  leaseUntil: number;
}

/**
 * The transaction a handle row and its kind's own rows are written in. On SQLite it is the
 * process's one connection inside a synchronous transaction, so state writers must not await.
 */
export interface StoreTx {
  readonly dialect: 'sqlite';
}

/** Writes (or deletes) a kind's own rows inside the handle's transaction. */
export type StateWriter<T> = (tx: StoreTx) => T | Promise<T>;

export interface HandleStore {
  /**
   * Inserts a live handle unless the principal already holds `quota` live handles of its kind,
   * and runs `createState` in the same transaction; if it throws, neither is kept.
   */
  insertWithinQuota<T>(
    record: HandleRecord,
    quota: number,
    createState: StateWriter<T>,
  ): Promise<{ inserted: true; state: T } | { inserted: false }>;
  get(id: string): Promise<HandleRecord | undefined>;
  /** Takes a lease for one more call, if the handle is still live at `now`; false if it lapsed. */
  begin(id: string, now: number, leaseUntil: number): Promise<boolean>;
  /** A leased call ended: one fewer in flight, and the idle clock restarts at `now`. */
  finish(id: string, now: number): Promise<void>;
  /** A call without a lease ended: the idle clock restarts at `now`. */
  touch(id: string, now: number): Promise<void>;
  /** Moves a live handle to a tombstone and runs `removeState` in the same transaction; false when it was not live. */
  end(id: string, status: Exclude<HandleStatus, 'live'>, now: number, removeState: StateWriter<void>): Promise<boolean>;
  listLive(principal: string, kind: string, now: number): Promise<HandleRecord[]>;
  /**
   * Ends up to `limit` overdue handles (none with a call in flight), removing each one's state in
   * the same transaction, and returns them; call again while it returns `limit`.
   */
  expireOverdue(
    now: number,
    limit: number,
    removeState: (tx: StoreTx, record: HandleRecord) => void | Promise<void>,
  ): Promise<HandleRecord[]>;
  /** Deletes up to `limit` tombstones that ended before `before`; returns how many. */
  purgeTombstones(before: number, limit: number): Promise<number>;
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
  {
    // Calls in flight, so that no instance's sweeper ends a handle while a call on it runs.
    id: 'kit-002-calls-in-flight',
    sql: `
      ALTER TABLE handles ADD COLUMN calls_in_flight INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE handles ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;`,
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
  calls_in_flight: number;
  lease_until: number;
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
  callsInFlight: row.calls_in_flight,
  leaseUntil: row.lease_until,
});

/** The rules as SQL, shared by every statement below so they cannot disagree. */
const IN_FLIGHT = `(calls_in_flight > 0 AND lease_until > @now)`;
const WITHIN_DEADLINES = `(expires_at > @now AND last_used_at + idle_ttl_ms > @now)`;
const LIVE_AT = `(status = 'live' AND (${IN_FLIGHT} OR ${WITHIN_DEADLINES}))`;
const OVERDUE_AT = `(status = 'live' AND NOT ${IN_FLIGHT} AND NOT ${WITHIN_DEADLINES})`;

const SQLITE_TX: StoreTx = { dialect: 'sqlite' };

export class SqliteHandleStore implements HandleStore {
  private readonly statements;

  constructor(private readonly db: Database) {
    this.statements = {
      insert: db.prepare(`
        INSERT INTO handles (id, kind, principal, status, created_at, last_used_at, expires_at, idle_ttl_ms,
                             calls_in_flight, lease_until)
        SELECT @id, @kind, @principal, 'live', @createdAt, @lastUsedAt, @expiresAt, @idleTtlMs,
               @callsInFlight, @leaseUntil
        WHERE (SELECT count(*) FROM handles
               WHERE principal = @principal AND kind = @kind AND ${LIVE_AT}) < @quota`),
      get: db.prepare<[string], Row>(`SELECT * FROM handles WHERE id = ?`),
      // A lease whose deadline passed belongs to a call that died with its instance: start counting afresh.
      begin: db.prepare(`
        UPDATE handles SET
          calls_in_flight = CASE WHEN lease_until > @now THEN calls_in_flight + 1 ELSE 1 END,
          lease_until = max(lease_until, @leaseUntil)
        WHERE id = @id AND ${LIVE_AT}`),
      finish: db.prepare(`
        UPDATE handles SET calls_in_flight = max(calls_in_flight - 1, 0), last_used_at = max(last_used_at, @now)
        WHERE id = @id AND status = 'live'`),
      touch: db.prepare(`UPDATE handles SET last_used_at = max(last_used_at, @now) WHERE id = @id AND status = 'live'`),
      end: db.prepare(`UPDATE handles SET status = @status, ended_at = @now WHERE id = @id AND status = 'live'`),
      listLive: db.prepare<{ principal: string; kind: string; now: number }, Row>(
        `SELECT * FROM handles WHERE principal = @principal AND kind = @kind AND ${LIVE_AT} ORDER BY created_at, id`,
      ),
      expireOverdue: db.prepare<{ now: number; limit: number }, Row>(`
        UPDATE handles SET status = 'expired', ended_at = @now
        WHERE id IN (SELECT id FROM handles WHERE ${OVERDUE_AT} LIMIT @limit)
        RETURNING *`),
      purge: db.prepare(`
        DELETE FROM handles WHERE id IN (
          SELECT id FROM handles WHERE status != 'live' AND ended_at < @before LIMIT @limit)`),
      countLive: db.prepare<{ now: number }, { kind: string; n: number }>(
        `SELECT kind, count(*) AS n FROM handles WHERE ${LIVE_AT} GROUP BY kind`,
      ),
    };
  }

  async insertWithinQuota<T>(record: HandleRecord, quota: number, createState: StateWriter<T>) {
    return this.db
      .transaction(() => {
        // The count and the insert are one statement, so concurrent creators cannot both slip under the quota.
        const params = { ...record, quota, now: record.createdAt };
        if (this.statements.insert.run(params).changes !== 1) return { inserted: false as const };
        return { inserted: true as const, state: synchronously(createState(SQLITE_TX)) };
      })
      .immediate();
  }

  async get(id: string): Promise<HandleRecord | undefined> {
    const row = this.statements.get.get(id);
    return row && fromRow(row);
  }

  async begin(id: string, now: number, leaseUntil: number): Promise<boolean> {
    return this.statements.begin.run({ id, now, leaseUntil }).changes === 1;
  }

  async finish(id: string, now: number): Promise<void> {
    this.statements.finish.run({ id, now });
  }

  async touch(id: string, now: number): Promise<void> {
    this.statements.touch.run({ id, now });
  }

  async end(id: string, status: Exclude<HandleStatus, 'live'>, now: number, removeState: StateWriter<void>) {
    return this.db
      .transaction(() => {
        if (this.statements.end.run({ id, status, now }).changes !== 1) return false;
        synchronously(removeState(SQLITE_TX));
        return true;
      })
      .immediate();
  }

  async listLive(principal: string, kind: string, now: number): Promise<HandleRecord[]> {
    return this.statements.listLive.all({ principal, kind, now }).map(fromRow);
  }

  async expireOverdue(
    now: number,
    limit: number,
    removeState: (tx: StoreTx, record: HandleRecord) => void | Promise<void>,
  ): Promise<HandleRecord[]> {
    return this.db
      .transaction(() => {
        const expired = this.statements.expireOverdue.all({ now, limit }).map(fromRow);
        for (const record of expired) synchronously(removeState(SQLITE_TX, record));
        return expired;
      })
      .immediate();
  }

  async purgeTombstones(before: number, limit: number): Promise<number> {
    return this.statements.purge.run({ before, limit }).changes;
  }

  async countLive(now: number): Promise<Map<string, number>> {
    return new Map(this.statements.countLive.all({ now }).map((row) => [row.kind, row.n]));
  }
}

/**
 * SQLite transactions here are synchronous: a state writer that returned a promise would run its
 * awaited part after the commit, outside the transaction. That is a bug in the writer, so say so.
 */
function synchronously<T>(value: T | Promise<T>): T {
  if (value instanceof Promise) {
    void value.catch(() => undefined);
    throw new Error('a SQLite state writer returned a promise; it must write synchronously inside the transaction');
  }
  return value;
}
