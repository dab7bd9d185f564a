/**
 * What the cart tools need from storage, and no more: carts written by many subagents at once,
 * and the read-only catalog. The interfaces are async and narrow, so each store back-end (SQLite
 * in sqlite-store.ts) implements them with its own atomic statements; the tools never see SQL.
 */
import type { StoreTx } from '@sessionless/kit';
import type { Product } from './catalog.js';
import type { Currency } from './money.js';

export const MAX_LINE_QUANTITY = 10_000;

export interface CartLine {
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface CartView {
  id: string;
  currency: Currency;
  status: 'open' | 'checked_out';
  version: number;
  lines: CartLine[];
  itemCount: number;
  subtotalCents: number;
  orderId: string | null;
}

export interface Order {
  id: string;
  cartId: string;
  idempotencyKey: string;
  currency: Currency;
  totalCents: number;
  lines: CartLine[];
  createdAt: number;
}

export interface AddedLine {
  /** Units of the SKU in the cart after the add. */
  quantity: number;
  version: number;
  /** True when the idempotency key had already done this add; nothing changed this time. */
  replayed: boolean;
}

export interface CartStore {
  /** Writes a new cart, inside the transaction that inserts its handle. */
  create(tx: StoreTx, id: string, currency: Currency, now: number): void | Promise<void>;
  /** Deletes a cart and its lines, inside the transaction that ends its handle. */
  remove(tx: StoreTx, id: string): void | Promise<void>;
  get(id: string): Promise<CartView>;
  /** With an idempotency key, a repeated add returns the first answer and adds nothing. */
  addItem(id: string, sku: string, quantity: number, now: number, idempotencyKey?: string): Promise<AddedLine>;
  /** Sets a line's quantity (0 removes it). */
  setItem(id: string, sku: string, quantity: number, expectedVersion: number | undefined, now: number): Promise<number>;
  checkout(id: string, idempotencyKey: string, now: number): Promise<{ order: Order; replayed: boolean }>;
}

export interface ProductStore {
  search(query: string, limit: number): Promise<Product[]>;
  getOrThrow(sku: string): Promise<Product>;
}
