/**
 * The workspace store on SQLite, content-addressed. Every write is one short IMMEDIATE
 * transaction: check `if_match` and the size limits, store the blob if it is new, point the file
 * row at it, drop the old blob if nothing names it any more (SQLite's single writer makes "nothing
 * names it" safe to check). Edits and merges are worked out before their transaction and applied
 * only if nothing changed meanwhile (compare-and-set). Forks copy file rows only. A merge applies
 * every change or none, in a few set-wise statements, so two processes sharing the file stay exact.
 */
import type { Database, StoreTx } from '@sessionless/kit';
import type { PreparedFile } from './content.js';
import { editedContent } from './edit.js';
import { checkIfMatch, fileNotFound, workspaceFull, workspaceNotFound } from './errors.js';
import { compareTrees, type Side, type Tree } from './merge.js';
import type { FileLimits } from './limits.js';
import { optimistically } from './optimistic.js';
import { SqliteMerges } from './sqlite-merges.js';
import { checkedPlan, diffEntries, forkOf, toInfo, toSummary, type FileRow, type WorkspaceRow } from './rows.js';
import type { WorkspaceStore } from './store.js';

export class SqliteWorkspaceStore implements WorkspaceStore {
  private readonly sql;
  private readonly merges: SqliteMerges;

  constructor(
    private readonly db: Database,
    private readonly limits: FileLimits,
  ) {
    this.merges = new SqliteMerges(db);
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
      list: db.prepare<{ id: string; prefix: string; length: number; limit: number; after: string }, FileRow>(`
        SELECT path, hash, size, updated_at FROM files
        WHERE workspace_id = @id AND path >= @prefix AND substr(path, 1, @length) = @prefix AND path > @after
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
    const edit = (current: FileRow & { bytes: Buffer }) => {
      checkIfMatch(path, current.hash, ifMatch);
      return editedContent(current.bytes, oldText, newText, path, this.limits);
    };
    const fileOrThrow = () => this.sql.fileWithBytes.get(id, path) ?? this.throwFileNotFound(id, path);
    return optimistically(
      async () => {
        const read = fileOrThrow();
        const edited = edit(read);
        return this.db
          .transaction(() => {
            const current = this.sql.file.get(id, path);
            if (current?.hash !== read.hash) return undefined;
            return this.put(id, path, edited.bytes, edited.hash, current, now);
          })
          .immediate();
      },
      async () =>
        this.db
          .transaction(() => {
            const current = fileOrThrow();
            const edited = edit(current);
            return this.put(id, path, edited.bytes, edited.hash, current, now);
          })
          .immediate(),
    );
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

  async listFiles(id: string, prefix: string, limit: number, after = '') {
    const params = { id, prefix, length: [...prefix].length };
    // A read transaction, so the page, the total and the version describe the same moment.
    return this.db.transaction(() => {
      const row = this.rowOrThrow(id);
      const files = this.sql.list.all({ ...params, limit: limit + 1, after }).map(toInfo);
      const total = this.sql.count.get(params)!.n;
      return { files: files.slice(0, limit), more: files.length > limit, total, version: row.version };
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
    const plan = () => {
      const [from, into] = [this.rowOrThrow(fromId), this.rowOrThrow(intoId)];
      const fork = forkOf(from, into);
      const trees: [Tree, Tree, Tree] = [this.forkPoint(fork), this.tree(fromId), this.tree(intoId)];
      return { from, into, fork, plan: checkedPlan(fromId, intoId, trees, resolutions) };
    };
    return optimistically(
      // Planned outside any transaction, applied only if neither workspace changed since (their versions).
      async () => {
        const planned = plan();
        return this.db
          .transaction(() => {
            const [from, into] = [this.rowOrThrow(fromId), this.rowOrThrow(intoId)];
            if (from.version !== planned.from.version || into.version !== planned.into.version) return undefined;
            return this.merges.apply(planned, now, (id, bytes, files) => this.grow(id, bytes, files));
          })
          .immediate();
      },
      async () =>
        this.db
          .transaction(() => this.merges.apply(plan(), now, (id, bytes, files) => this.grow(id, bytes, files)))
          .immediate(),
    );
  }

  remove(_tx: StoreTx, id: string): void {
    const hashes = this.sql.deleteFiles.all(id);
    this.sql.clearForkPoint.run(id);
    this.sql.deleteWorkspace.run(id);
    this.merges.dropBlobsIfUnused(hashes.map((row) => row.hash));
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
