/**
 * The same server over stdio: a local host spawns it and talks JSON-RPC on stdin/stdout.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { tempDir } from '@sessionless/kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY, ok } from './helpers.js';

const dir = tempDir('cart-stdio-');
afterAll(() => dir.remove());

describe('cart over stdio', () => {
  it('lists tools and fills a cart', async () => {
    const client = new Client({ name: 'stdio-test', version: '0.1.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [ENTRY, '--stdio'],
        env: { ...process.env, DATA_DIR: dir.path, LOG_LEVEL: 'warn' } as Record<string, string>,
      }),
    );
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(10);
    const { cart_id } = ok<{ cart_id: string }>(await client.callTool({ name: 'cart_create', arguments: {} }));
    ok(await client.callTool({ name: 'cart_add_item', arguments: { cart_id, sku: 'TEA-0001', quantity: 2 } }));
    expect(
      ok<{ item_count: number }>(await client.callTool({ name: 'cart_get', arguments: { cart_id } })).item_count,
    ).toBe(2);
    await client.close();
  });
});
