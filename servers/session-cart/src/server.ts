/**
 * The session-scoped cart: the pattern the MCP 2026-07-28 spec removed, kept for comparison only.
 * `initialize` mints an Mcp-Session-Id, and the McpServer, transport and cart for it live in this
 * process's memory; every later request must come back to this process with that id. Behind a
 * load balancer without affinity, or after a restart, it gets 404 "Session not found".
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SessionCart } from './cart.js';
import { sessionCartTools } from './tools/index.js';
import { registerTool } from './tools/tool.js';

export const SERVER_INFO = { name: 'session-cart', version: '0.1.0' };

const INSTRUCTIONS =
  'A shopping cart kept in your MCP session. The cart tools need no id: they act on the cart of this ' +
  'connection, which no other connection can see and which is lost when the session ends.';

export interface SessionLimits {
  /** Live sessions this process holds; an initialize beyond it gets 503. */
  maxSessions: number;
  /** A session unused this long is dropped, with its cart. */
  idleTimeoutMs: number;
  /** The clock idle time is measured with; tests pass their own. */
  now: () => number;
}

export const DEFAULT_LIMITS: SessionLimits = { maxSessions: 10_000, idleTimeoutMs: 600_000, now: Date.now };

/** Everything one session holds, all of it in this process's memory. */
interface Session {
  mcp: McpServer;
  transport: StreamableHTTPServerTransport;
  cart: SessionCart;
  lastSeen: number;
}

/** Builds the HTTP server (not yet listening): POST/GET/DELETE /mcp and GET /healthz. */
export function createSessionCartServer(overrides: Partial<SessionLimits> = {}): Server {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  const sessions = new Map<string, Session>();

  async function openSession(): Promise<Session> {
    const mcp = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS });
    const cart = new SessionCart();
    for (const tool of sessionCartTools) registerTool(mcp, tool, cart);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (id) => void sessions.set(id, session),
    });
    const session: Session = { mcp, transport, cart, lastSeen: limits.now() };
    // Every ending (DELETE, idle timeout, shutdown) closes the transport, so this is the one way out.
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await mcp.connect(transport);
    return session;
  }

  const isIdle = (session: Session) => limits.now() - session.lastSeen > limits.idleTimeoutMs;

  async function handleMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session || isIdle(session)) {
        await session?.mcp.close();
        return sendError(res, 404, -32001, SESSION_NOT_FOUND);
      }
      session.lastSeen = limits.now();
      return session.transport.handleRequest(req, res);
    }
    if (sessions.size >= limits.maxSessions) {
      return sendError(
        res,
        503,
        -32000,
        `Too many sessions: this instance already holds ${limits.maxSessions}; retry later.`,
      );
    }
    // Only an initialize starts a session; the fresh transport answers anything else with 400.
    const session = await openSession();
    await session.transport.handleRequest(req, res);
    if (session.transport.sessionId === undefined) await session.mcp.close();
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path !== '/mcp') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the MCP endpoint is /mcp');
    } else if (!hasLoopbackHost(req)) {
      sendError(res, 403, -32000, `Forbidden: Host and Origin must be a loopback name (${LOOPBACK_NAMES.join(', ')}).`);
    } else {
      handleMcp(req, res).catch((error: unknown) => {
        process.stderr.write(
          `${JSON.stringify({ name: 'session-cart', msg: 'request failed', error: String(error) })}\n`,
        );
        if (!res.headersSent) sendError(res, 500, -32603, 'Internal error');
        else res.end();
      });
    }
  });

  const sweeper = setInterval(
    () => {
      for (const session of sessions.values()) if (isIdle(session)) void session.mcp.close();
    },
    Math.min(limits.idleTimeoutMs, 60_000),
  );
  sweeper.unref();
  server.on('close', () => {
    clearInterval(sweeper);
    for (const session of sessions.values()) void session.mcp.close();
  });
  return server;
}

const SESSION_NOT_FOUND =
  'Session not found: this process holds no session with that Mcp-Session-Id (it ended, sat idle, ' +
  'or was started by another instance or before a restart); send initialize to start a new session with an empty cart.';

/**
 * DNS-rebinding protection, port-agnostic as in the SDK's own hostHeaderValidation middleware
 * (the transport's allowedHosts option compares host:port exactly, which breaks behind a proxy).
 */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

function hasLoopbackHost(req: IncomingMessage): boolean {
  const { host, origin } = req.headers;
  return host !== undefined && isLoopbackName(`http://${host}`) && (origin === undefined || isLoopbackName(origin));
}

function isLoopbackName(url: string): boolean {
  return URL.canParse(url) && LOOPBACK_NAMES.includes(new URL(url).hostname);
}

function sendError(res: ServerResponse, status: number, code: number, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
