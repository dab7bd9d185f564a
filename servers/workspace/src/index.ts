/**
 * The workspace package's public names: what the harness, the README generator and tests use.
 * A server is run by `main.ts`; nothing here starts anything.
 */
export {
  DEFAULT_WORKSPACE_LIMITS,
  workspaceConfigSchema,
  type WorkspaceConfig,
  type WorkspaceLimits,
} from './config.js';
export { createWorkspaceDeps, fileLimits, workspaceKind, workspaceStore, type WorkspaceDeps } from './deps.js';
export { WORKSPACE_ERRORS, type WorkspaceErrorCode } from './domain/errors.js';
export { workspaceMigrations } from './domain/schema.js';
export { workspaceReadmeTables } from './readme.js';
export { createWorkspaceServer, SERVER_INFO } from './server.js';
export { workspaceTools } from './tools/index.js';
