/**
 * Workspace handles, exactly as the kit gives every kind: bound to the principal that created
 * them, refused clearly when forged, truncated or of another kind, expired after the idle TTL
 * (and their contents freed), destroyed on request, listed per caller, capped per principal.
 */
import { signDevToken } from '@sessionless/kit';
import { connectModern, type ModernClient } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, countRows, ok, startWorkspace, toolError, type WorkspaceFixture } from './helpers.js';

let fixture: WorkspaceFixture;
let alice: ModernClient;
let bob: ModernClient;

beforeAll(async () => {
  fixture = await startWorkspace({ JWT_SECRET: SECRET, WORKSPACE_IDLE_TTL: '2s', WORKSPACE_QUOTA: '3' });
  alice = await connectModern(fixture.servers[0]!.url, { token: await signDevToken(SECRET, 'alice') });
  bob = await connectModern(fixture.servers[0]!.url, { token: await signDevToken(SECRET, 'bob') });
  await Promise.all([alice.listTools(), bob.listTools()]);
});
afterAll(async () => {
  await Promise.all([alice.close(), bob.close()]);
  await fixture.stop();
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
      // Alice keeps using hers, so the short idle TTL of this suite cannot end it mid-test.
      ok(await call(alice, 'workspace_list_files', { workspace_id }));
    }
    expect(await listed(bob)).toEqual([bobs]);
    ok(await call(alice, 'workspace_read_file', { workspace_id, path: 'secret.txt' }));
  });

  it('refuses forged, truncated and wrong-kind ids, naming the rule and workspace_create', async () => {
    const workspace_id = await create(alice);
    const forged = toolError(await call(alice, 'workspace_list_files', { workspace_id: `ws_${'x'.repeat(22)}` }));
    expect(forged).toMatchObject({ code: 'HANDLE_NOT_FOUND' });
    expect(forged.text).toMatch(/not found; call workspace_create/);
    const truncated = toolError(await call(alice, 'workspace_list_files', { workspace_id: workspace_id.slice(0, 20) }));
    expect(truncated.code).toBe('HANDLE_MALFORMED');
    expect(truncated.text).toMatch(/"ws_" followed by 22 characters.*workspace_create/);
    const wrongKind = toolError(
      await call(alice, 'workspace_list_files', { workspace_id: `cart_${workspace_id.slice(3)}` }),
    );
    expect(wrongKind.code).toBe('HANDLE_WRONG_KIND');
    expect(wrongKind.text).toMatch(/not a workspace id/);
  });

  it('an idle workspace expires with an error that says expired, and its contents are freed', async () => {
    await destroyAll(alice);
    const db = fixture.db();
    const baseline = countRows(db, 'blobs');
    const workspace_id = await create(alice, [{ path: 'a.txt', content: `expiring content ${Date.now()}` }]);
    expect(countRows(db, 'blobs')).toBe(baseline + 1);
    // Wait for the idle TTL (2 s) to lapse, watching workspace_list (which does not touch the
    // workspace); polling the workspace itself would keep it alive.
    await expect
      .poll(async () => (await listed(alice)).includes(workspace_id), { timeout: 10_000, interval: 250 })
      .toBe(false);
    const expired = toolError(await call(alice, 'workspace_read_file', { workspace_id, path: 'a.txt' }));
    expect(expired.code).toBe('HANDLE_EXPIRED');
    expect(expired.text).toMatch(new RegExp(`Workspace ${workspace_id} has expired.*call workspace_create`));
    expect(countRows(db, 'blobs')).toBe(baseline);
    expect(db.prepare('SELECT count(*) AS n FROM files WHERE workspace_id = ?').get(workspace_id)).toEqual({ n: 0 });
    const unknown = toolError(
      await call(alice, 'workspace_read_file', { workspace_id: `ws_${'Z'.repeat(22)}`, path: 'a' }),
    );
    expect(unknown.text).toMatch(/not found/);
  });

  it("workspace_destroy ends the handle; workspace_list shows only the caller's live workspaces, forks included", async () => {
    await destroyAll(alice);
    const one = await create(alice);
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
