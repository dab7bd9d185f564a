/** browser_screenshot: a PNG of the visible page, as image content. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { BrowserDeps } from '../deps.js';
import { browserIdArgument } from './shapes.js';

export const browserScreenshot = defineTool({
  name: 'browser_screenshot',
  title: 'Screenshot the page',
  description: 'Take a PNG screenshot of the visible part of the page; returned as image content.',
  input: z.object({ browser_id: browserIdArgument }),
  output: z.object({ browser_id: z.string(), url: z.string(), bytes: z.number().int().describe('PNG size in bytes') }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ browser_id }, deps: BrowserDeps, call) {
    await deps.handles.resolveOrThrow(deps.browserKind, call, browser_id);
    const { url, png } = await deps.pool.look(browser_id, async (live) => ({
      url: live.page.url(),
      png: await live.page.screenshot({ type: 'png' }),
    }));
    return {
      structured: { browser_id, url, bytes: png.byteLength },
      text: `Screenshot of ${url} (${png.byteLength} bytes).`,
      extra: [{ type: 'image', data: png.toString('base64'), mimeType: 'image/png' }],
    };
  },
});
