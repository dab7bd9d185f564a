/**
 * The workspace domain without MCP: content-addressed storage (forks copy no bytes, unreferenced
 * blobs are freed), all-or-nothing size limits, the three-way merge plan and the text diff.
 */
import { handleMigrations, type Store, type StoreTx } from '@sessionless/kit';
import {
  openTestStore,
  pauseWrites,
  rows,
  testStores,
  type StoreDialect,
  type TestStore,
} from '@sessionless/kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { workspaceStore } from '../src/deps.js';
import { prepareFile, prepareFiles } from '../src/domain/content.js';
import type { FileLimits } from '../src/domain/limits.js';
import { countOccurrences, replaceExactlyOnce } from '../src/domain/edit.js';
import { planMerge, type Tree } from '../src/domain/merge.js';
import { workspaceMigrations } from '../src/domain/schema.js';
import { unifiedDiff } from '../src/domain/text-diff.js';
import { countRows, manyFiles } from './helpers.js';

const LIMITS: FileLimits = { maxFileBytes: 64 * 1024, maxWorkspaceBytes: 1024 * 1024, maxFiles: 2_000 };
const opened: TestStore[] = [];
afterEach(async () => {
  for (const each of opened.splice(0)) await each.close();
});

const text = (path: string, content: string, limits = LIMITS) =>
  prepareFile({ path, content, encoding: 'utf8' }, limits);
const files = (list: Array<{ path: string; content: string }>, limits = LIMITS) =>
  prepareFiles(
    list.map((f) => ({ ...f, encoding: 'utf8' as const })),
    limits,
  );
const blobBytes = async (db: Store) =>
  (await rows<{ n: number }>(db, 'SELECT coalesce(sum(length(bytes)), 0) AS n FROM blobs'))[0]!.n;

