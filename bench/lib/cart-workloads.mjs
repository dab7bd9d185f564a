/**
 * The cart benchmark's workloads - what each request carries - and the plain calls around them
 * (setup, the catalog, the server's /metrics counts). `begin(seconds)` prepares one run and
 * returns `next()` (headers and body of the next request) and `finish()` (server-side checks
 * after the run). Request bodies are templates, not JSON.stringify: the load generator's cost per
 * request is measured too, and must be the same for every target.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { URL } from 'node:url';
import { META, modernHeaders, toolCallBody } from './mcp-request.mjs';

const { fetch } = globalThis; // Node's built-in fetch (undici), used for setup and checks only
const MAX_LINE_QUANTITY = 10_000; // the cart's per-line cap, on top of the product's stock

export function echoWorkload(token) {
  let id = 0;
  return {
    describe: 'tools/call echo {text:"hello"}',
    async begin() {
      return {
        next: () => ({
          headers: modernHeaders(token, 'echo'),
          body: `{"jsonrpc":"2.0","id":${++id},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"},${META}}}`,
        }),
        finish: async () => undefined,
      };
    },
  };
}

/**
 * cart_add_item, quantity 1, on carts created for the run. A cart line may not exceed the
 * product's stock, so requests rotate over every in-stock SKU of the run's cart(s) and never ask
 * for more than a line can take: every measured request is meant to succeed.
 */
export function cartWorkload(target, token, catalog) {
  const capacityPerCart = catalog.reduce((sum, product) => sum + Math.min(product.stock, MAX_LINE_QUANTITY), 0);
  const rateBound = Number(process.env.BENCH_CART_RATE_BOUND ?? 10_000);
  let id = 0;
  return {
    describe: 'tools/call cart_add_item {cart_id, sku, quantity:1} + Mcp-Param-Cart-Id, rotating SKUs',
    capacityPerCart,
    async begin(seconds) {
      const cartCount = Math.max(1, Math.ceil((seconds * rateBound) / capacityPerCart));
      const carts = [];
      for (let i = 0; i < cartCount; i++) carts.push((await callTool(target.url, token, 'cart_create', {})).cart_id);
      const slots = carts.flatMap((cartId) =>
        catalog.map((product) => ({ cartId, sku: product.sku, left: Math.min(product.stock, MAX_LINE_QUANTITY) })),
      );
      const before = await toolCallCounts(target.url, 'cart_add_item');
      let cursor = 0;
      let last = slots[0];
      let exhausted = false;
      return {
        next() {
          if (slots.length === 0) {
            exhausted = true; // sent anyway (it will fail and be counted), so the run stays honest
          } else {
            cursor %= slots.length;
            last = slots[cursor];
            last.left--;
            if (last.left > 0) {
              cursor++;
            } else {
              slots[cursor] = slots[slots.length - 1]; // the line is full: drop it
              slots.pop();
            }
          }
          return {
            headers: { ...modernHeaders(token, 'cart_add_item'), 'Mcp-Param-Cart-Id': last.cartId },
            body: `{"jsonrpc":"2.0","id":${++id},"method":"tools/call","params":{"name":"cart_add_item","arguments":{"cart_id":"${last.cartId}","sku":"${last.sku}","quantity":1},${META}}}`,
          };
        },
        async finish() {
          const after = await settledToolCallCounts(target.url, 'cart_add_item');
          let unitsInCarts = 0;
          for (const cartId of carts) {
            unitsInCarts += (await callTool(target.url, token, 'cart_get', { cart_id: cartId })).item_count;
            await callTool(target.url, token, 'cart_destroy', { cart_id: cartId });
          }
          const delta = (outcome) => (after[outcome] ?? 0) - (before[outcome] ?? 0);
          return {
            carts: carts.length,
            serverOk: delta('ok'),
            serverToolErrors: delta('tool_error') + delta('exception'),
            unitsInCarts,
            capacityExhausted: exhausted,
          };
        },
      };
    },
  };
}

/** The catalog as the server sees it, read through cart_search_products (50 per category prefix). */
export async function readCatalog(target, token) {
  const bySku = new Map();
  for (const prefix of ['tea-', 'cof-', 'kit-', 'bok-', 'gar-', 'aud-']) {
    const { products } = await callTool(target.url, token, 'cart_search_products', { query: prefix, limit: 50 });
    for (const product of products) bySku.set(product.sku, product);
  }
  const inStock = [...bySku.values()].filter((product) => product.stock > 0);
  if (inStock.length === 0)
    throw new Error('cart_search_products found no product in stock; cannot drive cart_add_item');
  return inStock.sort((a, b) => (a.sku < b.sku ? -1 : 1));
}

/** One tools/call outside the measured load (setup and checks), failing loudly on any error. */
async function callTool(url, token, name, args) {
  const headers = modernHeaders(token, name);
  // cart_id is marked x-mcp-header "Cart-Id" in the cart's schemas (SEP-2243): mirror it.
  if (typeof args.cart_id === 'string') headers['Mcp-Param-Cart-Id'] = args.cart_id;
  const body = toolCallBody(1, name, args);
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    throw new Error(`${name}: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!response.ok || message.error) throw new Error(`${name}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  if (message.result?.isError) throw new Error(`${name} failed: ${message.result.content?.[0]?.text}`);
  return message.result.structuredContent ?? message.result;
}

/**
 * The counts once the server has finished the requests that were in flight when the load stopped
 * (the client stops counting at once; the server still completes them).
 */
async function settledToolCallCounts(url, tool) {
  let previous = await toolCallCounts(url, tool);
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    const current = await toolCallCounts(url, tool);
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
  return previous;
}

/** `mcp_tool_calls_total` for one tool from the server's /metrics, by outcome. */
async function toolCallCounts(url, tool) {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const counts = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('mcp_tool_calls_total{') || !line.includes(`tool="${tool}"`)) continue;
    const outcome = line.match(/outcome="([^"]+)"/)?.[1];
    if (outcome) counts[outcome] = (counts[outcome] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return counts;
}
