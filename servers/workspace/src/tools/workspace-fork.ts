/**
 * workspace_fork: an isolated copy-on-write copy of a workspace. Only the list of paths is copied;
 * contents are shared until one side writes. The fork remembers its fork point, which
 * workspace_merge uses as the base of its three-way merge.
 */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { checkUnicode } from '../domain/content.js';
import { iso, plural, summaryOut, summaryShape, workspaceIdArgument } from './shapes.js';

export const workspaceFork = defineTool({
  name: 'workspace_fork',
  title: 'Fork a workspace',
  description:
    'Make an isolated copy of a workspace and return the new workspace_id. Writes in the fork never show in the ' +
    'original and vice versa; call workspace_merge to bring the changes back. Cheap: contents are shared, not copied. ' +
    'A fork is a workspace of its own: it counts against your quota and has its own lifetime.',
  input: z.object({
    workspace_id: workspaceIdArgument,
    name: z.string().max(100).optional().describe('A label for the fork, shown by workspace_list'),
  }),
  output: summaryShape.extend({
    expires_at: z.string().describe('Latest ISO 8601 time the fork can live, even if used'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler({ workspace_id, name }, deps: WorkspaceDeps, call) {
    if (name !== undefined) checkUnicode(name, 'name');
    await deps.handles.resolveOrThrow(deps.workspaceKind, call, workspace_id);
    // The fork's rows are written in its handle's own transaction: if the original is gone, neither exists.
    const { handle, state: summary } = await deps.handles.create(deps.workspaceKind, call, (tx, handle) =>
      deps.workspaces.fork(tx, handle.id, workspace_id, name ?? null, handle.createdAt),
    );
    return {
      structured: { ...summaryOut(summary), expires_at: iso(handle.expiresAt) },
      text: `Forked ${workspace_id} as ${handle.id} (${plural(summary.fileCount, 'file')}).`,
    };
  },
});
