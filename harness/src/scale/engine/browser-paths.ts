/**
 * Browser calls by how their page was found, from every browser instance's /metrics
 * (`mcp_browser_contexts_total{path}`): warm, from a live context, or rehydrated from the store.
 * Read when the window opens and closes (and before a kill, so a dead instance keeps its count).
 */
import type { Replica } from './router.js';
import { readBrowserPaths } from './server-metrics.js';

/** Browser calls by how their page was found, summed over the instances' /metrics. */
export class BrowserPaths {
  private readonly opened = new Map<string, { warm: number; rehydrated: number }>();
  private readonly latest = new Map<string, { warm: number; rehydrated: number }>();
  private closed = false;

  constructor(private readonly endpoints: Replica[]) {}

  /** Reads every reachable instance; one that is gone keeps its last reading. */
  async scrape(edge?: 'open' | 'close'): Promise<void> {
    await Promise.all(
      this.endpoints.map(async (endpoint) => {
        const counts = await readBrowserPaths(endpoint.origin).catch(() => undefined);
        if (counts) this.latest.set(endpoint.origin, counts);
        if (edge === 'open' && counts) this.opened.set(endpoint.origin, counts);
      }),
    );
    if (edge === 'close') this.closed = true;
  }

  counted(): { warm: number; rehydrated: number } | null {
    if (this.endpoints.length === 0 || !this.closed) return null;
    let warm = 0;
    let rehydrated = 0;
    for (const [origin, now] of this.latest) {
      const then = this.opened.get(origin) ?? { warm: 0, rehydrated: 0 };
      warm += now.warm - then.warm;
      rehydrated += now.rehydrated - then.rehydrated;
    }
    return { warm, rehydrated };
  }
}
