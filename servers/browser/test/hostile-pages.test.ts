/**
 * Pages that attack the instance serving them, with a real Chromium: a huge page, a popup, a
 * form filled again and again, a page that moves itself to a refused address between calls,
 * WebRTC aimed at a UDP listener, and a WebSocket to the page's own origin (which must work).
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModernClient } from '@sessionless/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserInProcess, ok, refOf, toolError, type InProcessBrowsers, type ToolResult } from './helpers.js';
import { startHostileSite, type HostileSite } from './hostile-site.js';

const PAGE_CHARS = 20_000;
const MAX_CHARS = 60_000;
const WAIT = { timeout: 20_000, interval: 100 };

let fixture: InProcessBrowsers;
let hostile: HostileSite;
let client: ModernClient;
let trap: Server;
let trapOrigin: string;
const trapHits: string[] = [];

interface Page {
  browser_id: string;
  url: string;
  snapshot: string;
  snapshot_page: number;
  snapshot_pages: number;
}

beforeAll(async () => {
  trap = createServer((req, res) => {
    trapHits.push(req.url ?? '');
    res.end('trap');
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  trapOrigin = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  hostile = await startHostileSite();
  fixture = await browserInProcess(
    {
      BROWSER_SNAPSHOT_PAGE_CHARS: String(PAGE_CHARS),
      BROWSER_SNAPSHOT_MAX_CHARS: String(MAX_CHARS),
      BROWSER_MAX_FIELDS: '2',
      BROWSER_QUOTA: '20',
    },
    [hostile.origin],
  );
  client = await fixture.connectModern();
  await client.listTools();
}, 60_000);
afterAll(async () => {
  await client?.close();
  await fixture?.close();
  await hostile?.close();
  trap?.close();
});

const call = async (name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as ToolResult;

async function browserAt(path: string): Promise<string> {
  const start_url = `${hostile.origin}${path}`;
  return ok<{ browser_id: string }>(await call('browser_create', { start_url })).browser_id;
}

describe('browser_snapshot of a page of 3,000 links', () => {
  it('is cut at BROWSER_SNAPSHOT_MAX_CHARS with a marker, shown in pages with a marker each, and saved cut', async () => {
    const browser_id = await browserAt('/links?n=3000');
    const first = ok<Page>(await call('browser_snapshot', { browser_id }));
    expect(first.snapshot_pages).toBeGreaterThan(1);
    expect(first.snapshot.length).toBeLessThanOrEqual(PAGE_CHARS + 200);
    expect(first.snapshot).toMatch(/snapshot page 1 of \d+; call browser_snapshot with page 2 for the next part/);
    const last = ok<Page>(await call('browser_snapshot', { browser_id, page: first.snapshot_pages }));
    expect(last.snapshot).toMatch(/snapshot cut at \d+ of \d+ characters \(BROWSER_SNAPSHOT_MAX_CHARS\)/);
    expect(last.snapshot).not.toContain('Item 2999');
    // A ref shown on a later page works like any other.
    const second = ok<Page>(await call('browser_snapshot', { browser_id, page: 2 }));
    const item = /link "(Item \d+)"/.exec(second.snapshot)![1]!;
    const clicked = ok<Page>(await call('browser_click', { browser_id, ref: refOf(second.snapshot, 'link', item) }));
    expect(clicked.url).toBe(`${hostile.origin}/x/${item.slice(5)}`);

    const error = toolError(await call('browser_snapshot', { browser_id, page: 999 }));
    expect(error.code).toBe('SNAPSHOT_PAGE_INVALID');
    expect(error.text).toMatch(/there is no page 999; ask for a page from 1 to 1/);
  });

  it('the saved snapshot is no bigger than BROWSER_SNAPSHOT_MAX_CHARS and its marker', async () => {
    const browser_id = await browserAt('/links?n=3000');
    ok(await call('browser_snapshot', { browser_id }));
    const record = await fixture.deps.store.get(browser_id);
    expect(record!.snapshot!.length).toBeLessThanOrEqual(MAX_CHARS + 300);
  });
});

describe('browser_click on a button that opens a popup', () => {
  it('leaves one page: the popup is closed', async () => {
    const browser_id = await browserAt('/popup');
    const page = ok<Page>(await call('browser_snapshot', { browser_id }));
    ok(await call('browser_click', { browser_id, ref: refOf(page.snapshot, 'button', 'Open popup') }));
    const context = fixture.deps.pool.liveContext(browser_id)!;
    await expect.poll(() => context.pages().length, WAIT).toBe(1);
    expect(context.pages()[0]!.url()).toBe(`${hostile.origin}/popup`);
  });
});

describe('browser_fill', () => {
  it('keeps only the current text of each field, and a rebuilt page has it', async () => {
    const browser_id = await browserAt('/fields');
    const page = ok<Page>(await call('browser_snapshot', { browser_id }));
    const first = refOf(page.snapshot, 'textbox', 'First');
    for (let i = 1; i <= 20; i++) ok(await call('browser_fill', { browser_id, ref: first, text: `draft ${i}` }));
    const record = await fixture.deps.store.get(browser_id);
    expect(record!.fills.map((fill) => fill.text)).toEqual(['draft 20']);
    await fixture.deps.pool.close(browser_id);
    const rebuilt = ok<Page>(await call('browser_snapshot', { browser_id }));
    expect(rebuilt.snapshot).toMatch(/textbox "First"[^\n]*: draft 20/);
  });

  it('on a button is a tool error saying which elements take text (found by the adversarial suite)', async () => {
    const browser_id = await browserAt('/popup');
    const page = ok<Page>(await call('browser_snapshot', { browser_id }));
    const error = toolError(
      await call('browser_fill', { browser_id, ref: refOf(page.snapshot, 'button', 'Open popup'), text: 'x' }),
    );
    expect(error.code).toBe('NOT_FILLABLE');
    expect(error.text).toMatch(/takes no text, so nothing was typed; fill a textbox/);
  });

  it('refuses a new field past BROWSER_MAX_FIELDS, saying what to do, and still fills the ones already filled', async () => {
    const browser_id = await browserAt('/fields');
    const page = ok<Page>(await call('browser_snapshot', { browser_id }));
    ok(await call('browser_fill', { browser_id, ref: refOf(page.snapshot, 'textbox', 'First'), text: 'a' }));
    ok(await call('browser_fill', { browser_id, ref: refOf(page.snapshot, 'textbox', 'Second'), text: 'b' }));
    const error = toolError(
      await call('browser_fill', { browser_id, ref: refOf(page.snapshot, 'textbox', 'Third'), text: 'c' }),
    );
    expect(error.code).toBe('TOO_MANY_FIELDS');
    expect(error.text).toMatch(/already has text typed into 2 fields.*BROWSER_MAX_FIELDS.*submit the form or navigate/);
    ok(await call('browser_fill', { browser_id, ref: refOf(page.snapshot, 'textbox', 'First'), text: 'again' }));
  });
});

describe('a page that moves itself to a refused address after the call returned', () => {
  it('is never saved there: the next call says what happened, and the browser stays on its last allowed page', async () => {
    const wander = `${hostile.origin}/wander?to=${encodeURIComponent(`${trapOrigin}/stolen`)}`;
    const browser_id = ok<{ browser_id: string }>(await call('browser_create', { start_url: wander })).browser_id;
    const page = fixture.deps.pool.liveContext(browser_id)!.pages()[0]!;
    hostile.releaseWander();
    await expect.poll(() => page.url(), WAIT).toContain(trapOrigin);

    const error = toolError(await call('browser_snapshot', { browser_id }));
    expect(error.code).toBe('NAVIGATION_REFUSED');
    expect(error.text).toMatch(/moved itself to .*\/stolen, which is refused.*back at its last saved page/);
    expect((await fixture.deps.store.get(browser_id))!.url).toBe(wander);
    const after = ok<Page>(await call('browser_snapshot', { browser_id }));
    expect(after.url).toBe(wander);
    expect(trapHits).toEqual([]);
  });
});

describe('WebRTC on an allowed page', () => {
  let udp: Socket;
  let packets = 0;
  beforeAll(async () => {
    udp = createSocket('udp4');
    udp.on('message', () => packets++);
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  });
  afterAll(() => udp.close());

  it('sends no UDP packet to the STUN server it names: Chromium sends no UDP but through the proxy', async () => {
    const browser_id = await browserAt(`/webrtc?port=${udp.address().port}`);
    const page = ok<Page>(await call('browser_snapshot', { browser_id }));
    ok(await call('browser_click', { browser_id, ref: refOf(page.snapshot, 'button', 'Gather') }));
    // Either a packet arrives (the flaw) or gathering ends without sending one.
    const outcome = async () => {
      if (packets > 0) return `${packets} UDP packets reached the STUN address`;
      const { snapshot } = ok<Page>(await call('browser_snapshot', { browser_id }));
      return snapshot.includes('gathering complete') ? 'gathered, no UDP sent' : 'gathering';
    };
    await expect.poll(outcome, WAIT).not.toBe('gathering');
    expect(await outcome()).toBe('gathered, no UDP sent');
  });
});

describe('a WebSocket to the page’s own http origin', () => {
  it('connects through the allow-list proxy', async () => {
    const browser_id = await browserAt('/socket');
    await expect
      .poll(async () => ok<Page>(await call('browser_snapshot', { browser_id })).snapshot, WAIT)
      .toContain('socket says hello');
    expect(hostile.webSockets).toBe(1);
  });
});
