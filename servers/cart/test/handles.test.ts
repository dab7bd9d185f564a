/**
 * Cart handles: bound to the principal that created them, refused clearly when forged, truncated
 * or of another kind, expired after the idle TTL, freed by destroy, listed per caller, capped.
 */
import { signDevToken } from '@sessionless/kit';
import { connectModern, type ModernClient } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, ok, startCart, toolError, type CartFixture } from './helpers.js';

let cart: CartFixture;
let alice: ModernClient;
let bob: ModernClient;

beforeAll(async () => {
  cart = await startCart({ JWT_SECRET: SECRET, CART_IDLE_TTL: '1500ms', CART_QUOTA: '3' });
  alice = await connectModern(cart.servers[0]!.url, { token: await signDevToken(SECRET, 'alice') });
  bob = await connectModern(cart.servers[0]!.url, { token: await signDevToken(SECRET, 'bob') });
  await Promise.all([alice.listTools(), bob.listTools()]);
});
afterAll(async () => {
  await Promise.all([alice.close(), bob.close()]);
  await cart.stop();
});

const call = (client: ModernClient, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args });

describe('cart handles', () => {
  it("another principal's cart gets exactly the error of a cart that never existed", async () => {
    const { cart_id } = ok<{ cart_id: string }>(await call(alice, 'cart_create', {}));
    const neverExisted = `cart_${'Q'.repeat(22)}`;
    for (const tool of ['cart_get', 'cart_add_item', 'cart_destroy']) {
      const args = { cart_id, sku: 'TEA-0001', quantity: 1 };
      const stolen = toolError(await call(bob, tool, args));
      const unknown = toolError(await call(bob, tool, { ...args, cart_id: neverExisted }));
      expect(stolen.code).toBe('HANDLE_NOT_FOUND');
      expect(stolen.text.replace(cart_id, 'ID')).toBe(unknown.text.replace(neverExisted, 'ID'));
    }
    ok(await call(alice, 'cart_get', { cart_id }));
  });

  it('refuses forged, truncated and wrong-kind ids, naming the rule and cart_create', async () => {
    const { cart_id } = ok<{ cart_id: string }>(await call(alice, 'cart_create', {}));
    const forged = toolError(await call(alice, 'cart_get', { cart_id: `cart_${'x'.repeat(22)}` }));
    expect(forged).toMatchObject({ code: 'HANDLE_NOT_FOUND' });
    expect(forged.text).toMatch(/not found; call cart_create/);
    const truncated = toolError(await call(alice, 'cart_get', { cart_id: cart_id.slice(0, 20) }));
    expect(truncated.code).toBe('HANDLE_MALFORMED');
    expect(truncated.text).toMatch(/"cart_" followed by 22 characters.*cart_create/);
    const wrongKind = toolError(await call(alice, 'cart_get', { cart_id: `ws_${cart_id.slice(5)}` }));
    expect(wrongKind.code).toBe('HANDLE_WRONG_KIND');
    expect(wrongKind.text).toMatch(/not a cart id/);
  });

  it('an idle cart expires with an error that says expired and names cart_create; unknown says not found', async () => {
    const { cart_id } = ok<{ cart_id: string }>(await call(alice, 'cart_create', {}));
    ok(await call(alice, 'cart_add_item', { cart_id, sku: 'TEA-0001', quantity: 1 }));
    // Wait for the idle TTL (1.5 s) to lapse, watching cart_list (which does not touch the cart);
    // polling cart_get would keep the cart alive.
    const live = async () =>
      ok<{ carts: Array<{ cart_id: string }> }>(await call(alice, 'cart_list', {})).carts.some(
        (c) => c.cart_id === cart_id,
      );
    await expect.poll(live, { timeout: 10_000, interval: 250 }).toBe(false);
    const expired = toolError(await call(alice, 'cart_get', { cart_id }));
    expect(expired.code).toBe('HANDLE_EXPIRED');
    expect(expired.text).toMatch(new RegExp(`Cart ${cart_id} has expired.*call cart_create`));
    const unknown = toolError(await call(alice, 'cart_get', { cart_id: `cart_${'Z'.repeat(22)}` }));
    expect(unknown.text).toMatch(/not found/);
  });

  it("cart_destroy frees the cart; cart_list shows only the caller's live carts", async () => {
    const listed = async (client: ModernClient) =>
      ok<{ carts: Array<{ cart_id: string }> }>(await call(client, 'cart_list', {})).carts.map((c) => c.cart_id);
    for (const id of await listed(alice)) ok(await call(alice, 'cart_destroy', { cart_id: id }));
    const one = ok<{ cart_id: string }>(await call(alice, 'cart_create', {})).cart_id;
    const two = ok<{ cart_id: string }>(await call(alice, 'cart_create', {})).cart_id;
    const bobs = ok<{ cart_id: string }>(await call(bob, 'cart_create', {})).cart_id;
    expect(await listed(alice)).toEqual([one, two]);
    ok(await call(alice, 'cart_destroy', { cart_id: one }));
    expect(await listed(alice)).toEqual([two]);
    expect(await listed(bob)).toContain(bobs);
    expect(toolError(await call(alice, 'cart_get', { cart_id: one })).code).toBe('HANDLE_DESTROYED');
  });

  it('creating more carts than the quota is a clear error, and nothing else breaks', async () => {
    for (const id of ok<{ carts: Array<{ cart_id: string }> }>(await call(bob, 'cart_list', {})).carts) {
      ok(await call(bob, 'cart_destroy', { cart_id: id.cart_id }));
    }
    const carts = [];
    for (let i = 0; i < 3; i++) carts.push(ok<{ cart_id: string }>(await call(bob, 'cart_create', {})).cart_id);
    const refused = toolError(await call(bob, 'cart_create', {}));
    expect(refused.code).toBe('QUOTA_EXCEEDED');
    expect(refused.text).toMatch(/already hold 3 live carts.*cart_list/);
    ok(await call(bob, 'cart_add_item', { cart_id: carts[0], sku: 'TEA-0001', quantity: 1 }));
    ok(await call(alice, 'cart_create', {}));
    ok(await call(bob, 'cart_destroy', { cart_id: carts[0] }));
    ok(await call(bob, 'cart_create', {}));
  });
});
