/** browser_navigate: open a URL (allow-listed; redirects are checked hop by hop). */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { BrowserDeps } from '../deps.js';
import { browserIdArgument, pageReply, pageShape } from './shapes.js';

export const browserNavigate = defineTool({
  name: 'browser_navigate',
  title: 'Open a URL',
  description:
    'Open a URL in the browser and return the page snapshot. Only http(s) pages on the allow-list load; ' +
    'every redirect hop is checked too.',
  input: z.object({
    browser_id: browserIdArgument,
    url: z.string().min(1).max(2048).describe('Absolute http(s) URL'),
  }),
  output: pageShape,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler({ browser_id, url }, deps: BrowserDeps, call) {
    await deps.handles.resolveOrThrow(deps.browserKind, call, browser_id);
    const view = await deps.pool.change(browser_id, (live) => deps.pool.goto(live, url));
    return pageReply(deps.snapshot, browser_id, view, `Opened ${view.url}.`);
  },
});
