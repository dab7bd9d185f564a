/**
 * cart_create: mint a cart handle. The handle is the only state that spans calls: pass the
 * returned cart_id to every other cart tool, and to other subagents to share the cart.
 */
import { defineTool, Handles } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { CartDeps } from '../deps.js';
import { CURRENCIES } from '../domain/money.js';

export const cartCreate = defineTool({
  name: 'cart_create',
  title: 'Create a cart',
  description: (deps: CartDeps) =>
    'Create an empty shopping cart and return its cart_id. Pass the cart_id to the other cart tools; ' +
    'give the same cart_id to several subagents to let them fill one shared cart. ' +
    Handles.lifetimeSentence(deps.cartKind),
  input: z.object({
    currency: z.enum(CURRENCIES).default('USD').describe('Currency the cart is priced in (fixed demo rates)'),
  }),
  output: z.object({
    cart_id: z.string().describe('Handle for this cart; pass it to the other cart tools'),
    currency: z.enum(CURRENCIES),
    expires_at: z.string().describe('Latest ISO 8601 time the cart can live, even if used'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler({ currency }, deps: CartDeps, call) {
    // The cart row is written in the handle's own transaction: there is never one without the other.
    const { handle } = await deps.handles.create(deps.cartKind, call, (tx, handle) =>
      deps.carts.create(tx, handle.id, currency, handle.createdAt),
    );
    return {
      structured: { cart_id: handle.id, currency, expires_at: new Date(handle.expiresAt).toISOString() },
      text: `Created cart ${handle.id} (${currency}).`,
    };
  },
});
