/**
 * The statements of the workspace store on PostgreSQL (postgres-store.ts), and the reads and
 * set-wise writes it builds from them: every write locks its workspace row first; blobs carry a
 * reference count changed in the same transaction as the file rows that name them.
 */
import { statement, type Queryable } from '@sessionless/kit';
import { fileNotFound, workspaceNotFound } from './errors.js';
import type { MergePlan, Tree } from './merge.js';
import { changeSets, countsOf, type FileRow, type WorkspaceRow } from './rows.js';

const FILE = `path, hash, size, updated_at`;
export const SQL = {
  insert: statement(`INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)`),
  workspace: statement(`SELECT * FROM workspaces WHERE id = $1`),
  lock: statement(`SELECT * FROM workspaces WHERE id = $1 FOR UPDATE`),
  lockBoth: statement(`SELECT * FROM workspaces WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`),
  share: statement(`SELECT * FROM workspaces WHERE id = $1 FOR SHARE`),
  forkRow: statement(`
    INSERT INTO workspaces (id, name, parent_id, bytes, file_count, created_at)
    SELECT $1, $2, id, bytes, file_count, $4 FROM workspaces WHERE id = $3 RETURNING *`),
  copyFiles: statement(`
    INSERT INTO files (workspace_id, path, hash, size, updated_at)
    SELECT $1, path, hash, size, updated_at FROM files WHERE workspace_id = $2`),
  // A fork names every blob its original names once more.
  refTree: statement(`
    UPDATE blobs b SET refs = b.refs + c.n
    FROM (SELECT hash, count(*)::int AS n FROM files WHERE workspace_id = $1 GROUP BY hash ORDER BY hash) c
    WHERE b.hash = c.hash`),
  clearForkPoint: statement(`DELETE FROM fork_points WHERE workspace_id = $1`),
  setForkPoint: statement(
    `INSERT INTO fork_points (workspace_id, path, hash) SELECT $1, path, hash FROM files WHERE workspace_id = $2`,
  ),
  // Growth is refused past a limit in the same statement that applies it; shrinking always passes.
  grow: statement(`
    UPDATE workspaces SET version = version + 1, bytes = bytes + $2, file_count = file_count + $3
    WHERE id = $1 AND ($2 <= 0 OR bytes + $2 <= $4) AND ($3 <= 0 OR file_count + $3 <= $5)
    RETURNING *`),
  file: statement(`SELECT ${FILE} FROM files WHERE workspace_id = $1 AND path = $2`),
  fileWithBytes: statement(`
    SELECT f.path, f.hash, f.size, f.updated_at, b.bytes FROM files f JOIN blobs b ON b.hash = f.hash
    WHERE f.workspace_id = $1 AND f.path = $2`),
  blob: statement(`SELECT bytes FROM blobs WHERE hash = $1`),
  refBlob: statement(`
    INSERT INTO blobs (hash, size, bytes, refs) VALUES ($1, $2, $3, 1)
    ON CONFLICT (hash) DO UPDATE SET refs = blobs.refs + 1`),
  putFile: statement(`
    INSERT INTO files (workspace_id, path, hash, size, updated_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (workspace_id, path) DO UPDATE
    SET hash = excluded.hash, size = excluded.size, updated_at = excluded.updated_at`),
  deleteFile: statement(`DELETE FROM files WHERE workspace_id = $1 AND path = $2`),
  deleteFiles: statement(`DELETE FROM files WHERE workspace_id = $1 RETURNING hash`),
  deleteWorkspace: statement(`DELETE FROM workspaces WHERE id = $1`),
  tree: statement(`SELECT ${FILE} FROM files WHERE workspace_id = $1`),
  forkPoint: statement(`SELECT path, hash FROM fork_points WHERE workspace_id = $1`),
  list: statement(`
    SELECT ${FILE} FROM files WHERE workspace_id = $1 AND path >= $2 AND left(path, $3) = $2 AND path > $5
    ORDER BY path LIMIT $4`),
  count: statement(`SELECT count(*) AS n FROM files WHERE workspace_id = $1 AND path >= $2 AND left(path, $3) = $2`),
  // The set-wise forms create, merge and remove use: many rows in one statement, given as arrays.
  refBlobs: statement(`
    INSERT INTO blobs (hash, size, bytes, refs)
    SELECT * FROM unnest($1::text[], $2::int[], $3::bytea[], $4::int[])
    ON CONFLICT (hash) DO UPDATE SET refs = blobs.refs + excluded.refs`),
  putFiles: statement(`
    INSERT INTO files (workspace_id, path, hash, size, updated_at)
    SELECT $1, f.path, f.hash, f.size, $5 FROM unnest($2::text[], $3::text[], $4::int[]) AS f(path, hash, size)
    ON CONFLICT (workspace_id, path) DO UPDATE
    SET hash = excluded.hash, size = excluded.size, updated_at = excluded.updated_at`),
  deleteFilesAt: statement(`DELETE FROM files WHERE workspace_id = $1 AND path = ANY($2::text[])`),
  // Blobs are locked in hash order first, so two transactions sharing blobs never wait on each other in a cycle.
  lockBlobs: statement(`SELECT hash FROM blobs WHERE hash = ANY($1::text[]) ORDER BY hash FOR UPDATE`),
  addRefs: statement(`
    UPDATE blobs b SET refs = b.refs + c.n FROM unnest($1::text[], $2::int[]) AS c(hash, n) WHERE b.hash = c.hash`),
  unrefs: statement(`
    UPDATE blobs b SET refs = b.refs - c.n FROM unnest($1::text[], $2::int[]) AS c(hash, n) WHERE b.hash = c.hash`),
  dropUnused: statement(`DELETE FROM blobs WHERE hash = ANY($1::text[]) AND refs = 0`),
};

