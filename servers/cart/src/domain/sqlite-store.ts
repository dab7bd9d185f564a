/**
 * The cart store on SQLite. Every cart write is one short IMMEDIATE transaction built from single
 * atomic statements (`quantity = quantity + ?`, `stock = stock - ? WHERE stock >= ?`), never a
 * read-modify-write in JavaScript, so concurrent adds on several processes lose nothing; whole-line
 * updates may carry `expectedVersion` (optimistic concurrency). The catalog is read-only.
 */
import type { Database, DomainError, StoreTx, Transaction } from '@sessionless/kit';
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

export class SqliteCartStore implements CartStore {
  private readonly sql;
  private readonly addTransaction: Transaction<
    (id: string, sku: string, quantity: number, now: number, key: string | null) => AddedLine
  >;

  constructor(private readonly db: Database) {
    this.sql = {
      insert: db.prepare(`INSERT INTO carts (id, currency, created_at) VALUES (?, ?, ?)`),
      remove: db.prepare(`DELETE FROM carts WHERE id = ?`),
      cart: db.prepare<[string], CartRow>(`SELECT * FROM carts WHERE id = ?`),
      lines: db.prepare<[string], LineRow>(`
        SELECT l.sku, p.name, l.quantity, p.price_cents, p.stock
        FROM cart_lines l JOIN products p ON p.sku = l.sku WHERE l.cart_id = ? ORDER BY l.added_at, l.sku`),
      bumpOpen: db.prepare<{ id: string; expected: number | null }, { version: number }>(`
        UPDATE carts SET version = version + 1
        WHERE id = @id AND status = 'open' AND (@expected IS NULL OR version = @expected) RETURNING version`),
      // One statement: insert or add, but never beyond the stock on hand or the per-line cap.
      add: db.prepare<{ id: string; sku: string; quantity: number; now: number; cap: number }, { quantity: number }>(`
        INSERT INTO cart_lines (cart_id, sku, quantity, added_at)
        SELECT @id, @sku, @quantity, @now WHERE @quantity <= (SELECT stock FROM products WHERE sku = @sku)
        ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = quantity + excluded.quantity
        WHERE quantity + excluded.quantity <= min(@cap, (SELECT stock FROM products WHERE sku = excluded.sku))
        RETURNING quantity`),
      set: db.prepare(`
        INSERT INTO cart_lines (cart_id, sku, quantity, added_at) VALUES (@id, @sku, @quantity, @now)
        ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = excluded.quantity`),
      deleteLine: db.prepare(`DELETE FROM cart_lines WHERE cart_id = ? AND sku = ?`),
      product: db.prepare<[string], { stock: number }>(`SELECT stock FROM products WHERE sku = ?`),
      line: db.prepare<[string, string], { quantity: number }>(
        `SELECT quantity FROM cart_lines WHERE cart_id = ? AND sku = ?`,
      ),
      receipt: db.prepare<[string, string], ReceiptRow>(
        `SELECT sku, quantity, line_quantity, version FROM add_receipts WHERE cart_id = ? AND idempotency_key = ?`,
      ),
      insertReceipt: db.prepare(`
        INSERT INTO add_receipts (cart_id, idempotency_key, sku, quantity, line_quantity, version)
        VALUES (@id, @key, @sku, @quantity, @lineQuantity, @version)`),
      order: db.prepare<[string, string], OrderRow>(`SELECT * FROM orders WHERE cart_id = ? AND idempotency_key = ?`),
      takeStock: db.prepare(`UPDATE products SET stock = stock - @quantity WHERE sku = @sku AND stock >= @quantity`),
      insertOrder: db.prepare(`
        INSERT INTO orders (id, cart_id, idempotency_key, currency, total_cents, lines, created_at)
        VALUES (@id, @cartId, @idempotencyKey, @currency, @totalCents, @lines, @createdAt)`),
      close: db.prepare(`UPDATE carts SET status = 'checked_out', order_id = ?, version = version + 1 WHERE id = ?`),
    };
    // The hottest write: its transaction wrapper is built once, not per call.
    this.addTransaction = db.transaction(
      (id: string, sku: string, quantity: number, now: number, key: string | null) => {
        if (key !== null) {
          const receipt = this.sql.receipt.get(id, key);
          if (receipt) return replay(id, key, receipt, sku, quantity);
        }
        const version = this.bumpOrThrow(id, null);
        const added = this.sql.add.get({ id, sku, quantity, now, cap: MAX_LINE_QUANTITY });
        if (!added) throw this.whyNotAdded(id, sku, quantity);
        if (key !== null) this.sql.insertReceipt.run({ id, key, sku, quantity, lineQuantity: added.quantity, version });
        return { quantity: added.quantity, version, replayed: false };
      },
    );
  }

