/**
 * A small server behind the kit's real `listen` on an ephemeral loopback port, for the HTTP
 * front's own limits: one echo tool, bearer auth with a test secret and audience, and tool-list
 * change notifications advertised, so `subscriptions/listen` streams stay open as they would on
 * a server that can change its tools.
 */
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import {
  listen,
  loadConfig,
  openRuntime,
  serverConfigSchema,
  signDevToken,
  type RunningHttpServer,
} from '../src/index.js';
import { MODERN_META, tempDir } from '../src/testing/index.js';

export const SECRET = 'kit-http-tests-secret-long-enough-for-hs256';
export const AUDIENCE = 'kit-http-test';

export interface HttpFixture {
  running: RunningHttpServer;
  origin: string;
  token(subject: string): Promise<string>;
  close(): Promise<void>;
}

export async function startHttpFixture(env: Record<string, string> = {}): Promise<HttpFixture> {
  const dir = tempDir('kit-http-');
  const config = loadConfig(serverConfigSchema, {
    DATA_DIR: dir.path,
    LOG_LEVEL: 'silent',
    JWT_SECRET: SECRET,
    JWT_AUDIENCE: AUDIENCE,
    ...env,
  });
  const runtime = await openRuntime({ name: 'kit-http', config, migrations: [] });
  const handler = createMcpHandler(
    () => {
      const server = new McpServer(
        { name: 'kit-http', version: '0.1.0' },
        { capabilities: { tools: { listChanged: true } } },
      );
      server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
        content: [{ type: 'text', text }],
      }));
      return server;
    },
    { legacy: 'stateless' },
  );
  const running = await listen(handler, {
    info: { name: 'kit-http', version: '0.1.0' },
    config,
    runtime,
    tools: [],
    otherToolNames: ['echo'],
    handleSignals: false,
  });
  return {
    running,
    origin: new URL(running.url).origin,
    token: (subject) => signDevToken(SECRET, subject, { audience: AUDIENCE }),
    async close() {
      await running.close();
      dir.remove();
    },
  };
}

/** The headers and body of a 2026-07-28 `subscriptions/listen` request for tool-list changes. */
export function listenRequest(id: number, token: string): RequestInit {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'subscriptions/listen',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'subscriptions/listen',
      params: { notifications: { toolsListChanged: true }, _meta: MODERN_META },
    }),
  };
}

/** Reads an SSE body until `done(text so far)` holds or the stream ends; returns the text read. */
export async function readStream(
  body: ReadableStream<Uint8Array>,
  done: (text: string) => boolean = () => false,
): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done: ended } = await reader.read();
    if (ended) return text;
    text += decoder.decode(value, { stream: true });
    if (done(text)) {
      reader.releaseLock();
      return text;
    }
  }
}
