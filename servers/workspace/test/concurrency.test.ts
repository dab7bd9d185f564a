/**
 * The shared-handle claim under real races: subagents write into one workspace at once through
 * two server processes that share one store (a SQLite file, or a PostgreSQL schema, where writers
 * really run at once), and nothing acknowledged is lost; a merge is all or nothing while another
 * client writes its target; and no blob is freed while a concurrent fork or write still names it.
 */
import { connectModern, testStores, type ModernClient, type StoreDialect } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, ok, startWorkspace, toolError, type WorkspaceFixture } from './helpers.js';

const CLIENTS = 8;
const FILES_PER_CLIENT = 25;
const EDITS_PER_CLIENT = 10;

describe.each(testStores())('two workspace processes on %s', (dialect: StoreDialect) => {
  let fixture: WorkspaceFixture;
  let orchestrator: ModernClient;
  beforeAll(async () => {
    fixture = await startWorkspace({}, 2, dialect);
    orchestrator = await connectModern(fixture.servers[0]!.url);
  });
  afterAll(async () => {
    await orchestrator.close();
    await fixture.stop();
  });

  /** Connects CLIENTS subagents, each with a client on both processes, then runs `work` for all at once. */
  async function subagents(work: (clients: ModernClient[], n: number) => Promise<void>): Promise<void> {
    const [a, b] = fixture.servers;
    expect(a!.url).not.toBe(b!.url);
    const connected = await Promise.all(
      Array.from({ length: CLIENTS }, async () => [await connectModern(a!.url), await connectModern(b!.url)]),
    );
    try {
      await Promise.all(connected.map((clients, n) => work(clients, n)));
    } finally {
      await Promise.all(connected.flat().map((client) => client.close()));
    }
  }

  describe('workspace_write_file', () => {
    it(`${CLIENTS} subagents x ${FILES_PER_CLIENT} files into one shared workspace, alternating processes, lose nothing`, async () => {
      const { workspace_id } = ok<{ workspace_id: string }>(
        await orchestrator.callTool({ name: 'workspace_create', arguments: { name: 'shared' } }),
      );
      const acknowledged = new Map<string, string>();
      await subagents(async (clients, n) => {
        for (let i = 0; i < FILES_PER_CLIENT; i++) {
          const path = `agents/${n}/note-${i}.md`;
          const content = `agent ${n} note ${i}\n${'x'.repeat((n * 31 + i * 7) % 200)}`;
          const result = await clients[i % 2]!.callTool({
            name: 'workspace_write_file',
            arguments: { workspace_id, path, content },
          });
          if (!result.isError) acknowledged.set(path, content);
        }
      });

      expect(acknowledged.size).toBe(CLIENTS * FILES_PER_CLIENT);
      const listing = ok<{ files: Array<{ path: string }>; total: number }>(
        await orchestrator.callTool({ name: 'workspace_list_files', arguments: { workspace_id, limit: 10_000 } }),
      );
      expect(listing.files.map((f) => f.path).sort()).toEqual([...acknowledged.keys()].sort());
      for (const [path, content] of acknowledged) {
        const file = ok<{ content: string }>(
          await orchestrator.callTool({ name: 'workspace_read_file', arguments: { workspace_id, path } }),
        );
        expect(file.content, path).toBe(content);
      }
    });
  });

  describe('workspace_edit_file', () => {
    it(`${CLIENTS} subagents x ${EDITS_PER_CLIENT} edits of their own lines in one shared file lose no edit`, async () => {
      const slot = (n: number, i: number) => `agent ${n} item ${i}:`;
      const lines = Array.from({ length: CLIENTS * EDITS_PER_CLIENT }, (_, k) =>
        slot(Math.floor(k / EDITS_PER_CLIENT), k % EDITS_PER_CLIENT),
      );
      const { workspace_id } = ok<{ workspace_id: string }>(
        await orchestrator.callTool({
          name: 'workspace_create',
          arguments: { files: [{ path: 'board.md', content: `${lines.join(' open\n')} open\n` }] },
        }),
      );
      await subagents(async (clients, n) => {
        for (let i = 0; i < EDITS_PER_CLIENT; i++) {
          const result = await clients[i % 2]!.callTool({
            name: 'workspace_edit_file',
            arguments: {
              workspace_id,
              path: 'board.md',
              old_text: `${slot(n, i)} open`,
              new_text: `${slot(n, i)} done`,
            },
          });
          ok(result);
        }
      });
      const board = ok<{ content: string }>(
        await orchestrator.callTool({ name: 'workspace_read_file', arguments: { workspace_id, path: 'board.md' } }),
      );
      expect(board.content).toBe(`${lines.join(' done\n')} done\n`);
    });
  });

  type Call = (name: string, args: Record<string, unknown>) => ReturnType<ModernClient['callTool']>;
  const on =
    (client: ModernClient): Call =>
    (name, args) =>
      client.callTool({ name, arguments: args });
  const read = async (call: Call, workspace_id: string, path: string) => {
    const result = await call('workspace_read_file', { workspace_id, path });
    return result.isError ? undefined : ok<{ content: string }>(result).content;
  };

  describe('workspace_merge', () => {
    it('is all or nothing while another process writes the workspace it merges into', async () => {
      const [a, b] = fixture.servers;
      const [merger, writer] = [on(await connectModern(a!.url)), on(await connectModern(b!.url))];
      for (let round = 0; round < 4; round++) {
        const paths = Array.from({ length: 40 }, (_, i) => `merged/${round}-${i}.txt`);
        const { workspace_id: base } = ok<{ workspace_id: string }>(
          await merger('workspace_create', { files: paths.map((path) => ({ path, content: 'base\n' })) }),
        );
        const { workspace_id: fork } = ok<{ workspace_id: string }>(
          await merger('workspace_fork', { workspace_id: base }),
        );
        for (const path of paths)
          ok(await merger('workspace_write_file', { workspace_id: fork, path, content: `fork ${path}\n` }));
        // The writer changes one of the merged paths in the base while the merge runs, and other files too.
        const contested = paths[round * 7]!;
        const writes = (async () => {
          const acknowledged: string[] = [];
          for (let i = 0; i < 10; i++) {
            const path = i === 3 ? contested : `other/${round}-${i}.txt`;
            const result = await writer('workspace_write_file', { workspace_id: base, path, content: `writer ${i}\n` });
            if (!result.isError) acknowledged.push(path);
          }
          return acknowledged;
        })();
        const merge = await merger('workspace_merge', { from_id: fork, into_id: base });
        const acknowledged = await writes;
        const merged = await Promise.all(
          paths.map(async (path) => (await read(writer, base, path)) === `fork ${path}\n`),
        );
        const others = paths.filter((path) => path !== contested);
        if (merge.isError) {
          expect(toolError(merge).code).toBe('MERGE_CONFLICT');
          expect(others.filter((_, i) => merged[paths.indexOf(others[i]!)])).toEqual([]); // nothing applied
        } else {
          expect(others.every((path) => merged[paths.indexOf(path)])).toBe(true); // everything applied
        }
        expect(acknowledged).toHaveLength(10);
        for (const path of acknowledged.filter((p) => p !== contested)) {
          expect(await read(merger, base, path)).toMatch(/^writer \d+\n$/);
        }
      }
    });
  });

  describe('blobs', () => {
    it('are never freed while a concurrent fork or write on the other process still names them, nor kept after', async () => {
      const [a, b] = fixture.servers;
      const clients = [
        on(await connectModern(a!.url)),
        on(await connectModern(b!.url)),
        on(await connectModern(a!.url)),
      ];
      const blobsBefore = await countOf('blobs');
      for (let round = 0; round < 12; round++) {
        const shared = `shared content of round ${round}\n`;
        const replaced = `replaced in round ${round}\n`;
        const { workspace_id: source } = ok<{ workspace_id: string }>(
          await clients[0]!('workspace_create', { files: [{ path: 'f.txt', content: shared }] }),
        );
        const { workspace_id: other } = ok<{ workspace_id: string }>(await clients[1]!('workspace_create', {}));
        // At once: the source drops its only reference to the blob, a fork of it may copy that
        // reference, and another workspace writes the same content (a new reference to the same blob).
        const [overwrite, fork, write] = await Promise.all([
          clients[0]!('workspace_write_file', { workspace_id: source, path: 'f.txt', content: replaced }),
          clients[1]!('workspace_fork', { workspace_id: source }),
          clients[2]!('workspace_write_file', { workspace_id: other, path: 'same.txt', content: shared }),
        ]);
        ok(overwrite);
        ok(write);
        const forked = ok<{ workspace_id: string }>(fork).workspace_id;
        expect(await read(clients[1]!, source, 'f.txt')).toBe(replaced);
        expect(await read(clients[0]!, other, 'same.txt')).toBe(shared);
        expect([shared, replaced]).toContain(await read(clients[2]!, forked, 'f.txt'));
        for (const workspace_id of [source, other, forked])
          ok(await clients[round % 2]!('workspace_destroy', { workspace_id }));
      }
      // Every content those workspaces named is gone with them: none freed early, none kept.
      expect(await countOf('blobs')).toBe(blobsBefore);
    });
  });

  async function countOf(table: 'blobs'): Promise<number> {
    return countRows(await fixture.store(), table);
  }
});