  create(_tx: StoreTx, id: string, currency: Currency, now: number): void {
    this.sql.insert.run(id, currency, now);
  }

  remove(_tx: StoreTx, id: string): void {
    this.sql.remove.run(id);
  }

  async get(id: string): Promise<CartView> {
    // A read transaction: the version and the lines describe the same moment.
    return this.db.transaction(() => cartView(this.cartOrThrow(id), this.sql.lines.all(id)))();
  }

  async addItem(id: string, sku: string, quantity: number, now: number, idempotencyKey?: string) {
    return this.addTransaction.immediate(id, sku, quantity, now, idempotencyKey ?? null);
  }

  async setItem(id: string, sku: string, quantity: number, expectedVersion: number | undefined, now: number) {
    return this.db
      .transaction(() => {
        const version = this.bumpOrThrow(id, expectedVersion ?? null);
        const stock = this.sql.product.get(sku)?.stock;
        if (stock === undefined) throw unknownSku(sku);
        if (quantity === 0) {
          if (this.sql.deleteLine.run(id, sku).changes === 0) throw notInCart(id, sku);
        } else {
          if (quantity > stock) throw insufficientStock(sku, stock, quantity);
          this.sql.set.run({ id, sku, quantity, now });
        }
        return version;
      })
      .immediate();
  }

  async checkout(id: string, idempotencyKey: string, now: number) {
    return this.db
      .transaction(() => {
        const previous = this.sql.order.get(id, idempotencyKey);
        if (previous) return { order: fromOrderRow(previous), replayed: true };
        const cart = this.cartOrThrow(id);
        if (cart.status === 'checked_out') throw checkedOutWithAnotherKey(id, cart.order_id);
        const rows = this.sql.lines.all(id);
        if (rows.length === 0) throw cartEmpty(id);
        for (const row of rows) {
          // Throwing inside the transaction rolls back every decrement made so far and leaves the cart as it was.
          if (this.sql.takeStock.run({ sku: row.sku, quantity: row.quantity }).changes === 0) {
            throw insufficientStock(row.sku, row.stock, row.quantity);
          }
        }
        const order = newOrder(cart, rows, idempotencyKey, now);
        this.sql.insertOrder.run({ ...order, lines: JSON.stringify(order.lines) });
        this.sql.close.run(order.id, id);
        return { order, replayed: false };
      })
      .immediate();
  }

  private cartOrThrow(id: string): CartRow {
    const cart = this.sql.cart.get(id);
    // The handle was checked first, so a missing row means the cart ended between the two reads.
    if (!cart) throw cartNotFound(id);
    return cart;
  }

  private bumpOrThrow(id: string, expected: number | null): number {
    const bumped = this.sql.bumpOpen.get({ id, expected });
    if (bumped) return bumped.version;
    const cart = this.cartOrThrow(id);
    if (cart.status === 'checked_out') throw cartCheckedOut(id, cart.order_id);
    throw versionConflict(id, expected, cart.version);
  }

  private whyNotAdded(id: string, sku: string, quantity: number): DomainError {
    const stock = this.sql.product.get(sku)?.stock;
    if (stock === undefined) return unknownSku(sku);
    const inCart = this.sql.line.get(id, sku)?.quantity ?? 0;
    if (inCart + quantity > MAX_LINE_QUANTITY) return quantityLimit(sku, inCart, MAX_LINE_QUANTITY);
    return insufficientStock(sku, stock, inCart + quantity, inCart);
  }
}

export class SqliteProductStore implements ProductStore {
  private readonly bySku;
  private readonly matching;

  constructor(db: Database) {
    this.bySku = db.prepare<[string], ProductRow>(`SELECT * FROM products WHERE sku = ?`);
    // Every word must appear in the SKU, name, category or description; name hits rank first.
    this.matching = db.prepare<[string, string, number], ProductRow>(`
      SELECT p.* FROM products p
      WHERE NOT EXISTS (
        SELECT 1 FROM json_each(?) w
        WHERE instr(lower(p.sku || ' ' || p.name || ' ' || p.category || ' ' || p.description), w.value) = 0)
      ORDER BY (SELECT count(*) FROM json_each(?) w WHERE instr(lower(p.name), w.value) > 0) DESC, p.sku
      LIMIT ?`);
  }

  async search(query: string, limit: number): Promise<Product[]> {
    const words = JSON.stringify(query.toLowerCase().split(/\s+/).filter(Boolean));
    return this.matching.all(words, words, limit).map(toProduct);
  }

  async getOrThrow(sku: string): Promise<Product> {
    const row = this.bySku.get(sku);
    if (!row) throw unknownSku(sku);
    return toProduct(row);
  }
}
