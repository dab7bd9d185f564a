#!/usr/bin/env node
/**
 * Runs the session-scoped baseline cart on http://127.0.0.1:3111/mcp. The only file that reads
 * the environment or opens a port. When listening it writes one JSON line to stderr with the URL
 * (the harness waits for it); SIGTERM and SIGINT close the server and exit 0.
 */
import type { AddressInfo } from 'node:net';
import { createSessionCartServer } from './server.js';

const host = process.env.HOST || '127.0.0.1';
const port = parsePort(process.env.PORT || '3111');

const server = createSessionCartServer();
server.once('error', (error) => fail(`cannot listen on ${host}:${port}: ${error.message}`));
server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/mcp`;
  process.stderr.write(`${JSON.stringify({ name: 'session-cart', pid: process.pid, url, msg: 'listening' })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // Clients keep connections (and SSE streams) open; a baseline has nothing to drain.
    server.closeAllConnections();
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    fail(`PORT must be an integer from 0 to 65535 (0 picks a free port), got "${value}"`);
  }
  return port;
}

function fail(message: string): never {
  process.stderr.write(`session-cart: ${message}\n`);
  process.exit(1);
}
