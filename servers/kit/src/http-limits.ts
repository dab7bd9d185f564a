/**
 * What keeps sockets from exhausting an instance, and two request checks of the HTTP front: a
 * connection cap (more are closed on arrival, counted in /metrics), deadlines for a request's
 * headers and body, an idle timeout; one `Authorization` header per request (with two, which one
 * wins depends on the proxy in front: refuse instead); and the token `/metrics` may require.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerOptions } from 'node:http';
import type { Metrics } from './metrics.js';
import type { ServerConfig } from './server-config.js';

type LimitSettings = Pick<
  ServerConfig,
  'MAX_CONNECTIONS' | 'HEADERS_TIMEOUT' | 'REQUEST_TIMEOUT' | 'IDLE_TIMEOUT' | 'METRICS_TOKEN'
>;

const KEEP_ALIVE_MS = 30_000;

/** `createServer` options: header and body deadlines, checked often enough to matter. */
export function connectionOptions(config: LimitSettings): ServerOptions {
  // Node refuses a headers deadline longer than the whole request's.
  const headersTimeout = Math.min(config.HEADERS_TIMEOUT, config.REQUEST_TIMEOUT);
  return {
    headersTimeout,
    requestTimeout: config.REQUEST_TIMEOUT,
    keepAliveTimeout: Math.min(KEEP_ALIVE_MS, config.IDLE_TIMEOUT),
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, headersTimeout / 2)),
  };
}

/** The connection cap and idle timeout, on a created server; dropped connections are counted. */
export function limitConnections(server: Server, config: LimitSettings, metrics: Pick<Metrics, 'counter'>): void {
  server.maxConnections = config.MAX_CONNECTIONS;
  server.timeout = config.IDLE_TIMEOUT;
  const dropped = metrics.counter(
    'mcp_connections_dropped_total',
    'Connections closed on arrival because MAX_CONNECTIONS were open',
  );
  server.on('drop', () => dropped.inc());
}

/** How many times `name` (lower case) appears among the request's raw header lines. */
export function headerCount(req: IncomingMessage, name: string): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]?.toLowerCase() === name) count++;
  return count;
}

/** True when `/metrics` may be read: no token is configured, or the request carries it. */
export function metricsAllowed(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const sent = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  // Compare digests in constant time, so the comparison says nothing about where a guess goes wrong.
  return sent !== undefined && timingSafeEqual(digest(sent), digest(token));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
