/**
 * What the workspace tools depend on, built once per process and closed over by every
 * per-request McpServer: the handle registry, the store and the size limits. Nothing here
 * belongs to a request.
 */
import type { HandleKind, HandleRecord, Handles, Runtime, Store, StoreTx } from '@sessionless/kit';
import type { WorkspaceConfig, WorkspaceLimits } from './config.js';
import type { FileLimits } from './domain/limits.js';
import type { WorkspaceStore } from './domain/store.js';
import { PostgresWorkspaceStore } from './domain/postgres-store.js';
import { SqliteWorkspaceStore } from './domain/sqlite-store.js';

export interface WorkspaceDeps {
  handles: Handles;
  workspaceKind: HandleKind;
  workspaces: WorkspaceStore;
  limits: FileLimits;
  now: () => number;
}

export const WORKSPACE_NAMES = {
  prefix: 'ws',
  noun: 'workspace',
  createTool: 'workspace_create',
  listTool: 'workspace_list',
  idArgument: 'workspace_id',
} as const;

/** The workspace handle kind; when a workspace handle ends, its rows go in the same transaction. */
export function workspaceKind(limits: WorkspaceLimits, workspaces?: WorkspaceStore): HandleKind {
  const { idleTtlMs, absoluteTtlMs, quotaPerPrincipal } = limits;
  const state = workspaces && { remove: (tx: StoreTx, handle: HandleRecord) => workspaces.remove(tx, handle.id) };
  return { ...WORKSPACE_NAMES, idleTtlMs, absoluteTtlMs, quotaPerPrincipal, state };
}

export function fileLimits(limits: WorkspaceLimits): FileLimits {
  const { maxFileBytes, maxWorkspaceBytes, maxFiles } = limits;
  return { maxFileBytes, maxWorkspaceBytes, maxFiles };
}

/** The workspace store on whichever store the runtime opened. */
export function workspaceStore(store: Store, limits: FileLimits): WorkspaceStore {
  return store.dialect === 'postgres'
    ? new PostgresWorkspaceStore(store, limits)
    : new SqliteWorkspaceStore(store.db, limits);
}

export function createWorkspaceDeps(runtime: Runtime, config: WorkspaceConfig): WorkspaceDeps {
  const limits: WorkspaceLimits = {
    idleTtlMs: config.WORKSPACE_IDLE_TTL,
    absoluteTtlMs: config.WORKSPACE_MAX_LIFETIME,
    quotaPerPrincipal: config.WORKSPACE_QUOTA,
    maxFileBytes: config.WORKSPACE_MAX_FILE_BYTES,
    maxWorkspaceBytes: config.WORKSPACE_MAX_BYTES,
    maxFiles: config.WORKSPACE_MAX_FILES,
  };
  const workspaces = workspaceStore(runtime.store, fileLimits(limits));
  const kind = workspaceKind(limits, workspaces);
  runtime.handles.register(kind);
  return {
    handles: runtime.handles,
    workspaceKind: kind,
    workspaces,
    limits: fileLimits(limits),
    now: runtime.now,
  };
}
