/**
 * Serving MCP over HTTP with no sessions: one POST endpoint at `/mcp` answered by the SDK's
 * `createMcpHandler` (a fresh McpServer per request, 2026-07-28 and stateless 2025-11-25),
 * behind the checks the handler leaves to us: Host/Origin (DNS rebinding), bearer auth on every
 * request, and a body-size limit on our own body parsing (passing `parsedBody` skips the SDK's
 * copy of the stream, about a quarter of its per-request cost). Also `/healthz` and `/metrics`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMcpHandler,
  type AuthInfo,
  type McpHttpHandler,
  type McpServerFactory,
  type ServerEventBus,
  type ServerNotifier,
} from '@modelcontextprotocol/server';
import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/node';
import type { Authenticator } from './auth.js';
import type { Logger } from './logger.js';
import type { Era, Metrics } from './metrics.js';

export interface HttpOptions {
  name: string;
  version: string;
  factory: McpServerFactory;
  authenticator: Authenticator;
  metrics: Metrics;
  logger: Logger;
  host: string;
  port: number;
  maxBodyBytes: number;
  /** Host header names accepted besides loopback names (for a proxy or a LAN name). */
  allowedHosts?: string[];
  /** Origin hostnames accepted from browsers besides loopback. */
  allowedOrigins?: string[];
  /** Tool names, used to bound the cardinality of the `tool` metric label. */
  toolNames: readonly string[];
  /** Where list-changed events travel; the default is per process, several instances need a shared one. */
  bus?: ServerEventBus;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  server: Server;
  /** Publishes list-changed and resource-updated events to open `subscriptions/listen` streams. */
  notify: ServerNotifier;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const KNOWN_METHODS = new Set([
  'server/discover',
  'initialize',
  'notifications/initialized',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'subscriptions/listen',
  'notifications/cancelled',
]);

export async function serveHttp(options: HttpOptions): Promise<RunningHttpServer> {
  const { metrics, logger, authenticator } = options;
  const mcp = createMcpHandler(options.factory, {
    legacy: 'stateless',
    bus: options.bus,
    // Rejected requests (bad headers, versions) are the client's problem, answered in the response.
    onerror: (error) => logger.debug({ err: error.message }, 'mcp handler rejected a request'),
  });
  const hosts = [...LOOPBACK_NAMES, ...(options.allowedHosts ?? [])];
  const validateHost = hostHeaderValidation(hosts);
  const validateOrigin = originValidation([...LOOPBACK_NAMES, ...(options.allowedOrigins ?? [])]);
  const toolNames = new Set(options.toolNames);

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (!validateHost(req, res) || !validateOrigin(req, res)) return;
    if (path === '/healthz' && req.method === 'GET') {
      return sendJson(res, 200, { status: 'ok', server: options.name, version: options.version });
    }
    if (path === '/metrics' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return;
    }
    if (path !== '/mcp')
      return sendJson(res, 404, { error: 'not_found', error_description: 'the MCP endpoint is POST /mcp' });
    if (req.method !== 'POST') {
      // No GET stream and no session to DELETE in sessionless MCP.
      res.writeHead(405, { allow: 'POST', 'content-type': 'application/json' });
      res.end(rpcError(-32600, `Method not allowed: ${req.method} /mcp; send JSON-RPC with POST`));
      return;
    }

    const auth = await authenticator.authenticate(req.headers.authorization);
    if (!auth.ok) {
      res.setHeader('www-authenticate', auth.challenge);
      return sendJson(res, 401, { error: 'invalid_token', error_description: auth.message });
    }

    const raw = await readBody(req, options.maxBodyBytes);
    if (raw === 'too-large') {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(rpcError(-32600, `Request body over ${options.maxBodyBytes} bytes; send a smaller request`));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(rpcError(-32700, `Parse error: the body is not valid JSON (${(error as Error).message})`));
      metrics.request({ method: 'invalid', tool: '', era: 'legacy', status: 400 }, raw.length, 0);
      return;
    }

    const labels = classify(body, toolNames);
    const bytesOut = await answer(mcp, req, res, body, auth.authInfo);
    metrics.request({ ...labels, status: res.statusCode }, raw.length, bytesOut);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostForUrl}:${port}/mcp`,
    port,
    server,
    notify: mcp.notify,
    async close() {
      await mcp.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
    },
  };
}

/**
 * Hands one parsed request to the SDK handler and streams its answer back. The SDK's own Node
 * adapter would turn the parsed body back into a stream for a web `Request`; the handler only
 * needs the headers when it is given `parsedBody`, so the `Request` here carries none.
 */
async function answer(
  mcp: McpHttpHandler,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  authInfo: AuthInfo,
): Promise<number> {
  let finished = false;
  const abort = new AbortController();
  // A client that goes away cancels its request (and closes its SSE stream).
  res.on('close', () => {
    if (!finished) abort.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'content-length' || name === 'transfer-encoding') continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/mcp'}`, {
    method: 'POST',
    headers,
    signal: abort.signal,
  });
  const response = await mcp.fetch(request, { authInfo, parsedBody: body });
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
  finished = true;
  res.end();
  return bytes;
}

function classify(body: unknown, toolNames: Set<string>): { method: string; tool: string; era: Era } {
  if (Array.isArray(body)) return { method: 'batch', tool: '', era: 'legacy' };
  const message = (body ?? {}) as { method?: unknown; params?: { name?: unknown; _meta?: Record<string, unknown> } };
  const method =
    typeof message.method === 'string' ? (KNOWN_METHODS.has(message.method) ? message.method : 'other') : 'response';
  const name = message.params?.name;
  const tool = method === 'tools/call' ? (typeof name === 'string' && toolNames.has(name) ? name : 'unknown') : '';
  const era: Era = message.params?._meta?.['io.modelcontextprotocol/protocolVersion'] ? 'modern' : 'legacy';
  return { method, tool, era };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function rpcError(code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } });
}
