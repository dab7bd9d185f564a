/**
 * Navigation is allow-listed: refused schemes and addresses are tool errors, redirects are
 * checked hop by hop, and nothing is ever fetched from a refused address.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModernClient } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowList } from '../src/domain/allow-list.js';
import { ok, refOf, browserInProcess, toolError, type InProcessBrowsers } from './helpers.js';

let fixture: InProcessBrowsers;
let client: ModernClient;
let browserId: string;
let trap: Server;
let trapOrigin: string;
const hits: string[] = [];

beforeAll(async () => {
  // A loopback listener that is NOT on the allow-list; it records every request that reaches it.
  trap = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<a href="/">trap</a>');
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  trapOrigin = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  fixture = await browserInProcess();
  client = await fixture.connectModern();
  await client.listTools();
  browserId = ok<{ browser_id: string }>(
    await client.callTool({ name: 'browser_create', arguments: { start_url: `${fixture.site.origin}/` } }),
  ).browser_id;
});
afterAll(async () => {
  await client.close();
  await fixture.close();
  trap.close();
});

const navigate = (url: string) =>
  client.callTool({ name: 'browser_navigate', arguments: { browser_id: browserId, url } });

describe('browser_navigate', () => {
  it.each([
    ['file:', 'file:///etc/passwd', /file: scheme is not allowed/],
    ['data:', 'data:text/html,<h1>hi</h1>', /data: scheme is not allowed/],
    ['javascript:', 'javascript:alert(1)', /javascript: scheme is not allowed/],
    ['chrome:', 'chrome://settings', /chrome: scheme is not allowed/],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', /link-local and cloud metadata/],
    ['a private 10/8 address', 'http://10.0.0.1/', /private network/],
    ['a private 192.168/16 address', 'http://192.168.1.1/admin', /private network/],
    ['a private 172.16/12 address', 'http://172.16.0.1/', /private network/],
    ['a public site', 'https://example.com/', /not on the navigation allow-list/],
  ])('refuses %s with a clear error', async (_name, url, reason) => {
    const error = toolError(await navigate(url));
    expect(error.code).toBe('NAVIGATION_REFUSED');
    expect(error.text).toMatch(reason);
  });

  it('refuses another loopback port, and nothing reaches it', async () => {
    const error = toolError(await navigate(`${trapOrigin}/direct`));
    expect(error.text).toMatch(/other loopback ports are refused/);
    expect(hits).toEqual([]);
  });

  it('refuses a redirect from an allowed page to a refused address, and nothing reaches it', async () => {
    const error = toolError(
      await navigate(`${fixture.site.origin}/redirect?to=${encodeURIComponent(`${trapOrigin}/redirected`)}`),
    );
    expect(error.code).toBe('NAVIGATION_REFUSED');
    expect(error.text).toContain(`${trapOrigin}/redirected`);
    expect(hits).toEqual([]);
  });

  it('browser_create whose start_url is refused on a redirect hands out no browser and keeps no handle', async () => {
    const before = ok<{ browsers: Array<{ browser_id: string }> }>(
      await client.callTool({ name: 'browser_list', arguments: {} }),
    );
    const start_url = `${fixture.site.origin}/redirect?to=${encodeURIComponent(`${trapOrigin}/created`)}`;
    const error = toolError(await client.callTool({ name: 'browser_create', arguments: { start_url } }));
    expect(error.code).toBe('NAVIGATION_REFUSED');
    const after = ok<{ browsers: Array<{ browser_id: string }> }>(
      await client.callTool({ name: 'browser_list', arguments: {} }),
    );
    expect(after.browsers.map((b) => b.browser_id)).toEqual(before.browsers.map((b) => b.browser_id));
    expect(hits).toEqual([]);
  });

  it('refuses a link click to a refused address; the browser stays on its page', async () => {
    const outbound = `${fixture.site.origin}/outbound?to=${encodeURIComponent(`${trapOrigin}/clicked`)}`;
    const page = ok<{ snapshot: string }>(await navigate(outbound));
    const error = toolError(
      await client.callTool({
        name: 'browser_click',
        arguments: { browser_id: browserId, ref: refOf(page.snapshot, 'link', 'Visit our partner') },
      }),
    );
    expect(error.code).toBe('NAVIGATION_REFUSED');
    expect(error.text).toContain(`${trapOrigin}/clicked`);
    const after = ok<{ url: string }>(
      await client.callTool({ name: 'browser_snapshot', arguments: { browser_id: browserId } }),
    );
    expect(after.url).toBe(outbound);
    expect(hits).toEqual([]);
  });
});

describe('AllowList', () => {
  const list = new AllowList(['http://127.0.0.1:4173']);
  it('allows exactly the listed origins', () => {
    expect(list.check('http://127.0.0.1:4173/product/TEA-0001')).toMatchObject({ allowed: true });
    expect(list.check('http://127.0.0.1:4174/')).toMatchObject({ allowed: false });
    expect(list.check('https://127.0.0.1:4173/')).toMatchObject({ allowed: false });
    expect(list.check('http://localhost:4173/')).toMatchObject({ allowed: false });
    expect(list.check('not a url')).toMatchObject({ allowed: false, code: 'URL_INVALID' });
  });
});
