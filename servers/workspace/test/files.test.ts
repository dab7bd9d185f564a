/**
 * Files through the tools: hostile paths refused with the rule, NFC look-alikes as one file,
 * byte-exact binary, size limits that leave nothing half-written, exact-once edits and if_match.
 */
import { type InProcessApp, type ModernClient, testStores, type StoreDialect } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceDeps } from '../src/index.js';
import { caller, countRows, ok, toolError, workspaceInProcess } from './helpers.js';
import { HOSTILE_PATHS } from './hostile-paths.js';

describe.each(testStores())('workspace files on %s', (dialect: StoreDialect) => {
  let fixture: InProcessApp<WorkspaceDeps>;
  let alice: ModernClient;
  let bob: ModernClient;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    fixture = await workspaceInProcess(
      { WORKSPACE_MAX_FILE_BYTES: '1024', WORKSPACE_MAX_BYTES: '4096', WORKSPACE_QUOTA: '200' },
      dialect,
    );
    [alice, bob] = await Promise.all([fixture.connectModern(), fixture.connectModern()]);
    await Promise.all([alice.listTools(), bob.listTools()]);
    call = caller(alice);
  });
  afterAll(async () => {
    await Promise.all([alice.close(), bob.close()]);
    await fixture.close();
  });

  async function newWorkspace(files: Array<{ path: string; content: string }> = []): Promise<string> {
    return ok<{ workspace_id: string }>(await call('workspace_create', { files })).workspace_id;
  }
  const read = async (workspace_id: string, path: string) =>
    ok<{ content: string; etag: string; size: number }>(await call('workspace_read_file', { workspace_id, path }));

  describe('workspace_write_file paths', () => {
    it.each(HOSTILE_PATHS)(
      'refuses %s (%j) with %s and a sentence naming the rule',
      async (_case, path, code, rule) => {
        const workspace_id = await newWorkspace();
        const refused = toolError(await call('workspace_write_file', { workspace_id, path, content: 'x' }));
        expect(refused.code).toBe(code);
        expect(refused.text).toMatch(/^path ".*" is refused: /);
        expect(refused.text).toMatch(rule);
        expect(ok<{ total: number }>(await call('workspace_list_files', { workspace_id })).total).toBe(0);
      },
    );

    it('the same hostile path inside workspace_create names the file entry and creates nothing', async () => {
      const before = ok<{ workspaces: unknown[] }>(await call('workspace_list', {})).workspaces.length;
      const refused = toolError(
        await call('workspace_create', {
          files: [
            { path: 'ok.txt', content: 'fine' },
            { path: 'a/../../b', content: 'escape' },
          ],
        }),
      );
      expect(refused.code).toBe('PATH_OUTSIDE_WORKSPACE');
      expect(refused.text).toMatch(/^files\[1\]\.path "a\/\.\.\/\.\.\/b" is refused/);
      expect(ok<{ workspaces: unknown[] }>(await call('workspace_list', {})).workspaces.length).toBe(before);
    });

    it('names that normalise to the same NFC string are one file', async () => {
      const workspace_id = await newWorkspace();
      const first = ok<{ path: string; created: boolean }>(
        await call('workspace_write_file', { workspace_id, path: 'caf\u00e9/menu.md', content: 'composed' }),
      );
      const second = ok<{ path: string; created: boolean }>(
        await call('workspace_write_file', { workspace_id, path: 'cafe\u0301/menu.md', content: 'decomposed' }),
      );
      expect([first.created, second.created]).toEqual([true, false]);
      expect(second.path).toBe('caf\u00e9/menu.md');
      expect((await read(workspace_id, 'caf\u00e9/menu.md')).content).toBe('decomposed');
      const listed = ok<{ files: Array<{ path: string }> }>(
        await call('workspace_list_files', { workspace_id, prefix: 'cafe\u0301/' }),
      );
      expect(listed.files.map((f) => f.path)).toEqual(['caf\u00e9/menu.md']);
    });
  });

  describe('workspace_write_file and workspace_read_file content', () => {
    it('binary content round-trips byte-exact through base64', async () => {
      const workspace_id = await newWorkspace();
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i).reverse());
      const written = ok<{ size: number }>(
        await call('workspace_write_file', {
          workspace_id,
          path: 'all-bytes.bin',
          content: bytes.toString('base64'),
          encoding: 'base64',
        }),
      );
      expect(written.size).toBe(256);
      const back = ok<{ content: string; encoding: string }>(
        await call('workspace_read_file', { workspace_id, path: 'all-bytes.bin' }),
      );
      expect(back.encoding).toBe('base64');
      expect(Buffer.from(back.content, 'base64').equals(bytes)).toBe(true);
      const asText = toolError(
        await call('workspace_read_file', { workspace_id, path: 'all-bytes.bin', encoding: 'utf8' }),
      );
      expect(asText).toMatchObject({ code: 'NOT_TEXT' });
      expect(asText.text).toMatch(/read it with encoding "base64"/);
    });

    it('text can be read back as base64, and invalid base64 is refused instead of half-decoded', async () => {
      const workspace_id = await newWorkspace([{ path: 't.txt', content: 'héllo' }]);
      const back = ok<{ content: string }>(
        await call('workspace_read_file', { workspace_id, path: 't.txt', encoding: 'base64' }),
      );
      expect(Buffer.from(back.content, 'base64').toString()).toBe('héllo');
      const bad = toolError(
        await call('workspace_write_file', { workspace_id, path: 'b.bin', content: 'not base64!', encoding: 'base64' }),
      );
      expect(bad.code).toBe('INVALID_BASE64');
    });

    it('reading a missing file names it and points to workspace_list_files', async () => {
      const workspace_id = await newWorkspace();
      const missing = toolError(await call('workspace_read_file', { workspace_id, path: 'nope.txt' }));
      expect(missing.code).toBe('FILE_NOT_FOUND');
      expect(missing.text).toMatch(/has no file "nope.txt"; call workspace_list_files/);
    });
  });

  describe('size limits', () => {
    it('a file over the per-file limit is refused and nothing is written', async () => {
      const workspace_id = await newWorkspace([{ path: 'keep.txt', content: 'original' }]);
      const blobs = await countRows(fixture.runtime.store, 'blobs');
      const refused = toolError(
        await call('workspace_write_file', { workspace_id, path: 'keep.txt', content: 'x'.repeat(1025) }),
      );
      expect(refused.code).toBe('FILE_TOO_LARGE');
      expect(refused.text).toMatch(/1025 bytes, over the 1024-byte limit for one file; nothing was written/);
      expect((await read(workspace_id, 'keep.txt')).content).toBe('original');
      expect(await countRows(fixture.runtime.store, 'blobs')).toBe(blobs);
    });

    it('a write or edit that would push the workspace over its quota is refused and nothing is written', async () => {
      const parts = Array.from({ length: 4 }, (_, i) => ({ path: `part-${i}.txt`, content: '.'.repeat(1000) }));
      const workspace_id = await newWorkspace([...parts, { path: 'edit.txt', content: 'MARK' }]);
      const before = ok<{ files: unknown[]; version: number }>(await call('workspace_list_files', { workspace_id }));
      const blobs = await countRows(fixture.runtime.store, 'blobs');

      const write = toolError(
        await call('workspace_write_file', { workspace_id, path: 'more.txt', content: 'y'.repeat(93) }),
      );
      expect(write.code).toBe('WORKSPACE_FULL');
      expect(write.text).toMatch(/would hold 4097 bytes, over the 4096-byte limit per workspace; nothing was written/);
      const edit = toolError(
        await call('workspace_edit_file', {
          workspace_id,
          path: 'edit.txt',
          old_text: 'MARK',
          new_text: 'y'.repeat(100),
        }),
      );
      expect(edit.code).toBe('WORKSPACE_FULL');
      expect(ok(await call('workspace_list_files', { workspace_id }))).toEqual(before);
      expect((await read(workspace_id, 'edit.txt')).content).toBe('MARK');
      expect(await countRows(fixture.runtime.store, 'blobs')).toBe(blobs);
    });

    it('initial files over the quota create no workspace at all', async () => {
      const before = ok<{ workspaces: unknown[] }>(await call('workspace_list', {})).workspaces.length;
      const tooMuch = Array.from({ length: 5 }, (_, i) => ({ path: `p${i}.txt`, content: 'z'.repeat(1000) }));
      expect(toolError(await call('workspace_create', { files: tooMuch })).code).toBe('WORKSPACE_FULL');
      expect(ok<{ workspaces: unknown[] }>(await call('workspace_list', {})).workspaces.length).toBe(before);
    });
  });

  describe('workspace_edit_file', () => {
    it('zero matches and several matches are errors that say how many were found; the file is unchanged', async () => {
      const workspace_id = await newWorkspace([{ path: 'todo.md', content: '- [ ] milk\n- [ ] eggs\n' }]);
      const none = toolError(
        await call('workspace_edit_file', { workspace_id, path: 'todo.md', old_text: '- [x]', new_text: '-' }),
      );
      expect(none).toMatchObject({ code: 'EDIT_NO_MATCH', details: { code: 'EDIT_NO_MATCH', matches: 0 } });
      expect(none.text).toMatch(/found 0 times in "todo.md"; it must match exactly once/);
      const several = toolError(
        await call('workspace_edit_file', { workspace_id, path: 'todo.md', old_text: '- [ ]', new_text: '- [x]' }),
      );
      expect(several).toMatchObject({ code: 'EDIT_AMBIGUOUS', details: { matches: 2 } });
      expect(several.text).toMatch(/found 2 times in "todo.md"; it must match exactly once/);
      expect((await read(workspace_id, 'todo.md')).content).toBe('- [ ] milk\n- [ ] eggs\n');
    });

    it('exactly one match edits, and $&, $1 and $$ in the replacement are inserted literally', async () => {
      const workspace_id = await newWorkspace([{ path: 'price.txt', content: 'cost: TBD (see note)\n' }]);
      ok(
        await call('workspace_edit_file', {
          workspace_id,
          path: 'price.txt',
          old_text: 'TBD',
          new_text: '$& then $1 and $$5',
        }),
      );
      expect((await read(workspace_id, 'price.txt')).content).toBe('cost: $& then $1 and $$5 (see note)\n');
    });

    it('refuses to edit a binary file', async () => {
      const workspace_id = await newWorkspace();
      ok(await call('workspace_write_file', { workspace_id, path: 'x.bin', content: '/wA=', encoding: 'base64' }));
      expect(
        toolError(await call('workspace_edit_file', { workspace_id, path: 'x.bin', old_text: 'a', new_text: 'b' }))
          .code,
      ).toBe('NOT_TEXT');
    });
  });

  describe('if_match', () => {
    it('two writers read the same etag: the first write wins, the second gets a conflict naming the current etag', async () => {
      const workspace_id = await newWorkspace([{ path: 'shared.md', content: 'v0\n' }]);
      const [a, b] = [caller(alice), caller(bob)];
      const seenByA = ok<{ etag: string }>(await a('workspace_read_file', { workspace_id, path: 'shared.md' })).etag;
      const seenByB = ok<{ etag: string }>(await b('workspace_read_file', { workspace_id, path: 'shared.md' })).etag;
      expect(seenByA).toBe(seenByB);

      const first = ok<{ etag: string }>(
        await a('workspace_write_file', { workspace_id, path: 'shared.md', content: 'from A\n', if_match: seenByA }),
      );
      const second = toolError(
        await b('workspace_write_file', { workspace_id, path: 'shared.md', content: 'from B\n', if_match: seenByB }),
      );
      expect(second.code).toBe('ETAG_MISMATCH');
      expect(second.text).toContain(`its etag is now ${first.etag}`);
      expect(second.details.current_etag).toBe(first.etag);
      const edit = toolError(
        await b('workspace_edit_file', {
          workspace_id,
          path: 'shared.md',
          old_text: 'v0',
          new_text: 'v1',
          if_match: seenByB,
        }),
      );
      expect(edit.code).toBe('ETAG_MISMATCH');
      const remove = toolError(
        await b('workspace_delete_file', { workspace_id, path: 'shared.md', if_match: seenByB }),
      );
      expect(remove.code).toBe('ETAG_MISMATCH');
      expect((await read(workspace_id, 'shared.md')).content).toBe('from A\n');

      // Retrying with the etag from a fresh read succeeds.
      ok(
        await b('workspace_write_file', { workspace_id, path: 'shared.md', content: 'from B\n', if_match: first.etag }),
      );
    });

    it('without if_match the last write wins', async () => {
      const workspace_id = await newWorkspace([{ path: 'shared.md', content: 'v0\n' }]);
      ok(await caller(alice)('workspace_write_file', { workspace_id, path: 'shared.md', content: 'A\n' }));
      ok(await caller(bob)('workspace_write_file', { workspace_id, path: 'shared.md', content: 'B\n' }));
      expect((await read(workspace_id, 'shared.md')).content).toBe('B\n');
    });

    it('if_match on a file that is gone says so', async () => {
      const workspace_id = await newWorkspace([{ path: 'gone.md', content: 'x' }]);
      const { etag } = await read(workspace_id, 'gone.md');
      ok(await call('workspace_delete_file', { workspace_id, path: 'gone.md' }));
      const refused = toolError(
        await call('workspace_write_file', { workspace_id, path: 'gone.md', content: 'y', if_match: etag }),
      );
      expect(refused).toMatchObject({ code: 'ETAG_MISMATCH', details: { current_etag: null } });
      expect(refused.text).toMatch(/it does not exist any more/);
    });
  });

  describe('workspace_list_files', () => {
    it('filters by prefix as plain text, in path order, and says when it truncated', async () => {
      const workspace_id = await newWorkspace([
        { path: 'src/main.ts', content: '1' },
        { path: 'src/math.ts', content: '2' },
        { path: 'src/util/io.ts', content: '3' },
        { path: 'srcx.txt', content: '4' },
        { path: 'README.md', content: '5' },
      ]);
      const list = async (args: Record<string, unknown>) =>
        ok<{ files: Array<{ path: string }>; total: number; truncated: boolean }>(
          await call('workspace_list_files', { workspace_id, ...args }),
        );
      expect((await list({ prefix: 'src/' })).files.map((f) => f.path)).toEqual([
        'src/main.ts',
        'src/math.ts',
        'src/util/io.ts',
      ]);
      expect((await list({ prefix: 'src/ma' })).files.map((f) => f.path)).toEqual(['src/main.ts', 'src/math.ts']);
      expect(await list({ prefix: 'src', limit: 2 })).toMatchObject({ total: 4, truncated: true });
      // Page by page with after: every file once, in order, and the last page says it is the last.
      const pages = [await list({ limit: 2 })];
      while (pages.at(-1)!.truncated) pages.push(await list({ limit: 2, after: pages.at(-1)!.files.at(-1)!.path }));
      expect(pages.map((page) => page.files.map((f) => f.path))).toEqual([
        ['README.md', 'src/main.ts'],
        ['src/math.ts', 'src/util/io.ts'],
        ['srcx.txt'],
      ]);
      expect(toolError(await call('workspace_list_files', { workspace_id, prefix: '/src' })).code).toBe(
        'PATH_ABSOLUTE',
      );
    });
  });
});
