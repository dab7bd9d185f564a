/**
 * Smoke check: start the demo storefront and a browser server, call every browser tool once,
 * assert the answers, exit non-zero on the first mismatch.
 *
 *   npm run smoke -w @sessionless/server-browser
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { connectModern, startServerProcess, tempDir } from '@sessionless/kit/testing';
import { startDemoSite } from '@sessionless/scenarios/site';

const site = await startDemoSite();
const data = tempDir('browser-smoke-');
const server = await startServerProcess({
  entry: fileURLToPath(new URL('../src/main.ts', import.meta.url)),
  env: { DATA_DIR: data.path, BROWSER_ALLOWED_ORIGINS: site.origin },
});
const client = await connectModern(server.url, { name: 'browser-smoke' });

type Structured = Record<string, unknown>;
async function call(
  name: string,
  args: Structured,
): Promise<{ structured: Structured; content: Array<{ type: string }> }> {
  const result = await client.callTool({ name, arguments: args });
  assert.ok(!result.isError, `${name} failed: ${JSON.stringify(result.content)}`);
  return { structured: result.structuredContent as Structured, content: result.content as Array<{ type: string }> };
}
const ref = (snapshot: unknown, role: string, name: string) =>
  /\[ref=([a-z0-9]+)\]/.exec(
    String(snapshot)
      .split('\n')
      .find((line) => line.includes(`- ${role} "${name}"`)) ?? '',
  )?.[1] ?? '';

try {
  assert.equal((await client.listTools()).tools.length, 10, 'the browser server lists 10 tools');
  const id = String((await call('browser_create', {})).structured.browser_id);
  await call('browser_navigate', { browser_id: id, url: `${site.origin}/` });
  const home = (await call('browser_snapshot', { browser_id: id })).structured.snapshot;
  const products = await call('browser_click', { browser_id: id, ref: ref(home, 'link', 'All products') });
  assert.match(String(products.structured.url), /\/products$/);
  await call('browser_fill', {
    browser_id: id,
    ref: ref(products.structured.snapshot, 'searchbox', 'Search products'),
    text: 'tea',
  });
  assert.match(
    String((await call('browser_press', { browser_id: id, key: 'Enter' })).structured.url),
    /\/search\?q=tea$/,
  );
  assert.ok((await call('browser_screenshot', { browser_id: id })).content.some((c) => c.type === 'image'));
  assert.match(String((await call('browser_back', { browser_id: id })).structured.url), /\/products$/);
  assert.ok(
    ((await call('browser_list', {})).structured.browsers as Array<{ browser_id: string }>).some(
      (b) => b.browser_id === id,
    ),
  );
  assert.equal((await call('browser_destroy', { browser_id: id })).structured.destroyed, true);
  console.log(`browser smoke: all 10 tools answered as expected at ${server.url}`);
} finally {
  await client.close();
  await server.stop();
  await site.close();
  data.remove();
}
