/**
 * The shared-handle claim: many subagents add to one cart at once, through two server processes
 * that share one SQLite file, and nothing acknowledged is lost.
 */
import { connectModern, type ModernClient } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../src/domain/catalog.js';
import { ok, startCart, toolError, type CartFixture } from './helpers.js';

const CLIENTS = 8;
const ADDS_PER_CLIENT = 50;

let cart: CartFixture;
beforeAll(async () => {
  cart = await startCart({}, 2);
});
afterAll(() => cart.stop());

describe('cart_add_item', () => {
  it(`${CLIENTS} subagents x ${ADDS_PER_CLIENT} adds, alternating between two processes, lose nothing`, async () => {
    const [a, b] = cart.servers;
    expect(a!.url).not.toBe(b!.url);
    const orchestrator = await connectModern(a!.url);
    const { cart_id } = ok<{ cart_id: string }>(await orchestrator.callTool({ name: 'cart_create', arguments: {} }));
    // Three plentiful products, so every add could succeed and contention is on the same rows.
    const skus = generateCatalog()
      .filter((p) => p.stock >= CLIENTS * ADDS_PER_CLIENT * 2)
      .slice(0, 3)
      .map((p) => p.sku);
    expect(skus).toHaveLength(3);

    const acknowledged = new Map<string, number>();
    const subagent = async (n: number) => {
      const clients: ModernClient[] = [await connectModern(a!.url), await connectModern(b!.url)];
      for (const client of clients) await client.listTools();
      for (let i = 0; i < ADDS_PER_CLIENT; i++) {
        const sku = skus[(n + i) % skus.length]!;
        const quantity = 1 + ((n * 7 + i) % 3);
        const result = await clients[i % 2]!.callTool({ name: 'cart_add_item', arguments: { cart_id, sku, quantity } });
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
      await orchestrator.callTool({ name: 'cart_get', arguments: { cart_id } }),
    );
    expect(Object.fromEntries(view.lines.map((line) => [line.sku, line.quantity]))).toEqual(
      Object.fromEntries(acknowledged),
    );
    expect(view.version).toBe(CLIENTS * ADDS_PER_CLIENT);
    await orchestrator.close();
  });

  it('a retry with the same idempotency_key, on the other process, adds once and returns the first answer', async () => {
    const [a, b] = cart.servers;
    const first = await connectModern(a!.url);
    const second = await connectModern(b!.url);
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
    const client = await connectModern(cart.servers[0]!.url);
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
});
