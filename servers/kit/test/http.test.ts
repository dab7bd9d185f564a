import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MODERN_META, rawModern } from '../src/testing/index.js';
import { listenRequest, readStream, startHttpFixture, type HttpFixture } from './http-fixture.js';

let fixture: HttpFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const ACKNOWLEDGED = 'notifications/subscriptions/acknowledged';

describe('the HTTP front: one Authorization header, /metrics, connections, listen streams', () => {
  it('a request with two Authorization headers gets 400 and is not served, whichever comes first', async () => {
    fixture = await startHttpFixture();
    const good = await fixture.token('alice');
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: MODERN_META } });
    const post = (authorization: string[]) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(fixture!.running.url, { method: 'POST', agent: false }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.setHeader('content-type', 'application/json');
        req.setHeader('accept', 'application/json, text/event-stream');
        req.setHeader('mcp-protocol-version', '2026-07-28');
        req.setHeader('mcp-method', 'tools/list');
        req.setHeader('authorization', authorization);
        req.end(body);
      });
    expect((await post([`Bearer ${good}`])).status).toBe(200);
    for (const pair of [
      [`Bearer ${good}`, 'Bearer forged.token.here'],
      ['Bearer forged.token.here', `Bearer ${good}`],
    ]) {
      const answer = await post(pair);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({
        error: 'invalid_request',
        error_description: 'the request has more than one Authorization header; send exactly one',
      });
    }
  });

  it('/healthz and /metrics need no token by default; with METRICS_TOKEN, /metrics needs it and /healthz stays open', async () => {
    fixture = await startHttpFixture();
    expect((await fetch(`${fixture.origin}/metrics`)).status).toBe(200);
    await fixture.close();
    const token = 'mT4xQ9vB2nL7cK1zR8pW3sY6dF0hJ5gA';
    fixture = await startHttpFixture({ METRICS_TOKEN: token });
    expect((await fetch(`${fixture.origin}/healthz`)).status).toBe(200);
    const refused = await fetch(`${fixture.origin}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const wrong = await fetch(`${fixture.origin}/metrics`, { headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
    const allowed = await fetch(`${fixture.origin}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('mcp_requests_total');
  });

  it('sockets that send no request are closed after HEADERS_TIMEOUT, so idle connections cannot pile up', async () => {
    fixture = await startHttpFixture({ HEADERS_TIMEOUT: '300ms' });
    const sockets = await Promise.all(Array.from({ length: 20 }, () => openSocket(fixture!.running.port)));
    const answers = await Promise.all(sockets.map(closed));
    expect(answers.every((text) => text === '' || text.startsWith('HTTP/1.1 408'))).toBe(true);
  });

  it('connections beyond MAX_CONNECTIONS are closed on arrival and counted; callers get in once idle ones time out', async () => {
    fixture = await startHttpFixture({ MAX_CONNECTIONS: '4', HEADERS_TIMEOUT: '500ms' });
    let accepted = 0;
    const fourIn = new Promise<void>((resolve) =>
      fixture!.running.server.on('connection', () => ++accepted === 4 && resolve()),
    );
    const idle = await Promise.all(Array.from({ length: 4 }, () => openSocket(fixture!.running.port)));
    await fourIn;
    const fifth = await openSocket(fixture.running.port);
    expect(await closed(fifth)).toBe(''); // closed without a byte
    await Promise.all(idle.map(closed));
    const call = await rawModern(
      fixture.running.url,
      'tools/list',
      {},
      {
        authorization: `Bearer ${await fixture.token('alice')}`,
      },
    );
    expect(call.status).toBe(200);
    const metrics = await (await fetch(`${fixture.origin}/metrics`)).text();
    expect(metrics).toMatch(/mcp_connections_dropped_total\{[^}]*\} [1-9]/);
  });

  it('one principal holds at most LISTEN_MAX_STREAMS listen streams; one more gets 429 naming the limit, others are unaffected', async () => {
    fixture = await startHttpFixture({ LISTEN_MAX_STREAMS: '2' });
    const alice = await fixture.token('alice');
    const bob = await fixture.token('bob');
    const open = async (id: number, token: string) => {
      const response = await fetch(fixture!.running.url, listenRequest(id, token));
      if (response.status === 200) await readStream(response.body!, (text) => text.includes(ACKNOWLEDGED));
      return response;
    };
    const held = [await open(1, alice), await open(2, alice)];
    expect(held.map((response) => response.status)).toEqual([200, 200]);
    const refused = await open(3, alice);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: {
        code: -32000,
        message:
          'Too many open subscriptions/listen streams: you already hold 2 on this server, the most allowed ' +
          '(LISTEN_MAX_STREAMS=2); close one before opening another.',
      },
    });
    const other = await open(4, bob);
    expect(other.status).toBe(200);
    await Promise.all([...held, other].map((response) => response.body?.cancel()));
  });

  it('a listen stream ends after LISTEN_MAX_LIFETIME with an error event that says so', async () => {
    fixture = await startHttpFixture({ LISTEN_MAX_LIFETIME: '300ms' });
    const response = await fetch(fixture.running.url, listenRequest(9, await fixture.token('alice')));
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await readStream(response.body!))
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { method?: string; id?: number; error?: { message: string } });
    expect(events[0]?.method).toBe(ACKNOWLEDGED);
    expect(events.at(-1)).toEqual({
      jsonrpc: '2.0',
      id: 9,
      error: {
        code: -32000,
        message:
          'This subscriptions/listen stream reached its maximum lifetime of 300 ms (LISTEN_MAX_LIFETIME) and was ' +
          'closed; send subscriptions/listen again to keep listening.',
      },
    });
  });
});

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with what the server sent once it has closed the socket. */
function closed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(text));
  });
}
