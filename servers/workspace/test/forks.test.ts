/**
 * The mixed pattern: subagents fork one base workspace, work in isolation, and the orchestrator
 * merges the forks back. Forks copy no contents; merges are three-way against the fork point and
 * all or nothing; destroying workspaces frees the contents nobody else uses.
 */
import { type InProcessApp, type ModernClient, testStores, type StoreDialect } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, countRows, manyFiles, ok, toolError, type Summary, workspaceInProcess } from './helpers.js';
import type { WorkspaceDeps } from '../src/index.js';

describe.each(testStores())('forks and merges on %s', (dialect: StoreDialect) => {
  let fixture: InProcessApp<WorkspaceDeps>;
  let client: ModernClient;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    fixture = await workspaceInProcess({ WORKSPACE_MAX_BYTES: '65536', WORKSPACE_MAX_FILE_BYTES: '16384' }, dialect);
    client = await fixture.connectModern();
    await client.listTools();
    call = caller(client);
  });
  afterAll(async () => {
    await client.close();
    await fixture.close();
  });

  const create = async (files: Array<{ path: string; content: string }> = []) =>
    ok<Summary>(await call('workspace_create', { files })).workspace_id;
  const fork = async (workspace_id: string) => ok<Summary>(await call('workspace_fork', { workspace_id })).workspace_id;
  const write = async (workspace_id: string, path: string, content: string) =>
    ok(await call('workspace_write_file', { workspace_id, path, content }));
  const content = async (workspace_id: string, path: string) =>
    ok<{ content: string }>(await call('workspace_read_file', { workspace_id, path })).content;
  const snapshot = async (workspace_id: string) =>
    ok<{ files: Array<{ path: string; etag: string }>; version: number }>(
      await call('workspace_list_files', { workspace_id, limit: 10_000 }),
    );
  const merge = (from_id: string, into_id: string, resolutions?: unknown[]) =>
    call('workspace_merge', { from_id, into_id, ...(resolutions ? { resolutions } : {}) });

  describe('workspace_fork', () => {
    it('a fork of a 1,000-file workspace creates no new blobs, and is isolated both ways', async () => {
      const db = fixture.runtime.store;
      const base = await create(manyFiles(1_000));
      const blobs = await countRows(db, 'blobs');
      const files = await countRows(db, 'files');

      const forked = ok<Summary>(await call('workspace_fork', { workspace_id: base }));

      expect(forked).toMatchObject({ parent_id: base, file_count: 1_000 });
      expect(await countRows(db, 'blobs')).toBe(blobs);
      expect(await countRows(db, 'files')).toBe(files + 1_000);

      await write(forked.workspace_id, 'src/file-0001.txt', 'changed in the fork\n');
      await write(forked.workspace_id, 'fork-only.txt', 'fork\n');
      await write(base, 'src/file-0002.txt', 'changed in the base\n');
      await write(base, 'base-only.txt', 'base\n');
      expect(await content(base, 'src/file-0001.txt')).toBe('file 1 v1\n');
      expect(await content(forked.workspace_id, 'src/file-0002.txt')).toBe('file 2 v1\n');
      expect(toolError(await call('workspace_read_file', { workspace_id: base, path: 'fork-only.txt' })).code).toBe(
        'FILE_NOT_FOUND',
      );
      expect(
        toolError(await call('workspace_read_file', { workspace_id: forked.workspace_id, path: 'base-only.txt' })).code,
      ).toBe('FILE_NOT_FOUND');
    });
  });

  describe('workspace_merge', () => {
    it('non-overlapping changes from two forks merge cleanly into the base', async () => {
      const base = await create([
        { path: 'a.txt', content: 'a0' },
        { path: 'b.txt', content: 'b0' },
        { path: 'c.txt', content: 'c0' },
      ]);
      const [one, two] = [await fork(base), await fork(base)];
      await write(one, 'a.txt', 'a1');
      await write(one, 'notes/one.md', 'from one');
      await write(two, 'b.txt', 'b2');
      ok(await call('workspace_delete_file', { workspace_id: two, path: 'c.txt' }));

      const first = ok<{ changes: unknown[] }>(await merge(one, base));
      expect(first.changes).toEqual([
        { path: 'a.txt', status: 'modified' },
        { path: 'notes/one.md', status: 'added' },
      ]);
      const second = ok<{ changes: unknown[] }>(await merge(two, base));
      expect(second.changes).toEqual([
        { path: 'b.txt', status: 'modified' },
        { path: 'c.txt', status: 'deleted' },
      ]);
      const merged = await snapshot(base);
      expect(merged.files.map((f) => f.path)).toEqual(['a.txt', 'b.txt', 'notes/one.md']);
      expect([await content(base, 'a.txt'), await content(base, 'b.txt')]).toEqual(['a1', 'b2']);
    });

    it('the same file changed in both forks is a conflict per path, and the merge applies nothing', async () => {
      const base = await create([
        { path: 'shared.md', content: 'v0' },
        { path: 'other.md', content: 'o0' },
        { path: 'doomed.md', content: 'd0' },
      ]);
      const [one, two] = [await fork(base), await fork(base)];
      await write(one, 'shared.md', 'one says');
      await write(one, 'doomed.md', 'one edits');
      ok(await merge(one, base));
      await write(two, 'shared.md', 'two says');
      ok(await call('workspace_delete_file', { workspace_id: two, path: 'doomed.md' }));
      await write(two, 'other.md', 'two edits other'); // clean on its own, yet not applied either
      await write(two, 'new.md', 'two adds');
      const before = await snapshot(base);

      const refused = toolError(await merge(two, base));

      expect(refused.code).toBe('MERGE_CONFLICT');
      expect(refused.details.conflicts).toEqual([
        { path: 'doomed.md', kind: 'deleted_in_from' },
        { path: 'shared.md', kind: 'changed_in_both' },
      ]);
      expect(refused.text).toMatch(/applied nothing: 2 paths were changed on both sides since the fork point/);
      expect(refused.text).toMatch(
        /"doomed.md" \(deleted in from_id, changed in into_id\), "shared.md" \(changed in both\)/,
      );
      expect(refused.text).toMatch(/resolutions/);
      expect(await snapshot(base)).toEqual(before);

      const settled = ok<{ changes: unknown[]; resolved: string[] }>(
        await merge(two, base, [
          { path: 'shared.md', take: 'from' },
          { path: 'doomed.md', take: 'into' },
        ]),
      );
      expect(settled.resolved).toEqual(['doomed.md', 'shared.md']);
      expect(settled.changes).toEqual([
        { path: 'new.md', status: 'added' },
        { path: 'other.md', status: 'modified' },
        { path: 'shared.md', status: 'modified' },
      ]);
      expect([await content(base, 'shared.md'), await content(base, 'doomed.md')]).toEqual(['two says', 'one edits']);
    });

    it('the fork point moves on after a merge: a second merge applies only newer changes, both ways', async () => {
      const base = await create([{ path: 'log.md', content: 'start\n' }]);
      const mine = await fork(base);
      await write(mine, 'log.md', 'start\nfork 1\n');
      ok(await merge(mine, base));
      await write(base, 'base.md', 'orchestrator note');
      await write(mine, 'log.md', 'start\nfork 1\nfork 2\n');

      const again = ok<{ changes: unknown[] }>(await merge(mine, base));
      expect(again.changes).toEqual([{ path: 'log.md', status: 'modified' }]);
      expect(await content(base, 'base.md')).toBe('orchestrator note');

      const pulled = ok<{ changes: unknown[] }>(await merge(base, mine));
      expect(pulled.changes).toEqual([{ path: 'base.md', status: 'added' }]);
      expect(
        ok<{ identical: boolean }>(await call('workspace_diff', { workspace_id: mine, base_id: base })).identical,
      ).toBe(true);
    });

    it('refuses workspaces that are not fork and parent, and a workspace merged into itself', async () => {
      const base = await create([{ path: 'x', content: '1' }]);
      const [one, two] = [await fork(base), await fork(base)];
      const siblings = toolError(await merge(one, two));
      expect(siblings.code).toBe('WORKSPACES_UNRELATED');
      expect(siblings.text).toMatch(new RegExp(`${one} was forked from ${base}.*merge a fork into its parent`));
      expect(toolError(await merge(base, base)).code).toBe('SAME_WORKSPACE');
    });

    it('a merge that would push the target over its size limit applies nothing', async () => {
      const base = await create([{ path: 'base.txt', content: 'b'.repeat(4_000) }]);
      const big = await fork(base);
      for (let i = 0; i < 4; i++) await write(big, `big-${i}.txt`, String(i).repeat(15_000));
      await write(base, 'grow.txt', 'g'.repeat(2_000));
      const before = await snapshot(base);
      expect(toolError(await merge(big, base)).code).toBe('WORKSPACE_FULL');
      expect(await snapshot(base)).toEqual(before);
    });
  });

  describe('workspace_diff', () => {
    it('lists changes with unified diffs for text and says why binary files have none', async () => {
      const base = await create([{ path: 'doc.md', content: 'one\ntwo\nthree\n' }]);
      const mine = await fork(base);
      await write(mine, 'doc.md', 'one\n2\nthree\n');
      ok(
        await call('workspace_write_file', {
          workspace_id: mine,
          path: 'img.bin',
          content: '/9j/',
          encoding: 'base64',
        }),
      );
      const diff = ok<{ changes: Array<Record<string, unknown>> }>(
        await call('workspace_diff', { workspace_id: mine, base_id: base }),
      );
      expect(diff.changes).toEqual([
        expect.objectContaining({
          path: 'doc.md',
          status: 'modified',
          patch: '--- a/doc.md\n+++ b/doc.md\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n',
        }),
        expect.objectContaining({
          path: 'img.bin',
          status: 'added',
          patch: null,
          patch_omitted: 'binary',
          base_etag: null,
        }),
      ]);
      const bare = ok<{ changes: Array<Record<string, unknown>> }>(
        await call('workspace_diff', { workspace_id: mine, base_id: base, patches: false }),
      );
      expect(bare.changes.map((c) => c.patch)).toEqual([null, null]);
    });
  });

  describe('workspace_destroy', () => {
    it('frees the contents only it used; shared ones stay until the last workspace using them ends', async () => {
      const db = fixture.runtime.store;
      const baseline = await countRows(db, 'blobs');
      const base = await create(manyFiles(50, 'gc', 'unique-to-this-test'));
      const mine = await fork(base);
      await write(mine, 'fork-only.txt', 'only the fork has this');
      expect(await countRows(db, 'blobs')).toBe(baseline + 51);

      ok(await call('workspace_destroy', { workspace_id: base }));
      expect(await countRows(db, 'blobs')).toBe(baseline + 51);
      expect(await content(mine, 'gc/file-0007.txt')).toBe('file 7 unique-to-this-test\n');

      ok(await call('workspace_destroy', { workspace_id: mine }));
      expect(await countRows(db, 'blobs')).toBe(baseline);
    });
  });
});
