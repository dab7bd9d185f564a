/** cart_search_products: find products by words in their SKU, name, category or description. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { CartDeps } from '../deps.js';
import { formatMoney } from '../domain/money.js';
import { productOut, productShape } from './shapes.js';

export const cartSearchProducts = defineTool({
  name: 'cart_search_products',
  title: 'Search products',
  description:
    'Search the catalog. Every word of the query must appear in the SKU, name, category or description; ' +
    'results are ordered by name matches, then SKU. Prices are USD cents.',
  input: z.object({
    query: z.string().min(1).max(200).describe('Words to look for, e.g. "green tea" or "walnut board"'),
    limit: z.number().int().min(1).max(50).default(10).describe('Most results to return (1-50, default 10)'),
  }),
  output: z.object({ products: z.array(productShape) }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ query, limit }, deps: CartDeps) {
    const products = await deps.products.search(query, limit);
    const text = products.length
      ? products.map((p) => `${p.sku} ${p.name} ${formatMoney(p.priceCents, 'USD')} (${p.stock} in stock)`).join('\n')
      : `No products match ${JSON.stringify(query)}; try fewer or other words.`;
    return { structured: { products: products.map(productOut) }, text };
  },
});
