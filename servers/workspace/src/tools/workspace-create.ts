/**
 * workspace_create: mint a workspace handle, optionally with its first files. Every file is
 * checked (path rules, size limits) before anything is created, so a refused create leaves nothing.
 */
import { defineTool, Handles } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { checkUnicode, prepareFiles } from '../domain/content.js';
import { encodingArgument, iso, pathArgument, plural, summaryOut, summaryShape } from './shapes.js';

/** One call writes at most this many files, so no create holds its transaction for long. */
export const MAX_INITIAL_FILES = 1_000;

export const workspaceCreate = defineTool({
  name: 'workspace_create',
  title: 'Create a workspace',
  description: (deps: WorkspaceDeps) =>
    'Create a workspace (a set of files) and return its workspace_id, optionally with initial files. Share the ' +
    'workspace_id with other subagents to work on one shared workspace, or give each one a fork (workspace_fork) ' +
    `and merge the forks back. Files up to ${deps.limits.maxFileBytes} bytes; up to ${deps.limits.maxFiles} files ` +
    `and ${deps.limits.maxWorkspaceBytes} bytes per workspace. ${Handles.lifetimeSentence(deps.workspaceKind)}`,
  input: z.object({
    name: z.string().max(100).optional().describe('A label for your own use, shown by workspace_list'),
    files: z
      .array(
        z.object({
          path: pathArgument,
          content: z.string().describe('The file content, as text or base64 (see encoding)'),
          encoding: encodingArgument.default('utf8'),
        }),
      )
      .max(MAX_INITIAL_FILES)
      .default([])
      .describe(
        `Files to start with, at most ${MAX_INITIAL_FILES} (add more with workspace_write_file); all are stored or, if ` +
          'any is refused, none',
      ),
  }),
  output: summaryShape.extend({
    expires_at: z.string().describe('Latest ISO 8601 time the workspace can live, even if used'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler({ name, files }, deps: WorkspaceDeps, call) {
    if (name !== undefined) checkUnicode(name, 'name');
    const prepared = prepareFiles(files, deps.limits);
    // The workspace and its files are written in the handle's own transaction: all of them, or nothing.
    const { handle, state: summary } = await deps.handles.create(deps.workspaceKind, call, (tx, handle) =>
      deps.workspaces.create(tx, handle.id, name ?? null, prepared, handle.createdAt),
    );
    return {
      structured: { ...summaryOut(summary), expires_at: iso(handle.expiresAt) },
      text: `Created workspace ${handle.id} with ${plural(summary.fileCount, 'file')} (${summary.bytes} bytes).`,
    };
  },
});
