/** workspace_destroy: release a workspace now instead of waiting for it to expire. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { workspaceIdArgument } from './shapes.js';

export const workspaceDestroy = defineTool({
  name: 'workspace_destroy',
  title: 'Destroy a workspace',
  description:
    'Delete a workspace and its files; contents no other workspace shares are freed. Forks of it keep working. ' +
    'The workspace_id stops working.',
  input: z.object({ workspace_id: workspaceIdArgument }),
  output: z.object({ workspace_id: z.string(), destroyed: z.literal(true) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler({ workspace_id }, deps: WorkspaceDeps, call) {
    await deps.handles.destroy(deps.workspaceKind, call, workspace_id);
    return {
      structured: { workspace_id, destroyed: true as const },
      text: `Destroyed workspace ${workspace_id}.`,
    };
  },
});
