/**
 * Arguments and outputs shared by several browser tools.
 */
import { handleIdArgument, type ToolReply } from '@sessionless/kit';
import * as z from 'zod/v4';
import { BROWSER_NAMES } from '../deps.js';
import type { PageView } from '../domain/pool.js';

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
});

export function pageReply(browserId: string, view: PageView, done: string): ToolReply<z.input<typeof pageShape>> {
  return {
    structured: { browser_id: browserId, ...view },
    text: `${done}\nPage: ${view.title} (${view.url})\n${view.snapshot}`,
  };
}
