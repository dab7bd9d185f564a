/**
 * What the load generator puts on the wire, without an MCP SDK in the way: one keep-alive
 * `node:http` POST per call (the SDK clients cost more CPU than the servers under test on a
 * 2-core machine), modern 2026-07-28 tools/call requests with their `Mcp-Param-*` handle header,
 * the 2025-11-25 session handshake for the session-scoped baseline, and one classification of
 * every outcome: success, a tool error by code, or a failure kind a retry may fix.
 */
import { Agent, request } from 'node:http';

export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';
const ERROR_META_KEY = 'dev.sessionless/error';

const agent = new Agent({ keepAlive: true, maxSockets: 512, keepAliveMsecs: 10_000 });

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The instance is gone or overloaded: another instance may well answer the same call. */
export const TRANSPORT_FAILURES = [
  'connection refused',
  'connection reset',
  'timeout',
  'HTTP 502',
  'HTTP 503',
  'HTTP 504',
];

export class TransportError extends Error {
  constructor(readonly kind: string) {
    super(kind);
  }
}

export function post(url: string, headers: Record<string, string>, body: string, timeoutMs = 15_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
    });
    req.setTimeout(timeoutMs, () => req.destroy(new TransportError('timeout')));
    req.once('error', (error: NodeJS.ErrnoException) =>
      reject(error instanceof TransportError ? error : transport(error)),
    );
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', (error) => reject(transport(error)));
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.end(body);
  });
}

function transport(error: NodeJS.ErrnoException): TransportError {
  if (error.code === 'ECONNREFUSED') return new TransportError('connection refused');
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || error.message === 'socket hang up') {
    return new TransportError('connection reset');
  }
  return new TransportError(error.code ?? error.message);
}

export type Outcome =
  | { ok: true; structured: Record<string, unknown> }
  /**
   * `kind` names the failure for the report: "tool error CART_NOT_FOUND", "HTTP 502", ... A store
   * refusal (STORE_UNAVAILABLE, STORE_BUSY) is retryable and says whether the call took effect.
   */
  | { ok: false; kind: string; retryable: boolean; detail: string; applied?: false | 'unknown' };

let nextId = 1;

/** A 2026-07-28 tools/call: no handshake; the handle also travels as a header a gateway can route on. */
export function modernCall(
  tool: string,
  args: Record<string, unknown>,
  options: { token?: string; handleHeader?: [string, string] },
): { headers: Record<string, string>; body: string } {
  return modernRequest('tools/call', { name: tool, arguments: args }, { ...options, name: tool });
}

/** Any 2026-07-28 request: the protocol headers (`Mcp-Name` for a call), the `_meta` envelope, a fresh id. */
export function modernRequest(
  method: string,
  params: Record<string, unknown>,
  options: { token?: string; name?: string; handleHeader?: [string, string] },
): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    'MCP-Protocol-Version': MODERN,
    'Mcp-Method': method,
  };
  if (options.name) headers['Mcp-Name'] = options.name;
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.handleHeader) headers[options.handleHeader[0]] = options.handleHeader[1];
  const meta = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };
  const body = JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: meta } });
  return { headers, body };
}

/** A 2025-11-25 request inside a session (or, for `initialize`, the one that opens it). */
export function legacyRequest(method: string, params: unknown, sessionId?: string, notification = false) {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    'MCP-Protocol-Version': LEGACY,
  };
  if (sessionId) headers['Mcp-Session-Id'] = sessionId;
  const message = notification ? { jsonrpc: '2.0', method, params } : { jsonrpc: '2.0', id: nextId++, method, params };
  return { headers, body: JSON.stringify(message) };
}

/** What a tool error carries besides its message: its code, and for a store refusal whether to retry. */
interface ErrorMeta {
  code?: string;
  retryable?: boolean;
  applied?: unknown;
}

/** Sorts a reply into success, a tool error (by code) or a failure by HTTP status / JSON-RPC error. */
export function classify(reply: Reply): Outcome {
  if (reply.status !== 200) {
    const kind = /session not found/i.test(reply.body) ? 'session not found' : `HTTP ${reply.status}`;
    return { ok: false, kind, retryable: TRANSPORT_FAILURES.includes(kind), detail: reply.body.slice(0, 300) };
  }
  let message: { result?: Record<string, unknown>; error?: { code: number; message: string } };
  try {
    message = JSON.parse(sseData(reply)) as typeof message;
  } catch {
    return { ok: false, kind: 'unreadable reply', retryable: false, detail: reply.body.slice(0, 300) };
  }
  if (message.error) {
    const kind = /session not found/i.test(message.error.message)
      ? 'session not found'
      : `JSON-RPC ${message.error.code}`;
    return { ok: false, kind, retryable: false, detail: message.error.message };
  }
  const result = message.result ?? {};
  if (result.isError === true) {
    const meta = (result._meta as Record<string, ErrorMeta> | undefined)?.[ERROR_META_KEY];
    const text = (result.content as Array<{ text?: string }> | undefined)?.[0]?.text ?? '';
    const kind = `tool error ${meta?.code ?? 'INPUT_VALIDATION'}`;
    if (meta?.retryable === true && (meta.applied === false || meta.applied === 'unknown')) {
      const applied = meta.applied;
      return { ok: false, kind: applied ? `${kind} (applied unknown)` : kind, retryable: true, detail: text, applied };
    }
    return { ok: false, kind, retryable: false, detail: text };
  }
  return { ok: true, structured: (result.structuredContent as Record<string, unknown> | undefined) ?? {} };
}

/** A JSON reply as is; an SSE reply (a server that streams) by its last `data:` line. */
function sseData(reply: Reply): string {
  const type = String(reply.headers['content-type'] ?? '');
  if (!type.includes('text/event-stream')) return reply.body;
  const data = reply.body.split('\n').filter((line) => line.startsWith('data:'));
  return data.at(-1)?.slice(5).trim() ?? '';
}
