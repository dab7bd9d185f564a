/**
 * The same server over stdio: a local host spawns it and talks JSON-RPC on stdin/stdout.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { tempDir } from '@sessionless/kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY, ok } from './helpers.js';

const dir = tempDir('workspace-stdio-');
afterAll(() => dir.remove());

describe('workspace over stdio', () => {
  it('lists tools, writes a file and reads it back', async () => {
    const client = new Client({ name: 'stdio-test', version: '0.1.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [ENTRY, '--stdio'],
        env: { ...process.env, DATA_DIR: dir.path, LOG_LEVEL: 'warn' } as Record<string, string>,
      }),
    );
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(11);
    const { workspace_id } = ok<{ workspace_id: string }>(
      await client.callTool({ name: 'workspace_create', arguments: {} }),
    );
    ok(
      await client.callTool({ name: 'workspace_write_file', arguments: { workspace_id, path: 'a.md', content: 'hi' } }),
    );
    const file = ok<{ content: string }>(
      await client.callTool({ name: 'workspace_read_file', arguments: { workspace_id, path: 'a.md' } }),
    );
    expect(file.content).toBe('hi');
    await client.close();
  });
});
