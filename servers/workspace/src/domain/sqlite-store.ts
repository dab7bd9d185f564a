/**
 * The workspace store on SQLite, content-addressed. Every write is one short IMMEDIATE
 * transaction: check `if_match` and the size limits, store the blob if it is new, point the file
 * row at it, drop the old blob if nothing names it any more (SQLite's single writer makes "nothing
 * names it" safe to check). Forks copy file rows only. Merges read three trees and apply every
 * change or none, in one transaction, so two processes sharing the file stay exact.
 */
import type { Database, StoreTx } from '@sessionless/kit';
import type { PreparedFile } from './content.js';
import { editedContent } from './edit.js';
import { checkIfMatch, fileNotFound, mergeConflict, unrelated, workspaceFull, workspaceNotFound } from './errors.js';
import { compareTrees, planMerge, type Side, type Tree } from './merge.js';
import type { FileLimits } from './limits.js';
import { diffEntries, toInfo, toSummary, type FileRow, type WorkspaceRow } from './rows.js';
import type { MergeOutcome, WorkspaceStore } from './store.js';

export class SqliteWorkspaceStore implements WorkspaceStore {
  private readonly sql;

  constructor(
    private readonly db: Database,
    private readonly limits: FileLimits,
  ) {
    this.sql = {
      insert: db.prepare(`INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)`),
      workspace: db.prepare<[string], WorkspaceRow>(`SELECT * FROM workspaces WHERE id = ?`),
      forkRow: db.prepare(`
        INSERT INTO workspaces (id, name, parent_id, bytes, file_count, created_at)
        SELECT @id, @name, id, bytes, file_count, @now FROM workspaces WHERE id = @parentId`),
      copyFiles: db.prepare(`
        INSERT INTO files (workspace_id, path, hash, size, updated_at)
        SELECT @id, path, hash, size, updated_at FROM files WHERE workspace_id = @parentId`),
      clearForkPoint: db.prepare(`DELETE FROM fork_points WHERE workspace_id = ?`),
      setForkPoint: db.prepare(`
        INSERT INTO fork_points (workspace_id, path, hash)
        SELECT @id, path, hash FROM files WHERE workspace_id = @source`),
      // Growth is refused past a limit in the same statement that applies it; shrinking always passes.
      grow: db.prepare<{ id: string; bytes: number; files: number; maxBytes: number; maxFiles: number }, WorkspaceRow>(`
        UPDATE workspaces SET version = version + 1, bytes = bytes + @bytes, file_count = file_count + @files
        WHERE id = @id AND (@bytes <= 0 OR bytes + @bytes <= @maxBytes) AND (@files <= 0 OR file_count + @files <= @maxFiles)
        RETURNING *`),
      file: db.prepare<[string, string], FileRow>(
        `SELECT path, hash, size, updated_at FROM files WHERE workspace_id = ? AND path = ?`,
      ),
      fileWithBytes: db.prepare<[string, string], FileRow & { bytes: Buffer }>(`
        SELECT f.path, f.hash, f.size, f.updated_at, b.bytes FROM files f JOIN blobs b ON b.hash = f.hash
        WHERE f.workspace_id = ? AND f.path = ?`),
      blob: db.prepare<[string], { bytes: Buffer }>(`SELECT bytes FROM blobs WHERE hash = ?`),
      putBlob: db.prepare(`INSERT INTO blobs (hash, size, bytes) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING`),
      putFile: db.prepare(`
        INSERT INTO files (workspace_id, path, hash, size, updated_at) VALUES (@id, @path, @hash, @size, @now)
        ON CONFLICT (workspace_id, path) DO UPDATE
        SET hash = excluded.hash, size = excluded.size, updated_at = excluded.updated_at`),
      deleteFile: db.prepare(`DELETE FROM files WHERE workspace_id = ? AND path = ?`),
      deleteFiles: db.prepare<[string], { hash: string }>(`DELETE FROM files WHERE workspace_id = ? RETURNING hash`),
      deleteWorkspace: db.prepare(`DELETE FROM workspaces WHERE id = ?`),
      dropBlobIfUnused: db.prepare(
        `DELETE FROM blobs WHERE hash = @hash AND NOT EXISTS (SELECT 1 FROM files WHERE hash = @hash)`,
      ),
      tree: db.prepare<[string], FileRow>(`SELECT path, hash, size, updated_at FROM files WHERE workspace_id = ?`),
      forkPoint: db.prepare<[string], { path: string; hash: string }>(
        `SELECT path, hash FROM fork_points WHERE workspace_id = ?`,
      ),
      list: db.prepare<{ id: string; prefix: string; length: number; limit: number }, FileRow>(`
        SELECT path, hash, size, updated_at FROM files
        WHERE workspace_id = @id AND path >= @prefix AND substr(path, 1, @length) = @prefix
        ORDER BY path LIMIT @limit`),
      count: db.prepare<{ id: string; prefix: string; length: number }, { n: number }>(`
        SELECT count(*) AS n FROM files
        WHERE workspace_id = @id AND path >= @prefix AND substr(path, 1, @length) = @prefix`),
    };
  }

