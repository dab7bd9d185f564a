/**
 * The lean serving path, and why it exists: `createMcpHandler` answers every request by building
 * a fresh McpServer, a web `Request`/`Response` with streams, and validating the message again at
 * each layer; for the hot methods that machinery is most of a sessionless call's CPU (docs/05).
 * What it serves: a 2026-07-28 `tools/call`, `tools/list` or `server/discover` in its plain form,
 * with the SDK's own bytes: the two lists as the SDK rendered them once per principal class (the
 * token's scopes), a call by running the same bound tool (input schema, handler, output schema)
 * and encoding its result as the SDK does. What it leaves to the SDK: everything else. Legacy
 * requests, other methods, anything the SDK would refuse or answer with an error, and arguments
 * the tool's schema rejects all go to `createMcpHandler` untouched. `LEAN_PATH=off` turns it off;
 * the servers' lean-path tests hold it byte for byte to the SDK's answers.
 * One file of about 400 lines on purpose: every rule it applies in front of the SDK sits in one
 * place, where a reader can check each against the SDK's behaviour.
 */
import {
  classifyInboundRequest,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  isJsonContentType,
  LOG_LEVEL_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  SERVER_INFO_META_KEY,
  type AuthInfo,
  type CallToolResult,
  type McpHttpHandler,
} from '@modelcontextprotocol/server';
import { ANONYMOUS_PRINCIPAL } from './auth.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { BoundTool } from './tools.js';

/** One request as the HTTP front has it: headers, the parsed body, the verified caller. */
export interface LeanRequest {
  /** A header's value by its lower-case name. */
  header(name: string): string | undefined;
  body: unknown;
  authInfo: AuthInfo;
}

/** An answer the SDK would have given, byte for byte (its framing aside). */
export interface LeanAnswer {
  status: 200;
  headers: { 'content-type': 'application/json' };
  body: string | Buffer;
}

export interface LeanPath {
  /** Answers `request`, or resolves to undefined to leave it to the SDK's handler. */
  answer(request: LeanRequest): Promise<LeanAnswer | undefined>;
}

export interface LeanPathOptions {
  /** The SDK's handler over the server's factory: it renders the lists the lean path repeats. */
  handler: McpHttpHandler;
  /** The same bound tools the factory registers. */
  tools: readonly BoundTool[];
  metrics: Metrics;
  logger: Logger;
}

const MODERN_VERSION = '2026-07-28';
const SERVED = new Set(['tools/call', 'tools/list', 'server/discover']);
const MESSAGE_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const PARAM_KEYS: Record<string, Set<string>> = {
  'tools/call': new Set(['name', 'arguments', '_meta']),
  'tools/list': new Set(['_meta']),
  'server/discover': new Set(['_meta']),
};
const ENVELOPE_KEYS = new Set([
  PROTOCOL_VERSION_META_KEY,
  CLIENT_INFO_META_KEY,
  CLIENT_CAPABILITIES_META_KEY,
  LOG_LEVEL_META_KEY,
]);
const BASE64_SENTINEL = '=?base64?';
/** Distinct `_meta` envelopes whose validity is remembered. */
const MAX_ENVELOPES = 256;
/** Principal classes (distinct scope sets) remembered; more than this and lists go to the SDK. */
const MAX_CLASSES = 64;
const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** What the SDK answered for one principal class, kept to answer again. */
interface Catalogue {
  /** The `tools/list` and `server/discover` bodies up to the request id, encoded once. */
  prefixes: Map<string, Buffer>;
  tools: Map<string, LeanTool>;
  serverInfo: unknown;
}

interface LeanTool {
  bound: BoundTool;
  /** The `x-mcp-header` properties of its input schema: the `Mcp-Param-*` headers that mirror them. */
  paramHeaders: { path: string[]; header: string }[];
}

type Route =
  | { method: 'tools/call'; id: string | number; name: string; args: Record<string, unknown> | undefined }
  | { method: 'tools/list' | 'server/discover'; id: string | number };

