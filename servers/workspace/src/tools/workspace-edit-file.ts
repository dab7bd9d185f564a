/**
 * workspace_edit_file: replace one exact piece of a text file. The old text must occur exactly
 * once, so the edit cannot land in the wrong place. The match runs outside any transaction and
 * the result is written only if the file has not changed since (else it is redone), so concurrent
 * edits to other parts of the file are never lost and no write waits on the matching.
 */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { checkUnicode } from '../domain/content.js';
import { normalizePath } from '../domain/paths.js';
import { ifMatchArgument, pathArgument, workspaceIdArgument } from './shapes.js';

export const workspaceEditFile = defineTool({
  name: 'workspace_edit_file',
  title: 'Edit a file',
  description:
    'Replace old_text with new_text in a text file. old_text must occur exactly once (whitespace included); zero ' +
    'or several matches is an error that says how many were found. new_text is inserted literally. Pass if_match ' +
    'to refuse the edit if the file changed since you read it.',
  input: z.object({
    workspace_id: workspaceIdArgument,
    path: pathArgument,
    old_text: z.string().min(1).describe('Exact text to replace; must occur exactly once in the file'),
    new_text: z.string().describe('Replacement text, inserted as is (may be empty to delete old_text)'),
    if_match: ifMatchArgument,
  }),
  output: z.object({
    workspace_id: z.string(),
    path: z.string(),
    etag: z.string().describe('The new etag'),
    size: z.number().int(),
    version: z.number().int().describe('Workspace version after the edit'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler({ workspace_id, path, old_text, new_text, if_match }, deps: WorkspaceDeps, call) {
    await deps.handles.resolveOrThrow(deps.workspaceKind, call, workspace_id);
    const file = normalizePath(path);
    checkUnicode(old_text, 'old_text');
    checkUnicode(new_text, 'new_text');
    const edited = await deps.workspaces.editFile(workspace_id, file, old_text, new_text, if_match, deps.now());
    return {
      structured: { workspace_id, path: file, etag: edited.etag, size: edited.size, version: edited.version },
      text: `Edited ${file} (${edited.size} bytes, etag ${edited.etag}).`,
    };
  },
});
