/**
 * The Node-to-Fetch bridge: the SDK's `createMcpHandler` answers web-standard `Request`s, and
 * `node:http` hands us an `IncomingMessage`. The SDK's own Node adapter would turn the body we
 * have already read and parsed (to enforce the size limit) back into a stream, about a quarter of
 * its per-request cost; given `parsedBody`, the handler only needs the headers. So the `Request`
 * here carries headers only, and the `Response` is streamed back with back-pressure, stopping
 * when the client leaves (which also cancels the request in the handler).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo, McpHttpHandler } from '@modelcontextprotocol/server';
import type { StreamLimit } from './listen-streams.js';

/**
 * Answers one parsed request with `handler` and streams its answer; resolves to the bytes sent.
 * With a `limit`, a stream still open after `limit.ms` is cancelled and ends with `limit.closingFrame`.
 */
export async function answerWithHandler(
  handler: McpHttpHandler,
  req: IncomingMessage,
  res: ServerResponse,
  parsedBody: unknown,
  authInfo: AuthInfo,
  limit?: StreamLimit,
): Promise<number> {
  let finished = false;
  const abort = new AbortController();
  // A client that goes away cancels its request (and closes its SSE stream).
  res.on('close', () => {
    if (!finished) abort.abort();
  });
  let expired = false;
  const timer = limit
    ? setTimeout(() => {
        expired = true;
        abort.abort();
      }, limit.ms)
    : undefined;
  const response = await handler.fetch(toWebRequest(req, abort.signal), { authInfo, parsedBody });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  let bytes = 0;
  if (response.body) {
    const closed = new Promise<void>((resolve) =>
      abort.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    try {
      for await (const chunk of response.body) {
        if (abort.signal.aborted) break;
        bytes += chunk.byteLength;
        if (!res.write(chunk)) await Promise.race([new Promise<void>((resolve) => res.once('drain', resolve)), closed]);
      }
    } catch {
      // The stream ended early because the client left; nothing more to send.
    }
  }
  clearTimeout(timer);
  finished = true;
  if (expired && limit && !res.destroyed) {
    bytes += Buffer.byteLength(limit.closingFrame);
    res.write(limit.closingFrame);
  }
  res.end();
  return bytes;
}

/** A bodiless web `Request` with the Node request's method, URL and headers. */
function toWebRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'content-length' || name === 'transfer-encoding') continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/mcp'}`, {
    method: 'POST',
    headers,
    signal,
  });
}
