/** browser_destroy: close the browser and forget its cookies, storage and pages. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { BrowserDeps } from '../deps.js';
import { browserIdArgument } from './shapes.js';

export const browserDestroy = defineTool({
  name: 'browser_destroy',
  title: 'Destroy a browser',
  description:
    'Close the browser and delete its saved state (cookies, storage, history). The browser_id stops working.',
  input: z.object({ browser_id: browserIdArgument }),
  output: z.object({ browser_id: z.string(), destroyed: z.literal(true) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler({ browser_id }, deps: BrowserDeps, call) {
    await deps.handles.destroy(deps.browserKind, call, browser_id);
    return { structured: { browser_id, destroyed: true as const }, text: `Destroyed browser ${browser_id}.` };
  },
});
