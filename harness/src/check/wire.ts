/**
 * What `check` puts on the wire, without an MCP SDK in the way (it must see the raw bytes and every
 * header, and control session ids itself): 2026-07-28 requests with their protocol and
 * `Mcp-Param-*` headers, 2025-11-25 requests inside a session or none, and a log of every answer
 * (which instance, which method, any `Mcp-Session-Id`) for the no-sessions check.
 */
import { UsageError } from '../shared/errors.js';

export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';

/** Who a request acts for: principal A (--token) or B (--token-b); no token means anonymous. */
export interface Principal {
  name: 'A' | 'B';
  token?: string;
}

export interface JsonRpcMessage {
  id?: string | number | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

export interface Answer {
  status: number;
  /** The JSON-RPC message's own text (an SSE stream's last `data:` line), for byte comparisons. */
  json: string;
  message: JsonRpcMessage | null;
  sessionId: string | null;
  /** The body's start, for a sentence when the answer is not what was expected. */
  excerpt: string;
}

export interface Exchange {
  instance: number;
  method: string;
  era: 'modern' | 'legacy';
  status: number;
  sessionId: string | null;
}

export interface WireOptions {
  urls: string[];
  /** Extra headers on every request (--header). */
  headers: Record<string, string>;
  timeoutMs: number;
}

export class Wire {
  /** Every answer seen, in order. */
  readonly exchanges: Exchange[] = [];

  constructor(private readonly options: WireOptions) {}

  get instances(): number {
    return this.options.urls.length;
  }

  url(instance: number): string {
    return this.options.urls[instance]!;
  }

  /** A 2026-07-28 request: no session, the envelope in `_meta`, the method (and name) as headers. */
  modern(
    instance: number,
    method: string,
    params: Record<string, unknown>,
    extra: { principal: Principal; name?: string; paramHeaders?: Record<string, string>; id?: number },
  ): Promise<Answer> {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const headers: Record<string, string> = {
      'MCP-Protocol-Version': MODERN,
      'Mcp-Method': method,
      ...(extra.name ? { 'Mcp-Name': extra.name } : {}),
      ...extra.paramHeaders,
    };
    const body = { jsonrpc: '2.0', id: extra.id ?? 1, method, params: { ...params, _meta: meta } };
    return this.post(instance, 'modern', method, body, headers, extra.principal);
  }

  /** A 2025-11-25 request (or notification), in the session `sessionId` when there is one. */
  legacy(
    instance: number,
    method: string,
    params: Record<string, unknown>,
    extra: { principal: Principal; sessionId?: string | null; notification?: boolean; id?: number },
  ): Promise<Answer> {
    const headers: Record<string, string> = { 'MCP-Protocol-Version': LEGACY };
    if (extra.sessionId) headers['Mcp-Session-Id'] = extra.sessionId;
    const body = extra.notification
      ? { jsonrpc: '2.0', method, params }
      : { jsonrpc: '2.0', id: extra.id ?? 1, method, params };
    return this.post(instance, 'legacy', method, body, headers, extra.principal);
  }

  /** Ends a session the way a 2025-11-25 client does on close; failures do not matter. */
  async endSession(instance: number, sessionId: string, principal: Principal): Promise<void> {
    await fetch(this.url(instance), {
      method: 'DELETE',
      headers: { ...this.baseHeaders(principal), 'Mcp-Session-Id': sessionId, 'MCP-Protocol-Version': LEGACY },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    }).catch(() => undefined);
  }

  private baseHeaders(principal: Principal): Record<string, string> {
    return {
      ...this.options.headers,
      ...(principal.token ? { Authorization: `Bearer ${principal.token}` } : {}),
    };
  }

  private async post(
    instance: number,
    era: 'modern' | 'legacy',
    method: string,
    body: object,
    headers: Record<string, string>,
    principal: Principal,
  ): Promise<Answer> {
    const url = this.url(instance);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          ...this.baseHeaders(principal),
          ...headers,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new UsageError(
        `cannot reach instance ${instance + 1} at ${url} (${causeOf(error)}); is the server running?`,
      );
    }
    const text = await response.text();
    const sessionId = response.headers.get('mcp-session-id');
    this.exchanges.push({ instance, method, era, status: response.status, sessionId });
    const json = messageText(text, response.headers.get('content-type') ?? '');
    return { status: response.status, json, message: parse(json), sessionId, excerpt: text.slice(0, 200).trim() };
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return 'no answer within the timeout';
  if (cause?.message === 'bad port') return "its port is one fetch refuses to use (the fetch standard's blocked ports)";
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** A JSON body as it is; an SSE body by its last `data:` line that holds a JSON-RPC response. */
function messageText(body: string, contentType: string): string {
  if (!contentType.includes('text/event-stream')) return body.trim();
  const data = body
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim());
  return data.reverse().find((line) => /"(result|error)"/.test(line)) ?? data[0] ?? '';
}

function parse(json: string): JsonRpcMessage | null {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRpcMessage) : null;
  } catch {
    return null;
  }
}

/** The sentence for an answer that carries no result: the HTTP status and the JSON-RPC error or body. */
export function failureOf(answer: Answer): string {
  const error = answer.message?.error;
  const said = error ? `JSON-RPC error ${error.code}: ${error.message}` : answer.excerpt;
  const short = said.length > 140 ? `${said.slice(0, 137)}...` : said.replace(/[.\s]+$/, '');
  return `HTTP ${answer.status}${short ? ` (${short})` : ''}`;
}
