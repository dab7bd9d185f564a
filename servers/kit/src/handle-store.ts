/**
 * Where handle rows live: the narrow async interface `Handles` uses, implemented for SQLite
 * (sqlite-handle-store.ts) and PostgreSQL (postgres-handle-store.ts), and the table both create.
 * Three rules live in the statements, not in JavaScript: the quota check and the insert cannot be
 * raced; a handle with a call in flight (an unexpired lease) is never overdue; and a handle's own
 * rows (a cart, a workspace) are written and deleted in the same transaction as its handle row.
 */
import type { Migration } from './migrations.js';
import type { Queryable } from './statement.js';

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
 * process's one connection inside a synchronous transaction, so state writers must not await;
 * on PostgreSQL it is one connection's transaction, to run the writer's statements on.
 */
export type StoreTx = { readonly dialect: 'sqlite' } | { readonly dialect: 'postgres'; readonly db: Queryable };

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

export const handleMigrations: Migration[] = [
  {
    id: 'kit-001-handles',
    sqlite: `
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
    postgres: `
      CREATE TABLE handles (
        id            TEXT PRIMARY KEY,
        kind          TEXT NOT NULL,
        principal     TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('live', 'expired', 'destroyed')),
        created_at    BIGINT NOT NULL,
        last_used_at  BIGINT NOT NULL,
        expires_at    BIGINT NOT NULL,
        idle_ttl_ms   BIGINT NOT NULL,
        ended_at      BIGINT
      );
      CREATE INDEX handles_owner ON handles (principal, kind, status);
      CREATE INDEX handles_status ON handles (status, ended_at);`,
  },
  {
    // Calls in flight, so that no instance's sweeper ends a handle while a call on it runs.
    id: 'kit-002-calls-in-flight',
    sqlite: `
      ALTER TABLE handles ADD COLUMN calls_in_flight INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE handles ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;`,
    postgres: `
      ALTER TABLE handles ADD COLUMN calls_in_flight INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE handles ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;`,
  },
];

/** A handle row as both stores return it. */
export interface HandleRow {
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

export const fromHandleRow = (row: HandleRow): HandleRecord => ({
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
