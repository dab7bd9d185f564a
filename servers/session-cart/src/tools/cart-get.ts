/** cart_get: this session's cart lines, total units and version. */
import * as z from 'zod/v4';
import { SESSION_SCOPE } from './shapes.js';
import { defineTool } from './tool.js';

export const cartGet = defineTool({
  name: 'cart_get',
  title: 'Get the cart',
  description: `Read the cart: its lines, total units and version. ${SESSION_SCOPE}`,
  input: z.object({}),
  output: z.object({
    lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
    total_units: z.number().int(),
    version: z.number().int().describe('Increases on every change'),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(_args, cart) {
    const lines = cart.lines();
    const totalUnits = lines.reduce((sum, line) => sum + line.quantity, 0);
    const rendered = lines.map((line) => `  ${line.quantity} x ${line.sku}`);
    return {
      structured: { lines, total_units: totalUnits, version: cart.version },
      text: [`This session's cart (version ${cart.version}): ${totalUnits} units`, ...rendered].join('\n'),
    };
  },
});
