/**
 * The handle store on PostgreSQL. The same rules as SQLite's, with the races its single writer
 * hid handled explicitly: creates by one principal of one kind take an advisory lock before they
 * count, so two instances cannot both slip under the quota; sweepers on several instances skip
 * each other's rows (`FOR UPDATE SKIP LOCKED`); a lease or an end is a conditional UPDATE.
 */
import {
  fromHandleRow,
  type HandleRecord,
  type HandleRow,
  type HandleStatus,
  type HandleStore,
  type StateWriter,
  type StoreTx,
} from './handle-store.js';
import type { Postgres } from './postgres.js';
import { statement } from './statement.js';

/** The rules as SQL; `$1` is always "now". */
const IN_FLIGHT = `(calls_in_flight > 0 AND lease_until > $1)`;
const WITHIN_DEADLINES = `(expires_at > $1 AND last_used_at + idle_ttl_ms > $1)`;
const LIVE_AT = `(status = 'live' AND (${IN_FLIGHT} OR ${WITHIN_DEADLINES}))`;
const OVERDUE_AT = `(status = 'live' AND NOT ${IN_FLIGHT} AND NOT ${WITHIN_DEADLINES})`;

const SQL = {
  lockOwner: statement(`SELECT pg_advisory_xact_lock(hashtext($1))`),
  insert: statement(`
    INSERT INTO handles (id, kind, principal, status, created_at, last_used_at, expires_at, idle_ttl_ms,
                         calls_in_flight, lease_until)
    SELECT $2, $3, $4, 'live', $1, $5, $6, $7, $8, $9
    WHERE (SELECT count(*) FROM handles WHERE principal = $4 AND kind = $3 AND ${LIVE_AT}) < $10
    RETURNING id`),
  get: statement(`SELECT * FROM handles WHERE id = $1`),
  begin: statement(`
    UPDATE handles SET
      calls_in_flight = CASE WHEN lease_until > $1 THEN calls_in_flight + 1 ELSE 1 END,
      lease_until = GREATEST(lease_until, $3)
    WHERE id = $2 AND ${LIVE_AT}
    RETURNING id`),
  finish: statement(`
    UPDATE handles SET calls_in_flight = GREATEST(calls_in_flight - 1, 0), last_used_at = GREATEST(last_used_at, $2)
    WHERE id = $1 AND status = 'live'`),
  touch: statement(`UPDATE handles SET last_used_at = GREATEST(last_used_at, $2) WHERE id = $1 AND status = 'live'`),
  end: statement(`UPDATE handles SET status = $2, ended_at = $3 WHERE id = $1 AND status = 'live' RETURNING id`),
  listLive: statement(
    `SELECT * FROM handles WHERE principal = $2 AND kind = $3 AND ${LIVE_AT} ORDER BY created_at, id`,
  ),
  expireOverdue: statement(`
    UPDATE handles SET status = 'expired', ended_at = $1
    WHERE id IN (SELECT id FROM handles WHERE ${OVERDUE_AT} LIMIT $2 FOR UPDATE SKIP LOCKED)
    RETURNING *`),
  purge: statement(`
    WITH gone AS (
      DELETE FROM handles WHERE id IN (
        SELECT id FROM handles WHERE status != 'live' AND ended_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING 1)
    SELECT count(*) AS n FROM gone`),
  countLive: statement(`SELECT kind, count(*) AS n FROM handles WHERE ${LIVE_AT} GROUP BY kind`),
};

export class PostgresHandleStore implements HandleStore {
  constructor(private readonly db: Postgres) {}

  async insertWithinQuota<T>(record: HandleRecord, quota: number, createState: StateWriter<T>) {
    return this.db.transaction(async (tx) => {
      // Creates by one principal of one kind queue here, so each counts the others' handles.
      await tx.query(SQL.lockOwner, [`${record.kind}:${record.principal}`]);
      const inserted = await tx.query(SQL.insert, [
        record.createdAt,
        record.id,
        record.kind,
        record.principal,
        record.lastUsedAt,
        record.expiresAt,
        record.idleTtlMs,
        record.callsInFlight,
        record.leaseUntil,
        quota,
      ]);
      if (inserted.length !== 1) return { inserted: false as const };
      const state = await createState({ dialect: 'postgres', db: tx });
      return { inserted: true as const, state };
    });
  }

  async get(id: string): Promise<HandleRecord | undefined> {
    const [row] = await this.db.query<HandleRow>(SQL.get, [id]);
    return row && fromHandleRow(row);
  }

  async begin(id: string, now: number, leaseUntil: number): Promise<boolean> {
    return (await this.db.query(SQL.begin, [now, id, leaseUntil])).length === 1;
  }

  async finish(id: string, now: number): Promise<void> {
    await this.db.query(SQL.finish, [id, now]);
  }

  async touch(id: string, now: number): Promise<void> {
    await this.db.query(SQL.touch, [id, now]);
  }

  async end(id: string, status: Exclude<HandleStatus, 'live'>, now: number, removeState: StateWriter<void>) {
    return this.db.transaction(async (tx) => {
      if ((await tx.query(SQL.end, [id, status, now])).length !== 1) return false;
      await removeState({ dialect: 'postgres', db: tx });
      return true;
    });
  }

  async listLive(principal: string, kind: string, now: number): Promise<HandleRecord[]> {
    return (await this.db.query<HandleRow>(SQL.listLive, [now, principal, kind])).map(fromHandleRow);
  }

  async expireOverdue(
    now: number,
    limit: number,
    removeState: (tx: StoreTx, record: HandleRecord) => void | Promise<void>,
  ): Promise<HandleRecord[]> {
    return this.db.transaction(async (tx) => {
      const expired = (await tx.query<HandleRow>(SQL.expireOverdue, [now, limit])).map(fromHandleRow);
      for (const record of expired) await removeState({ dialect: 'postgres', db: tx }, record);
      return expired;
    });
  }

  async purgeTombstones(before: number, limit: number): Promise<number> {
    const [purged] = await this.db.query<{ n: number }>(SQL.purge, [before, limit]);
    return purged?.n ?? 0;
  }

  async countLive(now: number): Promise<Map<string, number>> {
    const rows = await this.db.query<{ kind: string; n: number }>(SQL.countLive, [now]);
    return new Map(rows.map((row) => [row.kind, row.n]));
  }
}
