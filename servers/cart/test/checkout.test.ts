/**
 * cart_checkout: idempotent on its key, and all-or-nothing on stock.
 */
import { testStores, type InProcessApp, type ModernClient, type StoreDialect } from '@sessionless/kit/testing';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../src/domain/catalog.js';
import type { CartDeps } from '../src/index.js';
import { cartInProcess, ok, toolError } from './helpers.js';

describe.each(testStores())('cart_checkout on %s', (dialect: StoreDialect) => {
  let cart: InProcessApp<CartDeps>;
  let client: ModernClient;
  beforeAll(async () => {
    cart = await cartInProcess({}, dialect);
    client = await cart.connectModern();
    await client.listTools();
  });
  afterAll(async () => {
    await client.close();
    await cart.close();
  });

  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });
  const stockOf = async (sku: string) => ok<{ stock: number }>(await call('cart_get_product', { sku })).stock;
  const catalog = generateCatalog();

  describe('cart_checkout', () => {
    it('the same idempotency key twice returns the same order and takes stock once', async () => {
      const sku = catalog.find((p) => p.stock > 100)!.sku;
      const before = await stockOf(sku);
      const { cart_id } = ok<{ cart_id: string }>(await call('cart_create', {}));
      ok(await call('cart_add_item', { cart_id, sku, quantity: 3 }));
      const first = ok<{ order_id: string; replayed: boolean }>(
        await call('cart_checkout', { cart_id, idempotency_key: 'retry-me-123' }),
      );
      const second = ok<{ order_id: string; replayed: boolean }>(
        await call('cart_checkout', { cart_id, idempotency_key: 'retry-me-123' }),
      );
      expect(second.order_id).toBe(first.order_id);
      expect([first.replayed, second.replayed]).toEqual([false, true]);
      expect(await stockOf(sku)).toBe(before - 3);
      const otherKey = toolError(await call('cart_checkout', { cart_id, idempotency_key: 'another-key-456' }));
      expect(otherKey.code).toBe('CART_CHECKED_OUT');
      expect(otherKey.text).toContain(first.order_id);
      expect(toolError(await call('cart_add_item', { cart_id, sku, quantity: 1 })).code).toBe('CART_CHECKED_OUT');
    });

    it('insufficient stock is a clear error and leaves the cart and every stock level unchanged', async () => {
      const scarce = catalog.find((p) => p.stock >= 2 && p.stock <= 5)!;
      const plentiful = catalog.find((p) => p.stock > 100 && p.sku !== scarce.sku)!;
      const mine = ok<{ cart_id: string }>(await call('cart_create', {})).cart_id;
      ok(await call('cart_add_item', { cart_id: mine, sku: plentiful.sku, quantity: 2 }));
      ok(await call('cart_add_item', { cart_id: mine, sku: scarce.sku, quantity: 2 }));
      // Someone else buys the scarce product first, leaving fewer than this cart holds.
      const rival = ok<{ cart_id: string }>(await call('cart_create', {})).cart_id;
      const scarceStock = await stockOf(scarce.sku);
      ok(await call('cart_add_item', { cart_id: rival, sku: scarce.sku, quantity: scarceStock - 1 }));
      ok(await call('cart_checkout', { cart_id: rival, idempotency_key: 'rival-order-1' }));

      const before = ok<Record<string, unknown>>(await call('cart_get', { cart_id: mine }));
      const plentifulBefore = await stockOf(plentiful.sku);
      const refused = toolError(await call('cart_checkout', { cart_id: mine, idempotency_key: 'my-order-001' }));
      expect(refused.code).toBe('INSUFFICIENT_STOCK');
      expect(refused.text).toMatch(new RegExp(`Only 1 of ${scarce.sku} in stock but 2 wanted`));
      expect(ok<Record<string, unknown>>(await call('cart_get', { cart_id: mine }))).toEqual(before);
      expect(await stockOf(plentiful.sku)).toBe(plentifulBefore);
      expect(await stockOf(scarce.sku)).toBe(1);
    });

    it('an empty cart cannot be checked out', async () => {
      const { cart_id } = ok<{ cart_id: string }>(await call('cart_create', {}));
      expect(toolError(await call('cart_checkout', { cart_id, idempotency_key: 'empty-cart-1' })).code).toBe(
        'CART_EMPTY',
      );
    });
  });
});
