/**
 * Workspace handles, exactly as the kit gives every kind, in-process with a test clock: bound to
 * the principal that created them, refused clearly when forged, truncated or of another kind,
 * expired after the idle TTL (and their contents freed), destroyed on request, listed per caller,
 * capped per principal, and created with their rows (files, fork points) in one transaction.
 */
import {
  failWrites,
  rows as rowsOf,
  testStores,
  type InProcessApp,
  type ModernClient,
  type StoreDialect,
} from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceDeps } from '../src/index.js';
import { SECRET, countRows, ok, toolError, workspaceInProcess, tokenFor } from './helpers.js';

describe.each(testStores())('workspace handles on %s', (dialect: StoreDialect) => {
  let fixture: InProcessApp<WorkspaceDeps>;
  let alice: ModernClient;
  let bob: ModernClient;
  const IDLE_MS = 2 * 3_600_000;

  beforeAll(async () => {
    fixture = await workspaceInProcess({ JWT_SECRET: SECRET, WORKSPACE_IDLE_TTL: '2h', WORKSPACE_QUOTA: '3' }, dialect);
    alice = await fixture.connectModern({ token: await tokenFor('alice') });
    bob = await fixture.connectModern({ token: await tokenFor('bob') });
  });
  afterAll(async () => {
    await Promise.all([alice.close(), bob.close()]);
    await fixture.close();
  });

  const call = (client: ModernClient, name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args });
  const create = async (client: ModernClient, files: unknown[] = []) =>
    ok<{ workspace_id: string }>(await call(client, 'workspace_create', { files })).workspace_id;
  const listed = async (client: ModernClient) =>
    ok<{ workspaces: Array<{ workspace_id: string }> }>(await call(client, 'workspace_list', {})).workspaces.map(
      (w) => w.workspace_id,
    );
  async function destroyAll(client: ModernClient) {
    for (const id of await listed(client)) ok(await call(client, 'workspace_destroy', { workspace_id: id }));
  }

  describe('workspace handles', () => {
    it("another principal's workspace gets exactly the error of one that never existed, in every tool", async () => {
      await destroyAll(alice);
      await destroyAll(bob);
      const workspace_id = await create(alice, [{ path: 'secret.txt', content: 'alice only' }]);
      const bobs = await create(bob);
      const neverExisted = `ws_${'Q'.repeat(22)}`;
      const attempts: Array<[string, (id: string) => Record<string, unknown>]> = [
        ['workspace_read_file', (id) => ({ workspace_id: id, path: 'secret.txt' })],
        ['workspace_write_file', (id) => ({ workspace_id: id, path: 'x.txt', content: 'x' })],
        ['workspace_fork', (id) => ({ workspace_id: id })],
        ['workspace_list_files', (id) => ({ workspace_id: id })],
        ['workspace_diff', (id) => ({ workspace_id: bobs, base_id: id })],
        ['workspace_merge', (id) => ({ from_id: id, into_id: bobs })],
        ['workspace_destroy', (id) => ({ workspace_id: id })],
      ];
      for (const [tool, args] of attempts) {
        const stolen = toolError(await call(bob, tool, args(workspace_id)));
        const unknown = toolError(await call(bob, tool, args(neverExisted)));
        expect(stolen.code, tool).toBe('HANDLE_NOT_FOUND');
        expect(stolen.text.replace(workspace_id, 'ID')).toBe(unknown.text.replace(neverExisted, 'ID'));
      }
      expect(await listed(bob)).toEqual([bobs]);
      ok(await call(alice, 'workspace_read_file', { workspace_id, path: 'secret.txt' }));
    });

    it('refuses forged, truncated and wrong-kind ids, naming the rule and workspace_create', async () => {
      const workspace_id = await create(alice);
      const forged = toolError(await call(alice, 'workspace_list_files', { workspace_id: `ws_${'x'.repeat(22)}` }));
      expect(forged).toMatchObject({ code: 'HANDLE_NOT_FOUND' });
      expect(forged.text).toMatch(/not found; call workspace_create/);
      const truncated = toolError(
        await call(alice, 'workspace_list_files', { workspace_id: workspace_id.slice(0, 20) }),
      );
      expect(truncated.code).toBe('HANDLE_MALFORMED');
      expect(truncated.text).toMatch(/"ws_" followed by 22 characters.*workspace_create/);
      const wrongKind = toolError(
        await call(alice, 'workspace_list_files', { workspace_id: `cart_${workspace_id.slice(3)}` }),
      );
      expect(wrongKind.code).toBe('HANDLE_WRONG_KIND');
      expect(wrongKind.text).toMatch(/not a workspace id/);
    });

    it('an idle workspace expires with an error that says it was unused for 2 h, and its contents are freed', async () => {
      await destroyAll(alice);
      const db = fixture.runtime.store;
      const baseline = await countRows(db, 'blobs');
      const workspace_id = await create(alice, [{ path: 'a.txt', content: `expiring content ${Date.now()}` }]);
      expect(await countRows(db, 'blobs')).toBe(baseline + 1);
      fixture.clock.advance(IDLE_MS - 1);
      expect(await listed(alice)).toContain(workspace_id);
      fixture.clock.advance(2);
      expect(await listed(alice)).not.toContain(workspace_id);
      expect((await fixture.runtime.handles.sweep()).expired).toBeGreaterThanOrEqual(1);
      const expired = toolError(await call(alice, 'workspace_read_file', { workspace_id, path: 'a.txt' }));
      expect(expired.code).toBe('HANDLE_EXPIRED');
      expect(expired.text).toBe(
        `Workspace ${workspace_id} has expired: it was unused for 2 h; call workspace_create to start a new workspace.`,
      );
      expect(await countRows(db, 'blobs')).toBe(baseline);
      expect(await rowsOf(db, `SELECT count(*) AS n FROM files WHERE workspace_id = '${workspace_id}'`)).toEqual([
        { n: 0 },
      ]);
      const unknown = toolError(
        await call(alice, 'workspace_read_file', { workspace_id: `ws_${'Z'.repeat(22)}`, path: 'a' }),
      );
      expect(unknown.text).toMatch(/not found/);
    });

    it("workspace_destroy ends the handle; workspace_list shows only the caller's live workspaces, forks included", async () => {
      await destroyAll(alice);
      const one = await create(alice);
      fixture.clock.advance(1); // workspace_list is oldest first
      const two = ok<{ workspace_id: string }>(await call(alice, 'workspace_fork', { workspace_id: one })).workspace_id;
      expect(await listed(alice)).toEqual([one, two]);
      ok(await call(alice, 'workspace_destroy', { workspace_id: one }));
      expect(await listed(alice)).toEqual([two]);
      expect(await listed(bob)).not.toContain(two);
      expect(toolError(await call(alice, 'workspace_list_files', { workspace_id: one })).code).toBe('HANDLE_DESTROYED');
      const merge = toolError(await call(alice, 'workspace_merge', { from_id: two, into_id: one }));
      expect(merge.code).toBe('HANDLE_DESTROYED');
    });

    it('creating or forking more workspaces than the quota is a clear error, and nothing else breaks', async () => {
      await destroyAll(bob);
      const first = await create(bob);
      await create(bob);
      ok(await call(bob, 'workspace_fork', { workspace_id: first }));
      const refused = toolError(await call(bob, 'workspace_create', {}));
      expect(refused.code).toBe('QUOTA_EXCEEDED');
      expect(refused.text).toMatch(/already hold 3 live workspaces.*workspace_list/);
      expect(toolError(await call(bob, 'workspace_fork', { workspace_id: first })).code).toBe('QUOTA_EXCEEDED');
      expect(await listed(bob)).toHaveLength(3);
      ok(await call(bob, 'workspace_write_file', { workspace_id: first, path: 'still.txt', content: 'works' }));
      ok(await call(alice, 'workspace_create', {}));
      ok(await call(bob, 'workspace_destroy', { workspace_id: first }));
      ok(await call(bob, 'workspace_create', {}));
    });
  });

  describe('a workspace and its rows', () => {
    const rows = (sql: string) => rowsOf(fixture.runtime.store, sql);

    it('workspace_create writes the handle and every file in one transaction: a failed file write leaves no handle, no quota use and no orphan rows', async () => {
      await destroyAll(alice);
      const handlesBefore = (await rows(`SELECT id FROM handles`)).length;
      const blobsBefore = await countRows(fixture.runtime.store, 'blobs');
      const allow = await failWrites(fixture.runtime.store, {
        table: 'files',
        op: 'INSERT',
        when: "NEW.path = 'b.txt'",
        message: 'disk full',
      });
      try {
        for (let i = 0; i < 4; i++) {
          const files = [
            { path: 'a.txt', content: `first ${i}` },
            { path: 'b.txt', content: `second ${i}` },
          ];
          expect(toolError(await call(alice, 'workspace_create', { files })).code).toBe('INTERNAL');
        }
      } finally {
        await allow();
      }
      expect(await rows(`SELECT id FROM handles`)).toHaveLength(handlesBefore);
      expect(await rows(`SELECT w.id FROM workspaces w LEFT JOIN handles h ON h.id = w.id WHERE h.id IS NULL`)).toEqual(
        [],
      );
      expect(await countRows(fixture.runtime.store, 'blobs')).toBe(blobsBefore);
      for (let i = 0; i < 3; i++) await create(alice);
      expect(toolError(await call(alice, 'workspace_create', {})).code).toBe('QUOTA_EXCEEDED');
      await destroyAll(alice);
    });

    it('workspace_fork writes the fork and its fork point with its handle: a failure leaves neither', async () => {
      await destroyAll(alice);
      const base = await create(alice, [{ path: 'a.txt', content: 'base' }]);
      const handlesBefore = (await rows(`SELECT id FROM handles`)).length;
      const allow = await failWrites(fixture.runtime.store, { table: 'fork_points', op: 'INSERT', message: 'no' });
      try {
        expect(toolError(await call(alice, 'workspace_fork', { workspace_id: base })).code).toBe('INTERNAL');
      } finally {
        await allow();
      }
      expect(await rows(`SELECT id FROM handles`)).toHaveLength(handlesBefore);
      expect(await rows(`SELECT id FROM workspaces WHERE parent_id = '${base}'`)).toEqual([]);
      expect(await rows(`SELECT workspace_id FROM files WHERE workspace_id != '${base}'`)).toEqual([]);
    });

    it('workspace_destroy frees the rows in the transaction that ends the handle: when that fails, the workspace is untouched', async () => {
      const workspace_id = await create(alice, [{ path: 'keep.txt', content: 'kept' }]);
      const allow = await failWrites(fixture.runtime.store, { table: 'workspaces', op: 'DELETE', message: 'locked' });
      try {
        expect(toolError(await call(alice, 'workspace_destroy', { workspace_id })).code).toBe('INTERNAL');
      } finally {
        await allow();
      }
      ok(await call(alice, 'workspace_read_file', { workspace_id, path: 'keep.txt' }));
      ok(await call(alice, 'workspace_destroy', { workspace_id }));
      expect(await rows(`SELECT path FROM files WHERE workspace_id = '${workspace_id}'`)).toEqual([]);
    });
  });
});
