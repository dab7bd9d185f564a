/** workspace_list_files: the files of a workspace, in path order, optionally under a prefix. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { WorkspaceDeps } from '../deps.js';
import { normalizeAfter, normalizePrefix } from '../domain/paths.js';
import { iso, plural, workspaceIdArgument } from './shapes.js';

export const workspaceListFiles = defineTool({
  name: 'workspace_list_files',
  title: 'List files',
  description:
    'List the files of a workspace in path order with their size and etag. prefix keeps only paths that start ' +
    'with it, as plain text ("src/" for a directory, "src/ma" for names starting so). Long listings come in pages: ' +
    'pass the last path you got as after for the next one.',
  input: z.object({
    workspace_id: workspaceIdArgument,
    prefix: z.string().max(16_384).default('').describe('Only paths starting with this text; "" lists everything'),
    limit: z.number().int().min(1).max(10_000).default(1_000).describe('Most files to return (1-10000, default 1000)'),
    after: z
      .string()
      .max(16_384)
      .default('')
      .describe('Only paths after this one in path order: the last path of the previous page'),
  }),
  output: z.object({
    workspace_id: z.string(),
    prefix: z.string(),
    files: z.array(z.object({ path: z.string(), size: z.number().int(), etag: z.string(), updated_at: z.string() })),
    total: z.number().int().describe('Files matching the prefix, on every page'),
    truncated: z.boolean().describe('True when more files follow this page (pass the last path as after)'),
    version: z.number().int(),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ workspace_id, prefix, limit, after }, deps: WorkspaceDeps, call) {
    await deps.handles.resolveOrThrow(deps.workspaceKind, call, workspace_id);
    const canonical = normalizePrefix(prefix);
    const listing = await deps.workspaces.listFiles(workspace_id, canonical, limit, normalizeAfter(after));
    const files = listing.files.map((f) => ({
      path: f.path,
      size: f.size,
      etag: f.etag,
      updated_at: iso(f.updatedAt),
    }));
    const truncated = listing.more;
    const heading = `${plural(listing.total, 'file')}${canonical ? ` under ${JSON.stringify(canonical)}` : ''} in ${workspace_id}`;
    const last = files.at(-1)?.path;
    const more = truncated ? `\n(more follow: call again with after ${JSON.stringify(last)})` : '';
    return {
      structured: { workspace_id, prefix: canonical, files, total: listing.total, truncated, version: listing.version },
      text: [`${heading}:`, ...files.map((f) => `  ${f.path} (${f.size} bytes)`)].join('\n') + more,
    };
  },
});
