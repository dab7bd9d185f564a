/**
 * The allow-list proxy in front of Chromium survives what a browser does to its connections: a
 * tunnel it refused, or one it allowed, reset by the browser instead of closed. A socket the
 * proxy holds with no error listener would take the whole browser server down with it.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AllowList } from '../src/domain/allow-list.js';
import { startGuardProxy, type GuardProxy } from '../src/domain/guard-proxy.js';

let upstream: Server;
let allowed: string;
let proxy: GuardProxy;
const uncaught: unknown[] = [];
const record = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  // An upstream that echoes, to tunnel to.
  upstream = createServer((socket) => socket.on('error', () => {}).pipe(socket));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  allowed = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  proxy = await startGuardProxy(new AllowList([`http://${allowed}`]), () => {});
});
afterAll(async () => {
  await proxy.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});
beforeEach(() => {
  uncaught.length = 0;
  process.on('uncaughtException', record);
});
afterEach(() => void process.off('uncaughtException', record));

/** Sends CONNECT for `target` and resolves with the socket once the proxy's status line arrived. */
function tunnel(target: string): Promise<{ socket: Socket; status: string }> {
  const { port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(`CONNECT ${target} HTTP/1.1\r\n\r\n`));
    socket.once('error', reject);
    socket.once('data', (chunk) => resolve({ socket, status: chunk.toString().split('\r\n')[0]! }));
  });
}

/** The proxy still answers: a new tunnel to the allowed upstream echoes. */
async function stillServes(): Promise<void> {
  const { socket, status } = await tunnel(allowed);
  expect(status).toBe('HTTP/1.1 200 Connection Established');
  const echoed = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(chunk.toString())));
  socket.write('ping');
  expect(await echoed).toBe('ping');
  socket.destroy();
}

describe('the guard proxy', () => {
  it('a refused tunnel reset by the browser does not throw in the server', async () => {
    const { socket, status } = await tunnel('refused.example:443');
    expect(status).toBe('HTTP/1.1 403 Forbidden');
    socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(uncaught).toEqual([]);
    await stillServes();
  });

  it('an allowed tunnel reset by the browser does not throw in the server', async () => {
    const { socket, status } = await tunnel(allowed);
    expect(status).toBe('HTTP/1.1 200 Connection Established');
    socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(uncaught).toEqual([]);
    await stillServes();
  });
});
