/**
 * Enforces the allow-list on every request the browser makes, including each hop of a redirect
 * chain and navigations started by clicks: Chromium is pointed at this loopback proxy (with the
 * implicit loopback bypass removed), and the proxy refuses a disallowed target before opening
 * any connection to it. Refusals carry a header the pool watches for, to turn them into tool errors.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AllowList } from './allow-list.js';

export const REFUSED_HEADER = 'x-sessionless-refused';

export interface GuardProxy {
  url: string;
  close(): Promise<void>;
}

export async function startGuardProxy(
  allowList: AllowList,
  onRefused: (url: string, reason: string) => void,
): Promise<GuardProxy> {
  // Open tunnels (a WebSocket may stay open for as long as its page): closed with the proxy.
  const tunnels = new Set<Duplex | Socket>();
  const server: Server = createServer((req, res) => {
    const target = req.url ?? '';
    const verdict = allowList.check(target);
    if (!verdict.allowed) {
      onRefused(target, verdict.reason);
      res.writeHead(403, { 'content-type': 'text/plain', [REFUSED_HEADER]: encodeURIComponent(target) });
      res.end(`Refused by the navigation allow-list: ${verdict.reason}`);
      return;
    }
    const upstream = httpRequest(target, { method: req.method, headers: withoutHopHeaders(req) }, (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  // A tunnel to host:port, for https or for a WebSocket (ws: tunnels too): allowed when either origin
  // at that host and port is on the list, since the tunnel reaches that server and no other. Refused
  // before connecting anywhere.
  server.on('connect', (req: IncomingMessage, socket, head) => {
    // The HTTP server hands a CONNECT's socket over without its own error listener: a browser that
    // resets it (refused or not) must not throw in this process.
    socket.on('error', () => socket.destroy());
    const target = `https://${req.url ?? ''}/`;
    const plain = allowList.check(`http://${req.url ?? ''}/`);
    const verdict = plain.allowed ? plain : allowList.check(target);
    if (!verdict.allowed) {
      onRefused(target, verdict.reason);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port ?? 443), host ?? '', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    tunnels.add(socket).add(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.once('close', () => upstream.destroy());
    upstream.once('close', () => tunnels.delete(upstream));
    socket.once('close', () => tunnels.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const tunnel of tunnels) tunnel.destroy();
      }),
  };
}

function withoutHopHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || /^(proxy-|connection$|keep-alive$)/i.test(name)) continue;
    headers[name] = value;
  }
  return headers;
}
