/**
 * The bounds that keep the baseline from leaking memory, on an in-process server with a clock
 * the test controls: the session cap (503 beyond it) and the idle timeout (404 after it).
 */
import type { AddressInfo } from 'node:net';
import { raw } from '@sessionless/kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionCartServer, type SessionLimits } from '../src/server.js';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'limits-test', version: '0' } },
};
const CART_GET = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'cart_get', arguments: {} } };

let stop: () => Promise<void> = async () => {};
afterEach(() => stop());

async function listen(limits: Partial<SessionLimits>): Promise<string> {
  const server = createSessionCartServer(limits);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stop = () => new Promise((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

async function initialize(url: string) {
  const response = await raw(url, { method: 'POST', headers: HEADERS, body: JSON.stringify(INITIALIZE) });
  return { status: response.status, sessionId: response.headers.get('mcp-session-id'), body: response.json() };
}

const cartGet = (url: string, sessionId: string) =>
  raw(url, {
    method: 'POST',
    headers: { ...HEADERS, 'mcp-protocol-version': '2025-11-25', 'mcp-session-id': sessionId },
    body: JSON.stringify(CART_GET),
  });

describe('session limits', () => {
  it('an initialize beyond the session cap gets 503 with a clear error', async () => {
    const url = await listen({ maxSessions: 2 });
    expect((await initialize(url)).status).toBe(200);
    expect((await initialize(url)).status).toBe(200);
    const third = await initialize(url);
    expect(third.status).toBe(503);
    expect(third.sessionId).toBeNull();
    expect(third.body.error?.message).toContain('Too many sessions');
  });

  it('a session idle longer than the timeout is dropped with its cart', async () => {
    let clock = 0;
    const url = await listen({ idleTimeoutMs: 60_000, now: () => clock });
    const { sessionId } = await initialize(url);
    clock += 59_000;
    expect((await cartGet(url, sessionId!)).status).toBe(200);
    clock += 60_001;
    const expired = await cartGet(url, sessionId!);
    expect(expired.status).toBe(404);
    expect(expired.json().error?.message).toContain('Session not found');
  });

  it('a failed initialize leaves no session behind, so it does not count against the cap', async () => {
    const url = await listen({ maxSessions: 1 });
    const notInitialize = await raw(url, { method: 'POST', headers: HEADERS, body: JSON.stringify(CART_GET) });
    expect(notInitialize.status).toBe(400);
    expect((await initialize(url)).status).toBe(200);
  });
});
