/**
 * Every refusal the cart store makes, in one place: a stable code, one sentence naming the input,
 * what is wrong and the way out, and the facts a program may branch on. Unknown SKUs are in
 * products.ts; the handle codes (unknown, expired, quota) come from the kit's Handles.
 */
import { DomainError } from '@sessionless/kit';

export function cartNotFound(id: string): DomainError {
  return new DomainError('HANDLE_NOT_FOUND', `Cart ${id} was not found; call cart_create to start a new cart.`);
}

export function cartCheckedOut(id: string, orderId: string | null): DomainError {
  return new DomainError(
    'CART_CHECKED_OUT',
    `Cart ${id} is already checked out (order ${orderId}) and cannot change; call cart_create for a new cart.`,
    { order_id: orderId },
  );
}

export function checkedOutWithAnotherKey(id: string, orderId: string | null): DomainError {
  return new DomainError(
    'CART_CHECKED_OUT',
    `Cart ${id} was already checked out as order ${orderId} with a different idempotency_key; ` +
      `retry with the original key to get that order, or call cart_create for a new cart.`,
    { order_id: orderId },
  );
}

export function cartEmpty(id: string): DomainError {
  return new DomainError('CART_EMPTY', `Cart ${id} is empty; add items with cart_add_item before checking out.`);
}

export function versionConflict(id: string, expected: number | null, current: number): DomainError {
  return new DomainError(
    'VERSION_CONFLICT',
    `Cart ${id} changed since you read it (you expected version ${expected}, it is now at ${current}); ` +
      `call cart_get and apply your change to the current cart.`,
    { current_version: current },
  );
}

export function quantityLimit(sku: string, inCart: number, max: number): DomainError {
  return new DomainError(
    'QUANTITY_LIMIT',
    `A cart line holds at most ${max} units and this cart already has ${inCart} of ${sku}; add at most ${max - inCart}.`,
  );
}

export function insufficientStock(sku: string, stock: number, wanted: number, inCart = 0): DomainError {
  const room = Math.max(0, stock - inCart);
  const advice = room > 0 ? `add at most ${room} more` : 'choose another product (cart_search_products)';
  return new DomainError(
    'INSUFFICIENT_STOCK',
    `Only ${stock} of ${sku} in stock but ${wanted} wanted${inCart ? ` (${inCart} already in the cart)` : ''}; ${advice}.`,
    { sku, stock },
  );
}

export function idempotencyKeyReused(id: string, key: string, done: { sku: string; quantity: number }): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    `The idempotency_key ${key} already added ${done.quantity} x ${done.sku} to cart ${id}; ` +
      `use a new key for a different add, or the same arguments to retry that one.`,
    { sku: done.sku, quantity: done.quantity },
  );
}

export function notInCart(id: string, sku: string): DomainError {
  return new DomainError('ITEM_NOT_IN_CART', `Cart ${id} has no line for ${sku}; call cart_get to see its lines.`);
}
