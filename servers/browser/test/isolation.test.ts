/**
 * The isolated-handle claim: two browsers of the same user are two separate worlds.
 */
import { testStores, type ModernClient, type StoreDialect } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, browserInProcess, type InProcessBrowsers } from './helpers.js';

describe.each(testStores())('isolated browsers on %s', (dialect: StoreDialect) => {
  let fixture: InProcessBrowsers;
  let client: ModernClient;
  beforeAll(async () => {
    fixture = await browserInProcess({}, [], dialect);
    client = await fixture.connectModern();
    await client.listTools();
  });
  afterAll(async () => {
    await client.close();
    await fixture.close();
  });

  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

  describe('browser_create', () => {
    it('two browsers of one user visiting the cookie page see only their own cookie and storage', async () => {
      const visitor = async () => {
        const { browser_id } = ok<{ browser_id: string }>(
          await call('browser_create', { start_url: `${fixture.site.origin}/prefs` }),
        );
        const { snapshot } = ok<{ snapshot: string }>(await call('browser_snapshot', { browser_id }));
        const cookie = /Visitor cookie: (v-[a-z0-9]+)/.exec(snapshot)?.[1];
        const storage = /Visitor storage: (v-[a-z0-9]+)/.exec(snapshot)?.[1];
        expect(cookie, snapshot).toBeDefined();
        expect(storage).toBe(cookie);
        return { browser_id, cookie: cookie!, snapshot };
      };
      const [a, b] = [await visitor(), await visitor()];
      expect(a.cookie).not.toBe(b.cookie);
      expect(a.snapshot).not.toContain(b.cookie);
      expect(b.snapshot).not.toContain(a.cookie);

      // Reloading keeps each browser's own value: the state is per handle, not shared.
      const again = ok<{ snapshot: string }>(
        await call('browser_navigate', { browser_id: a.browser_id, url: `${fixture.site.origin}/prefs` }),
      );
      expect(again.snapshot).toContain(`Visitor cookie: ${a.cookie}`);

      const shot = async (browser_id: string) => {
        const result = await call('browser_screenshot', { browser_id });
        const image = (result.content as Array<{ type: string; data?: string; mimeType?: string }>).find(
          (c) => c.type === 'image',
        );
        expect(image?.mimeType).toBe('image/png');
        return Buffer.from(image!.data!, 'base64');
      };
      const [shotA, shotB] = [await shot(a.browser_id), await shot(b.browser_id)];
      expect(shotA.subarray(1, 4).toString()).toBe('PNG');
      expect(shotA.equals(shotB)).toBe(false);
    });

    it("snapshots reflect each browser's own page", async () => {
      const one = ok<{ browser_id: string }>(
        await call('browser_create', { start_url: `${fixture.site.origin}/product/TEA-0003` }),
      );
      const two = ok<{ browser_id: string }>(
        await call('browser_create', { start_url: `${fixture.site.origin}/product/COF-0004` }),
      );
      const first = ok<{ snapshot: string; url: string }>(
        await call('browser_snapshot', { browser_id: one.browser_id }),
      );
      const second = ok<{ snapshot: string; url: string }>(
        await call('browser_snapshot', { browser_id: two.browser_id }),
      );
      expect(first.snapshot).toContain('TEA-0003');
      expect(first.snapshot).not.toContain('COF-0004');
      expect(second.snapshot).toContain('COF-0004');
      expect(second.url).toMatch(/COF-0004$/);
    });
  });
});
