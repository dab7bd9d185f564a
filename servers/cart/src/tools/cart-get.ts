/** cart_get: the cart's lines, totals, status and version. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { CartDeps } from '../deps.js';
import { cartIdArgument, cartOut, cartShape, renderCart } from './shapes.js';

export const cartGet = defineTool({
  name: 'cart_get',
  title: 'Get a cart',
  description: 'Read a cart: its lines with prices in the cart currency, item count, subtotal, status and version.',
  input: z.object({ cart_id: cartIdArgument }),
  output: cartShape,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ cart_id }, deps: CartDeps, call) {
    await deps.handles.resolveOrThrow(deps.cartKind, call, cart_id);
    const cart = await deps.carts.get(cart_id);
    return { structured: cartOut(cart), text: renderCart(cart) };
  },
});
