/**
 * Bad input to the browser tools gets a clear error, and the browser handle stays usable.
 */
import type { ModernClient } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, refOf, browserInProcess, toolError, type InProcessBrowsers } from './helpers.js';

let fixture: InProcessBrowsers;
let client: ModernClient;
let browserId: string;
beforeAll(async () => {
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
});

const call = (name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: { browser_id: browserId, ...args } });

describe('bad input', () => {
  it('a click before any snapshot asks for a snapshot', async () => {
    const fresh = ok<{ browser_id: string }>(
      await client.callTool({ name: 'browser_create', arguments: {} }),
    ).browser_id;
    const error = toolError(
      await client.callTool({ name: 'browser_click', arguments: { browser_id: fresh, ref: 'e1' } }),
    );
    expect(error).toMatchObject({ code: 'NO_SNAPSHOT' });
  });

  it('a ref that is not in the page names the ref and browser_snapshot', async () => {
    ok(await call('browser_snapshot', {}));
    const error = toolError(await call('browser_click', { ref: 'e999' }));
    expect(error.code).toBe('REF_NOT_FOUND');
    expect(error.text).toMatch(/Ref "e999" is not in the last snapshot.*browser_snapshot/);
  });

  it('a malformed URL says it is not an absolute URL', async () => {
    const error = toolError(await call('browser_navigate', { url: 'not a url at all' }));
    expect(error).toMatchObject({ code: 'URL_INVALID' });
    expect(error.text).toMatch(/is not an absolute URL/);
  });

  it('over-long text is refused by the schema', async () => {
    const { snapshot } = ok<{ snapshot: string }>(await call('browser_snapshot', {}));
    const error = toolError(
      await call('browser_fill', { ref: refOf(snapshot, 'searchbox', 'Search products'), text: 'x'.repeat(10_001) }),
    );
    expect(error.text).toMatch(/Input validation error.*text/);
  });

  it('an unknown key name says so and lists valid ones', async () => {
    const error = toolError(await call('browser_press', { key: 'Hyperdrive' }));
    expect(error.code).toBe('KEY_UNKNOWN');
    expect(error.text).toMatch(/Unknown key.*Enter, Tab, Escape/);
  });

  it('after all of that the browser still works', async () => {
    const { snapshot } = ok<{ snapshot: string }>(await call('browser_snapshot', {}));
    ok(await call('browser_fill', { ref: refOf(snapshot, 'searchbox', 'Search products'), text: 'knife' }));
    const results = ok<{ url: string; snapshot: string }>(await call('browser_press', { key: 'Enter' }));
    expect(results.url).toMatch(/\/search\?q=knife$/);
    expect(results.snapshot).toMatch(/Chef Knife/);
  });
});
