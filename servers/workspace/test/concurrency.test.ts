/**
 * The shared-handle claim: many subagents write into one workspace at once, through two server
 * processes that share one SQLite file, and nothing acknowledged is lost.
 */
import { connectModern, type ModernClient } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startWorkspace, type WorkspaceFixture } from './helpers.js';

const CLIENTS = 8;
const FILES_PER_CLIENT = 25;
const EDITS_PER_CLIENT = 10;

let fixture: WorkspaceFixture;
let orchestrator: ModernClient;
beforeAll(async () => {
  fixture = await startWorkspace({}, 2);
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
          arguments: { workspace_id, path: 'board.md', old_text: `${slot(n, i)} open`, new_text: `${slot(n, i)} done` },
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
