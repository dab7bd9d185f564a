/**
 * The handle life cycle against each store (a real SQLite file; a real PostgreSQL when the run
 * has one) and an injected clock: ids, binding, refusals, idle and absolute expiry (and which one
 * the error names), calls in flight that no sweep may end, the idle clock restarting when a call
 * ends, quotas, tombstones, and a kind's own rows created and freed in the handle's transaction.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DomainError,
  Handles,
  handleMigrations,
  openStore,
  PostgresHandleStore,
  SqliteHandleStore,
  startCall,
  statement,
  type HandleKind,
  type HandleRecord,
  type Migration,
  type Store,
  type StoreTx,
} from '../src/index.js';
import {
  dropSchema,
  failWrites,
  rows,
  storeEnv,
  tempDir,
  testClock,
  testStores,
  type StoreDialect,
  type TestClock,
} from '../src/testing/index.js';

const migrations: Migration[] = [
  ...handleMigrations,
  {
    id: 'test-001-widgets',
    sqlite: `CREATE TABLE widgets (id TEXT PRIMARY KEY, color TEXT NOT NULL) STRICT`,
    postgres: `CREATE TABLE widgets (id TEXT PRIMARY KEY, color TEXT NOT NULL)`,
  },
];
const WIDGET_NAMES = {
  prefix: 'wdg',
  noun: 'widget',
  createTool: 'widget_create',
  listTool: 'widget_list',
  idArgument: 'widget_id',
};
const DELETE_WIDGET = statement(`DELETE FROM widgets WHERE id = $1`);
const INSERT_WIDGET = statement(`INSERT INTO widgets (id, color) VALUES ($1, $2)`);

describe.each(testStores())('handles on %s', (dialect: StoreDialect) => {
  let dir: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  let store: Store;
  let clock: TestClock;
  let released: string[];
  let handles: Handles;
  let widget: HandleKind;

  const open = (): Promise<Store> =>
    openStore(
      'handles',
      {
        DATA_DIR: dir.path,
        DATABASE_URL: env.DATABASE_URL,
        DATABASE_SCHEMA: env.DATABASE_SCHEMA,
        DATABASE_POOL_SIZE: 4,
        DATABASE_POOL_WAIT: 5_000,
        DATABASE_STATEMENT_TIMEOUT: 15_000,
      },
      migrations,
    );
  const handlesOn = (on: Store, now: () => number) =>
    new Handles({
      store: on.dialect === 'postgres' ? new PostgresHandleStore(on) : new SqliteHandleStore(on.db),
      now,
      tombstoneMs: 60_000,
      callLeaseMs: 600_000,
    });

  beforeEach(async () => {
    dir = tempDir();
    env = storeEnv(dialect, 'handles');
    store = await open();
    clock = testClock();
    released = [];
    handles = handlesOn(store, clock.now);
    widget = {
      ...WIDGET_NAMES,
      idleTtlMs: 60_000,
      absoluteTtlMs: 3_600_000,
      quotaPerPrincipal: 3,
      state: {
        remove: (tx, handle) => writeWidget(tx, DELETE_WIDGET, [handle.id]),
        release: async (handle) => void released.push(handle.id),
      },
    };
    handles.register(widget);
  });

  afterEach(async () => {
    await store.close();
    dir.remove();
    if (env.DATABASE_URL) await dropSchema(env.DATABASE_URL, env.DATABASE_SCHEMA!);
  });

  /** A widget row written in the handle's transaction, in either dialect. */
  function writeWidget(tx: StoreTx, sql: typeof DELETE_WIDGET, values: string[]): void | Promise<void> {
    if (tx.dialect === 'postgres') return tx.db.query(sql, values).then(() => undefined);
    if (store.dialect === 'sqlite') store.db.prepare(sql.text.replace(/\$\d/g, '?')).run(...values);
  }

  /** One whole call: create or resolve inside it, then end it (the idle clock restarts now). */
  async function inCall<T>(principal: string, work: (call: ReturnType<typeof startCall>) => Promise<T>): Promise<T> {
    const call = startCall(principal);
    try {
      return await work(call);
    } finally {
      await call.end();
    }
  }

  const create = (principal = 'alice', kind = widget) =>
    inCall(principal, async (call) => (await handles.create(kind, call)).handle);
  const resolve = (id: string, principal = 'alice') =>
    inCall(principal, (call) => handles.resolveOrThrow(widget, call, id));
  const widgets = () => rows(store, `SELECT id FROM widgets`);
  const handleRows = () => rows(store, `SELECT id, status FROM handles`);

  async function refusal(promise: Promise<unknown>): Promise<DomainError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  describe('handles', () => {
    it('mints opaque ids: the prefix plus 22 base64url characters (128 random bits), all distinct', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 3; i++) ids.add((await create(`user-${i}`)).id);
      for (const id of ids) expect(id).toMatch(/^wdg_[A-Za-z0-9_-]{22}$/);
      expect(ids.size).toBe(3);
    });

    it('resolves a live handle for its owner, and each call restarts the idle clock when it ends', async () => {
      const { id } = await create();
      clock.advance(50_000);
      await resolve(id);
      clock.advance(50_000); // 100 s after creation but only 50 s after the last call ended: still live
      expect((await resolve(id)).principal).toBe('alice');
    });

    it("answers another principal's handle exactly like one that never existed", async () => {
      const { id } = await create();
      const stolen = await refusal(resolve(id, 'mallory'));
      const neverExisted = `wdg_${'A'.repeat(22)}`;
      const unknown = await refusal(resolve(neverExisted, 'mallory'));
      expect(stolen.code).toBe('HANDLE_NOT_FOUND');
      expect(unknown.code).toBe('HANDLE_NOT_FOUND');
      expect(stolen.message.replace(id, '<id>')).toBe(unknown.message.replace(neverExisted, '<id>'));
    });

    it('refuses malformed, truncated and other-kind ids with the rule they broke', async () => {
      const { id } = await create();
      expect((await refusal(resolve(id.slice(0, -1)))).code).toBe('HANDLE_MALFORMED');
      expect((await refusal(resolve('hello'))).message).toContain('"wdg_" followed by 22 characters');
      const other = await refusal(resolve(`cart_${id.slice(4)}`));
      expect(other.code).toBe('HANDLE_WRONG_KIND');
      expect(other.message).toContain('not a widget id');
    });

    it('an idle handle expires: the error says it was unused for the idle TTL, names the create tool, and frees the state once', async () => {
      const { id } = await create();
      clock.advance(60_001);
      const error = await refusal(resolve(id));
      expect(error.code).toBe('HANDLE_EXPIRED');
      expect(error.message).toBe(
        `Widget ${id} has expired: it was unused for 1 min; call widget_create to start a new widget.`,
      );
      await refusal(resolve(id));
      expect(released).toEqual([id]);
    });

    it('a handle used all along expires at its absolute lifetime, and the error says so', async () => {
      const { id } = await create();
      for (let t = 0; t < 65; t++) {
        clock.advance(55_000);
        await resolve(id);
      }
      clock.advance(55_000); // 3,630 s after creation, 55 s after the last call
      const error = await refusal(resolve(id));
      expect(error.code).toBe('HANDLE_EXPIRED');
      expect(error.message).toBe(
        `Widget ${id} has expired: it reached its 1 h lifetime; call widget_create to start a new widget.`,
      );
    });

    it('a handle with a call in flight is not swept, even long past its idle TTL; it lapses once the call has ended', async () => {
      const { id } = await create();
      const call = startCall('alice');
      await handles.resolveOrThrow(widget, call, id);
      clock.advance(5 * 60_000); // five idle TTLs while the call runs
      expect(await handles.sweep()).toEqual({ expired: 0, purged: 0 });
      expect((await resolve(id)).id).toBe(id); // another call on it meanwhile is served too
      await call.end();
      clock.advance(59_000);
      expect((await handles.sweep()).expired).toBe(0); // the idle clock restarted when the call ended
      clock.advance(2_000);
      expect((await handles.sweep()).expired).toBe(1);
      expect((await refusal(resolve(id))).message).toMatch(/unused for 1 min/);
    });

    it("a call in flight on one instance stops another instance's sweeper too: the lease is in the store", async () => {
      const { id } = await create();
      clock.advance(30_000);
      const call = startCall('alice');
      await handles.resolveOrThrow(widget, call, id);
      const otherStore = await open();
      try {
        const other = handlesOn(otherStore, clock.now);
        clock.advance(5 * 60_000);
        expect((await other.sweep()).expired).toBe(0);
        await call.end();
        clock.advance(61_000);
        expect((await other.sweep()).expired).toBe(1);
      } finally {
        await otherStore.close();
      }
    });

    it('a call in flight outlives the absolute deadline; the handle ends once the call is over', async () => {
      const { id } = await create();
      for (let t = 0; t < 65; t++) {
        clock.advance(55_000);
        await resolve(id);
      }
      const call = startCall('alice'); // 25 s before the 1 h lifetime ends
      await handles.resolveOrThrow(widget, call, id);
      clock.advance(50_000);
      expect((await handles.sweep()).expired).toBe(0);
      await call.end();
      expect((await handles.sweep()).expired).toBe(1);
      expect((await refusal(resolve(id))).message).toMatch(/reached its 1 h lifetime/);
    });

    it('a create that outlasts the idle TTL returns a live handle whose idle clock starts when the create ends', async () => {
      const call = startCall('alice');
      const { handle } = await handles.create(widget, call);
      clock.advance(3 * 60_000); // a slow launch
      expect((await handles.sweep()).expired).toBe(0);
      await call.end();
      expect((await resolve(handle.id)).id).toBe(handle.id);
    });

    it("a crashed instance's lease lapses: the handle is swept after the lease, not kept forever", async () => {
      const { id } = await create();
      await handles.resolveOrThrow(widget, startCall('alice'), id); // a call that never ends
      clock.advance(599_000);
      expect((await handles.sweep()).expired).toBe(0);
      clock.advance(2_000);
      expect((await handles.sweep()).expired).toBe(1);
    });

    it('forgets tombstones after their retention: expired becomes not found', async () => {
      const { id } = await create();
      clock.advance(120_000);
      expect(await handles.sweep()).toEqual({ expired: 1, purged: 0 });
      expect((await refusal(resolve(id))).code).toBe('HANDLE_EXPIRED');
      clock.advance(61_000);
      expect((await handles.sweep()).purged).toBe(1);
      expect((await refusal(resolve(id))).code).toBe('HANDLE_NOT_FOUND');
    });

    it('destroy ends the handle, frees its state and says destroyed afterwards', async () => {
      const { id } = await create();
      await inCall('alice', (call) => handles.destroy(widget, call, id));
      expect(released).toEqual([id]);
      expect((await refusal(resolve(id))).code).toBe('HANDLE_DESTROYED');
      expect((await refusal(inCall('mallory', (call) => handles.destroy(widget, call, id)))).code).toBe(
        'HANDLE_NOT_FOUND',
      );
    });

    it("lists only the caller's live handles of the kind", async () => {
      const a1 = await create();
      const a2 = await create();
      await create('bob');
      await create('alice', { ...widget, prefix: 'gdg' });
      await inCall('alice', (call) => handles.destroy(widget, call, a2.id));
      expect((await handles.listMine(widget, 'alice')).map((h) => h.id)).toEqual([a1.id]);
    });

    it('enforces the per-principal quota, counting only live handles, without affecting others', async () => {
      const made: HandleRecord[] = [];
      for (let i = 0; i < 3; i++) made.push(await create());
      const error = await refusal(create());
      expect(error.code).toBe('QUOTA_EXCEEDED');
      expect(error.message).toContain('widget_list');
      await create('bob');
      await inCall('alice', (call) => handles.destroy(widget, call, made[0]!.id));
      await create();
    });

    it('the sweeper expires idle handles in batches and reports what it freed', async () => {
      const many = { ...widget, quotaPerPrincipal: 1_000 };
      for (let i = 0; i < 250; i++) await create('alice', many);
      const kept = await create('alice', { ...many, idleTtlMs: 600_000 });
      clock.advance(90_000);
      expect((await handles.sweep()).expired).toBe(250);
      expect(released).toHaveLength(250);
      expect(released).not.toContain(kept.id);
      expect((await handles.countLive()).get('wdg')).toBe(1);
    });
  });

  describe('a handle and its own rows', () => {
    const createWithWidget = (principal: string, color: string) =>
      inCall(principal, async (call) => {
        const { handle } = await handles.create(widget, call, (tx, handle) =>
          writeWidget(tx, INSERT_WIDGET, [handle.id, color]),
        );
        return handle;
      });

    it('are written in one transaction: when the second write fails, no handle row, no quota use and no orphan row remain', async () => {
      await failWrites(store, { table: 'widgets', op: 'INSERT', when: "NEW.color = 'red'", message: 'no red' });
      for (let i = 0; i < 3; i++) await expect(createWithWidget('alice', 'red')).rejects.toThrow(/no red/);
      expect(await handleRows()).toEqual([]);
      expect(await widgets()).toEqual([]);
      // The quota (3) is untouched by the three failed creates.
      for (let i = 0; i < 3; i++) await createWithWidget('alice', 'blue');
      expect(await widgets()).toHaveLength(3);
      expect((await refusal(createWithWidget('alice', 'blue'))).code).toBe('QUOTA_EXCEEDED');
    });

    it('are freed in one transaction: when deleting the rows fails, the handle stays live and nothing is lost', async () => {
      const { id } = await createWithWidget('alice', 'green');
      const allow = await failWrites(store, { table: 'widgets', op: 'DELETE', message: 'kept' });
      await expect(inCall('alice', (call) => handles.destroy(widget, call, id))).rejects.toThrow(/kept/);
      expect(await handleRows()).toEqual([{ id, status: 'live' }]);
      expect(await widgets()).toEqual([{ id }]);
      expect(released).toEqual([]);
      await allow();
      await inCall('alice', (call) => handles.destroy(widget, call, id));
      expect(await handleRows()).toEqual([{ id, status: 'destroyed' }]);
      expect(await widgets()).toEqual([]);
    });

    it('expiry frees them in the transaction that ends the handle', async () => {
      await createWithWidget('alice', 'green');
      await createWithWidget('bob', 'blue');
      clock.advance(61_000);
      expect((await handles.sweep()).expired).toBe(2);
      expect(await widgets()).toEqual([]);
    });
  });
});

describe('handles on sqlite only', () => {
  it('a state writer that returns a promise is refused (SQLite transactions are synchronous), and leaves nothing', async () => {
    const dir = tempDir();
    const store = await openStore(
      'handles',
      {
        DATA_DIR: dir.path,
        DATABASE_URL: undefined,
        DATABASE_SCHEMA: undefined,
        DATABASE_POOL_SIZE: 1,
        DATABASE_POOL_WAIT: 1_000,
        DATABASE_STATEMENT_TIMEOUT: 1_000,
      },
      migrations,
    );
    try {
      if (store.dialect !== 'sqlite') throw new Error('expected SQLite');
      const handles = new Handles({ store: new SqliteHandleStore(store.db) });
      const kind = { ...WIDGET_NAMES, idleTtlMs: 60_000, absoluteTtlMs: 3_600_000, quotaPerPrincipal: 3 };
      await expect(handles.create(kind, startCall('alice'), async () => undefined)).rejects.toThrow(
        /must write synchronously/,
      );
      expect(await rows(store, `SELECT id FROM handles`)).toEqual([]);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});
