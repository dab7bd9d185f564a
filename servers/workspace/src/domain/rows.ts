/**
 * What both workspace stores read, and how it becomes what the tools return: the row shapes (the
 * same columns in SQLite and PostgreSQL), summaries, file infos, and a diff's entries with their
 * patches under one budget. No SQL here; the statements live in each store.
 */
import type { TreeChange } from './merge.js';
import { PATCH_LIMITS } from './limits.js';
import type { DiffEntry, FileInfo, WorkspaceSummary } from './store.js';
import { textPatch } from './text-diff.js';

export interface WorkspaceRow {
  id: string;
  name: string | null;
  parent_id: string | null;
  version: number;
  bytes: number;
  file_count: number;
  created_at: number;
}

export interface FileRow {
  path: string;
  hash: string;
  size: number;
  updated_at: number;
}

export function toSummary(row: WorkspaceRow): WorkspaceSummary {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    version: row.version,
    bytes: row.bytes,
    fileCount: row.file_count,
    createdAt: row.created_at,
  };
}

export function toInfo(row: FileRow): FileInfo {
  return { path: row.path, etag: row.hash, size: row.size, updatedAt: row.updated_at };
}

/**
 * The diff entries for `changes`, with patches when asked for: text files up to the size limit,
 * while the shared budget lasts. `readBlob` fetches a content by its hash, or gives undefined when
 * it is gone (the file changed while the diff was made; its patch is then omitted as `changed`).
 */
export async function diffEntries(
  changes: readonly TreeChange[],
  withPatches: boolean,
  readBlob: (hash: string) => Promise<Buffer | undefined>,
): Promise<DiffEntry[]> {
  let budget = PATCH_LIMITS.maxTotalChars;
  const entries: DiffEntry[] = [];
  for (const change of changes) {
    const entry: DiffEntry = {
      path: change.path,
      status: change.status,
      etag: change.after?.hash ?? null,
      baseEtag: change.before?.hash ?? null,
      size: change.after?.size ?? null,
      baseSize: change.before?.size ?? null,
      patch: null,
    };
    entries.push(entry);
    if (!withPatches) continue;
    const sides = [change.before, change.after];
    if (sides.some((side) => side && side.size > PATCH_LIMITS.maxFileBytes)) {
      entry.patchOmitted = 'too_large';
      continue;
    }
    const [before, after] = await Promise.all(sides.map((side) => (side ? readBlob(side.hash) : null)));
    if (before === undefined || after === undefined) {
      entry.patchOmitted = 'changed';
      continue;
    }
    const patch = textPatch(change.path, before, after);
    if (typeof patch !== 'string') entry.patchOmitted = patch.omitted;
    else if (patch.length > budget) entry.patchOmitted = 'patch_budget_spent';
    else {
      budget -= patch.length;
      entry.patch = patch;
    }
  }
  return entries;
}
