/**
 * Bounds on `subscriptions/listen` streams, which the SDK's handler serves and would otherwise
 * hold open for as long as the client likes, as many as it likes: at most LISTEN_MAX_STREAMS open
 * per principal on one instance (one more is refused with 429 and a sentence naming the limit),
 * and each is closed after LISTEN_MAX_LIFETIME with a final JSON-RPC error event saying so, so the
 * client knows to listen again rather than wait on a dead stream.
 */
import type { ServerResponse } from 'node:http';
import { formatDuration } from './config.js';

/** A stream's end: after `ms`, the handler's stream is cancelled and `closingFrame` is the last event sent. */
export interface StreamLimit {
  ms: number;
  closingFrame: string;
}

export class ListenStreams {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly maxPerPrincipal: number,
    private readonly maxLifetimeMs: number,
  ) {}

  /** Streams `principal` holds open on this instance now. */
  count(principal: string): number {
    return this.open.get(principal) ?? 0;
  }

  /**
   * Admits one listen request: takes a slot until `res` closes and returns the stream's limit; or,
   * when `principal` already holds the maximum, answers `res` with the refusal and returns undefined.
   */
  admit(principal: string, id: unknown, res: ServerResponse): StreamLimit | undefined {
    const held = this.count(principal);
    if (held >= this.maxPerPrincipal) {
      const message =
        `Too many open subscriptions/listen streams: you already hold ${held} on this server, the most ` +
        `allowed (LISTEN_MAX_STREAMS=${this.maxPerPrincipal}); close one before opening another.`;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: jsonRpcId(id), error: { code: -32000, message } }));
      return undefined;
    }
    this.open.set(principal, held + 1);
    res.once('close', () => {
      const left = this.count(principal) - 1;
      if (left > 0) this.open.set(principal, left);
      else this.open.delete(principal);
    });
    const message =
      `This subscriptions/listen stream reached its maximum lifetime of ${formatDuration(this.maxLifetimeMs)} ` +
      `(LISTEN_MAX_LIFETIME) and was closed; send subscriptions/listen again to keep listening.`;
    const error = { jsonrpc: '2.0', id: jsonRpcId(id), error: { code: -32000, message } };
    return { ms: this.maxLifetimeMs, closingFrame: `event: message\ndata: ${JSON.stringify(error)}\n\n` };
  }
}

function jsonRpcId(id: unknown): string | number | null {
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}
