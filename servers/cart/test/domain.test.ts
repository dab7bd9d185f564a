/**
 * The cart domain without MCP: the seeded catalog and the store's atomic rules.
 */
import { migrate, openDatabase, type StoreTx } from '@sessionless/kit';
import { tempDir } from '@sessionless/kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOG_SIZE, generateCatalog } from '../src/domain/catalog.js';
import { SqliteCartStore } from '../src/domain/sqlite-store.js';
import { cartMigrations } from '../src/domain/schema.js';

/** Outside a handle's transaction: these tests call the store's state writers directly. */
const tx: StoreTx = { dialect: 'sqlite' };
const dirs: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function openStore() {
  const dir = tempDir('cart-domain-');
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir.path, name: 'cart', migrations: cartMigrations });
  return { db, store: new SqliteCartStore(db) };
}

describe('catalog', () => {
  it('is the same for every instance: deterministic SKUs, prices and stock', () => {
    const a = generateCatalog();
    expect(a).toHaveLength(CATALOG_SIZE);
    expect(generateCatalog()).toEqual(a);
    expect(new Set(a.map((p) => p.sku)).size).toBe(CATALOG_SIZE);
    expect(a.some((p) => p.stock === 0)).toBe(true);
  });

  it('is seeded once even when migrations run again', () => {
    const { db } = openStore();
    expect(migrate(db, cartMigrations)).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM products').get()).toEqual({ n: CATALOG_SIZE });
  });
});

describe('SqliteCartStore', () => {
  it('adds never exceed the stock on hand, and say how many more fit', async () => {
    const { store } = openStore();
    const scarce = generateCatalog().find((p) => p.stock > 0 && p.stock < 6)!;
    await store.create(tx, 'cart_a', 'USD', 0);
    await store.addItem('cart_a', scarce.sku, scarce.stock, 1);
    await expect(store.addItem('cart_a', scarce.sku, 1, 2)).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    expect((await store.get('cart_a')).lines[0]?.quantity).toBe(scarce.stock);
  });

  it('versions increase by one per change and guard whole-line updates', async () => {
    const { store } = openStore();
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
    const { db, store } = openStore();
    await store.create(tx, 'cart_r', 'USD', 0);
    await store.addItem('cart_r', 'TEA-0001', 2, 1);
    await store.checkout('cart_r', 'key-0001', 2);
    await store.remove(tx, 'cart_r');
    expect(db.prepare(`SELECT count(*) AS n FROM cart_lines WHERE cart_id = 'cart_r'`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM orders WHERE cart_id = 'cart_r'`).get()).toEqual({ n: 1 });
  });
});
