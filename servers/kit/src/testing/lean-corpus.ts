/**
 * The requests the lean path's differential tests send: a valid 2026-07-28 request as a client
 * sends it, the hand-picked variants around one valid call (each with what the lean path should
 * do with it), and a fast-check generator of mutated requests so the corpus is not only
 * hand-picked: headers dropped or rewritten, envelopes, ids and arguments replaced by any JSON.
 * Longer than most modules because it is a catalogue, one case per rule, which reads best as one list.
 */
import fc from 'fast-check';
import * as z from 'zod/v4';
import type { Exchange } from './differential.js';

/** A tool call a server answers with a success or a refusal: its name and arguments. */
export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface Variant {
  label: string;
  exchange: Exchange;
  /** `served` when the lean path answers it, `sdk` when it must leave it to the SDK's handler. */
  lean: 'served' | 'sdk' | 'not-asked';
}

export const MODERN = '2026-07-28';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {},
};

/**
 * A server's corpus: requests built from its tool definitions, so each call carries the
 * `Mcp-Param-*` headers its input schema declares (`x-mcp-header`), as an SDK client sends them.
 */
export interface LeanCorpus {
  /** A valid-looking `tools/call` of `call` as a client sends it. */
  call(call: ToolCall, id?: unknown): Exchange;
  /** The hand-picked variants around `call` (best a valid call with a handle argument). */
  variantsOf(call: ToolCall): Variant[];
  /** Generated requests around `calls` and the two lists. */
  arbitrary(calls: readonly ToolCall[]): fc.Arbitrary<Exchange>;
}

export function leanCorpus(tools: readonly { name: string; input: z.ZodObject }[]): LeanCorpus {
  const headers = new Map(tools.map((tool) => [tool.name, paramHeadersOf(tool.input)]));
  const call = (toolCall: ToolCall, id: unknown = 1) =>
    modernExchange(
      'tools/call',
      { name: toolCall.name, arguments: toolCall.arguments },
      id,
      headers.get(toolCall.name),
    );
  const allHeaders = [...new Set([...headers.values()].flatMap((byArgument) => Object.values(byArgument)))];
  return {
    call,
    variantsOf: (toolCall) => variantsOf(toolCall, call(toolCall), call, headers.get(toolCall.name) ?? {}),
    arbitrary: (calls) => arbitraryExchange([...calls.map((toolCall) => call(toolCall))], allHeaders),
  };
}

/** Argument name to `mcp-param-*` header, from the schema's `x-mcp-header` annotations. */
function paramHeadersOf(input: z.ZodObject): Record<string, string> {
  const json = z.toJSONSchema(input, { io: 'input' }) as { properties?: Record<string, Record<string, unknown>> };
  const found: Record<string, string> = {};
  for (const [name, property] of Object.entries(json.properties ?? {})) {
    const header = property['x-mcp-header'];
    if (typeof header === 'string') found[name] = `mcp-param-${header.toLowerCase()}`;
  }
  return found;
}

/** A request as an SDK client sends it: the envelope in `_meta` and the standard headers. */
export function modernExchange(
  method: string,
  params: Record<string, unknown> = {},
  id: unknown = 1,
  paramHeaders: Record<string, string> = {},
): Exchange {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN,
    'mcp-method': method,
  };
  if (typeof params.name === 'string') headers['mcp-name'] = params.name;
  for (const [name, value] of Object.entries((params.arguments ?? {}) as Record<string, unknown>)) {
    const header = paramHeaders[name];
    if (header && typeof value === 'string') headers[header] = value;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: ENVELOPE } });
  return { headers, body };
}

/** A request body as the corpus edits it: any member may be rewritten, so little is promised. */
interface Message {
  [member: string]: unknown;
  params: { [member: string]: unknown; _meta?: Record<string, unknown>; arguments?: Record<string, unknown> };
}

/** Changes one request: its headers (undefined drops one) and its parsed body. */
function edit(
  exchange: Exchange,
  headers: Record<string, string | undefined>,
  body?: (message: Message) => unknown,
): Exchange {
  const merged: Record<string, string> = { ...exchange.headers };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  const message = JSON.parse(exchange.body) as Message;
  return { headers: merged, body: body ? JSON.stringify(body(message) ?? message) : exchange.body };
}