  // create, fork and remove run inside the handle's transaction (see the kit's Handles), so they open none.
  create(_tx: StoreTx, id: string, name: string | null, files: readonly PreparedFile[], now: number) {
    this.sql.insert.run(id, name, now);
    const bytes = files.reduce((sum, file) => sum + file.bytes.length, 0);
    if (files.length) this.grow(id, bytes, files.length);
    for (const file of files) {
      this.sql.putBlob.run(file.hash, file.bytes.length, file.bytes);
      this.sql.putFile.run({ id, path: file.path, hash: file.hash, size: file.bytes.length, now });
    }
    return toSummary(this.rowOrThrow(id));
  }

  fork(_tx: StoreTx, id: string, parentId: string, name: string | null, now: number) {
    if (this.sql.forkRow.run({ id, parentId, name, now }).changes === 0) throw workspaceNotFound(parentId);
    this.sql.copyFiles.run({ id, parentId });
    this.sql.setForkPoint.run({ id, source: parentId });
    return toSummary(this.rowOrThrow(id));
  }

  async summary(id: string) {
    return toSummary(this.rowOrThrow(id));
  }

  async findSummary(id: string) {
    const row = this.sql.workspace.get(id);
    return row && toSummary(row);
  }

  async readFile(id: string, path: string) {
    const row = this.sql.fileWithBytes.get(id, path) ?? this.throwFileNotFound(id, path);
    return { ...toInfo(row), bytes: row.bytes };
  }

  async writeFile(id: string, file: PreparedFile, ifMatch: string | undefined, now: number) {
    return this.db
      .transaction(() => {
        const current = this.sql.file.get(id, file.path);
        if (!current) this.rowOrThrow(id);
        checkIfMatch(file.path, current?.hash, ifMatch);
        return this.put(id, file.path, file.bytes, file.hash, current, now);
      })
      .immediate();
  }

  async editFile(id: string, path: string, oldText: string, newText: string, ifMatch: string | undefined, now: number) {
    // A read-modify-write, so it runs inside the write transaction: no other writer can slip in between.
    return this.db
      .transaction(() => {
        const current = this.sql.fileWithBytes.get(id, path) ?? this.throwFileNotFound(id, path);
        checkIfMatch(path, current.hash, ifMatch);
        const edited = editedContent(current.bytes, oldText, newText, path, this.limits);
        return this.put(id, path, edited.bytes, edited.hash, current, now);
      })
      .immediate();
  }

  async deleteFile(id: string, path: string, ifMatch: string | undefined) {
    return this.db
      .transaction(() => {
        const current = this.sql.file.get(id, path) ?? this.throwFileNotFound(id, path);
        checkIfMatch(path, current.hash, ifMatch);
        this.sql.deleteFile.run(id, path);
        const version = this.grow(id, -current.size, -1).version;
        this.sql.dropBlobIfUnused.run({ hash: current.hash });
        return { version };
      })
      .immediate();
  }

  async listFiles(id: string, prefix: string, limit: number) {
    const params = { id, prefix, length: [...prefix].length };
    // A read transaction, so the page, the total and the version describe the same moment.
    return this.db.transaction(() => {
      const row = this.rowOrThrow(id);
      const files = this.sql.list.all({ ...params, limit }).map(toInfo);
      return { files, total: this.sql.count.get(params)!.n, version: row.version };
    })();
  }

