/**
 * The largest calls the default limits allow (512 KiB files, 1 MiB request bodies, 10,000 files),
 * built so the old code did the most work on them: an edit whose old_text matches at every
 * position of its file, a diff of 150 modified files of the largest patchable size, a create and
 * a fork of 10,000 files. Shared by the in-process work test and the two-process stall test.
 */
import { PATCH_LIMITS } from '../src/domain/limits.js';

export const MAX_FILE = 524_288;

/** 512 KiB of "a", and an old_text of 300,000 "a": it matches 224,289 times, overlapping. */
export const AMBIGUOUS_EDIT = {
  content: 'a'.repeat(MAX_FILE),
  old_text: 'a'.repeat(300_000),
  matches: MAX_FILE - 300_000 + 1,
};

/** 512 KiB of "a" ending in "b", and an old_text of 300,000 "a" then "b": exactly one match, at the end. */
export const UNIQUE_EDIT = {
  content: `${'a'.repeat(MAX_FILE - 1)}b`,
  old_text: `${'a'.repeat(300_000)}b`,
  new_text: 'c',
};

/** `count` text files just under the patchable size, and the same files with their first line changed. */
export function modifiedFiles(count: number): { base: FileEntry[]; changed: FileEntry[] } {
  const lines = Array.from({ length: 3_000 }, (_, i) => `line ${i} of a long file\n`).join('');
  const body = lines.slice(0, PATCH_LIMITS.maxFileBytes - 100);
  const path = (i: number) => `src/file-${String(i).padStart(3, '0')}.txt`;
  return {
    base: Array.from({ length: count }, (_, i) => ({ path: path(i), content: `${i}\n${body}` })),
    changed: Array.from({ length: count }, (_, i) => ({ path: path(i), content: `${i} changed\n${body}` })),
  };
}

/** `count` small files with distinct contents. */
export function manySmallFiles(count: number, tag: string): FileEntry[] {
  return Array.from({ length: count }, (_, i) => ({ path: `m/${i}.txt`, content: `${tag} ${i}` }));
}

/**
 * SQL that gives the empty workspace `id` `count` files of distinct contents, as the store keeps
 * them (blobs, file rows, the workspace's totals; on PostgreSQL the blobs' reference counts).
 */
export function fillWorkspace(dialect: 'sqlite' | 'postgres', id: string, count: number): string {
  if (dialect === 'sqlite') {
    const numbers = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})`;
    return `
      ${numbers} INSERT INTO blobs (hash, size, bytes)
        SELECT printf('%064d', i), length('v1 ' || i), CAST('v1 ' || i AS BLOB) FROM n;
      ${numbers} INSERT INTO files (workspace_id, path, hash, size, updated_at)
        SELECT '${id}', 'm/' || i || '.txt', printf('%064d', i), length('v1 ' || i), 0 FROM n;
      UPDATE workspaces SET version = version + 1, file_count = ${count},
        bytes = (SELECT sum(size) FROM files WHERE workspace_id = '${id}') WHERE id = '${id}';`;
  }
  return `
    INSERT INTO blobs (hash, size, bytes, refs)
      SELECT lpad(i::text, 64, '0'), length('v1 ' || i), convert_to('v1 ' || i, 'UTF8'), 1 FROM generate_series(0, ${count - 1}) i;
    INSERT INTO files (workspace_id, path, hash, size, updated_at)
      SELECT '${id}', 'm/' || i || '.txt', lpad(i::text, 64, '0'), length('v1 ' || i), 0 FROM generate_series(0, ${count - 1}) i;
    UPDATE workspaces SET version = version + 1, file_count = ${count},
      bytes = (SELECT sum(size) FROM files WHERE workspace_id = '${id}') WHERE id = '${id}';`;
}

/** SQL that gives every file of workspace `id` one new content, as a write of each would. */
export function changeEveryFile(dialect: 'sqlite' | 'postgres', id: string): string {
  const hash = 'f'.repeat(64);
  const refs = dialect === 'postgres';
  return `
    INSERT INTO blobs (hash, size, bytes${refs ? ', refs' : ''})
      VALUES ('${hash}', 2, ${refs ? "convert_to('v2', 'UTF8'), 0" : "CAST('v2' AS BLOB)"});
    ${refs ? `UPDATE blobs SET refs = refs - 1 WHERE hash IN (SELECT hash FROM files WHERE workspace_id = '${id}');` : ''}
    ${refs ? `UPDATE blobs SET refs = (SELECT count(*) FROM files WHERE workspace_id = '${id}') WHERE hash = '${hash}';` : ''}
    UPDATE files SET hash = '${hash}', size = 2 WHERE workspace_id = '${id}';
    UPDATE workspaces SET version = version + 1, bytes = 2 * file_count WHERE id = '${id}';`;
}

export interface FileEntry {
  path: string;
  content: string;
}
