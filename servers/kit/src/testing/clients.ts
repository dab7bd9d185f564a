/**
 * Real MCP clients of both eras, over HTTP or over any `fetch` (an in-process handler): the SDK
 * v2 client speaking 2026-07-28 and the v1 client speaking 2025-11-25 as session-era clients do;
 * and raw 2026-07-28 requests with the headers the spec requires, for wire-level checks.
 */
import {
  Client,
  StreamableHTTPClientTransport,
  type DiscoverResult,
  type ResponseCacheStore,
} from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface ModernClientOptions {
  token?: string;
  name?: string;
  responseCacheStore?: ResponseCacheStore;
  cachePartition?: string;
  fetch?: typeof fetch;
  /** A `server/discover` result already in hand (the orchestrator's): skips the probe. */
  discover?: DiscoverResult;
}

/** A 2026-07-28 client (SDK v2): probes `server/discover`, no handshake, no session. */
export async function connectModern(url: string, options: ModernClientOptions = {}): Promise<Client> {
  const client = new Client(
    { name: options.name ?? 'sessionless-test', version: '0.1.0' },
    {
      versionNegotiation: { mode: { pin: '2026-07-28' } },
      responseCacheStore: options.responseCacheStore,
      cachePartition: options.cachePartition,
    },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: options.token ? { headers: { authorization: `Bearer ${options.token}` } } : undefined,
      fetch: options.fetch,
    }),
    options.discover ? { prior: { kind: 'modern', discover: options.discover } } : undefined,
  );
  return client;
}

/** A 2025-11-25 client (SDK v1), the way session-era clients connect: initialize, then calls. */
export async function connectLegacy(
  url: string,
  options: { token?: string; name?: string; fetch?: typeof fetch } = {},
): Promise<LegacyClient> {
  const client = new LegacyClient({ name: options.name ?? 'session-era-test', version: '0.1.0' });
  await client.connect(
    new LegacyTransport(new URL(url), {
      requestInit: options.token ? { headers: { authorization: `Bearer ${options.token}` } } : undefined,
      fetch: options.fetch,
    }),
  );
  return client;
}

export type { Client as ModernClient } from '@modelcontextprotocol/client';
export type { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';

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

/**
 * One 2026-07-28 request over plain fetch, with the headers the spec requires. A string
 * `<kind>_id` argument is mirrored into `Mcp-Param-<Kind>-Id`, the header the servers declare.
 */
export async function rawModern(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  extraHeaders: Record<string, string> = {},
  fetchImpl: typeof fetch = fetch,
): Promise<RawResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...extraHeaders,
  };
  if (typeof params.name === 'string') headers['mcp-name'] = params.name;
  for (const [name, value] of Object.entries((params.arguments ?? {}) as Record<string, unknown>)) {
    if (/^(cart|workspace|browser)_id$/.test(name) && typeof value === 'string') {
      headers[`mcp-param-${name.replace('_', '-')}`] = value;
    }
  }
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: MODERN_META } });
  return raw(url, { method: 'POST', headers, body }, fetchImpl);
}

export async function raw(url: string, init: RequestInit, fetchImpl: typeof fetch = fetch): Promise<RawResponse> {
  const response = await fetchImpl(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}
