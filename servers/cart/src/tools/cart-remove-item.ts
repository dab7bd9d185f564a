/** cart_remove_item: drop one product's line from a cart. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { CartDeps } from '../deps.js';
import { cartIdArgument, skuArgument } from './shapes.js';

export const cartRemoveItem = defineTool({
  name: 'cart_remove_item',
  title: 'Remove from cart',
  description:
    'Remove a product line from a cart. Pass expected_version to refuse if the cart changed since you read it.',
  input: z.object({
    cart_id: cartIdArgument,
    sku: skuArgument,
    expected_version: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Cart version you last read; the removal fails if it changed'),
  }),
  output: z.object({ cart_id: z.string(), sku: z.string(), version: z.number().int() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler({ cart_id, sku, expected_version }, deps: CartDeps, call) {
    await deps.handles.resolveOrThrow(deps.cartKind, call, cart_id);
    const version = await deps.carts.setItem(cart_id, sku, 0, expected_version, deps.now());
    return { structured: { cart_id, sku, version }, text: `Removed ${sku} from cart ${cart_id} (version ${version}).` };
  },
});
