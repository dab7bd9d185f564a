/**
 * The networked store: PostgreSQL through a `pg` pool, for deployments whose instances do not
 * share a disk. Each server keeps its tables in its own schema (`DATABASE_SCHEMA`, the server's
 * name by default); numbered migrations run once under an advisory lock however many instances
 * start together. Every wait is bounded (a free connection, a statement), and a store that cannot
 * answer raises a `StoreUnavailableError` that says whether the call's writes may have happened.
 */
import type pg from 'pg';
import { ConfigError } from './config.js';
import type { Migration } from './migrations.js';
import type { Queryable, Statement } from './statement.js';

export interface PostgresSettings {
  /** DATABASE_URL; missing parts come from the libpq variables (PGHOST, PGPORT, ...). */
  url: string | undefined;
  schema: string;
  poolSize: number;
  /** Longest a call waits for a free connection before it is refused as busy. */
  poolWaitMs: number;
  /** Longest one statement may run; the database cancels it after that. */
  statementTimeoutMs: number;
  /** An idle connection failed (the server restarted); the pool drops it, this is told. */
  onIdleError?: (error: Error) => void;
}

/** The store could not answer: down, restarting, or every connection busy for too long. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(
    readonly kind: 'unavailable' | 'busy',
    /** false: nothing the call wrote happened; 'unknown': the connection broke while committing. */
    readonly applied: false | 'unknown',
    message: string,
  ) {
    super(message);
  }
}

// BIGINT columns (times in ms, counts) as numbers: every value here is far below 2^53.
const INT8 = 20;
const typesOf = (driver: typeof pg) => ({
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (value: string) => Number(value) : driver.types.getTypeParser(oid, format),
});

// Deadlocks and serialization failures roll the transaction back whole: running it again is safe.
const RETRYABLE = new Set(['40P01', '40001']);
/**
 * The database cancels a statement at the statement timeout, but only while it still answers: a
 * server that stopped answering (frozen, partitioned away) would hold a call for ever. So this
 * process gives up this long after the statement timeout, and drops the connection.
 */
export const QUERY_TIMEOUT_MARGIN_MS = 5_000;
const TRANSACTION_ATTEMPTS = 4;

export class Postgres implements Queryable {
  readonly dialect = 'postgres' as const;

  constructor(
    private readonly pool: pg.Pool,
    /** `host:port/database`, for messages; never the password. */
    readonly target: string,
  ) {}

  async query<R>(sql: Statement, values: readonly unknown[] = []): Promise<R[]> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.unavailable(error, false);
    }
    let broken: Error | undefined;
    try {
      return (await client.query({ name: sql.name, text: sql.text, values: [...values] })).rows as R[];
    } catch (error) {
      const translated = this.translate(error, 'unknown');
      if (translated instanceof StoreUnavailableError) broken = error as Error;
      throw translated;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs `work` in one transaction on one connection; retried whole on a deadlock. A read-only
   * one reads one snapshot throughout (REPEATABLE READ), so several queries agree.
   */
  async transaction<T>(work: (tx: Queryable) => Promise<T>, options: { readOnly?: boolean } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw this.unavailable(error, false);
      }
      let committing = false;
      let broken: Error | undefined;
      try {
        await client.query(options.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
        const tx: Queryable = {
          query: async <R>(sql: Statement, values: readonly unknown[] = []) =>
            (await client.query({ name: sql.name, text: sql.text, values: [...values] })).rows as R[],
        };
        const result = await work(tx);
        committing = true;
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that is gone or not answering cannot roll back: dropping it does, on the server.
        if (!committing && !isConnectionError(error)) {
          await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        } else broken = error as Error;
        if (RETRYABLE.has((error as { code?: string }).code ?? '') && attempt < TRANSACTION_ATTEMPTS) continue;
        // Before COMMIT, a broken connection rolls the transaction back; during it, who knows.
        throw this.translate(error, committing ? 'unknown' : false);
      } finally {
        client.release(broken);
      }
    }
  }

  /** Runs `work` on one connection held for its whole duration, outside any transaction. */
  async session<T>(work: (db: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(directly(client));
    } finally {
      client.release();
    }
  }

  /** Runs SQL text as it is (several statements allowed, no parameters): DDL, or a test's set-up. */
  async exec(text: string): Promise<void> {
    await this.pool.query(text);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Database errors that mean "not now" become StoreUnavailableError; the rest (bugs) pass. */
  private translate(error: unknown, applied: false | 'unknown'): unknown {
    if (error instanceof StoreUnavailableError) return error;
    const code = (error as { code?: string }).code ?? '';
    if (code === '57014') {
      return new StoreUnavailableError('busy', false, `a statement ran past the statement timeout at ${this.target}`);
    }
    if (code === '53300') return new StoreUnavailableError('busy', false, `${this.target} has no free connection`);
    if (/^(08|57P)/.test(code) || isConnectionError(error)) return this.unavailable(error, applied);
    return error;
  }

  private unavailable(error: unknown, applied: false | 'unknown'): StoreUnavailableError {
    const message = (error as Error).message ?? String(error);
    if (/timeout exceeded when trying to connect/i.test(message)) {
      return new StoreUnavailableError('busy', false, `every connection to ${this.target} stayed busy`);
    }
    return new StoreUnavailableError('unavailable', applied, `${this.target}: ${message}`);
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'].includes(code) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|Query read timeout/i.test(
      message,
    )
  );
}

