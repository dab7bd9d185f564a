/**
 * cart_update_item: set a line to an exact quantity. Unlike an add, a "set" from a stale read can
 * undo someone else's change, so it takes expected_version (optimistic concurrency).
 */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { CartDeps } from '../deps.js';
import { cartIdArgument, skuArgument } from './shapes.js';

export const cartUpdateItem = defineTool({
  name: 'cart_update_item',
  title: 'Set a cart line quantity',
  description:
    'Set the quantity of one product in a cart (0 removes the line). Pass expected_version from your ' +
    'last cart_get to refuse the change if another subagent changed the cart since; without it the last write wins.',
  input: z.object({
    cart_id: cartIdArgument,
    sku: skuArgument,
    quantity: z.number().int().min(0).max(1000).describe('New quantity for the line, 0-1000; 0 removes it'),
    expected_version: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Cart version you last read; the update fails if it changed'),
  }),
  output: z.object({ cart_id: z.string(), sku: z.string(), quantity: z.number().int(), version: z.number().int() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ cart_id, sku, quantity, expected_version }, deps: CartDeps, call) {
    await deps.handles.resolveOrThrow(deps.cartKind, call, cart_id);
    const version = await deps.carts.setItem(cart_id, sku, quantity, expected_version, deps.now());
    return {
      structured: { cart_id, sku, quantity, version },
      text: `Set ${sku} to ${quantity} in cart ${cart_id} (version ${version}).`,
    };
  },
});
