/**
 * The cart store on PostgreSQL. The same atomic statements as on SQLite; what SQLite's single
 * writer gave for free is explicit here: every cart write first locks its cart row (the version
 * bump, or `FOR UPDATE`), so writes to one cart queue while other carts go on; stock is taken with
 * `stock = stock - q WHERE stock >= q`, in SKU order so two checkouts never deadlock; a keyed add
 * or a checkout looks for its receipt or order only once it holds the lock, so a retry racing the
 * first attempt on another instance replays it instead of doing it twice.
 */
import { statement, type DomainError, type Postgres, type Queryable, type StoreTx } from '@sessionless/kit';
import type { Product } from './catalog.js';
import {
  cartCheckedOut,
  cartEmpty,
  cartNotFound,
  checkedOutWithAnotherKey,
  insufficientStock,
  notInCart,
  quantityLimit,
  unknownSku,
  versionConflict,
} from './errors.js';
import type { Currency } from './money.js';
import {
  cartView,
  fromOrderRow,
  newOrder,
  replay,
  toProduct,
  type CartRow,
  type LineRow,
  type OrderRow,
  type ProductRow,
  type ReceiptRow,
} from './rows.js';
import { MAX_LINE_QUANTITY, type AddedLine, type CartStore, type CartView, type ProductStore } from './store.js';

const SQL = {
  insert: statement(`INSERT INTO carts (id, currency, created_at) VALUES ($1, $2, $3)`),
  remove: statement(`DELETE FROM carts WHERE id = $1`),
  cart: statement(`SELECT * FROM carts WHERE id = $1`),
  lockCart: statement(`SELECT * FROM carts WHERE id = $1 FOR UPDATE`),
  lines: statement(`
    SELECT l.sku, p.name, l.quantity, p.price_cents, p.stock
    FROM cart_lines l JOIN products p ON p.sku = l.sku WHERE l.cart_id = $1 ORDER BY l.added_at, l.sku`),
  linesBySku: statement(`
    SELECT l.sku, p.name, l.quantity, p.price_cents, p.stock
    FROM cart_lines l JOIN products p ON p.sku = l.sku WHERE l.cart_id = $1 ORDER BY l.sku`),
  bumpOpen: statement(`
    UPDATE carts SET version = version + 1
    WHERE id = $1 AND status = 'open' AND ($2::int IS NULL OR version = $2) RETURNING version`),
  // One statement: insert or add, but never beyond the stock on hand or the per-line cap.
  add: statement(`
    INSERT INTO cart_lines (cart_id, sku, quantity, added_at)
    SELECT $1, $2, $3, $4 WHERE $3 <= (SELECT stock FROM products WHERE sku = $2)
    ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = cart_lines.quantity + excluded.quantity
    WHERE cart_lines.quantity + excluded.quantity <= LEAST($5, (SELECT stock FROM products WHERE sku = excluded.sku))
    RETURNING quantity`),
  set: statement(`
    INSERT INTO cart_lines (cart_id, sku, quantity, added_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = excluded.quantity`),
  deleteLine: statement(`DELETE FROM cart_lines WHERE cart_id = $1 AND sku = $2 RETURNING sku`),
  product: statement(`SELECT stock FROM products WHERE sku = $1`),
  line: statement(`SELECT quantity FROM cart_lines WHERE cart_id = $1 AND sku = $2`),
  receipt: statement(
    `SELECT sku, quantity, line_quantity, version FROM add_receipts WHERE cart_id = $1 AND idempotency_key = $2`,
  ),
  insertReceipt: statement(`
    INSERT INTO add_receipts (cart_id, idempotency_key, sku, quantity, line_quantity, version)
    VALUES ($1, $2, $3, $4, $5, $6)`),
  order: statement(`SELECT * FROM orders WHERE cart_id = $1 AND idempotency_key = $2`),
  takeStock: statement(`UPDATE products SET stock = stock - $2 WHERE sku = $1 AND stock >= $2 RETURNING sku`),
  insertOrder: statement(`
    INSERT INTO orders (id, cart_id, idempotency_key, currency, total_cents, lines, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`),
  close: statement(`UPDATE carts SET status = 'checked_out', order_id = $2, version = version + 1 WHERE id = $1`),
  bySku: statement(`SELECT * FROM products WHERE sku = $1`),
  // Every word must appear in the SKU, name, category or description; name hits rank first.
  matching: statement(`
    SELECT p.* FROM products p
    WHERE NOT EXISTS (
      SELECT 1 FROM unnest($1::text[]) w
      WHERE strpos(lower(p.sku || ' ' || p.name || ' ' || p.category || ' ' || p.description), w) = 0)
    ORDER BY (SELECT count(*) FROM unnest($1::text[]) w WHERE strpos(lower(p.name), w) > 0) DESC, p.sku
    LIMIT $2`),
};

/** Thrown inside an add's transaction to roll it back when the key turns out to be a replay. */
class Replayed {
  constructor(readonly line: AddedLine) {}
}

export class PostgresCartStore implements CartStore {
  constructor(private readonly db: Postgres) {}

  async create(tx: StoreTx, id: string, currency: Currency, now: number): Promise<void> {
    await txOf(tx).query(SQL.insert, [id, currency, now]);
  }

  async remove(tx: StoreTx, id: string): Promise<void> {
    await txOf(tx).query(SQL.remove, [id]);
  }

