/**
 * What the cart tools depend on, built once per process and closed over by every per-request
 * McpServer: the handle registry and the stores. Nothing here belongs to a request.
 */
import { type Handles, type HandleKind, type Runtime } from '@sessionless/kit';
import { SqliteCartStore, type CartStore } from './domain/carts.js';
import { SqliteProductStore, type ProductStore } from './domain/products.js';

export interface CartDeps {
  handles: Handles;
  cartKind: HandleKind;
  carts: CartStore;
  products: ProductStore;
  now: () => number;
}

export interface CartLimits {
  idleTtlMs: number;
  absoluteTtlMs: number;
  quotaPerPrincipal: number;
}

export const DEFAULT_CART_LIMITS: CartLimits = {
  idleTtlMs: 86_400_000,
  absoluteTtlMs: 7 * 86_400_000,
  quotaPerPrincipal: 20,
};

export const CART_NAMES = {
  prefix: 'cart',
  noun: 'cart',
  createTool: 'cart_create',
  listTool: 'cart_list',
  idArgument: 'cart_id',
} as const;

export function cartKind(limits: CartLimits): HandleKind {
  return { ...CART_NAMES, ...limits };
}

export function createCartDeps(runtime: Runtime, limits: CartLimits, now: () => number = Date.now): CartDeps {
  return {
    handles: runtime.handles,
    cartKind: cartKind(limits),
    carts: new SqliteCartStore(runtime.db),
    products: new SqliteProductStore(runtime.db),
    now,
  };
}

/** Frees a cart's rows when its handle is destroyed or expires. */
export function removeCartState(db: Runtime['db'], cartId: string): void {
  db.prepare(`DELETE FROM carts WHERE id = ?`).run(cartId);
}
