/**
 * A merge's changes on SQLite, applied set-wise: all the paths a merge puts, deletes or releases go
 * in one statement each (as JSON arrays), so a merge of thousands of files holds the write lock for
 * a few statements rather than thousands. Removals free their blobs the same way.
 */
import type { Database } from '@sessionless/kit';
import type { MergePlan } from './merge.js';
import { changeSets, type WorkspaceRow } from './rows.js';

export interface PlannedMerge {
  from: WorkspaceRow;
  into: WorkspaceRow;
  fork: string;
  plan: MergePlan;
}

export class SqliteMerges {
  private readonly sql;

  constructor(db: Database) {
    this.sql = {
      putFiles: db.prepare(`
        INSERT INTO files (workspace_id, path, hash, size, updated_at)
        SELECT @id, value ->> 'path', value ->> 'hash', value ->> 'size', @now FROM json_each(@files) WHERE true
        ON CONFLICT (workspace_id, path) DO UPDATE
        SET hash = excluded.hash, size = excluded.size, updated_at = excluded.updated_at`),
      deleteFiles: db.prepare(
        `DELETE FROM files WHERE workspace_id = @id AND path IN (SELECT value FROM json_each(@paths))`,
      ),
      dropBlobsIfUnused: db.prepare(`
        DELETE FROM blobs WHERE hash IN (SELECT value FROM json_each(@hashes))
        AND NOT EXISTS (SELECT 1 FROM files WHERE files.hash = blobs.hash)`),
      clearForkPoint: db.prepare(`DELETE FROM fork_points WHERE workspace_id = ?`),
      setForkPoint: db.prepare(`
        INSERT INTO fork_points (workspace_id, path, hash)
        SELECT @id, path, hash FROM files WHERE workspace_id = @source`),
    };
  }

  /** Applies `merge` inside the caller's write transaction; `grow` checks and moves the workspace totals. */
  apply(merge: PlannedMerge, now: number, grow: (id: string, bytes: number, files: number) => WorkspaceRow) {
    const { from, into, fork, plan } = merge;
    let version = into.version;
    if (plan.changes.length) {
      const sets = changeSets(plan);
      version = grow(into.id, sets.bytes, sets.files).version;
      this.sql.putFiles.run({ id: into.id, files: JSON.stringify(sets.puts), now });
      this.sql.deleteFiles.run({ id: into.id, paths: JSON.stringify(sets.deletes) });
      this.dropBlobsIfUnused(sets.released);
    }
    // `from` as it is now is an ancestor of `into` from here on: it is the next merge's fork point.
    this.sql.clearForkPoint.run(fork);
    this.sql.setForkPoint.run({ id: fork, source: from.id });
    const changes = plan.changes.map(({ path, status }) => ({ path, status }));
    return { changes, resolved: plan.resolved, version };
  }

  /** Drops each of these blobs that no file row names any more (safe under SQLite's single writer). */
  dropBlobsIfUnused(hashes: readonly string[]): void {
    if (hashes.length) this.sql.dropBlobsIfUnused.run({ hashes: JSON.stringify([...new Set(hashes)]) });
  }
}
