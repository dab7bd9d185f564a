/**
 * cart_add_item: add units of a product to a cart. Adds are atomic increments, so subagents
 * sharing one cart can add at the same time, on any instance, without losing each other's units.
 * An idempotency_key makes a retry safe when the first attempt's answer was lost.
 */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { CartDeps } from '../deps.js';
import { cartIdArgument, idempotencyKeyArgument, skuArgument } from './shapes.js';

export const cartAddItem = defineTool({
  name: 'cart_add_item',
  title: 'Add to cart',
  description:
    'Add quantity units of a product to a cart (adds to any units already there). Safe to call from ' +
    'several subagents on the same cart at once. Fails if the line would exceed the stock on hand. ' +
    'Pass an idempotency_key to make retries safe: the same key adds once and returns the first answer.',
  input: z.object({
    cart_id: cartIdArgument,
    sku: skuArgument,
    quantity: z.number().int().min(1).max(1000).describe('Units to add, 1-1000'),
    idempotency_key: idempotencyKeyArgument
      .optional()
      .describe('A unique key you choose for this add (8-128 characters); reuse it only to retry the same add'),
  }),
  output: z.object({
    cart_id: z.string(),
    sku: z.string(),
    line_quantity: z.number().int().describe('Units of this SKU in the cart after the add'),
    version: z.number().int().describe('Cart version after the add'),
    replayed: z.boolean().describe('True when this idempotency_key had already done the add; nothing changed now'),
  }),
  // Not idempotent without a key; with one it is, which is why retrying clients send one.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler({ cart_id, sku, quantity, idempotency_key }, deps: CartDeps, call) {
    await deps.handles.resolveOrThrow(deps.cartKind, call, cart_id);
    const line = await deps.carts.addItem(cart_id, sku, quantity, deps.now(), idempotency_key);
    const done = line.replayed
      ? `Already added ${quantity} x ${sku} with this idempotency_key`
      : `Added ${quantity} x ${sku}`;
    return {
      structured: { cart_id, sku, line_quantity: line.quantity, version: line.version, replayed: line.replayed },
      text: `${done} to cart ${cart_id}; the cart now holds ${line.quantity} (version ${line.version}).`,
    };
  },
});
