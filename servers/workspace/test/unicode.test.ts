/**
 * Text the workspace cannot store as sent is refused, never silently changed: an unpaired UTF-16
 * surrogate in content, old_text, new_text or a name would become U+FFFD in UTF-8 (and an edit
 * could split an emoji in half). The way out, exact bytes as base64, round-trips losslessly.
 */
import { type InProcessApp, type ModernClient, testStores, type StoreDialect } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceDeps } from '../src/index.js';
import { caller, ok, toolError, workspaceInProcess } from './helpers.js';

describe.each(testStores())('unpaired surrogates on %s', (dialect: StoreDialect) => {
  let fixture: InProcessApp<WorkspaceDeps>;
  let client: ModernClient;
  let call: ReturnType<typeof caller>;
  let workspace_id: string;

  beforeAll(async () => {
    fixture = await workspaceInProcess({}, dialect);
    client = await fixture.connectModern();
    await client.listTools();
    call = caller(client);
    workspace_id = ok<{ workspace_id: string }>(
      await call('workspace_create', { files: [{ path: 'smile.txt', content: 'x😀y\n' }] }),
    ).workspace_id;
  });
  afterAll(async () => {
    await client.close();
    await fixture.close();
  });

  const read = async (path: string) =>
    ok<{ content: string }>(await call('workspace_read_file', { workspace_id, path })).content;

  it.each([
    ['a lone high surrogate', 'a\ud800b', 1],
    ['a lone low surrogate', 'ab\udc00', 2],
    ['a reversed pair', '\ude00\ud83d', 0],
  ])('workspace_write_file refuses text content with %s and writes nothing', async (_case, content, at) => {
    const refused = toolError(await call('workspace_write_file', { workspace_id, path: 'bad.txt', content }));
    expect(refused.code).toBe('TEXT_INVALID_UNICODE');
    expect(refused.text).toBe(
      `The content for "bad.txt" contains an unpaired UTF-16 surrogate at character ${at}, which UTF-8 cannot ` +
        'store (it would be saved as U+FFFD); nothing was written. Send valid Unicode text, or the exact bytes ' +
        'as base64 content.',
    );
    expect(toolError(await call('workspace_read_file', { workspace_id, path: 'bad.txt' })).code).toBe('FILE_NOT_FOUND');
  });

  it('workspace_edit_file refuses half an emoji as old_text instead of splitting it, and a lone surrogate as new_text', async () => {
    const half = toolError(
      await call('workspace_edit_file', { workspace_id, path: 'smile.txt', old_text: '\ud83d', new_text: 'z' }),
    );
    expect([half.code, half.text]).toEqual(['TEXT_INVALID_UNICODE', expect.stringMatching(/^old_text contains/)]);
    const lone = toolError(
      await call('workspace_edit_file', { workspace_id, path: 'smile.txt', old_text: 'x', new_text: '\udfff' }),
    );
    expect([lone.code, lone.text]).toEqual(['TEXT_INVALID_UNICODE', expect.stringMatching(/^new_text contains/)]);
    expect(await read('smile.txt')).toBe('x😀y\n');
  });

  it('workspace_create with such content or name creates no workspace', async () => {
    const before = ok<{ workspaces: unknown[] }>(await call('workspace_list', {})).workspaces.length;
    const content = toolError(await call('workspace_create', { files: [{ path: 'a.txt', content: '\ud800' }] }));
    const name = toolError(await call('workspace_create', { name: 'notes \udc00' }));
    expect([content.code, name.code]).toEqual(['TEXT_INVALID_UNICODE', 'TEXT_INVALID_UNICODE']);
    expect(name.text).toMatch(/^name contains an unpaired UTF-16 surrogate at character 6/);
    expect(ok<{ workspaces: unknown[] }>(await call('workspace_list', {})).workspaces.length).toBe(before);
  });

  it('the way out: the exact bytes as base64 are stored losslessly (as binary)', async () => {
    // What a lone surrogate would be in WTF-8: not UTF-8, so the file is binary and kept byte for byte.
    const bytes = Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62]).toString('base64');
    ok(await call('workspace_write_file', { workspace_id, path: 'raw.bin', content: bytes, encoding: 'base64' }));
    expect(
      ok<{ content: string; encoding: string }>(await call('workspace_read_file', { workspace_id, path: 'raw.bin' })),
    ).toMatchObject({ content: bytes, encoding: 'base64' });
  });
});
