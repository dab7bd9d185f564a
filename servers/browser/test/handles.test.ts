/**
 * Browser handles behave like every handle (binding, unknown, expiry, quota), in-process with a
 * test clock and a real Chromium: ending one closes its live context, and a browser never lapses
 * while a call on it runs, however slow the page (a create that outlasts the idle TTL included).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rows, testStores, type ModernClient, type StoreDialect } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, browserInProcess, ok, toolError, type InProcessBrowsers, tokenFor } from './helpers.js';

describe.each(testStores())('browser handles on %s', (dialect: StoreDialect) => {
  let fixture: InProcessBrowsers;
  let alice: ModernClient;
  let bob: ModernClient;
  let slow: SlowSite;
  const IDLE_MS = 2 * 60_000;

  beforeAll(async () => {
    slow = await startSlowSite();
    fixture = await browserInProcess(
      { JWT_SECRET: SECRET, BROWSER_IDLE_TTL: '2m', BROWSER_QUOTA: '2' },
      [slow.origin],
      dialect,
    );
    alice = await fixture.connectModern({ token: await tokenFor('alice') });
    bob = await fixture.connectModern({ token: await tokenFor('bob') });
  });
  afterAll(async () => {
    await Promise.all([alice.close(), bob.close()]);
    await fixture.close();
    await slow.close();
  });

  const call = (client: ModernClient, name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args });
  const liveContexts = () => fixture.deps.pool.size;

  async function destroyAll(client: ModernClient) {
    for (const b of ok<{ browsers: Array<{ browser_id: string }> }>(await call(client, 'browser_list', {})).browsers) {
      ok(await call(client, 'browser_destroy', { browser_id: b.browser_id }));
    }
  }

  describe('browser handles', () => {
    it("another user's browser is answered exactly like one that never existed", async () => {
      const { browser_id } = ok<{ browser_id: string }>(
        await call(alice, 'browser_create', { start_url: `${fixture.site.origin}/` }),
      );
      const neverExisted = `brw_${'Q'.repeat(22)}`;
      const stolen = toolError(await call(bob, 'browser_snapshot', { browser_id }));
      const unknown = toolError(await call(bob, 'browser_snapshot', { browser_id: neverExisted }));
      expect(stolen.code).toBe('HANDLE_NOT_FOUND');
      expect(stolen.text.replace(browser_id, 'ID')).toBe(unknown.text.replace(neverExisted, 'ID'));
      expect(toolError(await call(alice, 'browser_snapshot', { browser_id: 'brw_short' })).code).toBe(
        'HANDLE_MALFORMED',
      );
      expect(toolError(await call(alice, 'browser_snapshot', { browser_id: `cart_${browser_id.slice(4)}` })).code).toBe(
        'HANDLE_WRONG_KIND',
      );
      ok(await call(alice, 'browser_destroy', { browser_id }));
    });

    it('destroy closes the live context and the id says destroyed', async () => {
      const { browser_id } = ok<{ browser_id: string }>(
        await call(alice, 'browser_create', { start_url: `${fixture.site.origin}/` }),
      );
      const before = liveContexts();
      expect(before).toBeGreaterThan(0);
      ok(await call(alice, 'browser_destroy', { browser_id }));
      expect(liveContexts()).toBe(before - 1);
      expect(toolError(await call(alice, 'browser_snapshot', { browser_id })).code).toBe('HANDLE_DESTROYED');
    });

    it('an idle browser expires: the error says it was unused for 2 min and names browser_create, and its context is closed', async () => {
      await destroyAll(bob);
      const { browser_id } = ok<{ browser_id: string }>(
        await call(bob, 'browser_create', { start_url: `${fixture.site.origin}/` }),
      );
      const before = liveContexts();
      fixture.clock.advance(IDLE_MS + 1);
      expect((await fixture.runtime.handles.sweep()).expired).toBe(1);
      expect(liveContexts()).toBe(before - 1);
      const expired = toolError(await call(bob, 'browser_snapshot', { browser_id }));
      expect(expired.code).toBe('HANDLE_EXPIRED');
      expect(expired.text).toBe(
        `Browser ${browser_id} has expired: it was unused for 2 min; call browser_create to start a new browser.`,
      );
    });

    it('creating more browsers than the quota is a clear error, and the others keep working', async () => {
      await destroyAll(alice);
      const first = ok<{ browser_id: string }>(await call(alice, 'browser_create', {})).browser_id;
      ok(await call(alice, 'browser_create', {}));
      const refused = toolError(await call(alice, 'browser_create', {}));
      expect(refused.code).toBe('QUOTA_EXCEEDED');
      expect(refused.text).toMatch(/already hold 2 live browsers.*browser_list/);
      ok(await call(alice, 'browser_navigate', { browser_id: first, url: `${fixture.site.origin}/products` }));
      const listed = ok<{ browsers: Array<{ browser_id: string; url: string }> }>(
        await call(alice, 'browser_list', {}),
      );
      expect(listed.browsers).toContainEqual(
        expect.objectContaining({ browser_id: first, url: `${fixture.site.origin}/products` }),
      );
      await destroyAll(alice);
    });
  });

  describe('a browser never lapses under a running call', () => {
    it('a browser_create whose first page takes longer than the idle TTL returns a live, usable browser', async () => {
      await destroyAll(alice);
      const creating = call(alice, 'browser_create', { start_url: `${slow.origin}/slow` });
      const page = await slow.arrived();
      fixture.clock.advance(3 * IDLE_MS); // the page is slow: three idle TTLs pass while it loads (well within the call lease)
      expect((await fixture.runtime.handles.sweep()).expired).toBe(0);
      page.finish();
      const { browser_id, url } = ok<{ browser_id: string; url: string }>(await creating);
      expect(url).toBe(`${slow.origin}/slow`);
      expect(ok<{ snapshot: string }>(await call(alice, 'browser_snapshot', { browser_id })).snapshot).toMatch(
        /Slow page/,
      );
    });

    it('a browser with a navigation in flight is not swept, on this instance or by any other sharing the store', async () => {
      await destroyAll(alice);
      const { browser_id } = ok<{ browser_id: string }>(
        await call(alice, 'browser_create', { start_url: `${fixture.site.origin}/` }),
      );
      fixture.clock.advance(IDLE_MS - 30_000); // 30 s of idle life left when the call starts
      const navigating = call(alice, 'browser_navigate', { browser_id, url: `${slow.origin}/slow` });
      const page = await slow.arrived();
      fixture.clock.advance(2 * IDLE_MS);
      expect((await fixture.runtime.handles.sweep()).expired).toBe(0);
      // The store says why: the call holds a lease, which any instance's sweeper reads.
      expect(
        await rows(fixture.runtime.store, `SELECT calls_in_flight FROM handles WHERE id = '${browser_id}'`),
      ).toEqual([{ calls_in_flight: 1 }]);
      page.finish();
      expect(ok<{ url: string }>(await navigating).url).toBe(`${slow.origin}/slow`);
      ok(await call(alice, 'browser_snapshot', { browser_id }));
      // Idle time counts from the end of the last call: one idle TTL later it lapses.
      fixture.clock.advance(IDLE_MS + 1);
      expect((await fixture.runtime.handles.sweep()).expired).toBe(1);
    });
  });
});

interface SlowSite {
  origin: string;
  /** Resolves when a request for /slow arrives; `finish()` answers it. */
  arrived(): Promise<{ finish(): void }>;
  close(): Promise<void>;
}

/** A page that answers only when the test says so: a navigation that lasts as long as the test wants. */
async function startSlowSite(): Promise<SlowSite> {
  let waiting: ((response: ServerResponse) => void) | undefined;
  const pending: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url !== '/slow') return void res.writeHead(404).end(); // the favicon, say
    if (waiting) waiting(res);
    else pending.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const answer = (res: ServerResponse) => ({
    finish() {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Slow page</title><h1>Slow page</h1>');
    },
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived: () =>
      new Promise((resolve) => {
        const early = pending.shift();
        if (early) return resolve(answer(early));
        waiting = (res) => {
          waiting = undefined;
          resolve(answer(res));
        };
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
