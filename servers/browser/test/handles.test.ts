/**
 * Browser handles behave like every handle (binding, unknown, expiry, quota), and ending one
 * closes its live context; the whole run leaves no Chromium behind.
 */
import { signDevToken } from '@sessionless/kit';
import { connectModern, type ModernClient } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, alive, descendants, ok, scrape, startBrowsers, toolError, type BrowserFixture } from './helpers.js';

let fixture: BrowserFixture;
let alice: ModernClient;
let bob: ModernClient;
const chromium = new Set<number>();

beforeAll(async () => {
  fixture = await startBrowsers({
    JWT_SECRET: SECRET,
    BROWSER_IDLE_TTL: '2s',
    BROWSER_QUOTA: '2',
    SWEEP_INTERVAL: '300ms',
  });
  alice = await connectModern(fixture.servers[0]!.url, { token: await signDevToken(SECRET, 'alice') });
  bob = await connectModern(fixture.servers[0]!.url, { token: await signDevToken(SECRET, 'bob') });
  await Promise.all([alice.listTools(), bob.listTools()]);
});
afterAll(async () => {
  await Promise.all([alice.close(), bob.close()]);
  for (const pid of descendants(fixture.servers[0]!.child.pid!)) chromium.add(pid);
  await fixture.stop();
});

const call = (client: ModernClient, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args });
const liveContexts = () => scrape(fixture.servers[0]!, 'mcp_browser_live_contexts');

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
    expect(toolError(await call(alice, 'browser_snapshot', { browser_id: 'brw_short' })).code).toBe('HANDLE_MALFORMED');
    expect(toolError(await call(alice, 'browser_snapshot', { browser_id: `cart_${browser_id.slice(4)}` })).code).toBe(
      'HANDLE_WRONG_KIND',
    );
    ok(await call(alice, 'browser_destroy', { browser_id }));
  });

  it('destroy closes the live context and the id says destroyed', async () => {
    const { browser_id } = ok<{ browser_id: string }>(
      await call(alice, 'browser_create', { start_url: `${fixture.site.origin}/` }),
    );
    const before = await liveContexts();
    expect(before).toBeGreaterThan(0);
    ok(await call(alice, 'browser_destroy', { browser_id }));
    expect(await liveContexts()).toBe(before - 1);
    expect(toolError(await call(alice, 'browser_snapshot', { browser_id })).code).toBe('HANDLE_DESTROYED');
  });

  it('an idle browser expires: the error says expired and names browser_create, and its context is closed', async () => {
    const { browser_id } = ok<{ browser_id: string }>(
      await call(bob, 'browser_create', { start_url: `${fixture.site.origin}/` }),
    );
    expect(await liveContexts()).toBeGreaterThan(0);
    // The sweeper (every 300 ms) ends it after 2 s idle and closes the context; wait on the gauge.
    await expect.poll(liveContexts, { timeout: 15_000, interval: 250 }).toBe(0);
    const expired = toolError(await call(bob, 'browser_snapshot', { browser_id }));
    expect(expired.code).toBe('HANDLE_EXPIRED');
    expect(expired.text).toMatch(/has expired.*call browser_create/);
  });

  it('creating more browsers than the quota is a clear error, and the others keep working', async () => {
    const first = ok<{ browser_id: string }>(await call(alice, 'browser_create', {})).browser_id;
    ok(await call(alice, 'browser_create', {}));
    const refused = toolError(await call(alice, 'browser_create', {}));
    expect(refused.code).toBe('QUOTA_EXCEEDED');
    expect(refused.text).toMatch(/already hold 2 live browsers.*browser_list/);
    ok(await call(alice, 'browser_navigate', { browser_id: first, url: `${fixture.site.origin}/products` }));
    const listed = ok<{ browsers: Array<{ browser_id: string; url: string }> }>(await call(alice, 'browser_list', {}));
    expect(listed.browsers).toContainEqual(
      expect.objectContaining({ browser_id: first, url: `${fixture.site.origin}/products` }),
    );
  });
});

describe('the test run', () => {
  it('leaves no Chromium behind once the servers stop', async () => {
    const server = await fixture.start();
    const client = await connectModern(server.url, { token: await signDevToken(SECRET, 'carol') });
    await client.listTools();
    ok(await call(client, 'browser_create', { start_url: `${fixture.site.origin}/` }));
    const children = descendants(server.child.pid!);
    expect(children.length).toBeGreaterThan(0);
    await client.close();
    await server.stop();
    await expect.poll(() => children.filter(alive).length, { timeout: 15_000 }).toBe(0);
  });
});
