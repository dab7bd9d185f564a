/**
 * Smoke check: connect, call every workspace tool once, assert the answers, exit non-zero on the
 * first mismatch. Runs against `--url <mcp url>` or, without it, a workspace server it starts itself.
 *
 *   npm run smoke -w @sessionless/server-workspace [-- --url http://127.0.0.1:3102/mcp]
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { connectModern, startServerProcess, tempDir, type ServerProcess } from '@sessionless/kit/testing';

const urlFlag = process.argv.indexOf('--url');
let server: ServerProcess | undefined;
const data = tempDir('workspace-smoke-');
if (urlFlag < 0) {
  server = await startServerProcess({
    entry: fileURLToPath(new URL('../src/main.ts', import.meta.url)),
    env: { DATA_DIR: data.path },
  });
}
const url = urlFlag >= 0 ? process.argv[urlFlag + 1]! : server!.url;

type Structured = Record<string, unknown>;
const client = await connectModern(url, { name: 'workspace-smoke' });
async function call(name: string, args: Structured): Promise<Structured> {
  const result = await client.callTool({ name, arguments: args });
  assert.ok(!result.isError, `${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as Structured;
}

try {
  const { tools } = await client.listTools();
  assert.equal(tools.length, 11, 'the workspace server lists 11 tools');
  const base = await call('workspace_create', {
    name: 'smoke',
    files: [{ path: 'README.md', content: '# Smoke\n\nhello\n' }],
  });
  const baseId = String(base.workspace_id);
  assert.equal(base.file_count, 1);
  const fork = await call('workspace_fork', { workspace_id: baseId });
  const forkId = String(fork.workspace_id);
  assert.equal(fork.parent_id, baseId);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]).toString('base64');
  assert.equal(
    (await call('workspace_write_file', { workspace_id: forkId, path: 'logo.png', content: png, encoding: 'base64' }))
      .created,
    true,
  );
  const readme = await call('workspace_read_file', { workspace_id: forkId, path: 'README.md' });
  assert.equal(readme.content, '# Smoke\n\nhello\n');
  await call('workspace_edit_file', {
    workspace_id: forkId,
    path: 'README.md',
    old_text: 'hello',
    new_text: 'hello from the fork',
    if_match: readme.etag,
  });
  const listed = await call('workspace_list_files', { workspace_id: forkId, prefix: '' });
  assert.deepEqual(
    (listed.files as Array<{ path: string }>).map((f) => f.path),
    ['README.md', 'logo.png'],
  );
  const diff = await call('workspace_diff', { workspace_id: forkId, base_id: baseId });
  assert.deepEqual(
    (diff.changes as Array<{ status: string }>).map((c) => c.status),
    ['modified', 'added'],
  );
  const merged = await call('workspace_merge', { from_id: forkId, into_id: baseId });
  assert.equal((merged.changes as unknown[]).length, 2);
  assert.equal((await call('workspace_read_file', { workspace_id: baseId, path: 'logo.png' })).content, png);
  await call('workspace_delete_file', { workspace_id: baseId, path: 'logo.png' });
  const mine = (await call('workspace_list', {})).workspaces as Array<{ workspace_id: string }>;
  assert.deepEqual(mine.map((w) => w.workspace_id).sort(), [baseId, forkId].sort());
  assert.equal((await call('workspace_destroy', { workspace_id: forkId })).destroyed, true);
  await call('workspace_destroy', { workspace_id: baseId });
  console.log(`workspace smoke: all 11 tools answered as expected at ${url}`);
} finally {
  await client.close();
  await server?.stop();
  data.remove();
}
