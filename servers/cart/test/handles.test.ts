/**
 * Cart handles through a real MCP client, in-process with a test clock: bound to the principal
 * that created them, refused clearly when forged, truncated or of another kind, expired after the
 * idle TTL or the lifetime (the error says which), freed by destroy, listed per caller, capped,
 * and created with their cart in one transaction.
 */
import {
  failWrites,
  rows as rowsOf,
  slowWrites,
  testStores,
  type InProcessApp,
  type ModernClient,
  type StoreDialect,
} from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartDeps } from '../src/index.js';
import { SECRET, cartInProcess, ok, toolError, tokenFor } from './helpers.js';

describe.each(testStores())('cart handles on %s', (dialect: StoreDialect) => {
  let cart: InProcessApp<CartDeps>;
  let alice: ModernClient;
  let bob: ModernClient;
  const IDLE_MS = 30 * 60_000;

  beforeAll(async () => {
    cart = await cartInProcess(
      { JWT_SECRET: SECRET, CART_IDLE_TTL: '30m', CART_MAX_LIFETIME: '24h', CART_QUOTA: '3' },
      dialect,
    );
    alice = await cart.connectModern({ token: await tokenFor('alice') });
    bob = await cart.connectModern({ token: await tokenFor('bob') });
  });
  afterAll(async () => {
    await Promise.all([alice.close(), bob.close()]);
    await cart.close();
  });

  const call = (client: ModernClient, name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args });
  const createCart = async (client: ModernClient) =>
    ok<{ cart_id: string }>(await call(client, 'cart_create', {})).cart_id;
  const rows = (sql: string) => rowsOf(cart.runtime.store, sql);

  async function destroyAll(client: ModernClient) {
    for (const c of ok<{ carts: Array<{ cart_id: string }> }>(await call(client, 'cart_list', {})).carts) {
      ok(await call(client, 'cart_destroy', { cart_id: c.cart_id }));
    }
  }

  describe('cart handles', () => {
    it("another principal's cart gets exactly the error of a cart that never existed", async () => {
      const cart_id = await createCart(alice);
      const neverExisted = `cart_${'Q'.repeat(22)}`;
      for (const tool of ['cart_get', 'cart_add_item', 'cart_destroy']) {
        const args = { cart_id, sku: 'TEA-0001', quantity: 1 };
        const stolen = toolError(await call(bob, tool, args));
        const unknown = toolError(await call(bob, tool, { ...args, cart_id: neverExisted }));
        expect(stolen.code).toBe('HANDLE_NOT_FOUND');
        expect(stolen.text.replace(cart_id, 'ID')).toBe(unknown.text.replace(neverExisted, 'ID'));
      }
      ok(await call(alice, 'cart_get', { cart_id }));
      await destroyAll(alice);
    });

    it('refuses forged, truncated and wrong-kind ids, naming the rule and cart_create', async () => {
      const cart_id = await createCart(alice);
      const forged = toolError(await call(alice, 'cart_get', { cart_id: `cart_${'x'.repeat(22)}` }));
      expect(forged).toMatchObject({ code: 'HANDLE_NOT_FOUND' });
      expect(forged.text).toMatch(/not found; call cart_create/);
      const truncated = toolError(await call(alice, 'cart_get', { cart_id: cart_id.slice(0, 20) }));
      expect(truncated.code).toBe('HANDLE_MALFORMED');
      expect(truncated.text).toMatch(/"cart_" followed by 22 characters.*cart_create/);
      const wrongKind = toolError(await call(alice, 'cart_get', { cart_id: `ws_${cart_id.slice(5)}` }));
      expect(wrongKind.code).toBe('HANDLE_WRONG_KIND');
      expect(wrongKind.text).toMatch(/not a cart id/);
      await destroyAll(alice);
    });

    it('an idle cart expires: the error says it was unused for 30 min and names cart_create; unknown says not found', async () => {
      const cart_id = await createCart(alice);
      ok(await call(alice, 'cart_add_item', { cart_id, sku: 'TEA-0001', quantity: 1 }));
      cart.clock.advance(IDLE_MS - 1_000);
      ok(await call(alice, 'cart_get', { cart_id })); // used again just in time: the idle clock restarts
      cart.clock.advance(IDLE_MS - 1_000);
      expect(ok<{ carts: unknown[] }>(await call(alice, 'cart_list', {})).carts).toHaveLength(1);
      cart.clock.advance(2_000);
      expect(ok<{ carts: unknown[] }>(await call(alice, 'cart_list', {})).carts).toHaveLength(0);
      const expired = toolError(await call(alice, 'cart_get', { cart_id }));
      expect(expired.code).toBe('HANDLE_EXPIRED');
      expect(expired.text).toBe(
        `Cart ${cart_id} has expired: it was unused for 30 min; call cart_create to start a new cart.`,
      );
      const unknown = toolError(await call(alice, 'cart_get', { cart_id: `cart_${'Z'.repeat(22)}` }));
      expect(unknown.text).toMatch(/not found/);
    });

    it('a cart used all day still ends at its 24 h lifetime, and the error says so', async () => {
      const cart_id = await createCart(bob);
      // A call every 29 minutes for 49 calls: 23 h 41 min, never idle for 30 min.
      for (let step = 0; step < 49; step++) {
        cart.clock.advance(29 * 60_000);
        ok(await call(bob, 'cart_get', { cart_id }));
      }
      cart.clock.advance(29 * 60_000);
      const expired = toolError(await call(bob, 'cart_get', { cart_id }));
      expect(expired.code).toBe('HANDLE_EXPIRED');
      expect(expired.text).toBe(
        `Cart ${cart_id} has expired: it reached its 24 h lifetime; call cart_create to start a new cart.`,
      );
    });

    it('the sweeper frees an expired cart: its handle becomes a tombstone and its cart and lines are deleted', async () => {
      const cart_id = await createCart(bob);
      ok(await call(bob, 'cart_add_item', { cart_id, sku: 'TEA-0001', quantity: 2 }));
      cart.clock.advance(IDLE_MS + 1);
      expect((await cart.runtime.handles.sweep()).expired).toBeGreaterThanOrEqual(1);
      expect(await rows(`SELECT status FROM handles WHERE id = '${cart_id}'`)).toEqual([{ status: 'expired' }]);
      expect(await rows(`SELECT id FROM carts WHERE id = '${cart_id}'`)).toEqual([]);
      expect(await rows(`SELECT sku FROM cart_lines WHERE cart_id = '${cart_id}'`)).toEqual([]);
      expect(toolError(await call(bob, 'cart_get', { cart_id })).code).toBe('HANDLE_EXPIRED');
    });

    it("cart_destroy frees the cart; cart_list shows only the caller's live carts", async () => {
      const listed = async (client: ModernClient) =>
        ok<{ carts: Array<{ cart_id: string }> }>(await call(client, 'cart_list', {})).carts.map((c) => c.cart_id);
      await destroyAll(alice);
      await destroyAll(bob);
      const one = await createCart(alice);
      cart.clock.advance(1); // cart_list is oldest first
      const two = await createCart(alice);
      const bobs = await createCart(bob);
      expect(await listed(alice)).toEqual([one, two]);
      ok(await call(alice, 'cart_destroy', { cart_id: one }));
      expect(await listed(alice)).toEqual([two]);
      expect(await listed(bob)).toEqual([bobs]);
      expect(toolError(await call(alice, 'cart_get', { cart_id: one })).code).toBe('HANDLE_DESTROYED');
      expect(await rows(`SELECT id FROM carts WHERE id = '${one}'`)).toEqual([]);
    });

    it('creating more carts than the quota is a clear error, and nothing else breaks', async () => {
      await destroyAll(bob);
      const carts = [];
      for (let i = 0; i < 3; i++) carts.push(await createCart(bob));
      const refused = toolError(await call(bob, 'cart_create', {}));
      expect(refused.code).toBe('QUOTA_EXCEEDED');
      expect(refused.text).toMatch(/already hold 3 live carts.*cart_list/);
      ok(await call(bob, 'cart_add_item', { cart_id: carts[0], sku: 'TEA-0001', quantity: 1 }));
      ok(await call(alice, 'cart_create', {}));
      ok(await call(bob, 'cart_destroy', { cart_id: carts[0] }));
      ok(await call(bob, 'cart_create', {}));
      await destroyAll(bob);
    });
  });

  describe('cart_create', () => {
    it('writes the handle and the cart in one transaction: when the cart row fails, no handle, no quota use and no orphan row remain', async () => {
      await destroyAll(alice);
      const before = (await rows(`SELECT id FROM handles`)).length;
      const allow = await failWrites(cart.runtime.store, { table: 'carts', op: 'INSERT', message: 'disk full' });
      try {
        for (let i = 0; i < 4; i++) expect(toolError(await call(alice, 'cart_create', {})).code).toBe('INTERNAL');
      } finally {
        await allow();
      }
      expect(await rows(`SELECT id FROM handles`)).toHaveLength(before);
      expect(await rows(`SELECT c.id FROM carts c LEFT JOIN handles h ON h.id = c.id WHERE h.id IS NULL`)).toEqual([]);
      // Four failed creates used none of the quota of 3.
      for (let i = 0; i < 3; i++) await createCart(alice);
      expect(toolError(await call(alice, 'cart_create', {})).code).toBe('QUOTA_EXCEEDED');
      await destroyAll(alice);
    });

    it('destroys the handle and the cart in one transaction: when deleting the cart fails, both stay as they were', async () => {
      const cart_id = await createCart(alice);
      ok(await call(alice, 'cart_add_item', { cart_id, sku: 'TEA-0001', quantity: 2 }));
      const allow = await failWrites(cart.runtime.store, { table: 'carts', op: 'DELETE', message: 'locked' });
      try {
        expect(toolError(await call(alice, 'cart_destroy', { cart_id })).code).toBe('INTERNAL');
      } finally {
        await allow();
      }
      expect(ok<{ item_count: number }>(await call(alice, 'cart_get', { cart_id })).item_count).toBe(2);
      ok(await call(alice, 'cart_destroy', { cart_id }));
    });

    it('a create whose work outlasts the idle TTL returns a cart that is live and usable', async () => {
      // The cart row's insert takes (on the test clock) twice the idle TTL.
      const done = await slowWrites(cart.runtime.store, { table: 'carts', op: 'INSERT' }, () =>
        cart.clock.advance(2 * IDLE_MS),
      );
      let cart_id: string;
      try {
        cart_id = await createCart(alice);
      } finally {
        await done();
      }
      expect((await cart.runtime.handles.sweep()).expired).toBe(0);
      ok(await call(alice, 'cart_add_item', { cart_id, sku: 'TEA-0001', quantity: 1 }));
      expect(ok<{ item_count: number }>(await call(alice, 'cart_get', { cart_id })).item_count).toBe(1);
    });
  });
});
