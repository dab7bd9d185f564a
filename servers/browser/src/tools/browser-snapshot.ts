/** browser_snapshot: the page's accessibility tree with element refs to click and fill. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { BrowserDeps } from '../deps.js';
import { browserIdArgument, pageReply, pageShape } from './shapes.js';

export const browserSnapshot = defineTool({
  name: 'browser_snapshot',
  title: 'Snapshot the page',
  description:
    'Return the page as an accessibility snapshot. Elements you can act on carry refs like [ref=e5]; pass them to ' +
    'browser_click and browser_fill. Refs stay valid on any server instance until the page changes. A long ' +
    'snapshot comes in parts: the last line says which; ask for the next with page.',
  input: z.object({
    browser_id: browserIdArgument,
    page: z.number().int().min(1).max(1_000).default(1).describe('Which part of a long snapshot to show (default 1)'),
  }),
  output: pageShape,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ browser_id, page }, deps: BrowserDeps, call) {
    await deps.handles.resolveOrThrow(deps.browserKind, call, browser_id);
    return pageReply(deps.snapshot, browser_id, await deps.pool.snapshot(browser_id), 'Snapshot taken.', page);
  },
});
