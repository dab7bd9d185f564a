/** browser_click: click an element by its ref from the last snapshot. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { BrowserDeps } from '../deps.js';
import { ACTION_OPTIONS } from '../domain/pool.js';
import { browserIdArgument, pageReply, pageShape, refArgument } from './shapes.js';

export const browserClick = defineTool({
  name: 'browser_click',
  title: 'Click an element',
  description:
    'Click the element with this ref (from the last browser_snapshot) and return the resulting page snapshot.',
  input: z.object({ browser_id: browserIdArgument, ref: refArgument }),
  output: pageShape,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ browser_id, ref }, deps: BrowserDeps, call) {
    await deps.handles.resolveOrThrow(deps.browserKind, call, browser_id);
    const view = await deps.pool.change(browser_id, async (live, record) => {
      const { locator } = await deps.pool.locate(live, record, ref);
      await locator.click(ACTION_OPTIONS);
    });
    return pageReply(deps.snapshot, browser_id, view, `Clicked ${ref}.`);
  },
});
