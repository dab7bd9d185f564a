/**
 * One session's cart, kept in this process's memory: SKU -> quantity and a version that grows on
 * every change. It lives exactly as long as the session object that holds it, which is the point
 * of this baseline: nothing survives a DELETE, an idle timeout, a restart or another instance.
 */

/** Any SKU of this shape is accepted: there is no catalog and no stock here. */
export const SKU_PATTERN = /^[A-Z]{3}-\d{4}$/;

/** Distinct SKUs one cart may hold, so one session cannot grow without bound. */
export const MAX_LINES = 200;

export type CartErrorCode = 'ITEM_NOT_IN_CART' | 'CART_FULL';

/** An expected failure; its message is the one sentence the caller reads. */
export class CartError extends Error {
  constructor(
    readonly code: CartErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CartError';
  }
}

export interface CartLine {
  sku: string;
  quantity: number;
}

export class SessionCart {
  readonly #quantities = new Map<string, number>();
  #version = 0;

  get version(): number {
    return this.#version;
  }

  /** Adds units to a line (creating it) and returns the line's new quantity and the cart version. */
  addItem(sku: string, quantity: number): { quantity: number; version: number } {
    const current = this.#quantities.get(sku);
    if (current === undefined && this.#quantities.size >= MAX_LINES) {
      throw new CartError(
        'CART_FULL',
        `This session's cart already holds ${MAX_LINES} different SKUs; remove one with cart_remove_item before adding ${sku}.`,
      );
    }
    const next = (current ?? 0) + quantity;
    this.#quantities.set(sku, next);
    this.#version += 1;
    return { quantity: next, version: this.#version };
  }

  /** Drops a line and returns the cart version; a SKU not in the cart is an error, not a no-op. */
  removeItem(sku: string): number {
    if (!this.#quantities.delete(sku)) {
      throw new CartError(
        'ITEM_NOT_IN_CART',
        `${sku} is not in this session's cart; call cart_get to see what it holds.`,
      );
    }
    this.#version += 1;
    return this.#version;
  }

  /** The lines in SKU order. */
  lines(): CartLine[] {
    return [...this.#quantities]
      .map(([sku, quantity]) => ({ sku, quantity }))
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  }
}
