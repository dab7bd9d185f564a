/**
 * What a sessionless client learns from one `tools/list` per server, and all the load generator
 * needs to know about a tool: which argument is the handle and which `Mcp-Param-*` header
 * mirrors it (the schema's `x-mcp-header`), and whether a call may be repeated after its instance
 * died (`readOnlyHint` / `idempotentHint`). Nothing about the servers is hard-coded here.
 */
import { modernRequest, post } from '../engine/wire.js';

export interface ToolFacts {
  server: string;
  /** The argument that carries a handle and the header that mirrors it, when the tool takes one. */
  handle: { argument: string; header: string } | null;
  /** Safe to send again: read-only or idempotent by its own annotations. */
  repeatable: boolean;
}

interface ListedTool {
  name: string;
  inputSchema?: { properties?: Record<string, { 'x-mcp-header'?: string }> };
  annotations?: { readOnlyHint?: boolean; idempotentHint?: boolean };
}

export type Toolbook = Map<string, ToolFacts>;

export async function readToolbook(servers: Record<string, string>, token?: string): Promise<Toolbook> {
  const book: Toolbook = new Map();
  for (const [server, url] of Object.entries(servers)) {
    for (const tool of await listTools(url, token)) {
      const handle = Object.entries(tool.inputSchema?.properties ?? {}).find(([, p]) => p['x-mcp-header']);
      book.set(tool.name, {
        server,
        handle: handle ? { argument: handle[0], header: `Mcp-Param-${handle[1]['x-mcp-header']}` } : null,
        repeatable: Boolean(tool.annotations?.readOnlyHint || tool.annotations?.idempotentHint),
      });
    }
  }
  return book;
}

async function listTools(url: string, token?: string): Promise<ListedTool[]> {
  const { headers, body } = modernRequest('tools/list', {}, { token });
  const reply = await post(url, headers, body);
  const tools = (JSON.parse(reply.body) as { result?: { tools?: ListedTool[] } }).result?.tools;
  if (reply.status !== 200 || !tools)
    throw new Error(`tools/list at ${url} failed: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
  return tools;
}

export function factsOrThrow(book: Toolbook, tool: string): ToolFacts {
  const facts = book.get(tool);
  if (!facts) throw new Error(`no server lists the tool ${tool}`);
  return facts;
}

/** Per server, the handle header most of its tools declare: what a gateway hashes on. */
export function affinityHeaders(book: Toolbook): Record<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const facts of book.values()) {
    if (!facts.handle) continue;
    const perServer = counts.get(facts.server) ?? new Map<string, number>();
    perServer.set(facts.handle.header, (perServer.get(facts.handle.header) ?? 0) + 1);
    counts.set(facts.server, perServer);
  }
  return Object.fromEntries(
    [...counts].map(([server, headers]) => [server, [...headers].sort((a, b) => b[1] - a[1])[0]![0]]),
  );
}