/** A planned merge's changes in a few set-wise statements, then `from` as the next fork point. */
export async function applyMerge(
  tx: Queryable,
  merge: { from: WorkspaceRow; into: WorkspaceRow; fork: string; plan: MergePlan },
  grow: (tx: Queryable, id: string, bytes: number, files: number) => Promise<WorkspaceRow>,
  now: number,
) {
  const { from, into, fork, plan } = merge;
  let version = into.version;
  if (plan.changes.length) {
    const sets = changeSets(plan);
    version = (await grow(tx, into.id, sets.bytes, sets.files)).version;
    const { puts } = sets;
    await tx.query(SQL.putFiles, [
      into.id,
      puts.map((p) => p.path),
      puts.map((p) => p.hash),
      puts.map((p) => p.size),
      now,
    ]);
    await tx.query(SQL.deleteFilesAt, [into.id, sets.deletes]);
    const added = countsOf(puts.map((p) => p.hash));
    await tx.query(SQL.lockBlobs, [added.hashes]);
    await tx.query(SQL.addRefs, [added.hashes, added.counts]);
    await release(tx, sets.released);
  }
  // `from` as it is now is an ancestor of `into` from here on: it is the next merge's fork point.
  await tx.query(SQL.clearForkPoint, [fork]);
  await tx.query(SQL.setForkPoint, [fork, from.id]);
  const changes = plan.changes.map(({ path, status }) => ({ path, status }));
  return { changes, resolved: plan.resolved, version };
}

/** One file row fewer names each of `hashes` (a hash listed twice, two fewer); blobs no row names go. */
export async function release(tx: Queryable, hashes: readonly string[]): Promise<void> {
  if (!hashes.length) return;
  const released = countsOf(hashes);
  if (released.hashes.length > 1) await tx.query(SQL.lockBlobs, [released.hashes]);
  await tx.query(SQL.unrefs, [released.hashes, released.counts]);
  await tx.query(SQL.dropUnused, [released.hashes]);
}

export async function tree(tx: Queryable, id: string): Promise<Tree> {
  const rows = await tx.query<FileRow>(SQL.tree, [id]);
  return new Map(rows.map((row) => [row.path, { hash: row.hash, size: row.size }]));
}

export async function forkPoint(tx: Queryable, id: string): Promise<Tree> {
  const rows = await tx.query<{ path: string; hash: string }>(SQL.forkPoint, [id]);
  return new Map(rows.map((row) => [row.path, { hash: row.hash, size: 0 }]));
}

export async function rowOrThrow(tx: Queryable, id: string, lock = false): Promise<WorkspaceRow> {
  const [row] = await tx.query<WorkspaceRow>(lock ? SQL.lock : SQL.workspace, [id]);
  // The handle was checked first, so a missing row means the workspace ended between the two reads.
  if (!row) throw workspaceNotFound(id);
  return row;
}

export async function throwFileNotFound(db: Queryable, id: string, path: string): Promise<never> {
  await rowOrThrow(db, id);
  throw fileNotFound(id, path);
}