describe.each(testStores())('the workspace store on %s', (dialect: StoreDialect) => {
  async function openStore(limits = LIMITS) {
    const test = await openTestStore(dialect, 'workspace', [...handleMigrations, ...workspaceMigrations]);
    opened.push(test);
    const tx: StoreTx = test.tx;
    return { db: test.store, store: workspaceStore(test.store, limits), tx };
  }

  describe('fork', () => {
    it('a fork of a workspace with 1,000 files creates no blobs and copies no bytes, only path rows', async () => {
      const { db, store, tx } = await openStore();
      await store.create(tx, 'ws_base', null, files(manyFiles(1_000)), 1);
      expect(await countRows(db, 'blobs')).toBe(1_000);
      const [blobsBefore, bytesBefore] = [await countRows(db, 'blobs'), await blobBytes(db)];

      const fork = await store.fork(tx, 'ws_fork', 'ws_base', 'mine', 2);

      expect(fork).toMatchObject({ parentId: 'ws_base', fileCount: 1_000, version: 0 });
      expect(await countRows(db, 'blobs')).toBe(blobsBefore);
      expect(await blobBytes(db)).toBe(bytesBefore);
      expect(await countRows(db, 'files')).toBe(2_000);
      expect(await countRows(db, 'fork_points')).toBe(1_000);
    });

    it('is isolated both ways: writes in the fork stay out of the base and the other way round', async () => {
      const { store, tx } = await openStore();
      await store.create(tx, 'ws_base', null, files([{ path: 'shared.txt', content: 'v1' }]), 1);
      await store.fork(tx, 'ws_fork', 'ws_base', null, 2);
      await store.writeFile('ws_fork', text('shared.txt', 'fork edit'), undefined, 3);
      await store.writeFile('ws_fork', text('fork-only.txt', 'x'), undefined, 3);
      await store.writeFile('ws_base', text('base-only.txt', 'y'), undefined, 4);

      const read = async (id: string, path: string) => (await store.readFile(id, path)).bytes.toString();
      expect(await read('ws_base', 'shared.txt')).toBe('v1');
      expect(await read('ws_fork', 'shared.txt')).toBe('fork edit');
      await expect(store.readFile('ws_base', 'fork-only.txt')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
      await expect(store.readFile('ws_fork', 'base-only.txt')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    });
  });

  describe('blob garbage collection', () => {
    it('equal contents are stored once; a blob is freed when the last file naming it goes', async () => {
      const { db, store, tx } = await openStore();
      await store.create(tx, 'ws_a', null, files([{ path: 'one.txt', content: 'same' }]), 1);
      await store.writeFile('ws_a', text('two.txt', 'same'), undefined, 2);
      expect(await countRows(db, 'blobs')).toBe(1);
      await store.writeFile('ws_a', text('one.txt', 'different'), undefined, 3);
      expect(await countRows(db, 'blobs')).toBe(2);
      await store.deleteFile('ws_a', 'two.txt', undefined);
      expect(await countRows(db, 'blobs')).toBe(1);
      await store.deleteFile('ws_a', 'one.txt', undefined);
      expect(await countRows(db, 'blobs')).toBe(0);
    });

    it('removing a workspace frees the blobs only it used and keeps those a fork still shares', async () => {
      const { db, store, tx } = await openStore();
      await store.create(tx, 'ws_base', null, files(manyFiles(10)), 1);
      await store.fork(tx, 'ws_fork', 'ws_base', null, 2);
      await store.writeFile('ws_base', text('base-only.txt', 'only in the base'), undefined, 3);
      await store.writeFile('ws_fork', text('fork-only.txt', 'only in the fork'), undefined, 3);
      expect(await countRows(db, 'blobs')).toBe(12);

      await store.remove(tx, 'ws_base');
      expect(await countRows(db, 'blobs')).toBe(11);
      expect((await store.readFile('ws_fork', 'src/file-0003.txt')).bytes.toString()).toBe('file 3 v1\n');

      await store.remove(tx, 'ws_fork');
      expect([await countRows(db, 'blobs'), await countRows(db, 'files'), await countRows(db, 'workspaces')]).toEqual([
        0, 0, 0,
      ]);
      expect(await countRows(db, 'fork_points')).toBe(0);
    });
  });

  describe('size limits', () => {
    const small: FileLimits = { maxFileBytes: 100, maxWorkspaceBytes: 250, maxFiles: 3 };

    it('a file over the per-file limit is refused before anything is stored', () => {
      expect(() => text('big.txt', 'x'.repeat(101), small)).toThrow(
        expect.objectContaining({
          code: 'FILE_TOO_LARGE',
          message: expect.stringMatching(/101 bytes, over the 100-byte limit/),
        }),
      );
    });

    it('a write that would push the workspace over its byte or file limit changes nothing', async () => {
      const { db, store, tx } = await openStore(small);
      await store.create(tx, 'ws_q', null, files([{ path: 'a.txt', content: 'a'.repeat(100) }], small), 1);
      await store.writeFile('ws_q', text('b.txt', 'b'.repeat(100), small), undefined, 2);
      const before = { summary: await store.summary('ws_q'), blobs: await countRows(db, 'blobs') };

      await expect(store.writeFile('ws_q', text('c.txt', 'c'.repeat(51), small), undefined, 3)).rejects.toMatchObject({
        code: 'WORKSPACE_FULL',
        message: expect.stringMatching(/251 bytes, over the 250-byte limit.*nothing was written/),
      });
      // Growing an existing file counts only the difference.
      await expect(store.writeFile('ws_q', text('a.txt', 'a'.repeat(100), small), undefined, 3)).resolves.toBeTruthy();
      await expect(store.readFile('ws_q', 'c.txt')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
      expect(await store.summary('ws_q')).toMatchObject({ bytes: before.summary.bytes, fileCount: 2 });
      expect(await countRows(db, 'blobs')).toBe(before.blobs);

      await store.writeFile('ws_q', text('c.txt', 'c', small), undefined, 4);
      await expect(store.writeFile('ws_q', text('d.txt', 'd', small), undefined, 5)).rejects.toMatchObject({
        code: 'WORKSPACE_FULL',
        message: expect.stringMatching(/4 files, over the limit of 3 files/),
      });
    });

    it('initial files over the workspace limit are refused as a whole', () => {
      const list = [
        { path: 'a.txt', content: 'a'.repeat(100) },
        { path: 'b.txt', content: 'b'.repeat(100) },
        { path: 'c.txt', content: 'c'.repeat(100) },
      ];
      expect(() => files(list, small)).toThrow(expect.objectContaining({ code: 'WORKSPACE_FULL' }));
    });

    it('two initial files that are one file after NFC are refused, naming both', () => {
      const list = [
        { path: 'caf\u00e9.txt', content: '1' },
        { path: 'cafe\u0301.txt', content: '2' },
      ];
      expect(() => files(list)).toThrow(/files\[1\]\.path "cafe\u0301\.txt" names the same file as files\[0\]\.path/);
    });
  });
});

describe('edit', () => {
  it.each([
    ['$&', 'price: $&'],
    ['$1', 'price: $1'],
    ['$$', 'price: $$'],
    ["$` and $'", "price: $` and $'"],
  ])('inserts %s literally', (replacement, expected) => {
    expect(replaceExactlyOnce('price: TBD', 'TBD', replacement, 'p.txt')).toBe(expected);
  });

  it('counts overlapping matches, so an ambiguous needle is never guessed', () => {
    expect(countOccurrences('aaa', 'aa')).toBe(2);
    expect(() => replaceExactlyOnce('aaa', 'aa', 'b', 'x.txt')).toThrow(/found 2 times/);
  });
});

describe('planMerge', () => {
  const tree = (entries: Record<string, string>): Tree =>
    new Map(Object.entries(entries).map(([path, hash]) => [path, { hash, size: hash.length }]));
  const base = tree({ same: 'b', ours: 'b', theirs: 'b', both: 'b', gone: 'b', clash: 'b', dropped: 'b' });

  it('classifies every path against the fork point', () => {
    const from = tree({
      same: 'b',
      ours: 'b',
      theirs: 'F',
      both: 'X',
      clash: 'F',
      dropped: 'F',
      fresh: 'n',
      twice: 'f',
    });
    const into = tree({ same: 'b', ours: 'I', theirs: 'b', both: 'X', gone: 'b', clash: 'I', twice: 'i' });
    const plan = planMerge(base, from, into);
    expect(plan.changes.map((c) => [c.path, c.status])).toEqual([
      ['fresh', 'added'],
      ['gone', 'deleted'],
      ['theirs', 'modified'],
    ]);
    expect(plan.conflicts).toEqual([
      { path: 'clash', kind: 'changed_in_both' },
      { path: 'dropped', kind: 'deleted_in_into' },
      { path: 'twice', kind: 'added_in_both' },
    ]);
  });

  it('a path deleted in from and changed in into is a conflict; resolutions settle conflicts either way', () => {
    const from = tree({ same: 'b', ours: 'b', theirs: 'b', both: 'b', clash: 'F', dropped: 'b' });
    const into = tree({ same: 'b', ours: 'b', theirs: 'b', both: 'b', gone: 'I', clash: 'I', dropped: 'b' });
    expect(planMerge(base, from, into).conflicts).toEqual([
      { path: 'clash', kind: 'changed_in_both' },
      { path: 'gone', kind: 'deleted_in_from' },
    ]);
    const plan = planMerge(
      base,
      from,
      into,
      new Map([
        ['clash', 'into'],
        ['gone', 'from'],
      ]),
    );
    expect(plan.conflicts).toEqual([]);
    expect(plan.resolved).toEqual(['clash', 'gone']);
    expect(plan.changes.map((c) => [c.path, c.status])).toEqual([['gone', 'deleted']]);
  });
});

describe('unifiedDiff', () => {
  it('renders hunks with three lines of context and line numbers', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 10\n', 'line ten\n').replace('line 20\n', 'line 20\nline 21\n');
    expect(unifiedDiff('a.txt', before, after)).toBe(
      [
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -7,7 +7,7 @@',
        ' line 7',
        ' line 8',
        ' line 9',
        '-line 10',
        '+line ten',
        ' line 11',
        ' line 12',
        ' line 13',
        '@@ -18,3 +18,4 @@',
        ' line 18',
        ' line 19',
        ' line 20',
        '+line 21',
        '',
      ].join('\n'),
    );
  });

  it('shows added and deleted files against /dev/null, and a missing final newline', () => {
    expect(unifiedDiff('n.txt', null, 'a\nb')).toBe(
      '--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n',
    );
    expect(unifiedDiff('o.txt', 'x\n', null)).toBe('--- a/o.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n');
  });

  it('gives up (undefined) rather than build a table over the cell budget', () => {
    const a = Array.from({ length: 300 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 300 }, (_, i) => `b${i}`).join('\n');
    expect(unifiedDiff('big.txt', a, b, 10_000)).toBeUndefined();
    expect(unifiedDiff('big.txt', a, b)).toMatch(/^@@ -1,300 \+1,300 @@$/m);
  });
});

describe.runIf(testStores().includes('postgres'))('blobs on postgres, where writers run at once', () => {
  it('a content named by a write still in progress is not freed when its last committed name goes', async () => {
    const test = await openTestStore('postgres', 'workspace', [...handleMigrations, ...workspaceMigrations]);
    opened.push(test);
    const one = workspaceStore(test.store, LIMITS);
    const other = workspaceStore(await test.reopen(), LIMITS);
    await one.create(test.tx, 'ws_source', null, files([{ path: 'f.txt', content: 'shared' }]), 1);
    await one.create(test.tx, 'ws_other', null, [], 1);
    // The write naming the shared content is held right after its file row is written...
    const pause = await pauseWrites(test.store, { table: 'files', op: 'INSERT', when: "NEW.path = 'same.txt'" });
    const naming = other.writeFile('ws_other', text('same.txt', 'shared'), undefined, 2);
    await pause.paused();
    // ...while the source drops the only committed name of that content.
    const dropping = one.writeFile('ws_source', text('f.txt', 'replaced'), undefined, 3);
    await pause.blockedOr(dropping);
    await pause.release();
    await expect(Promise.all([naming, dropping])).resolves.toHaveLength(2);
    await pause.undo();
    expect((await other.readFile('ws_other', 'same.txt')).bytes.toString()).toBe('shared');
    expect((await one.readFile('ws_source', 'f.txt')).bytes.toString()).toBe('replaced');
    expect(await rows(test.store, `SELECT hash, refs FROM blobs ORDER BY refs`)).toEqual([
      { hash: expect.any(String), refs: 1 },
      { hash: expect.any(String), refs: 1 },
    ]);
  });
});
