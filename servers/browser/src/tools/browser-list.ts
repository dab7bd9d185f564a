/** browser_list: the caller's live browsers, for recovering ids after a lost context. */
import { defineTool } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { BrowserDeps } from '../deps.js';

export const browserList = defineTool({
  name: 'browser_list',
  title: 'List my browsers',
  description: 'List the browsers you created that are still live, oldest first, with the page each one is on.',
  input: z.object({}),
  output: z.object({
    browsers: z.array(
      z.object({ browser_id: z.string(), url: z.string(), created_at: z.string(), last_used_at: z.string() }),
    ),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(_args, deps: BrowserDeps, call) {
    const browsers = [];
    for (const handle of await deps.handles.listMine(deps.browserKind, call.principal)) {
      const record = await deps.store.get(handle.id);
      browsers.push({
        browser_id: handle.id,
        url: record?.url ?? 'about:blank',
        created_at: new Date(handle.createdAt).toISOString(),
        last_used_at: new Date(handle.lastUsedAt).toISOString(),
      });
    }
    const text = browsers.length
      ? browsers.map((b) => `${b.browser_id} ${b.url}`).join('\n')
      : 'You hold no live browsers; call browser_create to start one.';
    return { structured: { browsers }, text };
  },
});
