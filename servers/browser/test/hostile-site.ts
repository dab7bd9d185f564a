/**
 * A loopback site of hostile pages, put on the allow-list by the tests that use it: a page of
 * many links, one that opens a popup, one with several fields, one that moves itself away when
 * the test says so, one that gathers WebRTC candidates through a STUN server, and one that opens
 * a WebSocket to its own origin (answered here by hand: the handshake and one text frame).
 */
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface HostileSite {
  origin: string;
  /** Lets the /wander page move itself to its `to` address. */
  releaseWander(): void;
  /** How many WebSocket handshakes reached the site. */
  webSockets: number;
  close(): Promise<void>;
}

const html = (res: ServerResponse, body: string) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><title>hostile</title></head><body>${body}</body></html>`);
};

export async function startHostileSite(): Promise<HostileSite> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let wanders = 0;
  const sockets = new Set<Duplex>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/links': {
        const n = Number(url.searchParams.get('n') ?? '1000');
        return html(res, Array.from({ length: n }, (_, i) => `<a href="/x/${i}">Item ${i}</a>`).join('<br>'));
      }
      case '/popup':
        return html(res, `<button onclick="window.open('/links?n=3', '_blank')">Open popup</button>`);
      case '/fields':
        return html(
          res,
          ['First', 'Second', 'Third'].map((name) => `<label>${name} <input name="${name}"></label>`).join('<br>'),
        );
      case '/wander': {
        // The page moves itself once, when /go answers: long after the call that opened it returned.
        const to = JSON.stringify(url.searchParams.get('to'));
        return html(
          res,
          `<h1>Wanderer</h1><script>fetch('/go').then((r) => { if (r.status === 200) location.href = ${to}; });</script>`,
        );
      }
      case '/go':
        if (wanders++ > 0) return void res.writeHead(204).end();
        return void released.then(() => res.writeHead(200).end('go'));
      case '/webrtc': {
        const stun = JSON.stringify(`stun:127.0.0.1:${url.searchParams.get('port')}`);
        return html(
          res,
          `<p id="state">idle</p><button onclick="gather()">Gather</button><script>
          function gather() {
            const pc = new RTCPeerConnection({ iceServers: [{ urls: ${stun} }] });
            pc.createDataChannel('x');
            pc.onicegatheringstatechange = () => {
              if (pc.iceGatheringState === 'complete') document.getElementById('state').textContent = 'gathering complete';
            };
            pc.createOffer().then((offer) => pc.setLocalDescription(offer));
          }</script>`,
        );
      }
      case '/socket':
        return html(
          res,
          `<p id="state">connecting</p><script>
          const ws = new WebSocket('ws://' + location.host + '/ws');
          ws.onmessage = (event) => { document.getElementById('state').textContent = 'socket says ' + event.data; };
          ws.onerror = () => { document.getElementById('state').textContent = 'socket failed'; };
          </script>`,
        );
      default:
        return html(res, '<p>nothing here</p>');
    }
  });
  const site: HostileSite = {
    origin: '',
    releaseWander: () => release(),
    webSockets: 0,
    close: () =>
      new Promise<void>((resolve) => {
        release();
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('upgrade', (req, socket) => {
    site.webSockets++;
    sockets.add(socket);
    const accept = createHash('sha1')
      .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const text = Buffer.from('hello');
    socket.write(Buffer.concat([Buffer.from([0x81, text.length]), text]));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return site;
}
