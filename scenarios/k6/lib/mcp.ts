/**
 * MCP over plain k6/http: a 2026-07-28 tools/call is one POST with no handshake. This module owns
 * the wire format (headers, `_meta` envelope, the `Mcp-Param-*` mirror of handle arguments), the
 * instance a call goes to (round-robin per request, no affinity), how a response is classified,
 * and the per-server metrics every call records: `<server>_call_duration`, `_errors`, `_calls`.
 */
import exec from 'k6/execution';
import http, { type RefinedResponse } from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';

export const PROTOCOL = '2026-07-28';
export type ServerName = 'cart' | 'workspace' | 'browser';

/** Handle arguments are marked `x-mcp-header` in the schemas: without the mirror header, a call is refused (-32020). */
const HANDLE_HEADERS: Record<string, string> = {
  cart_id: 'Mcp-Param-Cart-Id',
  workspace_id: 'Mcp-Param-Workspace-Id',
  browser_id: 'Mcp-Param-Browser-Id',
};
const ERROR_META_KEY = 'dev.sessionless/error';
const TOKEN = __ENV.MCP_TOKEN ?? '';

const metrics = {
  cart: serverMetrics('cart'),
  workspace: serverMetrics('workspace'),
  browser: serverMetrics('browser'),
};

function serverMetrics(server: ServerName) {
  return {
    duration: new Trend(`${server}_call_duration`, true),
    errors: new Rate(`${server}_errors`),
    calls: new Counter(`${server}_calls`),
  };
}

export interface Target {
  server: ServerName;
  /** The environment variable the URLs came from, named in error messages. */
  envName: string;
  urls: string[];
  /** This VU's round-robin position; module state is per VU, so no VU shares it. */
  turn: number;
}

/** `list` is one URL or a comma-separated list of instances of the same server. */
export function mcpTarget(server: ServerName, envName: string, list: string): Target {
  const urls = list
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  if (urls.length === 0) throw new Error(`${envName} holds no URL; give one or a comma-separated list`);
  return { server, envName, urls, turn: 0 };
}

/** The next instance for this VU; VUs start at different instances so the first calls spread too. */
export function nextUrl(target: Target): string {
  const index = (exec.vu.idInTest + target.turn++) % target.urls.length;
  return target.urls[index] as string;
}

export interface CallResult<T> {
  ok: boolean;
  /** `OK`, `NETWORK`, `HTTP_<status>`, `BAD_BODY`, `RPC_<code>`, or the tool error's stable code. */
  code: string;
  status: number;
  url: string;
  /** One line for humans: the error text, or empty on success. */
  message: string;
  /** `structuredContent` of a successful result. */
  data: T | undefined;
}

interface RpcMessage {
  error?: { code: number; message: string };
  result?: {
    isError?: boolean;
    content?: { type: string; text?: string }[];
    structuredContent?: unknown;
    _meta?: Record<string, { code?: string } | undefined>;
  };
}

let nextId = 0;

/** One tools/call on the next instance (or `url`), recorded in the server's metrics. */
export function callTool<T = Record<string, unknown>>(
  target: Target,
  tool: string,
  args: Record<string, unknown>,
  url: string = nextUrl(target),
): CallResult<T> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    'MCP-Protocol-Version': PROTOCOL,
    'Mcp-Method': 'tools/call',
    'Mcp-Name': tool,
  };
  if (TOKEN) headers.Authorization = `Bearer ${TOKEN}`;
  for (const [argument, header] of Object.entries(HANDLE_HEADERS)) {
    const value = args[argument];
    if (typeof value === 'string') headers[header] = value;
  }
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: ++nextId,
    method: 'tools/call',
    params: {
      name: tool,
      arguments: args,
      _meta: { 'io.modelcontextprotocol/protocolVersion': PROTOCOL, 'io.modelcontextprotocol/clientCapabilities': {} },
    },
  });
  const response = http.post(url, body, { headers, timeout: '10s', tags: { name: tool } });
  const result = classify<T>(response, url);
  const tags = { tool, code: result.code };
  const { duration, errors, calls } = metrics[target.server];
  duration.add(response.timings.duration, tags);
  errors.add(!result.ok, tags);
  calls.add(1, tags);
  return result;
}

function classify<T>(response: RefinedResponse<undefined>, url: string): CallResult<T> {
  const failed = (code: string, message: string): CallResult<T> => ({
    ok: false,
    code,
    status: response.status,
    url,
    message,
    data: undefined,
  });
  if (response.status === 0) return failed('NETWORK', response.error);
  const text = typeof response.body === 'string' ? response.body : '';
  if (response.status !== 200) return failed(`HTTP_${response.status}`, text.slice(0, 300));
  const message = parseMessage(text, response.headers['Content-Type'] ?? '');
  if (!message) return failed('BAD_BODY', text.slice(0, 300));
  if (message.error) return failed(`RPC_${message.error.code}`, message.error.message);
  const result = message.result;
  if (!result) return failed('BAD_BODY', 'a JSON-RPC response with neither result nor error');
  if (result.isError) {
    const code = result._meta?.[ERROR_META_KEY]?.code ?? 'TOOL_ERROR';
    return failed(code, result.content?.[0]?.text ?? '');
  }
  return { ok: true, code: 'OK', status: response.status, url, message: '', data: result.structuredContent as T };
}

/** The JSON-RPC response, whether sent as JSON or as the last `data:` event of an SSE stream. */
function parseMessage(text: string, contentType: string): RpcMessage | undefined {
  const json = contentType.includes('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5))
        .pop()
    : text;
  try {
    return json === undefined ? undefined : (JSON.parse(json) as RpcMessage);
  } catch {
    return undefined;
  }
}

/** Ends the run with one sentence (setup's fail-fast); `never` so callers can rely on it. */
export function stop(message: string): never {
  exec.test.abort(message);
  throw new Error(message);
}

/** Fail fast in setup: every instance must answer `probeTool` (a handle-free list) and accept the token. */
export function requireReachable(target: Target, probeTool: string): void {
  for (const url of target.urls) {
    const result = callTool(target, probeTool, {}, url);
    if (result.ok) continue;
    const where = `the ${target.server} server at ${url} (${target.envName})`;
    if (result.code === 'NETWORK')
      stop(
        `${where} is not reachable (${result.message}): start it, e.g. "npx sessionless-harness serve", or fix the URL`,
      );
    if (result.status === 401)
      stop(
        TOKEN
          ? `${where} refused MCP_TOKEN (HTTP 401): set MCP_TOKEN to a JWT this server accepts`
          : `${where} requires a bearer token (HTTP 401): set MCP_TOKEN (the harness "serve" command prints one)`,
      );
    stop(`${probeTool} on ${where} failed with ${result.code}: ${result.message}`);
  }
}

/** A call setup cannot go on without: its data, or the run stops with the reason. */
export function mustCall<T>(target: Target, tool: string, args: Record<string, unknown>): T {
  const result = callTool<T>(target, tool, args);
  if (!result.ok || result.data === undefined)
    stop(`${tool} on ${result.url} failed with ${result.code}: ${result.message}`);
  return result.data;
}
