/**
 * The handle store on SQLite: every rule is one statement (the quota check inside the insert,
 * a lease that keeps a handle from being overdue), and a handle's own rows are written and freed
 * inside its synchronous IMMEDIATE transaction.
 */
import type { Database } from 'better-sqlite3';
import {
  fromHandleRow,
  type HandleRecord,
  type HandleRow,
  type HandleStatus,
  type HandleStore,
  type StateWriter,
  type StoreTx,
} from './handle-store.js';

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
      get: db.prepare<[string], HandleRow>(`SELECT * FROM handles WHERE id = ?`),
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
      listLive: db.prepare<{ principal: string; kind: string; now: number }, HandleRow>(
        `SELECT * FROM handles WHERE principal = @principal AND kind = @kind AND ${LIVE_AT} ORDER BY created_at, id`,
      ),
      expireOverdue: db.prepare<{ now: number; limit: number }, HandleRow>(`
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
    return row && fromHandleRow(row);
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
    return this.statements.listLive.all({ principal, kind, now }).map(fromHandleRow);
  }

  async expireOverdue(
    now: number,
    limit: number,
    removeState: (tx: StoreTx, record: HandleRecord) => void | Promise<void>,
  ): Promise<HandleRecord[]> {
    return this.db
      .transaction(() => {
        const expired = this.statements.expireOverdue.all({ now, limit }).map(fromHandleRow);
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
