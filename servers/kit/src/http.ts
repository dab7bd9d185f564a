/**
 * The HTTP front of every server: `listen(handler, ...)` puts a `node:http` server in front of
 * the MCP handler a server's `main.ts` created with the SDK's `createMcpHandler`, and adds only
 * what the handler leaves to us: Host/Origin validation (DNS rebinding), bearer auth on every
 * request, a body-size limit on our own body parsing, 405 for GET/DELETE, `/healthz`, `/metrics`
 * with request counts, the "listening" log line, and a clean stop on SIGINT/SIGTERM. In front
 * of the handler sits the lean path (lean-path.ts): it answers the hot methods with the SDK's
 * bytes and leaves every other request to the handler.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateHostHeader, validateOriginHeader, type McpHttpHandler } from '@modelcontextprotocol/server';
import { createAuthenticator, type Authenticator } from './auth.js';
import type { Era } from './metrics.js';
import { createLeanPath, type LeanAnswer } from './lean-path.js';
import { answerWithHandler } from './node-bridge.js';
import type { Runtime } from './runtime.js';
import { authSettingsFrom, type ServerConfig } from './server-config.js';
import type { BoundTool } from './tools.js';

export interface ListenOptions {
  info: { name: string; version: string };
  config: ServerConfig;
  runtime: Pick<Runtime, 'metrics' | 'logger' | 'close'>;
  /** The bound tools the factory registers: the lean path runs them, and their names bound the `tool` metric label. */
  tools: readonly BoundTool[];
  /** Tools the factory registers without the kit (the conformance fixture's): named in metrics, left to the SDK. */
  otherToolNames?: readonly string[];
  /** Verifies bearer tokens; by default built from the config (JWT_SECRET, JWKS, or anonymous). */
  authenticator?: Authenticator;
  /** Extra fields for the "listening" log line. */
  details?: Record<string, unknown>;
  /** Frees what the server holds besides the runtime (live browser contexts), on stop. */
  close?: () => Promise<void>;
  /** Stop on SIGINT/SIGTERM and exit (default true; off for servers embedded in tests). */
  handleSignals?: boolean;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, closes the handler, then what `close` frees and the runtime. */
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

export async function listen(handler: McpHttpHandler, options: ListenOptions): Promise<RunningHttpServer> {
  const { config, runtime } = options;
  const { metrics, logger } = runtime;
  const authenticator = options.authenticator ?? createAuthenticator(authSettingsFrom(config));
  const allowedHosts = [...LOOPBACK_NAMES, ...(config.ALLOWED_HOSTS ?? [])];
  const allowedOrigins = [...LOOPBACK_NAMES, ...(config.ALLOWED_ORIGINS ?? [])];
  const checkHost = remembered((host) => validateHostHeader(host, allowedHosts));
  const checkOrigin = remembered((origin) => validateOriginHeader(origin, allowedOrigins));
  const toolNames = new Set([...options.tools.map((tool) => tool.name), ...(options.otherToolNames ?? [])]);
  const lean =
    config.LEAN_PATH === 'on' ? createLeanPath({ handler, tools: options.tools, metrics, logger }) : undefined;
  const maxBodyBytes = config.MAX_BODY_BYTES;

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    // DNS-rebinding protection, with the SDK's checks and its 403 answer.
    const host = checkHost(req.headers.host);
    const refused = host.ok ? checkOrigin(req.headers.origin) : host;
    if (refused && !refused.ok) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(rpcError(-32000, refused.message));
      return;
    }
    if (path === '/healthz' && req.method === 'GET') {
      return sendJson(res, 200, { status: 'ok', server: options.info.name, version: options.info.version });
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

    const raw = await readBody(req, maxBodyBytes);
    if (raw === 'too-large') {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(rpcError(-32600, `Request body over ${maxBodyBytes} bytes; send a smaller request`));
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
    const leanAnswer = await lean?.answer({ header: (name) => headerOf(req, name), body, authInfo: auth.authInfo });
    const bytesOut = leanAnswer
      ? send(res, leanAnswer)
      : await answerWithHandler(handler, req, res, body, auth.authInfo);
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
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  const url = `http://${hostForUrl}:${port}/mcp`;
  let closing: Promise<void> | undefined;
  const running: RunningHttpServer = {
    url,
    port,
    server,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 2_000).unref();
        });
        await handler.close();
        await options.close?.();
        await runtime.close();
      })()),
  };
  logger.info({ url, auth: authenticator.mode, dataDir: config.DATA_DIR, ...options.details }, 'listening');
  if (options.handleSignals ?? true) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void running.close().finally(() => process.exit(0)));
    }
  }
  return running;
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

/** The body, or 'too-large' as soon as it passes `limit` (reading stops there). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve('too-large');
  // Plain events rather than `for await`: the async iterator costs more than the read itself.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      done();
      req.pause();
      resolve('too-large');
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => onError(new Error('the client closed the connection before the body ended'));
    req.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}

/** Remembers the verdict on each Host (and Origin) value seen: clients send the same one every time. */
function remembered<T>(check: (value: string | undefined) => T): (value: string | undefined) => T {
  const verdicts = new Map<string | undefined, T>();
  return (value) => {
    let verdict = verdicts.get(value);
    if (verdict === undefined) {
      verdict = check(value);
      if (verdicts.size < 256) verdicts.set(value, verdict);
    }
    return verdict;
  };
}

function send(res: ServerResponse, answer: LeanAnswer): number {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
  return Buffer.byteLength(answer.body);
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function rpcError(code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } });
}