export function createLeanPath(options: LeanPathOptions): LeanPath {
  const { handler, metrics, logger } = options;
  const classify = memoizedClassifier();
  const bound = new Map(options.tools.map((tool) => [tool.name, tool]));
  const catalogues = new Map<string, Catalogue | null>();
  const pending = new Map<string, Promise<Catalogue | null>>();
  const counted = metrics.counter('mcp_lean_path_total', 'Requests the lean path served, or left to the SDK and why', [
    'method',
    'outcome',
  ]);

  const leave = (method: string, reason: string): undefined => {
    counted.inc({ method: SERVED.has(method) ? method : 'other', outcome: reason });
    return undefined;
  };

  async function catalogueFor(authInfo: AuthInfo): Promise<Catalogue | null> {
    const key = [...(authInfo.scopes ?? [])].sort().join(' ');
    const known = catalogues.get(key);
    if (known !== undefined) return known;
    if (!pending.has(key) && catalogues.size + pending.size >= MAX_CLASSES) return null;
    let building = pending.get(key);
    if (!building) {
      building = buildCatalogue(handler, bound, authInfo).catch((error: unknown) => {
        logger.warn(
          { err: (error as Error).message },
          'the lean path could not read the SDK lists; they stay on the SDK',
        );
        return null;
      });
      pending.set(key, building);
      void building.then((catalogue) => {
        pending.delete(key);
        catalogues.set(key, catalogue);
      });
    }
    return building;
  }

  return {
    async answer(request) {
      const route = routeOf(request, classify);
      const method =
        typeof (request.body as { method?: unknown })?.method === 'string'
          ? (request.body as { method: string }).method
          : '';
      if (typeof route === 'string') return leave(method, route);
      const catalogue = await catalogueFor(request.authInfo);
      if (!catalogue) return leave(method, 'no-catalogue');
      if (route.method !== 'tools/call') {
        counted.inc({ method, outcome: 'served' });
        const tail = Buffer.from(`${JSON.stringify(route.id)}}`);
        return reply(Buffer.concat([catalogue.prefixes.get(route.method)!, tail]));
      }
      const tool = catalogue.tools.get(route.name);
      if (!tool) return leave(method, 'tool');
      if (!paramHeadersMatch(tool, route.args, request)) return leave(method, 'param-headers');
      const input = await tool.bound.config.inputSchema['~standard'].validate(route.args ?? {});
      if (input.issues !== undefined && input.issues.length > 0) return leave(method, 'arguments');
      counted.inc({ method, outcome: 'served' });
      const args = (input as { value: Record<string, unknown> }).value;
      const result = await runAsTheSdkDoes(tool.bound, args, request.authInfo);
      const encoded = encodeCallResult(result, catalogue.serverInfo);
      return reply(JSON.stringify({ result: encoded, jsonrpc: '2.0', id: route.id }));
    },
  };
}

function reply(body: string | Buffer): LeanAnswer {
  return { status: 200, headers: JSON_HEADERS, body };
}

/**
 * The request's route when it is one the lean path serves exactly as the SDK would, or the
 * reason it is not. The era, the `_meta` envelope and the header/body cross-checks are the SDK's
 * own classifier; what the lean path adds only narrows: no extra keys, every standard header
 * present and equal to the body.
 */
function routeOf(request: LeanRequest, classify: Classifier): Route | string {
  const body = request.body;
  if (!isPlainObject(body) || typeof body.method !== 'string' || !SERVED.has(body.method)) return 'method';
  if (!isJsonContentType(request.header('content-type'))) return 'content-type';
  if (Object.keys(body).some((key) => !MESSAGE_KEYS.has(key))) return 'message';
  const protocolVersionHeader = request.header('mcp-protocol-version');
  const mcpMethodHeader = request.header('mcp-method');
  const mcpNameHeader = request.header('mcp-name');
  if (protocolVersionHeader !== MODERN_VERSION || mcpMethodHeader !== body.method) return 'headers';
  if (!classify(body, { protocolVersionHeader, mcpMethodHeader, mcpNameHeader })) return 'classification';
  const params = body.params as Record<string, unknown>;
  const allowed = PARAM_KEYS[body.method]!;
  if (Object.keys(params).some((key) => !allowed.has(key))) return 'params';
  if (Object.keys(params._meta as object).some((key) => !ENVELOPE_KEYS.has(key))) return 'meta';
  const id = body.id as string | number;
  if (body.method !== 'tools/call') return { method: body.method as 'tools/list' | 'server/discover', id };
  const { name, arguments: args } = params;
  if (typeof name !== 'string' || (args !== undefined && !isPlainObject(args))) return 'params';
  if (mcpNameHeader !== name || name.startsWith(BASE64_SENTINEL)) return 'headers';
  return { method: 'tools/call', id, name, args };
}

