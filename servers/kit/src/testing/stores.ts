/**
 * The same tests against both stores: SQLite always, PostgreSQL when `TEST_DATABASE_URL` names a
 * server (`npm test` starts one when PostgreSQL is installed). Each server under test gets a
 * schema of its own there, dropped afterwards. And the two SQL dialects' spellings of what tests
 * need: run SQL, read rows, make a write fail (to show that nothing half-done is kept).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { StoreTx } from '../handle-store.js';
import type { Migration } from '../migrations.js';
import { quoteIdent } from '../postgres.js';
import { statement } from '../statement.js';
import { openStore, type Store } from '../store.js';
import { tempDir } from './processes.js';

export type StoreDialect = Store['dialect'];

/** The dialects this run tests: both when TEST_DATABASE_URL is set, else SQLite only. */
export function testStores(): StoreDialect[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** Settings that put a server on `dialect`: nothing for SQLite, a fresh schema for PostgreSQL. */
export function storeEnv(dialect: StoreDialect, name: string): Record<string, string> {
  if (dialect === 'sqlite') return {};
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: there is no PostgreSQL to test against');
  return { DATABASE_URL: url, DATABASE_SCHEMA: `t_${name}_${randomBytes(5).toString('hex')}` };
}

export interface TestStore {
  store: Store;
  /** Where a store's state writers run when a test calls them directly (outside a handle's transaction). */
  tx: StoreTx;
  /** Opens the same store again, as a second instance would. */
  reopen(): Promise<Store>;
  close(): Promise<void>;
}

/** A fresh store of `dialect` with `migrations` applied: a SQLite file in a temporary directory, or a schema. */
export async function openTestStore(
  dialect: StoreDialect,
  name: string,
  migrations: readonly Migration[],
): Promise<TestStore> {
  const dir = tempDir(`${name}-store-`);
  const env = storeEnv(dialect, name);
  const config = {
    DATA_DIR: dir.path,
    DATABASE_URL: env.DATABASE_URL,
    DATABASE_SCHEMA: env.DATABASE_SCHEMA,
    DATABASE_POOL_SIZE: 8,
    DATABASE_POOL_WAIT: 10_000,
    DATABASE_STATEMENT_TIMEOUT: 30_000,
  };
  const opened: Store[] = [];
  const reopen = async () => {
    const store = await openStore(name, config, migrations);
    opened.push(store);
    return store;
  };
  const store = await reopen();
  return {
    store,
    tx: store.dialect === 'postgres' ? { dialect: 'postgres', db: store } : { dialect: 'sqlite' },
    reopen,
    async close() {
      for (const each of opened) await each.close();
      dir.remove();
      if (env.DATABASE_URL && env.DATABASE_SCHEMA) await dropSchema(env.DATABASE_URL, env.DATABASE_SCHEMA);
    },
  };
}

/** Drops a test schema and everything in it (a server's tables), on the server `url` names. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs SQL text on a store (DDL, a test's set-up). */
export async function execSql(store: Store, text: string): Promise<void> {
  if (store.dialect === 'sqlite') store.db.exec(text);
  else await store.exec(text);
}

/** Rows of a query without parameters. */
export async function rows<R = Record<string, unknown>>(store: Store, text: string): Promise<R[]> {
  if (store.dialect === 'sqlite') return store.db.prepare(text).all() as R[];
  return store.query<R>(statement(text));
}

/**
 * Makes every `op` on `table` (matching `when`, an SQL condition on NEW or OLD) fail with
 * `message`, as a full disk or a lost connection would; returns the way back.
 */
export async function failWrites(
  store: Store,
  options: { table: string; op: 'INSERT' | 'UPDATE' | 'DELETE'; when?: string; message?: string },
): Promise<() => Promise<void>> {
  const name = `fail_${options.table}_${options.op.toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const message = (options.message ?? 'the test made this write fail').replaceAll("'", "''");
  if (store.dialect === 'sqlite') {
    const when = options.when ? `WHEN ${options.when}` : '';
    store.db.exec(
      `CREATE TRIGGER ${name} BEFORE ${options.op} ON ${options.table} ${when} BEGIN SELECT RAISE(ABORT, '${message}'); END`,
    );
    return async () => void store.db.exec(`DROP TRIGGER ${name}`);
  }
  const when = options.when ? `WHEN (${options.when})` : '';
  await store.exec(`
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$;
    CREATE TRIGGER ${name} BEFORE ${options.op} ON ${options.table} FOR EACH ROW ${when} EXECUTE FUNCTION ${name}();`);
  return async () => store.exec(`DROP TRIGGER ${name} ON ${options.table}; DROP FUNCTION ${name}();`);
}

/**
 * Makes the first `op` on `table` take as long as the test wants: `during()` runs while that write
 * is still in progress (then the write goes on). On SQLite the trigger calls `during` itself; on
 * PostgreSQL the write waits on a lock the test holds until a watcher has seen it waiting and run
 * `during`. Returns the way back.
 */
export async function slowWrites(
  store: Store,
  options: { table: string; op: 'INSERT' | 'UPDATE' | 'DELETE' },
  during: () => void,
): Promise<() => Promise<void>> {
  const name = `slow_${options.table}_${randomBytes(3).toString('hex')}`;
  let fired = false;
  const once = () => {
    if (fired) return;
    fired = true;
    during();
  };
  if (store.dialect === 'sqlite') {
    store.db.function(name, () => {
      once();
      return null;
    });
    store.db.exec(`CREATE TRIGGER ${name} AFTER ${options.op} ON ${options.table} BEGIN SELECT ${name}(); END`);
    return async () => void store.db.exec(`DROP TRIGGER ${name}`);
  }
  // The test holds an advisory lock; the trigger waits for it, so the write stays in progress.
  const key = Math.floor(Math.random() * 2 ** 31);
  await store.exec(`
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_lock(${key}); PERFORM pg_advisory_unlock(${key}); RETURN NULL; END $$;
    CREATE TRIGGER ${name} AFTER ${options.op} ON ${options.table} FOR EACH ROW EXECUTE FUNCTION ${name}();`);
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holding = store.session(async (db) => {
    await db.query(statement(`SELECT pg_advisory_lock(${key})`));
    locked();
    await released;
    await db.query(statement(`SELECT pg_advisory_unlock(${key})`));
  });
  await isLocked;
  const waiting = statement(
    `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`,
  );
  const watcher = (async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [row] = await store.query<{ n: number }>(waiting, [key]);
      if (row && row.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    once();
    release();
  })();
  return async () => {
    release();
    await Promise.all([holding, watcher]);
    await store.exec(`DROP TRIGGER ${name} ON ${options.table}; DROP FUNCTION ${name}();`);
  };
}

/** A PostgreSQL write held in the middle of its transaction, for tests of what races it. */
export interface PausedWrites {
  /** Resolves once a matching write is waiting (its row written, its transaction still open). */
  paused(): Promise<void>;
  /** Resolves once `settled` has settled or some other transaction waits on a lock, whichever comes first. */
  blockedOr(settled: Promise<unknown>): Promise<void>;
  /** Lets the held write go on. */
  release(): Promise<void>;
  /** Removes the trigger (after release). */
  undo(): Promise<void>;
}

/**
 * Holds every `op` on `table` matching `when` (on PostgreSQL only) right after its row is written,
 * until `release()`: a transaction stopped half-way, so a test can run another against it.
 */
export async function pauseWrites(
  store: Store,
  options: { table: string; op: 'INSERT' | 'UPDATE' | 'DELETE'; when?: string },
): Promise<PausedWrites> {
  if (store.dialect !== 'postgres') throw new Error('pauseWrites needs PostgreSQL: SQLite runs one writer at a time');
  const name = `pause_${options.table}_${randomBytes(3).toString('hex')}`;
  const key = Math.floor(Math.random() * 2 ** 31);
  await store.exec(`
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_lock(${key}); PERFORM pg_advisory_unlock(${key}); RETURN NULL; END $$;
    CREATE TRIGGER ${name} AFTER ${options.op} ON ${options.table} FOR EACH ROW
      ${options.when ? `WHEN (${options.when})` : ''} EXECUTE FUNCTION ${name}();`);
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holding = store.session(async (db) => {
    await db.query(statement(`SELECT pg_advisory_lock(${key})`));
    locked();
    await released;
    await db.query(statement(`SELECT pg_advisory_unlock(${key})`));
  });
  await isLocked;
  const waiters = statement(`
    SELECT count(*) FILTER (WHERE locktype = 'advisory' AND objid = $1) AS held,
           count(*) FILTER (WHERE locktype <> 'advisory') AS others
    FROM pg_locks WHERE NOT granted`);
  const until = async (done: (row: { held: number; others: number }) => boolean, settled?: Promise<unknown>) => {
    let finished = false;
    void settled?.finally(() => (finished = true));
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && !finished;) {
      const [row] = await store.query<{ held: number; others: number }>(waiters, [key]);
      if (row && done(row)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return {
    paused: () => until((row) => row.held > 0),
    blockedOr: (settled) => until((row) => row.others > 0, settled),
    async release() {
      release();
      await holding;
    },
    async undo() {
      release();
      await holding;
      await store.exec(`DROP TRIGGER ${name} ON ${options.table}; DROP FUNCTION ${name}();`);
    },
  };
}
