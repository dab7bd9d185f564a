/**
 * browser_back: return to the previous page. History is part of the saved browser state, so
 * "back" means the same thing on every instance.
 */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { BrowserDeps } from '../deps.js';
import { nothingToGoBack } from '../domain/errors.js';
import { browserIdArgument, pageReply, pageShape } from './shapes.js';

export const browserBack = defineTool({
  name: 'browser_back',
  title: 'Go back',
  description: 'Go back to the previous page in this browser and return its snapshot.',
  input: z.object({ browser_id: browserIdArgument }),
  output: pageShape,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ browser_id }, deps: BrowserDeps, call) {
    await deps.handles.resolveOrThrow(deps.browserKind, call, browser_id);
    const view = await deps.pool.change(browser_id, async (live, record) => {
      const previous = record.history.at(-2);
      if (!previous || previous === 'about:blank') throw nothingToGoBack(browser_id);
      await deps.pool.goto(live, previous);
      return { history: record.history.slice(0, -1) };
    });
    return pageReply(deps.snapshot, browser_id, view, `Went back to ${view.url}.`);
  },
});
