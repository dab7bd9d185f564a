/**
 * The cart server's one error catalogue: every code it can return (the kit's handle codes
 * included), when, and the way out; the README's errors table is generated from it. Below it,
 * each refusal's sentence builder: the input, what is wrong and the way out, plus the facts a
 * program may branch on. `refuse` takes only a catalogue code, so a misspelt code does not compile.
 */
import { defineErrors, DomainError, KIT_ERRORS } from '@sessionless/kit';

export const CART_ERRORS = defineErrors({
  ...KIT_ERRORS,
  UNKNOWN_SKU: {
    when: 'No product has the SKU given.',
    wayOut: 'Call cart_search_products to find a valid SKU.',
  },
  INSUFFICIENT_STOCK: {
    when: 'An add or update, or a checkout, wants more units than are in stock.',
    wayOut: 'Add at most the units the sentence names, or choose another product.',
  },
  QUANTITY_LIMIT: {
    when: 'A cart line would hold more than 10,000 units.',
    wayOut: 'Add at most the units the sentence names.',
  },
  VERSION_CONFLICT: {
    when: "cart_update_item's expected_version is not the cart's version any more.",
    wayOut: 'Call cart_get and apply the change to the current cart.',
  },
  ITEM_NOT_IN_CART: {
    when: 'cart_remove_item (or an update to 0) names a SKU the cart has no line for.',
    wayOut: 'Call cart_get to see its lines.',
  },
  CART_CHECKED_OUT: {
    when: 'The cart was checked out (possibly with another idempotency_key), so it cannot change.',
    wayOut: 'Retry a checkout with its original key to get the order, or call cart_create for a new cart.',
  },
  CART_EMPTY: {
    when: 'cart_checkout on a cart with no lines.',
    wayOut: 'Add items with cart_add_item first.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    when: 'An idempotency_key already did a different add to this cart.',
    wayOut: 'Use a new key for a different add, or the same arguments to retry that one.',
  },
});

export type CartErrorCode = keyof typeof CART_ERRORS;

function refuse(code: CartErrorCode, message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(code, message, details);
}

export function unknownSku(sku: string): DomainError {
  return refuse(
    'UNKNOWN_SKU',
    `No product has SKU ${JSON.stringify(sku)}; call cart_search_products to find a valid SKU.`,
  );
}

/** The handle was checked first, so a missing cart row means the cart ended between the two reads. */
export function cartNotFound(id: string): DomainError {
  return refuse('HANDLE_NOT_FOUND', `Cart ${id} was not found; call cart_create to start a new cart.`);
}

export function cartCheckedOut(id: string, orderId: string | null): DomainError {
  return refuse(
    'CART_CHECKED_OUT',
    `Cart ${id} is already checked out (order ${orderId}) and cannot change; call cart_create for a new cart.`,
    { order_id: orderId },
  );
}

export function checkedOutWithAnotherKey(id: string, orderId: string | null): DomainError {
  return refuse(
    'CART_CHECKED_OUT',
    `Cart ${id} was already checked out as order ${orderId} with a different idempotency_key; ` +
      `retry with the original key to get that order, or call cart_create for a new cart.`,
    { order_id: orderId },
  );
}

export function cartEmpty(id: string): DomainError {
  return refuse('CART_EMPTY', `Cart ${id} is empty; add items with cart_add_item before checking out.`);
}

export function versionConflict(id: string, expected: number | null, current: number): DomainError {
  return refuse(
    'VERSION_CONFLICT',
    `Cart ${id} changed since you read it (you expected version ${expected}, it is now at ${current}); ` +
      `call cart_get and apply your change to the current cart.`,
    { current_version: current },
  );
}

export function quantityLimit(sku: string, inCart: number, max: number): DomainError {
  return refuse(
    'QUANTITY_LIMIT',
    `A cart line holds at most ${max} units and this cart already has ${inCart} of ${sku}; add at most ${max - inCart}.`,
  );
}

export function insufficientStock(sku: string, stock: number, wanted: number, inCart = 0): DomainError {
  const room = Math.max(0, stock - inCart);
  const advice = room > 0 ? `add at most ${room} more` : 'choose another product (cart_search_products)';
  return refuse(
    'INSUFFICIENT_STOCK',
    `Only ${stock} of ${sku} in stock but ${wanted} wanted${inCart ? ` (${inCart} already in the cart)` : ''}; ${advice}.`,
    { sku, stock },
  );
}

export function idempotencyKeyReused(id: string, key: string, done: { sku: string; quantity: number }): DomainError {
  return refuse(
    'IDEMPOTENCY_KEY_REUSED',
    `The idempotency_key ${key} already added ${done.quantity} x ${done.sku} to cart ${id}; ` +
      `use a new key for a different add, or the same arguments to retry that one.`,
    { sku: done.sku, quantity: done.quantity },
  );
}

export function notInCart(id: string, sku: string): DomainError {
  return refuse('ITEM_NOT_IN_CART', `Cart ${id} has no line for ${sku}; call cart_get to see its lines.`);
}
