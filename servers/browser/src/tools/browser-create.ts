/**
 * browser_create: mint an isolated browser handle. Each subagent creates its own: cookies,
 * storage and pages of one handle never appear in another. The handle, not a session, is what
 * the next calls name, so any server instance can serve them.
 */
import { defineTool, Handles } from '@sessionless/kit';
import * as z from 'zod/v4';
import type { BrowserDeps } from '../deps.js';
import { cannotOpen } from '../domain/errors.js';

export const browserCreate = defineTool({
  name: 'browser_create',
  title: 'Create a browser',
  description: (deps: BrowserDeps) =>
    'Create an isolated browser (its own cookies and storage) and return its browser_id; optionally open ' +
    `start_url. Pages are limited to the allow-list (${deps.allowList.describe()}). ` +
    Handles.lifetimeSentence(deps.browserKind),
  input: z.object({
    start_url: z.string().max(2048).optional().describe('A page to open right away, e.g. the demo store home page'),
    viewport: z
      .object({
        width: z.number().int().min(320).max(3840).describe('Width in CSS pixels'),
        height: z.number().int().min(240).max(2160).describe('Height in CSS pixels'),
      })
      .default({ width: 1280, height: 800 })
      .describe('Window size for rendering and screenshots'),
  }),
  output: z.object({
    browser_id: z.string().describe('Handle for this browser; pass it to the other browser tools'),
    url: z.string(),
    expires_at: z.string().describe('Latest ISO 8601 time the browser can live, even if used'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler({ start_url, viewport }, deps: BrowserDeps, call) {
    if (start_url) {
      const verdict = deps.allowList.check(start_url);
      if (!verdict.allowed) throw cannotOpen(start_url, verdict.code, verdict.reason);
    }
    // The record is written in the handle's own transaction; the page opens after it commits.
    const { handle } = await deps.handles.create(deps.browserKind, call, (tx, handle) =>
      deps.store.create(tx, {
        id: handle.id,
        viewport,
        url: 'about:blank',
        history: ['about:blank'],
        storage: { cookies: [], origins: [] },
        fills: [],
        snapshot: null,
        snapshotVersion: null,
        version: 0,
      }),
    );
    try {
      const url = start_url
        ? (await deps.pool.change(handle.id, (live) => deps.pool.goto(live, start_url))).url
        : 'about:blank';
      return {
        structured: { browser_id: handle.id, url, expires_at: new Date(handle.expiresAt).toISOString() },
        text: `Created browser ${handle.id}${start_url ? ` at ${url}` : ''}. Call browser_snapshot to see the page.`,
      };
    } catch (error) {
      // A browser whose first page could not open is not handed out: free its handle, quota and state.
      await deps.handles.destroy(deps.browserKind, call, handle.id);
      throw error;
    }
  },
});
