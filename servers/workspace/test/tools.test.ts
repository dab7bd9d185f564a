/**
 * Every workspace tool through real MCP clients: the SDK v2 client speaking 2026-07-28 and the v1
 * client speaking 2025-11-25, against the same server (its real handler, in-process).
 */
import { type InProcessApp, testStores, type StoreDialect } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceDeps } from '../src/index.js';
import { ok, toolError, workspaceInProcess, type Summary } from './helpers.js';

describe.each(testStores())('workspace tools on %s', (dialect: StoreDialect) => {
  let fixture: InProcessApp<WorkspaceDeps>;
  beforeAll(async () => {
    fixture = await workspaceInProcess({}, dialect);
  });
  afterAll(() => fixture.close());

  type Caller = (
    name: string,
    args: Record<string, unknown>,
  ) => Promise<{ isError?: boolean; content?: unknown; structuredContent?: unknown }>;

  const eras: Array<[string, () => Promise<{ call: Caller; close: () => Promise<void> }>]> = [
    [
      '2026-07-28 (SDK v2 client)',
      async () => {
        const client = await fixture.connectModern();
        expect(client.getProtocolEra()).toBe('modern');
        await client.listTools();
        return {
          call: (name, args) => client.callTool({ name, arguments: args }) as never,
          close: () => client.close(),
        };
      },
    ],
    [
      '2025-11-25 (SDK v1 client)',
      async () => {
        const client = await fixture.connectLegacy();
        await client.listTools();
        return {
          call: (name, args) => client.callTool({ name, arguments: args }) as never,
          close: () => client.close(),
        };
      },
    ],
  ];

  describe.each(eras)('workspace tools over %s', (_era, connect) => {
    it('create, fork, write, read, edit, list files, delete, diff, merge, list and destroy', async () => {
      const { call, close } = await connect();
      try {
        const base = ok<Summary & { name: string; expires_at: string }>(
          await call('workspace_create', {
            name: 'team base',
            files: [
              { path: 'README.md', content: '# Plan\n\n- step one\n' },
              { path: 'data/blob.bin', content: Buffer.from([0, 1, 2, 255]).toString('base64'), encoding: 'base64' },
            ],
          }),
        );
        expect(base.workspace_id).toMatch(/^ws_[A-Za-z0-9_-]{22}$/);
        expect(base).toMatchObject({ name: 'team base', parent_id: null, file_count: 2, bytes: 23 });
        expect(Date.parse(base.expires_at)).toBeGreaterThan(Date.now());

        const fork = ok<Summary>(await call('workspace_fork', { workspace_id: base.workspace_id, name: 'agent 1' }));
        expect(fork).toMatchObject({ parent_id: base.workspace_id, file_count: 2, bytes: 23 });
        const ws = fork.workspace_id;

        const written = ok<{ etag: string; created: boolean; size: number; path: string }>(
          await call('workspace_write_file', {
            workspace_id: ws,
            path: 'notes/agent-1.md',
            content: 'found 3 teapots\n',
          }),
        );
        expect(written).toMatchObject({ created: true, size: 16, path: 'notes/agent-1.md' });
        expect(written.etag).toMatch(/^[0-9a-f]{64}$/);

        const readme = ok<{ content: string; encoding: string; etag: string; size: number }>(
          await call('workspace_read_file', { workspace_id: ws, path: 'README.md' }),
        );
        expect(readme).toMatchObject({ content: '# Plan\n\n- step one\n', encoding: 'utf8', size: 19 });
        const binary = ok<{ content: string; encoding: string }>(
          await call('workspace_read_file', { workspace_id: ws, path: 'data/blob.bin' }),
        );
        expect(binary).toMatchObject({ encoding: 'base64', content: Buffer.from([0, 1, 2, 255]).toString('base64') });

        const edited = ok<{ etag: string }>(
          await call('workspace_edit_file', {
            workspace_id: ws,
            path: 'README.md',
            old_text: '- step one\n',
            new_text: '- step one\n- step two\n',
            if_match: readme.etag,
          }),
        );
        expect(edited.etag).not.toBe(readme.etag);

        ok(await call('workspace_delete_file', { workspace_id: ws, path: 'data/blob.bin' }));
        const listed = ok<{ files: Array<{ path: string }>; total: number; truncated: boolean }>(
          await call('workspace_list_files', { workspace_id: ws }),
        );
        expect(listed.files.map((f) => f.path)).toEqual(['README.md', 'notes/agent-1.md']);
        expect(listed).toMatchObject({ total: 2, truncated: false });

        const diff = ok<{ identical: boolean; changes: Array<{ path: string; status: string; patch: string | null }> }>(
          await call('workspace_diff', { workspace_id: ws, base_id: base.workspace_id }),
        );
        expect(diff.identical).toBe(false);
        expect(diff.changes.map((c) => [c.path, c.status])).toEqual([
          ['README.md', 'modified'],
          ['data/blob.bin', 'deleted'],
          ['notes/agent-1.md', 'added'],
        ]);
        expect(diff.changes[0]!.patch).toContain('+- step two');

        const merged = ok<{ changes: Array<{ path: string; status: string }>; version: number }>(
          await call('workspace_merge', { from_id: ws, into_id: base.workspace_id }),
        );
        expect(merged.changes).toHaveLength(3);
        const after = ok<{ identical: boolean }>(
          await call('workspace_diff', { workspace_id: ws, base_id: base.workspace_id }),
        );
        expect(after.identical).toBe(true);

        const mine = ok<{ workspaces: Array<{ workspace_id: string; parent_id: string | null }> }>(
          await call('workspace_list', {}),
        );
        expect(mine.workspaces).toContainEqual(
          expect.objectContaining({ workspace_id: ws, parent_id: base.workspace_id }),
        );

        ok(await call('workspace_destroy', { workspace_id: ws }));
        expect(toolError(await call('workspace_read_file', { workspace_id: ws, path: 'README.md' })).code).toBe(
          'HANDLE_DESTROYED',
        );
        ok(await call('workspace_destroy', { workspace_id: base.workspace_id }));
      } finally {
        await close();
      }
    });
  });

  describe('workspace_create', () => {
    it('states the lifetime policy and the size limits in its description, where the model reads it', async () => {
      const client = await fixture.connectModern();
      const { tools } = await client.listTools();
      const create = tools.find((tool) => tool.name === 'workspace_create');
      expect(create?.description).toMatch(/expire after 24 h without use and 7 d after creation/);
      expect(create?.description).toMatch(
        /Files up to 524288 bytes; up to 10000 files and 33554432 bytes per workspace/,
      );
      await client.close();
    });
  });
});
