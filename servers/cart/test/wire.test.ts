/**
 * The wire facts a client's cache depends on: `tools/list` is byte-identical whichever process
 * answers, before and after any tool call, and for any principal; its order is fixed; it and
 * `server/discover` carry ttlMs and cacheScope; no response ever carries Mcp-Session-Id.
 */
import { connectLegacy } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartTools } from '../src/tools/index.js';
import { SECRET, raw, rawModern, startCart, type CartFixture, type RawResponse, tokenFor } from './helpers.js';

let cart: CartFixture;
const seen: RawResponse[] = [];
let alice: string;
let bob: string;

beforeAll(async () => {
  cart = await startCart({ JWT_SECRET: SECRET }, 2);
  alice = await tokenFor('alice');
  bob = await tokenFor('bob');
});
afterAll(() => cart.stop());

async function send(
  server: number,
  token: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<RawResponse> {
  const response = await rawModern(cart.servers[server]!.url, method, params, {
    authorization: `Bearer ${token}`,
    'mcp-session-id': 'made-up-session',
  });
  seen.push(response);
  return response;
}

const listBody = (response: RawResponse) => JSON.stringify(response.json().result);

describe('tools/list', () => {
  it('is byte-identical across processes, principals and tool calls, in a fixed order, with cache hints', async () => {
    const baseline = await send(0, alice, 'tools/list');
    expect(baseline.status).toBe(200);
    const result = baseline.json().result as { tools: Array<{ name: string }>; ttlMs: number; cacheScope: string };
    expect(result.tools.map((tool) => tool.name)).toEqual(cartTools.map((tool) => tool.name));
    expect(result.ttlMs).toBeGreaterThan(0);
    expect(result.cacheScope).toBe('public');

    const created = await send(1, bob, 'tools/call', { name: 'cart_create', arguments: {} });
    const cartId = (created.json().result as { structuredContent: { cart_id: string } }).structuredContent.cart_id;
    await send(0, bob, 'tools/call', {
      name: 'cart_add_item',
      arguments: { cart_id: cartId, sku: 'TEA-0001', quantity: 1 },
    });
    await send(1, bob, 'tools/call', { name: 'cart_destroy', arguments: { cart_id: cartId } });

    for (const [server, token] of [
      [0, alice],
      [1, alice],
      [0, bob],
      [1, bob],
    ] as const) {
      expect(listBody(await send(server, token, 'tools/list'))).toBe(listBody(baseline));
    }
  });

  it('declares every handle argument as an x-mcp-header so gateways can route on it', async () => {
    const result = (await send(0, alice, 'tools/list')).json().result as {
      tools: Array<{ name: string; inputSchema: { properties: Record<string, Record<string, unknown>> } }>;
    };
    for (const tool of result.tools) {
      const cartId = tool.inputSchema.properties.cart_id;
      if (cartId) expect(cartId['x-mcp-header'], tool.name).toBe('Cart-Id');
    }
  });
});

describe('server/discover', () => {
  it('is identical across processes and carries ttlMs and cacheScope', async () => {
    const a = await send(0, alice, 'server/discover');
    const b = await send(1, bob, 'server/discover');
    expect(JSON.stringify(a.json().result)).toBe(JSON.stringify(b.json().result));
    expect(a.json().result).toMatchObject({
      supportedVersions: ['2026-07-28'],
      cacheScope: 'public',
      ttlMs: expect.any(Number),
    });
  });
});

describe('sessions', () => {
  it('no response carries Mcp-Session-Id, including the 2025-11-25 initialize', async () => {
    const legacyInit = await raw(cart.servers[0]!.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${alice}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    });
    expect(legacyInit.status).toBe(200);
    seen.push(legacyInit);
    const legacy = await connectLegacy(cart.servers[1]!.url, { token: alice });
    expect(legacy.transport?.sessionId).toBeUndefined();
    await legacy.close();
    expect(seen.length).toBeGreaterThan(8);
    for (const response of seen) expect(response.headers.get('mcp-session-id')).toBeNull();
  });
});
