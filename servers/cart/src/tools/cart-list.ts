/** cart_list: the caller's live carts, for recovering ids after a lost context. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { CartDeps } from '../deps.js';

export const cartList = defineTool({
  name: 'cart_list',
  title: 'List my carts',
  description: 'List the carts you created that are still live, oldest first, with their status and item count.',
  input: z.object({}),
  output: z.object({
    carts: z.array(
      z.object({
        cart_id: z.string(),
        status: z.enum(['open', 'checked_out']),
        item_count: z.number().int(),
        created_at: z.string(),
        last_used_at: z.string(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(_args, deps: CartDeps, call) {
    const handles = await deps.handles.listMine(deps.cartKind, call.principal);
    const carts = [];
    for (const handle of handles) {
      // A cart destroyed between the two reads is simply no longer listed.
      const cart = await deps.carts.get(handle.id).catch(() => undefined);
      if (!cart) continue;
      carts.push({
        cart_id: handle.id,
        status: cart.status,
        item_count: cart.itemCount,
        created_at: new Date(handle.createdAt).toISOString(),
        last_used_at: new Date(handle.lastUsedAt).toISOString(),
      });
    }
    const text = carts.length
      ? carts.map((c) => `${c.cart_id} ${c.status} ${c.item_count} items`).join('\n')
      : 'You hold no live carts; call cart_create to start one.';
    return { structured: { carts }, text };
  },
});