/** Whether the SDK's classifier routes a request (its headers already equal to the body) as a 2026-07-28 request. */
type Classifier = (
  body: Record<string, unknown>,
  headers: { protocolVersionHeader: string; mcpMethodHeader: string; mcpNameHeader: string | undefined },
) => boolean;

/**
 * The SDK's classifier, asked once per distinct `_meta` envelope. With its standard headers equal
 * to the body (checked before), a request classifies as a 2026-07-28 request exactly when it is a
 * JSON-RPC request (`jsonrpc` "2.0", a string or safe-integer id; the rest the lean path checks
 * anyway) and its envelope is valid, and an envelope's validity depends on nothing but itself. A
 * client sends the same envelope on every request, so the zod work is done once per client kind.
 */
function memoizedClassifier(): Classifier {
  const valid = new Set<string>();
  return (body, headers) => {
    const meta = (body.params as { _meta?: unknown } | undefined)?._meta;
    const key = isPlainObject(meta) ? JSON.stringify(meta) : undefined;
    if (key !== undefined && valid.has(key)) {
      return body.jsonrpc === '2.0' && (typeof body.id === 'string' || Number.isSafeInteger(body.id));
    }
    const outcome = classifyInboundRequest({ httpMethod: 'POST', ...headers, body });
    const modern =
      outcome.kind === 'modern' &&
      outcome.messageKind === 'request' &&
      outcome.classification.revision === MODERN_VERSION;
    if (modern && key !== undefined && valid.size < MAX_ENVELOPES) valid.add(key);
    return modern;
  };
}

/**
 * Each `Mcp-Param-*` header the tool declares must carry its argument's string as is. The SDK
 * also accepts Base64-wrapped and numeric forms, and refuses the rest; all of those go to it.
 */
function paramHeadersMatch(tool: LeanTool, args: Record<string, unknown> | undefined, request: LeanRequest): boolean {
  for (const { path, header } of tool.paramHeaders) {
    const value = valueAt(args, path);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value.startsWith(BASE64_SENTINEL)) return false;
    if (request.header(header) !== value) return false;
  }
  return true;
}

/**
 * Runs the tool the way the SDK's `tools/call` handler does: a thrown error or output that does
 * not match the output schema becomes an `isError` result carrying the SDK's message.
 */
async function runAsTheSdkDoes(
  tool: BoundTool,
  args: Record<string, unknown>,
  authInfo: AuthInfo,
): Promise<CallToolResult> {
  try {
    const result = await tool.run(args, authInfo.clientId ?? ANONYMOUS_PRINCIPAL);
    if (result.isError) return result;
    if (result.structuredContent === undefined) {
      return toolError(
        `Output validation error: Tool ${tool.name} has an output schema but no structured content was provided`,
      );
    }
    const output = await tool.config.outputSchema['~standard'].validate(result.structuredContent);
    if (output.issues && output.issues.length > 0) {
      const issues = output.issues.map(formatIssue).join(', ');
      return toolError(`Output validation error: Invalid structured content for tool ${tool.name}: ${issues}`);
    }
    return result;
  } catch (error) {
    return toolError(error instanceof Error ? error.message : String(error));
  }
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function formatIssue(issue: { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] }): string {
  if (!issue.path?.length) return issue.message;
  const path = issue.path.map((part) => String(typeof part === 'object' ? part.key : part)).join('.');
  return `${path}: ${issue.message}`;
}

/**
 * The result as the SDK's 2026-07-28 encoder writes it: its result schema's key order (`_meta`,
 * `content`, `structuredContent`, `isError`, then any others), content blocks reduced to their
 * schema's keys, a text block added for non-object structured content, `resultType` appended,
 * and the server's identity stamped into `_meta`.
 */
function encodeCallResult(result: CallToolResult, serverInfo: unknown): Record<string, unknown> {
  const { _meta, content, structuredContent, isError, ...others } = result;
  const blocks = (content ?? []).map((block) => canonicalBlock(block as unknown as Record<string, unknown>));
  const isObject = structuredContent === undefined || isPlainObject(structuredContent);
  if (!isObject && !blocks.some((block) => block.type === 'text')) {
    blocks.push({ type: 'text', text: JSON.stringify(structuredContent) });
  }
  const encoded: Record<string, unknown> = {};
  if (_meta !== undefined) encoded._meta = _meta;
  encoded.content = blocks;
  if (structuredContent !== undefined) encoded.structuredContent = structuredContent;
  if (isError !== undefined) encoded.isError = isError;
  Object.assign(encoded, others);
  encoded.resultType ??= 'complete';
  if (_meta === undefined) encoded._meta = { [SERVER_INFO_META_KEY]: serverInfo };
  else if (isPlainObject(_meta) && _meta[SERVER_INFO_META_KEY] === undefined) {
    encoded._meta = { ..._meta, [SERVER_INFO_META_KEY]: serverInfo };
  }
  return encoded;
}

