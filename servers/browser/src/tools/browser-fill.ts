/**
 * browser_fill: type text into a field. The field's current text is saved with the browser (one
 * value per field, for at most BROWSER_MAX_FIELDS fields), so a field filled on one instance is
 * still filled when another instance rebuilds the page.
 */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { BrowserDeps } from '../deps.js';
import { tooManyFields } from '../domain/errors.js';
import { roomForFill } from '../domain/fills.js';
import { ACTION_OPTIONS } from '../domain/pool.js';
import { browserIdArgument, pageReply, pageShape, refArgument } from './shapes.js';

export const browserFill = defineTool({
  name: 'browser_fill',
  title: 'Fill a field',
  description: 'Replace the text of the input or textarea with this ref (from the last browser_snapshot).',
  input: z.object({
    browser_id: browserIdArgument,
    ref: refArgument,
    text: z.string().max(10_000).describe('Text to put in the field (up to 10,000 characters)'),
  }),
  output: pageShape,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler({ browser_id, ref, text }, deps: BrowserDeps, call) {
    await deps.handles.resolveOrThrow(deps.browserKind, call, browser_id);
    const view = await deps.pool.change(browser_id, async (live, record) => {
      const { locator, target } = await deps.pool.locate(live, record, ref);
      if (!roomForFill(record.fills, target, deps.maxFields)) throw tooManyFields(browser_id, deps.maxFields);
      await locator.fill(text, ACTION_OPTIONS);
      return { fill: { ...target, text } };
    });
    return pageReply(deps.snapshot, browser_id, view, `Filled ${ref}.`);
  },
});
