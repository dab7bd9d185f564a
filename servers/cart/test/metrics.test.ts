/**
 * /metrics counts what the harness needs to count from the server side: requests by method and
 * protocol era, tool outcomes by error code, handles by kind.
 */
import { connectLegacy, connectModern } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, raw, startCart, type CartFixture } from './helpers.js';

let cart: CartFixture;
beforeAll(async () => {
  cart = await startCart();
});
afterAll(() => cart.stop());

async function scrape(): Promise<string> {
  return (await raw(`${cart.servers[0]!.origin}/metrics`, {})).text;
}

function value(metrics: string, name: string, labels: Record<string, string>): number {
  const line = metrics
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('/metrics', () => {
  it('counts requests by method and era, tool errors by code, and live handles by kind', async () => {
    const modern = await connectModern(cart.servers[0]!.url);
    await modern.listTools();
    const { cart_id } = ok<{ cart_id: string }>(await modern.callTool({ name: 'cart_create', arguments: {} }));
    await modern.callTool({ name: 'cart_add_item', arguments: { cart_id, sku: 'NOPE-1', quantity: 1 } });
    const legacy = await connectLegacy(cart.servers[0]!.url);
    await legacy.listTools();
    await legacy.callTool({ name: 'cart_get', arguments: { cart_id: `cart_${'n'.repeat(22)}` } });

    const metrics = await scrape();
    expect(value(metrics, 'mcp_requests_total', { method: 'server/discover', era: 'modern', status: '200' })).toBe(1);
    expect(value(metrics, 'mcp_requests_total', { method: 'tools/list', era: 'modern' })).toBe(1);
    expect(value(metrics, 'mcp_requests_total', { method: 'tools/call', tool: 'cart_add_item', era: 'modern' })).toBe(
      1,
    );
    expect(value(metrics, 'mcp_requests_total', { method: 'initialize', era: 'legacy' })).toBe(1);
    expect(value(metrics, 'mcp_requests_total', { method: 'tools/list', era: 'legacy' })).toBe(1);
    expect(value(metrics, 'mcp_tool_errors_total', { tool: 'cart_add_item', code: 'UNKNOWN_SKU' })).toBe(1);
    expect(value(metrics, 'mcp_handle_errors_total', { kind: 'cart', reason: 'HANDLE_NOT_FOUND' })).toBe(1);
    expect(value(metrics, 'mcp_handles_created_total', { kind: 'cart' })).toBe(1);
    expect(value(metrics, 'mcp_handles_active', { kind: 'cart' })).toBe(1);
    expect(value(metrics, 'mcp_request_bytes_total', { method: 'tools/call', era: 'modern' })).toBeGreaterThan(100);
    await Promise.all([modern.close(), legacy.close()]);
  });
});
