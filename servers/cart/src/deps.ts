/**
 * What the cart tools depend on, built once per process and closed over by every per-request
 * McpServer: the handle registry and the stores, SQLite or PostgreSQL as the runtime opened them.
 * Nothing here belongs to a request.
 */
import { type Handles, type HandleKind, type Runtime, type Store } from '@sessionless/kit';
import type { CartConfig, CartLimits } from './config.js';
import { PostgresCartStore, PostgresProductStore } from './domain/postgres-store.js';
import { SqliteCartStore, SqliteProductStore } from './domain/sqlite-store.js';
import type { CartStore, ProductStore } from './domain/store.js';

export interface CartDeps {
  handles: Handles;
  cartKind: HandleKind;
  carts: CartStore;
  products: ProductStore;
  now: () => number;
}

export const CART_NAMES = {
  prefix: 'cart',
  noun: 'cart',
  createTool: 'cart_create',
  listTool: 'cart_list',
  idArgument: 'cart_id',
} as const;

/** The cart handle kind; when a cart handle ends, its cart row (and lines) go in the same transaction. */
export function cartKind(limits: CartLimits, carts?: CartStore): HandleKind {
  return { ...CART_NAMES, ...limits, state: carts && { remove: (tx, handle) => carts.remove(tx, handle.id) } };
}

/** The cart's stores on whichever store the runtime opened. */
export function cartStores(store: Store): { carts: CartStore; products: ProductStore } {
  return store.dialect === 'postgres'
    ? { carts: new PostgresCartStore(store), products: new PostgresProductStore(store) }
    : { carts: new SqliteCartStore(store.db), products: new SqliteProductStore(store.db) };
}

export function createCartDeps(runtime: Runtime, config: CartConfig): CartDeps {
  const { carts, products } = cartStores(runtime.store);
  const limits = {
    idleTtlMs: config.CART_IDLE_TTL,
    absoluteTtlMs: config.CART_MAX_LIFETIME,
    quotaPerPrincipal: config.CART_QUOTA,
  };
  const kind = cartKind(limits, carts);
  runtime.handles.register(kind);
  return {
    handles: runtime.handles,
    cartKind: kind,
    carts,
    products,
    now: runtime.now,
  };
}
