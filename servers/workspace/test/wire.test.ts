/**
 * The wire facts a client's cache and a gateway depend on: `tools/list` is byte-identical whichever
 * process answers and whoever asks, before and after tool calls; every workspace handle argument is
 * declared as an `x-mcp-header`, and the server enforces the mirror; no response carries a session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceTools } from '../src/tools/index.js';
import {
  MODERN_META,
  SECRET,
  rawModern,
  startWorkspace,
  type RawResponse,
  type WorkspaceFixture,
  tokenFor,
} from './helpers.js';

let fixture: WorkspaceFixture;
const seen: RawResponse[] = [];
let alice: string;
let bob: string;

beforeAll(async () => {
  fixture = await startWorkspace({ JWT_SECRET: SECRET }, 2);
  alice = await tokenFor('alice');
  bob = await tokenFor('bob');
});
afterAll(() => fixture.stop());

async function send(server: number, token: string, method: string, params: Record<string, unknown> = {}) {
  const response = await rawModern(fixture.servers[server]!.url, method, params, {
    authorization: `Bearer ${token}`,
    'mcp-session-id': 'made-up-session',
  });
  seen.push(response);
  return response;
}

const listBody = (response: RawResponse) => JSON.stringify(response.json().result);

describe('tools/list', () => {
  it('is byte-identical across processes, principals and tool calls, in a fixed order, with cache hints', async () => {
    const baseline = await send(0, alice, 'tools/list');
    const result = baseline.json().result as { tools: Array<{ name: string }>; ttlMs: number; cacheScope: string };
    expect(result.tools.map((tool) => tool.name)).toEqual(workspaceTools.map((tool) => tool.name));
    expect(result).toMatchObject({ cacheScope: 'public', ttlMs: expect.any(Number) });

    const created = await send(1, bob, 'tools/call', { name: 'workspace_create', arguments: {} });
    const id = (created.json().result as { structuredContent: { workspace_id: string } }).structuredContent
      .workspace_id;
    await send(0, bob, 'tools/call', {
      name: 'workspace_write_file',
      arguments: { workspace_id: id, path: 'a.txt', content: 'a' },
    });
    await send(1, bob, 'tools/call', { name: 'workspace_destroy', arguments: { workspace_id: id } });

    for (const [server, token] of [
      [0, alice],
      [1, alice],
      [0, bob],
      [1, bob],
    ] as const) {
      expect(listBody(await send(server, token, 'tools/list'))).toBe(listBody(baseline));
    }
  });

  it('declares every workspace handle argument as an x-mcp-header so gateways can route on it', async () => {
    const result = (await send(0, alice, 'tools/list')).json().result as {
      tools: Array<{ name: string; inputSchema: { properties: Record<string, Record<string, unknown>> } }>;
    };
    const headers = Object.fromEntries(
      result.tools.map((tool) => [
        tool.name,
        Object.entries(tool.inputSchema.properties)
          .filter(([name]) => name.endsWith('_id'))
          .map(([name, schema]) => `${name}:${String(schema['x-mcp-header'])}`),
      ]),
    );
    expect(headers.workspace_write_file).toEqual(['workspace_id:Workspace-Id']);
    expect(headers.workspace_diff).toEqual(['workspace_id:Workspace-Id', 'base_id:Base-Workspace-Id']);
    expect(headers.workspace_merge).toEqual(['from_id:From-Workspace-Id', 'into_id:Into-Workspace-Id']);
    expect(headers.workspace_create).toEqual([]);
  });

  it('a missing Mcp-Param-Workspace-Id header is a header mismatch, -32020', async () => {
    const response = await fetch(fixture.servers[0]!.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${alice}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'workspace_list_files',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: {
          name: 'workspace_list_files',
          arguments: { workspace_id: `ws_${'a'.repeat(22)}` },
          _meta: MODERN_META,
        },
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error?: { code: number } }).error?.code).toBe(-32020);
  });
});

describe('sessions', () => {
  it('no response carries Mcp-Session-Id', () => {
    expect(seen.length).toBeGreaterThan(8);
    for (const response of seen) expect(response.headers.get('mcp-session-id')).toBeNull();
  });
});
