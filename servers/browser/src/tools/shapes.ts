/**
 * Arguments and outputs shared by several browser tools.
 */
import { handleIdArgument, type ToolReply } from '@sessionless/kit';
import * as z from 'zod/v4';
import { BROWSER_NAMES } from '../deps.js';
import { snapshotPageInvalid } from '../domain/errors.js';
import type { PageView } from '../domain/pool.js';
import { snapshotPage, type SnapshotLimits } from '../domain/snapshot.js';

/** The browser handle argument; gateways can route on its `Mcp-Param-Browser-Id` mirror. */
export const browserIdArgument = handleIdArgument(BROWSER_NAMES, 'Browser-Id');

export const refArgument = z
  .string()
  .min(1)
  .max(16)
  .describe('An element ref from the last browser_snapshot, like "e5"');

export const pageShape = z.object({
  browser_id: z.string(),
  url: z.string(),
  title: z.string(),
  snapshot: z.string().describe('Accessibility snapshot of the page; [ref=eN] marks elements you can act on'),
  snapshot_page: z.number().int().describe('Which part of a long snapshot this is (1 unless you asked for another)'),
  snapshot_pages: z.number().int().describe('How many parts the snapshot has; browser_snapshot with page shows each'),
});

/** The reply of a tool that shows the page: part `page` of its snapshot, with a marker when there are others. */
export function pageReply(
  limits: SnapshotLimits,
  browserId: string,
  view: PageView,
  done: string,
  page = 1,
): ToolReply<z.input<typeof pageShape>> {
  const part = snapshotPage(view.snapshot, page, limits);
  if (page > part.pages) throw snapshotPageInvalid(browserId, page, part.pages);
  return {
    structured: {
      browser_id: browserId,
      ...view,
      snapshot: part.text,
      snapshot_page: page,
      snapshot_pages: part.pages,
    },
    text: `${done}\nPage: ${view.title} (${view.url})\n${part.text}`,
  };
}
