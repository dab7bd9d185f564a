/**
 * Any instance can serve any browser handle: two server processes share one store; each call
 * lands on either, and a killed instance loses nothing. Server processes, killed or stopped,
 * leave no Chromium behind.
 */
import { connectModern, type ModernClient } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, descendants, ok, refOf, scrape, startBrowsers, type BrowserFixture } from './helpers.js';

let fixture: BrowserFixture;
let onA: ModernClient;
let onB: ModernClient;
beforeAll(async () => {
  fixture = await startBrowsers({}, 2);
  onA = await connectModern(fixture.servers[0]!.url);
  onB = await connectModern(fixture.servers[1]!.url);
  await Promise.all([onA.listTools(), onB.listTools()]);
});
afterAll(async () => {
  await Promise.all([onA.close(), onB.close()]);
  await fixture.stop();
});

const call = (client: ModernClient, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args });

describe('browser handles across instances', () => {
  it('create on A, navigate on B, snapshot on A, click on B, fill and press on A: ends where one instance would', async () => {
    const { browser_id } = ok<{ browser_id: string }>(await call(onA, 'browser_create', {}));
    ok(await call(onB, 'browser_navigate', { browser_id, url: `${fixture.site.origin}/` }));
    const home = ok<{ snapshot: string }>(await call(onA, 'browser_snapshot', { browser_id }));
    const products = ok<{ url: string; snapshot: string }>(
      await call(onB, 'browser_click', { browser_id, ref: refOf(home.snapshot, 'link', 'All products') }),
    );
    expect(products.url).toBe(`${fixture.site.origin}/products`);
    const search = refOf(products.snapshot, 'searchbox', 'Search products');
    ok(await call(onA, 'browser_fill', { browser_id, ref: search, text: 'green tea' }));
    const results = ok<{ url: string; snapshot: string }>(
      await call(onA, 'browser_press', { browser_id, key: 'Enter' }),
    );
    expect(results.url).toBe(`${fixture.site.origin}/search?q=green+tea`);
    expect(results.snapshot).toMatch(/heading "Search: green tea"/);
    expect(results.snapshot).toContain('TEA-0003');
  });

  it('a field filled on one instance is still filled when the other presses Enter', async () => {
    const { browser_id } = ok<{ browser_id: string }>(
      await call(onA, 'browser_create', { start_url: `${fixture.site.origin}/` }),
    );
    const home = ok<{ snapshot: string }>(await call(onA, 'browser_snapshot', { browser_id }));
    ok(
      await call(onA, 'browser_fill', {
        browser_id,
        ref: refOf(home.snapshot, 'searchbox', 'Search products'),
        text: 'espresso',
      }),
    );
    const results = ok<{ url: string }>(await call(onB, 'browser_press', { browser_id, key: 'Enter' }));
    expect(results.url).toBe(`${fixture.site.origin}/search?q=espresso`);
  });

  it('killing the instance that holds the live page loses nothing: the other rehydrates URL, cookies and storage', async () => {
    const victim = await fixture.start();
    const onVictim = await connectModern(victim.url);
    await onVictim.listTools();
    const { browser_id } = ok<{ browser_id: string }>(
      await call(onVictim, 'browser_create', { start_url: `${fixture.site.origin}/prefs` }),
    );
    const before = ok<{ snapshot: string }>(await call(onVictim, 'browser_snapshot', { browser_id }));
    const cookie = /Visitor cookie: (v-[a-z0-9]+)/.exec(before.snapshot)?.[1];
    expect(cookie).toBeDefined();
    const chromium = descendants(victim.child.pid!);
    expect(chromium.length).toBeGreaterThan(0);

    await victim.kill();
    const rehydratedBefore = await scrape(fixture.servers[0]!, 'mcp_browser_contexts_total', 'path="rehydrated"');
    const after = ok<{ url: string; snapshot: string }>(await call(onA, 'browser_snapshot', { browser_id }));
    expect(after.url).toBe(`${fixture.site.origin}/prefs`);
    // The page script would mint a new visitor id if the cookie or storage were lost.
    expect(after.snapshot).toContain(`Visitor cookie: ${cookie}`);
    expect(after.snapshot).toContain(`Visitor storage: ${cookie}`);
    expect(await scrape(fixture.servers[0]!, 'mcp_browser_contexts_total', 'path="rehydrated"')).toBe(
      rehydratedBefore + 1,
    );
    // The killed instance's Chromium does not outlive it.
    await expect.poll(() => chromium.filter(alive).length, { timeout: 15_000 }).toBe(0);
    await onVictim.close().catch(() => undefined);
  });

  it('a warm call is served warm: the metrics count it', async () => {
    const { browser_id } = ok<{ browser_id: string }>(
      await call(onB, 'browser_create', { start_url: `${fixture.site.origin}/` }),
    );
    const warmBefore = await scrape(fixture.servers[1]!, 'mcp_browser_contexts_total', 'path="warm"');
    ok(await call(onB, 'browser_snapshot', { browser_id }));
    expect(await scrape(fixture.servers[1]!, 'mcp_browser_contexts_total', 'path="warm"')).toBe(warmBefore + 1);
  });
});

describe('server processes', () => {
  it('leave no Chromium behind once they stop', async () => {
    const server = await fixture.start();
    const client = await connectModern(server.url);
    ok(await call(client, 'browser_create', { start_url: `${fixture.site.origin}/` }));
    const children = descendants(server.child.pid!);
    expect(children.length).toBeGreaterThan(0);
    await client.close();
    await server.stop();
    await expect.poll(() => children.filter(alive).length, { timeout: 15_000 }).toBe(0);
  });
});
