/**
 * Comparing file trees, by content hash only. `compareTrees` is the diff of two workspaces;
 * `planMerge` is a three-way merge per path against the fork point: a side "changed" a path when
 * its hash differs from the fork point's. One side changed: take that side. Both changed to the
 * same content: nothing to do. Both changed differently: a conflict, unless a resolution names
 * the side to keep. Contents are never merged line by line, so a conflict is always a whole file.
 */
export interface TreeEntry {
  hash: string;
  size: number;
}

/** path -> content of one workspace (or of a fork point). */
export type Tree = ReadonlyMap<string, TreeEntry>;

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface TreeChange {
  path: string;
  status: ChangeStatus;
  /** The entry in the newer tree (absent when deleted). */
  after?: TreeEntry;
  /** The entry in the older tree (absent when added). */
  before?: TreeEntry;
}

export type ConflictKind = 'changed_in_both' | 'added_in_both' | 'deleted_in_from' | 'deleted_in_into';
export type Side = 'from' | 'into';

export interface MergeConflict {
  path: string;
  kind: ConflictKind;
}

export interface MergePlan {
  /** What to do to `into` so it carries the changes of `from`, in path order. */
  changes: TreeChange[];
  conflicts: MergeConflict[];
  /** Conflicting paths settled by a resolution. */
  resolved: string[];
}

/** The changes that turn `before` into `after`, in path order. */
export function compareTrees(before: Tree, after: Tree): TreeChange[] {
  const changes: TreeChange[] = [];
  for (const path of unionOfPaths(before, after)) {
    const a = before.get(path);
    const b = after.get(path);
    if (a?.hash === b?.hash) continue;
    changes.push({ path, status: !a ? 'added' : !b ? 'deleted' : 'modified', before: a, after: b });
  }
  return changes;
}

export function planMerge(
  base: Tree,
  from: Tree,
  into: Tree,
  resolutions: ReadonlyMap<string, Side> = new Map(),
): MergePlan {
  const plan: MergePlan = { changes: [], conflicts: [], resolved: [] };
  for (const path of unionOfPaths(base, from, into)) {
    const b = base.get(path)?.hash;
    const f = from.get(path);
    const i = into.get(path);
    if (f?.hash === i?.hash || f?.hash === b) continue; // same on both sides, or only `into` changed it
    if (i?.hash !== b) {
      const resolution = resolutions.get(path);
      if (!resolution) {
        plan.conflicts.push({ path, kind: conflictKind(b, f, i) });
        continue;
      }
      plan.resolved.push(path);
      if (resolution === 'into') continue;
    }
    plan.changes.push({ path, status: !i ? 'added' : !f ? 'deleted' : 'modified', before: i, after: f });
  }
  return plan;
}

function conflictKind(base: string | undefined, from: TreeEntry | undefined, into: TreeEntry | undefined) {
  if (base === undefined) return 'added_in_both';
  if (!from) return 'deleted_in_from';
  if (!into) return 'deleted_in_into';
  return 'changed_in_both';
}

function unionOfPaths(...trees: Tree[]): string[] {
  const paths = new Set<string>();
  for (const tree of trees) for (const path of tree.keys()) paths.add(path);
  return [...paths].sort(byCodePoint);
}

/** Orders strings by Unicode code point, the order SQLite's BINARY collation gives for UTF-8 text. */
export function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
