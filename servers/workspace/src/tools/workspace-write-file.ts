/**
 * workspace_write_file: create or replace one file. Size limits and if_match are checked in the
 * same transaction as the write, so a refused write changes nothing, even with writers racing.
 */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { prepareFile } from '../domain/content.js';
import { encodingArgument, ifMatchArgument, pathArgument, workspaceIdArgument } from './shapes.js';

export const workspaceWriteFile = defineTool({
  name: 'workspace_write_file',
  title: 'Write a file',
  description:
    'Create or replace a file with the given content (text, or binary as base64). Pass if_match with the etag ' +
    'from your last read to refuse the write if someone changed the file since; without it the last write wins. ' +
    'Returns the new etag.',
  input: z.object({
    workspace_id: workspaceIdArgument,
    path: pathArgument,
    content: z.string().describe('The whole new content, as text or base64 (see encoding)'),
    encoding: encodingArgument.default('utf8'),
    if_match: ifMatchArgument,
  }),
  output: z.object({
    workspace_id: z.string(),
    path: z.string().describe('The canonical (NFC) path written'),
    etag: z.string().describe('SHA-256 of the content, hex; pass it as if_match to guard the next change'),
    size: z.number().int(),
    created: z.boolean().describe('True when the file did not exist before'),
    version: z.number().int().describe('Workspace version after the write'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ workspace_id, path, content, encoding, if_match }, deps: WorkspaceDeps, call) {
    await deps.handles.resolveOrThrow(deps.workspaceKind, call, workspace_id);
    const file = prepareFile({ path, content, encoding }, deps.limits);
    const written = await deps.workspaces.writeFile(workspace_id, file, if_match, deps.now());
    return {
      structured: {
        workspace_id,
        path: written.path,
        etag: written.etag,
        size: written.size,
        created: written.created,
        version: written.version,
      },
      text: `${written.created ? 'Created' : 'Wrote'} ${written.path} (${written.size} bytes, etag ${written.etag}).`,
    };
  },
});
