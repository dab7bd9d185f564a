/** workspace_read_file: one file's content and its etag (the content hash). */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { encodeContent, ENCODINGS } from '../domain/content.js';
import { normalizePath } from '../domain/paths.js';
import { encodingArgument, iso, pathArgument, workspaceIdArgument } from './shapes.js';

export const workspaceReadFile = defineTool({
  name: 'workspace_read_file',
  title: 'Read a file',
  description:
    'Read a file: its content and its etag. Text comes back as UTF-8 and binary files as base64 unless you ask ' +
    'for an encoding. Keep the etag to pass as if_match when you change the file.',
  input: z.object({
    workspace_id: workspaceIdArgument,
    path: pathArgument,
    encoding: encodingArgument.optional().describe('Force "utf8" or "base64"; by default text is utf8, binary base64'),
  }),
  output: z.object({
    workspace_id: z.string(),
    path: z.string(),
    content: z.string(),
    encoding: z.enum(ENCODINGS),
    etag: z.string().describe('SHA-256 of the content, hex; pass it as if_match to guard a change'),
    size: z.number().int().describe('Size in bytes'),
    updated_at: z.string().describe('ISO 8601 time of the last change'),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ workspace_id, path, encoding }, deps: WorkspaceDeps, call) {
    await deps.handles.resolveOrThrow(deps.workspaceKind, call, workspace_id);
    const file = await deps.workspaces.readFile(workspace_id, normalizePath(path));
    const rendered = encodeContent(file.bytes, file.path, encoding);
    return {
      structured: {
        workspace_id,
        path: file.path,
        ...rendered,
        etag: file.etag,
        size: file.size,
        updated_at: iso(file.updatedAt),
      },
      text: `${file.path} (${file.size} bytes, ${rendered.encoding}, etag ${file.etag}):\n${rendered.content}`,
    };
  },
});
