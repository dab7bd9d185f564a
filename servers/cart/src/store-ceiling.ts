#!/usr/bin/env node
/**
 * The store's own write ceiling: what `cart_add_item` does in SQLite - check the cart handle,
 * then the keyed add in one IMMEDIATE transaction - in a tight loop with no MCP, HTTP or JSON
 * around it, for CEILING_SECONDS seconds against the database in DATA_DIR. Run two at once on one
 * DATA_DIR to see what instances sharing the file get together. Prints one JSON line to stdout.
 * Used by `sessionless-harness scale` to say how far adding instances can go on one host.
 */
import { loadConfig, openRuntime, runMain, startCall } from '@sessionless/kit';
import { generateCatalog } from './domain/catalog.js';
import { cartConfigSchema } from './config.js';
import { createCartDeps } from './deps.js';
import { cartMigrations } from './domain/schema.js';

await runMain('cart-store-ceiling', async () => {
  const config = loadConfig(cartConfigSchema);
  const seconds = Number(process.env.CEILING_SECONDS ?? 3);
  const runtime = await openRuntime({
    name: 'cart',
    config: { ...config, LOG_LEVEL: 'warn' },
    migrations: cartMigrations,
  });
  const deps = createCartDeps(runtime, { ...config, CART_QUOTA: 1_000 });
  const principal = `store-ceiling#${process.pid}`;
  const skus = generateCatalog()
    .filter((product) => product.stock >= 100)
    .map((product) => ({ sku: product.sku, stock: product.stock, left: product.stock }));

  let cart = await newCart();
  let writes = 0;
  let next = 0;
  // CEILING_START_AT (epoch ms) lets two processes measure the same window.
  const startAt = Number(process.env.CEILING_START_AT ?? Date.now());
  while (Date.now() < startAt) await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    const line = skus[next++ % skus.length]!;
    if (line.left === 0) {
      // A fresh cart can take each product's whole stock again.
      cart = await newCart();
      for (const s of skus) s.left = s.stock;
    }
    line.left -= 1;
    // Exactly what one cart_add_item call does with the store: resolve, add, and end the call.
    const call = startCall(principal);
    await deps.handles.resolveOrThrow(deps.cartKind, call, cart);
    await deps.carts.addItem(cart, line.sku, 1, Date.now(), `ceiling-${process.pid}-${writes}`);
    await call.end();
    writes += 1;
  }
  const elapsed = (performance.now() - started) / 1000;
  await runtime.close();
  process.stdout.write(`${JSON.stringify({ writes, seconds: elapsed, writesPerSecond: writes / elapsed })}\n`);

  async function newCart(): Promise<string> {
    const call = startCall(principal);
    const { handle } = await deps.handles.create(deps.cartKind, call, (tx, handle) =>
      deps.carts.create(tx, handle.id, 'USD', handle.createdAt),
    );
    await call.end();
    return handle.id;
  }
});