const base64 = (text: string) => `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;

/**
 * The hand-picked corpus around `call` (a valid call of a tool with a handle argument, when the
 * server has one): what the lean path serves, and every kind of request it must leave alone.
 */
function variantsOf(
  call: ToolCall,
  valid: Exchange,
  callExchange: (call: ToolCall, id?: unknown) => Exchange,
  paramHeaders: Record<string, string>,
): Variant[] {
  const list = modernExchange('tools/list');
  const handleArgument = Object.keys(call.arguments).find((name) => paramHeaders[name]);
  const paramHeader = handleArgument && paramHeaders[handleArgument];
  const handle = handleArgument ? String(call.arguments[handleArgument]) : '';
  const meta = (change: (envelope: Record<string, unknown>) => void) => (message: Message) => {
    change(message.params._meta!);
  };
  const variants: Variant[] = [
    { label: 'the call as a client sends it', exchange: valid, lean: 'served' },
    { label: 'a string id', exchange: callExchange(call, 'req-7'), lean: 'served' },
    { label: 'id 0', exchange: callExchange(call, 0), lean: 'served' },
    { label: 'a large negative id', exchange: callExchange(call, -9007199254740991), lean: 'served' },
    { label: 'tools/list', exchange: list, lean: 'served' },
    { label: 'tools/list with a string id', exchange: modernExchange('tools/list', {}, 'list-1'), lean: 'served' },
    { label: 'server/discover', exchange: modernExchange('server/discover', {}, 42), lean: 'served' },
    {
      label: 'a charset on the content type',
      exchange: edit(valid, { 'content-type': 'application/json; charset=utf-8' }),
      lean: 'served',
    },
    {
      label: 'clientInfo and a log level in the envelope',
      exchange: edit(
        valid,
        {},
        meta((envelope) => {
          envelope['io.modelcontextprotocol/clientInfo'] = { name: 'probe', version: '1.0.0' };
          envelope['io.modelcontextprotocol/logLevel'] = 'debug';
        }),
      ),
      lean: 'served',
    },
    { label: 'no accept header', exchange: edit(valid, { accept: undefined }), lean: 'served' },
    { label: 'a text/plain body', exchange: edit(valid, { 'content-type': 'text/plain' }), lean: 'sdk' },
    { label: 'no content type', exchange: edit(valid, { 'content-type': undefined }), lean: 'sdk' },
    { label: 'no MCP-Protocol-Version', exchange: edit(valid, { 'mcp-protocol-version': undefined }), lean: 'sdk' },
    {
      label: 'a 2025-11-25 MCP-Protocol-Version',
      exchange: edit(valid, { 'mcp-protocol-version': '2025-11-25' }),
      lean: 'sdk',
    },
    { label: 'no Mcp-Method', exchange: edit(valid, { 'mcp-method': undefined }), lean: 'sdk' },
    {
      label: 'an Mcp-Method naming another method',
      exchange: edit(valid, { 'mcp-method': 'tools/list' }),
      lean: 'sdk',
    },
    { label: 'no Mcp-Name', exchange: edit(valid, { 'mcp-name': undefined }), lean: 'sdk' },
    { label: 'an Mcp-Name naming another tool', exchange: edit(valid, { 'mcp-name': 'no_such_tool' }), lean: 'sdk' },
    { label: 'a Base64 Mcp-Name', exchange: edit(valid, { 'mcp-name': base64(call.name) }), lean: 'sdk' },
    { label: 'a broken Base64 Mcp-Name', exchange: edit(valid, { 'mcp-name': '=?base64?%%%?=' }), lean: 'sdk' },
    {
      label: 'a 2025-11-25 envelope',
      exchange: edit(
        valid,
        {},
        meta((envelope) => {
          envelope['io.modelcontextprotocol/protocolVersion'] = '2025-11-25';
        }),
      ),
      lean: 'sdk',
    },
    {
      label: 'an envelope naming an unknown version',
      exchange: edit(
        valid,
        { 'mcp-protocol-version': '2027-01-01' },
        meta((envelope) => {
          envelope['io.modelcontextprotocol/protocolVersion'] = '2027-01-01';
        }),
      ),
      lean: 'sdk',
    },
    {
      label: 'an envelope without clientCapabilities',
      exchange: edit(
        valid,
        {},
        meta((envelope) => {
          delete envelope['io.modelcontextprotocol/clientCapabilities'];
        }),
      ),
      lean: 'sdk',
    },
    {
      label: 'clientCapabilities that are not an object',
      exchange: edit(
        valid,
        {},
        meta((envelope) => {
          envelope['io.modelcontextprotocol/clientCapabilities'] = 'all';
        }),
      ),
      lean: 'sdk',
    },
    {
      label: 'a malformed clientInfo',
      exchange: edit(
        valid,
        {},
        meta((envelope) => {
          envelope['io.modelcontextprotocol/clientInfo'] = 5;
        }),
      ),
      lean: 'sdk',
    },
    {
      label: 'an unknown log level',
      exchange: edit(
        valid,
        {},
        meta((envelope) => {
          envelope['io.modelcontextprotocol/logLevel'] = 'loud';
        }),
      ),
      lean: 'sdk',
    },
    {
      label: 'a progress token',
      exchange: edit(
        valid,
        {},
        meta((envelope) => {
          envelope.progressToken = 'p-1';
        }),
      ),
      lean: 'sdk',
    },
    {
      label: 'no _meta (a 2025-11-25 request)',
      exchange: edit(valid, { 'mcp-protocol-version': undefined }, (message) => {
        delete message.params._meta;
      }),
      lean: 'sdk',
    },
    {
      label: 'a modern header over a body without an envelope',
      exchange: edit(valid, {}, (message) => {
        delete message.params._meta;
      }),
      lean: 'sdk',
    },
    {
      label: 'an unknown tool',
      exchange: callExchange({ name: 'no_such_tool', arguments: call.arguments }),
      lean: 'sdk',
    },
    { label: 'ping (not in 2026-07-28)', exchange: modernExchange('ping'), lean: 'sdk' },
    { label: 'resources/list', exchange: modernExchange('resources/list'), lean: 'sdk' },
    { label: 'prompts/list', exchange: modernExchange('prompts/list'), lean: 'sdk' },
    { label: 'initialize with a modern envelope', exchange: modernExchange('initialize'), lean: 'sdk' },
    {
      label: 'tools/list with a cursor',
      exchange: modernExchange('tools/list', { cursor: 'next' }),
      lean: 'sdk',
    },
    {
      label: 'an extra top-level member',
      exchange: edit(valid, {}, (message) => ({ ...message, extra: true })),
      lean: 'sdk',
    },
    { label: 'jsonrpc 1.0', exchange: edit(valid, {}, (message) => ({ ...message, jsonrpc: '1.0' })), lean: 'sdk' },
    {
      label: 'no id (a notification)',
      exchange: edit(valid, {}, (message) => {
        delete message.id;
      }),
      lean: 'sdk',
    },
    { label: 'a null id', exchange: callExchange(call, null), lean: 'sdk' },
    { label: 'a fractional id', exchange: callExchange(call, 1.5), lean: 'sdk' },
    { label: 'an object id', exchange: callExchange(call, { n: 1 }), lean: 'sdk' },
    {
      label: 'arguments that are an array',
      exchange: edit(valid, {}, (message) => {
        Object.assign(message.params, { arguments: [1, 2] });
      }),
      lean: 'sdk',
    },
    {
      label: 'null arguments',
      exchange: edit(valid, {}, (message) => {
        Object.assign(message.params, { arguments: null });
      }),
      lean: 'sdk',
    },
    {
      label: 'a numeric tool name',
      exchange: edit(valid, { 'mcp-name': '7' }, (message) => {
        Object.assign(message.params, { name: 7 });
      }),
      lean: 'sdk',
    },
    {
      label: 'an extra member in params',
      exchange: edit(valid, {}, (message) => {
        message.params.task = { ttl: 5 };
      }),
      lean: 'sdk',
    },
    {
      label: 'an argument of the wrong type',
      exchange: edit(valid, {}, (message) => {
        const first = Object.keys(message.params.arguments!)[0];
        if (first) message.params.arguments![first] = { wrong: [true] };
        else message.params.arguments = { unexpected: 1 };
      }),
      lean: Object.keys(call.arguments).length ? 'sdk' : 'served',
    },
    {
      label: 'an argument the schema does not know',
      exchange: edit(valid, {}, (message) => {
        message.params.arguments!.not_in_schema = 'x';
      }),
      lean: 'served',
    },
    {
      label: 'the call in a batch',
      exchange: edit(valid, {}, (message) => [message]),
      lean: 'sdk',
    },
    {
      label: 'a body that is not JSON',
      exchange: { headers: valid.headers, body: valid.body.slice(0, -3) },
      lean: 'not-asked',
    },
    {
      label: 'a body over the size limit',
      exchange: { headers: valid.headers, body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }) },
      lean: 'not-asked',
    },
    { label: 'GET /mcp', exchange: { headers: {}, body: '', method: 'GET' }, lean: 'not-asked' },
  ];
  if (handleArgument && paramHeader) {
    variants.push(
      { label: `no ${paramHeader}`, exchange: edit(valid, { [paramHeader]: undefined }), lean: 'sdk' },
      { label: `an ${paramHeader} naming another handle`, exchange: edit(valid, { [paramHeader]: 'x' }), lean: 'sdk' },
      {
        label: `a Base64 ${paramHeader}`,
        exchange: edit(valid, { [paramHeader]: /^<id#\d+>$/.test(handle) ? `<b64${handle.slice(1)}` : base64(handle) }),
        lean: 'sdk',
      },
      {
        label: `a broken Base64 ${paramHeader}`,
        exchange: edit(valid, { [paramHeader]: '=?base64?***?=' }),
        lean: 'sdk',
      },
      {
        label: `${paramHeader} in capitals`,
        exchange: edit(valid, { [paramHeader]: undefined, [paramHeader.toUpperCase()]: handle }),
        lean: 'served',
      },
      {
        label: `a numeric ${handleArgument}`,
        exchange: edit(valid, { [paramHeader]: '12' }, (message) => {
          message.params.arguments![handleArgument] = 12;
        }),
        lean: 'sdk',
      },
    );
  }
  return variants;
}

// Header values a client can send (visible ASCII, no surrounding spaces), some of them meaningful.
const headerValue = fc.oneof(
  fc.stringMatching(/^[!-~]([ -~]{0,14}[!-~])?$/),
  fc.constantFrom(MODERN, '2025-11-25', 'tools/call', 'tools/list', 'server/discover', '=?base64?AAAA?=', '0'),
);
const anyJson = fc.jsonValue({ maxDepth: 2 });

/**
 * Requests generated from valid calls of the server's tools and the two lists: each
 * header kept, dropped or rewritten; the envelope's members kept, dropped or replaced with any
 * JSON; the id, the arguments and the body's shape likewise. Most generated requests stay valid
 * enough to reach the lean path's later checks, some are served.
 */
function arbitraryExchange(callExchanges: readonly Exchange[], paramHeaders: string[]): fc.Arbitrary<Exchange> {
  const bases = [...callExchanges, modernExchange('tools/list'), modernExchange('server/discover')];
  const keep = <T>(weight: number, value: T) => ({ weight, arbitrary: fc.constant(value) });
  // Each part is left alone more often than not, so that many requests reach the later checks.
  const sometimes = <T>(arbitrary: fc.Arbitrary<T>, unchanged: T) =>
    fc.oneof(keep(3, unchanged), { weight: 2, arbitrary });
  const mutation = fc.record({
    base: fc.constantFrom(...bases),
    headers: sometimes(
      fc.dictionary(
        fc.constantFrom('content-type', 'mcp-protocol-version', 'mcp-method', 'mcp-name', ...paramHeaders),
        fc.option(headerValue, { nil: undefined }),
        { minKeys: 1, maxKeys: 2 },
      ),
      {},
    ),
    id: fc.oneof(keep(6, 'same'), { weight: 1, arbitrary: anyJson }),
    envelope: sometimes(
      fc.dictionary(
        fc.constantFrom(
          'io.modelcontextprotocol/protocolVersion',
          'io.modelcontextprotocol/clientCapabilities',
          'io.modelcontextprotocol/clientInfo',
          'io.modelcontextprotocol/logLevel',
          'progressToken',
          'x.example/other',
        ),
        fc.option(fc.oneof(anyJson, fc.constantFrom(MODERN, '2025-11-25', {}, { name: 'n', version: '1' }, 'info')), {
          nil: undefined,
        }),
        { minKeys: 1, maxKeys: 2 },
      ),
      {},
    ),
    argument: sometimes(fc.tuple(fc.nat(), fc.option(anyJson, { nil: undefined })), undefined),
    shape: fc.oneof(keep(12, 'same'), keep(1, 'batch'), keep(1, 'extra-member'), keep(1, 'no-params')),
  });
  return mutation.map(({ base, headers, id, envelope, argument, shape }) => {
    const editedHeaders = { ...base.headers };
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) delete editedHeaders[name];
      else editedHeaders[name] = value;
    }
    const message = JSON.parse(base.body) as Message;
    if (id !== 'same') message.id = id;
    for (const [name, value] of Object.entries(envelope)) {
      if (value === undefined) delete message.params._meta![name];
      else message.params._meta![name] = value;
    }
    if (argument && message.params.arguments) {
      const names = Object.keys(message.params.arguments);
      const [index, value] = argument;
      const name = names.length ? names[index % names.length]! : `extra_${index}`;
      if (value === undefined) delete message.params.arguments![name];
      else message.params.arguments![name] = value;
    }
    if (shape === 'no-params') delete (message as { params?: unknown }).params;
    const body = shape === 'batch' ? [message] : shape === 'extra-member' ? { ...message, extra: 1 } : message;
    return { headers: editedHeaders, body: JSON.stringify(body) };
  });
}
