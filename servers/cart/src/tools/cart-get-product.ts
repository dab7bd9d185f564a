/** cart_get_product: one product by SKU, with its current stock. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { CartDeps } from '../deps.js';
import { formatMoney } from '../domain/money.js';
import { productOut, productShape, skuArgument } from './shapes.js';

export const cartGetProduct = defineTool({
  name: 'cart_get_product',
  title: 'Get a product',
  description: 'Get one product by SKU: name, description, USD price in cents and units in stock now.',
  input: z.object({ sku: skuArgument }),
  output: productShape,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ sku }, deps: CartDeps) {
    const product = await deps.products.getOrThrow(sku);
    return {
      structured: productOut(product),
      text: `${product.sku} ${product.name}: ${formatMoney(product.priceCents, 'USD')}, ${product.stock} in stock. ${product.description}`,
    };
  },
});