/**
 * Connects, creates the schema and applies the migrations (once, under an advisory lock), or
 * stops start-up with a ConfigError that names DATABASE_URL and what was tried.
 */
export async function openPostgres(settings: PostgresSettings, migrations: readonly Migration[]): Promise<Postgres> {
  // Loaded here, not on import: a server on the embedded SQLite store never pays for the driver.
  const { default: pg } = await import('pg');
  const probe = new pg.Client({ connectionString: settings.url });
  const target = `${probe.host}:${probe.port}/${probe.database}`;
  const tried = `PostgreSQL at ${probe.host}, port ${probe.port}, database "${probe.database}", user "${probe.user}"`;
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.poolSize,
    connectionTimeoutMillis: settings.poolWaitMs,
    query_timeout: settings.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
    idleTimeoutMillis: 30_000,
    types: typesOf(pg),
    options: `-c search_path=${quoteIdent(settings.schema)} -c statement_timeout=${settings.statementTimeoutMs}`,
  });
  // An idle connection the server closed (a restart) must not crash the process; the pool drops it.
  pool.on('error', (error) => settings.onIdleError?.(error));
  // A connection cut while a call holds it (a restart) emits 'error' between two of its queries,
  // where nothing else listens, and an unheard 'error' ends the process. The call learns of it
  // from its next query, which fails as STORE_UNAVAILABLE; the pool then drops the connection.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await migrate(pool, settings.schema, migrations);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new ConfigError(`DATABASE_URL: could not use ${tried}: ${(error as Error).message}`);
  }
  return new Postgres(pool, target);
}

async function migrate(pool: pg.Pool, schema: string, migrations: readonly Migration[]): Promise<void> {
  const client = await pool.connect();
  const lock = `sessionless-migrations:${schema}`;
  try {
    // One instance migrates; the others wait here, then find every migration applied.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`,
    );
    for (const migration of migrations) {
      const { rowCount } = await client.query('SELECT 1 FROM schema_migrations WHERE id = $1', [migration.id]);
      if (rowCount) continue;
      if (!migration.postgres) throw new Error(`migration ${migration.id} has no PostgreSQL version`);
      await client.query('BEGIN');
      try {
        if (typeof migration.postgres === 'string') await client.query(migration.postgres);
        else await migration.postgres(directly(client));
        await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [
          migration.id,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
    client.release();
  }
}

function directly(client: pg.PoolClient): Queryable {
  return {
    query: async <R>(sql: Statement, values: readonly unknown[] = []) =>
      (await client.query({ name: sql.name, text: sql.text, values: [...values] })).rows as R[],
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
