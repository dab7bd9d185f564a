/**
 * workspace_diff: what differs between two workspaces, path by path (by content hash), with a
 * small unified diff for text files. Typically a fork against the workspace it came from.
 */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { PATCH_LIMITS } from '../domain/limits.js';
import { otherWorkspaceArgument, plural, workspaceIdArgument } from './shapes.js';

const SIGN = { added: '+', modified: '~', deleted: '-' } as const;

export const workspaceDiff = defineTool({
  name: 'workspace_diff',
  title: 'Compare two workspaces',
  description:
    'List the files added, modified and deleted in workspace_id compared with base_id (e.g. a fork against its ' +
    `original), with a unified diff for text files up to ${PATCH_LIMITS.maxFileBytes} bytes ` +
    `(${PATCH_LIMITS.maxTotalChars} characters of patches per call).`,
  input: z.object({
    workspace_id: workspaceIdArgument,
    base_id: otherWorkspaceArgument(
      'Base-Workspace-Id',
      'The workspace to compare against (e.g. the original of a fork)',
    ),
    patches: z.boolean().default(true).describe('Include unified diffs of text files (default true)'),
  }),
  output: z.object({
    workspace_id: z.string(),
    base_id: z.string(),
    identical: z.boolean(),
    changes: z.array(
      z.object({
        path: z.string(),
        status: z.enum(['added', 'modified', 'deleted']),
        etag: z.union([z.string(), z.null()]).describe('In workspace_id; null when deleted'),
        base_etag: z.union([z.string(), z.null()]).describe('In base_id; null when added'),
        size: z.union([z.number().int(), z.null()]),
        base_size: z.union([z.number().int(), z.null()]),
        patch: z.union([z.string(), z.null()]).describe('Unified diff from base_id to workspace_id, for text files'),
        patch_omitted: z
          .enum(['binary', 'too_large', 'patch_budget_spent', 'changed'])
          .optional()
          .describe('Why patch is null: binary, over the size limit, past the budget, or changed during the diff'),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ workspace_id, base_id, patches }, deps: WorkspaceDeps, call) {
    await deps.handles.resolveOrThrow(deps.workspaceKind, call, workspace_id);
    await deps.handles.resolveOrThrow(deps.workspaceKind, call, base_id);
    const entries = await deps.workspaces.diff(workspace_id, base_id, patches);
    const changes = entries.map((e) => ({
      path: e.path,
      status: e.status,
      etag: e.etag,
      base_etag: e.baseEtag,
      size: e.size,
      base_size: e.baseSize,
      patch: e.patch,
      ...(e.patchOmitted ? { patch_omitted: e.patchOmitted } : {}),
    }));
    const lines = entries.map((e) => `${SIGN[e.status]} ${e.path}${e.patch ? `\n${e.patch.trimEnd()}` : ''}`);
    return {
      structured: { workspace_id, base_id, identical: entries.length === 0, changes },
      text: entries.length
        ? [`${plural(entries.length, 'change')} in ${workspace_id} against ${base_id}:`, ...lines].join('\n')
        : `${workspace_id} and ${base_id} hold the same files.`,
    };
  },
});
