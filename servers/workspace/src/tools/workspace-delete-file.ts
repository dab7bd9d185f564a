/** workspace_delete_file: remove one file; its content is freed when no workspace uses it any more. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { normalizePath } from '../domain/paths.js';
import { ifMatchArgument, pathArgument, workspaceIdArgument } from './shapes.js';

export const workspaceDeleteFile = defineTool({
  name: 'workspace_delete_file',
  title: 'Delete a file',
  description:
    'Delete a file from a workspace (forks and the workspace it was forked from keep their copies). Pass if_match ' +
    'to refuse if the file changed since you read it.',
  input: z.object({ workspace_id: workspaceIdArgument, path: pathArgument, if_match: ifMatchArgument }),
  output: z.object({
    workspace_id: z.string(),
    path: z.string(),
    deleted: z.literal(true),
    version: z.number().int().describe('Workspace version after the delete'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler({ workspace_id, path, if_match }, deps: WorkspaceDeps, call) {
    await deps.handles.resolveOrThrow(deps.workspaceKind, call, workspace_id);
    const file = normalizePath(path);
    const { version } = await deps.workspaces.deleteFile(workspace_id, file, if_match);
    return {
      structured: { workspace_id, path: file, deleted: true as const, version },
      text: `Deleted ${file} from ${workspace_id}.`,
    };
  },
});
