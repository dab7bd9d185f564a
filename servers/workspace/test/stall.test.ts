/**
 * No call stalls an instance or its peers: two real processes share one store; while the first
 * serves each of the largest calls the limits allow, this test keeps asking it for /healthz and
 * keeps writing through the second, and every answer comes within 1 s (the claim is about
 * processes and a shared store, so it runs on processes, on each store).
 */
import { performance } from 'node:perf_hooks';
import { connectModern, execSql, testStores, type ModernClient, type StoreDialect } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, ok, startWorkspace, toolError, type ToolResult, type WorkspaceFixture } from './helpers.js';
import {
  AMBIGUOUS_EDIT,
  changeEveryFile,
  fillWorkspace,
  manySmallFiles,
  modifiedFiles,
  UNIQUE_EDIT,
} from './largest-calls.js';

const LIMIT_MS = 1_000;

describe.each(testStores())('two workspace processes on %s, during the largest calls', (dialect: StoreDialect) => {
  let fixture: WorkspaceFixture;
  let busy: ModernClient;
  let peer: ModernClient;
  let call: ReturnType<typeof caller>;
  let peerWorkspace: string;

  beforeAll(async () => {
    fixture = await startWorkspace({}, 2, dialect);
    [busy, peer] = await Promise.all([connectModern(fixture.servers[0]!.url), connectModern(fixture.servers[1]!.url)]);
    await Promise.all([busy.listTools(), peer.listTools()]);
    call = caller(busy);
    peerWorkspace = ok<{ workspace_id: string }>(await caller(peer)('workspace_create', { name: 'peer' })).workspace_id;
  });
  afterAll(async () => {
    await Promise.all([busy?.close(), peer?.close()]);
    await fixture?.stop();
  });

  /** Runs `big` on the first process while probing its /healthz and writing through the second. */
  async function duringBigCall(big: () => Promise<ToolResult>): Promise<ToolResult> {
    let running = true;
    const health: number[] = [];
    const writes: Array<{ ms: number; error?: string }> = [];
    const origin = fixture.servers[0]!.origin;
    const probe = async () => {
      while (running) {
        const started = performance.now();
        const answer = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(30_000) }).catch(() => null);
        health.push(answer?.ok ? performance.now() - started : Infinity);
      }
    };
    const write = async () => {
      for (let i = 0; running || i < 3; i++) {
        const started = performance.now();
        const result = (await peer.callTool({
          name: 'workspace_write_file',
          arguments: { workspace_id: peerWorkspace, path: `notes/${i % 20}.md`, content: `note ${i}` },
        })) as ToolResult;
        writes.push({ ms: performance.now() - started, error: result.isError ? toolError(result).text : undefined });
      }
    };
    const background = Promise.all([probe(), write()]);
    const result = await big().finally(() => (running = false));
    await background;
    expect(health.length).toBeGreaterThan(0);
    const slowest = Math.max(...health);
    expect(slowest, `the slowest of ${health.length} /healthz answers`).toBeLessThan(LIMIT_MS);
    expect(writes.filter((w) => w.error)).toEqual([]);
    expect(Math.max(...writes.map((w) => w.ms)), 'the peer process wrote slowly').toBeLessThan(LIMIT_MS);
    return result;
  }

  it('workspace_edit_file with old_text matching everywhere in a 512 KiB file', async () => {
    const { workspace_id } = ok<{ workspace_id: string }>(
      await call('workspace_create', { files: [{ path: 'a.txt', content: AMBIGUOUS_EDIT.content }] }),
    );
    const { old_text } = AMBIGUOUS_EDIT;
    const result = await duringBigCall(() =>
      call('workspace_edit_file', { workspace_id, path: 'a.txt', old_text, new_text: 'x' }),
    );
    expect(toolError(result)).toMatchObject({ code: 'EDIT_AMBIGUOUS', details: { matches: AMBIGUOUS_EDIT.matches } });
  });

  it('workspace_edit_file of the one match at the end of a 512 KiB file', async () => {
    const { workspace_id } = ok<{ workspace_id: string }>(
      await call('workspace_create', { files: [{ path: 'b.txt', content: UNIQUE_EDIT.content }] }),
    );
    const { old_text, new_text } = UNIQUE_EDIT;
    ok(await duringBigCall(() => call('workspace_edit_file', { workspace_id, path: 'b.txt', old_text, new_text })));
  });

  it('workspace_diff of 150 modified files of the largest patchable size', async () => {
    const { base, changed } = modifiedFiles(150);
    const base_id = ok<{ workspace_id: string }>(await call('workspace_create', {})).workspace_id;
    const writeAll = async (workspace_id: string, files: typeof base) => {
      for (let i = 0; i < files.length; i += 10) {
        const batch = files.slice(i, i + 10);
        await Promise.all(batch.map(async (file) => ok(await call('workspace_write_file', { workspace_id, ...file }))));
      }
    };
    await writeAll(base_id, base);
    const fork_id = ok<{ workspace_id: string }>(await call('workspace_fork', { workspace_id: base_id })).workspace_id;
    await writeAll(fork_id, changed);
    const diff = await duringBigCall(() => call('workspace_diff', { workspace_id: fork_id, base_id }));
    expect(ok<{ changes: unknown[] }>(diff).changes).toHaveLength(150);
  });

  it('workspace_create of 1,000 files (the most one call may send)', async () => {
    const created = await duringBigCall(() => call('workspace_create', { files: manySmallFiles(1_000, 'v1') }));
    expect(ok<{ file_count: number }>(created).file_count).toBe(1_000);
  });

  it('workspace_fork, workspace_merge and workspace_destroy of 10,000 files (the most a workspace may hold)', async () => {
    const base = ok<{ workspace_id: string }>(await call('workspace_create', {})).workspace_id;
    // The tools would take 10,000 calls to fill a workspace: the test writes the rows into the shared store.
    const store = await fixture.store();
    await execSql(store, fillWorkspace(dialect, base, 10_000));
    const fork = ok<{ workspace_id: string }>(
      await duringBigCall(() => call('workspace_fork', { workspace_id: base })),
    );
    await execSql(store, changeEveryFile(dialect, fork.workspace_id));
    const merged = await duringBigCall(() => call('workspace_merge', { from_id: fork.workspace_id, into_id: base }));
    expect(ok<{ changes: unknown[] }>(merged).changes).toHaveLength(10_000);
    ok(await duringBigCall(() => call('workspace_destroy', { workspace_id: base })));
    ok(await duringBigCall(() => call('workspace_destroy', { workspace_id: fork.workspace_id })));
  });
});
