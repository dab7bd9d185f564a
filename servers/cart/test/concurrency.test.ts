/**
 * The shared-handle claim under real races: 8 subagents through two server processes that share
 * one store (a SQLite file, or a PostgreSQL schema, where writers really run at once). Adds lose
 * nothing, a stale expected_version is refused, checkouts never oversell, a retried key adds once,
 * and creates racing on both instances never pass the quota.
 */
import { connectModern, rows, testStores, type ModernClient, type StoreDialect } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../src/domain/catalog.js';
import { SECRET, ok, startCart, toolError, type CartFixture, tokenFor } from './helpers.js';

const CLIENTS = 8;
const ADDS_PER_CLIENT = 50;

describe.each(testStores())('two cart processes on %s', (dialect: StoreDialect) => {
  let cart: CartFixture;
  beforeAll(async () => {
    cart = await startCart({ JWT_SECRET: SECRET, CART_QUOTA: '3' }, 2, dialect);
  });
  afterAll(() => cart.stop());

  /** A client of each process for `subject`, alternating as a load balancer with no affinity would. */
  async function clientsOf(subject: string): Promise<ModernClient[]> {
    const token = await tokenFor(subject);
    return Promise.all(cart.servers.map((server) => connectModern(server.url, { token })));
  }

  describe('cart_add_item', () => {
    it(`${CLIENTS} subagents x ${ADDS_PER_CLIENT} adds, alternating between two processes, lose nothing`, async () => {
      const [a, b] = cart.servers;
      expect(a!.url).not.toBe(b!.url);
      const [orchestrator] = await clientsOf('adders');
      const { cart_id } = ok<{ cart_id: string }>(await orchestrator!.callTool({ name: 'cart_create', arguments: {} }));
      // Three plentiful products, so every add could succeed and contention is on the same rows.
      const skus = generateCatalog()
        .filter((p) => p.stock >= CLIENTS * ADDS_PER_CLIENT * 2)
        .slice(0, 3)
        .map((p) => p.sku);
      expect(skus).toHaveLength(3);

      const acknowledged = new Map<string, number>();
      const subagent = async (n: number) => {
        const clients = await clientsOf('adders');
        for (let i = 0; i < ADDS_PER_CLIENT; i++) {
          const sku = skus[(n + i) % skus.length]!;
          const quantity = 1 + ((n * 7 + i) % 3);
          const result = await clients[i % 2]!.callTool({
            name: 'cart_add_item',
            arguments: { cart_id, sku, quantity },
          });
          if (!result.isError) acknowledged.set(sku, (acknowledged.get(sku) ?? 0) + quantity);
        }
        await Promise.all(clients.map((client) => client.close()));
      };
      await Promise.all(Array.from({ length: CLIENTS }, (_, n) => subagent(n)));

      const total = [...acknowledged.values()].reduce((sum, q) => sum + q, 0);
      expect(total).toBe(
        Array.from(
          { length: CLIENTS * ADDS_PER_CLIENT },
          (_, k) => 1 + ((Math.floor(k / ADDS_PER_CLIENT) * 7 + (k % ADDS_PER_CLIENT)) % 3),
        ).reduce((s, q) => s + q, 0),
      );
      const view = ok<{ lines: Array<{ sku: string; quantity: number }>; version: number }>(
        await orchestrator!.callTool({ name: 'cart_get', arguments: { cart_id } }),
      );
      expect(Object.fromEntries(view.lines.map((line) => [line.sku, line.quantity]))).toEqual(
        Object.fromEntries(acknowledged),
      );
      expect(view.version).toBe(CLIENTS * ADDS_PER_CLIENT);
      await orchestrator!.close();
    });

    it('a retry with the same idempotency_key, on the other process, adds once and returns the first answer', async () => {
      const [first, second] = (await clientsOf('retrier')) as [ModernClient, ModernClient];
      const { cart_id } = ok<{ cart_id: string }>(await first.callTool({ name: 'cart_create', arguments: {} }));
      const add = { cart_id, sku: 'TEA-0001', quantity: 2, idempotency_key: 'retry-test-0001' };
      const original = ok<{ line_quantity: number; version: number; replayed: boolean }>(
        await first.callTool({ name: 'cart_add_item', arguments: add }),
      );
      const retried = ok<{ line_quantity: number; version: number; replayed: boolean }>(
        await second.callTool({ name: 'cart_add_item', arguments: add }),
      );
      expect(original.replayed).toBe(false);
      expect(retried).toEqual({ ...original, replayed: true });
      const view = ok<{ item_count: number; version: number }>(
        await second.callTool({ name: 'cart_get', arguments: { cart_id } }),
      );
      expect(view).toMatchObject({ item_count: 2, version: original.version });
      await Promise.all([first.close(), second.close()]);
    });

    it('an idempotency_key reused for a different add is refused and changes nothing', async () => {
      const [client] = (await clientsOf('reuser')) as [ModernClient];
      const { cart_id } = ok<{ cart_id: string }>(await client.callTool({ name: 'cart_create', arguments: {} }));
      const key = 'reused-key-0001';
      ok(
        await client.callTool({
          name: 'cart_add_item',
          arguments: { cart_id, sku: 'TEA-0001', quantity: 1, idempotency_key: key },
        }),
      );
      const error = toolError(
        await client.callTool({
          name: 'cart_add_item',
          arguments: { cart_id, sku: 'TEA-0002', quantity: 1, idempotency_key: key },
        }),
      );
      expect(error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(error.text).toMatch(/already added 1 x TEA-0001.*use a new key/);
      const view = ok<{ item_count: number }>(await client.callTool({ name: 'cart_get', arguments: { cart_id } }));
      expect(view.item_count).toBe(1);
      await client.close();
    });

    it('the same idempotency_key sent to both processes at once adds once; both answers are the first add', async () => {
      const [first, second] = (await clientsOf('racer')) as [ModernClient, ModernClient];
      const { cart_id } = ok<{ cart_id: string }>(await first.callTool({ name: 'cart_create', arguments: {} }));
      for (let round = 0; round < 5; round++) {
        const add = { cart_id, sku: 'TEA-0001', quantity: 1, idempotency_key: `race-key-${round}` };
        const answers = await Promise.all(
          [first, second].map(async (client) =>
            ok<{ line_quantity: number; replayed: boolean }>(
              await client.callTool({ name: 'cart_add_item', arguments: add }),
            ),
          ),
        );
        expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
        expect(answers[0]!.line_quantity).toBe(answers[1]!.line_quantity);
      }
      expect(
        ok<{ item_count: number }>(await second.callTool({ name: 'cart_get', arguments: { cart_id } })).item_count,
      ).toBe(5);
      await Promise.all([first.close(), second.close()]);
    });
  });

  describe('cart_update_item', () => {
    it('of two updates made from the same version on different processes, exactly one wins; the other is told', async () => {
      const [first, second] = (await clientsOf('updaters')) as [ModernClient, ModernClient];
      const { cart_id } = ok<{ cart_id: string }>(await first.callTool({ name: 'cart_create', arguments: {} }));
      ok(await first.callTool({ name: 'cart_add_item', arguments: { cart_id, sku: 'TEA-0001', quantity: 1 } }));
      for (let round = 0; round < 5; round++) {
        const { version } = ok<{ version: number }>(await first.callTool({ name: 'cart_get', arguments: { cart_id } }));
        const results = await Promise.all(
          [first, second].map((client, n) =>
            client.callTool({
              name: 'cart_update_item',
              arguments: { cart_id, sku: 'TEA-0001', quantity: 2 + n, expected_version: version },
            }),
          ),
        );
        expect(results.filter((r) => !r.isError)).toHaveLength(1);
        const loser = toolError(results.find((r) => r.isError)!);
        expect(loser.code).toBe('VERSION_CONFLICT');
        expect(loser.details).toMatchObject({ current_version: version + 1 });
      }
      await Promise.all([first.close(), second.close()]);
    });
  });

  describe('cart_checkout', () => {
    it(`${CLIENTS} carts that together want more than the stock check out at once: stock never goes below zero, and exactly the acknowledged orders exist`, async () => {
      const product = generateCatalog().find((p) => p.stock >= 30 && p.stock <= 200)!;
      const want = Math.floor(product.stock / 3) + 1; // three such carts are more than the stock
      const carts = await Promise.all(
        Array.from({ length: CLIENTS }, async (_, n) => {
          const [client] = (await clientsOf(`buyer-${n}`)) as [ModernClient];
          const { cart_id } = ok<{ cart_id: string }>(await client.callTool({ name: 'cart_create', arguments: {} }));
          ok(
            await client.callTool({ name: 'cart_add_item', arguments: { cart_id, sku: product.sku, quantity: want } }),
          );
          return { client, cart_id, n };
        }),
      );
      const clients = await Promise.all(carts.map(({ n }) => clientsOf(`buyer-${n}`)));
      const outcomes = await Promise.all(
        carts.map(({ cart_id, n }) =>
          clients[n]![n % 2]!.callTool({
            name: 'cart_checkout',
            arguments: { cart_id, idempotency_key: `order-${n}-0001` },
          }),
        ),
      );
      const orders = outcomes.filter((o) => !o.isError).map((o) => ok<{ order_id: string }>(o).order_id);
      for (const refused of outcomes.filter((o) => o.isError))
        expect(toolError(refused).code).toBe('INSUFFICIENT_STOCK');
      expect(orders.length).toBe(Math.floor(product.stock / want));
      const { stock } = ok<{ stock: number }>(
        await carts[0]!.client.callTool({ name: 'cart_get_product', arguments: { sku: product.sku } }),
      );
      expect(stock).toBe(product.stock - orders.length * want);
      expect(stock).toBeGreaterThanOrEqual(0);
      expect((await storedOrders()).sort()).toEqual([...orders].sort());
      for (const { client } of carts) await client.close();
      for (const pair of clients) await Promise.all(pair.map((c) => c.close()));
    });
  });

  describe('cart_create', () => {
    it(`${CLIENTS} creates by one user racing on both processes stop at the quota of 3`, async () => {
      const clients = await clientsOf('hoarder');
      const results = await Promise.all(
        Array.from({ length: CLIENTS }, (_, n) => clients[n % 2]!.callTool({ name: 'cart_create', arguments: {} })),
      );
      expect(results.filter((r) => !r.isError)).toHaveLength(3);
      for (const refused of results.filter((r) => r.isError)) expect(toolError(refused).code).toBe('QUOTA_EXCEEDED');
      expect(
        ok<{ carts: unknown[] }>(await clients[1]!.callTool({ name: 'cart_list', arguments: {} })).carts,
      ).toHaveLength(3);
      await Promise.all(clients.map((c) => c.close()));
    });
  });

  /** The order ids in the shared store, read directly from it. */
  async function storedOrders(): Promise<string[]> {
    return (await rows<{ id: string }>(await cart.store(), 'SELECT id FROM orders')).map((row) => row.id);
  }
});
