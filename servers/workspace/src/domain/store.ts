/**
 * What the tools need from storage, and no more: the interface is async and narrow so a networked
 * store (PostgreSQL) could implement it next to the SQLite one, without touching the tools. Paths
 * arrive canonical (see paths.ts) and contents prepared (see content.ts).
 */
import type { StoreTx } from '@sessionless/kit';
import type { PreparedFile } from './content.js';
import type { Side } from './merge.js';

export interface WorkspaceSummary {
  id: string;
  name: string | null;
  parentId: string | null;
  version: number;
  bytes: number;
  fileCount: number;
  createdAt: number;
}

export interface FileInfo {
  path: string;
  etag: string;
  size: number;
  updatedAt: number;
}

export interface FileWrite extends FileInfo {
  created: boolean;
  version: number;
}

export interface DiffEntry {
  path: string;
  status: 'added' | 'modified' | 'deleted';
  etag: string | null;
  baseEtag: string | null;
  size: number | null;
  baseSize: number | null;
  patch: string | null;
  /** Why `patch` is null when patches were asked for. */
  patchOmitted?: 'binary' | 'too_large' | 'patch_budget_spent' | 'changed';
}

export interface MergeOutcome {
  changes: Array<{ path: string; status: 'added' | 'modified' | 'deleted' }>;
  resolved: string[];
  version: number;
}

export interface WorkspaceStore {
  /** Writes a new workspace and its files, inside the transaction that inserts its handle. */
  create(
    tx: StoreTx,
    id: string,
    name: string | null,
    files: readonly PreparedFile[],
    now: number,
  ): WorkspaceSummary | Promise<WorkspaceSummary>;
  /** Writes a fork of `parentId` (its file list and fork point), inside the transaction that inserts its handle. */
  fork(
    tx: StoreTx,
    id: string,
    parentId: string,
    name: string | null,
    now: number,
  ): WorkspaceSummary | Promise<WorkspaceSummary>;
  summary(id: string): Promise<WorkspaceSummary>;
  /** Like summary, but undefined when the workspace is gone (ended by a concurrent call). */
  findSummary(id: string): Promise<WorkspaceSummary | undefined>;
  readFile(id: string, path: string): Promise<FileInfo & { bytes: Buffer }>;
  writeFile(id: string, file: PreparedFile, ifMatch: string | undefined, now: number): Promise<FileWrite>;
  editFile(
    id: string,
    path: string,
    oldText: string,
    newText: string,
    ifMatch: string | undefined,
    now: number,
  ): Promise<FileWrite>;
  deleteFile(id: string, path: string, ifMatch: string | undefined): Promise<{ version: number }>;
  /** A page of files in path order: at most `limit`, after the path `after`; `more` when another page follows. */
  listFiles(
    id: string,
    prefix: string,
    limit: number,
    after?: string,
  ): Promise<{ files: FileInfo[]; more: boolean; total: number; version: number }>;
  diff(id: string, baseId: string, withPatches: boolean): Promise<DiffEntry[]>;
  merge(fromId: string, intoId: string, resolutions: ReadonlyMap<string, Side>, now: number): Promise<MergeOutcome>;
  /** Deletes a workspace and every blob no other workspace names, inside the transaction that ends its handle. */
  remove(tx: StoreTx, id: string): void | Promise<void>;
}
