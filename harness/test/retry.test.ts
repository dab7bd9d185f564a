/**
 * The retry rules of the load generator, first as a pure verdict, then through the real caller
 * against a real HTTP server that answers like a server whose store restarts: a store refusal with
 * `applied: false` is always sent again; with `applied: "unknown"` only when the call is safe to
 * repeat; a gone instance is left out and the call tried elsewhere; other errors are final.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Caller, Recorder } from '../src/scale/engine/calls.js';
import { MAX_INSTANCE_ATTEMPTS, retryVerdict } from '../src/scale/engine/retry.js';
import { Router } from '../src/scale/engine/router.js';
import { classify, modernCall, type Outcome } from '../src/scale/engine/wire.js';

const refusal = (code: string, applied: false | 'unknown') => ({
  jsonrpc: '2.0',
  id: 1,
  result: {
    isError: true,
    content: [{ type: 'text', text: `The store is unavailable: ${code}` }],
    _meta: { 'dev.sessionless/error': { code, retryable: true, applied } },
  },
});
const success = { jsonrpc: '2.0', id: 1, result: { content: [], structuredContent: { ok: true } } };
const reply = (body: unknown) => ({ status: 200, headers: {}, body: JSON.stringify(body) });

describe('retry verdicts', () => {
  const unavailable = classify(reply(refusal('STORE_UNAVAILABLE', false)));
  const unknown = classify(reply(refusal('STORE_UNAVAILABLE', 'unknown')));
  const busy = classify(reply(refusal('STORE_BUSY', false)));

  it('reads a store refusal as retryable, naming whether it took effect', () => {
    expect(unavailable).toMatchObject({ ok: false, kind: 'tool error STORE_UNAVAILABLE', applied: false });
    expect(unknown).toMatchObject({ kind: 'tool error STORE_UNAVAILABLE (applied unknown)', applied: 'unknown' });
    expect(busy).toMatchObject({ kind: 'tool error STORE_BUSY', retryable: true, applied: false });
  });

  it('retries applied: false always, applied: "unknown" only when safe, after a wait, on any instance', () => {
    for (const outcome of [unavailable, busy]) {
      expect(retryVerdict(outcome, false, 1, 0)).toMatchObject({ repeatable: true, blameInstance: false });
      expect(retryVerdict(outcome, false, 1, 0).retryInMs).toBeGreaterThan(0);
    }
    expect(retryVerdict(unknown, true, 1, 0)).toMatchObject({ failedAttempt: true, repeatable: true });
    expect(retryVerdict(unknown, false, 1, 0)).toEqual({
      failedAttempt: true,
      repeatable: false,
      retryInMs: null,
      blameInstance: false,
    });
  });

  it('gives up on a store that stays down past the budget', () => {
    expect(retryVerdict(unavailable, true, 9, 19_950).retryInMs).toBeNull();
  });

  it('sends a call to another instance at once when its instance is gone, at most a few times', () => {
    const refused: Outcome = { ok: false, kind: 'connection refused', retryable: true, detail: '' };
    const reset: Outcome = { ok: false, kind: 'connection reset', retryable: true, detail: '' };
    expect(retryVerdict(refused, false, 1, 0)).toMatchObject({ retryInMs: 0, blameInstance: true });
    expect(retryVerdict(reset, false, 1, 0)).toMatchObject({ repeatable: false, retryInMs: null });
    expect(retryVerdict(reset, true, MAX_INSTANCE_ATTEMPTS, 0).retryInMs).toBeNull();
  });

  it('takes any other error as the answer', () => {
    const notFound = classify(
      reply({ ...refusal('CART_NOT_FOUND', false), result: { isError: true, content: [], _meta: {} } }),
    );
    expect(retryVerdict(notFound, true, 1, 0)).toMatchObject({ failedAttempt: false, retryInMs: null });
  });
});

describe('the caller against a server whose store is down for a moment', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A server answering each request with the next body of `script` (the last one from then on). */
  async function scripted(script: unknown[]): Promise<{ url: string; requests: () => number }> {
    let n = 0;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const body = script[Math.min(n++, script.length - 1)];
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/mcp`, requests: () => n };
  }

  async function call(url: string, retryable: boolean) {
    const recorder = new Recorder();
    recorder.recording = true;
    const router = new Router([{ url, origin: new URL(url).origin, instance: 0 }], 'round-robin');
    const caller = new Caller({ cart: { router } }, recorder);
    const outcome = await caller.call('cart', 'cart_add_item', () => modernCall('cart_add_item', {}, {}), {
      key: '',
      retryable,
    });
    return { outcome, recorder };
  }

  it('a call refused with applied: false is sent again until it succeeds, and counted', async () => {
    const down = refusal('STORE_UNAVAILABLE', false);
    const { url, requests } = await scripted([down, down, success]);
    const { outcome, recorder } = await call(url, false);
    expect(outcome.ok).toBe(true);
    expect(requests()).toBe(3);
    expect(recorder.failedAttempts).toEqual({ 'tool error STORE_UNAVAILABLE': 2 });
    expect([recorder.retried, recorder.retriedOk, recorder.notRetried]).toEqual([1, 1, 0]);
    expect(recorder.errors).toEqual({});
  });

  it('a call that is not safe to repeat is not sent again after applied: "unknown"', async () => {
    const { url, requests } = await scripted([refusal('STORE_UNAVAILABLE', 'unknown'), success]);
    const { outcome, recorder } = await call(url, false);
    expect(outcome.ok).toBe(false);
    expect(requests()).toBe(1);
    expect(recorder.notRetried).toBe(1);
    expect(recorder.errors).toEqual({ 'tool error STORE_UNAVAILABLE (applied unknown)': 1 });
  });

  it('a call that is safe to repeat is sent again after applied: "unknown"', async () => {
    const { url, requests } = await scripted([refusal('STORE_UNAVAILABLE', 'unknown'), success]);
    const { outcome, recorder } = await call(url, true);
    expect(outcome.ok).toBe(true);
    expect(requests()).toBe(2);
    expect([recorder.retried, recorder.retriedOk, recorder.notRetried]).toEqual([1, 1, 0]);
  });
});
