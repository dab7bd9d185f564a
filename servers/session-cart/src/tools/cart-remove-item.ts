/** cart_remove_item: drop one product's line from this session's cart. */
import * as z from 'zod/v4';
import { SESSION_SCOPE, skuArgument } from './shapes.js';
import { defineTool } from './tool.js';

export const cartRemoveItem = defineTool({
  name: 'cart_remove_item',
  title: 'Remove from cart',
  description: `Remove a product line from the cart. ${SESSION_SCOPE}`,
  input: z.object({ sku: skuArgument }),
  output: z.object({ sku: z.string(), version: z.number().int() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler({ sku }, cart) {
    const version = cart.removeItem(sku);
    return { structured: { sku, version }, text: `Removed ${sku} from this session's cart (version ${version}).` };
  },
});
