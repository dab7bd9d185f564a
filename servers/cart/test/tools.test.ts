/**
 * Every cart tool through real MCP clients: the SDK v2 client speaking 2026-07-28 and the v1
 * client speaking 2025-11-25, against the same server (its real handler, in-process).
 */
import { testStores, type InProcessApp, type StoreDialect } from '@sessionless/kit/testing';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartDeps } from '../src/index.js';
import { cartInProcess, ok, toolError } from './helpers.js';

describe.each(testStores())('cart tools on %s', (dialect: StoreDialect) => {
  let cart: InProcessApp<CartDeps>;
  beforeAll(async () => {
    cart = await cartInProcess({}, dialect);
  });
  afterAll(() => cart.close());

  type Caller = (
    name: string,
    args: Record<string, unknown>,
  ) => Promise<{ isError?: boolean; content?: unknown; structuredContent?: unknown }>;

  const eras: Array<[string, () => Promise<{ call: Caller; close: () => Promise<void> }>]> = [
    [
      '2026-07-28 (SDK v2 client)',
      async () => {
        const client = await cart.connectModern();
        expect(client.getProtocolEra()).toBe('modern');
        await client.listTools();
        return {
          call: (name, args) => client.callTool({ name, arguments: args }) as never,
          close: () => client.close(),
        };
      },
    ],
    [
      '2025-11-25 (SDK v1 client)',
      async () => {
        const client = await cart.connectLegacy();
        await client.listTools();
        return {
          call: (name, args) => client.callTool({ name, arguments: args }) as never,
          close: () => client.close(),
        };
      },
    ],
  ];

  describe.each(eras)('cart tools over %s', (_era, connect) => {
    it('search, get, create, add, update, remove, get, checkout, list and destroy', async () => {
      const { call, close } = await connect();
      try {
        const found = ok<{ products: Array<{ sku: string; stock: number }> }>(
          await call('cart_search_products', { query: 'green tea', limit: 5 }),
        );
        expect(found.products.length).toBeGreaterThan(0);
        const [first, second] = found.products.filter((p) => p.stock >= 10);
        expect(first && second).toBeTruthy();

        const product = ok<{ sku: string; price_cents: number }>(await call('cart_get_product', { sku: first!.sku }));
        expect(product.sku).toBe(first!.sku);

        const { cart_id } = ok<{ cart_id: string }>(await call('cart_create', { currency: 'EUR' }));
        expect(cart_id).toMatch(/^cart_[A-Za-z0-9_-]{22}$/);

        const added = ok<{ line_quantity: number; version: number }>(
          await call('cart_add_item', { cart_id, sku: first!.sku, quantity: 2 }),
        );
        expect(added).toMatchObject({ line_quantity: 2, version: 1 });
        ok(await call('cart_add_item', { cart_id, sku: second!.sku, quantity: 1 }));
        ok(await call('cart_add_item', { cart_id, sku: first!.sku, quantity: 3 }));

        const updated = ok<{ version: number }>(
          await call('cart_update_item', { cart_id, sku: first!.sku, quantity: 4, expected_version: 3 }),
        );
        expect(updated.version).toBe(4);
        expect(
          toolError(await call('cart_update_item', { cart_id, sku: first!.sku, quantity: 1, expected_version: 3 }))
            .code,
        ).toBe('VERSION_CONFLICT');

        ok(await call('cart_remove_item', { cart_id, sku: second!.sku }));
        const view = ok<{
          lines: Array<{ sku: string; quantity: number; unit_price_cents: number }>;
          currency: string;
          subtotal_cents: number;
        }>(await call('cart_get', { cart_id }));
        expect(view.currency).toBe('EUR');
        expect(view.lines).toEqual([
          expect.objectContaining({
            sku: first!.sku,
            quantity: 4,
            unit_price_cents: Math.round(product.price_cents * 0.92),
          }),
        ]);
        expect(view.subtotal_cents).toBe(view.lines[0]!.unit_price_cents * 4);

        const order = ok<{ order_id: string; total_cents: number; replayed: boolean }>(
          await call('cart_checkout', { cart_id, idempotency_key: `order-${cart_id}` }),
        );
        expect(order).toMatchObject({ total_cents: view.subtotal_cents, replayed: false });

        const listed = ok<{ carts: Array<{ cart_id: string; status: string }> }>(await call('cart_list', {}));
        expect(listed.carts).toContainEqual(expect.objectContaining({ cart_id, status: 'checked_out' }));

        ok(await call('cart_destroy', { cart_id }));
        expect(toolError(await call('cart_get', { cart_id })).code).toBe('HANDLE_DESTROYED');
      } finally {
        await close();
      }
    });
  });

  describe('cart_create', () => {
    it('states the lifetime policy in its description, where the model reads it', async () => {
      const client = await cart.connectModern();
      const { tools } = await client.listTools();
      const create = tools.find((tool) => tool.name === 'cart_create');
      expect(create?.description).toMatch(/expire after 24 h without use and 7 d after creation/);
      await client.close();
    });
  });
});
