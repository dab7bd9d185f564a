/**
 * The fixture's McpServer factory: called by the kit once per HTTP request, for both eras
 * (2026-07-28 and stateless 2025-11-25). Capabilities say what a sessionless server can honour:
 * lists never change (listChanged: false), and the watched resource is static, so accepting a
 * subscription to it and never sending an update is the truth, not a stub.
 */
import { createRequestStateCodec, McpServer } from '@modelcontextprotocol/server';
import { randomBytes } from 'node:crypto';
import { publicListCacheHints } from '../src/index.js';
import { clientInputToolNames, registerClientInputTools } from './client-input-tools.js';
import { contentToolNames, registerContentTools } from './content-tools.js';
import { registerInputRequiredPrompt, registerInputRequiredTools, inputRequiredToolNames } from './input-required.js';
import { registerPrompts, registerResources } from './resources-prompts.js';
import { registerSchemaTools, schemaToolNames } from './schema-tools.js';

export const FIXTURE_INFO = { name: 'sessionless-conformance-fixture', version: '0.1.0' };
export const FIXTURE_TOOL_NAMES = [
  ...contentToolNames,
  ...clientInputToolNames,
  ...inputRequiredToolNames,
  ...schemaToolNames,
];

const LIST_TTL_MS = 60_000;

// `requestState` comes back from the client, so it is HMAC-sealed and verified before a handler
// sees it. Every instance that may receive the retry needs the same key: one process here, a
// shared secret in a deployment with several instances.
const requestStateCodec = createRequestStateCodec<Record<string, unknown>>({
  key: randomBytes(32),
  ttlSeconds: 600,
  bind: (ctx) => `${ctx.mcpReq.method}\0${ctx.http?.authInfo?.clientId ?? ''}`,
});

export function createFixtureServer(): McpServer {
  const server = new McpServer(FIXTURE_INFO, {
    capabilities: {
      tools: { listChanged: false },
      prompts: { listChanged: false },
      resources: { subscribe: true, listChanged: false },
      // Deprecated in 2026-07-28, where each request's _meta carries the log level it wants.
      logging: {},
      completions: {},
    },
    cacheHints: {
      ...publicListCacheHints(LIST_TTL_MS),
      'prompts/list': { ttlMs: LIST_TTL_MS, cacheScope: 'public' },
      'resources/list': { ttlMs: LIST_TTL_MS, cacheScope: 'public' },
      'resources/templates/list': { ttlMs: LIST_TTL_MS, cacheScope: 'public' },
      'resources/read': { ttlMs: LIST_TTL_MS, cacheScope: 'public' },
    },
    requestState: { verify: requestStateCodec.verify },
  });
  registerContentTools(server);
  registerClientInputTools(server);
  registerInputRequiredTools(server, requestStateCodec);
  registerSchemaTools(server);
  registerResources(server);
  registerPrompts(server);
  registerInputRequiredPrompt(server);
  return server;
}
