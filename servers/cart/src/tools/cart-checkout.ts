/**
 * cart_checkout: turn the cart into an order, reserving stock for every line in one transaction.
 * The idempotency_key makes retries safe: the same key returns the same order and takes stock once.
 */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { CartDeps } from '../deps.js';
import { formatMoney } from '../domain/money.js';
import { cartIdArgument, idempotencyKeyArgument, orderOut, orderShape } from './shapes.js';

export const cartCheckout = defineTool({
  name: 'cart_checkout',
  title: 'Check out',
  description:
    'Place an order for everything in the cart and take the stock. Retrying with the same idempotency_key ' +
    'returns the same order without taking stock again. If any line lacks stock, nothing changes.',
  input: z.object({
    cart_id: cartIdArgument,
    idempotency_key: idempotencyKeyArgument.describe(
      'A unique key you choose for this checkout (8-128 characters); reuse it only to retry',
    ),
  }),
  output: orderShape,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ cart_id, idempotency_key }, deps: CartDeps, call) {
    await deps.handles.resolveOrThrow(deps.cartKind, call, cart_id);
    const { order, replayed } = await deps.carts.checkout(cart_id, idempotency_key, deps.now());
    const total = formatMoney(order.totalCents, order.currency);
    return {
      structured: orderOut(order, replayed),
      text: `${replayed ? 'Already placed' : 'Placed'} order ${order.id} for cart ${cart_id}: ${total}.`,
    };
  },
});
