/**
 * The session-scoped baseline through real v1 (2025-11-25) clients against real server processes:
 * the tools work inside one session, and the session - with its cart - is lost on another
 * instance, after DELETE and after a restart. That loss is what the harness measures.
 */
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  connectLegacy,
  ok,
  raw,
  startServerProcess,
  type LegacyClient,
  type ServerProcess,
} from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The built server, as `npm start` runs it (the project's global set-up builds it first). */
const ENTRY = fileURLToPath(new URL('../dist/main.bundle.js', import.meta.url));

let first: ServerProcess;
let second: ServerProcess;
beforeAll(async () => {
  [first, second] = await Promise.all([startServerProcess({ entry: ENTRY }), startServerProcess({ entry: ENTRY })]);
});
afterAll(() => Promise.all([first.stop(), second.stop()]));

async function withClient<T>(url: string, use: (client: LegacyClient) => Promise<T>): Promise<T> {
  const client = await connectLegacy(url);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

const call = (client: LegacyClient, name: string, args: Record<string, unknown> = {}) =>
  client.callTool({ name, arguments: args });

const sessionIdOf = (client: LegacyClient) => client.transport?.sessionId ?? '';

/** One tools/call over plain HTTP with a given session id, as a round-robin balancer would forward it. */
function callWithSession(url: string, sessionId: string) {
  return raw(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      'mcp-session-id': sessionId,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'cart_get', arguments: {} } }),
  });
}

describe('tools/list', () => {
  it('lists the three cart tools, each saying the cart dies with the session', async () => {
    const { tools } = await withClient(first.url, (client) => client.listTools());
    expect(tools.map((tool) => tool.name)).toEqual(['cart_add_item', 'cart_remove_item', 'cart_get']);
    for (const tool of tools) {
      expect(tool.description).toContain('lost when the session ends or the server process restarts');
      expect(tool.inputSchema.properties ?? {}).not.toHaveProperty('cart_id');
      expect(tool.outputSchema).toBeDefined();
    }
  });
});

describe('cart_add_item', () => {
  it('adds to the line and bumps the version; cart_get shows it', async () => {
    await withClient(first.url, async (client) => {
      expect(ok(await call(client, 'cart_add_item', { sku: 'TEA-0001', quantity: 2 }))).toEqual({
        sku: 'TEA-0001',
        line_quantity: 2,
        version: 1,
      });
      expect(ok(await call(client, 'cart_add_item', { sku: 'TEA-0001', quantity: 3 }))).toMatchObject({
        line_quantity: 5,
        version: 2,
      });
      await call(client, 'cart_add_item', { sku: 'COF-0042', quantity: 1 });
      expect(ok(await call(client, 'cart_get'))).toEqual({
        lines: [
          { sku: 'COF-0042', quantity: 1 },
          { sku: 'TEA-0001', quantity: 5 },
        ],
        total_units: 6,
        version: 3,
      });
    });
  });

  it('two sessions keep separate carts', async () => {
    await withClient(first.url, (alice) =>
      withClient(first.url, async (bob) => {
        expect(sessionIdOf(alice)).not.toBe(sessionIdOf(bob));
        await call(alice, 'cart_add_item', { sku: 'TEA-0001', quantity: 4 });
        expect(ok(await call(bob, 'cart_get'))).toEqual({ lines: [], total_units: 0, version: 0 });
        expect(ok(await call(alice, 'cart_get'))).toMatchObject({ total_units: 4 });
      }),
    );
  });

  it('rejects a malformed SKU with a clear error', async () => {
    const result = await withClient(first.url, (client) =>
      call(client, 'cart_add_item', { sku: 'tea-1', quantity: 1 }),
    );
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('three capital letters, a dash and four digits');
  });
});

describe('cart_remove_item', () => {
  it('drops the line; a SKU not in the cart is a clear error', async () => {
    await withClient(first.url, async (client) => {
      await call(client, 'cart_add_item', { sku: 'TEA-0001', quantity: 1 });
      expect(ok(await call(client, 'cart_remove_item', { sku: 'TEA-0001' }))).toEqual({ sku: 'TEA-0001', version: 2 });
      const missing = await call(client, 'cart_remove_item', { sku: 'TEA-0001' });
      expect(missing.isError).toBe(true);
      expect(JSON.stringify(missing.content)).toContain("TEA-0001 is not in this session's cart");
    });
  });
});

describe('session', () => {
  it('a session id from another instance gets 404 Session not found', async () => {
    await withClient(first.url, async (client) => {
      await call(client, 'cart_add_item', { sku: 'TEA-0001', quantity: 1 });
      const elsewhere = await callWithSession(second.url, sessionIdOf(client));
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.json().error?.message).toContain('Session not found');
      const home = await callWithSession(first.url, sessionIdOf(client));
      expect(home.status).toBe(200);
    });
  });

  it('DELETE ends the session and its cart', async () => {
    await withClient(first.url, async (client) => {
      await call(client, 'cart_add_item', { sku: 'TEA-0001', quantity: 1 });
      const headers = { 'mcp-session-id': sessionIdOf(client), 'mcp-protocol-version': '2025-11-25' };
      expect((await raw(first.url, { method: 'DELETE', headers })).status).toBe(200);
      expect((await callWithSession(first.url, sessionIdOf(client))).status).toBe(404);
    });
  });

  it('the cart is gone after the process restarts', async () => {
    const before = await startServerProcess({ entry: ENTRY });
    const { sessionId } = await withClient(before.url, async (client) => {
      await call(client, 'cart_add_item', { sku: 'TEA-0001', quantity: 9 });
      return { sessionId: sessionIdOf(client) };
    });
    await before.kill();
    const after = await startServerProcess({ entry: ENTRY, env: { PORT: new URL(before.url).port } });
    try {
      expect(after.url).toBe(before.url);
      const stale = await callWithSession(after.url, sessionId);
      expect(stale.status).toBe(404);
      expect(stale.json().error?.message).toContain('Session not found');
      const fresh = await withClient(after.url, (client) => call(client, 'cart_get'));
      expect(ok(fresh)).toEqual({ lines: [], total_units: 0, version: 0 });
    } finally {
      await after.stop();
    }
  });

  it('a request without a session id that is not initialize gets 400', async () => {
    const response = await raw(first.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(400);
  });
});

describe('http', () => {
  it('/healthz answers', async () => {
    const response = await raw(`${first.origin}/healthz`, {});
    expect(response.status).toBe(200);
    expect(response.text).toBe('ok');
  });

  it('refuses a Host header that is not a loopback name (DNS-rebinding protection)', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const { hostname, port } = new URL(first.url);
      request({ hostname, port, path: '/mcp', method: 'POST', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end('{}');
    });
    expect(status).toBe(403);
  });

  it('SIGTERM exits 0', async () => {
    const server = await startServerProcess({ entry: ENTRY });
    await server.stop();
    expect(server.child.exitCode).toBe(0);
  });

  it('a bad PORT stops start-up with one clear line and exit 1', async () => {
    await expect(startServerProcess({ entry: ENTRY, env: { PORT: 'http' } })).rejects.toThrow(
      /exited with 1[\s\S]*session-cart: PORT must be an integer from 0 to 65535/,
    );
  });
});
