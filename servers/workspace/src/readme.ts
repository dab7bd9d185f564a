/**
 * The README's generated tables, made from the code itself: the tools (their descriptions as the
 * default settings render them) and the error catalogue. `npm run readmes` writes them; the
 * README test fails when they are stale.
 */
import { errorsTable, toolsTable, type ReadmeTables } from '@sessionless/kit';
import { DEFAULT_WORKSPACE_LIMITS } from './config.js';
import { fileLimits, workspaceKind, type WorkspaceDeps } from './deps.js';
import { WORKSPACE_ERRORS } from './domain/errors.js';
import { workspaceTools } from './tools/index.js';

export function workspaceReadmeTables(): ReadmeTables {
  const deps = {
    workspaceKind: workspaceKind(DEFAULT_WORKSPACE_LIMITS),
    limits: fileLimits(DEFAULT_WORKSPACE_LIMITS),
  } as WorkspaceDeps;
  return { tools: toolsTable(workspaceTools, deps), errors: errorsTable(WORKSPACE_ERRORS) };
}
