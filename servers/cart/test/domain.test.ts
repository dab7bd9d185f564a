/**
 * The cart domain without MCP, on each store: the seeded catalog and the store's atomic rules.
 */
import { handleMigrations } from '@sessionless/kit';
import { openTestStore, rows, testStores, type StoreDialect, type TestStore } from '@sessionless/kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cartStores } from '../src/deps.js';
import { CATALOG_SIZE, generateCatalog } from '../src/domain/catalog.js';
import { cartMigrations } from '../src/domain/schema.js';

const opened: TestStore[] = [];
afterEach(async () => {
  for (const each of opened.splice(0)) await each.close();
});

describe('catalog', () => {
  it('is the same for every instance: deterministic SKUs, prices and stock', () => {
    const a = generateCatalog();
    expect(a).toHaveLength(CATALOG_SIZE);
    expect(generateCatalog()).toEqual(a);
    expect(new Set(a.map((p) => p.sku)).size).toBe(CATALOG_SIZE);
    expect(a.some((p) => p.stock === 0)).toBe(true);
  });
});

describe.each(testStores())('the cart store on %s', (dialect: StoreDialect) => {
  async function openStore() {
    const test = await openTestStore(dialect, 'cart', [...handleMigrations, ...cartMigrations]);
    opened.push(test);
    return { ...test, ...cartStores(test.store), store: cartStores(test.store).carts, raw: test.store };
  }

  it('seeds the catalog once, however many instances open the store', async () => {
    const { raw, reopen } = await openStore();
    await reopen();
    expect(await rows(raw, 'SELECT count(*) AS n FROM products')).toEqual([{ n: CATALOG_SIZE }]);
  });

  it('adds never exceed the stock on hand, and say how many more fit', async () => {
    const { store, tx } = await openStore();
    const scarce = generateCatalog().find((p) => p.stock > 0 && p.stock < 6)!;
    await store.create(tx, 'cart_a', 'USD', 0);
    await store.addItem('cart_a', scarce.sku, scarce.stock, 1);
    await expect(store.addItem('cart_a', scarce.sku, 1, 2)).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    expect((await store.get('cart_a')).lines[0]?.quantity).toBe(scarce.stock);
  });

  it('versions increase by one per change and guard whole-line updates', async () => {
    const { store, tx } = await openStore();
    await store.create(tx, 'cart_v', 'GBP', 0);
    expect((await store.addItem('cart_v', 'TEA-0001', 1, 1)).version).toBe(1);
    expect(await store.setItem('cart_v', 'TEA-0001', 5, 1, 2)).toBe(2);
    await expect(store.setItem('cart_v', 'TEA-0001', 9, 1, 3)).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
      details: { current_version: 2 },
    });
    expect((await store.get('cart_v')).lines[0]?.quantity).toBe(5);
  });

  it('removing a cart removes its lines; its orders stay', async () => {
    const { store, tx, raw } = await openStore();
    await store.create(tx, 'cart_r', 'USD', 0);
    await store.addItem('cart_r', 'TEA-0001', 2, 1);
    await store.checkout('cart_r', 'key-0001', 2);
    await store.remove(tx, 'cart_r');
    expect(await rows(raw, `SELECT count(*) AS n FROM cart_lines WHERE cart_id = 'cart_r'`)).toEqual([{ n: 0 }]);
    expect(await rows(raw, `SELECT count(*) AS n FROM orders WHERE cart_id = 'cart_r'`)).toEqual([{ n: 1 }]);
  });
});
