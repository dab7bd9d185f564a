/**
 * Bad input gets a clear error that names the problem, at the right layer (tool error, JSON-RPC
 * error or HTTP status), and the server keeps serving afterwards. Tool arguments are checked
 * in-process; the HTTP layer (body limit, Host/Origin, methods, tokens) on a real process.
 */
import { signDevToken } from '@sessionless/kit';
import { connectModern, type InProcessApp, type ModernClient } from '@sessionless/kit/testing';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CartDeps } from '../src/index.js';
import {
  SECRET,
  cartInProcess,
  ok,
  raw,
  rawModern,
  startCart,
  toolError,
  type CartFixture,
  tokenFor,
} from './helpers.js';

let inProcess: InProcessApp<CartDeps>;
let cart: CartFixture;
let url: string;
let token: string;
let client: ModernClient;
let cartId: string;

beforeAll(async () => {
  [inProcess, cart] = await Promise.all([
    cartInProcess({ JWT_SECRET: SECRET }),
    startCart({ JWT_SECRET: SECRET, MAX_BODY_BYTES: '4096' }),
  ]);
  url = cart.servers[0]!.url;
  token = await tokenFor('alice');
  client = await inProcess.connectModern({ token });
  cartId = ok<{ cart_id: string }>(await client.callTool({ name: 'cart_create', arguments: {} })).cart_id;
});
afterAll(async () => {
  await client.close();
  await Promise.all([inProcess.close(), cart.stop()]);
});

const auth = () => ({ authorization: `Bearer ${token}` });

describe('bad tool arguments are tool errors that name the field', () => {
  it.each([
    ['a string quantity', { quantity: 'two' }, /quantity.*expected number/],
    ['a zero quantity', { quantity: 0 }, /quantity.*>=1/],
    ['a negative quantity', { quantity: -5 }, /quantity.*>=1/],
    ['an absurd quantity', { quantity: 1e9 }, /quantity.*<=1000/],
    ['a fractional quantity', { quantity: 1.5 }, /quantity.*expected int/],
    ['an over-long sku', { sku: 'X'.repeat(500) }, /sku.*<=32/],
    ['a missing sku', { sku: undefined }, /sku/],
  ])('cart_add_item with %s', async (_name, change, message) => {
    const args = { cart_id: cartId, sku: 'TEA-0001', quantity: 1, ...change };
    const error = toolError(await client.callTool({ name: 'cart_add_item', arguments: args }));
    expect(error.text).toMatch(/Input validation error/);
    expect(error.text).toMatch(message);
  });

  it('an unknown SKU names it and points to cart_search_products', async () => {
    const error = toolError(
      await client.callTool({ name: 'cart_add_item', arguments: { cart_id: cartId, sku: 'NOPE-9999', quantity: 1 } }),
    );
    expect(error).toMatchObject({ code: 'UNKNOWN_SKU' });
    expect(error.text).toMatch(/No product has SKU "NOPE-9999"; call cart_search_products/);
  });

  it('an over-long search query and an over-long cart id are refused by the schema', async () => {
    expect(
      toolError(await client.callTool({ name: 'cart_search_products', arguments: { query: 'q'.repeat(201) } })).text,
    ).toMatch(/query/);
    const longId = `cart_${'a'.repeat(200)}`;
    expect(toolError(await client.callTool({ name: 'cart_get', arguments: { cart_id: longId } })).text).toMatch(
      /cart_id/,
    );
  });
});

