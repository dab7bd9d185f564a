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
    'browser_click and browser_fill. Refs stay valid on any server instance until the page changes.',
  input: z.object({ browser_id: browserIdArgument }),
  output: pageShape,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ browser_id }, deps: BrowserDeps, call) {
    await deps.handles.resolveOrThrow(deps.browserKind, call, browser_id);
    return pageReply(browser_id, await deps.pool.snapshot(browser_id), 'Snapshot taken.');
  },
});
