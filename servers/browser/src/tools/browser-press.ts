/** browser_press: press a key in the focused element (Enter submits a search box). */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { BrowserDeps } from '../deps.js';
import { ACTION_OPTIONS } from '../domain/pool.js';
import { browserIdArgument, pageReply, pageShape } from './shapes.js';

export const browserPress = defineTool({
  name: 'browser_press',
  title: 'Press a key',
  description:
    'Press a key in the focused element, e.g. "Enter", "Tab", "Escape", "ArrowDown", "a" or "Control+A", ' +
    'and return the resulting page snapshot. Fill or click a field first to focus it.',
  input: z.object({
    browser_id: browserIdArgument,
    key: z
      .string()
      .min(1)
      .max(40)
      .describe('Key name as in Playwright: Enter, Tab, Escape, ArrowDown, Backspace, a, Shift+Tab'),
  }),
  output: pageShape,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ browser_id, key }, deps: BrowserDeps, call) {
    await deps.handles.resolveOrThrow(deps.browserKind, call, browser_id);
    const view = await deps.pool.change(browser_id, async (live, record) => {
      // Focus lives in the page object: a page rebuilt on this instance focuses the last filled field again.
      const lastFill = record.fills.at(-1);
      if (live.rebuilt && lastFill) await (await deps.pool.find(live, browser_id, lastFill)).focus();
      // Pressing through the focused element's locator waits for a navigation it starts (a submitted form).
      const focused = live.page.locator('*:focus');
      if ((await focused.count()) > 0) await focused.press(key, ACTION_OPTIONS);
      else await live.page.keyboard.press(key);
    });
    return pageReply(deps.snapshot, browser_id, view, `Pressed ${key}.`);
  },
});
