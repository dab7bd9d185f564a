/**
 * The cart when its PostgreSQL misbehaves, on a server of the test's own (stopped, started,
 * starved, frozen): eight instances migrating at once, two processes and 8 subagents while the
 * database restarts mid-run, a pool of one connection held by a slow write, a statement past its
 * timeout, a database that stops answering. Whatever the database does, every call answers (a
 * clear, retryable refusal, never a hang), no process exits, and nothing acknowledged is lost.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleMigrations, openStore, type Migration } from '@sessionless/kit';
import {
  connectModern,
  findPostgresBinaries,
  pauseWrites,
  rows,
  startPostgresCluster,
  startServerProcess,
  tempDir,
  type ModernClient,
  type PostgresCluster,
  type ServerProcess,
  type ToolResult,
} from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../src/domain/catalog.js';
import { cartMigrations } from '../src/domain/schema.js';
import { ENTRY, SECRET, ok, tokenFor, toolError } from './helpers.js';

const SUBAGENTS = 8;
/** No call may take longer: a call that hangs on the database fails the test here. */
const CALL_TIMEOUT_MS = 30_000;
const STORE_REFUSALS = ['STORE_UNAVAILABLE', 'STORE_BUSY'];

interface Refusal {
  code: string;
  text: string;
  details: Record<string, unknown>;
  server: number;
  duringOutage: boolean;
}