  async get(id: string): Promise<CartView> {
    // One snapshot: the version and the lines describe the same moment.
    return this.db.transaction(async (tx) => cartView(await cartOrThrow(tx, id), await tx.query(SQL.lines, [id])), {
      readOnly: true,
    });
  }

  async addItem(id: string, sku: string, quantity: number, now: number, idempotencyKey?: string) {
    const key = idempotencyKey ?? null;
    try {
      return await this.db.transaction(async (tx): Promise<AddedLine> => {
        const version = await bumpOrThrow(tx, id, null);
        if (key !== null) {
          const [receipt] = await tx.query<ReceiptRow>(SQL.receipt, [id, key]);
          if (receipt) throw new Replayed(replay(id, key, receipt, sku, quantity));
        }
        const [added] = await tx.query<{ quantity: number }>(SQL.add, [id, sku, quantity, now, MAX_LINE_QUANTITY]);
        if (!added) throw await whyNotAdded(tx, id, sku, quantity);
        if (key !== null) await tx.query(SQL.insertReceipt, [id, key, sku, quantity, added.quantity, version]);
        return { quantity: added.quantity, version, replayed: false };
      });
    } catch (error) {
      // A replay changes nothing: the version bump that found the receipt was rolled back.
      if (error instanceof Replayed) return error.line;
      throw error;
    }
  }

  async setItem(id: string, sku: string, quantity: number, expectedVersion: number | undefined, now: number) {
    return this.db.transaction(async (tx) => {
      const version = await bumpOrThrow(tx, id, expectedVersion ?? null);
      const [product] = await tx.query<{ stock: number }>(SQL.product, [sku]);
      if (!product) throw unknownSku(sku);
      if (quantity === 0) {
        if ((await tx.query(SQL.deleteLine, [id, sku])).length === 0) throw notInCart(id, sku);
      } else {
        if (quantity > product.stock) throw insufficientStock(sku, product.stock, quantity);
        await tx.query(SQL.set, [id, sku, quantity, now]);
      }
      return version;
    });
  }

  async checkout(id: string, idempotencyKey: string, now: number) {
    return this.db.transaction(async (tx) => {
      const cart = await cartOrThrow(tx, id, true);
      // Looked up under the cart's lock: a retry that raced the first checkout sees its order.
      const [previous] = await tx.query<OrderRow>(SQL.order, [id, idempotencyKey]);
      if (previous) return { order: fromOrderRow(previous), replayed: true };
      if (cart.status === 'checked_out') throw checkedOutWithAnotherKey(id, cart.order_id);
      const rows = await tx.query<LineRow>(SQL.linesBySku, [id]);
      if (rows.length === 0) throw cartEmpty(id);
      for (const row of rows) {
        // Throwing inside the transaction rolls back every decrement made so far and leaves the cart as it was.
        if ((await tx.query(SQL.takeStock, [row.sku, row.quantity])).length === 0) {
          throw insufficientStock(row.sku, row.stock, row.quantity);
        }
      }
      const order = newOrder(cart, await tx.query<LineRow>(SQL.lines, [id]), idempotencyKey, now);
      await tx.query(SQL.insertOrder, [
        order.id,
        order.cartId,
        order.idempotencyKey,
        order.currency,
        order.totalCents,
        JSON.stringify(order.lines),
        order.createdAt,
      ]);
      await tx.query(SQL.close, [id, order.id]);
      return { order, replayed: false };
    });
  }
}

export class PostgresProductStore implements ProductStore {
  constructor(private readonly db: Postgres) {}

  async search(query: string, limit: number): Promise<Product[]> {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return (await this.db.query<ProductRow>(SQL.matching, [words, limit])).map(toProduct);
  }

  async getOrThrow(sku: string): Promise<Product> {
    const [row] = await this.db.query<ProductRow>(SQL.bySku, [sku]);
    if (!row) throw unknownSku(sku);
    return toProduct(row);
  }
}

function txOf(tx: StoreTx): Queryable {
  if (tx.dialect !== 'postgres') throw new Error('the PostgreSQL cart store was given a SQLite transaction');
  return tx.db;
}

async function cartOrThrow(tx: Queryable, id: string, lock = false): Promise<CartRow> {
  const [cart] = await tx.query<CartRow>(lock ? SQL.lockCart : SQL.cart, [id]);
  // The handle was checked first, so a missing row means the cart ended between the two reads.
  if (!cart) throw cartNotFound(id);
  return cart;
}

async function bumpOrThrow(tx: Queryable, id: string, expected: number | null): Promise<number> {
  const [bumped] = await tx.query<{ version: number }>(SQL.bumpOpen, [id, expected]);
  if (bumped) return bumped.version;
  const cart = await cartOrThrow(tx, id);
  if (cart.status === 'checked_out') throw cartCheckedOut(id, cart.order_id);
  throw versionConflict(id, expected, cart.version);
}

async function whyNotAdded(tx: Queryable, id: string, sku: string, quantity: number): Promise<DomainError> {
  const [product] = await tx.query<{ stock: number }>(SQL.product, [sku]);
  if (!product) return unknownSku(sku);
  const [line] = await tx.query<{ quantity: number }>(SQL.line, [id, sku]);
  const inCart = line?.quantity ?? 0;
  if (inCart + quantity > MAX_LINE_QUANTITY) return quantityLimit(sku, inCart, MAX_LINE_QUANTITY);
  return insufficientStock(sku, product.stock, inCart + quantity, inCart);
}
