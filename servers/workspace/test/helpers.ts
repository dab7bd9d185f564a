/**
 * Test helpers: start the workspace server as a real process (through tsx, so tests need no build
 * of the server itself), call tools through real clients, peek at the SQLite file the processes
 * share, and send raw HTTP for wire-level checks.
 */
import { fileURLToPath } from 'node:url';
import { ERROR_META_KEY, errorCodeOf, openDatabase, type Database } from '@sessionless/kit';
import { startServerProcess, tempDir, type ModernClient, type ServerProcess } from '@sessionless/kit/testing';
import { expect } from 'vitest';
import { workspaceMigrations } from '../src/domain/schema.js';

export const ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const SECRET = 'workspace-tests-secret-long-enough-for-hs256';

export interface WorkspaceFixture {
  servers: ServerProcess[];
  dataDir: string;
  /** The SQLite file the servers share, opened in this process to assert on the store. */
  db(): Database;
  stop(): Promise<void>;
}

/** Starts `count` workspace processes sharing one fresh data directory (one SQLite file). */
export async function startWorkspace(env: Record<string, string> = {}, count = 1): Promise<WorkspaceFixture> {
  const dir = tempDir('workspace-test-');
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      startServerProcess({ entry: ENTRY, env: { DATA_DIR: dir.path, SWEEP_INTERVAL: '1h', ...env } }),
    ),
  );
  let db: Database | undefined;
  return {
    servers,
    dataDir: dir.path,
    db: () => (db ??= openDatabase({ dataDir: dir.path, name: 'workspace', migrations: workspaceMigrations })),
    async stop() {
      db?.close();
      await Promise.all(servers.map((server) => server.stop()));
      dir.remove();
    },
  };
}

export function countRows(db: Database, table: 'blobs' | 'files' | 'workspaces' | 'fork_points'): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
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

/** A tools/call through a v2 client, returning the raw result. */
export function caller(client: ModernClient) {
  return (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args }) as Promise<ToolResult>;
}

export interface Summary {
  workspace_id: string;
  parent_id: string | null;
  file_count: number;
  bytes: number;
  version: number;
}

/** `count` small text files named `dir/file-0001.txt` ... with distinct contents. */
export function manyFiles(count: number, dir = 'src', tag = 'v1'): Array<{ path: string; content: string }> {
  return Array.from({ length: count }, (_, i) => ({
    path: `${dir}/file-${String(i).padStart(4, '0')}.txt`,
    content: `file ${i} ${tag}\n`,
  }));
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
  if (typeof args?.workspace_id === 'string') headers['mcp-param-workspace-id'] = args.workspace_id;
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: MODERN_META } });
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}
