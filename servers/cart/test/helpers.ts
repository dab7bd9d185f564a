/**
 * Test helpers: start the cart server as a real process (through tsx, so tests need no build of
 * the cart itself), call tools through real clients, and send raw HTTP for wire-level checks.
 */
import { fileURLToPath } from 'node:url';
import { startServerProcess, tempDir, type ServerProcess } from '@sessionless/kit/testing';
import { ERROR_META_KEY, errorCodeOf } from '@sessionless/kit';
import { expect } from 'vitest';

export const ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const SECRET = 'cart-tests-secret-that-is-long-enough-for-hs256';

export interface CartFixture {
  servers: ServerProcess[];
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts `count` cart processes sharing one fresh data directory (one SQLite file). */
export async function startCart(env: Record<string, string> = {}, count = 1): Promise<CartFixture> {
  const dir = tempDir('cart-test-');
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      startServerProcess({ entry: ENTRY, env: { DATA_DIR: dir.path, SWEEP_INTERVAL: '1h', ...env } }),
    ),
  );
  return {
    servers,
    dataDir: dir.path,
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      dir.remove();
    },
  };
}

interface ToolResult {
  isError?: boolean;
  content?: unknown;
  structuredContent?: unknown;
  _meta?: Record<string, unknown>;
}

/** Narrows a tool result to a success and returns its structured content. */
export function ok<T = Record<string, unknown>>(result: ToolResult): T {
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as T;
}

/** Narrows a tool result to an error and returns its code and sentence. */
export function toolError(result: ToolResult): { code: string; text: string; details: Record<string, unknown> } {
  expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true);
  expect(result.structuredContent, 'error results carry no structuredContent').toBeUndefined();
  const content = result.content as Array<{ type: string; text: string }>;
  const details = (result._meta?.[ERROR_META_KEY] ?? {}) as Record<string, unknown>;
  return { code: errorCodeOf(result) ?? 'INPUT_VALIDATION', text: content[0]?.text ?? '', details };
}

export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => { result?: Record<string, unknown>; error?: { code: number; message: string } };
}

/** One 2026-07-28 request over plain fetch, with the headers the spec requires. */
export async function rawModern(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  extraHeaders: Record<string, string> = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...extraHeaders,
  };
  if (typeof params.name === 'string') headers['mcp-name'] = params.name;
  const args = params.arguments as Record<string, unknown> | undefined;
  if (typeof args?.cart_id === 'string') headers['mcp-param-cart-id'] = args.cart_id;
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: MODERN_META } });
  return raw(url, { method: 'POST', headers, body });
}

export async function raw(url: string, init: RequestInit): Promise<RawResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}