describe.runIf(findPostgresBinaries())('the cart on a PostgreSQL that fails', () => {
  let cluster: PostgresCluster;
  const dir = tempDir('cart-faults-');
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    cluster = await startPostgresCluster({ durable: true });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    cluster?.stop();
    dir.remove();
  });

  async function startCarts(count: number, env: Record<string, string>): Promise<ServerProcess[]> {
    const started = await Promise.all(
      Array.from({ length: count }, () =>
        startServerProcess({
          entry: ENTRY,
          env: { DATA_DIR: dir.path, SWEEP_INTERVAL: '1h', JWT_SECRET: SECRET, DATABASE_URL: cluster.url, ...env },
          timeoutMs: 60_000,
        }),
      ),
    );
    servers.push(...started);
    return started;
  }

  /** The cart processes' schema, opened by the test (its tables as the servers made them). */
  const openSchema = (schema: string, migrations: readonly Migration[] = []) =>
    openStore(
      'cart',
      {
        DATA_DIR: dir.path,
        DATABASE_URL: cluster.url,
        DATABASE_SCHEMA: schema,
        DATABASE_POOL_SIZE: 4,
        DATABASE_POOL_WAIT: 10_000,
        DATABASE_STATEMENT_TIMEOUT: 60_000,
      },
      migrations,
    );

  const alive = (server: ServerProcess) => server.child.exitCode === null && server.child.signalCode === null;
  const call = (client: ModernClient, name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args }, { timeout: CALL_TIMEOUT_MS }) as Promise<ToolResult>;

  it('8 instances starting at once on a new schema apply each migration once (the advisory lock)', async () => {
    const migrations = [...handleMigrations, ...cartMigrations];
    const stores = await Promise.all(Array.from({ length: 8 }, () => openSchema('migrating', migrations)));
    try {
      const applied = await rows<{ id: string }>(stores[0]!, 'SELECT id FROM schema_migrations ORDER BY id');
      expect(applied.map((row) => row.id)).toEqual(migrations.map((m) => m.id).sort());
      const [products] = await rows<{ n: number }>(stores[0]!, 'SELECT count(*)::int AS n FROM products');
      expect(products!.n).toBe(generateCatalog().length);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it(
    `${SUBAGENTS} subagents on two processes while PostgreSQL restarts: refusals are retryable, no process exits, nothing acknowledged is lost`,
    { timeout: 240_000 },
    async () => {
      const pair = await startCarts(2, { DATABASE_SCHEMA: 'restart', DATABASE_POOL_WAIT: '3s' });
      const token = await tokenFor('restart-team');
      const clientsOf = () => Promise.all(pair.map((server) => connectModern(server.url, { token })));
      const orchestrator = await clientsOf();
      const { cart_id } = ok<{ cart_id: string }>(await call(orchestrator[0]!, 'cart_create', {}));
      const skus = generateCatalog()
        .filter((p) => p.stock >= 900)
        .slice(0, 3)
        .map((p) => p.sku);
      expect(skus).toHaveLength(3);

      // Progress is watched by events: each outcome wakes whoever waits for a count to be reached.
      const acknowledged = new Map<string, number>();
      let acks = 0;
      let outage = false;
      let stopping = false;
      const refusals: Refusal[] = [];
      const waiters: Array<() => void> = [];
      const changed = () => waiters.splice(0).forEach((wake) => wake());
      let failure: unknown;
      const until = async (done: () => boolean) => {
        while (!done()) {
          if (failure) throw failure;
          await new Promise<void>((wake) => waiters.push(wake));
        }
      };

      // A careful client: a store refusal is sent again (to either process) with the same
      // idempotency_key, so an add whose commit outcome was unknown is applied once at most.
      const subagent = async (n: number) => {
        const clients = await clientsOf();
        let attempt = 0;
        for (let i = 0; !stopping; i++) {
          const add = {
            cart_id,
            sku: skus[(n + i) % skus.length]!,
            quantity: 1,
            idempotency_key: `restart-add-${n}-${i}`,
          };
          for (;;) {
            const server = attempt++ % 2;
            const result = await call(clients[server]!, 'cart_add_item', add);
            if (!result.isError) break;
            const refusal = toolError(result);
            if (!STORE_REFUSALS.includes(refusal.code)) throw new Error(`unexpected refusal: ${refusal.text}`);
            refusals.push({ ...refusal, server, duringOutage: outage });
            changed();
            await new Promise((resolve) => setTimeout(resolve, 50)); // a retry's backoff
          }
          acknowledged.set(add.sku, (acknowledged.get(add.sku) ?? 0) + 1);
          acks += 1;
          changed();
        }
        await Promise.all(clients.map((client) => client.close()));
      };
      const running = Promise.all(
        Array.from({ length: SUBAGENTS }, (_, n) =>
          subagent(n).catch((error: unknown) => {
            const exited = pair.filter((server) => !alive(server)).length;
            failure = new Error(`subagent ${n}: ${(error as Error).message} (${exited} of 2 processes exited)`, {
              cause: error,
            });
            changed();
          }),
        ),
      );

      await until(() => acks >= 2 * SUBAGENTS);
      outage = true;
      await cluster.down();
      // While it is down, both processes refuse; a read says plainly that nothing changed.
      await until(() => [0, 1].every((server) => refusals.some((r) => r.duringOutage && r.server === server)));
      for (const client of orchestrator) {
        const refusal = toolError(await call(client, 'cart_get', { cart_id }));
        expect(refusal.code).toBe('STORE_UNAVAILABLE');
        expect(refusal.text).toMatch(
          /^The store is unavailable \(.+\): nothing was changed; retry in a few seconds\.$/,
        );
        expect(refusal.details).toMatchObject({ retryable: true, applied: false });
      }
      const acksBeforeUp = acks;
      await cluster.up();
      outage = false;
      await until(() => acks >= acksBeforeUp + 2 * SUBAGENTS);
      stopping = true;
      await running;
      if (failure) throw failure;

      expect(refusals.filter((r) => r.duringOutage).length).toBeGreaterThan(0);
      for (const refusal of refusals) {
        expect(refusal.details.retryable).toBe(true);
        expect([false, 'unknown']).toContain(refusal.details.applied);
        expect(refusal.text).toMatch(/^The store is (unavailable|busy) \(/);
      }
      expect(pair.every(alive)).toBe(true);
      const view = ok<{ lines: Array<{ sku: string; quantity: number }>; version: number }>(
        await call(orchestrator[1]!, 'cart_get', { cart_id }),
      );
      // Every acknowledged add is there once: none lost across the restart, none applied twice by a retry.
      expect(Object.fromEntries(view.lines.map((line) => [line.sku, line.quantity]))).toEqual(
        Object.fromEntries(acknowledged),
      );
      expect(view.version).toBe(acks);
      await Promise.all(orchestrator.map((client) => client.close()));
    },
  );

  it(
    'a pool whose only connection is held by a slow write refuses the next call as busy while the write still runs',
    { timeout: 120_000 },
    async () => {
      const schema = 'starved';
      const [server] = await startCarts(1, {
        DATABASE_SCHEMA: schema,
        DATABASE_POOL_SIZE: '1',
        DATABASE_POOL_WAIT: '1s',
      });
      const token = await tokenFor('starved');
      const [writer, reader] = await Promise.all([1, 2].map(() => connectModern(server!.url, { token })));
      const { cart_id } = ok<{ cart_id: string }>(await call(writer!, 'cart_create', {}));
      // The test's own connection to the same schema holds the add half-way (its line written, its transaction open).
      const held = await openSchema(schema);
      const pause = await pauseWrites(held, { table: 'cart_lines', op: 'INSERT' });
      try {
        const slowAdd = call(writer!, 'cart_add_item', { cart_id, sku: 'TEA-0001', quantity: 1 });
        await pause.paused();
        // The add holds the pool's one connection; this call cannot get one and must not wait for the add.
        const refusal = toolError(await call(reader!, 'cart_get', { cart_id }));
        expect(refusal.code).toBe('STORE_BUSY');
        expect(refusal.text).toMatch(/^The store is busy \(every connection to .+ stayed busy\); nothing was changed/);
        expect(refusal.details).toMatchObject({ retryable: true, applied: false });
        await pause.release();
        expect(ok<{ line_quantity: number }>(await slowAdd).line_quantity).toBe(1);
        const view = ok<{ item_count: number }>(await call(reader!, 'cart_get', { cart_id }));
        expect(view.item_count).toBe(1);
        expect(alive(server!)).toBe(true);
      } finally {
        await pause.undo();
        await held.close();
        await Promise.all([writer!.close(), reader!.close()]);
      }
    },
  );

  it(
    'a statement that runs past DATABASE_STATEMENT_TIMEOUT is cancelled and answered as busy, changing nothing',
    { timeout: 120_000 },
    async () => {
      const schema = 'slow';
      const [server] = await startCarts(1, { DATABASE_SCHEMA: schema, DATABASE_STATEMENT_TIMEOUT: '1s' });
      const token = await tokenFor('slow');
      const client = await connectModern(server!.url, { token });
      const { cart_id } = ok<{ cart_id: string }>(await call(client, 'cart_create', {}));
      const held = await openSchema(schema);
      const pause = await pauseWrites(held, { table: 'cart_lines', op: 'INSERT' });
      try {
        // Held until the database gives up on it: the answer comes while the test still holds the lock.
        const refusal = toolError(await call(client, 'cart_add_item', { cart_id, sku: 'TEA-0001', quantity: 1 }));
        expect(refusal.code).toBe('STORE_BUSY');
        expect(refusal.text).toMatch(/statement timeout/);
        expect(refusal.details).toMatchObject({ retryable: true, applied: false });
        await pause.release();
        const view = ok<{ item_count: number; version: number }>(await call(client, 'cart_get', { cart_id }));
        expect(view).toMatchObject({ item_count: 0, version: 0 });
        expect(alive(server!)).toBe(true);
      } finally {
        await pause.undo();
        await held.close();
        await client.close();
      }
    },
  );
  it(
    'a database that stops answering (its processes frozen) is answered as refused after the statement timeout and a margin, not held; calls succeed once it answers again',
    { timeout: 120_000 },
    async () => {
      const [server] = await startCarts(1, {
        DATABASE_SCHEMA: 'frozen',
        DATABASE_STATEMENT_TIMEOUT: '1s',
        DATABASE_POOL_WAIT: '2s',
      });
      const token = await tokenFor('frozen');
      const client = await connectModern(server!.url, { token });
      const { cart_id } = ok<{ cart_id: string }>(await call(client, 'cart_create', {}));
      ok(await call(client, 'cart_add_item', { cart_id, sku: 'TEA-0001', quantity: 1 }));
      // The postmaster and every backend stopped: connections stay open, nothing answers, nothing times out there.
      const postmaster = Number(readFileSync(join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      const backends = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      const pids = [postmaster, ...backends.map(Number)];
      pids.forEach((pid) => process.kill(pid, 'SIGSTOP'));
      try {
        const refusal = toolError(await call(client, 'cart_add_item', { cart_id, sku: 'TEA-0001', quantity: 1 }));
        expect(STORE_REFUSALS).toContain(refusal.code);
        expect(refusal.details).toMatchObject({ retryable: true });
      } finally {
        [...pids].reverse().forEach((pid) => process.kill(pid, 'SIGCONT'));
      }
      // Answering again: the next calls succeed (a few retries while the pool replaces what it dropped).
      let view: ToolResult | undefined;
      for (let attempt = 0; attempt < 120 && (!view || view.isError); attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250)); // a retry's backoff
        view = await call(client, 'cart_get', { cart_id });
      }
      expect(ok<{ item_count: number }>(view!).item_count).toBeGreaterThanOrEqual(1);
      expect(alive(server!)).toBe(true);
      await client.close();
    },
  );
});
