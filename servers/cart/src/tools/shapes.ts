/**
 * Output shapes shared by several cart tools, and their short text renderings.
 */
import { handleIdArgument } from '@sessionless/kit';
import * as z from 'zod/v4';
import { CART_NAMES } from '../deps.js';
import type { Product } from '../domain/catalog.js';
import type { CartView, Order } from '../domain/store.js';
import { CURRENCIES, formatMoney } from '../domain/money.js';

/** The cart handle argument; gateways can route on its `Mcp-Param-Cart-Id` mirror. */
export const cartIdArgument = handleIdArgument(CART_NAMES, 'Cart-Id');

export const skuArgument = z
  .string()
  .min(1)
  .max(32)
  .describe('Product SKU such as "TEA-0001" (see cart_search_products).');

/** A key the caller chooses so that retrying a write (on any instance) does it once. */
export const idempotencyKeyArgument = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only');

export const productShape = z.object({
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  description: z.string(),
  price_cents: z.number().int().describe('Price in USD cents'),
  stock: z.number().int().describe('Units on hand now'),
});

const lineShape = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int(),
  unit_price_cents: z.number().int(),
  line_total_cents: z.number().int(),
});

export const cartShape = z.object({
  cart_id: z.string(),
  currency: z.enum(CURRENCIES),
  status: z.enum(['open', 'checked_out']),
  version: z.number().int().describe('Increases on every change; pass it as expected_version to cart_update_item'),
  lines: z.array(lineShape),
  item_count: z.number().int(),
  subtotal_cents: z.number().int(),
  order_id: z.union([z.string(), z.null()]).describe('The order placed from this cart, or null while it is open'),
});

export const orderShape = z.object({
  order_id: z.string(),
  cart_id: z.string(),
  idempotency_key: z.string(),
  currency: z.enum(CURRENCIES),
  total_cents: z.number().int(),
  lines: z.array(lineShape),
  created_at: z.string().describe('ISO 8601 time the order was placed'),
  replayed: z.boolean().describe('True when this idempotency_key had already placed the order'),
});

export function productOut(product: Product): z.input<typeof productShape> {
  return {
    sku: product.sku,
    name: product.name,
    category: product.category,
    description: product.description,
    price_cents: product.priceCents,
    stock: product.stock,
  };
}

export function cartOut(cart: CartView): z.input<typeof cartShape> {
  return {
    cart_id: cart.id,
    currency: cart.currency,
    status: cart.status,
    version: cart.version,
    lines: cart.lines.map(lineOut),
    item_count: cart.itemCount,
    subtotal_cents: cart.subtotalCents,
    order_id: cart.orderId,
  };
}

export function orderOut(order: Order, replayed: boolean): z.input<typeof orderShape> {
  return {
    order_id: order.id,
    cart_id: order.cartId,
    idempotency_key: order.idempotencyKey,
    currency: order.currency,
    total_cents: order.totalCents,
    lines: order.lines.map(lineOut),
    created_at: new Date(order.createdAt).toISOString(),
    replayed,
  };
}

function lineOut(line: CartView['lines'][number]) {
  return {
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    unit_price_cents: line.unitPriceCents,
    line_total_cents: line.lineTotalCents,
  };
}

export function renderCart(cart: CartView): string {
  const lines = cart.lines.map(
    (line) => `  ${line.quantity} x ${line.sku} ${line.name} = ${formatMoney(line.lineTotalCents, cart.currency)}`,
  );
  return [
    `Cart ${cart.id} (${cart.status}, version ${cart.version}): ${cart.itemCount} items, subtotal ${formatMoney(cart.subtotalCents, cart.currency)}`,
    ...lines,
  ].join('\n');
}
