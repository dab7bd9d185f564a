/**
 * Smoke check: connect, call every cart tool once, assert the answers, exit non-zero on the
 * first mismatch. Runs against `--url <mcp url>` or, without it, a cart server it starts itself.
 *
 *   npm run smoke -w @sessionless/server-cart [-- --url http://127.0.0.1:3101/mcp]
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { connectModern, startServerProcess, tempDir, type ServerProcess } from '@sessionless/kit/testing';

const urlFlag = process.argv.indexOf('--url');
let server: ServerProcess | undefined;
const data = tempDir('cart-smoke-');
if (urlFlag < 0) {
  server = await startServerProcess({
    entry: fileURLToPath(new URL('../src/main.ts', import.meta.url)),
    env: { DATA_DIR: data.path },
  });
}
const url = urlFlag >= 0 ? process.argv[urlFlag + 1]! : server!.url;

type Structured = Record<string, unknown>;
const client = await connectModern(url, { name: 'cart-smoke' });
async function call(name: string, args: Structured): Promise<Structured> {
  const result = await client.callTool({ name, arguments: args });
  assert.ok(!result.isError, `${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as Structured;
}

try {
  const { tools } = await client.listTools();
  assert.equal(tools.length, 10, 'the cart server lists 10 tools');
  const found = (await call('cart_search_products', { query: 'tea', limit: 3 })).products as Array<{ sku: string }>;
  assert.equal(found.length, 3);
  const sku = found[0]!.sku;
  assert.equal((await call('cart_get_product', { sku })).sku, sku);
  const cartId = String((await call('cart_create', {})).cart_id);
  assert.equal((await call('cart_add_item', { cart_id: cartId, sku, quantity: 2 })).line_quantity, 2);
  assert.equal(
    (await call('cart_update_item', { cart_id: cartId, sku, quantity: 3, expected_version: 1 })).quantity,
    3,
  );
  await call('cart_add_item', { cart_id: cartId, sku: found[1]!.sku, quantity: 1 });
  await call('cart_remove_item', { cart_id: cartId, sku: found[1]!.sku });
  assert.equal((await call('cart_get', { cart_id: cartId })).item_count, 3);
  assert.equal((await call('cart_checkout', { cart_id: cartId, idempotency_key: `smoke-${cartId}` })).replayed, false);
  assert.ok(((await call('cart_list', {})).carts as Array<{ cart_id: string }>).some((c) => c.cart_id === cartId));
  assert.equal((await call('cart_destroy', { cart_id: cartId })).destroyed, true);
  console.log(`cart smoke: all 10 tools answered as expected at ${url}`);
} finally {
  await client.close();
  await server?.stop();
  data.remove();
}