const BLOCK_KEYS: Record<string, readonly string[]> = {
  text: ['type', 'text', 'annotations', '_meta'],
  image: ['type', 'data', 'mimeType', 'annotations', '_meta'],
  audio: ['type', 'data', 'mimeType', 'annotations', '_meta'],
};
const ANNOTATION_KEYS = ['audience', 'priority', 'lastModified'];

function canonicalBlock(block: Record<string, unknown>): Record<string, unknown> {
  const keys = BLOCK_KEYS[block.type as string];
  if (!keys) return block;
  const canonical: Record<string, unknown> = {};
  for (const key of keys) {
    const value = block[key];
    if (value === undefined) continue;
    canonical[key] = key === 'annotations' && isPlainObject(value) ? pick(value, ANNOTATION_KEYS) : value;
  }
  return canonical;
}

function pick(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (value[key] !== undefined) picked[key] = value[key];
  return picked;
}

/**
 * Asks the SDK, once per principal class, for `tools/list` and `server/discover` as that class
 * sees them, and keeps each body up to its request id. The tools the lean path may run are the
 * listed ones it holds bound, with the `Mcp-Param-*` headers their listed schemas declare.
 */
async function buildCatalogue(
  handler: McpHttpHandler,
  bound: Map<string, BoundTool>,
  authInfo: AuthInfo,
): Promise<Catalogue | null> {
  const prefixes = new Map<string, Buffer>();
  let listed: { tools?: { name: string; inputSchema: unknown }[]; _meta?: Record<string, unknown> } = {};
  for (const method of ['tools/list', 'server/discover']) {
    const text = await askTheSdk(handler, method, authInfo);
    const tail = '"jsonrpc":"2.0","id":0}';
    if (text === undefined || !text.endsWith(`,${tail}`)) return null;
    prefixes.set(method, Buffer.from(text.slice(0, -'0}'.length)));
    if (method === 'tools/list') listed = (JSON.parse(text) as { result: typeof listed }).result;
  }
  const tools = new Map<string, LeanTool>();
  for (const { name, inputSchema } of listed.tools ?? []) {
    const tool = bound.get(name);
    const paramHeaders = tool && paramHeadersOf(inputSchema);
    if (tool && paramHeaders) tools.set(name, { bound: tool, paramHeaders });
  }
  return { prefixes, tools, serverInfo: listed._meta?.[SERVER_INFO_META_KEY] };
}

async function askTheSdk(handler: McpHttpHandler, method: string, authInfo: AuthInfo): Promise<string | undefined> {
  const body = {
    jsonrpc: '2.0',
    id: 0,
    method,
    params: { _meta: { [PROTOCOL_VERSION_META_KEY]: MODERN_VERSION, [CLIENT_CAPABILITIES_META_KEY]: {} } },
  };
  const request = new Request('http://localhost/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'mcp-protocol-version': MODERN_VERSION, 'mcp-method': method },
  });
  const response = await handler.fetch(request, { authInfo, parsedBody: body });
  const text = await response.text();
  const plain = response.status === 200 && response.headers.get('content-type') === 'application/json';
  return plain && [...response.headers.keys()].length === 1 ? text : undefined;
}

/**
 * The `x-mcp-header` declarations of a listed input schema, on string properties reached through
 * `properties` only; undefined (the tool stays on the SDK) for any other use of the keyword.
 */
function paramHeadersOf(schema: unknown): LeanTool['paramHeaders'] | undefined {
  const found: LeanTool['paramHeaders'] = [];
  const visit = (node: unknown, path: string[]): void => {
    if (!isPlainObject(node)) return;
    const header = node['x-mcp-header'];
    if (typeof header === 'string' && node.type === 'string' && path.length > 0) {
      found.push({ path, header: `mcp-param-${header.toLowerCase()}` });
    }
    if (isPlainObject(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) visit(child, [...path, key]);
    }
  };
  visit(schema, []);
  const mentions = JSON.stringify(schema).split('"x-mcp-header"').length - 1;
  return mentions === found.length ? found : undefined;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
