/**
 * cart_add_item: add units of a product to this session's cart. There is no cart_id: the session
 * is the cart, so only this connection can add to it, and only on the instance that holds it.
 */
import * as z from 'zod/v4';
import { SESSION_SCOPE, skuArgument } from './shapes.js';
import { defineTool } from './tool.js';

export const cartAddItem = defineTool({
  name: 'cart_add_item',
  title: 'Add to cart',
  description: `Add quantity units of a product to the cart (adds to any units already there). ${SESSION_SCOPE}`,
  input: z.object({
    sku: skuArgument,
    quantity: z.number().int().min(1).max(1000).describe('Units to add, 1-1000'),
  }),
  output: z.object({
    sku: z.string(),
    line_quantity: z.number().int().describe('Units of this SKU in the cart after the add'),
    version: z.number().int().describe('Cart version after the add'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler({ sku, quantity }, cart) {
    const line = cart.addItem(sku, quantity);
    return {
      structured: { sku, line_quantity: line.quantity, version: line.version },
      text: `Added ${quantity} x ${sku} to this session's cart; the cart now holds ${line.quantity} (version ${line.version}).`,
    };
  },
});
