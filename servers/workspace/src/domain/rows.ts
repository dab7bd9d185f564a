/**
 * What both workspace stores read, and how it becomes what the tools return: the row shapes (the
 * same columns in SQLite and PostgreSQL), summaries, file infos, and a diff's entries with their
 * patches under one budget. No SQL here; the statements live in each store.
 */
import { mergeConflict, unrelated } from './errors.js';
import { PATCH_LIMITS } from './limits.js';
import { planMerge, type MergePlan, type Side, type Tree, type TreeChange } from './merge.js';
import type { DiffEntry, FileInfo, WorkspaceSummary } from './store.js';
import { textPatch } from './text-diff.js';
import { addWork, work } from './work.js';

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

/** Which of two workspaces is the other's fork, or the refusal: neither (or the same one twice). */
export function forkOf(from: WorkspaceRow, into: WorkspaceRow): string {
  const fork = from.parent_id === into.id ? from.id : into.parent_id === from.id ? into.id : undefined;
  if (!fork) throw unrelated(from, into);
  return fork;
}

/** The three-way plan from `from` into `into` against `base`, or the refusal listing every conflict. */
export function checkedPlan(
  fromId: string,
  intoId: string,
  trees: [Tree, Tree, Tree],
  resolutions: ReadonlyMap<string, Side>,
) {
  const plan = planMerge(...trees, resolutions);
  if (plan.conflicts.length) throw mergeConflict(fromId, intoId, plan.conflicts);
  return plan;
}

/** A plan's changes as the sets a store applies in a few statements, and what they do to the workspace's totals. */
export function changeSets(plan: MergePlan) {
  const puts = plan.changes.flatMap((c) => (c.after ? [{ path: c.path, hash: c.after.hash, size: c.after.size }] : []));
  return {
    puts,
    deletes: plan.changes.filter((c) => !c.after).map((c) => c.path),
    released: plan.changes.flatMap((c) => (c.before ? [c.before.hash] : [])),
    bytes: plan.changes.reduce((sum, c) => sum + (c.after?.size ?? 0) - (c.before?.size ?? 0), 0),
    files: plan.changes.reduce((sum, c) => sum + (c.after ? 1 : 0) - (c.before ? 1 : 0), 0),
  };
}

/** How many times each hash appears: reference counts change by these, each blob once. */
export function countsOf(hashes: readonly string[]): { hashes: string[]; counts: number[] } {
  const counts = new Map<string, number>();
  for (const hash of hashes) counts.set(hash, (counts.get(hash) ?? 0) + 1);
  const sorted = [...counts.keys()].sort();
  return { hashes: sorted, counts: sorted.map((hash) => counts.get(hash)!) };
}

/**
 * The diff entries for `changes`, with patches when asked for: text files up to the size limit,
 * while the call's budgets last (PATCH_LIMITS). `readBlob` fetches a content by its hash, or gives
 * undefined when it is gone (the file changed while the diff was made; its patch is then omitted
 * as `changed`). Once a budget is spent nothing more is read or compared.
 */
export async function diffEntries(
  changes: readonly TreeChange[],
  withPatches: boolean,
  readBlob: (hash: string) => Promise<Buffer | undefined>,
): Promise<DiffEntry[]> {
  const left = {
    chars: PATCH_LIMITS.maxTotalChars,
    bytes: PATCH_LIMITS.maxReadBytes,
    steps: PATCH_LIMITS.maxDiffSteps,
  };
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
    addWork(1);
    if (!withPatches) continue;
    const sides = [change.before, change.after];
    if (sides.some((side) => side && side.size > PATCH_LIMITS.maxFileBytes)) {
      entry.patchOmitted = 'too_large';
      continue;
    }
    const bytes = (change.before?.size ?? 0) + (change.after?.size ?? 0);
    // The smallest patch names the path twice; with less left, or contents over the bytes left, stop reading.
    if (left.chars < 2 * change.path.length + 32 || bytes > left.bytes || left.steps <= 0) {
      entry.patchOmitted = 'patch_budget_spent';
      continue;
    }
    left.bytes -= bytes;
    addWork(bytes);
    const [before, after] = await Promise.all(sides.map((side) => (side ? readBlob(side.hash) : null)));
    if (before === undefined || after === undefined) {
      entry.patchOmitted = 'changed';
      continue;
    }
    const [startedAt, stepsLeft] = [work.steps, left.steps];
    const patch = textPatch(change.path, before, after, stepsLeft);
    left.steps -= work.steps - startedAt;
    // Too big for what the call had left is a spent budget; too big for a whole budget, too large.
    if (typeof patch !== 'string' && patch.omitted === 'too_large' && stepsLeft < PATCH_LIMITS.maxDiffSteps)
      entry.patchOmitted = 'patch_budget_spent';
    else if (typeof patch !== 'string') entry.patchOmitted = patch.omitted;
    else if (patch.length > left.chars) entry.patchOmitted = 'patch_budget_spent';
    else {
      left.chars -= patch.length;
      entry.patch = patch;
    }
  }
  return entries;
}
