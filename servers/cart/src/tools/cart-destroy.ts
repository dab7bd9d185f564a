/** cart_destroy: release a cart and its lines now instead of waiting for it to expire. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { CartDeps } from '../deps.js';
import { cartIdArgument } from './shapes.js';

export const cartDestroy = defineTool({
  name: 'cart_destroy',
  title: 'Destroy a cart',
  description: 'Delete a cart and its lines. Orders already placed from it are kept. The cart_id stops working.',
  input: z.object({ cart_id: cartIdArgument }),
  output: z.object({ cart_id: z.string(), destroyed: z.literal(true) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler({ cart_id }, deps: CartDeps, call) {
    await deps.handles.destroy(deps.cartKind, call, cart_id);
    return { structured: { cart_id, destroyed: true as const }, text: `Destroyed cart ${cart_id}.` };
  },
});