describe('bad requests are refused at the protocol or HTTP layer', () => {
  it('malformed JSON gets 400 with JSON-RPC -32700', async () => {
    const response = await raw(url, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{"jsonrpc": "2.0", ',
    });
    expect(response.status).toBe(400);
    expect(response.json().error).toMatchObject({ code: -32700, message: expect.stringMatching(/Parse error/) });
  });

  it('a body over the limit gets 413', async () => {
    const response = await rawModern(
      url,
      'tools/call',
      { name: 'cart_search_products', arguments: { query: 'x'.repeat(5000) } },
      auth(),
    );
    expect(response.status).toBe(413);
    expect(response.text).toMatch(/over 4096 bytes/);
  });

  it('a foreign Host or Origin gets 403 (DNS rebinding protection)', async () => {
    const port = new URL(url).port;
    const host = await postWithHost(url, `evil.example:${port}`);
    const origin = await rawModern(url, 'tools/list', {}, { ...auth(), origin: 'https://evil.example' });
    expect([host.status, origin.status]).toEqual([403, 403]);
    expect((await rawModern(url, 'tools/list', {}, { ...auth(), origin: `http://localhost:${port}` })).status).toBe(
      200,
    );
  });

  it.each(['GET', 'DELETE', 'PUT'])('%s /mcp gets 405 naming POST', async (method) => {
    const response = await raw(url, { method, headers: auth() });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['no token', undefined, /missing bearer token/],
    ['a garbage token', 'Bearer garbage', /malformed/],
    ['an expired token', 'EXPIRED', /expired/],
    ['a token signed with another key', 'FORGED', /signature/],
    [
      'a token for the workspace server',
      'WORKSPACE',
      /not for this server: its .*aud.* claim must name .*sessionless-cart/,
    ],
    ['a token that names no server', 'NO_AUDIENCE', /names no server: its .*aud.* claim must name .*sessionless-cart/],
  ])('%s gets 401 with WWW-Authenticate', async (_name, header, message) => {
    let authorization = header;
    if (header === 'WORKSPACE')
      authorization = `Bearer ${await tokenFor('alice', { audience: 'sessionless-workspace' })}`;
    if (header === 'NO_AUDIENCE') authorization = `Bearer ${await signDevToken(SECRET, 'alice')}`;
    if (header === 'EXPIRED')
      authorization = `Bearer ${await tokenFor('alice', { expiresIn: Math.floor(Date.now() / 1000) - 10 })}`;
    if (header === 'FORGED') authorization = `Bearer ${await signDevToken('x'.repeat(40), 'alice')}`;
    const response = await rawModern(url, 'tools/list', {}, authorization ? { authorization } : {});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="mcp"/);
    expect(response.text).toMatch(message);
  });

  it('an unknown method gets 404 with -32601 and an unknown tool -32602', async () => {
    const method = await rawModern(url, 'carts/teleport', {}, auth());
    expect(method.status).toBe(404);
    expect(method.json().error?.code).toBe(-32601);
    const tool = await rawModern(url, 'tools/call', { name: 'cart_teleport', arguments: {} }, auth());
    expect(tool.json().error?.code).toBe(-32602);
  });

  it('a missing Mcp-Param-Cart-Id header (handle routing hint) is a header mismatch, -32020', async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: {
        name: 'cart_get',
        arguments: { cart_id: `cart_${'A'.repeat(22)}` },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    });
    const headers = {
      ...auth(),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'cart_get',
    };
    const response = await raw(url, { method: 'POST', headers, body });
    expect(response.status).toBe(400);
    expect(response.json().error?.code).toBe(-32020);
  });

  it('the server keeps serving after all of that', async () => {
    const wire = await connectModern(url, { token });
    const { cart_id } = ok<{ cart_id: string }>(await wire.callTool({ name: 'cart_create', arguments: {} }));
    ok(await wire.callTool({ name: 'cart_add_item', arguments: { cart_id, sku: 'TEA-0001', quantity: 1 } }));
    await wire.close();
    const health = await raw(url.replace('/mcp', '/healthz'), { headers: {} });
    expect(health.json()).toMatchObject({ status: 'ok' });
  });
});

/** fetch cannot set Host, so a rebinding attempt is sent with node:http. */
function postWithHost(target: string, host: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      { method: 'POST', headers: { host, 'content-type': 'application/json', authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.once('error', reject);
    req.end('{}');
  });
}
