/**
 * The workspace store on PostgreSQL, content-addressed like the SQLite one. What SQLite's single
 * writer gave for free is explicit: every write locks its workspace row first, so writes to one
 * workspace queue while others go on (a fork share-locks its original; a merge locks both, in id
 * order); and a blob carries a reference count changed in the same transaction as the file rows
 * that name it, so no writer can drop a blob another transaction is about to name.
 */
import type { Postgres, Queryable, StoreTx } from '@sessionless/kit';
import type { PreparedFile } from './content.js';
import { editedContent } from './edit.js';
import { checkIfMatch, fileNotFound, workspaceFull, workspaceNotFound } from './errors.js';
import type { FileLimits } from './limits.js';
import { compareTrees, type Side, type Tree } from './merge.js';
import { optimistically } from './optimistic.js';
import { applyMerge, forkPoint, release, rowOrThrow, SQL, throwFileNotFound, tree } from './postgres-sql.js';
import {
  checkedPlan,
  countsOf,
  diffEntries,
  forkOf,
  toInfo,
  toSummary,
  type FileRow,
  type WorkspaceRow,
} from './rows.js';
import type { WorkspaceStore } from './store.js';

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
    if (files.length) {
      await this.grow(db, id, bytes, files.length);
      const blobs = new Map(files.map((file) => [file.hash, file.bytes]));
      const { hashes, counts } = countsOf(files.map((file) => file.hash));
      await db.query(SQL.refBlobs, [
        hashes,
        hashes.map((h) => blobs.get(h)!.length),
        hashes.map((h) => blobs.get(h)),
        counts,
      ]);
      const sizes = files.map((file) => file.bytes.length);
      await db.query(SQL.putFiles, [id, files.map((f) => f.path), files.map((f) => f.hash), sizes, now]);
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
    const edit = (current: FileRow & { bytes: Buffer }) => {
      checkIfMatch(path, current.hash, ifMatch);
      return editedContent(current.bytes, oldText, newText, path, this.limits);
    };
    const fileOrThrow = async (db: Queryable) => {
      const [file] = await db.query<FileRow & { bytes: Buffer }>(SQL.fileWithBytes, [id, path]);
      return file ?? throwFileNotFound(db, id, path);
    };
    return optimistically(
      async () => {
        const read = await fileOrThrow(this.db);
        const edited = edit(read);
        return this.db.transaction(async (tx) => {
          await rowOrThrow(tx, id, true);
          const [current] = await tx.query<FileRow>(SQL.file, [id, path]);
          if (current?.hash !== read.hash) return undefined;
          return this.put(tx, id, path, edited.bytes, edited.hash, current, now);
        });
      },
      () =>
        this.db.transaction(async (tx) => {
          await rowOrThrow(tx, id, true);
          const current = await fileOrThrow(tx);
          const edited = edit(current);
          return this.put(tx, id, path, edited.bytes, edited.hash, current, now);
        }),
    );
  }

  async deleteFile(id: string, path: string, ifMatch: string | undefined) {
    return this.db.transaction(async (tx) => {
      await rowOrThrow(tx, id, true);
      const [current] = await tx.query<FileRow>(SQL.file, [id, path]);
      if (!current) throw fileNotFound(id, path);
      checkIfMatch(path, current.hash, ifMatch);
      await tx.query(SQL.deleteFile, [id, path]);
      const version = (await this.grow(tx, id, -current.size, -1)).version;
      await release(tx, [current.hash]);
      return { version };
    });
  }

  async listFiles(id: string, prefix: string, limit: number, after = '') {
    const length = [...prefix].length;
    // One snapshot, so the page, the total and the version describe the same moment.
    return this.db.transaction(
      async (tx) => {
        const row = await rowOrThrow(tx, id);
        const files = (await tx.query<FileRow>(SQL.list, [id, prefix, length, limit + 1, after])).map(toInfo);
        const [count] = await tx.query<{ n: number }>(SQL.count, [id, prefix, length]);
        return { files: files.slice(0, limit), more: files.length > limit, total: count?.n ?? 0, version: row.version };
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
    const plan = async (db: Queryable, locked: WorkspaceRow[] = []) => {
      const from = locked.find((row) => row.id === fromId) ?? (await rowOrThrow(db, fromId));
      const into = locked.find((row) => row.id === intoId) ?? (await rowOrThrow(db, intoId));
      const fork = forkOf(from, into);
      const trees: [Tree, Tree, Tree] = [await forkPoint(db, fork), await tree(db, fromId), await tree(db, intoId)];
      return { from, into, fork, plan: checkedPlan(fromId, intoId, trees, resolutions) };
    };
    const lockBoth = (tx: Queryable) => tx.query<WorkspaceRow>(SQL.lockBoth, [[fromId, intoId]]);
    return optimistically(
      // Planned on one snapshot outside any write, applied only if neither workspace changed since (their versions).
      async () => {
        const planned = await this.db.transaction((tx) => plan(tx), { readOnly: true });
        return this.db.transaction(async (tx) => {
          const locked = await lockBoth(tx);
          const version = (id: string) => locked.find((row) => row.id === id)?.version;
          if (version(fromId) !== planned.from.version || version(intoId) !== planned.into.version) return undefined;
          return applyMerge(tx, planned, this.grow.bind(this), now);
        });
      },
      () =>
        this.db.transaction(async (tx) =>
          applyMerge(tx, await plan(tx, await lockBoth(tx)), this.grow.bind(this), now),
        ),
    );
  }

  async remove(tx: StoreTx, id: string): Promise<void> {
    const db = txOf(tx);
    const named = await db.query<{ hash: string }>(SQL.deleteFiles, [id]);
    await db.query(SQL.clearForkPoint, [id]);
    await db.query(SQL.deleteWorkspace, [id]);
    await release(
      db,
      named.map((row) => row.hash),
    );
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
    if (current) await release(tx, [current.hash]);
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
