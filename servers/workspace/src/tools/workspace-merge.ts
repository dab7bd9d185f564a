/**
 * workspace_merge: bring a fork's changes back into the workspace it was forked from (or the other
 * way). Three-way against the fork point, path by path; any conflict applies nothing and lists
 * every conflicting path, and resolutions settle them. All or nothing, in one transaction.
 */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { normalizePath } from '../domain/paths.js';
import { otherWorkspaceArgument, pathArgument, plural } from './shapes.js';

export const workspaceMerge = defineTool({
  name: 'workspace_merge',
  title: 'Merge a fork',
  description:
    'Apply the changes made in from_id since the fork point to into_id, where one was forked from the other. A ' +
    'file changed on only one side takes that side; a file changed differently on both sides is a conflict. If ' +
    'any path conflicts, nothing is applied and the error lists every conflicting path: decide each with ' +
    'resolutions and call again.',
  input: z.object({
    from_id: otherWorkspaceArgument('From-Workspace-Id', 'The workspace whose changes to apply (usually a fork)'),
    into_id: otherWorkspaceArgument('Into-Workspace-Id', 'The workspace to change (usually the original)'),
    resolutions: z
      .array(
        z.object({
          path: pathArgument,
          take: z
            .enum(['from', 'into'])
            .describe('"from" takes from_id\'s version (or deletion), "into" keeps into_id\'s'),
        }),
      )
      .max(10_000)
      .default([])
      .describe('How to settle conflicting paths reported by an earlier merge attempt'),
  }),
  output: z.object({
    from_id: z.string(),
    into_id: z.string(),
    changes: z.array(z.object({ path: z.string(), status: z.enum(['added', 'modified', 'deleted']) })),
    resolved: z.array(z.string()).describe('Conflicting paths settled by your resolutions'),
    version: z.number().int().describe('Version of into_id after the merge'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler({ from_id, into_id, resolutions }, deps: WorkspaceDeps, call) {
    await deps.handles.resolveOrThrow(deps.workspaceKind, call, from_id);
    await deps.handles.resolveOrThrow(deps.workspaceKind, call, into_id);
    const settle = new Map(resolutions.map((r, i) => [normalizePath(r.path, `resolutions[${i}].path`), r.take]));
    const merged = await deps.workspaces.merge(from_id, into_id, settle, deps.now());
    const lines = merged.changes.map((c) => `  ${c.status} ${c.path}`);
    return {
      structured: { from_id, into_id, ...merged },
      text: [`Merged ${from_id} into ${into_id}: ${plural(merged.changes.length, 'change')} applied.`, ...lines].join(
        '\n',
      ),
    };
  },
});
