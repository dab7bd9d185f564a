/**
 * What the workspace tools depend on, built once per process and closed over by every
 * per-request McpServer: the handle registry, the store and the size limits. Nothing here
 * belongs to a request.
 */
import { type Handles, type HandleKind, type Runtime } from '@sessionless/kit';
import type { FileLimits } from './domain/content.js';
import type { WorkspaceStore } from './domain/store.js';
import { removeWorkspace, SqliteWorkspaceStore } from './domain/workspaces.js';

export interface WorkspaceDeps {
  handles: Handles;
  workspaceKind: HandleKind;
  workspaces: WorkspaceStore;
  limits: FileLimits;
  now: () => number;
}

export interface WorkspaceLimits extends FileLimits {
  idleTtlMs: number;
  absoluteTtlMs: number;
  quotaPerPrincipal: number;
}

export const DEFAULT_WORKSPACE_LIMITS: WorkspaceLimits = {
  idleTtlMs: 86_400_000,
  absoluteTtlMs: 7 * 86_400_000,
  quotaPerPrincipal: 50,
  maxFileBytes: 524_288,
  maxWorkspaceBytes: 33_554_432,
  maxFiles: 10_000,
};

export const WORKSPACE_NAMES = {
  prefix: 'ws',
  noun: 'workspace',
  createTool: 'workspace_create',
  listTool: 'workspace_list',
  idArgument: 'workspace_id',
} as const;

export function workspaceKind(limits: WorkspaceLimits): HandleKind {
  const { idleTtlMs, absoluteTtlMs, quotaPerPrincipal } = limits;
  return { ...WORKSPACE_NAMES, idleTtlMs, absoluteTtlMs, quotaPerPrincipal };
}

export function fileLimits(limits: WorkspaceLimits): FileLimits {
  const { maxFileBytes, maxWorkspaceBytes, maxFiles } = limits;
  return { maxFileBytes, maxWorkspaceBytes, maxFiles };
}

export function createWorkspaceDeps(
  runtime: Runtime,
  limits: WorkspaceLimits,
  now: () => number = Date.now,
): WorkspaceDeps {
  return {
    handles: runtime.handles,
    workspaceKind: workspaceKind(limits),
    workspaces: new SqliteWorkspaceStore(runtime.db, fileLimits(limits)),
    limits: fileLimits(limits),
    now,
  };
}

/** Frees a workspace's rows, and the contents no other workspace shares, when its handle ends. */
export function removeWorkspaceState(db: Runtime['db'], workspaceId: string): void {
  removeWorkspace(db, workspaceId);
}
