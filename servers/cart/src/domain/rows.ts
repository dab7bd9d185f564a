/**
 * What both cart stores read and how it becomes the views the tools return: the row shapes (the
 * same columns in SQLite and PostgreSQL), lines priced in the cart's currency, a new order, and
 * the replay of a keyed add. No SQL here; the statements live in each store.
 */
import { randomBytes } from 'node:crypto';
import type { Product } from './catalog.js';
import { idempotencyKeyReused } from './errors.js';
import { convertCents, type Currency } from './money.js';
import type { AddedLine, CartLine, CartView, Order } from './store.js';

export interface CartRow {
  id: string;
  currency: Currency;
  status: 'open' | 'checked_out';
  version: number;
  order_id: string | null;
}

export interface LineRow {
  sku: string;
  name: string;
  quantity: number;
  price_cents: number;
  stock: number;
}

export interface ReceiptRow {
  sku: string;
  quantity: number;
  line_quantity: number;
  version: number;
}

export interface OrderRow {
  id: string;
  cart_id: string;
  idempotency_key: string;
  currency: Currency;
  total_cents: number;
  lines: string;
  created_at: number;
}

/** A cart and its lines (in the order they were first added) as the tools show it. */
export function cartView(cart: CartRow, lineRows: readonly LineRow[]): CartView {
  const lines = lineRows.map((row) => toLine(row, cart.currency));
  return {
    id: cart.id,
    currency: cart.currency,
    status: cart.status,
    version: cart.version,
    lines,
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    subtotalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
    orderId: cart.order_id,
  };
}

/** The order for a cart's lines, priced in its currency, under a fresh id. */
export function newOrder(cart: CartRow, lineRows: readonly LineRow[], idempotencyKey: string, now: number): Order {
  const lines = lineRows.map((row) => toLine(row, cart.currency));
  return {
    id: `ord_${randomBytes(12).toString('base64url')}`,
    cartId: cart.id,
    idempotencyKey,
    currency: cart.currency,
    totalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
    lines,
    createdAt: now,
  };
}

/** The first answer again, but only for the same add: a key reused for another add is a bug to report. */
export function replay(id: string, key: string, receipt: ReceiptRow, sku: string, quantity: number): AddedLine {
  if (receipt.sku !== sku || receipt.quantity !== quantity) throw idempotencyKeyReused(id, key, receipt);
  return { quantity: receipt.line_quantity, version: receipt.version, replayed: true };
}

export function toLine(row: LineRow, currency: Currency): CartLine {
  const unitPriceCents = convertCents(row.price_cents, currency);
  return {
    sku: row.sku,
    name: row.name,
    quantity: row.quantity,
    unitPriceCents,
    lineTotalCents: unitPriceCents * row.quantity,
  };
}

export function fromOrderRow(row: OrderRow): Order {
  return {
    id: row.id,
    cartId: row.cart_id,
    idempotencyKey: row.idempotency_key,
    currency: row.currency,
    totalCents: row.total_cents,
    lines: JSON.parse(row.lines) as CartLine[],
    createdAt: row.created_at,
  };
}

export interface ProductRow {
  sku: string;
  name: string;
  category: string;
  description: string;
  price_cents: number;
  stock: number;
}

export const toProduct = (row: ProductRow): Product => ({
  sku: row.sku,
  name: row.name,
  category: row.category,
  description: row.description,
  priceCents: row.price_cents,
  stock: row.stock,
});
