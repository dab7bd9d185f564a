/** workspace_list: the caller's live workspaces, for recovering ids after a lost context. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { iso, plural, summaryOut, summaryShape } from './shapes.js';

export const workspaceList = defineTool({
  name: 'workspace_list',
  title: 'List my workspaces',
  description:
    'List the workspaces you created or forked that are still live, oldest first, with their parent, file count and size.',
  input: z.object({}),
  output: z.object({
    workspaces: z.array(summaryShape.extend({ created_at: z.string(), last_used_at: z.string() })),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(_args, deps: WorkspaceDeps, call) {
    const handles = await deps.handles.listMine(deps.workspaceKind, call.principal);
    const workspaces = [];
    for (const handle of handles) {
      // A workspace destroyed by another call since listMine is simply no longer listed.
      const summary = await deps.workspaces.findSummary(handle.id);
      if (!summary) continue;
      workspaces.push({
        ...summaryOut(summary),
        created_at: iso(handle.createdAt),
        last_used_at: iso(handle.lastUsedAt),
      });
    }
    const text = workspaces.length
      ? workspaces.map(describe).join('\n')
      : 'You hold no live workspaces; call workspace_create to start one.';
    return { structured: { workspaces }, text };
  },
});

function describe(w: z.input<typeof summaryShape>) {
  const name = w.name ? ` "${w.name}"` : '';
  const origin = w.parent_id ? ` (fork of ${w.parent_id})` : '';
  return `${w.workspace_id}${name}${origin}: ${plural(w.file_count, 'file')}, ${w.bytes} bytes`;
}
