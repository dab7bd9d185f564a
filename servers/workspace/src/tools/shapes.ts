/**
 * Argument and output shapes shared by several workspace tools, and their short text renderings.
 */
import { handleIdArgument } from '@sessionless/kit';
import * as z from 'zod/v4';
import { WORKSPACE_NAMES } from '../deps.js';
import { ENCODINGS } from '../domain/content.js';
import { MAX_PATH_BYTES } from '../domain/paths.js';
import type { WorkspaceSummary } from '../domain/store.js';

/** The workspace handle argument; gateways can route on its `Mcp-Param-Workspace-Id` mirror. */
export const workspaceIdArgument = handleIdArgument(WORKSPACE_NAMES, 'Workspace-Id');

/** A second workspace in the same call gets its own header name (they must be unique per tool). */
export function otherWorkspaceArgument(header: string, description: string) {
  return handleIdArgument(WORKSPACE_NAMES, header).describe(
    `${description}: a workspace id from workspace_create or workspace_fork ("ws_" + 22 characters).`,
  );
}

// No length bounds here: an empty or over-long path reaches the path rules, whose error names the rule.
export const pathArgument = z
  .string()
  .max(16_384)
  .describe(
    `File path relative to the workspace root, "/"-separated, e.g. "src/main.ts" (at most ${MAX_PATH_BYTES} bytes; ` +
      'no "..", ".", empty segments, leading "/", backslashes or control characters).',
  );

export const ifMatchArgument = z
  .string()
  .max(128)
  .optional()
  .describe(
    'The etag you last read; the change is refused if the file changed since. Omit it and the last write wins.',
  );

export const encodingArgument = z.enum(ENCODINGS).describe('"utf8" for text, "base64" for binary bytes');

export const summaryShape = z.object({
  workspace_id: z.string(),
  name: z.union([z.string(), z.null()]),
  parent_id: z.union([z.string(), z.null()]).describe('The workspace this one was forked from, or null'),
  file_count: z.number().int(),
  bytes: z.number().int().describe('Sum of the file sizes, counted against the per-workspace limit'),
  version: z.number().int().describe('Increases on every change to the workspace'),
});

export function summaryOut(summary: WorkspaceSummary): z.input<typeof summaryShape> {
  return {
    workspace_id: summary.id,
    name: summary.name,
    parent_id: summary.parentId,
    file_count: summary.fileCount,
    bytes: summary.bytes,
    version: summary.version,
  };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
