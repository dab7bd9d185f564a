/**
 * The workspace store on PostgreSQL, content-addressed like the SQLite one. What SQLite's single
 * writer gave for free is explicit: every write locks its workspace row first, so writes to one
 * workspace queue while others go on (a fork share-locks its original; a merge locks both, in id
 * order); and a blob carries a reference count changed in the same transaction as the file rows
 * that name it, so no writer can drop a blob another transaction is about to name.
 */
import { statement, type Postgres, type Queryable, type StoreTx } from '@sessionless/kit';
import type { PreparedFile } from './content.js';
import { editedContent } from './edit.js';
import { checkIfMatch, fileNotFound, mergeConflict, unrelated, workspaceFull, workspaceNotFound } from './errors.js';
import type { FileLimits } from './limits.js';
import { compareTrees, planMerge, type Side, type Tree } from './merge.js';
import { diffEntries, toInfo, toSummary, type FileRow, type WorkspaceRow } from './rows.js';
import type { MergeOutcome, WorkspaceStore } from './store.js';

const FILE = `path, hash, size, updated_at`;
const SQL = {
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
  addRef: statement(`UPDATE blobs SET refs = refs + 1 WHERE hash = $1`),
  unref: statement(`UPDATE blobs SET refs = refs - $2 WHERE hash = $1`),
  dropIfUnused: statement(`DELETE FROM blobs WHERE hash = $1 AND refs = 0`),
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
    SELECT ${FILE} FROM files WHERE workspace_id = $1 AND path >= $2 AND left(path, $3) = $2
    ORDER BY path LIMIT $4`),
  count: statement(`SELECT count(*) AS n FROM files WHERE workspace_id = $1 AND path >= $2 AND left(path, $3) = $2`),
};

export class PostgresWorkspaceStore implements WorkspaceStore {
  constructor(
    private readonly db: Postgres,
    private readonly limits: FileLimits,
  ) {}

  // create, fork and remove run inside the handle's transaction (see the kit's Handles).
  async create(tx: StoreTx, id: string, name: string | null, files: readonly PreparedFile[], now: number) {
    const db = txOf(tx);
    await db.query(SQL.insert, [id, name, now]);
    const bytes = files.reduce((sum, file) => sum + file.bytes.length, 0);
    if (files.length) await this.grow(db, id, bytes, files.length);
    for (const file of files) {
      await db.query(SQL.refBlob, [file.hash, file.bytes.length, file.bytes]);
      await db.query(SQL.putFile, [id, file.path, file.hash, file.bytes.length, now]);
    }
    return toSummary(await rowOrThrow(db, id));
  }

  async fork(tx: StoreTx, id: string, parentId: string, name: string | null, now: number) {
    const db = txOf(tx);
    // Shared: other forks of the original may run at once; writes to it wait.
    if (!(await db.query(SQL.share, [parentId])).length) throw workspaceNotFound(parentId);
    const [row] = await db.query<WorkspaceRow>(SQL.forkRow, [id, name, parentId, now]);
    await db.query(SQL.copyFiles, [id, parentId]);
    await db.query(SQL.refTree, [id]);
    await db.query(SQL.setForkPoint, [id, parentId]);
    return toSummary(row!);
  }

  async summary(id: string) {
    return toSummary(await rowOrThrow(this.db, id));
  }

  async findSummary(id: string) {
    const [row] = await this.db.query<WorkspaceRow>(SQL.workspace, [id]);
    return row && toSummary(row);
  }

  async readFile(id: string, path: string) {
    const [row] = await this.db.query<FileRow & { bytes: Buffer }>(SQL.fileWithBytes, [id, path]);
    if (!row) return throwFileNotFound(this.db, id, path);
    return { ...toInfo(row), bytes: row.bytes };
  }

  async writeFile(id: string, file: PreparedFile, ifMatch: string | undefined, now: number) {
    return this.db.transaction(async (tx) => {
      await rowOrThrow(tx, id, true);
      const [current] = await tx.query<FileRow>(SQL.file, [id, file.path]);
      checkIfMatch(file.path, current?.hash, ifMatch);
      return this.put(tx, id, file.path, file.bytes, file.hash, current, now);
    });
  }

  async editFile(id: string, path: string, oldText: string, newText: string, ifMatch: string | undefined, now: number) {
    return this.db.transaction(async (tx) => {
      await rowOrThrow(tx, id, true);
      const [current] = await tx.query<FileRow & { bytes: Buffer }>(SQL.fileWithBytes, [id, path]);
      if (!current) throw fileNotFound(id, path);
      checkIfMatch(path, current.hash, ifMatch);
      const edited = editedContent(current.bytes, oldText, newText, path, this.limits);
      return this.put(tx, id, path, edited.bytes, edited.hash, current, now);
    });
  }

  async deleteFile(id: string, path: string, ifMatch: string | undefined) {
    return this.db.transaction(async (tx) => {
      await rowOrThrow(tx, id, true);
      const [current] = await tx.query<FileRow>(SQL.file, [id, path]);
      if (!current) throw fileNotFound(id, path);
      checkIfMatch(path, current.hash, ifMatch);
      await tx.query(SQL.deleteFile, [id, path]);
      const version = (await this.grow(tx, id, -current.size, -1)).version;
      await unref(tx, current.hash, 1);
      return { version };
    });
  }

  async listFiles(id: string, prefix: string, limit: number) {
    const length = [...prefix].length;
    // One snapshot, so the page, the total and the version describe the same moment.
    return this.db.transaction(
      async (tx) => {
        const row = await rowOrThrow(tx, id);
        const files = (await tx.query<FileRow>(SQL.list, [id, prefix, length, limit])).map(toInfo);
        const [count] = await tx.query<{ n: number }>(SQL.count, [id, prefix, length]);
        return { files, total: count?.n ?? 0, version: row.version };
      },
      { readOnly: true },
    );
  }

  async diff(id: string, baseId: string, withPatches: boolean) {
    // One snapshot for the trees and every content read for the patches.
    return this.db.transaction(
      async (tx) => {
        await rowOrThrow(tx, id);
        await rowOrThrow(tx, baseId);
        const changes = compareTrees(await tree(tx, baseId), await tree(tx, id));
        return diffEntries(changes, withPatches, async (hash) => {
          const [blob] = await tx.query<{ bytes: Buffer }>(SQL.blob, [hash]);
          return blob?.bytes;
        });
      },
      { readOnly: true },
    );
  }

  async merge(fromId: string, intoId: string, resolutions: ReadonlyMap<string, Side>, now: number) {
    return this.db.transaction(async (tx): Promise<MergeOutcome> => {
      const locked = await tx.query<WorkspaceRow>(SQL.lockBoth, [[fromId, intoId]]);
      const from = locked.find((row) => row.id === fromId) ?? (await rowOrThrow(tx, fromId));
      const into = locked.find((row) => row.id === intoId) ?? (await rowOrThrow(tx, intoId));
      const fork = from.parent_id === intoId ? fromId : into.parent_id === fromId ? intoId : undefined;
      if (!fork) throw unrelated(from, into);
      const plan = planMerge(await forkPoint(tx, fork), await tree(tx, fromId), await tree(tx, intoId), resolutions);
      if (plan.conflicts.length) throw mergeConflict(fromId, intoId, plan.conflicts);

      let version = into.version;
      if (plan.changes.length) {
        const bytes = plan.changes.reduce((sum, c) => sum + (c.after?.size ?? 0) - (c.before?.size ?? 0), 0);
        const files = plan.changes.reduce((sum, c) => sum + (c.after ? 1 : 0) - (c.before ? 1 : 0), 0);
        version = (await this.grow(tx, intoId, bytes, files)).version;
        for (const change of plan.changes) {
          if (change.after) {
            const { hash, size } = change.after;
            await tx.query(SQL.putFile, [intoId, change.path, hash, size, now]);
            await tx.query(SQL.addRef, [hash]);
          } else {
            await tx.query(SQL.deleteFile, [intoId, change.path]);
          }
          if (change.before) await unref(tx, change.before.hash, 1);
        }
      }
      // `from` as it is now is an ancestor of `into` from here on: it is the next merge's fork point.
      await tx.query(SQL.clearForkPoint, [fork]);
      await tx.query(SQL.setForkPoint, [fork, fromId]);
      const changes = plan.changes.map(({ path, status }) => ({ path, status }));
      return { changes, resolved: plan.resolved, version };
    });
  }

  async remove(tx: StoreTx, id: string): Promise<void> {
    const db = txOf(tx);
    const named = new Map<string, number>();
    for (const { hash } of await db.query<{ hash: string }>(SQL.deleteFiles, [id])) {
      named.set(hash, (named.get(hash) ?? 0) + 1);
    }
    await db.query(SQL.clearForkPoint, [id]);
    await db.query(SQL.deleteWorkspace, [id]);
    // In hash order, so two removals that share blobs lock them in the same order.
    for (const hash of [...named.keys()].sort()) await unref(db, hash, named.get(hash)!);
  }

  /** Stores `bytes` at `path` (within the limits) and releases the content it replaces. */
  private async put(
    tx: Queryable,
    id: string,
    path: string,
    bytes: Buffer,
    hash: string,
    current: FileRow | undefined,
    now: number,
  ) {
    const row = await this.grow(tx, id, bytes.length - (current?.size ?? 0), current ? 0 : 1);
    await tx.query(SQL.refBlob, [hash, bytes.length, bytes]);
    await tx.query(SQL.putFile, [id, path, hash, bytes.length, now]);
    if (current) await unref(tx, current.hash, 1);
    return { path, etag: hash, size: bytes.length, updatedAt: now, created: !current, version: row.version };
  }

  private async grow(tx: Queryable, id: string, bytes: number, files: number): Promise<WorkspaceRow> {
    const { maxWorkspaceBytes: maxBytes, maxFiles } = this.limits;
    const [row] = await tx.query<WorkspaceRow>(SQL.grow, [id, bytes, files, maxBytes, maxFiles]);
    if (row) return row;
    const before = await rowOrThrow(tx, id);
    throw workspaceFull(`Workspace ${id}`, before.file_count + files, before.bytes + bytes, this.limits);
  }
}

function txOf(tx: StoreTx): Queryable {
  if (tx.dialect !== 'postgres') throw new Error('the PostgreSQL workspace store was given a SQLite transaction');
  return tx.db;
}

/** One fewer (or `n` fewer) file rows name `hash`; the blob goes when none does. */
async function unref(tx: Queryable, hash: string, n: number): Promise<void> {
  await tx.query(SQL.unref, [hash, n]);
  await tx.query(SQL.dropIfUnused, [hash]);
}

async function tree(tx: Queryable, id: string): Promise<Tree> {
  const rows = await tx.query<FileRow>(SQL.tree, [id]);
  return new Map(rows.map((row) => [row.path, { hash: row.hash, size: row.size }]));
}

async function forkPoint(tx: Queryable, id: string): Promise<Tree> {
  const rows = await tx.query<{ path: string; hash: string }>(SQL.forkPoint, [id]);
  return new Map(rows.map((row) => [row.path, { hash: row.hash, size: 0 }]));
}

async function rowOrThrow(tx: Queryable, id: string, lock = false): Promise<WorkspaceRow> {
  const [row] = await tx.query<WorkspaceRow>(lock ? SQL.lock : SQL.workspace, [id]);
  // The handle was checked first, so a missing row means the workspace ended between the two reads.
  if (!row) throw workspaceNotFound(id);
  return row;
}

async function throwFileNotFound(db: Queryable, id: string, path: string): Promise<never> {
  await rowOrThrow(db, id);
  throw fileNotFound(id, path);
}