  async diff(id: string, baseId: string, withPatches: boolean) {
    // The two trees in one read transaction; contents are read as each patch is made.
    const changes = this.db.transaction(() => {
      this.rowOrThrow(id);
      this.rowOrThrow(baseId);
      return compareTrees(this.tree(baseId), this.tree(id));
    })();
    return diffEntries(changes, withPatches, async (hash) => this.sql.blob.get(hash)?.bytes);
  }

  async merge(fromId: string, intoId: string, resolutions: ReadonlyMap<string, Side>, now: number) {
    return this.db
      .transaction((): MergeOutcome => {
        const from = this.rowOrThrow(fromId);
        const into = this.rowOrThrow(intoId);
        const fork = from.parent_id === intoId ? fromId : into.parent_id === fromId ? intoId : undefined;
        if (!fork) throw unrelated(from, into);
        const fromTree = this.tree(fromId);
        const plan = planMerge(this.forkPoint(fork), fromTree, this.tree(intoId), resolutions);
        if (plan.conflicts.length) throw mergeConflict(fromId, intoId, plan.conflicts);

        let version = into.version;
        if (plan.changes.length) {
          const bytes = plan.changes.reduce((sum, c) => sum + (c.after?.size ?? 0) - (c.before?.size ?? 0), 0);
          const files = plan.changes.reduce((sum, c) => sum + (c.after ? 1 : 0) - (c.before ? 1 : 0), 0);
          version = this.grow(intoId, bytes, files).version;
          for (const change of plan.changes) {
            if (change.after) this.sql.putFile.run({ id: intoId, path: change.path, ...change.after, now });
            else this.sql.deleteFile.run(intoId, change.path);
          }
          for (const change of plan.changes) {
            if (change.before) this.sql.dropBlobIfUnused.run({ hash: change.before.hash });
          }
        }
        // `from` as it is now is an ancestor of `into` from here on: it is the next merge's fork point.
        this.sql.clearForkPoint.run(fork);
        this.sql.setForkPoint.run({ id: fork, source: fromId });
        const changes = plan.changes.map(({ path, status }) => ({ path, status }));
        return { changes, resolved: plan.resolved, version };
      })
      .immediate();
  }

  remove(_tx: StoreTx, id: string): void {
    const hashes = this.sql.deleteFiles.all(id);
    this.sql.clearForkPoint.run(id);
    this.sql.deleteWorkspace.run(id);
    for (const hash of new Set(hashes.map((row) => row.hash))) this.sql.dropBlobIfUnused.run({ hash });
  }

  /** Stores `bytes` at `path` (within the limits) and releases the content it replaces. */
  private put(id: string, path: string, bytes: Buffer, hash: string, current: FileRow | undefined, now: number) {
    const row = this.grow(id, bytes.length - (current?.size ?? 0), current ? 0 : 1);
    this.sql.putBlob.run(hash, bytes.length, bytes);
    this.sql.putFile.run({ id, path, hash, size: bytes.length, now });
    if (current && current.hash !== hash) this.sql.dropBlobIfUnused.run({ hash: current.hash });
    return { path, etag: hash, size: bytes.length, updatedAt: now, created: !current, version: row.version };
  }

  private grow(id: string, bytes: number, files: number): WorkspaceRow {
    const { maxWorkspaceBytes: maxBytes, maxFiles } = this.limits;
    const row = this.sql.grow.get({ id, bytes, files, maxBytes, maxFiles });
    if (row) return row;
    const before = this.rowOrThrow(id);
    throw workspaceFull(`Workspace ${id}`, before.file_count + files, before.bytes + bytes, this.limits);
  }

  private tree(id: string): Tree {
    return new Map(this.sql.tree.all(id).map((row) => [row.path, { hash: row.hash, size: row.size }]));
  }

  private forkPoint(id: string): Tree {
    return new Map(this.sql.forkPoint.all(id).map((row) => [row.path, { hash: row.hash, size: 0 }]));
  }

  private rowOrThrow(id: string): WorkspaceRow {
    const row = this.sql.workspace.get(id);
    // The handle was checked first, so a missing row means the workspace ended between the two reads.
    if (!row) throw workspaceNotFound(id);
    return row;
  }

  private throwFileNotFound(id: string, path: string): never {
    this.rowOrThrow(id);
    throw fileNotFound(id, path);
  }
}
